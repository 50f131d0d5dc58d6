//! The history of one run, kept the way a time-series database keeps telemetry: recent detail
//! in full, older data only as aggregates, so that memory stays bounded however long the run.
//!
//! After every tick, [`History::record`] keeps
//!
//! - every fact change (the facts whose value at the end of the tick differs from the end of
//!   the tick before), with plant and wall time, for the last [`DETAIL_MINUTES`];
//! - one sample per tick of every numeric series (the 58 facts, booleans as 0 / 1, and OEE
//!   with its three factors in percent), aggregated into per-minute buckets for the last
//!   [`DETAIL_MINUTES`], per-hour buckets for the last [`HOURLY_MINUTES`], and per-day buckets
//!   for the whole run;
//! - every rule firing and anomaly for the last [`HOURLY_MINUTES`], and per-day counts of the
//!   older ones.
//!
//! Memory therefore stops growing after [`HOURLY_MINUTES`] of plant time except for the daily
//! buckets, which add [`History::bytes_per_day`] per plant day. [`analysis`] answers the BI
//! view's questions from these tiers.

pub mod analysis;

use std::collections::VecDeque;

use pon_core::Value;
use serde::Serialize;

use crate::catalog::FACTS;
use crate::plant::{Scenario, Twin, TwinEvent};
use crate::rules::RULES;

/// Plant minutes of full detail: every change, and per-minute buckets (7 days).
pub const DETAIL_MINUTES: u64 = 7 * 24 * 60;
/// Plant minutes of per-hour buckets and of individual firings and anomalies (90 days).
pub const HOURLY_MINUTES: u64 = 90 * 24 * 60;

/// Series after the 58 facts: OEE and its factors, in percent.
pub const OEE_SERIES: [&str; 4] = ["oee", "availability", "performance", "quality"];
/// Number of series: one per fact, then [`OEE_SERIES`].
pub const SERIES: usize = FACTS.len() + OEE_SERIES.len();
/// Index of the OEE series.
pub const OEE: usize = FACTS.len();

/// Width of a bucket of each tier, in plant minutes.
pub const MINUTE: u64 = 1;
/// One hour.
pub const HOUR: u64 = 60;
/// One day.
pub const DAY: u64 = 24 * 60;

/// One fact change.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Plant minute at the end of the tick that made it.
    pub minute: u64,
    /// Tick that made it.
    pub tick: u64,
    /// Wall time it was recorded at, in milliseconds (epoch in the page, since the start of
    /// the run natively).
    pub wall_ms: f64,
    /// Index of the fact in [`FACTS`].
    pub fact: u16,
    /// Its new value.
    pub value: Value,
}

/// Minimum, maximum, sum and count of the samples of one series in one bucket.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aggregate {
    /// Smallest sample.
    pub min: f64,
    /// Largest sample.
    pub max: f64,
    /// Sum of the samples.
    pub sum: f64,
    /// Number of samples; 0 for a series with no numeric value in the bucket.
    pub count: u32,
}

impl Aggregate {
    /// No sample yet.
    pub const EMPTY: Aggregate = Aggregate {
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        sum: 0.0,
        count: 0,
    };

    fn add(&mut self, x: f64) {
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        self.sum += x;
        self.count += 1;
    }

    /// Combines two aggregates of the same series.
    pub fn merge(&mut self, other: &Aggregate) {
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum += other.sum;
        self.count += other.count;
    }

    /// Mean of the samples, or `None` without samples.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / f64::from(self.count))
    }
}

/// The aggregates of every series over one bucket of plant time.
#[derive(Clone, Debug, PartialEq)]
pub struct Bucket {
    /// First plant minute of the bucket.
    pub start: u64,
    /// One aggregate per series.
    pub series: Box<[Aggregate; SERIES]>,
}

/// Buckets of one width, oldest first, kept for a limited span of plant time (or forever).
#[derive(Clone, Debug)]
pub struct Tier {
    /// Bucket width in plant minutes.
    pub width: u64,
    /// Plant minutes kept behind the latest sample, or `None` for the whole run.
    pub retention: Option<u64>,
    /// The buckets, oldest first.
    pub buckets: VecDeque<Bucket>,
}

impl Tier {
    /// An empty tier; a retention keeps the buckets that overlap the last `retention` minutes.
    fn new(width: u64, retention: Option<u64>) -> Tier {
        Tier {
            width,
            retention,
            buckets: VecDeque::new(),
        }
    }

