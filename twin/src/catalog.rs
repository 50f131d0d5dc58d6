//! The plant's 58 facts and 11 FBEs: names, types, units, initial values, ranges and
//! descriptions.
//!
//! Fact ids follow the order of [`FACTS`], so the constants below (`MOTOR_RPM` …) are the ids
//! the engine assigns when it compiles the rule set built in [`crate::rules`].

use pon_core::FactId;

/// What kind of value a fact holds, with its domain.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FactKind {
    /// An integer in `min..=max`.
    Int { min: i64, max: i64, initial: i64 },
    /// A float in `min..=max`.
    Float { min: f64, max: f64, initial: f64 },
    /// A flag.
    Bool { initial: bool },
    /// One of the listed symbols.
    Symbol {
        domain: &'static [&'static str],
        initial: &'static str,
    },
    /// A pair of integers (a position on the plant floor).
    Pair { initial: (i64, i64) },
}

/// One fact of the plant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FactInfo {
    /// Name, prefixed by its FBE (`fbe_03_pump_speed`).
    pub name: &'static str,
    /// Index of its FBE in [`FBES`].
    pub fbe: usize,
    /// Type, range and initial value.
    pub kind: FactKind,
    /// Unit, empty for dimensionless facts.
    pub unit: &'static str,
    /// One line saying what it measures or commands.
    pub description: &'static str,
}

/// One piece of equipment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FbeInfo {
    /// `FBE_01` … `FBE_11`.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Production phase it belongs to.
    pub phase: &'static str,
    /// The fact shown on its tile.
    pub key_fact: FactId,
    /// What it is, what it measures, and which rules act on it.
    pub description: &'static str,
}

const ON_OFF: &[&str] = &["on", "off"];

/// Symbols of the fermentation phase.
pub const PHASES: &[&str] = &["lag", "growth", "stationary", "flocculation"];

/// Symbols of the robot's status.
pub const ROBOT_STATUSES: &[&str] = &[
    "idle",
    "in_transit",
    "charging",
    "fault",
    "rerouting",
    "returning_to_station",
];

macro_rules! facts {
    ($($id:ident = $index:literal: $name:literal, $fbe:literal, $kind:expr, $unit:literal, $desc:literal;)*) => {
        $(
            #[doc = concat!("Id of `", $name, "`.")]
            pub const $id: FactId = FactId($index);
        )*

        /// The 58 facts, in id order.
        pub const FACTS: [FactInfo; 58] = [
            $(FactInfo { name: $name, fbe: $fbe, kind: $kind, unit: $unit, description: $desc },)*
        ];
    };
}

use FactKind::{Bool, Float, Int, Pair, Symbol};

