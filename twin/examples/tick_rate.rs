//! Monte Carlo ticks per second with plain wall-clock timing, so that the same code can be
//! measured natively and in WebAssembly (`scripts/bench-twin.sh` runs both).
//!
//! Prints one JSON line: ticks, seconds, ticks per second and the engine's work per tick.

use std::time::Instant;

use twin::summary::summarize;
use twin::{Scenario, Twin, TwinConfig};

fn main() {
    let ticks: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut twin = Twin::new(TwinConfig::new(Scenario::MonteCarlo, 42));
    let start = Instant::now();
    twin.run(ticks);
    let seconds = start.elapsed().as_secs_f64();
    let summary = summarize(&twin);
    println!(
        "{{\"ticks\":{ticks},\"seconds\":{seconds:.4},\"ticks_per_second\":{:.0},\
         \"notifications_per_tick\":{},\"rule_evaluations_per_tick\":{:.3},\"state_hash\":\"{}\"}}",
        ticks as f64 / seconds,
        summary.engine.notifications_per_tick,
        summary.engine.rule_evaluations as f64 / ticks as f64,
        summary.state_hash,
    );
}
