//! The page's side of a Monte Carlo ensemble run in Web Workers, without any web types: how
//! the seeds are split between workers, what the page and a worker say to each other, and how
//! the outcomes are gathered back into seed order.
//!
//! Each worker runs one contiguous block of seeds and posts one message per run; the page
//! builds the [`EnsembleResult`] once every seed has reported, so the statistics are those the
//! command-line runner prints for the same ensemble.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use twin::ensemble::{EnsembleResult, EnsembleSpec, RunOutcome, MAX_RUNS};

use crate::settings::{to_query, RunSettings, Speed, View, MAX_REPLAY_TICKS};

/// Most workers an ensemble starts, whatever the machine reports.
pub const MAX_WORKERS: usize = 8;

/// Fewest runs the panel accepts.
pub const MIN_RUNS: u64 = 10;

/// Ticks per run when the panel opens: one plant day.
pub const DEFAULT_TICKS: u64 = 240;

/// Runs per ensemble when the panel opens.
pub const DEFAULT_RUNS: u64 = 1_000;

/// Seeds listed under a histogram bar at most; the rest are counted.
pub const MAX_LISTED_SEEDS: usize = 200;

/// The workers to start for `hardware_threads` (what the browser reports, 0 when it reports
/// nothing): one per thread, at least 1 and at most [`MAX_WORKERS`].
pub fn worker_count(hardware_threads: usize) -> usize {
    hardware_threads.clamp(1, MAX_WORKERS)
}

/// Splits the seeds of `spec` into at most `workers` contiguous, non-empty blocks in seed
/// order whose sizes differ by at most one.
pub fn seed_blocks(spec: &EnsembleSpec, workers: usize) -> Vec<Range<u64>> {
    let seeds = spec.seeds();
    let runs = seeds.end - seeds.start;
    let count = (workers.max(1) as u64).min(runs);
    (0..count)
        .map(|k| seeds.start + k * runs / count..seeds.start + (k + 1) * runs / count)
        .collect()
}

/// What the page asks of a worker: run the seeds `first_seed` … `first_seed + runs − 1` for
/// `ticks` ticks each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrder {
    /// First seed of the block.
    pub first_seed: u64,
    /// Seeds in the block.
    pub runs: u64,
    /// Ticks per run.
    pub ticks: u64,
}

impl WorkOrder {
    /// The seeds of the block.
    pub fn seeds(&self) -> Range<u64> {
        self.first_seed..self.first_seed + self.runs
    }
}

/// What a worker tells the page, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerReport {
    /// The worker's WebAssembly is loaded and it waits for its [`WorkOrder`].
    Ready,
    /// One run is done.
    Outcome(RunOutcome),
}

/// Why a worker's message could not be used. Displayed, it is a sentence for the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportError {
    /// The message is not a report.
    Unreadable(String),
    /// The outcome is of a seed outside the ensemble.
    ForeignSeed(u64),
    /// The seed already reported.
    RepeatedSeed(u64),
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::Unreadable(why) => {
                write!(f, "sent a message that is not a run's outcome ({why})")
            }
            ReportError::ForeignSeed(seed) => {
                write!(f, "reported seed {seed}, which is not in this ensemble")
            }
            ReportError::RepeatedSeed(seed) => write!(f, "reported seed {seed} twice"),
        }
    }
}

/// Reads a worker's message.
pub fn read_report(text: &str) -> Result<WorkerReport, ReportError> {
    serde_json::from_str(text).map_err(|e| ReportError::Unreadable(e.to_string()))
}

/// The outcomes received so far, by seed.
#[derive(Clone, Debug)]
pub struct Gathering {
    spec: EnsembleSpec,
    outcomes: Vec<Option<RunOutcome>>,
    received: u64,
}

impl Gathering {
    /// Nothing received yet for the seeds of `spec`.
    pub fn new(spec: EnsembleSpec) -> Gathering {
        let seeds = spec.seeds();
        Gathering {
            spec,
            outcomes: vec![None; (seeds.end - seeds.start) as usize],
            received: 0,
        }
    }

    /// Outcomes received.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Outcomes expected in all.
    pub fn expected(&self) -> u64 {
        self.outcomes.len() as u64
    }

    /// Keeps `outcome`, which must be of a seed of the ensemble that has not reported yet.
    pub fn add(&mut self, outcome: RunOutcome) -> Result<(), ReportError> {
        let seeds = self.spec.seeds();
        if !seeds.contains(&outcome.seed) {
            return Err(ReportError::ForeignSeed(outcome.seed));
        }
        let slot = &mut self.outcomes[(outcome.seed - seeds.start) as usize];
        if slot.is_some() {
            return Err(ReportError::RepeatedSeed(outcome.seed));
        }
        *slot = Some(outcome);
        self.received += 1;
        Ok(())
    }

