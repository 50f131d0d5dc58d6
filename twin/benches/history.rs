//! The BI history: what recording adds to a tick, and how long the BI view's figures take on
//! the history of a long run.
//!
//! `record` runs 240 Monte Carlo ticks from a warmed-up twin with and without recording each
//! tick. `report` computes every widget's figures for several filters on the history of
//! 100 000 ticks (416 plant days), whose size is printed first.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use twin::history::analysis::{self, Filter, Granularity, Window};
use twin::history::{record_run, History};
use twin::{catalog, Scenario, Twin, TwinConfig};

const DAY_TICKS: u64 = 240;
const LONG_RUN: u64 = 100_000;

fn record(c: &mut Criterion) {
    let mut group = c.benchmark_group("history");
    group.throughput(Throughput::Elements(DAY_TICKS));
    group.sample_size(30);
    let mut warm = Twin::new(TwinConfig::new(Scenario::MonteCarlo, 7));
    warm.run(1_000);
    let history = History::new(&warm);
    group.bench_function("240_ticks_without_history", |b| {
        b.iter_batched_ref(
            || warm.clone(),
            |twin| twin.run(DAY_TICKS),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("240_ticks_recorded", |b| {
        b.iter_batched_ref(
            || (warm.clone(), history.clone()),
            |(twin, history)| {
                for _ in 0..DAY_TICKS {
                    twin.step();
                    history.record(twin, 0.0);
                }
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn report(c: &mut Criterion) {
    let history = record_run(Scenario::MonteCarlo, 42, LONG_RUN);
    let size = history.size();
    eprintln!(
        "history of {} ticks: {} changes ({} kept), buckets {:?}, {:.2} MiB",
        size.ticks,
        size.changes_total,
        size.changes_kept,
        size.buckets,
        size.memory_bytes as f64 / (1024.0 * 1024.0)
    );
    let mut group = c.benchmark_group("history_report_100k_ticks");
    group.sample_size(30);
    let filters = [
        ("24h_1h", Window::Hours(24), Granularity::Hour, None),
        ("30d_1h", Window::Hours(720), Granularity::Hour, None),
        ("all_1min", Window::Whole, Granularity::Minute, None),
        ("all_1h", Window::Whole, Granularity::Hour, None),
        ("all_1day_fbe06", Window::Whole, Granularity::Day, Some(5)),
    ];
    for (name, window, granularity, fbe) in filters {
        let filter = Filter {
            window,
            granularity,
            fbe,
            fact: fbe.map_or(catalog::DIFF_PRESSURE, |f| catalog::FBES[f].key_fact),
        };
        group.bench_function(name, |b| b.iter(|| analysis::report(&history, &filter)));
    }
    group.bench_function("csv_all", |b| {
        b.iter(|| analysis::csv(&history, Window::Whole, None).len())
    });
    group.finish();
}

criterion_group!(benches, record, report);
criterion_main!(benches);
