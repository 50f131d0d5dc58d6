//! Waves, triggering, cascades, explanations, counters and bad input.

use pon_core::spec::{all, any, fact, FactSpec, FbeSpec, RuleSpec, Step};
use pon_core::{
    Engine, EngineError, Literal, RuleSetSpec, SpecError, Value, ValueType, WriteError, Writer,
};

fn lowering_rule(trigger_edge: bool) -> RuleSetSpec {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::int("level", 40))
        .fact(FactSpec::int("rake", 50))
        .fbe(FbeSpec::new("Tank").facts(["level", "rake"]).method(
            "lower",
            [
                Step::add("level", -10, Some(Literal::Int(0)), None),
                Step::add("rake", -5, Some(Literal::Int(0)), None),
            ],
        ));
    let rule = RuleSpec::new("R_lower", fact("level").gt(50)).then(["Tank.lower"]);
    spec.rule(if trigger_edge { rule.edge() } else { rule });
    spec
}

#[test]
fn level_rule_lowering_its_own_fact_fires_three_times_from_eighty() {
    let mut e = Engine::new(lowering_rule(false).compile().unwrap());
    let report = e.write_named("level", Value::Int(80)).unwrap();

    assert_eq!(report.firings, 3);
    assert_eq!(report.waves, 4, "three firing waves and the settling wave");
    assert_eq!(e.get("level"), Some(&Value::Int(50)));
    assert_eq!(e.get("rake"), Some(&Value::Int(35)));
    let waves: Vec<u32> = e.firings().iter().map(|f| f.wave).collect();
    assert_eq!(waves, [1, 2, 3]);
    assert_eq!(
        e.firings()[1].trigger.as_ref().unwrap().writer,
        Writer::Rule(e.rule_id("R_lower").unwrap())
    );
}

#[test]
fn edge_rule_fires_once_per_rising_edge() {
    let mut e = Engine::new(lowering_rule(true).compile().unwrap());
    let r = e.rule_id("R_lower").unwrap();

    e.write_named("level", Value::Int(80)).unwrap();
    assert_eq!(e.rule_counters(r).firings, 1);
    assert_eq!(
        e.get("level"),
        Some(&Value::Int(70)),
        "an edge rule does not cascade"
    );

    e.write_named("level", Value::Int(90)).unwrap();
    assert_eq!(e.rule_counters(r).firings, 1, "still true: no new edge");

    e.write_named("level", Value::Int(10)).unwrap();
    e.write_named("level", Value::Int(60)).unwrap();
    assert_eq!(
        e.rule_counters(r).firings,
        2,
        "false then true again: a new edge"
    );
}

#[test]
fn rules_are_not_evaluated_at_start_unless_they_ask() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::int("x", 100))
        .fact(FactSpec::int("hits_quiet", 0))
        .fact(FactSpec::int("hits_eager", 0))
        .fbe(
            FbeSpec::new("F")
                .facts(["x", "hits_quiet", "hits_eager"])
                .method("quiet", [Step::add("hits_quiet", 1, None, None)])
                .method("eager", [Step::add("hits_eager", 1, None, None)]),
        )
        .rule(RuleSpec::new("Quiet", fact("x").gt(50)).then(["F.quiet"]))
        .rule(
            RuleSpec::new("Eager", fact("x").gt(50))
                .at_start()
                .then(["F.eager"]),
        );
    let mut e = Engine::new(spec.compile().unwrap());

    e.start().unwrap();
    assert_eq!(e.get("hits_quiet"), Some(&Value::Int(0)));
    assert_eq!(e.get("hits_eager"), Some(&Value::Int(1)));
    assert_eq!(e.firings()[0].trigger, None);
}

#[test]
fn rules_toggling_each_other_end_with_a_cascade_error_naming_them() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::bool("a", false))
        .fact(FactSpec::bool("b", false))
        .fact(FactSpec::bool("unrelated", false))
        .fbe(
            FbeSpec::new("Toggle")
                .facts(["a", "b", "unrelated"])
                .method("flip_b", [Step::set("b", true), Step::set("a", false)])
                .method("flip_a", [Step::set("a", true), Step::set("b", false)])
                .method("noop", [Step::note("unrelated")]),
        )
        .rule(RuleSpec::new("R_A", fact("a").eq(true)).then(["Toggle.flip_b"]))
        .rule(RuleSpec::new("R_B", fact("b").eq(true)).then(["Toggle.flip_a"]))
        .rule(RuleSpec::new("R_C", fact("unrelated").eq(true)).then(["Toggle.noop"]));
    let mut e = Engine::new(spec.compile().unwrap());
    e.set_max_waves(50);

    let err = e.write_named("a", Value::Bool(true)).unwrap_err();
    assert_eq!(
        err,
        EngineError::Cascade {
            waves: 50,
            rules: vec!["R_A".into(), "R_B".into()]
        }
    );
    assert!(err.to_string().contains("R_A, R_B"));

    // The engine is still usable and consistent after the error.
    e.write_named("unrelated", Value::Bool(true)).unwrap();
    assert_eq!(e.rule_counters(e.rule_id("R_C").unwrap()).firings, 1);
}

