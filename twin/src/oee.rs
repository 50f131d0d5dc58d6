//! Overall equipment effectiveness: Availability × Performance × Quality.
//!
//! Two modes. The *state* mode rates the plant's whole current state at every tick (the
//! reference's formula, applied to every fact rather than to whichever facts changed). The
//! *time-based* (Nakajima) mode accumulates planned time, run time and pieces over an 8-hour
//! shift.

use pon_core::Value;
use serde::Serialize;

use crate::catalog::{
    CAPPER_JAM, COLLISION, CONVEYOR_SPEED, GRID_FAULT, LEVEL_DETECT, MOTOR_RPM, WORT_CLARITY,
};

/// The three factors and their product, each a fraction in `[0, 1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct OeeBreakdown {
    /// Availability.
    pub availability: f64,
    /// Performance.
    pub performance: f64,
    /// Quality.
    pub quality: f64,
    /// A × P × Q.
    pub oee: f64,
}

impl OeeBreakdown {
    fn of(availability: f64, performance: f64, quality: f64) -> OeeBreakdown {
        OeeBreakdown {
            availability,
            performance,
            quality,
            oee: availability * performance * quality,
        }
    }

    /// The same figures as percentages rounded to two decimals, for display and reports.
    pub fn percent(&self) -> OeeBreakdown {
        let pct = |x: f64| crate::random::round_to(x * 100.0, 2);
        OeeBreakdown {
            availability: pct(self.availability),
            performance: pct(self.performance),
            quality: pct(self.quality),
            oee: pct(self.oee),
        }
    }
}

/// Which OEE the twin reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OeeMode {
    /// Rated from the current state at every tick.
    #[default]
    State,
    /// Accumulated over the shift (Nakajima).
    TimeBased,
}

/// Availability when a stop condition holds (grid fault, capper jam, robot collision).
const AVAILABILITY_DURING_STOP: f64 = 0.85;
/// Mill speed that counts as full performance.
const RATED_MILL_RPM: f64 = 3000.0;
/// Clarity that counts as full quality.
const RATED_CLARITY_PCT: f64 = 80.0;
/// Quality factor of a failed fill-level check.
const LEVEL_FAIL_QUALITY: f64 = 0.9;

fn flag(values: &[Value], fact: pon_core::FactId) -> bool {
    values[fact.index()] == Value::Bool(true)
}

fn number(values: &[Value], fact: pon_core::FactId) -> f64 {
    values[fact.index()].as_f64().unwrap_or(0.0)
}

/// Whether a stop condition holds.
pub fn stopped(values: &[Value]) -> bool {
    flag(values, GRID_FAULT) || flag(values, CAPPER_JAM) || flag(values, COLLISION)
}

/// Quality factor of the current state.
pub fn state_quality(values: &[Value]) -> f64 {
    let clarity = (number(values, WORT_CLARITY) / RATED_CLARITY_PCT).clamp(0.0, 1.0);
    let level = if values[LEVEL_DETECT.index()].as_symbol() == Some("ok") {
        1.0
    } else {
        LEVEL_FAIL_QUALITY
    };
    (clarity + level) / 2.0
}

/// OEE of the current state.
pub fn from_state(values: &[Value]) -> OeeBreakdown {
    let availability = if stopped(values) {
        AVAILABILITY_DURING_STOP
    } else {
        1.0
    };
    let mill = (number(values, MOTOR_RPM) / RATED_MILL_RPM).clamp(0.0, 1.0);
    let line = (number(values, CONVEYOR_SPEED) / 100.0).clamp(0.0, 1.0);
    OeeBreakdown::of(availability, (mill + line) / 2.0, state_quality(values))
}

/// Length of a shift, after which the time-based counters start over.
pub const SHIFT_SECONDS: f64 = 8.0 * 3600.0;
/// Ideal time per bottle at full conveyor speed.
pub const IDEAL_CYCLE_SECONDS: f64 = 3.0;

/// Time-based OEE over the current shift.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShiftOee {
    planned_s: f64,
    run_s: f64,
    pieces: f64,
    good: f64,
}

