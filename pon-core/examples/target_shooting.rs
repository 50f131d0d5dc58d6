//! Runs the target-shooting workload (see `benches/target_shooting/workload.rs`) with plain
//! wall-clock timing, so that the same code can be measured natively and in WebAssembly.
//!
//! Prints one JSON line per implementation and configuration:
//! `{"impl":"engine","n":100,"p":1,"median_ns_per_iter":…,"firings_per_iter":1}`.
//! The optional argument is the number of timed samples per configuration (default 31).
//! `scripts/bench-wasm.sh` builds it for the host and for `wasm32-wasip1`, runs both and
//! compares them.
//!
//! `target_shooting --iterations IMPL N P COUNT` instead runs COUNT untimed iterations of one
//! implementation (`engine`, `retest`, `retest_all` or `hand_written`) and prints the firings.
//! Under `valgrind --tool=callgrind`, the difference between the instruction counts of two
//! such runs with different COUNTs, divided by the extra firings, is the cost of one firing
//! without the set-up.

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../benches/target_shooting/workload.rs"]
mod workload;

use workload::{EngineRange, HandWrittenRange, RetestAllRange, RetestRange, Volleys};

/// Lane counts: one that fits in the first cache level, one that does not.
const LANE_COUNTS: [usize; 2] = [100, 10_000];

/// Percentages of apples painted per iteration.
const PAINTED_PERCENTS: [usize; 2] = [1, 10];

/// Timed samples per configuration unless the command line says otherwise.
const DEFAULT_SAMPLES: usize = 31;

/// Shortest duration of one sample; iterations are added until a sample lasts this long.
const MIN_SAMPLE_TIME: Duration = Duration::from_millis(4);

/// Time spent iterating before any sample, so that caches are warm and a WebAssembly engine
/// has replaced its baseline code with optimised code.
const WARM_UP_TIME: Duration = Duration::from_millis(250);

/// The median time of one call of `iterate`, in nanoseconds, over `samples` samples of equal
/// iteration counts, after a warm-up that also calibrates the counts.
fn median_ns_per_iter(samples: usize, mut iterate: impl FnMut() -> usize) -> f64 {
    let mut run = |iterations: u32| {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(iterate());
        }
        start.elapsed()
    };

    let warm_up = Instant::now();
    let mut iterations = 1;
    loop {
        if run(iterations) < MIN_SAMPLE_TIME {
            iterations *= 2;
        } else if warm_up.elapsed() >= WARM_UP_TIME {
            break;
        }
    }

    let mut per_iteration: Vec<f64> = (0..samples)
        .map(|_| run(iterations).as_nanos() as f64 / f64::from(iterations))
        .collect();
    per_iteration.sort_by(f64::total_cmp);
    per_iteration[samples / 2]
}

/// Prints one result as a JSON line, with its fields in a fixed order.
fn report(implementation: &str, n: usize, percent: usize, median_ns: f64, firings: usize) {
    println!(
        "{{\"impl\":\"{implementation}\",\"n\":{n},\"p\":{percent},\
         \"median_ns_per_iter\":{median_ns:.1},\"firings_per_iter\":{firings}}}"
    );
}

/// Runs `count` untimed iterations of one implementation and returns the firings.
fn count_firings(implementation: &str, n: usize, percent: usize, count: usize) -> usize {
    let volleys = Volleys::new(n, percent);
    match implementation {
        "engine" => run_untimed(count, volleys, EngineRange::new(n), EngineRange::iterate),
        "retest" => run_untimed(count, volleys, RetestRange::new(n), RetestRange::iterate),
        "retest_all" => run_untimed(
            count,
            volleys,
            RetestAllRange::new(n),
            RetestAllRange::iterate,
        ),
        "hand_written" => run_untimed(
            count,
            volleys,
            HandWrittenRange::new(n),
            HandWrittenRange::iterate,
        ),
        other => {
            eprintln!("unknown implementation `{other}`");
            std::process::exit(2);
        }
    }
}

/// Runs `count` iterations of `range` on successive volleys and returns the firings.
fn run_untimed<R>(
    count: usize,
    mut volleys: Volleys,
    mut range: R,
    iterate: fn(&mut R, &[u32]) -> usize,
) -> usize {
    (0..count)
        .map(|_| black_box(iterate(&mut range, volleys.next_volley())))
        .sum()
}

/// The argument at `index` as a positive whole number, or exits with a message.
fn positive_arg(args: &[String], index: usize, what: &str) -> usize {
    match args.get(index).map(|arg| arg.parse::<usize>()) {
        Some(Ok(value)) if value > 0 => value,
        _ => {
            eprintln!("{what} must be a positive whole number");
            std::process::exit(2);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--iterations") {
        let implementation = args.get(1).map(String::as_str).unwrap_or_default();
        let n = positive_arg(&args, 2, "the lane count");
        let percent = positive_arg(&args, 3, "the painted percentage");
        let count = positive_arg(&args, 4, "the iteration count");
        println!("{}", count_firings(implementation, n, percent, count));
        return;
    }

    let samples = match args.first() {
        None => DEFAULT_SAMPLES,
        Some(arg) => match arg.parse::<usize>() {
            Ok(samples) if samples > 0 => samples,
            _ => {
                eprintln!("the sample count must be a positive whole number, not `{arg}`");
                std::process::exit(2);
            }
        },
    };

    for n in LANE_COUNTS {
        for percent in PAINTED_PERCENTS {
            let volleys = Volleys::new(n, percent);
            let firings = volleys.size();
            let mut engine = (EngineRange::new(n), volleys.clone());
            let mut retest = (RetestRange::new(n), volleys.clone());
            let mut retest_all = (RetestAllRange::new(n), volleys.clone());
            let mut hand_written = (HandWrittenRange::new(n), volleys);

            let first = [
                engine.0.iterate(engine.1.next_volley()),
                retest.0.iterate(retest.1.next_volley()),
                retest_all.0.iterate(retest_all.1.next_volley()),
                hand_written.0.iterate(hand_written.1.next_volley()),
            ];
            let hits = [
                engine.0.total_hits(),
                retest.0.total_hits(),
                retest_all.0.total_hits(),
                hand_written.0.total_hits(),
            ];
            assert_eq!(
                first, [firings; 4],
                "firings of one iteration, n = {n}, p = {percent}"
            );
            assert_eq!(
                hits, [firings as u64; 4],
                "hits after one iteration, n = {n}"
            );

            let (range, volleys) = &mut engine;
            let ns = median_ns_per_iter(samples, || range.iterate(volleys.next_volley()));
            report("engine", n, percent, ns, firings);
            let (range, volleys) = &mut retest;
            let ns = median_ns_per_iter(samples, || range.iterate(volleys.next_volley()));
            report("retest", n, percent, ns, firings);
            let (range, volleys) = &mut retest_all;
            let ns = median_ns_per_iter(samples, || range.iterate(volleys.next_volley()));
            report("retest_all", n, percent, ns, firings);
            let (range, volleys) = &mut hand_written;
            let ns = median_ns_per_iter(samples, || range.iterate(volleys.next_volley()));
            report("hand_written", n, percent, ns, firings);
        }
    }
}
