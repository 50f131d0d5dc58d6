//! Command-line runner: runs the scripted brew day or Monte Carlo ticks for a seed and prints a
//! JSON summary, runs Monte Carlo ensembles (whole or as shards), and merges shards.

mod cli_args;
mod ensemble_cli;
mod history_cli;
mod predictions_cli;

use std::io::Write;
use std::process::ExitCode;

use twin::summary::summarize;
use twin::{Scenario, Twin, TwinConfig};

const USAGE: &str = "usage: twin (scripted | monte-carlo) [--seed N] [--ticks N] [--json], \
                     twin ensemble [OPTIONS], twin history [OPTIONS], twin predictions \
                     [OPTIONS], or twin merge FILE... (twin --help explains them)";

const HELP: &str = "\
Runs the brewery twin and prints a summary of the run, or runs many seeds as an ensemble.

usage: twin (scripted | monte-carlo) [--seed N] [--ticks N] [--json]

  scripted      the brew day: one plant day (240 ticks) that fires all twelve rules
  monte-carlo   process models plus random draws of a few facts per tick
  --seed N      seed of every random draw (default 42, as in the console)
  --ticks N     ticks to run (default: the whole brew day, or 240 for Monte Carlo)
  --json        print one JSON object: facts, firings, OEE, anomalies, state hash

usage: twin ensemble [--scenario NAME] [--first-seed S] [--runs R] [--ticks T] [--shard K/N]
                     [--threads N] [--json]

  ensemble      runs of the seeds S, S + 1, ... S + R - 1, with percentiles, histograms,
                firings per rule and which rules fire in the same runs
  --scenario NAME  monte-carlo (default) or scripted (the brew day, at most 240 ticks)
  --first-seed S  first seed (default 0)
  --runs R      runs in the whole ensemble, 1 to 10000 (default 1000)
  --ticks T     ticks per run (default 240, one plant day)
  --shard K/N   run only the K-th of N contiguous blocks of the seeds, for merging later
  --threads N   threads to spread the runs over (default: every core); the result is the same
  --json        print the result as one JSON object, runs included, instead of a table

usage: twin history [--scenario NAME] [--seed N] [--ticks N] [--window W] [--granularity G]
                    [--fbe FBE_NN] [--fact NAME] [--csv | --json]

  history       run a scenario (default monte-carlo, seed 42, 240 ticks), record its history as
                the console's BI view does, and print the view's figures for a filter
  --window W    6h, 24h (default), 7d, 30d or all, ending at the last tick
  --granularity G  1min, 1h (default) or 1day
  --fbe FBE_NN  only this piece of equipment (default: all)
  --fact NAME   the fact of the time series and control chart (default: the FBE's key fact,
                or fbe_03_diff_pressure)
  --csv         print the fact changes in the window (and FBE) as CSV instead
  --json        print the report, the history's size and memory as one JSON object

usage: twin predictions [--scenario NAME] [--seed N] [--ticks N] [--json | --json-lines]

  predictions   run a scenario (default monte-carlo, seed 42, 1000 ticks), record its history
                and train the predictions page's three models on it: OEE from the bottling
                line, fermenter A's forecast, the mill's anomaly score
  --json        print the models' figures as one JSON object
  --json-lines  print the predictions as JSON lines (model, target, minute, value)

usage: twin merge FILE...

  merge         read ensemble results (shards) written with --json and print the JSON of the
                ensemble they make up, identical to running it in one piece";

/// The seed used when none is given; the console's default too.
const DEFAULT_SEED: u64 = 42;

struct Args {
    scenario: Scenario,
    seed: u64,
    ticks: Option<u64>,
    json: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let command = args.first().ok_or("missing command")?;
    if command == "--help" || command == "-h" || command == "help" {
        return Err(String::new());
    }
    let scenario =
        Scenario::from_name(command).ok_or_else(|| format!("unknown command `{command}`"))?;
    let mut parsed = Args {
        scenario,
        seed: DEFAULT_SEED,
        ticks: None,
        json: false,
    };
    let mut seen: Vec<String> = Vec::new();
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        if seen.contains(arg) {
            return Err(format!("{arg} is given more than once"));
        }
        seen.push(arg.clone());
        let mut number = |name: &str| -> Result<u64, String> {
            let text = rest.next().ok_or_else(|| format!("{name} needs a value"))?;
            text.parse::<u64>().map_err(|_| {
                format!(
                    "{name} must be a whole number from 0 to {}, not `{text}`",
                    u64::MAX
                )
            })
        };
        match arg.as_str() {
            "--seed" => parsed.seed = number("--seed")?,
            "--ticks" => parsed.ticks = Some(number("--ticks")?),
            "--json" => parsed.json = true,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("ensemble") => ensemble_cli::ensemble(&args[1..]),
        Some("merge") => ensemble_cli::merge(&args[1..]),
        Some("history") => history_cli::history(&args[1..]),
        Some("predictions") => predictions_cli::predictions(&args[1..]),
        _ => return run(&args),
    };
    match outcome {
        Ok(out) => print(&out),
        Err(message) => {
            eprintln!("twin: {message}");
            ExitCode::from(2)
        }
    }
}

/// Prints the output. A reader that stops early (`| head`) is not an error.
fn print(out: &str) -> ExitCode {
    match writeln!(std::io::stdout().lock(), "{out}") {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("twin: could not print the result: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let args = match parse(args) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("twin: {message}; {USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut twin = Twin::new(TwinConfig::new(args.scenario, args.seed));
    let ticks = args.ticks.unwrap_or(match args.scenario {
        Scenario::Scripted => twin.scripted_ticks(),
        Scenario::MonteCarlo => 240,
    });
    twin.run(ticks);

    let summary = summarize(&twin);
    let mut out = String::new();
    if args.json {
        out = serde_json::to_string(&summary).expect("summaries serialise");
    } else {
        out.push_str(&format!(
            "{} seed {}: {} ticks, {} plant minutes, OEE {:.2} % (shift {:.2} %), state {}",
            summary.scenario.name(),
            summary.seed,
            summary.ticks,
            summary.simulated_minutes,
            summary.oee.oee,
            summary.oee_shift.oee,
            summary.state_hash
        ));
        for (rule, count) in &summary.firings {
            let unit = if *count == 1 { "firing" } else { "firings" };
            out.push_str(&format!("\n  {rule}: {count} {unit}"));
        }
    }
    print(&out)
}
