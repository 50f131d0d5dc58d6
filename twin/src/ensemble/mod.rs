//! Monte Carlo ensembles: many seeded runs of the same length, reduced to distributions.
//!
//! An ensemble is the runs of the seeds `first_seed`, `first_seed + 1`, … `first_seed + runs −
//! 1`, each a run of one scenario's default configuration for `ticks` ticks: the Monte Carlo
//! scenario, or the scripted brew day, whose sensor noise and random walks change with the
//! seed while its operator steps stay the same. Each run is kept
//! as a compact [`RunOutcome`]; the statistics (nearest-rank percentiles, histograms with fixed
//! bin edges, firings per rule, and which rules fire in the same runs) are always recomputed
//! from the outcomes in seed order.
//!
//! A shard `K/N` holds one contiguous block of the seeds: the ensemble's run indices from
//! ⌊(K − 1) · runs / N⌋ up to ⌊K · runs / N⌋, so shard sizes differ by at most one. Shards can
//! run on different machines; [`merge`] puts their outcomes back in seed order and yields the
//! same [`EnsembleResult`], and so the same JSON, as the ensemble run in one piece.
//!
//! The library runs one twin after another and starts no threads: callers that want
//! parallelism split the seeds (as shards or as chunks passed to [`EnsembleResult::new`]) and
//! run them where they like.

pub mod outcome;
pub mod statistics;

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use outcome::{run_outcome, FactorsBp, RunOutcome, RULE_COUNT};
pub use statistics::{Distribution, Histogram};

use crate::brew_day::DAY_MINUTES;
use crate::plant::{Scenario, DEFAULT_MINUTES_PER_TICK};
use crate::rules::RULES;
use statistics::{co_occurrence, COUNT_EDGES, PERCENT_BP_EDGES, PERCENT_EDGES};

/// Most runs an ensemble may hold.
pub const MAX_RUNS: u64 = 10_000;

/// Largest seed an ensemble may run: one below `u64::MAX`, so that the range of an ensemble's
/// seeds, which ends one past its last seed, always fits.
pub const MAX_SEED: u64 = u64::MAX - 1;

/// Ticks of the scripted brew day in the default configuration: the longest scripted run.
pub const SCRIPTED_DAY_TICKS: u64 = DAY_MINUTES.div_ceil(DEFAULT_MINUTES_PER_TICK);

/// Why an ensemble cannot be run or merged. Messages are one lower-case line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnsembleError {
    /// The number of runs is 0 or above [`MAX_RUNS`].
    RunsOutOfRange(u64),
    /// Runs of no ticks were asked for.
    NoTicks,
    /// Scripted runs longer than the brew day were asked for.
    LongerThanTheDay(u64),
    /// The seeds would go past [`MAX_SEED`].
    SeedsOverflow { first_seed: u64, runs: u64 },
    /// The shard is not one of `1/N` … `N/N`, or has more shards than runs.
    BadShard { shard: Shard, runs: u64 },
    /// Text that is not an ensemble result.
    NotAnEnsemble(String),
    /// A stored result whose runs are not the seeds its inputs describe.
    InconsistentRuns,
    /// Nothing to merge.
    NothingToMerge,
    /// Inputs of different scenarios.
    ScenariosDiffer {
        first: String,
        other: String,
        scenarios: (Scenario, Scenario),
    },
    /// Inputs whose runs have different lengths.
    TicksDiffer {
        first: String,
        other: String,
        ticks: (u64, u64),
    },
    /// A seed present in two inputs.
    DuplicateSeed { seed: u64, inputs: (String, String) },
    /// Seeds of the merged ensemble that no input holds.
    MissingSeeds(Range<u64>),
}

