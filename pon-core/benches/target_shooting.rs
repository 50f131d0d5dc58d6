//! The target-shooting benchmark: `n` lanes of one rule of three premises each, `p` % of the
//! apples painted red per iteration (see `target_shooting/workload.rs`).
//!
//! Five implementations run the same iterations: the notification engine, plain vectors that
//! re-test every rule (its selective premise first, or every premise), the naive reference
//! evaluator, and hand-written straight-line notification code. Before any timing, one iteration of each must fire exactly the volley's
//! rules and leave the same hit counts. After criterion's own report, a table gives the median
//! time per iteration and per firing of every benchmark that this run measured.
//!
//! `cargo bench -p pon-core --bench target_shooting` runs it all in about two minutes on two
//! cores; a criterion filter such as `-- n10000_p1` runs a part.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use pon_core::naive::NaiveEngine;
use pon_core::{FactId, Value};

#[path = "target_shooting/workload.rs"]
mod workload;

use workload::{EngineRange, HandWrittenRange, RetestAllRange, RetestRange, Volleys};

/// Lane counts: one that fits in the first cache level, one that does not.
const LANE_COUNTS: [usize; 2] = [100, 10_000];

/// Percentages of apples painted per iteration.
const PAINTED_PERCENTS: [usize; 4] = [1, 10, 50, 100];

/// The implementations, as named in benchmark ids and in the summary.
const IMPLEMENTATIONS: [&str; 5] = ["engine", "naive", "retest", "retest_all", "hand_written"];

/// Rule count from which the naive evaluator is sampled less: it scans every rule against
/// every change, so one iteration there costs milliseconds to a second.
const NAIVE_SLOW_LANES: usize = 10_000;

/// The range run by the naive reference evaluator.
struct NaiveRange {
    evaluator: NaiveEngine,
    colours: Vec<FactId>,
    hits: Vec<FactId>,
    red: Value,
}

impl NaiveRange {
    fn new(n: usize) -> NaiveRange {
        let program = workload::program(n);
        let colours = workload::colour_facts(&program);
        let hits = workload::hits_facts(&program);
        NaiveRange {
            evaluator: NaiveEngine::new(program),
            colours,
            hits,
            red: Value::symbol("red"),
        }
    }

    fn iterate(&mut self, volley: &[u32]) -> usize {
        let writes = volley
            .iter()
            .map(|&lane| (self.colours[lane as usize], self.red.clone()));
        self.evaluator
            .apply(writes)
            .expect("the target-shooting cascade settles");
        self.evaluator.firings().len()
    }

    fn total_hits(&self) -> u64 {
        let values = self.evaluator.values();
        workload::total_hits(self.hits.iter().map(|&fact| &values[fact.index()]))
    }
}

/// The five ranges of one configuration, each with its own volley sequence.
struct Ranges {
    engine: (EngineRange, Volleys),
    naive: (NaiveRange, Volleys),
    retest: (RetestRange, Volleys),
    retest_all: (RetestAllRange, Volleys),
    hand_written: (HandWrittenRange, Volleys),
}

impl Ranges {
    /// Builds the ranges and runs one iteration of each, checking that every one fires the
    /// whole volley and counts the same hits.
    fn checked(n: usize, percent: usize) -> Ranges {
        let volleys = Volleys::new(n, percent);
        let mut ranges = Ranges {
            engine: (EngineRange::new(n), volleys.clone()),
            naive: (NaiveRange::new(n), volleys.clone()),
            retest: (RetestRange::new(n), volleys.clone()),
            retest_all: (RetestAllRange::new(n), volleys.clone()),
            hand_written: (HandWrittenRange::new(n), volleys.clone()),
        };

        let (range, v) = &mut ranges.engine;
        let engine = range.iterate(v.next_volley());
        let (range, v) = &mut ranges.naive;
        let naive = range.iterate(v.next_volley());
        let (range, v) = &mut ranges.retest;
        let retest = range.iterate(v.next_volley());
        let (range, v) = &mut ranges.retest_all;
        let retest_all = range.iterate(v.next_volley());
        let (range, v) = &mut ranges.hand_written;
        let hand_written = range.iterate(v.next_volley());

        let expected = volleys.size();
        let context = format!("n = {n}, p = {percent} %");
        assert_eq!(engine, expected, "engine firings, {context}");
        assert_eq!(
            retest, engine,
            "re-test firings against the engine, {context}"
        );
        assert_eq!(
            retest_all, engine,
            "re-test-all firings against the engine, {context}"
        );
        assert_eq!(naive, engine, "naive firings against the engine, {context}");
        assert_eq!(hand_written, engine, "hand-written firings, {context}");
        let hits = [
            ranges.engine.0.total_hits(),
            ranges.naive.0.total_hits(),
            ranges.retest.0.total_hits(),
            ranges.retest_all.0.total_hits(),
            ranges.hand_written.0.total_hits(),
        ];
        assert_eq!(
            hits, [expected as u64; 5],
            "hits after one iteration, {context}"
        );
        ranges
    }
}