#[test]
fn a_batch_is_merged_and_each_rule_evaluated_once_per_wave() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::int("p", 0))
        .fact(FactSpec::int("q", 0))
        .fact(FactSpec::int("hits", 0))
        .fbe(
            FbeSpec::new("F")
                .facts(["p", "q", "hits"])
                .method("hit", [Step::add("hits", 1, None, None)]),
        )
        .rule(RuleSpec::new("Both", all([fact("p").gt(5), fact("q").gt(5)])).then(["F.hit"]));
    let mut e = Engine::new(spec.compile().unwrap());
    let (p, q) = (e.fact_id("p").unwrap(), e.fact_id("q").unwrap());

    e.apply([(p, Value::Int(9)), (q, Value::Int(9))]).unwrap();
    let rule = e.rule_counters(e.rule_id("Both").unwrap());
    assert_eq!(rule.evaluations, 1);
    assert_eq!(
        rule.notifications, 2,
        "two premises notified it, one evaluation followed"
    );
    assert_eq!(rule.firings, 1);

    e.apply([(p, Value::Int(1)), (p, Value::Int(9))]).unwrap();
    assert_eq!(
        e.rule_counters(e.rule_id("Both").unwrap()).evaluations,
        1,
        "net no change"
    );
}

#[test]
fn a_fact_written_twice_in_a_wave_notifies_only_a_net_change() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::bool("go", false))
        .fact(FactSpec::int("flicker", 0))
        .fact(FactSpec::int("drift", 0))
        .fact(FactSpec::int("seen", 0))
        .fbe(
            FbeSpec::new("F")
                .facts(["go", "flicker", "drift", "seen"])
                .method(
                    "twitch",
                    [
                        Step::set("flicker", 7),
                        Step::set("flicker", 0),
                        Step::set("drift", 3),
                        Step::add("drift", 1, None, None),
                    ],
                )
                .method("see", [Step::add("seen", 1, None, None)]),
        )
        .rule(RuleSpec::new("Twitch", fact("go").eq(true)).then(["F.twitch"]))
        .rule(RuleSpec::new("Flickered", fact("flicker").ne(0)).then(["F.see"]))
        .rule(RuleSpec::new("Drifted", fact("drift").eq(4)).then(["F.see"]));
    let mut e = Engine::new(spec.compile().unwrap());
    let (flicker, drift) = (e.fact_id("flicker").unwrap(), e.fact_id("drift").unwrap());

    e.write_named("go", Value::Bool(true)).unwrap();

    let fired: Vec<&str> = e
        .firings()
        .iter()
        .map(|f| e.program().rule(f.rule).name.as_str())
        .collect();
    assert_eq!(fired, ["Twitch", "Drifted"]);
    assert_eq!(e.get("seen"), Some(&Value::Int(1)));
    let counts = |id| {
        let c = e.fact_counters(id);
        (c.writes, c.noop_writes, c.notifications)
    };
    assert_eq!(counts(flicker), (2, 0, 0), "restored within the wave");
    assert_eq!(counts(drift), (2, 0, 1), "one net change, notified once");
    assert!(!e.changed().contains(&flicker));
}

#[test]
fn writes_within_a_wave_read_each_other() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::bool("go", false))
        .fact(FactSpec::int("buffer", 80))
        .fbe(FbeSpec::new("Grid").facts(["go", "buffer"]).method(
            "discharge",
            [Step::add("buffer", -15, Some(Literal::Int(20)), None)],
        ))
        .rule(RuleSpec::new("First", fact("go").eq(true)).then(["Grid.discharge"]))
        .rule(RuleSpec::new("Second", fact("go").eq(true)).then(["Grid.discharge"]));
    let mut e = Engine::new(spec.compile().unwrap());
    e.write_named("go", Value::Bool(true)).unwrap();
    assert_eq!(
        e.get("buffer"),
        Some(&Value::Int(50)),
        "no decrement is lost"
    );
    let order: Vec<&str> = e
        .firings()
        .iter()
        .map(|f| e.program().rule(f.rule).name.as_str())
        .collect();
    assert_eq!(order, ["First", "Second"]);
}

