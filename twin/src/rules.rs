//! The twelve control rules R_01 … R_12 and the rule set that holds them with the 58 facts.
//!
//! Thresholds and actions are those of the plant's original control logic. Every method is a
//! data step, so the whole rule set can be saved as JSON, edited and loaded back.

use pon_core::spec::{all, any, fact, FactSpec, FbeSpec, RuleSpec, Step};
use pon_core::{Literal, RuleSetSpec, ValueType};

use crate::catalog::{FactKind, FACTS, FBES};

/// Display data of a rule: which FBEs it watches and acts on, and how it works.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RuleInfo {
    /// `R_01` … `R_12`.
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// What it watches, when it fires and what it does.
    pub explanation: &'static str,
    /// FBEs (indices into [`FBES`]) whose facts its premises read.
    pub watches: &'static [usize],
    /// FBEs whose facts its methods write.
    pub acts_on: &'static [usize],
}

/// The twelve rules, in id order.
pub const RULES: [RuleInfo; 12] = [
    RuleInfo {
        id: "R_01",
        title: "Lauter optimisation",
        explanation: "Watches the lauter bed's pressure drop, the wort clarity and the pump \
            speed. When the bed compacts (pressure drop above 150 mbar) while the wort is \
            cloudy (clarity below 20 %) and the pump runs above 50 %, it slows the pump by 10 \
            points and lowers the rake by 5 points. It keeps firing while all three hold, so \
            from 80 % the pump steps down to 50 %.",
        watches: &[2],
        acts_on: &[2],
    },
    RuleInfo {
        id: "R_02",
        title: "Packaging interlock",
        explanation: "Watches the capper jam sensor, the fill-level check and the robot's \
            collision alert. When any of them trips it halts the conveyor and makes the robot \
            recalculate its route.",
        watches: &[7, 9],
        acts_on: &[7, 9],
    },
    RuleInfo {
        id: "R_03",
        title: "Peak-tariff load balancing (fermenter A)",
        explanation: "Watches fermenter A's temperature, the CIP pump and the tariff. When the \
            fermenter is below 19 °C while the CIP skid runs at a tariff above 150, it pauses \
            the fermenter's glycol chilling and discharges the V2G buffer by 15 points.",
        watches: &[5, 8, 10],
        acts_on: &[5, 10],
    },
    RuleInfo {
        id: "R_04",
        title: "Mill protection (ISO 10816-3)",
        explanation: "Watches the mill's vibration, motor temperature, hopper level and motor \
            speed. On vibration above 80 mm/s, a motor above 70 °C, or a hopper below 15 % \
            while the motor turns, it slows the motor by 300 rpm, and above 95 mm/s it also \
            closes the feed valve. It fires once per alarm (edge-triggered).",
        watches: &[0],
        acts_on: &[0],
    },
    RuleInfo {
        id: "R_05",
        title: "Mash control",
        explanation: "Watches the mash temperature, pH, level and agitator. When the mash \
            leaves 60–72 °C or pH 5.0–5.8, or the tun is above 90 % with the agitator off, it \
            starts the agitator and sets the water flow to 50 L/min.",
        watches: &[1],
        acts_on: &[1],
    },
    RuleInfo {
        id: "R_06",
        title: "Kettle safety (NR-13)",
        explanation: "Watches the foam level, steam pressure, boil temperature and hop doser. \
            On foam above 85 %, steam above 4 bar, or a boil above 103 °C while dosing, it \
            pauses the hop doser and lowers the steam pressure by 0.5 bar, again and again \
            while the alarm holds.",
        watches: &[3],
        acts_on: &[3],
    },
    RuleInfo {
        id: "R_07",
        title: "Heat exchanger optimisation (LMTD)",
        explanation: "Watches the wort inlet and outlet temperatures and the glycol valve. \
            While hot wort (above 80 °C) leaves the exchanger above 20 °C and the valve is \
            below 90 %, it opens the valve by 10 points, step by step up to 90 %.",
        watches: &[4],
        acts_on: &[4],
    },
    RuleInfo {
        id: "R_08",
        title: "Peak-tariff load balancing (fermenter B)",
        explanation: "Watches fermenter B's temperature, the tariff and the V2G buffer. When the \
            fermenter is below 19 °C at a tariff above 150 and the buffer holds more than \
            20 %, it pauses the fermenter's chilling and discharges the buffer by 15 points, \
            down to its 20 % floor.",
        watches: &[6, 10],
        acts_on: &[6, 10],
    },
    RuleInfo {
        id: "R_09",
        title: "Mash-to-lauter interlock (ISA-88)",
        explanation: "Watches the mash temperature, the mash tun level and the lauter pump. \
            When the pump runs while the mash is below 65 °C or the tun below 50 %, it stops \
            the pump.",
        watches: &[1, 2],
        acts_on: &[2],
    },
    RuleInfo {
        id: "R_10",
        title: "Boil-to-exchanger interlock",
        explanation: "Watches the boil temperature and the glycol valve. When the kettle is \
            above 95 °C with the exchanger's glycol valve shut, it opens the valve by 10 \
            points.",
        watches: &[3, 4],
        acts_on: &[4],
    },
    RuleInfo {
        id: "R_11",
        title: "AMR battery management",
        explanation: "Watches the robot's battery and status. When the battery is below 20 % \
            and the robot is not idle, it sends the robot back to its charging station.",
        watches: &[9],
        acts_on: &[9],
    },
    RuleInfo {
        id: "R_12",
        title: "Grid resilience",
        explanation: "Watches the grid fault relay. On a fault it switches the plant to island \
            mode, sheds 30 kW of non-critical load and discharges the V2G buffer by 15 points.",
        watches: &[10],
        acts_on: &[10],
    },
];