impl fmt::Display for EnsembleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnsembleError::RunsOutOfRange(runs) => {
                write!(f, "an ensemble holds 1 to {MAX_RUNS} runs, not {runs}")
            }
            EnsembleError::NoTicks => write!(f, "each run needs at least 1 tick"),
            EnsembleError::LongerThanTheDay(ticks) => write!(
                f,
                "the scripted brew day lasts {SCRIPTED_DAY_TICKS} ticks, so its runs cannot \
                 have {ticks}"
            ),
            EnsembleError::SeedsOverflow { first_seed, runs } => write!(
                f,
                "{runs} seeds from {first_seed} would go past the largest seed of an ensemble, \
                 {MAX_SEED}"
            ),
            EnsembleError::BadShard { shard, runs } => write!(
                f,
                "shard {shard} does not exist: shards go from 1/N to N/N, with N at most the \
                 {runs} runs"
            ),
            EnsembleError::NotAnEnsemble(why) => write!(f, "not an ensemble result ({why})"),
            EnsembleError::InconsistentRuns => write!(
                f,
                "its runs are not the seeds its first seed, runs and shard describe"
            ),
            EnsembleError::NothingToMerge => write!(f, "there is nothing to merge"),
            EnsembleError::ScenariosDiffer {
                first,
                other,
                scenarios,
            } => write!(
                f,
                "{first} ran the {} scenario but {other} ran the {} scenario",
                scenarios.0.name(),
                scenarios.1.name()
            ),
            EnsembleError::TicksDiffer {
                first,
                other,
                ticks,
            } => write!(
                f,
                "{first} ran {} ticks per run but {other} ran {}",
                ticks.0, ticks.1
            ),
            EnsembleError::DuplicateSeed { seed, inputs } => {
                write!(f, "seed {seed} is in both {} and {}", inputs.0, inputs.1)
            }
            EnsembleError::MissingSeeds(seeds) if seeds.end - seeds.start == 1 => {
                write!(f, "seed {} is missing", seeds.start)
            }
            EnsembleError::MissingSeeds(seeds) => {
                write!(f, "seeds {} to {} are missing", seeds.start, seeds.end - 1)
            }
        }
    }
}

impl std::error::Error for EnsembleError {}

/// Shard `index` of `count` (written `K/N`, counting from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// `K`, from 1 to `count`.
    pub index: u64,
    /// `N`.
    pub count: u64,
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What to run: a whole ensemble or one shard of it. Only valid specifications exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnsembleSpec {
    scenario: Scenario,
    first_seed: u64,
    runs: u64,
    ticks: u64,
    shard: Option<Shard>,
}

impl EnsembleSpec {
    /// The Monte Carlo ensemble of `runs` seeds from `first_seed`, or its shard, with `ticks`
    /// per run.
    pub fn new(
        first_seed: u64,
        runs: u64,
        ticks: u64,
        shard: Option<Shard>,
    ) -> Result<EnsembleSpec, EnsembleError> {
        EnsembleSpec::of_scenario(Scenario::MonteCarlo, first_seed, runs, ticks, shard)
    }

    /// The ensemble of `scenario` for `runs` seeds from `first_seed`, or its shard, with
    /// `ticks` per run (at most [`SCRIPTED_DAY_TICKS`] for the scripted day).
    pub fn of_scenario(
        scenario: Scenario,
        first_seed: u64,
        runs: u64,
        ticks: u64,
        shard: Option<Shard>,
    ) -> Result<EnsembleSpec, EnsembleError> {
        if runs == 0 || runs > MAX_RUNS {
            return Err(EnsembleError::RunsOutOfRange(runs));
        }
        if ticks == 0 {
            return Err(EnsembleError::NoTicks);
        }
        if scenario == Scenario::Scripted && ticks > SCRIPTED_DAY_TICKS {
            return Err(EnsembleError::LongerThanTheDay(ticks));
        }
        if first_seed
            .checked_add(runs - 1)
            .is_none_or(|last| last > MAX_SEED)
        {
            return Err(EnsembleError::SeedsOverflow { first_seed, runs });
        }
        if let Some(shard) = shard {
            if shard.count == 0 || shard.count > runs || !(1..=shard.count).contains(&shard.index) {
                return Err(EnsembleError::BadShard { shard, runs });
            }
        }
        Ok(EnsembleSpec {
            scenario,
            first_seed,
            runs,
            ticks,
            shard,
        })
    }

    /// The scenario every run plays.
    pub fn scenario(&self) -> Scenario {
        self.scenario
    }

    /// First seed of the whole ensemble.
    pub fn first_seed(&self) -> u64 {
        self.first_seed
    }

    /// Runs in the whole ensemble.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Ticks per run.
    pub fn ticks(&self) -> u64 {
        self.ticks
    }

    /// The shard, if this is one.
    pub fn shard(&self) -> Option<Shard> {
        self.shard
    }

    /// The seeds this specification runs: all of the ensemble's, or the shard's block.
    pub fn seeds(&self) -> Range<u64> {
        let (start, end) = match self.shard {
            None => (0, self.runs),
            Some(Shard { index, count }) => {
                ((index - 1) * self.runs / count, index * self.runs / count)
            }
        };
        self.first_seed + start..self.first_seed + end
    }
}