#[test]
fn a_firing_is_explained_by_its_trigger_and_premises() {
    let mut e = Engine::new(lowering_rule(false).compile().unwrap());
    e.write_named("level", Value::Int(60)).unwrap();
    let r = e.rule_id("R_lower").unwrap();
    let why = e.explain(r).expect("the rule fired");

    let trigger = why.firing.trigger.as_ref().unwrap();
    assert_eq!(trigger.old, Value::Int(40));
    assert_eq!(trigger.new, Value::Int(60));
    assert_eq!(trigger.writer, Writer::External);
    assert_eq!(why.premises.len(), 1);
    assert!(why.premises[0].holds);
    assert_eq!(why.premises[0].left, Value::Int(60));
    assert_eq!(why.premises[0].right, Value::Int(50));
    assert_eq!(
        e.program().describe_premise(why.premises[0].premise),
        "level > 50"
    );
}

#[test]
fn counters_count_notifications_noops_evaluations_and_firings() {
    let mut e = Engine::new(lowering_rule(false).compile().unwrap());
    let level = e.fact_id("level").unwrap();
    e.write(level, Value::Int(40)).unwrap();
    e.write(level, Value::Int(45)).unwrap();
    e.write(level, Value::Int(60)).unwrap();

    let fact = e.fact_counters(level);
    assert_eq!(
        (fact.writes, fact.noop_writes, fact.notifications),
        (4, 1, 3)
    );
    let premise = e.premise_counters(pon_core::PremiseId(0));
    assert_eq!(
        (premise.notifications, premise.evaluations, premise.changes),
        (3, 3, 2)
    );
    let rule = e.rule_counters(e.rule_id("R_lower").unwrap());
    assert_eq!(
        (rule.notifications, rule.evaluations, rule.firings),
        (3, 3, 1)
    );
    let totals = e.totals();
    assert_eq!(
        (totals.firings, totals.noop_writes, totals.waves),
        (1, 1, 3)
    );

    e.reset_counters();
    assert_eq!(e.totals().firings, 0);
}

#[test]
fn a_float_fact_ignores_changes_within_its_dead_band() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::float("temp", 20.0).dead_band(0.5));
    let mut e = Engine::new(spec.compile().unwrap());
    let temp = e.fact_id("temp").unwrap();

    e.write(temp, Value::Float(20.3)).unwrap();
    assert_eq!(e.value(temp), &Value::Float(20.0));
    assert_eq!(e.fact_counters(temp).noop_writes, 1);
    e.write(temp, Value::Float(20.5)).unwrap();
    assert_eq!(e.value(temp), &Value::Float(20.5));
    assert_eq!(e.changed(), [temp]);
}

#[test]
fn a_batch_with_a_badly_typed_write_applies_nothing() {
    let mut e = Engine::new(lowering_rule(false).compile().unwrap());
    let (level, rake) = (e.fact_id("level").unwrap(), e.fact_id("rake").unwrap());
    let err = e
        .apply([(rake, Value::Int(1)), (level, Value::Float(60.0))])
        .unwrap_err();
    assert_eq!(
        err,
        EngineError::Write(WriteError::TypeMismatch {
            fact: "level".into(),
            expected: "int".into(),
            got: Value::Float(60.0)
        })
    );
    assert_eq!(e.value(rake), &Value::Int(50));
}

#[test]
fn nested_conditions_follow_their_children() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::int("a", 0))
        .fact(FactSpec::int("b", 0))
        .fact(FactSpec::symbol("mode", &["auto", "manual"], "auto"))
        .fact(FactSpec::int("hits", 0))
        .fbe(
            FbeSpec::new("F")
                .facts(["a", "b", "mode", "hits"])
                .method("hit", [Step::add("hits", 1, None, None)]),
        )
        .rule(
            RuleSpec::new(
                "Nested",
                any([
                    all([fact("a").gt(1), fact("b").ge_fact("a")]),
                    fact("mode").eq("manual"),
                ]),
            )
            .edge()
            .then(["F.hit"]),
        );
    let program = spec.compile().unwrap();
    assert_eq!(
        program.describe_condition(program.rules[0].condition),
        "(a > 1 AND b >= a) OR mode = manual"
    );
    let mut e = Engine::new(program);

    e.write_named("a", Value::Int(3)).unwrap();
    e.write_named("b", Value::Int(3)).unwrap();
    assert_eq!(e.get("hits"), Some(&Value::Int(1)));
    e.write_named("mode", Value::symbol("manual")).unwrap();
    assert_eq!(e.get("hits"), Some(&Value::Int(1)), "already true: no edge");
    e.write_named("b", Value::Int(0)).unwrap();
    e.write_named("mode", Value::symbol("auto")).unwrap();
    e.write_named("b", Value::Int(5)).unwrap();
    assert_eq!(e.get("hits"), Some(&Value::Int(2)));
}