fn group_name(n: usize, percent: usize) -> String {
    format!("n{n}_p{percent}")
}

fn bench_configuration(c: &mut Criterion, n: usize, percent: usize) {
    let mut ranges = Ranges::checked(n, percent);
    let firings = ranges.engine.1.size();

    let mut group = c.benchmark_group(group_name(n, percent));
    group
        .throughput(Throughput::Elements(firings as u64))
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(2))
        .sample_size(40);

    let (range, volleys) = &mut ranges.engine;
    group.bench_function("engine", |b| {
        b.iter(|| range.iterate(volleys.next_volley()))
    });
    let (range, volleys) = &mut ranges.retest;
    group.bench_function("retest", |b| {
        b.iter(|| range.iterate(volleys.next_volley()))
    });
    let (range, volleys) = &mut ranges.retest_all;
    group.bench_function("retest_all", |b| {
        b.iter(|| range.iterate(volleys.next_volley()))
    });
    let (range, volleys) = &mut ranges.hand_written;
    group.bench_function("hand_written", |b| {
        b.iter(|| range.iterate(volleys.next_volley()))
    });

    if n >= NAIVE_SLOW_LANES {
        few_slow_samples(&mut group);
    }
    let (range, volleys) = &mut ranges.naive;
    group.bench_function("naive", |b| b.iter(|| range.iterate(volleys.next_volley())));
    group.finish();
}

/// Criterion's smallest sample: ten iterations, measured one by one.
fn few_slow_samples(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
}

/// Where criterion writes its estimates: `CRITERION_HOME`, else the target directory.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("criterion")
}

/// The median time per iteration, in nanoseconds, that criterion estimated during this run.
fn median_ns(home: &Path, group: &str, implementation: &str, since: SystemTime) -> Option<f64> {
    let path = home
        .join(group)
        .join(implementation)
        .join("new/estimates.json");
    let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    if written < since {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn print_summary(home: &Path, since: SystemTime) {
    let mut rows = Vec::new();
    for n in LANE_COUNTS {
        for percent in PAINTED_PERCENTS {
            let group = group_name(n, percent);
            let medians = IMPLEMENTATIONS.map(|i| median_ns(home, &group, i, since));
            if medians.iter().any(Option::is_some) {
                rows.push(summary_row(n, percent, medians));
            }
        }
    }
    if rows.is_empty() {
        return;
    }

    println!("\nMedian time per iteration (ns per firing in brackets)\n");
    print!("{:>7} {:>4} {:>8}", "N", "P %", "firings");
    for implementation in IMPLEMENTATIONS {
        print!(" {implementation:>22}");
    }
    println!(
        " {:>13} {:>17} {:>13}",
        "retest/engine", "retest_all/engine", "engine/hand"
    );
    for row in rows {
        println!("{row}");
    }
}

/// One line of the summary; `medians` follow [`IMPLEMENTATIONS`].
fn summary_row(n: usize, percent: usize, medians: [Option<f64>; 5]) -> String {
    let firings = n * percent / 100;
    let mut row = format!("{n:>7} {percent:>4} {firings:>8}");
    for median in medians {
        let cell = match median {
            Some(ns) => format!("{} ({:.1})", time(ns), ns / firings as f64),
            None => "-".to_owned(),
        };
        row.push_str(&format!(" {cell:>22}"));
    }
    let [engine, _, retest, retest_all, hand_written] = medians;
    let ratios = format!(
        " {:>13} {:>17} {:>13}",
        ratio(retest, engine),
        ratio(retest_all, engine),
        ratio(engine, hand_written)
    );
    row + &ratios
}

/// `a / b` with three decimals, or `-` when either is missing.
fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:.3}", a / b),
        _ => "-".to_owned(),
    }
}

/// A duration in nanoseconds, written with a unit that keeps three or four digits.
fn time(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.1} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

fn main() {
    let since = SystemTime::now();
    let home = criterion_home();
    let mut criterion = Criterion::default()
        .output_directory(&home)
        .nresamples(20_000)
        .configure_from_args();
    for n in LANE_COUNTS {
        for percent in PAINTED_PERCENTS {
            bench_configuration(&mut criterion, n, percent);
        }
    }
    criterion.final_summary();
    print_summary(&home, since);
}
