//! The `predictions` command: runs a scenario, records its history as the console does, trains
//! the three models of the predictions page on it and prints their figures.

use twin::history::record_run;
use twin::predictions::{self, Predictions};
use twin::Scenario;

use crate::cli_args::{self, once, whole_number};

const USAGE: &str = "usage: twin predictions [--scenario NAME] [--seed N] [--ticks N] \
                     [--json | --json-lines]";

const DEFAULT_SEED: u64 = 42;
const DEFAULT_TICKS: u64 = 1_000;

/// `twin predictions …`.
pub fn predictions(args: &[String]) -> Result<String, String> {
    run(args).map_err(|message| format!("{message}; {USAGE}"))
}

fn run(args: &[String]) -> Result<String, String> {
    let (mut scenario, mut seed, mut ticks) = (Scenario::MonteCarlo, DEFAULT_SEED, DEFAULT_TICKS);
    let (mut json, mut lines) = (false, false);
    let mut seen: Vec<&String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        once(&mut seen, arg)?;
        match arg.as_str() {
            "--scenario" => scenario = cli_args::scenario(rest.next())?,
            "--seed" => seed = whole_number(arg, rest.next())?,
            "--ticks" => ticks = whole_number(arg, rest.next())?,
            "--json" => json = true,
            "--json-lines" => lines = true,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if json && lines {
        return Err("choose --json or --json-lines, not both".to_owned());
    }
    let history = record_run(scenario, seed, ticks);
    // Too little history is an answer, not a failure of the command.
    let trained = predictions::train(&history);
    if json {
        return Ok(match &trained {
            Ok(p) => serde_json::to_string(p).expect("predictions serialise"),
            Err(e) => serde_json::json!({ "error": e.to_string() }).to_string(),
        });
    }
    let p = match trained {
        Ok(p) => p,
        Err(e) => return Ok(format!("{}: {e}", scenario.name())),
    };
    if lines {
        return Ok(predictions::to_json_lines(&p).trim_end().to_owned());
    }
    Ok(table(scenario, seed, &p))
}

fn table(scenario: Scenario, seed: u64, p: &Predictions) -> String {
    let mut out = format!(
        "{} seed {seed}: models trained on the first 70 % of {} ticks, measured on the rest",
        scenario.name(),
        p.ticks
    );
    out.push_str(&format!(
        "\n  OEE from the bottling line: MAE {:.3} points, R² {:.4} ({} held-out ticks)",
        p.oee.mae, p.oee.r2, p.oee.test_rows
    ));
    for e in &p.fermentation.errors {
        out.push_str(&format!(
            "\n  {}: forecast MAE {:.4}, last-value MAE {:.4}",
            e.fact, e.model_mae, e.naive_mae
        ));
    }
    match p.fermentation.hours_to_final_gravity {
        Some(h) => out.push_str(&format!("\n  final gravity in {h:.1} plant hours")),
        None => out.push_str("\n  final gravity not reached within the forecast horizon"),
    }
    out.push_str(&format!(
        "\n  mill anomaly score: threshold {:.3}, {} flagged, {} by the EMA, {} by both",
        p.mill.threshold,
        p.mill.flagged.len(),
        p.mill.ema_flagged.len(),
        p.mill.both.len()
    ));
    out
}
