//! The `history` command: runs a scenario, records its history as the console's BI view does,
//! and prints the BI report, the history's size, or the history as CSV.

use twin::catalog::{self, FBES};
use twin::history::analysis::{self, Filter, Granularity, Window};
use twin::history::{record_run, HistorySize};
use twin::Scenario;

use crate::cli_args::{self, once, value, whole_number};

const USAGE: &str = "usage: twin history [--scenario NAME] [--seed N] [--ticks N] [--window W] \
                     [--granularity G] [--fbe FBE_NN] [--fact NAME] [--csv | --json]";

/// The seed when none is given, as in the console.
const DEFAULT_SEED: u64 = 42;
/// Ticks when none are given: one plant day.
const DEFAULT_TICKS: u64 = 240;

#[derive(serde::Serialize)]
struct Output {
    seed: u64,
    scenario: Scenario,
    window: &'static str,
    granularity: &'static str,
    fbe: Option<&'static str>,
    fact: &'static str,
    size: HistorySize,
    report: Option<analysis::Report>,
}

/// `twin history …`.
pub fn history(args: &[String]) -> Result<String, String> {
    run(args).map_err(|message| format!("{message}; {USAGE}"))
}

fn run(args: &[String]) -> Result<String, String> {
    let (mut scenario, mut seed, mut ticks) = (Scenario::MonteCarlo, DEFAULT_SEED, DEFAULT_TICKS);
    let mut filter = Filter::default();
    let mut fact_given = false;
    let (mut csv, mut json) = (false, false);
    let mut seen: Vec<&String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        once(&mut seen, arg)?;
        match arg.as_str() {
            "--scenario" => scenario = cli_args::scenario(rest.next())?,
            "--seed" => seed = whole_number(arg, rest.next())?,
            "--ticks" => ticks = whole_number(arg, rest.next())?,
            "--window" => {
                let name = value(arg, rest.next())?;
                filter.window = Window::from_name(name).ok_or_else(|| {
                    format!("--window must be 6h, 24h, 7d, 30d or all, not `{name}`")
                })?;
            }
            "--granularity" => {
                let name = value(arg, rest.next())?;
                filter.granularity = Granularity::from_name(name).ok_or_else(|| {
                    format!("--granularity must be 1min, 1h or 1day, not `{name}`")
                })?;
            }
            "--fbe" => {
                let id = value(arg, rest.next())?;
                let fbe = FBES
                    .iter()
                    .position(|f| f.id.eq_ignore_ascii_case(id))
                    .ok_or_else(|| format!("--fbe must be FBE_01 to FBE_11, not `{id}`"))?;
                filter.fbe = Some(fbe);
            }
            "--fact" => {
                let name = value(arg, rest.next())?;
                filter.fact = catalog::fact_by_name(name)
                    .ok_or_else(|| format!("there is no fact called `{name}`"))?
                    .0;
                fact_given = true;
            }
            "--csv" => csv = true,
            "--json" => json = true,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if csv && json {
        return Err("choose --csv or --json, not both".to_owned());
    }
    if let (Some(fbe), false) = (filter.fbe, fact_given) {
        filter.fact = FBES[fbe].key_fact;
    }

    let history = record_run(scenario, seed, ticks);
    if csv {
        let text = analysis::csv(&history, filter.window, filter.fbe);
        return Ok(text.trim_end_matches("\r\n").to_owned());
    }
    let report = analysis::report(&history, &filter);
    let output = Output {
        seed,
        scenario,
        window: filter.window.name(),
        granularity: filter.granularity.name(),
        fbe: filter.fbe.map(|f| FBES[f].id),
        fact: catalog::FACTS[filter.fact.index()].name,
        size: history.size(),
        report,
    };
    if json {
        return Ok(serde_json::to_string(&output).expect("reports serialise"));
    }
    let size = &output.size;
    let mut out = format!(
        "{} seed {seed}: {} ticks recorded, {} fact changes ({} kept in detail), buckets per \
         minute / hour / day {} / {} / {}, {:.2} MiB",
        scenario.name(),
        size.ticks,
        size.changes_total,
        size.changes_kept,
        size.buckets[0],
        size.buckets[1],
        size.buckets[2],
        size.memory_bytes as f64 / (1024.0 * 1024.0)
    );
    if let Some(r) = &output.report {
        let pct = |x: Option<f64>| x.map_or("–".to_owned(), |x| format!("{x:.2} %"));
        out.push_str(&format!(
            "\n  window {} at {}: OEE {} (A {}, P {}, Q {}), {} anomalies, {} firings",
            output.window,
            output.granularity,
            pct(r.kpis.oee),
            pct(r.kpis.availability),
            pct(r.kpis.performance),
            pct(r.kpis.quality),
            r.kpis.anomalies,
            r.kpis.firings
        ));
        if let Some(c) = &r.control {
            out.push_str(&format!(
                "\n  {}: CL {:.3}, UCL {:.3}, LCL {:.3} over {} points, {} out of limits",
                output.fact,
                c.cl,
                c.ucl,
                c.lcl,
                r.series.len(),
                c.out_of_limits.len()
            ));
        }
    }
    Ok(out)
}