facts! {
    MOTOR_RPM = 0: "fbe_01_motor_rpm", 0, Int { min: 0, max: 3000, initial: 0 }, "rpm",
        "Mill motor speed: the grinding load.";
    VIBRATION = 1: "fbe_01_vibration_level", 0, Int { min: 0, max: 100, initial: 0 }, "mm/s",
        "Mill vibration (ISO 10816-3 zones): wear or misalignment.";
    HOPPER_LEVEL = 2: "fbe_01_hopper_level", 0, Int { min: 0, max: 100, initial: 80 }, "%",
        "Malt hopper fill; a low hopper means dry grinding.";
    MOTOR_TEMP = 3: "fbe_01_motor_temp", 0, Float { min: 20.0, max: 80.0, initial: 45.0 }, "°C",
        "Mill motor winding temperature, for thermal protection.";
    FEED_VALVE = 4: "fbe_01_feed_valve_state", 0,
        Symbol { domain: &["open", "closed"], initial: "closed" }, "",
        "Malt feed valve into the rollers.";
    MASH_TEMP = 5: "fbe_02_mash_temp", 1, Float { min: 60.0, max: 75.0, initial: 65.0 }, "°C",
        "Mash temperature; enzymes work between 60 and 72 °C.";
    WATER_FLOW = 6: "fbe_02_water_flow_rate", 1, Int { min: 0, max: 100, initial: 0 }, "L/min",
        "Infusion water flow into the mash tun.";
    AGITATOR = 7: "fbe_02_agitator_status", 1, Symbol { domain: ON_OFF, initial: "off" }, "",
        "Mash agitator motor.";
    MASH_PH = 8: "fbe_02_ph_level", 1, Float { min: 4.5, max: 6.2, initial: 5.2 }, "pH",
        "Mash pH; the working band is 5.0 to 5.8.";
    VISCOSITY = 9: "fbe_02_viscosity", 1, Int { min: 0, max: 50, initial: 0 }, "cP",
        "Apparent mash viscosity, falling as starch converts.";
    MASH_LEVEL = 10: "fbe_02_liquid_level", 1, Int { min: 0, max: 100, initial: 0 }, "%",
        "Mash tun liquid level.";
    DIFF_PRESSURE = 11: "fbe_03_diff_pressure", 2,
        Float { min: 40.0, max: 200.0, initial: 80.0 }, "mbar",
        "Pressure drop across the grain bed: high when the bed compacts.";
    WORT_CLARITY = 12: "fbe_03_wort_clarity", 2, Float { min: 5.0, max: 80.0, initial: 25.0 }, "%",
        "Clarity of the filtered wort (relative).";
    SPARGE_TEMP = 13: "fbe_03_sparge_water_temp", 2,
        Float { min: 70.0, max: 80.0, initial: 75.0 }, "°C",
        "Sparge water temperature; colder water makes the wort more viscous.";
    RAKE_HEIGHT = 14: "fbe_03_rake_height", 2, Int { min: 0, max: 70, initial: 50 }, "%",
        "Height of the rake knives; lowering them loosens the bed.";
    PUMP_SPEED = 15: "fbe_03_pump_speed", 2, Float { min: 0.0, max: 80.0, initial: 40.0 }, "%",
        "Wort recirculation and transfer pump speed.";
    BOIL_TEMP = 16: "fbe_04_boil_temp", 3, Float { min: 0.0, max: 105.0, initial: 0.0 }, "°C",
        "Boil kettle temperature.";
    STEAM_PRESSURE = 17: "fbe_04_steam_pressure", 3, Float { min: 0.0, max: 5.0, initial: 0.0 },
        "bar", "Heating steam pressure (NR-13 limit 4 bar).";
    EVAPORATION = 18: "fbe_04_evaporation_rate", 3, Int { min: 0, max: 20, initial: 0 }, "%/h",
        "Evaporation rate: boil intensity and volume loss.";
    HOP_DOSER = 19: "fbe_04_hop_doser_state", 3,
        Symbol { domain: &["idle", "dosing"], initial: "idle" }, "",
        "Hop doser.";
    FOAM_LEVEL = 20: "fbe_04_foam_level", 3, Int { min: 0, max: 100, initial: 0 }, "%",
        "Foam height in the kettle: risk of boil-over.";
    WORT_IN_TEMP = 21: "fbe_05_wort_in_temp", 4, Float { min: 0.0, max: 100.0, initial: 0.0 },
        "°C", "Hot wort temperature at the heat exchanger inlet.";
    WORT_OUT_TEMP = 22: "fbe_05_wort_out_temp", 4, Float { min: 0.0, max: 25.0, initial: 0.0 },
        "°C", "Cooled wort temperature at the heat exchanger outlet.";
    GLYCOL_VALVE = 23: "fbe_05_glycol_valve_pos", 4, Int { min: 0, max: 100, initial: 0 }, "%",
        "Glycol valve opening of the heat exchanger.";
    WATER_PRESSURE = 24: "fbe_05_water_pressure", 4, Int { min: 0, max: 10, initial: 0 }, "bar",
        "Cooling water circuit pressure.";
    FERM_A_TEMP = 25: "fbe_06_internal_temp", 5, Float { min: 0.0, max: 30.0, initial: 18.0 },
        "°C", "Fermenter A wort temperature (target 18 °C).";
    FERM_A_PRESSURE = 26: "fbe_06_pressure", 5, Int { min: 0, max: 2, initial: 0 }, "bar",
        "Fermenter A head pressure.";
    FERM_A_BRIX = 27: "fbe_06_gravity_brix", 5, Float { min: 0.0, max: 25.0, initial: 14.0 },
        "°Bx", "Fermenter A sugar content (gravity).";
    FERM_A_JACKET = 28: "fbe_06_glycol_jacket_st", 5, Symbol { domain: ON_OFF, initial: "on" },
        "", "Fermenter A glycol jacket chilling.";
    FERM_A_CO2 = 29: "fbe_06_co2_exhaust_flow", 5, Int { min: 0, max: 50, initial: 0 }, "L/min",
        "Fermenter A CO₂ exhaust flow: fermentation activity.";
    FERM_A_PHASE = 30: "fbe_06_ferm_phase", 5, Symbol { domain: PHASES, initial: "lag" }, "",
        "Fermenter A phase: lag, growth, stationary or flocculation.";
    FERM_A_PH = 31: "fbe_06_ph", 5, Float { min: 4.0, max: 5.5, initial: 5.2 }, "pH",
        "Fermenter A pH, falling as the yeast works.";
    FERM_B_TEMP = 32: "fbe_07_internal_temp", 6, Float { min: 0.0, max: 30.0, initial: 18.0 },
        "°C", "Fermenter B wort temperature.";
    FERM_B_PRESSURE = 33: "fbe_07_pressure", 6, Int { min: 0, max: 2, initial: 0 }, "bar",
        "Fermenter B head pressure.";
    FERM_B_BRIX = 34: "fbe_07_gravity_brix", 6, Float { min: 0.0, max: 25.0, initial: 13.5 },
        "°Bx", "Fermenter B sugar content (gravity).";
    FERM_B_JACKET = 35: "fbe_07_glycol_jacket_st", 6, Symbol { domain: ON_OFF, initial: "off" },
        "", "Fermenter B glycol jacket chilling.";
    FERM_B_CO2 = 36: "fbe_07_co2_exhaust_flow", 6, Int { min: 0, max: 50, initial: 0 }, "L/min",
        "Fermenter B CO₂ exhaust flow.";
    FERM_B_PHASE = 37: "fbe_07_ferm_phase", 6, Symbol { domain: PHASES, initial: "lag" }, "",
        "Fermenter B phase.";
    BOTTLE_DETECT = 38: "fbe_08_ir_bottle_detect", 7, Bool { initial: false }, "",
        "Infrared bottle presence sensor.";
    CONVEYOR_SPEED = 39: "fbe_08_conveyor_speed", 7, Int { min: 0, max: 100, initial: 0 }, "%",
        "Bottling conveyor speed.";
    FILL_HEAD = 40: "fbe_08_fill_head_status", 7,
        Symbol { domain: &["idle", "filling"], initial: "idle" }, "",
        "Filler head.";
    LEVEL_DETECT = 41: "fbe_08_liquid_lvl_detect", 7,
        Symbol { domain: &["ok", "fail"], initial: "ok" }, "",
        "Fill-level inspection result.";
    CAPPER_JAM = 42: "fbe_08_capper_jam_sens", 7, Bool { initial: false }, "",
        "Capper jam sensor (a critical stop).";
    STOP_SENSOR = 43: "fbe_08_stop_sensor", 7, Bool { initial: false }, "",
        "Line stop sensor.";
    CAUSTIC_LEVEL = 44: "fbe_09_caustic_tank_lvl", 8, Int { min: 0, max: 100, initial: 80 }, "%",
        "CIP caustic tank level.";
    ACID_LEVEL = 45: "fbe_09_acid_tank_lvl", 8, Int { min: 0, max: 100, initial: 80 }, "%",
        "CIP acid tank level.";
    RETURN_CONDUCTIVITY = 46: "fbe_09_return_conduct", 8, Int { min: 0, max: 100, initial: 0 },
        "mS/cm", "Return-line conductivity: how much detergent comes back.";
    CIP_PUMP = 47: "fbe_09_cip_pump_state", 8, Symbol { domain: ON_OFF, initial: "off" }, "",
        "CIP supply pump.";
    CIP_FLOW = 48: "fbe_09_flow_velocity", 8, Float { min: 0.0, max: 10.0, initial: 0.0 }, "m/s",
        "CIP flow velocity in the circuit.";
    ROBOT_BATTERY = 49: "fbe_10_robot_1_battery", 9, Int { min: 0, max: 100, initial: 100 }, "%",
        "Robot 1 battery charge.";
    ROBOT_LOCATION = 50: "fbe_10_robot_1_location", 9, Pair { initial: (0, 0) }, "m",
        "Robot 1 position on the plant floor (x, y).";
    ROBOT_STATUS = 51: "fbe_10_robot_1_status", 9,
        Symbol { domain: ROBOT_STATUSES, initial: "idle" }, "",
        "Robot 1 status.";
    COLLISION = 52: "fbe_10_collision_alert", 9, Bool { initial: false }, "",
        "Robot collision alert.";
    PAYLOAD = 53: "fbe_10_payload_weight", 9, Int { min: 0, max: 500, initial: 0 }, "kg",
        "Robot payload.";
    POWER_COST = 54: "fbe_11_grid_power_cost", 10, Int { min: 80, max: 250, initial: 100 },
        "cost units", "Grid tariff; above 150 is the evening peak.";
    V2G_LEVEL = 55: "fbe_11_v2g_battery_lvl", 10, Int { min: 0, max: 100, initial: 80 }, "%",
        "Charge of the vehicle-to-grid buffer battery (kept between 20 and 80 %).";
    MAIN_LOAD = 56: "fbe_11_main_load_draw", 10, Int { min: 0, max: 500, initial: 0 }, "kW",
        "Plant main electrical load.";
    GRID_FAULT = 57: "fbe_11_grid_fault_detec", 10, Bool { initial: false }, "",
        "Grid fault detected by the substation relay.";
}

