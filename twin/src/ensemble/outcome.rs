//! What one seeded run ends with, reduced to the few integers an ensemble compares.

use pon_core::{RuleId, Value};
use serde::{Deserialize, Serialize};

use crate::catalog::{CAPPER_JAM, CONVEYOR_SPEED, POWER_COST, STOP_SENSOR, V2G_LEVEL};
use crate::models::grid::PEAK_COST;
use crate::oee::OeeBreakdown;
use crate::plant::{Scenario, Twin, TwinConfig};
use crate::rules::RULES;

/// Number of rules in the plant's rule set, and so the length of every per-rule array.
pub const RULE_COUNT: usize = RULES.len();

/// Availability, performance, quality and OEE in basis points (hundredths of a percent).
///
/// Integers rather than floats so that an outcome read back from JSON is bit-identical to the
/// one written, whatever the JSON parser does with decimals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorsBp {
    /// Availability.
    pub availability: u64,
    /// Performance.
    pub performance: u64,
    /// Quality.
    pub quality: u64,
    /// A × P × Q, rounded from the exact product (not from the rounded factors).
    pub oee: u64,
}

impl FactorsBp {
    /// The breakdown's fractions, each rounded to the nearest basis point the way
    /// [`OeeBreakdown::percent`] rounds them, so an outcome and a run summary agree.
    pub fn from_breakdown(oee: OeeBreakdown) -> FactorsBp {
        let bp = |x: f64| (x.clamp(0.0, 1.0) * 100.0 * 100.0).round() as u64;
        FactorsBp {
            availability: bp(oee.availability),
            performance: bp(oee.performance),
            quality: bp(oee.quality),
            oee: bp(oee.oee),
        }
    }
}

/// The outcome of one run of a scenario's default configuration, identified by its seed.
///
/// Opening the console at the same scenario and seed and running the same number of ticks
/// reproduces the run exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOutcome {
    /// Seed of the run.
    pub seed: u64,
    /// OEE rated from the final state.
    pub oee: FactorsBp,
    /// Time-based OEE of the final shift.
    pub shift_oee: FactorsBp,
    /// Firings of each rule, in rule order (`R_01` first).
    pub firings: [u64; RULE_COUNT],
    /// Anomalies flagged over all facts.
    pub anomalies: u64,
    /// Plant minutes of ticks that ended with the power cost above the peak threshold.
    pub peak_tariff_minutes: u64,
    /// Lowest V2G battery level seen, the initial level included, in percent.
    pub lowest_v2g_pct: u64,
    /// Plant minutes of ticks that ended with the packaging line down: conveyor at 0 %, the
    /// stop sensor tripped or the capper jammed.
    pub packaging_downtime_minutes: u64,
}

impl RunOutcome {
    /// Whether the rule (by index, `R_01` is 0) fired at least once in the run.
    pub fn fired(&self, rule: usize) -> bool {
        self.firings[rule] > 0
    }

    /// The indices of the rules that fired at least once, in rule order.
    pub fn fired_rules(&self) -> impl Iterator<Item = usize> + '_ {
        (0..RULE_COUNT).filter(|&r| self.fired(r))
    }
}

fn int(values: &[Value], fact: pon_core::FactId) -> i64 {
    values[fact.index()].as_i64().unwrap_or(0)
}

fn packaging_down(values: &[Value]) -> bool {
    int(values, CONVEYOR_SPEED) == 0
        || values[STOP_SENSOR.index()] == Value::Bool(true)
        || values[CAPPER_JAM.index()] == Value::Bool(true)
}