    fn add(&mut self, minute: u64, samples: &[Option<f64>; SERIES]) {
        let start = minute - minute % self.width;
        if self.buckets.back().is_none_or(|b| b.start != start) {
            self.buckets.push_back(Bucket {
                start,
                series: Box::new([Aggregate::EMPTY; SERIES]),
            });
        }
        let bucket = self.buckets.back_mut().expect("a bucket was just ensured");
        for (aggregate, sample) in bucket.series.iter_mut().zip(samples) {
            if let Some(x) = sample {
                aggregate.add(*x);
            }
        }
        if let Some(retention) = self.retention {
            let oldest = minute.saturating_sub(retention);
            while self
                .buckets
                .front()
                .is_some_and(|b| b.start + self.width <= oldest + 1)
            {
                self.buckets.pop_front();
            }
        }
    }

    /// The first plant minute this tier still holds, if it holds anything.
    pub fn first_minute(&self) -> Option<u64> {
        self.buckets.front().map(|b| b.start)
    }
}

/// A rule firing or an anomaly: when, and which rule or fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Plant minute.
    pub minute: u64,
    /// Index of the rule in [`RULES`] or of the fact in [`FACTS`].
    pub id: u16,
}

/// Events of one kind: the recent ones one by one, the older ones counted per day.
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    /// Events of the last [`HOURLY_MINUTES`], oldest first.
    pub recent: VecDeque<Event>,
    /// Older events: (first minute of the day, id, count), oldest day first.
    pub daily: Vec<(u64, u16, u64)>,
    /// Events ever recorded.
    pub total: u64,
}

impl EventLog {
    fn push(&mut self, event: Event) {
        self.recent.push_back(event);
        self.total += 1;
        let oldest = event.minute.saturating_sub(HOURLY_MINUTES);
        while let Some(old) = self.recent.front().copied().filter(|e| e.minute <= oldest) {
            self.recent.pop_front();
            let day = old.minute - old.minute % DAY;
            match self
                .daily
                .iter_mut()
                .rev()
                .take_while(|(d, _, _)| *d == day)
                .find(|(_, id, _)| *id == old.id)
            {
                Some((_, _, count)) => *count += 1,
                None => self.daily.push((day, old.id, 1)),
            }
        }
    }

    /// Events per id with `from < minute ≤ to`, counting the daily counts of days that start
    /// after `from`.
    pub fn counts(&self, from: Option<u64>, to: u64, ids: usize) -> Vec<u64> {
        let mut counts = vec![0; ids];
        let after = |minute: u64| from.is_none_or(|f| minute > f);
        for &(day, id, n) in &self.daily {
            if after(day) && day <= to {
                counts[usize::from(id)] += n;
            }
        }
        for e in &self.recent {
            if after(e.minute) && e.minute <= to {
                counts[usize::from(e.id)] += 1;
            }
        }
        counts
    }
}

/// The recorded history of one run.
#[derive(Clone, Debug)]
pub struct History {
    seed: u64,
    scenario: Scenario,
    /// Fact values at the end of the last recorded tick (the initial values before any).
    current: Vec<Value>,
    /// Changes of the last [`DETAIL_MINUTES`], oldest first.
    changes: VecDeque<Change>,
    /// Changes ever recorded, kept or not.
    changes_total: u64,
    /// Per-minute, per-hour and per-day buckets.
    tiers: [Tier; 3],
    firings: EventLog,
    anomalies: EventLog,
    ticks: u64,
    first_minute: Option<u64>,
    last_minute: Option<u64>,
}

/// The sample of each series in the twin's current state.
fn samples(twin: &Twin) -> [Option<f64>; SERIES] {
    let mut samples = [None; SERIES];
    for (sample, value) in samples.iter_mut().zip(twin.values()) {
        *sample = match value {
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            other => other.as_f64(),
        };
    }
    let oee = twin.oee();
    let factors = [oee.oee, oee.availability, oee.performance, oee.quality];
    for (k, factor) in factors.into_iter().enumerate() {
        samples[OEE + k] = Some(factor * 100.0);
    }
    samples
}

impl History {
    /// An empty history of a run of `scenario` and `seed`, starting from `twin`'s current
    /// values (normally those of a new twin).
    pub fn new(twin: &Twin) -> History {
        History {
            seed: twin.config().seed,
            scenario: twin.config().scenario,
            current: twin.values().to_vec(),
            changes: VecDeque::new(),
            changes_total: 0,
            tiers: [
                Tier::new(MINUTE, Some(DETAIL_MINUTES)),
                Tier::new(HOUR, Some(HOURLY_MINUTES)),
                Tier::new(DAY, None),
            ],
            firings: EventLog::default(),
            anomalies: EventLog::default(),
            ticks: 0,
            first_minute: None,
            last_minute: None,
        }
    }