fn lit(i: i64) -> Option<Literal> {
    Some(Literal::Int(i))
}

fn float(x: f64) -> Option<Literal> {
    Some(Literal::Float(x))
}

/// The plant's rule set: the 58 facts, the 11 FBEs with their methods, and the 12 rules.
pub fn rule_set() -> RuleSetSpec {
    let mut spec = RuleSetSpec::new();
    for f in &FACTS {
        let fact = match f.kind {
            FactKind::Int { initial, .. } => FactSpec::int(f.name, initial),
            FactKind::Float { initial, .. } => FactSpec::float(f.name, initial),
            FactKind::Bool { initial } => FactSpec::bool(f.name, initial),
            FactKind::Symbol { domain, initial } => FactSpec::symbol(f.name, domain, initial),
            FactKind::Pair { initial } => FactSpec::new(f.name, ValueType::Tuple(2), initial),
        };
        spec.fact(fact.unit(f.unit).describe(f.description));
    }

    let discharge = || Step::add("fbe_11_v2g_battery_lvl", -15, lit(20), None);
    let methods: [Vec<(&str, Vec<Step>)>; 11] = [
        vec![(
            "reduce_motor_rpm",
            vec![
                Step::add("fbe_01_motor_rpm", -300, lit(0), None),
                Step::when(
                    fact("fbe_01_vibration_level").gt(95),
                    [
                        Step::set("fbe_01_feed_valve_state", "closed"),
                        Step::note("Feed valve closed: vibration above 95 mm/s."),
                    ],
                ),
            ],
        )],
        vec![
            (
                "start_agitator",
                vec![Step::set("fbe_02_agitator_status", "on")],
            ),
            (
                "set_water_flow",
                vec![Step::set("fbe_02_water_flow_rate", 50)],
            ),
        ],
        vec![
            (
                "reduce_pump",
                vec![Step::add("fbe_03_pump_speed", -10.0, float(0.0), None)],
            ),
            (
                "lower_rake",
                vec![Step::add("fbe_03_rake_height", -5, lit(0), None)],
            ),
            ("stop_pump", vec![Step::set("fbe_03_pump_speed", 0.0)]),
        ],
        vec![
            (
                "pause_hop_doser",
                vec![Step::set("fbe_04_hop_doser_state", "idle")],
            ),
            (
                "reduce_steam_pressure",
                vec![Step::add("fbe_04_steam_pressure", -0.5, float(0.0), None)],
            ),
        ],
        vec![(
            "open_glycol_valve",
            vec![Step::add("fbe_05_glycol_valve_pos", 10, None, lit(100))],
        )],
        vec![(
            "pause_glycol_chilling",
            vec![Step::set("fbe_06_glycol_jacket_st", "off")],
        )],
        vec![(
            "pause_glycol_chilling",
            vec![Step::set("fbe_07_glycol_jacket_st", "off")],
        )],
        vec![("halt_conveyor", vec![Step::set("fbe_08_conveyor_speed", 0)])],
        vec![],
        vec![
            (
                "recalculate_route",
                vec![Step::set("fbe_10_robot_1_status", "rerouting")],
            ),
            (
                "return_to_station",
                vec![Step::set("fbe_10_robot_1_status", "returning_to_station")],
            ),
        ],
        vec![
            (
                "enable_island_mode",
                vec![Step::note(
                    "Island mode: the plant runs on its own generation and buffer.",
                )],
            ),
            (
                "shed_load",
                vec![Step::add("fbe_11_main_load_draw", -30, lit(0), None)],
            ),
            ("discharge_v2g", vec![discharge()]),
        ],
    ];
    for (i, (fbe, methods)) in FBES.iter().zip(methods).enumerate() {
        let mut spec_fbe = FbeSpec::new(fbe.id)
            .describe(fbe.description)
            .facts(FACTS.iter().filter(|f| f.fbe == i).map(|f| f.name));
        for (name, steps) in methods {
            spec_fbe = spec_fbe.method(name, steps);
        }
        spec.fbe(spec_fbe);
    }

    let conditions = [
        all([
            fact("fbe_03_diff_pressure").gt(150),
            fact("fbe_03_wort_clarity").lt(20),
            fact("fbe_03_pump_speed").gt(50),
        ]),
        any([
            fact("fbe_08_capper_jam_sens").eq(true),
            fact("fbe_08_liquid_lvl_detect").eq("fail"),
            fact("fbe_10_collision_alert").eq(true),
        ]),
        all([
            fact("fbe_06_internal_temp").lt(19),
            fact("fbe_09_cip_pump_state").eq("on"),
            fact("fbe_11_grid_power_cost").gt(150),
        ]),
        any([
            fact("fbe_01_vibration_level").gt(80),
            fact("fbe_01_motor_temp").gt(70),
            all([
                fact("fbe_01_hopper_level").lt(15),
                fact("fbe_01_motor_rpm").gt(0),
            ]),
        ]),
        any([
            fact("fbe_02_mash_temp").lt(60),
            fact("fbe_02_mash_temp").gt(72),
            fact("fbe_02_ph_level").lt(5.0),
            fact("fbe_02_ph_level").gt(5.8),
            all([
                fact("fbe_02_liquid_level").gt(90),
                fact("fbe_02_agitator_status").eq("off"),
            ]),
        ]),
        any([
            fact("fbe_04_foam_level").gt(85),
            fact("fbe_04_steam_pressure").gt(4.0),
            all([
                fact("fbe_04_boil_temp").gt(103),
                fact("fbe_04_hop_doser_state").ne("idle"),
            ]),
        ]),
        all([
            fact("fbe_05_wort_out_temp").gt(20),
            fact("fbe_05_wort_in_temp").gt(80),
            fact("fbe_05_glycol_valve_pos").lt(90),
        ]),
        all([
            fact("fbe_07_internal_temp").lt(19),
            fact("fbe_11_grid_power_cost").gt(150),
            fact("fbe_11_v2g_battery_lvl").gt(20),
        ]),
        all([
            fact("fbe_03_pump_speed").gt(0),
            any([
                fact("fbe_02_mash_temp").lt(65),
                fact("fbe_02_liquid_level").lt(50),
            ]),
        ]),
        all([
            fact("fbe_04_boil_temp").gt(95),
            fact("fbe_05_glycol_valve_pos").eq(0),
        ]),
        all([
            fact("fbe_10_robot_1_battery").lt(20),
            fact("fbe_10_robot_1_status").ne("idle"),
        ]),
        all([fact("fbe_11_grid_fault_detec").eq(true)]),
    ];
    let actions: [&[&str]; 12] = [
        &["FBE_03.reduce_pump", "FBE_03.lower_rake"],
        &["FBE_08.halt_conveyor", "FBE_10.recalculate_route"],
        &["FBE_06.pause_glycol_chilling", "FBE_11.discharge_v2g"],
        &["FBE_01.reduce_motor_rpm"],
        &["FBE_02.start_agitator", "FBE_02.set_water_flow"],
        &["FBE_04.pause_hop_doser", "FBE_04.reduce_steam_pressure"],
        &["FBE_05.open_glycol_valve"],
        &["FBE_07.pause_glycol_chilling", "FBE_11.discharge_v2g"],
        &["FBE_03.stop_pump"],
        &["FBE_05.open_glycol_valve"],
        &["FBE_10.return_to_station"],
        &[
            "FBE_11.enable_island_mode",
            "FBE_11.shed_load",
            "FBE_11.discharge_v2g",
        ],
    ];
    for ((info, when), then) in RULES.iter().zip(conditions).zip(actions) {
        let mut rule = RuleSpec::new(info.id, when)
            .describe(info.title, info.explanation)
            .then(then.iter().copied());
        if info.id == "R_04" {
            rule = rule.edge();
        }
        spec.rule(rule);
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use pon_core::program::Operand;

    #[test]
    fn the_rule_set_compiles_with_catalogue_ids() {
        let program = rule_set().compile().unwrap();
        assert_eq!(program.facts.len(), 58);
        assert_eq!(program.rules.len(), 12);
        for (i, f) in catalog::FACTS.iter().enumerate() {
            assert_eq!(program.fact_id(f.name), Some(pon_core::FactId(i as u32)));
        }
    }

    #[test]
    fn the_rule_to_fbe_map_matches_what_rules_read_and_write() {
        let program = rule_set().compile().unwrap();
        for (r, info) in RULES.iter().enumerate() {
            let rule = &program.rules[r];
            let mut read: Vec<usize> = rule
                .reads
                .iter()
                .map(|f| catalog::FACTS[f.index()].fbe)
                .collect();
            read.sort();
            read.dedup();
            assert_eq!(read, info.watches, "{} watches", info.id);
            let mut written: Vec<usize> = rule
                .actions
                .iter()
                .map(|m| program.methods[m.index()].fbe.index())
                .collect();
            written.sort();
            written.dedup();
            assert_eq!(written, info.acts_on, "{} acts on", info.id);
            assert!(rule
                .premises
                .iter()
                .all(|p| { matches!(program.premises[p.index()].operand, Operand::Value(_)) }));
        }
    }

    #[test]
    fn the_rule_set_round_trips_through_json() {
        let spec = rule_set();
        assert_eq!(RuleSetSpec::from_json(&spec.to_json()).unwrap(), spec);
    }
}
