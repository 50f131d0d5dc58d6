//! The run summary printed by the command-line runner and compared across builds: final facts,
//! firings per rule, OEE, anomalies, and a hash of the final state.

use std::collections::BTreeMap;

use pon_core::{RuleId, Value};
use serde::Serialize;

use crate::catalog::FACTS;
use crate::oee::OeeBreakdown;
use crate::plant::{Scenario, Twin};
use crate::rules::RULES;

/// Engine counters over the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EngineTotals {
    /// Fact changes notified.
    pub notifications: u64,
    /// Writes that changed nothing.
    pub noop_writes: u64,
    /// Premise evaluations.
    pub premise_evaluations: u64,
    /// Rule evaluations.
    pub rule_evaluations: u64,
    /// Waves propagated.
    pub waves: u64,
    /// Fact changes notified per tick.
    pub notifications_per_tick: f64,
}

/// What a run ended with.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario.
    pub scenario: Scenario,
    /// Seed.
    pub seed: u64,
    /// Ticks run.
    pub ticks: u64,
    /// Plant minutes run.
    pub simulated_minutes: u64,
    /// Final value of every fact.
    pub facts: BTreeMap<&'static str, Value>,
    /// Firings per rule.
    pub firings: BTreeMap<&'static str, u64>,
    /// Final OEE in the configured mode (by default rated from the final state), in percent.
    pub oee: OeeBreakdown,
    /// Time-based OEE of the final shift, in percent.
    pub oee_shift: OeeBreakdown,
    /// Anomalies per fact (facts without anomalies are left out).
    pub anomalies: BTreeMap<&'static str, u64>,
    /// Engine counters.
    pub engine: EngineTotals,
    /// Hash of the final state (see [`state_hash`]).
    pub state_hash: String,
}

/// FNV-1a, 64 bits.
struct Fnv(u64);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

fn hash_value(h: &mut Fnv, value: &Value) {
    match value {
        Value::Bool(b) => h.write(&[1, u8::from(*b)]),
        Value::Int(i) => {
            h.write(&[2]);
            h.write(&i.to_le_bytes());
        }
        Value::Float(x) => {
            h.write(&[3]);
            h.write(&x.to_bits().to_le_bytes());
        }
        Value::Symbol(s) => hash_name(h, s.name()),
        Value::Text(s) => hash_name(h, s),
        Value::Tuple(items) => {
            h.write(&[5, items.len() as u8]);
            for item in items.iter() {
                hash_value(h, item);
            }
        }
    }
}

/// Symbols and text hash alike: by their characters.
fn hash_name(h: &mut Fnv, name: &str) {
    h.write(&[4]);
    h.write(name.as_bytes());
    h.write(&[0]);
}

/// A hash of the twin's observable state: tick, plant minute, every fact's exact value and
/// every rule's firing count. Equal hashes mean bit-identical runs.
pub fn state_hash(twin: &Twin) -> String {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    h.write(&twin.tick().to_le_bytes());
    h.write(&twin.minute().to_le_bytes());
    for (info, value) in FACTS.iter().zip(twin.values()) {
        h.write(info.name.as_bytes());
        hash_value(&mut h, value);
    }
    for r in 0..RULES.len() {
        h.write(&twin.firings(RuleId(r as u32)).to_le_bytes());
    }
    format!("{:016x}", h.0)
}

/// The summary of the twin's run so far.
pub fn summarize(twin: &Twin) -> Summary {
    let totals = twin.engine().totals();
    let ticks = twin.tick();
    Summary {
        scenario: twin.config().scenario,
        seed: twin.config().seed,
        ticks,
        simulated_minutes: twin.minute(),
        facts: FACTS
            .iter()
            .zip(twin.values())
            .map(|(f, v)| (f.name, v.clone()))
            .collect(),
        firings: RULES
            .iter()
            .enumerate()
            .map(|(r, info)| (info.id, twin.firings(RuleId(r as u32))))
            .collect(),
        oee: twin.oee().percent(),
        oee_shift: twin.shift_oee().percent(),
        anomalies: FACTS
            .iter()
            .zip(twin.anomaly_counts())
            .filter(|(_, n)| **n > 0)
            .map(|(f, n)| (f.name, *n))
            .collect(),
        engine: EngineTotals {
            notifications: totals.fact_notifications,
            noop_writes: totals.noop_writes,
            premise_evaluations: totals.premise_evaluations,
            rule_evaluations: totals.rule_evaluations,
            waves: totals.waves,
            notifications_per_tick: if ticks > 0 {
                crate::random::round_to(totals.fact_notifications as f64 / ticks as f64, 3)
            } else {
                0.0
            },
        },
        state_hash: state_hash(twin),
    }
}