impl ShiftOee {
    /// Accounts for `seconds` of plant time in the given state and returns the shift's OEE.
    pub fn record(&mut self, seconds: f64, values: &[Value]) -> OeeBreakdown {
        if self.planned_s >= SHIFT_SECONDS {
            *self = ShiftOee::default();
        }
        self.planned_s += seconds;
        // The line runs while its conveyor moves and the capper is clear; a grid fault alone
        // does not stop it (the plant goes to island mode).
        let speed = (number(values, CONVEYOR_SPEED) / 100.0).clamp(0.0, 1.0);
        if !flag(values, CAPPER_JAM) && speed > 0.0 {
            self.run_s += seconds;
            let pieces = (seconds / IDEAL_CYCLE_SECONDS * speed).floor();
            self.pieces += pieces;
            self.good += (pieces * state_quality(values)).round();
        }
        self.breakdown()
    }

    /// The shift's OEE so far.
    pub fn breakdown(&self) -> OeeBreakdown {
        let availability = if self.planned_s > 0.0 {
            self.run_s / self.planned_s
        } else {
            0.0
        };
        let performance = if self.run_s > 0.0 {
            (IDEAL_CYCLE_SECONDS * self.pieces / self.run_s).min(1.0)
        } else {
            0.0
        };
        let quality = if self.pieces > 0.0 {
            (self.good / self.pieces).min(1.0)
        } else {
            1.0
        };
        OeeBreakdown::of(availability, performance, quality)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::rule_set;
    use pon_core::Engine;

    fn state(edits: &[(pon_core::FactId, Value)]) -> Vec<Value> {
        let engine = Engine::new(rule_set().compile().unwrap());
        let mut values = engine.values().to_vec();
        for (fact, value) in edits {
            values[fact.index()] = value.clone();
        }
        values
    }

    #[test]
    fn state_oee_of_a_hand_computed_case() {
        let values = state(&[
            (MOTOR_RPM, Value::Int(1500)),
            (CONVEYOR_SPEED, Value::Int(80)),
            (WORT_CLARITY, Value::Float(40.0)),
        ]);
        let oee = from_state(&values);
        assert_eq!(
            (oee.availability, oee.performance, oee.quality),
            (1.0, 0.65, 0.75)
        );
        assert!((oee.oee - 0.4875).abs() < 1e-15);
        assert_eq!(oee.percent().oee, 48.75);
    }

    #[test]
    fn a_stop_and_a_failed_fill_check_lower_availability_and_quality() {
        let values = state(&[
            (CAPPER_JAM, Value::Bool(true)),
            (LEVEL_DETECT, Value::symbol("fail")),
            (WORT_CLARITY, Value::Float(80.0)),
            (MOTOR_RPM, Value::Int(3000)),
            (CONVEYOR_SPEED, Value::Int(100)),
        ]);
        let oee = from_state(&values);
        assert_eq!(oee.availability, 0.85);
        assert_eq!(oee.performance, 1.0);
        assert_eq!(oee.quality, 0.95);
        assert_eq!(oee.percent().oee, 80.75);
    }

    #[test]
    fn time_based_oee_of_a_hand_computed_shift() {
        let running = state(&[
            (CONVEYOR_SPEED, Value::Int(50)),
            (WORT_CLARITY, Value::Float(80.0)),
        ]);
        let jammed = state(&[
            (CONVEYOR_SPEED, Value::Int(50)),
            (CAPPER_JAM, Value::Bool(true)),
        ]);
        let mut shift = ShiftOee::default();
        shift.record(360.0, &running);
        shift.record(360.0, &running);
        shift.record(360.0, &running);
        let oee = shift.record(360.0, &jammed);
        // 3 × 360 s run out of 4 × 360 s planned; 60 bottles per tick at half speed.
        assert_eq!(oee.availability, 0.75);
        assert_eq!(oee.performance, 0.5);
        assert_eq!(oee.quality, 1.0);
        assert_eq!(oee.oee, 0.375);
    }
}
