//! The plant's rules on the engine: each rule's cascade, and the reference's coverage scenario.

use pon_core::{Engine, Value};
use twin::rules::rule_set;

fn plant() -> Engine {
    Engine::new(rule_set().compile().unwrap())
}

fn set(engine: &mut Engine, writes: &[(&str, Value)]) {
    let writes: Vec<_> = writes
        .iter()
        .map(|(name, v)| (engine.fact_id(name).unwrap(), v.clone()))
        .collect();
    engine.apply(writes).unwrap();
}

fn firings(engine: &Engine, rule: &str) -> u64 {
    engine.rule_counters(engine.rule_id(rule).unwrap()).firings
}

fn get(engine: &Engine, name: &str) -> Value {
    engine.get(name).unwrap().clone()
}

use Value::{Bool, Float, Int};

fn sym(s: &str) -> Value {
    Value::symbol(s)
}

#[test]
fn r01_steps_the_pump_down_from_80_to_50_and_the_rake_15_lower() {
    let mut e = plant();
    set(
        &mut e,
        &[
            ("fbe_03_diff_pressure", Float(160.0)),
            ("fbe_03_wort_clarity", Float(15.0)),
        ],
    );
    set(
        &mut e,
        &[
            ("fbe_02_mash_temp", Float(67.0)),
            ("fbe_02_liquid_level", Int(80)),
        ],
    );
    set(&mut e, &[("fbe_03_pump_speed", Float(80.0))]);
    assert_eq!(firings(&e, "R_01"), 3);
    assert_eq!(get(&e, "fbe_03_pump_speed"), Float(50.0));
    assert_eq!(get(&e, "fbe_03_rake_height"), Int(35));
}

#[test]
fn r07_opens_the_glycol_valve_nine_times_up_to_90() {
    let mut e = plant();
    set(
        &mut e,
        &[
            ("fbe_05_wort_in_temp", Float(90.0)),
            ("fbe_05_wort_out_temp", Float(30.0)),
        ],
    );
    assert_eq!(firings(&e, "R_07"), 9);
    assert_eq!(get(&e, "fbe_05_glycol_valve_pos"), Int(90));
}

#[test]
fn r08_discharges_the_v2g_buffer_four_times_from_80_to_20() {
    let mut e = plant();
    set(&mut e, &[("fbe_11_grid_power_cost", Int(200))]);
    assert_eq!(firings(&e, "R_08"), 4);
    assert_eq!(get(&e, "fbe_11_v2g_battery_lvl"), Int(20));
    assert_eq!(get(&e, "fbe_07_glycol_jacket_st"), sym("off"));
}

#[test]
fn r04_fires_once_per_rising_edge() {
    let mut e = plant();
    set(&mut e, &[("fbe_01_motor_rpm", Int(1200))]);
    set(&mut e, &[("fbe_01_vibration_level", Int(96))]);
    assert_eq!(firings(&e, "R_04"), 1);
    assert_eq!(get(&e, "fbe_01_motor_rpm"), Int(900));
    assert_eq!(get(&e, "fbe_01_feed_valve_state"), sym("closed"));
    set(&mut e, &[("fbe_01_motor_temp", Float(75.0))]);
    assert_eq!(firings(&e, "R_04"), 1, "still in alarm: no new edge");
    set(
        &mut e,
        &[
            ("fbe_01_vibration_level", Int(10)),
            ("fbe_01_motor_temp", Float(50.0)),
        ],
    );
    set(&mut e, &[("fbe_01_vibration_level", Int(85))]);
    assert_eq!(firings(&e, "R_04"), 2);
    assert_eq!(get(&e, "fbe_01_motor_rpm"), Int(600));
}

#[test]
fn r11_fires_twice_and_sends_the_robot_back() {
    let mut e = plant();
    set(
        &mut e,
        &[
            ("fbe_10_robot_1_status", sym("in_transit")),
            ("fbe_10_robot_1_battery", Int(15)),
        ],
    );
    assert_eq!(firings(&e, "R_11"), 2);
    assert_eq!(
        get(&e, "fbe_10_robot_1_status"),
        sym("returning_to_station")
    );
}

#[test]
fn r09_and_r10_disable_themselves() {
    let mut e = plant();
    set(
        &mut e,
        &[
            ("fbe_03_pump_speed", Float(20.0)),
            ("fbe_02_mash_temp", Float(60.0)),
        ],
    );
    assert_eq!(firings(&e, "R_09"), 1);
    assert_eq!(get(&e, "fbe_03_pump_speed"), Float(0.0));
    set(&mut e, &[("fbe_04_boil_temp", Float(100.0))]);
    assert_eq!(firings(&e, "R_10"), 1);
    assert_eq!(get(&e, "fbe_05_glycol_valve_pos"), Int(10));
    set(&mut e, &[("fbe_04_boil_temp", Float(101.0))]);
    assert_eq!(firings(&e, "R_10"), 1, "the valve is open now");
}

