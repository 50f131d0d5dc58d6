//! The `ensemble` and `merge` commands: argument parsing, the threads, and the plain-text table.
//!
//! The threads live here and not in the library: the library runs seeds one after another, and
//! this command splits the seeds into one contiguous chunk per thread and hands the outcomes
//! back in seed order, so the result does not depend on the number of threads.

use std::time::Instant;

use twin::ensemble::{self, Distribution, EnsembleResult, EnsembleSpec, RunOutcome, Shard};
use twin::Scenario;

use crate::cli_args::{once, scenario, whole_number};

const USAGE: &str = "usage: twin ensemble [--scenario NAME] [--first-seed S] [--runs R] \
                     [--ticks T] [--shard K/N] [--threads N] [--json]";

/// Runs in an ensemble unless `--runs` says otherwise.
const DEFAULT_RUNS: u64 = 1_000;
/// Ticks per run unless `--ticks` says otherwise: one plant day.
const DEFAULT_TICKS: u64 = 240;

struct Args {
    spec: EnsembleSpec,
    threads: usize,
    json: bool,
}

fn shard(text: Option<&String>) -> Result<Shard, String> {
    let text = text.ok_or("--shard needs a value")?;
    let parsed = text
        .split_once('/')
        .and_then(|(k, n)| Some((k.parse().ok()?, n.parse().ok()?)));
    match parsed {
        Some((index, count)) => Ok(Shard { index, count }),
        None => Err(format!("--shard must be K/N, such as 2/4, not `{text}`")),
    }
}

fn parse(args: &[String]) -> Result<Args, String> {
    let (mut first_seed, mut runs, mut ticks) = (0, DEFAULT_RUNS, DEFAULT_TICKS);
    let mut scenario_arg = Scenario::MonteCarlo;
    let mut shard_arg = None;
    let mut threads = None;
    let mut json = false;

    let mut seen: Vec<&String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        once(&mut seen, arg)?;
        match arg.as_str() {
            "--scenario" => scenario_arg = scenario(rest.next())?,
            "--first-seed" => first_seed = whole_number(arg, rest.next())?,
            "--runs" => runs = whole_number(arg, rest.next())?,
            "--ticks" => ticks = whole_number(arg, rest.next())?,
            "--shard" => shard_arg = Some(shard(rest.next())?),
            "--threads" => match whole_number(arg, rest.next())? {
                0 => return Err("--threads must be at least 1".to_owned()),
                n => threads = Some(usize::try_from(n).unwrap_or(usize::MAX)),
            },
            "--json" => json = true,
            other => return Err(format!("unknown option `{other}`")),
        }
    }

    let spec = EnsembleSpec::of_scenario(scenario_arg, first_seed, runs, ticks, shard_arg)
        .map_err(|e| e.to_string())?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(Args {
        spec,
        threads: threads.unwrap_or(cores),
        json,
    })
}

/// The runs of `spec` on up to `threads` threads, each taking one contiguous chunk of seeds.
fn run_on_threads(spec: EnsembleSpec, threads: usize) -> EnsembleResult {
    let seeds: Vec<u64> = spec.seeds().collect();
    let threads = threads.clamp(1, seeds.len());
    if threads == 1 {
        return ensemble::run(spec);
    }

    let chunk = seeds.len().div_ceil(threads);
    let (scenario, ticks) = (spec.scenario(), spec.ticks());
    let outcomes: Vec<RunOutcome> = std::thread::scope(|scope| {
        let workers: Vec<_> = seeds
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|&seed| ensemble::run_outcome(scenario, seed, ticks))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a run of the twin does not panic"))
            .collect()
    });
    EnsembleResult::new(spec, outcomes)
}

/// `twin ensemble …`: the result as JSON or as a table.
pub fn ensemble(args: &[String]) -> Result<String, String> {
    let args = parse(args).map_err(|message| format!("{message}; {USAGE}"))?;

    let started = Instant::now();
    let result = run_on_threads(args.spec, args.threads);
    let seconds = started.elapsed().as_secs_f64();

    if args.json {
        return Ok(result.to_json());
    }
    Ok(table(&result, args.threads, seconds))
}

fn percent(bp: u64) -> String {
    format!("{:.2} %", bp as f64 / 100.0)
}

fn row(out: &mut String, label: &str, d: &Distribution, show: fn(u64) -> String) {
    out.push_str(&format!(
        "\n  {label:<32} {:>10} {:>10} {:>10}",
        show(d.p5),
        show(d.p50),
        show(d.p95)
    ));
}

fn table(result: &EnsembleResult, threads: usize, seconds: f64) -> String {
    let seeds = result.spec().seeds();
    let runs = result.outcomes.len();
    let threads = threads.clamp(1, runs);
    let scenario = match result.scenario {
        Scenario::MonteCarlo => "Monte Carlo",
        Scenario::Scripted => "Scripted brew day",
    };
    let mut out = format!(
        "{scenario} ensemble: seeds {} to {}{}, {} ticks per run; {runs} runs in {seconds:.2} s \
         on {threads} {} ({:.1} runs per second)",
        seeds.start,
        seeds.end - 1,
        result
            .shard
            .map(|s| format!(" (shard {s} of {} runs)", result.runs))
            .unwrap_or_default(),
        result.ticks,
        if threads == 1 { "thread" } else { "threads" },
        runs as f64 / seconds.max(f64::MIN_POSITIVE),
    );

    out.push_str(&format!(
        "\n  {:<32} {:>10} {:>10} {:>10}",
        "", "P5", "P50", "P95"
    ));
    let m = &result.metrics;
    let plain: fn(u64) -> String = |n| n.to_string();
    row(&mut out, "OEE (final state)", &m.oee, percent);
    row(&mut out, "  availability", &m.availability, percent);
    row(&mut out, "  performance", &m.performance, percent);
    row(&mut out, "  quality", &m.quality, percent);
    row(&mut out, "OEE (final shift)", &m.shift_oee, percent);
    row(&mut out, "  availability", &m.shift_availability, percent);
    row(&mut out, "  performance", &m.shift_performance, percent);
    row(&mut out, "  quality", &m.shift_quality, percent);
    row(&mut out, "anomalies", &m.anomalies, plain);
    row(
        &mut out,
        "minutes at peak tariff",
        &m.peak_tariff_minutes,
        plain,
    );
    row(&mut out, "lowest V2G level (%)", &m.lowest_v2g_pct, plain);
    row(
        &mut out,
        "packaging downtime (minutes)",
        &m.packaging_downtime_minutes,
        plain,
    );
    for rule in &result.rules {
        let label = format!("{} firings ({} runs fired)", rule.rule, rule.runs_fired);
        row(&mut out, &label, &rule.firings, plain);
    }
    out
}

/// `twin merge FILE…`: the merged ensemble as JSON.
pub fn merge(files: &[String]) -> Result<String, String> {
    if files.is_empty() {
        return Err(
            "merge needs the files of the shards to merge; usage: twin merge FILE...".into(),
        );
    }
    let mut results = Vec::with_capacity(files.len());
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
        let result = EnsembleResult::from_json(&text).map_err(|e| format!("{file}: {e}"))?;
        results.push(result);
    }
    let named = files.iter().map(String::as_str).zip(&results);
    let merged = ensemble::merge(named).map_err(|e| format!("cannot merge: {e}"))?;
    Ok(merged.to_json())
}