/// The distributions of the run-level metrics.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// OEE rated from the final state, in basis points.
    pub oee: Distribution,
    /// Its availability.
    pub availability: Distribution,
    /// Its performance.
    pub performance: Distribution,
    /// Its quality.
    pub quality: Distribution,
    /// Time-based OEE of the final shift, in basis points.
    pub shift_oee: Distribution,
    /// Its availability.
    pub shift_availability: Distribution,
    /// Its performance.
    pub shift_performance: Distribution,
    /// Its quality.
    pub shift_quality: Distribution,
    /// Anomalies over all facts.
    pub anomalies: Distribution,
    /// Plant minutes at a peak tariff.
    pub peak_tariff_minutes: Distribution,
    /// Lowest V2G battery level, in percent.
    pub lowest_v2g_pct: Distribution,
    /// Plant minutes with the packaging line down.
    pub packaging_downtime_minutes: Distribution,
}

impl Metrics {
    fn of(outcomes: &[RunOutcome]) -> Metrics {
        let bp = |get: fn(&RunOutcome) -> u64| {
            let values: Vec<u64> = outcomes.iter().map(get).collect();
            Distribution::of(&values, "bp", &PERCENT_BP_EDGES)
        };
        let other = |get: fn(&RunOutcome) -> u64, unit, edges: &[u64]| {
            let values: Vec<u64> = outcomes.iter().map(get).collect();
            Distribution::of(&values, unit, edges)
        };
        Metrics {
            oee: bp(|o| o.oee.oee),
            availability: bp(|o| o.oee.availability),
            performance: bp(|o| o.oee.performance),
            quality: bp(|o| o.oee.quality),
            shift_oee: bp(|o| o.shift_oee.oee),
            shift_availability: bp(|o| o.shift_oee.availability),
            shift_performance: bp(|o| o.shift_oee.performance),
            shift_quality: bp(|o| o.shift_oee.quality),
            anomalies: other(|o| o.anomalies, "count", &COUNT_EDGES),
            peak_tariff_minutes: other(|o| o.peak_tariff_minutes, "minutes", &COUNT_EDGES),
            lowest_v2g_pct: other(|o| o.lowest_v2g_pct, "%", &PERCENT_EDGES),
            packaging_downtime_minutes: other(
                |o| o.packaging_downtime_minutes,
                "minutes",
                &COUNT_EDGES,
            ),
        }
    }
}

/// How often one rule fired across the runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleStatistics {
    /// `R_01` …
    pub rule: &'static str,
    /// Runs in which it fired at least once.
    pub runs_fired: u64,
    /// Its firings per run.
    pub firings: Distribution,
}

/// An ensemble's inputs, its runs and the statistics derived from them.
///
/// Serialised, this is the JSON the command-line runner prints and [`EnsembleResult::from_json`]
/// reads back; the statistics are never read, only recomputed from the outcomes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnsembleResult {
    /// The scenario every run played.
    pub scenario: Scenario,
    /// First seed of the whole ensemble.
    pub first_seed: u64,
    /// Runs in the whole ensemble (a shard holds fewer).
    pub runs: u64,
    /// Ticks per run.
    pub ticks: u64,
    /// The shard these runs are, or `None` for a whole ensemble.
    pub shard: Option<Shard>,
    /// Distributions of the run-level metrics.
    pub metrics: Metrics,
    /// Firings per rule, in rule order.
    pub rules: Vec<RuleStatistics>,
    /// `co_occurrence[a][b]`: runs in which rules `a` and `b` (0 is `R_01`) both fired.
    pub co_occurrence: [[u64; RULE_COUNT]; RULE_COUNT],
    /// One outcome per seed, in seed order.
    pub outcomes: Vec<RunOutcome>,
}

/// The part of the JSON that [`EnsembleResult::from_json`] reads.
#[derive(Deserialize)]
struct StoredRuns {
    /// Absent from results written before ensembles had a scenario, which were all Monte Carlo.
    #[serde(default)]
    scenario: Scenario,
    first_seed: u64,
    runs: u64,
    ticks: u64,
    shard: Option<Shard>,
    outcomes: Vec<RunOutcome>,
}

impl EnsembleResult {
    /// The result of `spec` from its outcomes, which must be those of `spec.seeds()` in seed
    /// order (computed in any number of pieces, on any number of threads).
    ///
    /// # Panics
    ///
    /// If the outcomes are not those of `spec.seeds()` in order.
    pub fn new(spec: EnsembleSpec, outcomes: Vec<RunOutcome>) -> EnsembleResult {
        assert!(
            outcomes.iter().map(|o| o.seed).eq(spec.seeds()),
            "the outcomes are those of the specification's seeds, in order"
        );
        let rules = RULES
            .iter()
            .enumerate()
            .map(|(r, info)| {
                let firings: Vec<u64> = outcomes.iter().map(|o| o.firings[r]).collect();
                RuleStatistics {
                    rule: info.id,
                    runs_fired: firings.iter().filter(|&&n| n > 0).count() as u64,
                    firings: Distribution::of(&firings, "count", &COUNT_EDGES),
                }
            })
            .collect();
        EnsembleResult {
            scenario: spec.scenario,
            first_seed: spec.first_seed,
            runs: spec.runs,
            ticks: spec.ticks,
            shard: spec.shard,
            metrics: Metrics::of(&outcomes),
            rules,
            co_occurrence: co_occurrence(&outcomes),
            outcomes,
        }
    }

