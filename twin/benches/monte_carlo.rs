//! Monte Carlo ticks per second, and the engine's work per tick.
//!
//! Each iteration runs 240 ticks (one plant day) from a warmed-up twin; the engine counters of
//! a separate 10 000-tick run give the notifications, premise and rule evaluations per tick.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use twin::summary::summarize;
use twin::{Scenario, Twin, TwinConfig};

const DAY_TICKS: u64 = 240;

fn monte_carlo(c: &mut Criterion) {
    let mut counted = Twin::new(TwinConfig::new(Scenario::MonteCarlo, 42));
    counted.run(10_000);
    let summary = summarize(&counted);
    let ticks = summary.ticks as f64;
    eprintln!(
        "per tick over 10 000 ticks: {:.2} notifications, {:.2} premise evaluations, \
         {:.2} rule evaluations, {:.3} firings",
        summary.engine.notifications_per_tick,
        summary.engine.premise_evaluations as f64 / ticks,
        summary.engine.rule_evaluations as f64 / ticks,
        summary.firings.values().sum::<u64>() as f64 / ticks,
    );

    let mut group = c.benchmark_group("twin");
    group.throughput(Throughput::Elements(DAY_TICKS));
    group.sample_size(30);
    let mut warm = Twin::new(TwinConfig::new(Scenario::MonteCarlo, 7));
    warm.run(1_000);
    group.bench_function("monte_carlo_day_of_240_ticks", |b| {
        b.iter_batched_ref(
            || warm.clone(),
            |twin| twin.run(DAY_TICKS),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("scripted_brew_day", |b| {
        b.iter(|| {
            let mut twin = Twin::new(TwinConfig::new(Scenario::Scripted, 42));
            twin.run(u64::MAX);
            twin.tick()
        })
    });
    group.finish();
}

criterion_group!(benches, monte_carlo);
criterion_main!(benches);
