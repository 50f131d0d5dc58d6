//! The scripted brew day: one plant day from milling to packaging, with operator actions and
//! plant events placed so that every one of the twelve rules fires at a moment the log
//! explains.
//!
//! The process models run through the whole day, so some rules fire from the plant's own
//! behaviour: R_01 when the lauter bed compacts under the pump's flow, R_03 and R_08 when the
//! evening peak tariff begins while the fermenters are cold and the CIP skid cleans.

use pon_core::{FactId, Value};

use crate::catalog::*;

/// Length of the brew day in plant minutes.
pub const DAY_MINUTES: u64 = 24 * 60;

/// A value written by the script.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScriptValue {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A flag.
    Bool(bool),
    /// A symbol.
    Symbol(&'static str),
}

impl ScriptValue {
    /// The engine value.
    pub fn to_value(self) -> Value {
        match self {
            ScriptValue::Int(i) => Value::Int(i),
            ScriptValue::Float(x) => Value::Float(x),
            ScriptValue::Bool(b) => Value::Bool(b),
            ScriptValue::Symbol(s) => Value::symbol(s),
        }
    }
}

/// A plant event the script triggers besides its writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptAction {
    /// Only the writes.
    Writes,
    /// Fermenter A is emptied and filled with the day's wort.
    RefillFermenterA,
    /// The bottling line breaks down (capper jam).
    LineBreakdown,
}

/// One step of the brew day.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptStep {
    /// Plant minute at which it happens.
    pub minute: u64,
    /// What happens, for the log.
    pub message: &'static str,
    /// Facts written, as one batch.
    pub writes: Vec<(FactId, ScriptValue)>,
    /// Plant event.
    pub action: ScriptAction,
}

fn at(hour: u64, minute: u64) -> u64 {
    hour * 60 + minute
}

fn step(minute: u64, message: &'static str, writes: &[(FactId, ScriptValue)]) -> ScriptStep {
    ScriptStep {
        minute,
        message,
        writes: writes.to_vec(),
        action: ScriptAction::Writes,
    }
}