    /// Records the tick `twin` has just run, at wall time `wall_ms`.
    pub fn record(&mut self, twin: &Twin, wall_ms: f64) {
        let (minute, tick) = (twin.minute(), twin.tick());
        for (fact, (value, current)) in twin.values().iter().zip(&mut self.current).enumerate() {
            if !value.same_as(current) {
                *current = value.clone();
                self.changes.push_back(Change {
                    minute,
                    tick,
                    wall_ms,
                    fact: fact as u16,
                    value: value.clone(),
                });
                self.changes_total += 1;
            }
        }
        let oldest = minute.saturating_sub(DETAIL_MINUTES);
        while self.changes.front().is_some_and(|c| c.minute <= oldest) {
            self.changes.pop_front();
        }

        let samples = samples(twin);
        for tier in &mut self.tiers {
            tier.add(minute, &samples);
        }
        for event in twin.events() {
            match event {
                TwinEvent::Rule { rule, .. } => {
                    if let Some(r) = RULES.iter().position(|info| info.id == *rule) {
                        self.firings.push(Event {
                            minute,
                            id: r as u16,
                        });
                    }
                }
                TwinEvent::Anomaly { fact, .. } => {
                    if let Some(f) = FACTS.iter().position(|info| info.name == *fact) {
                        self.anomalies.push(Event {
                            minute,
                            id: f as u16,
                        });
                    }
                }
                TwinEvent::System { .. } => {}
            }
        }
        self.ticks += 1;
        self.first_minute.get_or_insert(minute);
        self.last_minute = Some(minute);
    }

    /// Seed of the run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Scenario of the run.
    pub fn scenario(&self) -> Scenario {
        self.scenario
    }

    /// Ticks recorded.
    pub fn ticks(&self) -> u64 {
        self.ticks
    }

    /// Plant minute of the first recorded tick, or `None` before it.
    pub fn first_minute(&self) -> Option<u64> {
        self.first_minute
    }

    /// Plant minute of the last recorded tick, or `None` before the first.
    pub fn last_minute(&self) -> Option<u64> {
        self.last_minute
    }

    /// The changes still kept in detail, oldest first.
    pub fn changes(&self) -> &VecDeque<Change> {
        &self.changes
    }

    /// Changes ever recorded, including those no longer kept in detail.
    pub fn changes_total(&self) -> u64 {
        self.changes_total
    }

    /// The per-minute, per-hour and per-day tiers, in that order.
    pub fn tiers(&self) -> &[Tier; 3] {
        &self.tiers
    }

    /// Rule firings (ids index [`RULES`]).
    pub fn firings(&self) -> &EventLog {
        &self.firings
    }

    /// Anomalies (ids index [`FACTS`]).
    pub fn anomalies(&self) -> &EventLog {
        &self.anomalies
    }

    /// Heap bytes held, counted from the capacities of its containers (the shared text of
    /// text and tuple values is not counted; no fact of the plant has such values).
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        let buckets: usize = self
            .tiers
            .iter()
            .map(|t| {
                t.buckets.capacity() * (size_of::<Bucket>() + size_of::<[Aggregate; SERIES]>())
            })
            .sum();
        let events = |log: &EventLog| {
            log.recent.capacity() * size_of::<Event>()
                + log.daily.capacity() * size_of::<(u64, u16, u64)>()
        };
        size_of::<History>()
            + self.current.capacity() * size_of::<Value>()
            + self.changes.capacity() * size_of::<Change>()
            + buckets
            + events(&self.firings)
            + events(&self.anomalies)
    }

    /// Bytes a plant day adds once the detail and hourly tiers are full: one daily bucket.
    pub fn bytes_per_day() -> usize {
        std::mem::size_of::<Bucket>() + std::mem::size_of::<[Aggregate; SERIES]>()
    }
}

/// A summary of the history's size, for the page and the command-line runner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistorySize {
    /// Ticks recorded.
    pub ticks: u64,
    /// Changes ever recorded.
    pub changes_total: u64,
    /// Changes kept in detail.
    pub changes_kept: usize,
    /// Buckets per tier: minute, hour, day.
    pub buckets: [usize; 3],
    /// Heap bytes held.
    pub memory_bytes: usize,
}

impl History {
    /// Its size.
    pub fn size(&self) -> HistorySize {
        HistorySize {
            ticks: self.ticks,
            changes_total: self.changes_total,
            changes_kept: self.changes.len(),
            buckets: [
                self.tiers[0].buckets.len(),
                self.tiers[1].buckets.len(),
                self.tiers[2].buckets.len(),
            ],
            memory_bytes: self.memory_bytes(),
        }
    }
}

