//! Command-line runner: runs the scripted brew day or Monte Carlo ticks for a seed and prints a
//! JSON summary.

use std::process::ExitCode;

use twin::summary::summarize;
use twin::{Scenario, Twin, TwinConfig};

const USAGE: &str = "usage: twin (scripted | monte-carlo) [--seed N] [--ticks N] [--json]";

struct Args {
    scenario: Scenario,
    seed: u64,
    ticks: Option<u64>,
    json: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let command = args.first().ok_or("missing command")?;
    let scenario =
        Scenario::from_name(command).ok_or_else(|| format!("unknown command `{command}`"))?;
    let mut parsed = Args {
        scenario,
        seed: 0,
        ticks: None,
        json: false,
    };
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
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
    let args = match parse(&args) {
        Ok(args) => args,
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
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&summary).expect("summaries serialise")
        );
    } else {
        println!(
            "{} seed {}: {} ticks, {} plant minutes, OEE {:.2} %, state {}",
            summary.scenario.name(),
            summary.seed,
            summary.ticks,
            summary.simulated_minutes,
            summary.oee.oee,
            summary.state_hash
        );
        for (rule, count) in &summary.firings {
            println!("  {rule}: {count} firings");
        }
    }
    ExitCode::SUCCESS
}