    /// The ensemble's result once every seed has reported, or `None` before.
    pub fn finish(&self) -> Option<EnsembleResult> {
        let outcomes: Option<Vec<RunOutcome>> = self.outcomes.iter().cloned().collect();
        outcomes.map(|outcomes| EnsembleResult::new(self.spec, outcomes))
    }
}

/// Reads the panel's three inputs into an ensemble: `runs` from [`MIN_RUNS`] to
/// [`MAX_RUNS`], `ticks` from 1 to the longest replay a link may ask for (so every run can be
/// opened in the console), and the first seed. Errors are sentences for the panel.
pub fn read_inputs(runs: &str, ticks: &str, first_seed: &str) -> Result<EnsembleSpec, String> {
    let runs = match runs.trim().parse::<u64>() {
        Ok(runs) if (MIN_RUNS..=MAX_RUNS).contains(&runs) => runs,
        _ => {
            return Err(format!(
                "The number of runs must be a whole number from {MIN_RUNS} to {}.",
                crate::format::thousands(MAX_RUNS)
            ))
        }
    };
    let ticks = match ticks.trim().parse::<u64>() {
        Ok(ticks) if (1..=MAX_REPLAY_TICKS).contains(&ticks) => ticks,
        _ => {
            return Err(format!(
                "The ticks per run must be a whole number from 1 to {}.",
                crate::format::thousands(MAX_REPLAY_TICKS)
            ))
        }
    };
    let Ok(first_seed) = first_seed.trim().parse::<u64>() else {
        return Err(format!(
            "The first seed must be a whole number from 0 to {}.",
            u64::MAX
        ));
    };
    EnsembleSpec::new(first_seed, runs, ticks, None).map_err(|error| {
        let mut text = error.to_string();
        if let Some(first) = text.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{text}.")
    })
}

/// Seconds left if the remaining runs go as fast as the ones done in `elapsed_ms`, or `None`
/// before the first run is done.
pub fn seconds_left(done: u64, total: u64, elapsed_ms: f64) -> Option<u64> {
    if done == 0 {
        return None;
    }
    let per_run_ms = elapsed_ms / done as f64;
    Some((per_run_ms * total.saturating_sub(done) as f64 / 1000.0).ceil() as u64)
}

/// The seeds whose value of `value` falls in bin `bin` of `lower_edges` (the last bin open
/// upward), in seed order.
pub fn seeds_in_bin(
    outcomes: &[RunOutcome],
    value: fn(&RunOutcome) -> u64,
    lower_edges: &[u64],
    bin: usize,
) -> Vec<u64> {
    let low = lower_edges[bin];
    let high = lower_edges.get(bin + 1).copied().unwrap_or(u64::MAX);
    outcomes
        .iter()
        .filter(|o| (low..high).contains(&value(o)) || (high == u64::MAX && value(o) == high))
        .map(|o| o.seed)
        .collect()
}

/// The console link that replays the Monte Carlo run of `seed` to `ticks`, at full speed.
pub fn run_link(seed: u64, ticks: u64) -> String {
    to_query(&RunSettings {
        seed,
        scenario: twin::Scenario::MonteCarlo,
        speed: Speed::Max,
        view: View::Table,
        tick: Some(ticks),
        page: crate::settings::Page::Console,
    })
}