/// Runs `scenario` for `seed` and up to `ticks` ticks and records its history, as the page
/// does (wall time is the time since the start of this call).
pub fn record_run(scenario: Scenario, seed: u64, ticks: u64) -> History {
    let started = std::time::Instant::now();
    let mut twin = Twin::new(crate::TwinConfig::new(scenario, seed));
    let mut history = History::new(&twin);
    for _ in 0..ticks {
        if twin.finished() {
            break;
        }
        twin.step();
        history.record(&twin, started.elapsed().as_secs_f64() * 1000.0);
    }
    history
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TwinConfig;

    #[test]
    fn every_change_is_recorded_once_with_its_new_value() {
        let mut twin = Twin::new(TwinConfig::new(Scenario::MonteCarlo, 4));
        let mut history = History::new(&twin);
        let mut before = twin.values().to_vec();
        let mut expected = 0;
        for _ in 0..200 {
            twin.step();
            history.record(&twin, 0.0);
            let changed: Vec<usize> = (0..FACTS.len())
                .filter(|&f| !twin.values()[f].same_as(&before[f]))
                .collect();
            let recorded: Vec<usize> = history
                .changes()
                .iter()
                .filter(|c| c.tick == twin.tick())
                .map(|c| usize::from(c.fact))
                .collect();
            assert_eq!(recorded, changed, "tick {}", twin.tick());
            for c in history.changes().iter().filter(|c| c.tick == twin.tick()) {
                assert!(c.value.same_as(&twin.values()[usize::from(c.fact)]));
            }
            expected += changed.len() as u64;
            before = twin.values().to_vec();
        }
        assert_eq!(history.changes_total(), expected);
        assert!(expected > 200, "a Monte Carlo tick changes facts");
    }

    #[test]
    fn tiers_aggregate_the_same_samples_at_every_width() {
        let history = record_run(Scenario::MonteCarlo, 8, 500);
        let [minutes, hours, days] = history.tiers();
        let total = |tier: &Tier, series: usize| {
            let mut all = Aggregate::EMPTY;
            for b in &tier.buckets {
                all.merge(&b.series[series]);
            }
            all
        };
        for series in [0, 14, OEE, OEE + 3] {
            let (m, h, d) = (
                total(minutes, series),
                total(hours, series),
                total(days, series),
            );
            assert_eq!(m.count, 500);
            assert_eq!((h.count, d.count), (500, 500));
            assert_eq!((m.min, m.max), (d.min, d.max));
            assert!((m.sum - h.sum).abs() < 1e-6 * m.sum.abs().max(1.0));
        }
        assert_eq!(minutes.buckets.len(), 500, "one per tick of 6 minutes");
        assert_eq!(
            hours.buckets.len(),
            51,
            "minutes 6 to 3 000 touch hours 0 to 50"
        );
        assert_eq!(days.buckets.len(), 3, "500 ticks are 3 000 minutes");
    }

    #[test]
    fn detail_is_dropped_after_a_week_and_hours_after_ninety_days() {
        // 100 000 ticks of 6 minutes are 416 days.
        let history = record_run(Scenario::MonteCarlo, 1, 100_000);
        let last = history.last_minute().unwrap();
        assert_eq!(last, 600_000);
        let [minutes, hours, days] = history.tiers();
        assert_eq!(minutes.buckets.len() as u64, DETAIL_MINUTES / 6);
        assert!(minutes.first_minute().unwrap() >= last - DETAIL_MINUTES);
        let hourly = hours.buckets.len() as u64;
        assert!((HOURLY_MINUTES / HOUR..=HOURLY_MINUTES / HOUR + 1).contains(&hourly));
        assert_eq!(days.buckets.len(), 417);
        assert!(history.changes().front().unwrap().minute >= last - DETAIL_MINUTES);
        assert!(history.changes_total() > history.changes().len() as u64 * 50);

        let firings = history.firings();
        assert!(!firings.daily.is_empty());
        let counted: u64 = firings.counts(None, last, RULES.len()).iter().sum();
        assert_eq!(counted, firings.total);
        let anomalies: u64 = history
            .anomalies()
            .counts(None, last, FACTS.len())
            .iter()
            .sum();
        assert_eq!(anomalies, history.anomalies().total);
    }

    #[test]
    fn a_scripted_history_stops_with_the_brew_day() {
        let history = record_run(Scenario::Scripted, 42, 10_000);
        assert_eq!(history.ticks(), 240);
        assert_eq!(history.scenario(), Scenario::Scripted);
        let fired = history.firings().counts(None, u64::MAX, RULES.len());
        assert!(fired.iter().all(|&n| n > 0), "{fired:?}");
    }
}
