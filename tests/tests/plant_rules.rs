//! The plant's rule set (twin) on the engine (pon-core): the engine agrees with the naive
//! evaluator on random plant writes, and a scenario file can change a threshold without a
//! rebuild.

use pon_core::naive::NaiveEngine;
use pon_core::{Engine, FactId, RuleSetSpec, Value};
use proptest::prelude::*;
use twin::catalog::{FactKind, FACTS};
use twin::rules::rule_set;

/// A value of the fact's own type, from its catalogue range, chosen by `raw`.
fn plant_value(fact: usize, raw: u32) -> Value {
    match FACTS[fact].kind {
        FactKind::Int { min, max, .. } => Value::Int(min + i64::from(raw) % (max - min + 1)),
        FactKind::Float { min, max, .. } => {
            let steps = ((max - min) * 10.0) as u32 + 1;
            Value::Float(min + f64::from(raw % steps) / 10.0)
        }
        FactKind::Bool { .. } => Value::Bool(raw.is_multiple_of(2)),
        FactKind::Symbol { domain, .. } => Value::symbol(domain[raw as usize % domain.len()]),
        FactKind::Pair { .. } => Value::tuple([Value::Int(i64::from(raw % 30)), Value::Int(0)]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_engine_and_the_naive_evaluator_agree_on_the_plant(
        batches in prop::collection::vec(
            prop::collection::vec((0..FACTS.len(), any::<u32>()), 1..6),
            1..40,
        )
    ) {
        let program = rule_set().compile().unwrap();
        let mut engine = Engine::new(program.clone());
        let mut naive = NaiveEngine::new(program);
        for batch in batches {
            let writes: Vec<(FactId, Value)> = batch
                .iter()
                .map(|(fact, raw)| (FactId(*fact as u32), plant_value(*fact, *raw)))
                .collect();
            let a = engine.apply(writes.clone()).map(|_| ());
            let b = naive.apply(writes);
            prop_assert_eq!(a, b);
            prop_assert_eq!(engine.firings(), naive.firings());
            prop_assert_eq!(engine.notes(), naive.notes());
            prop_assert_eq!(engine.values(), naive.values());
        }
    }
}

/// The plant's rule set as JSON, with the premise of `rule` on `fact` edited by `edit`.
fn edited_scenario(rule: &str, fact: &str, edit: impl Fn(&mut serde_json::Value)) -> String {
    let mut json: serde_json::Value = serde_json::from_str(&rule_set().to_json()).unwrap();
    let rules = json["rules"].as_array_mut().unwrap();
    let rule = rules.iter_mut().find(|r| r["name"] == rule).unwrap();
    let premises = rule["when"]["all"].as_array_mut().unwrap();
    let premise = premises.iter_mut().find(|p| p["fact"] == fact).unwrap();
    edit(premise);
    json.to_string()
}

#[test]
fn a_scenario_file_can_change_a_threshold_without_a_rebuild() {
    // Lower R_07's outlet limit from 20 °C to 15 °C in the JSON form of the rule set.
    let edited = edited_scenario("R_07", "fbe_05_wort_out_temp", |p| p["value"] = 15.into());
    let spec = RuleSetSpec::from_json(&edited).unwrap();

    let run = |spec: &RuleSetSpec| {
        let mut engine = Engine::new(spec.compile().unwrap());
        engine
            .write_named("fbe_05_wort_in_temp", Value::Float(90.0))
            .unwrap();
        engine
            .write_named("fbe_05_wort_out_temp", Value::Float(18.0))
            .unwrap();
        engine.get("fbe_05_glycol_valve_pos").cloned()
    };
    assert_eq!(
        run(&rule_set()),
        Some(Value::Int(0)),
        "18 °C is within the original limit"
    );
    assert_eq!(
        run(&spec),
        Some(Value::Int(90)),
        "the edited limit opens the valve"
    );
}

#[test]
fn a_broken_scenario_file_is_refused_with_the_offending_name() {
    let misspelt = edited_scenario("R_07", "fbe_05_wort_out_temp", |p| {
        p["fact"] = "fbe_05_wort_out_tmp".into()
    });
    let err = RuleSetSpec::from_json(&misspelt)
        .and_then(|s| s.compile())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown fact `fbe_05_wort_out_tmp` in rule `R_07`"
    );

    let mistyped = edited_scenario("R_07", "fbe_05_wort_out_temp", |p| {
        p["value"] = "warm".into()
    });
    let err = RuleSetSpec::from_json(&mistyped)
        .and_then(|s| s.compile())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "type mismatch in rule `R_07`: `fbe_05_wort_out_temp` is float and cannot be compared with \"warm\""
    );
}
