//! The page's side of a Monte Carlo ensemble run in Web Workers, without any web types: how
//! the seeds are split between workers, what the page and a worker say to each other, and how
//! the outcomes are gathered back into seed order.
//!
//! Each worker runs one contiguous block of seeds and posts one message per run; the page
//! builds the [`EnsembleResult`] once every seed has reported, so the statistics are those the
//! command-line runner prints for the same ensemble.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use twin::ensemble::{
    Distribution, EnsembleResult, EnsembleSpec, RunOutcome, MAX_RUNS, RULE_COUNT,
    SCRIPTED_DAY_TICKS,
};
use twin::rules::RULES;
use twin::Scenario;

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

/// What the page asks of a worker: run `scenario` for the seeds `first_seed` … `first_seed +
/// runs − 1`, `ticks` ticks each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrder {
    /// The scenario of every run.
    pub scenario: Scenario,
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

/// The longest runs the panel accepts for `scenario`: the brew day's length for the scripted
/// day, else the longest replay a link may ask for (so every run can be opened in the console).
pub fn max_ticks(scenario: Scenario) -> u64 {
    match scenario {
        Scenario::Scripted => SCRIPTED_DAY_TICKS,
        Scenario::MonteCarlo => MAX_REPLAY_TICKS,
    }
}