/// A figure of a distribution in its unit: basis points as a percentage with two decimals,
/// whole percentages, minutes and counts with thousands separators.
pub fn figure(value: u64, unit: &str) -> String {
    match unit {
        "bp" => format!("{}.{:02} %", value / 100, value % 100),
        "%" => format!("{value} %"),
        "minutes" => format!("{} min", crate::format::thousands(value)),
        _ => crate::format::thousands(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use twin::ensemble::{run_outcome, FactorsBp, RULE_COUNT};

    fn spec(first_seed: u64, runs: u64) -> EnsembleSpec {
        EnsembleSpec::new(first_seed, runs, 5, None).unwrap()
    }

    fn outcome(seed: u64, oee: u64) -> RunOutcome {
        RunOutcome {
            seed,
            oee: FactorsBp {
                oee,
                ..FactorsBp::default()
            },
            shift_oee: FactorsBp::default(),
            firings: [0; RULE_COUNT],
            anomalies: 0,
            peak_tariff_minutes: 0,
            lowest_v2g_pct: 80,
            packaging_downtime_minutes: 0,
        }
    }

    #[test]
    fn workers_are_one_per_thread_from_one_to_eight() {
        assert_eq!(worker_count(0), 1);
        assert_eq!(worker_count(2), 2);
        assert_eq!(worker_count(64), 8);
    }

    #[test]
    fn seed_blocks_are_contiguous_and_differ_by_at_most_one() {
        assert_eq!(
            seed_blocks(&spec(100, 10), 4),
            [100..102, 102..105, 105..107, 107..110]
        );
        assert_eq!(seed_blocks(&spec(0, 3), 8), [0..1, 1..2, 2..3]);
        let whole = seed_blocks(&spec(7, 10), 1);
        assert_eq!((whole.len(), whole[0].clone()), (1, 7..17));
    }

    #[test]
    fn reports_round_trip_through_json() {
        let report = WorkerReport::Outcome(run_outcome(3, 20));
        let text = serde_json::to_string(&report).unwrap();
        assert_eq!(read_report(&text), Ok(report));
        assert_eq!(read_report("\"ready\""), Ok(WorkerReport::Ready));
        assert!(matches!(
            read_report("{\"seed\":1}"),
            Err(ReportError::Unreadable(_))
        ));
    }

    #[test]
    fn gathering_puts_outcomes_in_seed_order_and_refuses_strays() {
        let spec = spec(10, 10);
        let mut gathering = Gathering::new(spec);
        for seed in (15..20).chain(10..14) {
            gathering.add(run_outcome(seed, 5)).unwrap();
        }
        assert_eq!(gathering.received(), 9);
        assert!(gathering.finish().is_none());
        assert_eq!(
            gathering.add(run_outcome(20, 5)),
            Err(ReportError::ForeignSeed(20))
        );
        assert_eq!(
            gathering.add(run_outcome(12, 5)),
            Err(ReportError::RepeatedSeed(12))
        );
        gathering.add(run_outcome(14, 5)).unwrap();
        assert_eq!(gathering.finish(), Some(twin::ensemble::run(spec)));
    }

    #[test]
    fn inputs_are_checked_with_a_sentence_each() {
        assert_eq!(
            read_inputs(" 200", "240", "0"),
            Ok(EnsembleSpec::new(0, 200, 240, None).unwrap())
        );
        assert_eq!(
            read_inputs("9", "240", "0"),
            Err("The number of runs must be a whole number from 10 to 10,000.".to_owned())
        );
        assert_eq!(
            read_inputs("10", "0", "0"),
            Err("The ticks per run must be a whole number from 1 to 10,000,000.".to_owned())
        );
        assert!(read_inputs("10", "240", "x")
            .unwrap_err()
            .starts_with("The first seed"));
        assert_eq!(
            read_inputs("10", "240", "18446744073709551610"),
            Err(
                "10 seeds from 18446744073709551610 would go past the largest seed, \
                 18446744073709551615."
                    .to_owned()
            )
        );
    }

    #[test]
    fn the_estimate_scales_the_time_per_run_so_far() {
        assert_eq!(seconds_left(0, 100, 500.0), None);
        assert_eq!(seconds_left(25, 100, 1_000.0), Some(3));
        assert_eq!(seconds_left(100, 100, 9_000.0), Some(0));
    }

    #[test]
    fn bins_hold_their_lower_edge_and_the_last_is_open() {
        let outcomes = [
            outcome(0, 499),
            outcome(1, 500),
            outcome(2, 999),
            outcome(3, 1000),
            outcome(4, u64::MAX),
        ];
        let oee = |o: &RunOutcome| o.oee.oee;
        assert_eq!(seeds_in_bin(&outcomes, oee, &[0, 500, 1000], 0), [0]);
        assert_eq!(seeds_in_bin(&outcomes, oee, &[0, 500, 1000], 1), [1, 2]);
        assert_eq!(seeds_in_bin(&outcomes, oee, &[0, 500, 1000], 2), [3, 4]);
    }

    #[test]
    fn links_replay_the_seed_at_full_speed() {
        assert_eq!(
            run_link(17, 240),
            "?seed=17&scenario=monte-carlo&speed=max&view=table&tick=240"
        );
    }

    #[test]
    fn figures_are_written_in_their_unit() {
        assert_eq!(figure(7205, "bp"), "72.05 %");
        assert_eq!(figure(80, "%"), "80 %");
        assert_eq!(figure(1440, "minutes"), "1,440 min");
        assert_eq!(figure(3, "count"), "3");
    }
}