    /// The specification these runs answer.
    pub fn spec(&self) -> EnsembleSpec {
        EnsembleSpec {
            scenario: self.scenario,
            first_seed: self.first_seed,
            runs: self.runs,
            ticks: self.ticks,
            shard: self.shard,
        }
    }

    /// Reads a result written by [`EnsembleResult::to_json`] (or the command-line runner),
    /// checks that its runs are the seeds it describes, and recomputes its statistics.
    pub fn from_json(text: &str) -> Result<EnsembleResult, EnsembleError> {
        let stored: StoredRuns =
            serde_json::from_str(text).map_err(|e| EnsembleError::NotAnEnsemble(e.to_string()))?;
        let spec = EnsembleSpec::of_scenario(
            stored.scenario,
            stored.first_seed,
            stored.runs,
            stored.ticks,
            stored.shard,
        )?;
        if !stored.outcomes.iter().map(|o| o.seed).eq(spec.seeds()) {
            return Err(EnsembleError::InconsistentRuns);
        }
        Ok(EnsembleResult::new(spec, stored.outcomes))
    }

    /// The result as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("ensemble results serialise")
    }
}

/// Runs every seed of `spec`, one after another, and computes the statistics.
pub fn run(spec: EnsembleSpec) -> EnsembleResult {
    let outcomes = spec
        .seeds()
        .map(|seed| run_outcome(spec.scenario, seed, spec.ticks))
        .collect();
    EnsembleResult::new(spec, outcomes)
}

/// Combines results (shards, or whole ensembles of neighbouring seeds) into the ensemble of all
/// their seeds. Each input comes with a name for messages, such as its file name.
///
/// The merged ensemble covers every seed any input's ensemble covers. Each of those seeds must
/// be in exactly one input, and all inputs must have run the same scenario for the same number
/// of ticks. The result
/// is a whole ensemble (no shard), identical to running it in one piece.
pub fn merge<'a>(
    inputs: impl IntoIterator<Item = (&'a str, &'a EnsembleResult)>,
) -> Result<EnsembleResult, EnsembleError> {
    let inputs: Vec<(&str, &EnsembleResult)> = inputs.into_iter().collect();
    let (first_name, first) = *inputs.first().ok_or(EnsembleError::NothingToMerge)?;

    let mut start = u64::MAX;
    let mut end = 0;
    for (name, input) in &inputs {
        if input.scenario != first.scenario {
            return Err(EnsembleError::ScenariosDiffer {
                first: first_name.to_owned(),
                other: (*name).to_owned(),
                scenarios: (first.scenario, input.scenario),
            });
        }
        if input.ticks != first.ticks {
            return Err(EnsembleError::TicksDiffer {
                first: first_name.to_owned(),
                other: (*name).to_owned(),
                ticks: (first.ticks, input.ticks),
            });
        }
        start = start.min(input.first_seed);
        end = end.max(input.first_seed + input.runs.saturating_sub(1));
    }

    let mut runs: Vec<(&RunOutcome, usize)> = inputs
        .iter()
        .enumerate()
        .flat_map(|(i, (_, input))| input.outcomes.iter().map(move |o| (o, i)))
        .collect();
    runs.sort_by_key(|(o, _)| o.seed);

    let mut expected = start;
    for pair in runs.windows(2) {
        let ((a, from), (b, other)) = (pair[0], pair[1]);
        if a.seed == b.seed {
            return Err(EnsembleError::DuplicateSeed {
                seed: a.seed,
                inputs: (inputs[from].0.to_owned(), inputs[other].0.to_owned()),
            });
        }
    }
    for (outcome, _) in &runs {
        if outcome.seed != expected {
            return Err(EnsembleError::MissingSeeds(expected..outcome.seed));
        }
        expected += 1;
    }
    if expected <= end {
        return Err(EnsembleError::MissingSeeds(expected..end + 1));
    }

    let spec =
        EnsembleSpec::of_scenario(first.scenario, start, end - start + 1, first.ticks, None)?;
    let outcomes = runs.into_iter().map(|(o, _)| o.clone()).collect();
    Ok(EnsembleResult::new(spec, outcomes))
}