/// The 11 FBEs, in process order.
pub const FBES: [FbeInfo; 11] = [
    FbeInfo {
        id: "FBE_01",
        name: "Malt mill",
        phase: "Milling",
        key_fact: MOTOR_TEMP,
        description: "Roller mill with hopper, feed valve and motor. Its motor speed, vibration, \
            hopper level and motor temperature notify only the rule that watches them (R_04, \
            mill protection), which slows the motor and, on severe vibration, closes the feed \
            valve.",
    },
    FbeInfo {
        id: "FBE_02",
        name: "Mash tun",
        phase: "Brewing",
        key_fact: MASH_TEMP,
        description: "Mash tun with agitator and water inlet. Temperature, pH and level notify \
            R_05 (mash control), which starts the agitator and sets the water flow when the \
            mash leaves its band, and R_09, which stops the lauter pump while the mash is not \
            ready for transfer.",
    },
    FbeInfo {
        id: "FBE_03",
        name: "Lauter tun",
        phase: "Brewing",
        key_fact: DIFF_PRESSURE,
        description: "Lauter tun: the grain bed filters the wort. The bed's pressure drop and \
            the wort clarity follow Darcy's law from the pump speed, rake height and sparge \
            temperature. R_01 slows the pump and lowers the rake when the bed compacts; R_09 \
            stops the pump when the mash tun is not ready.",
    },
    FbeInfo {
        id: "FBE_04",
        name: "Boil kettle",
        phase: "Boiling",
        key_fact: BOIL_TEMP,
        description: "Steam-heated boil kettle with hop doser. R_06 (pressure vessel safety) \
            pauses the hop doser and lowers the steam pressure on foam, over-pressure or \
            overheating while dosing.",
    },
    FbeInfo {
        id: "FBE_05",
        name: "Heat exchanger",
        phase: "Cooling",
        key_fact: WORT_OUT_TEMP,
        description: "Plate heat exchanger cooling the wort with glycol. R_07 opens the glycol \
            valve while the outlet is too warm; R_10 opens it when the kettle boils with the \
            valve shut.",
    },
    FbeInfo {
        id: "FBE_06",
        name: "Fermenter A",
        phase: "Fermentation",
        key_fact: FERM_A_TEMP,
        description: "Conical fermenter: the yeast goes through lag, growth, stationary and \
            flocculation phases, lowering the sugar (Brix) and pH and releasing CO₂ and heat. \
            R_03 pauses its glycol chilling during the evening peak tariff while it is cold \
            enough.",
    },
    FbeInfo {
        id: "FBE_07",
        name: "Fermenter B",
        phase: "Fermentation",
        key_fact: FERM_B_TEMP,
        description: "Second fermenter, a batch behind fermenter A. R_08 pauses its chilling and \
            discharges the V2G buffer during the peak tariff while it is cold enough.",
    },
    FbeInfo {
        id: "FBE_08",
        name: "Bottling line",
        phase: "Packaging",
        key_fact: CONVEYOR_SPEED,
        description: "Conveyor, filler and capper, moving between operation, starvation, \
            blocking, failure and setup. R_02 halts the conveyor and reroutes the robot on a \
            capper jam, a failed fill-level check or a robot collision.",
    },
    FbeInfo {
        id: "FBE_09",
        name: "CIP skid",
        phase: "Cleaning",
        key_fact: CIP_FLOW,
        description: "Clean-in-place skid with caustic and acid tanks and a supply pump that \
            runs during the evening cleaning window (18:00 to 21:00). Its pump state is one of \
            the premises of R_03.",
    },
    FbeInfo {
        id: "FBE_10",
        name: "AMR fleet",
        phase: "Logistics",
        key_fact: ROBOT_BATTERY,
        description: "Autonomous mobile robot moving pallets. Its battery drains while it moves \
            and charges at the station. R_11 sends it back to charge below 20 %; R_02 makes it \
            recalculate its route when the line stops.",
    },
    FbeInfo {
        id: "FBE_11",
        name: "Smart grid",
        phase: "Energy",
        key_fact: POWER_COST,
        description: "Tariff clock, vehicle-to-grid buffer battery, plant load and grid fault \
            relay. R_12 switches to island mode, sheds 30 kW and discharges the buffer on a \
            grid fault; R_03 and R_08 discharge the buffer during the peak tariff.",
    },
];