/// Runs `scenario` in its default configuration for `seed` and up to `ticks` ticks (the
/// scripted brew day ends after its last step whatever `ticks` asks), and reduces the run to
/// its outcome. The twin itself behaves as in any other run: the outcome only reads its state
/// after each tick.
pub fn run_outcome(scenario: Scenario, seed: u64, ticks: u64) -> RunOutcome {
    let mut twin = Twin::new(TwinConfig::new(scenario, seed));
    let minutes_per_tick = twin.config().minutes_per_tick.max(1);

    let mut lowest_v2g = int(twin.values(), V2G_LEVEL);
    let mut peak_tariff_minutes = 0;
    let mut packaging_downtime_minutes = 0;
    for _ in 0..ticks {
        if twin.finished() {
            break;
        }
        twin.step();
        let values = twin.values();
        lowest_v2g = lowest_v2g.min(int(values, V2G_LEVEL));
        if int(values, POWER_COST) > PEAK_COST {
            peak_tariff_minutes += minutes_per_tick;
        }
        if packaging_down(values) {
            packaging_downtime_minutes += minutes_per_tick;
        }
    }

    let mut firings = [0; RULE_COUNT];
    for (r, count) in firings.iter_mut().enumerate() {
        *count = twin.firings(RuleId(r as u32));
    }
    RunOutcome {
        seed,
        oee: FactorsBp::from_breakdown(twin.oee()),
        shift_oee: FactorsBp::from_breakdown(twin.shift_oee()),
        firings,
        anomalies: twin.anomaly_counts().iter().sum(),
        peak_tariff_minutes,
        lowest_v2g_pct: lowest_v2g.max(0) as u64,
        packaging_downtime_minutes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::summarize;

    #[test]
    fn an_outcome_agrees_with_the_summary_of_the_same_run() {
        let outcome = run_outcome(Scenario::MonteCarlo, 42, 300);
        let mut twin = Twin::new(TwinConfig::new(Scenario::MonteCarlo, 42));
        twin.run(300);
        let summary = summarize(&twin);

        let firings: Vec<u64> = summary.firings.values().copied().collect();
        assert_eq!(outcome.firings.to_vec(), firings);
        assert_eq!(outcome.anomalies, summary.anomalies.values().sum::<u64>());
        assert_eq!(outcome.oee.oee as f64 / 100.0, summary.oee.oee);
        assert_eq!(
            outcome.shift_oee.availability as f64 / 100.0,
            summary.oee_shift.availability
        );
        assert!(outcome.peak_tariff_minutes <= 300 * 6);
        assert_eq!(outcome.peak_tariff_minutes % 6, 0);
        assert!(outcome.lowest_v2g_pct <= 80);
    }

    #[test]
    fn a_run_of_no_ticks_keeps_the_initial_state() {
        let outcome = run_outcome(Scenario::MonteCarlo, 1, 0);
        assert_eq!(outcome.firings.iter().sum::<u64>(), 0);
        assert_eq!(outcome.lowest_v2g_pct, 80);
        assert_eq!(outcome.peak_tariff_minutes, 0);
        assert_eq!(outcome.packaging_downtime_minutes, 0);
    }

    #[test]
    fn a_scripted_outcome_is_that_of_the_brew_day_and_stops_at_its_end() {
        let mut twin = Twin::new(TwinConfig::new(Scenario::Scripted, 9));
        twin.run(u64::MAX);
        let summary = summarize(&twin);
        let outcome = run_outcome(Scenario::Scripted, 9, twin.scripted_ticks());
        assert_eq!(run_outcome(Scenario::Scripted, 9, 100_000), outcome);

        let firings: Vec<u64> = summary.firings.values().copied().collect();
        assert_eq!(outcome.firings.to_vec(), firings);
        assert!(
            outcome.fired_rules().count() == RULE_COUNT,
            "the day fires every rule"
        );
        assert_eq!(outcome.oee.oee as f64 / 100.0, summary.oee.oee);
        assert_ne!(outcome, run_outcome(Scenario::MonteCarlo, 9, 240));
    }

    #[test]
    fn basis_points_round_each_fraction() {
        let factors = FactorsBp::from_breakdown(OeeBreakdown {
            availability: 0.85,
            performance: 0.65,
            quality: 0.754_96,
            oee: 0.85 * 0.65 * 0.754_96,
        });
        assert_eq!(
            factors,
            FactorsBp {
                availability: 8500,
                performance: 6500,
                quality: 7550,
                oee: 4171,
            }
        );
    }
}