/// Reads the panel's inputs into an ensemble: the scenario by name, `runs` from [`MIN_RUNS`]
/// to [`MAX_RUNS`], `ticks` from 1 to [`max_ticks`], and the first seed. Errors are sentences
/// for the panel.
pub fn read_inputs(
    scenario: &str,
    runs: &str,
    ticks: &str,
    first_seed: &str,
) -> Result<EnsembleSpec, String> {
    let Some(scenario) = Scenario::from_name(scenario) else {
        return Err(format!(
            "There is no scenario called \"{scenario}\": choose Monte Carlo or the scripted \
             brew day."
        ));
    };
    let runs = match runs.trim().parse::<u64>() {
        Ok(runs) if (MIN_RUNS..=MAX_RUNS).contains(&runs) => runs,
        _ => {
            return Err(format!(
                "The number of runs must be a whole number from {MIN_RUNS} to {}.",
                crate::format::thousands(MAX_RUNS)
            ))
        }
    };
    let longest = max_ticks(scenario);
    let ticks = match ticks.trim().parse::<u64>() {
        Ok(ticks) if (1..=longest).contains(&ticks) => ticks,
        _ => {
            let why = match scenario {
                Scenario::Scripted => " (the length of the scripted brew day)",
                Scenario::MonteCarlo => "",
            };
            return Err(format!(
                "The ticks per run must be a whole number from 1 to {}{why}.",
                crate::format::thousands(longest)
            ));
        }
    };
    let Ok(first_seed) = first_seed.trim().parse::<u64>() else {
        return Err(format!(
            "The first seed must be a whole number from 0 to {}.",
            twin::ensemble::MAX_SEED
        ));
    };
    EnsembleSpec::of_scenario(scenario, first_seed, runs, ticks, None).map_err(|error| {
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
    value: impl Fn(&RunOutcome) -> u64,
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

/// A figure of each run that the panel summarises: one of the run-level metrics, or the
/// firings of one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Final-state OEE.
    Oee,
    /// Its availability.
    Availability,
    /// Its performance.
    Performance,
    /// Its quality.
    Quality,
    /// OEE of the final shift.
    ShiftOee,
    /// Its availability.
    ShiftAvailability,
    /// Its performance.
    ShiftPerformance,
    /// Its quality.
    ShiftQuality,
    /// Anomalies over all facts.
    Anomalies,
    /// Plant minutes at the peak tariff.
    PeakTariffMinutes,
    /// Lowest V2G battery level.
    LowestV2g,
    /// Plant minutes with the packaging line down.
    PackagingDowntime,
    /// Firings of the rule with this index (`R_01` is 0).
    Firings(usize),
}

impl Metric {
    /// The run-level metrics, in the order of the percentile table.
    pub const RUN_LEVEL: [Metric; 12] = [
        Metric::Oee,
        Metric::Availability,
        Metric::Performance,
        Metric::Quality,
        Metric::ShiftOee,
        Metric::ShiftAvailability,
        Metric::ShiftPerformance,
        Metric::ShiftQuality,
        Metric::Anomalies,
        Metric::PeakTariffMinutes,
        Metric::LowestV2g,
        Metric::PackagingDowntime,
    ];

    /// Every metric: the run-level ones, then the firings of each rule in rule order.
    pub fn all() -> impl Iterator<Item = Metric> {
        Metric::RUN_LEVEL
            .into_iter()
            .chain((0..RULE_COUNT).map(Metric::Firings))
    }

    /// Its key in the page's `data-` attributes: the field name of the ensemble's JSON, or
    /// `firings.R_NN`.
    pub fn key(self) -> String {
        let key = match self {
            Metric::Oee => "oee",
            Metric::Availability => "availability",
            Metric::Performance => "performance",
            Metric::Quality => "quality",
            Metric::ShiftOee => "shift_oee",
            Metric::ShiftAvailability => "shift_availability",
            Metric::ShiftPerformance => "shift_performance",
            Metric::ShiftQuality => "shift_quality",
            Metric::Anomalies => "anomalies",
            Metric::PeakTariffMinutes => "peak_tariff_minutes",
            Metric::LowestV2g => "lowest_v2g_pct",
            Metric::PackagingDowntime => "packaging_downtime_minutes",
            Metric::Firings(rule) => return format!("firings.{}", RULES[rule].id),
        };
        key.to_owned()
    }

    /// The metric whose [`key`](Metric::key) is `key`.
    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::all().find(|m| m.key() == key)
    }

    /// Its name for people.
    pub fn label(self) -> String {
        let label = match self {
            Metric::Oee => "OEE, final state",
            Metric::Availability => "Availability, final state",
            Metric::Performance => "Performance, final state",
            Metric::Quality => "Quality, final state",
            Metric::ShiftOee => "OEE, final shift",
            Metric::ShiftAvailability => "Availability, final shift",
            Metric::ShiftPerformance => "Performance, final shift",
            Metric::ShiftQuality => "Quality, final shift",
            Metric::Anomalies => "Anomalies",
            Metric::PeakTariffMinutes => "Minutes at the peak tariff",
            Metric::LowestV2g => "Lowest V2G level",
            Metric::PackagingDowntime => "Packaging downtime",
            Metric::Firings(rule) => return format!("Firings of {}", RULES[rule].id),
        };
        label.to_owned()
    }

    /// Its value in one run, in the unit of its distribution.
    pub fn value(self, run: &RunOutcome) -> u64 {
        match self {
            Metric::Oee => run.oee.oee,
            Metric::Availability => run.oee.availability,
            Metric::Performance => run.oee.performance,
            Metric::Quality => run.oee.quality,
            Metric::ShiftOee => run.shift_oee.oee,
            Metric::ShiftAvailability => run.shift_oee.availability,
            Metric::ShiftPerformance => run.shift_oee.performance,
            Metric::ShiftQuality => run.shift_oee.quality,
            Metric::Anomalies => run.anomalies,
            Metric::PeakTariffMinutes => run.peak_tariff_minutes,
            Metric::LowestV2g => run.lowest_v2g_pct,
            Metric::PackagingDowntime => run.packaging_downtime_minutes,
            Metric::Firings(rule) => run.firings[rule],
        }
    }

    /// Its distribution over the runs of `result`.
    pub fn distribution(self, result: &EnsembleResult) -> &Distribution {
        let m = &result.metrics;
        match self {
            Metric::Oee => &m.oee,
            Metric::Availability => &m.availability,
            Metric::Performance => &m.performance,
            Metric::Quality => &m.quality,
            Metric::ShiftOee => &m.shift_oee,
            Metric::ShiftAvailability => &m.shift_availability,
            Metric::ShiftPerformance => &m.shift_performance,
            Metric::ShiftQuality => &m.shift_quality,
            Metric::Anomalies => &m.anomalies,
            Metric::PeakTariffMinutes => &m.peak_tariff_minutes,
            Metric::LowestV2g => &m.lowest_v2g_pct,
            Metric::PackagingDowntime => &m.packaging_downtime_minutes,
            Metric::Firings(rule) => &result.rules[rule].firings,
        }
    }
}

/// The values of bin `bin` of a histogram with `lower_edges`, in words: "from 5.00 % to
/// 10.00 %" for percentages, "2 to 4" for whole counts, "100,000 or more" for the last bin.
pub fn bin_range(lower_edges: &[u64], bin: usize, unit: &str) -> String {
    let low = lower_edges[bin];
    match (lower_edges.get(bin + 1), unit) {
        (None, "bp") if low < 10_000 => {
            format!("{} to {}", figure(low, unit), figure(10_000, unit))
        }
        (None, "%") if low < 100 => format!("{} to {}", figure(low, unit), figure(100, unit)),
        (None, _) => format!("{} or more", figure(low, unit)),
        (Some(&high), "bp" | "%") => {
            format!("{} to under {}", figure(low, unit), figure(high, unit))
        }
        (Some(&high), _) if high == low + 1 => figure(low, unit),
        (Some(&high), _) => format!("{} to {}", figure(low, unit), figure(high - 1, unit)),
    }
}

/// The bins a histogram shows: every bin of a percentage, whose scale is fixed; for counts
/// and minutes, the bins up to the last one holding a run, so that empty bins of values no
/// run reached do not squeeze the others.
pub fn shown_bins(counts: &[u64], unit: &str) -> usize {
    if matches!(unit, "bp" | "%") {
        return counts.len();
    }
    counts
        .iter()
        .rposition(|&n| n > 0)
        .map_or(1, |last| last + 1)
}

/// The console link that replays the run of `scenario` and `seed` to `ticks`, at full speed.
pub fn run_link(scenario: Scenario, seed: u64, ticks: u64) -> String {
    to_query(&RunSettings {
        seed,
        scenario,
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

    fn mc(seed: u64) -> RunOutcome {
        run_outcome(Scenario::MonteCarlo, seed, 5)
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
        let report = WorkerReport::Outcome(run_outcome(Scenario::MonteCarlo, 3, 20));
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
            gathering.add(mc(seed)).unwrap();
        }
        assert_eq!(gathering.received(), 9);
        assert!(gathering.finish().is_none());
        assert_eq!(gathering.add(mc(20)), Err(ReportError::ForeignSeed(20)));
        assert_eq!(gathering.add(mc(12)), Err(ReportError::RepeatedSeed(12)));
        gathering.add(mc(14)).unwrap();
        assert_eq!(gathering.finish(), Some(twin::ensemble::run(spec)));
    }

    #[test]
    fn inputs_are_checked_with_a_sentence_each() {
        const MC: &str = "monte-carlo";
        assert_eq!(
            read_inputs(MC, " 200", "240", "0"),
            Ok(EnsembleSpec::new(0, 200, 240, None).unwrap())
        );
        assert_eq!(
            read_inputs("scripted", "20", "240", "5"),
            Ok(EnsembleSpec::of_scenario(Scenario::Scripted, 5, 20, 240, None).unwrap())
        );
        assert_eq!(
            read_inputs(MC, "9", "240", "0"),
            Err("The number of runs must be a whole number from 10 to 10,000.".to_owned())
        );
        assert_eq!(
            read_inputs(MC, "10", "0", "0"),
            Err("The ticks per run must be a whole number from 1 to 10,000,000.".to_owned())
        );
        assert_eq!(
            read_inputs("scripted", "10", "241", "0"),
            Err(
                "The ticks per run must be a whole number from 1 to 240 (the length of the \
                 scripted brew day)."
                    .to_owned()
            )
        );
        assert_eq!(
            read_inputs("brew-week", "10", "240", "0"),
            Err(
                "There is no scenario called \"brew-week\": choose Monte Carlo or the scripted \
                 brew day."
                    .to_owned()
            )
        );
        assert!(read_inputs(MC, "10", "240", "x")
            .unwrap_err()
            .starts_with("The first seed"));
        assert_eq!(
            read_inputs(MC, "10", "240", "18446744073709551610"),
            Err(
                "10 seeds from 18446744073709551610 would go past the largest seed of an \
                 ensemble, 18446744073709551614."
                    .to_owned()
            )
        );
        assert!(read_inputs(MC, "10", "240", "18446744073709551606").is_err());
        assert!(read_inputs(MC, "10", "240", "18446744073709551605").is_ok());
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
            run_link(Scenario::MonteCarlo, 17, 240),
            "?seed=17&scenario=monte-carlo&speed=max&view=table&tick=240"
        );
        assert_eq!(
            run_link(Scenario::Scripted, 3, 100),
            "?seed=3&scenario=scripted&speed=max&view=table&tick=100"
        );
    }

    #[test]
    fn every_metric_has_a_key_of_its_own_and_values_that_match_its_distribution() {
        let result = twin::ensemble::run(EnsembleSpec::new(0, 30, 60, None).unwrap());
        let keys: std::collections::BTreeSet<String> = Metric::all().map(Metric::key).collect();
        assert_eq!(keys.len(), 12 + RULE_COUNT);
        for metric in Metric::all() {
            assert_eq!(Metric::from_key(&metric.key()), Some(metric));
            let distribution = metric.distribution(&result);
            let values: Vec<u64> = result.outcomes.iter().map(|o| metric.value(o)).collect();
            let recomputed =
                twin::ensemble::Histogram::of(&values, &distribution.histogram.lower_edges);
            assert_eq!(recomputed, distribution.histogram, "{}", metric.label());
            assert_eq!(values.iter().max(), Some(&distribution.max));
        }
        assert_eq!(Metric::from_key("firings.R_13"), None);
        assert_eq!(Metric::Firings(3).key(), "firings.R_04");
    }

    #[test]
    fn bins_are_described_in_their_unit() {
        let bp: Vec<u64> = (0..20).map(|i| i * 500).collect();
        assert_eq!(bin_range(&bp, 1, "bp"), "5.00 % to under 10.00 %");
        assert_eq!(bin_range(&bp, 19, "bp"), "95.00 % to 100.00 %");
        let counts = [0, 1, 2, 5, 10, 100_000];
        assert_eq!(bin_range(&counts, 0, "count"), "0");
        assert_eq!(bin_range(&counts, 2, "count"), "2 to 4");
        assert_eq!(bin_range(&counts, 4, "minutes"), "10 min to 99,999 min");
        assert_eq!(bin_range(&counts, 5, "count"), "100,000 or more");
    }

    #[test]
    fn count_histograms_end_at_their_last_run_and_percentages_keep_their_scale() {
        assert_eq!(shown_bins(&[3, 0, 2, 0, 0], "count"), 3);
        assert_eq!(shown_bins(&[0, 0, 0], "minutes"), 1);
        assert_eq!(shown_bins(&[3, 0, 0, 0], "bp"), 4);
    }

    #[test]
    fn figures_are_written_in_their_unit() {
        assert_eq!(figure(7205, "bp"), "72.05 %");
        assert_eq!(figure(80, "%"), "80 %");
        assert_eq!(figure(1440, "minutes"), "1,440 min");
        assert_eq!(figure(3, "count"), "3");
    }
}