const GOOD: &str = r#"{
  "facts": [
    {"name": "pump", "type": {"enum": ["off", "on"]}, "initial": "off"},
    {"name": "tank", "type": "int", "initial": 100, "unit": "%"},
    {"name": "position", "type": {"tuple": 2}, "initial": [0, 0]}
  ],
  "fbes": [
    {"name": "Pump", "facts": ["pump", "tank", "position"],
     "methods": [{"name": "stop", "steps": [{"set": "pump", "value": "off"}, {"note": "stopped"}]}]}
  ],
  "rules": [
    {"name": "Safety", "when": {"all": [{"fact": "tank", "op": "<", "value": 10},
                                         {"fact": "pump", "op": "=", "value": "on"}]},
     "then": ["Pump.stop"]}
  ]
}"#;

#[test]
fn a_rule_set_loads_from_json_and_round_trips() {
    let spec = RuleSetSpec::from_json(GOOD).unwrap();
    let mut e = Engine::new(spec.compile().unwrap());
    let (pump, tank) = (e.fact_id("pump").unwrap(), e.fact_id("tank").unwrap());
    e.apply([(pump, Value::symbol("on")), (tank, Value::Int(5))])
        .unwrap();
    assert_eq!(e.value(pump), &Value::symbol("off"));
    assert_eq!(
        e.get("position"),
        Some(&Value::tuple([Value::Int(0), Value::Int(0)]))
    );

    let again = RuleSetSpec::from_json(&spec.to_json()).unwrap();
    assert_eq!(again, spec);
}

fn load_error(json: &str) -> String {
    let spec = RuleSetSpec::from_json(json);
    match spec.and_then(|s| s.compile()) {
        Ok(_) => panic!("the rule set should be refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_rule_naming_an_unknown_fact_is_refused_by_name() {
    let json = GOOD.replace(
        r#""fact": "tank", "op": "<""#,
        r#""fact": "tnak", "op": "<""#,
    );
    assert_eq!(load_error(&json), "unknown fact `tnak` in rule `Safety`");
}

#[test]
fn comparing_a_bool_with_a_number_is_refused() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::bool("jam", false))
        .rule(RuleSpec::new("R_jam", fact("jam").gt(3)));
    let err = spec.compile().unwrap_err();
    assert!(matches!(err, SpecError::TypeMismatch { .. }));
    assert_eq!(
        err.to_string(),
        "type mismatch in rule `R_jam`: `jam` is bool and cannot be compared with 3"
    );
}

#[test]
fn a_repeated_id_is_refused_by_name() {
    let json = GOOD.replace(r#""name": "tank""#, r#""name": "pump""#);
    assert_eq!(load_error(&json), "duplicate fact id `pump`");
    let mut spec = RuleSetSpec::from_json(GOOD).unwrap();
    spec.rules.push(spec.rules[0].clone());
    assert_eq!(
        spec.compile().unwrap_err().to_string(),
        "duplicate rule id `Safety`"
    );
}

#[test]
fn other_malformed_rule_sets_get_plain_messages() {
    let bad_symbol = GOOD.replace(r#""value": "on"}"#, r#""value": "running"}"#);
    assert_eq!(
        load_error(&bad_symbol),
        "type mismatch in rule `Safety`: `pump` is enum {off, on} and cannot be compared with \"running\""
    );
    let bad_method = GOOD.replace(r#"["Pump.stop"]"#, r#"["Pump.halt"]"#);
    assert_eq!(
        load_error(&bad_method),
        "unknown method `Pump.halt` called by rule `Safety`"
    );
    let bad_initial = GOOD.replace(r#""initial": 100"#, r#""initial": "full""#);
    assert_eq!(
        load_error(&bad_initial),
        "type mismatch in the initial value of fact `tank`: \"full\" is not a int"
    );
    assert!(load_error("{\"facts\": 3}").starts_with("the rule set is not valid JSON"));
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::new("t", ValueType::Text, "a"));
    spec.fbe(FbeSpec::new("F").method("m", [Step::add("t", 1, None, None)]));
    assert_eq!(
        spec.compile().unwrap_err().to_string(),
        "type mismatch in method `F.m`: `add` needs a number but fact `t` is text"
    );
}