/// The brew day's steps, in time order.
pub fn steps() -> Vec<ScriptStep> {
    use ScriptValue::{Bool, Float, Int, Symbol};
    vec![
        step(
            at(0, 6),
            "Brew day starts. Overnight the lauter pump is stopped and the grain bed rests.",
            &[(PUMP_SPEED, Float(0.0))],
        ),
        step(
            at(5, 0),
            "Milling: the mill motor runs at 1,500 rpm with the hopper at 80 % and the feed \
             valve open.",
            &[
                (MOTOR_RPM, Int(1500)),
                (HOPPER_LEVEL, Int(80)),
                (FEED_VALVE, Symbol("open")),
                (VIBRATION, Int(35)),
            ],
        ),
        step(
            at(5, 30),
            "A worn roller bearing makes the mill vibrate at 96 mm/s: mill protection (R_04) \
             should slow the motor and close the feed valve.",
            &[(VIBRATION, Int(96))],
        ),
        step(
            at(5, 48),
            "Bearing replaced: vibration back to 30 mm/s; milling finishes.",
            &[(VIBRATION, Int(30)), (MOTOR_RPM, Int(0))],
        ),
        step(
            at(6, 0),
            "Mash-in: the tun fills to 95 % at 66 °C before anyone starts the agitator: mash \
             control (R_05) should start it and set the water flow.",
            &[
                (MASH_LEVEL, Int(95)),
                (MASH_TEMP, Float(66.0)),
                (WATER_FLOW, Int(80)),
                (AGITATOR, Symbol("off")),
                (MASH_PH, Float(5.4)),
            ],
        ),
        step(
            at(6, 30),
            "The mash settles at 85 % and 67 °C, inside its band.",
            &[(MASH_LEVEL, Int(85)), (MASH_TEMP, Float(67.0))],
        ),
        step(
            at(7, 30),
            "Lauter: the pump starts at 60 %. The mash is ready (67 °C, 85 %), so the \
             mash-to-lauter interlock (R_09) stays clear. Under this flow the bed will compact \
             until lauter optimisation (R_01) slows the pump.",
            &[(PUMP_SPEED, Float(60.0))],
        ),
        step(
            at(13, 0),
            "The mash tun has drained to 40 % while the pump still runs: the mash-to-lauter \
             interlock (R_09) should stop the pump.",
            &[(MASH_LEVEL, Int(40))],
        ),
        step(
            at(13, 30),
            "The kettle boils at 98 °C while the heat exchanger's glycol valve is shut: the \
             boil-to-exchanger interlock (R_10) should open it.",
            &[
                (BOIL_TEMP, Float(98.0)),
                (STEAM_PRESSURE, Float(3.5)),
                (EVAPORATION, Int(8)),
            ],
        ),
        step(
            at(14, 0),
            "Hop addition: the doser runs and the foam rises to 90 %: kettle safety (R_06) \
             should pause the doser and cut the steam until the foam falls.",
            &[
                (HOP_DOSER, Symbol("dosing")),
                (FOAM_LEVEL, Int(90)),
                (BOIL_TEMP, Float(101.0)),
            ],
        ),
        step(
            at(14, 12),
            "The foam collapses to 40 % and the boil continues at 2 bar.",
            &[(FOAM_LEVEL, Int(40)), (STEAM_PRESSURE, Float(2.0))],
        ),
        step(
            at(15, 0),
            "Knock-out: wort at 92 °C enters the heat exchanger and leaves at 28 °C: exchanger \
             optimisation (R_07) should open the glycol valve step by step to 90 %.",
            &[
                (WORT_IN_TEMP, Float(92.0)),
                (WORT_OUT_TEMP, Float(28.0)),
                (WATER_PRESSURE, Int(4)),
            ],
        ),
        step(
            at(15, 48),
            "The wort now leaves the exchanger at 18 °C; the kettle is empty.",
            &[
                (WORT_OUT_TEMP, Float(18.0)),
                (WORT_IN_TEMP, Float(25.0)),
                (BOIL_TEMP, Float(60.0)),
                (STEAM_PRESSURE, Float(0.0)),
            ],
        ),
        ScriptStep {
            minute: at(16, 0),
            message: "Fermenter A, emptied and cleaned this morning, is filled with the day's \
                      wort at 18 °C and pitched.",
            writes: Vec::new(),
            action: ScriptAction::RefillFermenterA,
        },
        step(
            at(18, 0),
            "The evening peak tariff begins and the CIP skid starts cleaning the brewhouse. \
             Both fermenters are below 19 °C: peak load balancing (R_03 and R_08) should pause \
             their chilling and discharge the V2G buffer.",
            &[],
        ),
        ScriptStep {
            minute: at(19, 0),
            message: "The capper jams on the bottling line: the packaging interlock (R_02) \
                      should halt the conveyor and reroute the robot.",
            writes: Vec::new(),
            action: ScriptAction::LineBreakdown,
        },
        step(
            at(20, 0),
            "Robot 1 carries a pallet with 17 % battery left: battery management (R_11) should \
             send it back to its station.",
            &[
                (ROBOT_BATTERY, Int(17)),
                (ROBOT_STATUS, Symbol("in_transit")),
                (PAYLOAD, Int(320)),
            ],
        ),
        step(
            at(21, 0),
            "The substation relay detects a grid fault with the plant drawing 320 kW: grid \
             resilience (R_12) should switch to island mode and shed load.",
            &[(MAIN_LOAD, Int(320)), (GRID_FAULT, Bool(true))],
        ),
        step(
            at(21, 30),
            "The grid is back; the plant reconnects.",
            &[(GRID_FAULT, Bool(false))],
        ),
    ]
}