#[test]
fn r12_sheds_30_kw_and_discharges_the_buffer() {
    let mut e = plant();
    set(&mut e, &[("fbe_11_main_load_draw", Int(70))]);
    set(&mut e, &[("fbe_11_grid_fault_detec", Bool(true))]);
    assert_eq!(firings(&e, "R_12"), 1);
    assert_eq!(get(&e, "fbe_11_main_load_draw"), Int(40));
    assert_eq!(get(&e, "fbe_11_v2g_battery_lvl"), Int(65));
    assert_eq!(
        &*e.notes()[0].text,
        "Island mode: the plant runs on its own generation and buffer."
    );
}

#[test]
fn r06_cuts_the_steam_until_it_reaches_zero_while_foam_is_high() {
    let mut e = plant();
    set(
        &mut e,
        &[
            ("fbe_04_steam_pressure", Float(2.0)),
            ("fbe_04_hop_doser_state", sym("dosing")),
        ],
    );
    set(&mut e, &[("fbe_04_foam_level", Int(90))]);
    assert_eq!(get(&e, "fbe_04_steam_pressure"), Float(0.0));
    assert_eq!(get(&e, "fbe_04_hop_doser_state"), sym("idle"));
    assert_eq!(
        firings(&e, "R_06"),
        5,
        "2.0 → 1.5 → 1.0 → 0.5 → 0.0, then a no-op"
    );
}

#[test]
fn the_reference_coverage_scenario_ends_in_the_listed_states() {
    let mut e = plant();
    // The reference's scripted steps.
    set(
        &mut e,
        &[
            ("fbe_03_wort_clarity", Float(15.0)),
            ("fbe_03_pump_speed", Float(60.0)),
        ],
    );
    set(&mut e, &[("fbe_03_diff_pressure", Float(152.0))]);
    set(&mut e, &[("fbe_08_capper_jam_sens", Bool(true))]);
    set(
        &mut e,
        &[
            ("fbe_09_cip_pump_state", sym("on")),
            ("fbe_11_grid_power_cost", Int(180)),
        ],
    );
    // Then each remaining rule in turn.
    set(
        &mut e,
        &[
            ("fbe_01_motor_rpm", Int(1200)),
            ("fbe_01_vibration_level", Int(96)),
        ],
    );
    set(&mut e, &[("fbe_02_mash_temp", Float(55.0))]);
    set(
        &mut e,
        &[
            ("fbe_04_hop_doser_state", sym("dosing")),
            ("fbe_04_foam_level", Int(90)),
        ],
    );
    set(
        &mut e,
        &[
            ("fbe_05_wort_in_temp", Float(90.0)),
            ("fbe_05_wort_out_temp", Float(30.0)),
            ("fbe_05_glycol_valve_pos", Int(0)),
        ],
    );
    set(
        &mut e,
        &[
            ("fbe_07_internal_temp", Float(18.0)),
            ("fbe_11_grid_power_cost", Int(200)),
            ("fbe_11_v2g_battery_lvl", Int(80)),
        ],
    );
    set(
        &mut e,
        &[
            ("fbe_03_pump_speed", Float(20.0)),
            ("fbe_02_mash_temp", Float(60.0)),
        ],
    );
    set(
        &mut e,
        &[
            ("fbe_04_boil_temp", Float(100.0)),
            ("fbe_05_glycol_valve_pos", Int(0)),
        ],
    );
    set(
        &mut e,
        &[
            ("fbe_10_robot_1_status", sym("in_transit")),
            ("fbe_10_robot_1_battery", Int(10)),
        ],
    );
    set(
        &mut e,
        &[
            ("fbe_11_main_load_draw", Int(70)),
            ("fbe_11_grid_fault_detec", Bool(true)),
        ],
    );

    assert_eq!(get(&e, "fbe_01_feed_valve_state"), sym("closed"));
    assert_eq!(get(&e, "fbe_02_agitator_status"), sym("on"));
    assert!([Int(50), Int(100)].contains(&get(&e, "fbe_02_water_flow_rate")));
    assert_eq!(get(&e, "fbe_03_pump_speed"), Float(0.0));
    assert_eq!(get(&e, "fbe_04_hop_doser_state"), sym("idle"));
    assert_eq!(get(&e, "fbe_06_glycol_jacket_st"), sym("off"));
    assert_eq!(get(&e, "fbe_07_glycol_jacket_st"), sym("off"));
    assert_eq!(get(&e, "fbe_08_conveyor_speed"), Int(0));
    let status = get(&e, "fbe_10_robot_1_status");
    assert!(
        [sym("rerouting"), sym("returning_to_station")].contains(&status),
        "{status}"
    );
    assert!(get(&e, "fbe_11_main_load_draw").as_i64().unwrap() <= 70);
    assert!(e.totals().fact_notifications > 0);
    for r in 1..=12 {
        let id = format!("R_{r:02}");
        let expected = if id == "R_01" { 0 } else { 1 };
        assert!(firings(&e, &id) >= expected, "{id} did not fire");
    }
    assert_eq!(
        firings(&e, "R_01"),
        0,
        "as in the reference, R_09 stops the pump first"
    );
}
