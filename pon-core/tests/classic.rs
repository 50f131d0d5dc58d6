//! The small classic NOP programs, run as exact tests.

use pon_core::spec::{all, any, fact, FactSpec, FbeSpec, RuleSpec, Step};
use pon_core::{Engine, RuleSetSpec, Value};

fn engine(spec: &RuleSetSpec) -> Engine {
    Engine::new(spec.compile().expect("the rule set compiles"))
}

fn firings_of(engine: &Engine, rule: &str) -> u64 {
    engine.rule_counters(engine.rule_id(rule).unwrap()).firings
}

fn set(engine: &mut Engine, name: &str, value: impl Into<Value>) {
    engine
        .write_named(name, value.into())
        .expect("the write is accepted");
}

fn sym(name: &str) -> Value {
    Value::symbol(name)
}

#[test]
fn two_fact_alarm_fires_once_after_the_second_fact() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::bool("alarm_armed", false))
        .fact(FactSpec::bool("sensor_anomaly", false))
        .fbe(
            FbeSpec::new("Alarm")
                .facts(["alarm_armed", "sensor_anomaly"])
                .method(
                    "trigger",
                    [Step::note("Anomaly detected while the alarm is armed")],
                ),
        )
        .rule(
            RuleSpec::new(
                "MonitoredAlarm",
                all([
                    fact("alarm_armed").eq(true),
                    fact("sensor_anomaly").eq(true),
                ]),
            )
            .then(["Alarm.trigger"]),
        );
    let mut e = engine(&spec);

    set(&mut e, "alarm_armed", true);
    assert_eq!(firings_of(&e, "MonitoredAlarm"), 0);
    set(&mut e, "sensor_anomaly", true);
    assert_eq!(firings_of(&e, "MonitoredAlarm"), 1);
    assert_eq!(
        &*e.notes()[0].text,
        "Anomaly detected while the alarm is armed"
    );
    set(&mut e, "sensor_anomaly", true);
    assert_eq!(
        firings_of(&e, "MonitoredAlarm"),
        1,
        "a no-op write notifies nobody"
    );
}

#[test]
fn correlated_alarm_fires_once_at_the_third_sensor() {
    let names = ["sensor_temperature", "sensor_presence", "system_active"];
    let mut spec = RuleSetSpec::new();
    for name in names {
        spec.fact(FactSpec::bool(name, false));
    }
    spec.fbe(
        FbeSpec::new("Alarm")
            .facts(names)
            .method("raise", [Step::note("alarm for 60 s")]),
    )
    .rule(RuleSpec::new("Correlation", all(names.map(|n| fact(n).eq(true)))).then(["Alarm.raise"]));
    let mut e = engine(&spec);

    set(&mut e, names[0], true);
    set(&mut e, names[1], true);
    assert_eq!(firings_of(&e, "Correlation"), 0);
    set(&mut e, names[2], true);
    assert_eq!(firings_of(&e, "Correlation"), 1);
}

fn greenhouse() -> RuleSetSpec {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::int("air_temp", 25))
        .fact(FactSpec::int("soil_moisture", 60))
        .fact(FactSpec::int("tank_level", 100))
        .fact(FactSpec::symbol("pump", &["off", "on"], "off"))
        .fact(FactSpec::bool("alarm", false))
        .fbe(
            FbeSpec::new("Pump")
                .facts(["pump", "alarm"])
                .method("start", [Step::set("pump", "on")])
                .method("stop", [Step::set("pump", "off")])
                .method("raise_alarm", [Step::set("alarm", true)]),
        )
        .rule(
            RuleSpec::new(
                "Irrigate",
                all([
                    fact("air_temp").gt(30),
                    fact("soil_moisture").lt(40),
                    fact("pump").eq("off"),
                    fact("tank_level").ge(10),
                ]),
            )
            .then(["Pump.start"]),
        )
        .rule(
            RuleSpec::new(
                "Stop",
                all([fact("soil_moisture").ge(60), fact("pump").eq("on")]),
            )
            .then(["Pump.stop"]),
        )
        .rule(
            RuleSpec::new(
                "Safety",
                all([fact("tank_level").lt(10), fact("pump").eq("on")]),
            )
            .then(["Pump.stop", "Pump.raise_alarm"]),
        );
    spec
}

#[test]
fn greenhouse_irrigates_then_stops_for_safety() {
    let mut e = engine(&greenhouse());

    set(&mut e, "air_temp", 32);
    assert_eq!(e.get("pump"), Some(&sym("off")));
    set(&mut e, "soil_moisture", 35);
    assert_eq!(e.get("pump"), Some(&sym("on")));
    assert_eq!(firings_of(&e, "Irrigate"), 1);

    set(&mut e, "tank_level", 5);
    assert_eq!(e.get("pump"), Some(&sym("off")));
    assert_eq!(e.get("alarm"), Some(&Value::Bool(true)));
    assert_eq!(firings_of(&e, "Safety"), 1);
    assert_eq!(
        firings_of(&e, "Irrigate"),
        1,
        "a low tank keeps the pump off"
    );
    assert_eq!(firings_of(&e, "Stop"), 0);
}