/// The fact called `name`.
pub fn fact_by_name(name: &str) -> Option<(FactId, &'static FactInfo)> {
    FACTS
        .iter()
        .enumerate()
        .find(|(_, f)| f.name == name)
        .map(|(i, f)| (FactId(i as u32), f))
}

/// The facts of the FBE at `fbe` (an index into [`FBES`]), in id order.
pub fn facts_of(fbe: usize) -> impl Iterator<Item = (FactId, &'static FactInfo)> {
    FACTS
        .iter()
        .enumerate()
        .filter(move |(_, f)| f.fbe == fbe)
        .map(|(i, f)| (FactId(i as u32), f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_58_facts_in_11_fbes_with_the_reference_counts() {
        let counts: Vec<usize> = (0..11).map(|i| facts_of(i).count()).collect();
        assert_eq!(counts, [5, 6, 5, 5, 4, 7, 6, 6, 5, 5, 4]);
        assert_eq!(counts.iter().sum::<usize>(), 58);
    }

    #[test]
    fn names_carry_their_fbe_prefix_and_are_unique() {
        for (i, fact) in FACTS.iter().enumerate() {
            assert!(
                fact.name.starts_with(&format!("fbe_{:02}_", fact.fbe + 1)),
                "{}",
                fact.name
            );
            assert_eq!(fact_by_name(fact.name).unwrap().0, FactId(i as u32));
            assert!(fact.description.len() >= 10);
        }
    }

    #[test]
    fn key_facts_belong_to_their_fbe() {
        for (i, fbe) in FBES.iter().enumerate() {
            assert_eq!(FACTS[fbe.key_fact.index()].fbe, i, "{}", fbe.id);
        }
    }
}