#[test]
fn greenhouse_stops_when_the_soil_is_wet() {
    let mut e = engine(&greenhouse());
    set(&mut e, "air_temp", 32);
    set(&mut e, "soil_moisture", 35);
    set(&mut e, "soil_moisture", 65);
    assert_eq!(e.get("pump"), Some(&sym("off")));
    assert_eq!(firings_of(&e, "Stop"), 1);
}

#[test]
fn target_shooting_fires_when_detected_and_aligned() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::bool("target_detected", false))
        .fact(FactSpec::bool("sight_aligned", false))
        .fact(FactSpec::int("shots", 0))
        .fbe(
            FbeSpec::new("Archer")
                .facts(["target_detected", "sight_aligned", "shots"])
                .method("shoot", [Step::add("shots", 1, None, None)]),
        )
        .rule(
            RuleSpec::new(
                "Shoot",
                all([
                    fact("target_detected").eq(true),
                    fact("sight_aligned").eq(true),
                ]),
            )
            .then(["Archer.shoot"]),
        );
    let mut e = engine(&spec);
    set(&mut e, "target_detected", true);
    assert_eq!(e.get("shots"), Some(&Value::Int(0)));
    set(&mut e, "sight_aligned", true);
    assert_eq!(e.get("shots"), Some(&Value::Int(1)));
}

#[test]
fn electronic_gate_opens_once() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::bool("open_command", false))
        .fact(FactSpec::bool("obstacle", false))
        .fact(FactSpec::bool("gate_open", false))
        .fbe(
            FbeSpec::new("Gate")
                .facts(["open_command", "obstacle", "gate_open"])
                .method(
                    "open",
                    [Step::note("opening"), Step::set("gate_open", true)],
                ),
        )
        .rule(
            RuleSpec::new(
                "OpenGate",
                all([
                    fact("open_command").eq(true),
                    fact("obstacle").eq(false),
                    fact("gate_open").eq(false),
                ]),
            )
            .then(["Gate.open"]),
        );
    let mut e = engine(&spec);
    set(&mut e, "open_command", true);
    assert_eq!(e.get("gate_open"), Some(&Value::Bool(true)));
    assert_eq!(
        firings_of(&e, "OpenGate"),
        1,
        "opening the gate disables the rule"
    );
    assert_eq!(e.firings().len(), 1);
}

#[test]
fn sales_order_allows_the_sale_and_applies_the_vip_discount() {
    let mut spec = RuleSetSpec::new();
    spec.fact(FactSpec::int("stock", 10))
        .fact(FactSpec::bool("customer_valid", false))
        .fact(FactSpec::symbol(
            "discount_tier",
            &["normal", "vip", "premium"],
            "normal",
        ))
        .fact(FactSpec::int("quantity", 0))
        .fact(FactSpec::int("discount_pct", 0))
        .fact(FactSpec::int("orders_processed", 0))
        .fbe(
            FbeSpec::new("Sales")
                .facts(["stock", "customer_valid", "discount_tier", "quantity"])
                .facts(["discount_pct", "orders_processed"])
                .method("process", [Step::add("orders_processed", 1, None, None)])
                .method(
                    "discount",
                    [
                        Step::when(
                            fact("discount_tier").eq("premium"),
                            [Step::set("discount_pct", 15)],
                        ),
                        Step::when(
                            fact("discount_tier").eq("vip"),
                            [Step::set("discount_pct", 10)],
                        ),
                    ],
                ),
        )
        .rule(
            RuleSpec::new(
                "SaleAllowed",
                all([
                    fact("quantity").gt(0),
                    fact("customer_valid").eq(true),
                    fact("stock").ge_fact("quantity"),
                ]),
            )
            .then(["Sales.process"]),
        )
        .rule(
            RuleSpec::new(
                "SpecialDiscount",
                any([
                    fact("discount_tier").eq("vip"),
                    fact("discount_tier").eq("premium"),
                ]),
            )
            .then(["Sales.discount"]),
        );
    let mut e = engine(&spec);

    set(&mut e, "quantity", 3);
    assert_eq!(firings_of(&e, "SaleAllowed"), 0);
    set(&mut e, "customer_valid", true);
    assert_eq!(e.get("orders_processed"), Some(&Value::Int(1)));
    set(&mut e, "discount_tier", sym("vip"));
    assert_eq!(e.get("discount_pct"), Some(&Value::Int(10)));
    set(&mut e, "discount_tier", sym("premium"));
    assert_eq!(e.get("discount_pct"), Some(&Value::Int(15)));
    set(&mut e, "quantity", 11);
    assert_eq!(
        e.get("orders_processed"),
        Some(&Value::Int(1)),
        "11 exceeds the stock of 10"
    );
}
