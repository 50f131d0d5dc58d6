//! The BI view's analyses of a [`History`]: key figures, trends, an individuals control chart,
//! the lauter / fermentation correlation table, a synoptic per FBE, Pareto counts, and the
//! history as CSV. Every figure is computed from the history alone, so the page and a native
//! run of the same seed and ticks give the same numbers.

use std::fmt::Write as _;

use pon_core::{FactId, Value};
use serde::Serialize;

use super::{Aggregate, History, Tier, DAY, DETAIL_MINUTES, HOUR, HOURLY_MINUTES, OEE};
use crate::catalog::{self, FACTS, FBES};
use crate::rules::RULES;

/// The span of plant time analysed, ending at the last recorded tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Window {
    /// The last so many plant hours.
    Hours(u64),
    /// The whole run.
    Whole,
}

/// The windows offered, with their names in URLs and on the command line.
pub const WINDOWS: [(Window, &str, &str); 5] = [
    (Window::Hours(6), "6h", "Last 6 h"),
    (Window::Hours(24), "24h", "Last 24 h"),
    (Window::Hours(7 * 24), "7d", "Last 7 days"),
    (Window::Hours(30 * 24), "30d", "Last 30 days"),
    (Window::Whole, "all", "Whole run"),
];

impl Window {
    /// The window called `name` (`6h`, `24h`, `7d`, `30d`, `all`).
    pub fn from_name(name: &str) -> Option<Window> {
        WINDOWS.iter().find(|w| w.1 == name).map(|w| w.0)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        WINDOWS.iter().find(|w| w.0 == self).map_or("all", |w| w.1)
    }
}

/// Bucket width of the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Granularity {
    /// One plant minute (a tick is 6 minutes, so one sample per bucket).
    Minute,
    /// One plant hour.
    Hour,
    /// One plant day.
    Day,
}

/// The granularities offered, with their names and labels.
pub const GRANULARITIES: [(Granularity, &str, &str); 3] = [
    (Granularity::Minute, "1min", "1 min"),
    (Granularity::Hour, "1h", "1 h"),
    (Granularity::Day, "1day", "1 day"),
];

impl Granularity {
    /// The granularity called `name` (`1min`, `1h`, `1day`).
    pub fn from_name(name: &str) -> Option<Granularity> {
        GRANULARITIES.iter().find(|g| g.1 == name).map(|g| g.0)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        GRANULARITIES
            .iter()
            .find(|g| g.0 == self)
            .map_or("1h", |g| g.1)
    }

    fn tier(self) -> usize {
        match self {
            Granularity::Minute => 0,
            Granularity::Hour => 1,
            Granularity::Day => 2,
        }
    }
}

/// What the BI view is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Span of plant time.
    pub window: Window,
    /// Bucket width.
    pub granularity: Granularity,
    /// One FBE (an index into [`FBES`]) or all of them.
    pub fbe: Option<usize>,
    /// The fact of the time series and the control chart.
    pub fact: FactId,
}

impl Default for Filter {
    fn default() -> Filter {
        Filter {
            window: Window::Hours(24),
            granularity: Granularity::Hour,
            fbe: None,
            fact: catalog::DIFF_PRESSURE,
        }
    }
}

/// Plant minutes `(from, to]` a window covers in a history whose last tick is at `to`; `from`
/// is `None` when the window reaches back to the start of the run.
pub fn span(window: Window, to: u64) -> (Option<u64>, u64) {
    match window {
        Window::Hours(hours) => (to.checked_sub(hours * 60), to),
        Window::Whole => (None, to),
    }
}

/// One bucket of a series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    /// First plant minute of the bucket.
    pub minute: u64,
    /// Mean of the samples.
    pub mean: f64,
    /// Smallest sample.
    pub min: f64,
    /// Largest sample.
    pub max: f64,
}

/// Key figures of the window.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Kpis {
    /// Mean OEE of the ticks in the window, in percent (from the finest buckets kept for the
    /// whole window, whatever the granularity chosen for the charts).
    pub oee: Option<f64>,
    /// Mean availability, in percent.
    pub availability: Option<f64>,
    /// Mean performance, in percent.
    pub performance: Option<f64>,
    /// Mean quality, in percent.
    pub quality: Option<f64>,
    /// Anomalies in the window (of the chosen FBE's facts, if one is chosen).
    pub anomalies: u64,
    /// Rule firings in the window (of the rules that watch or act on the chosen FBE).
    pub firings: u64,
}

/// OEE and its factors in one bucket, in percent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrendPoint {
    /// First plant minute of the bucket.
    pub minute: u64,
    /// OEE.
    pub oee: f64,
    /// Availability.
    pub availability: f64,
    /// Performance.
    pub performance: f64,
    /// Quality.
    pub quality: f64,
}

/// Multiplier of the average moving range in an individuals chart's limits.
pub const AMR_FACTOR: f64 = 2.66;

/// An individuals (I-MR) control chart of a series' bucket means.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ControlChart {
    /// Centre line: the mean of the points.
    pub cl: f64,
    /// Average moving range: the mean absolute difference of consecutive points.
    pub amr: f64,
    /// Upper control limit, `cl + 2.66 · amr`.
    pub ucl: f64,
    /// Lower control limit, `cl − 2.66 · amr`.
    pub lcl: f64,
    /// Indices of the points outside the limits.
    pub out_of_limits: Vec<usize>,
}

impl ControlChart {
    /// The chart of `values`, or `None` for fewer than two.
    pub fn of(values: &[f64]) -> Option<ControlChart> {
        if values.len() < 2 {
            return None;
        }
        let cl = values.iter().sum::<f64>() / values.len() as f64;
        let amr =
            values.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (values.len() - 1) as f64;
        let (ucl, lcl) = (cl + AMR_FACTOR * amr, cl - AMR_FACTOR * amr);
        let out_of_limits = values
            .iter()
            .enumerate()
            .filter(|(_, &x)| x > ucl || x < lcl)
            .map(|(i, _)| i)
            .collect();
        Some(ControlChart {
            cl,
            amr,
            ucl,
            lcl,
            out_of_limits,
        })
    }
}

/// The facts of the correlation table: the lauter's Darcy bed and fermenter A.
pub const CORRELATION_FACTS: [FactId; 6] = [
    catalog::DIFF_PRESSURE,
    catalog::WORT_CLARITY,
    catalog::PUMP_SPEED,
    catalog::FERM_A_BRIX,
    catalog::FERM_A_CO2,
    catalog::FERM_A_PH,
];

/// Rows of the correlation table at most: the latest buckets.
pub const CORRELATION_ROWS: usize = 12;

/// One bucket of the correlation table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CorrelationRow {
    /// First plant minute of the bucket.
    pub minute: u64,
    /// Mean of each of [`CORRELATION_FACTS`].
    pub means: [Option<f64>; 6],
}

/// How an FBE fared in the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SynopticStatus {
    /// No anomaly.
    Normal,
    /// At least one anomaly of its facts.
    Warning,
    /// Its key fact has no numeric sample in the window.
    NoData,
}

/// One FBE in the synoptic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SynopticRow {
    /// Index into [`FBES`].
    pub fbe: usize,
    /// Mean of its key fact.
    pub mean: Option<f64>,
    /// Largest sample of its key fact.
    pub max: Option<f64>,
    /// Anomalies of its facts.
    pub anomalies: u64,
    /// Status.
    pub status: SynopticStatus,
}

/// One bar of a Pareto chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParetoBar {
    /// The fact or rule.
    pub label: &'static str,
    /// Its count.
    pub count: u64,
    /// Share of all counts up to and including this bar, in percent.
    pub cumulative_pct: f64,
}

/// Bars of a Pareto chart at most.
pub const PARETO_BARS: usize = 8;

/// Why some of the window is shown at a coarser resolution than asked, or not at all.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Coverage {
    /// First plant minute the chosen granularity still holds, if the window starts before it.
    pub granularity_from: Option<u64>,
    /// First plant minute of the changes still kept in detail (for the CSV), if the window
    /// starts before it.
    pub detail_from: Option<u64>,
}

/// Everything the BI view shows for one filter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Start of the window (exclusive), or `None` for the start of the run.
    pub from_minute: Option<u64>,
    /// End of the window: the last recorded tick.
    pub to_minute: u64,
    /// Key figures.
    pub kpis: Kpis,
    /// OEE and its factors per bucket.
    pub oee_trend: Vec<TrendPoint>,
    /// The chosen fact per bucket.
    pub series: Vec<Point>,
    /// The control chart of the chosen fact's bucket means.
    pub control: Option<ControlChart>,
    /// The latest buckets of the correlation table, newest first.
    pub correlation: Vec<CorrelationRow>,
    /// One row per FBE (or the chosen one).
    pub synoptic: Vec<SynopticRow>,
    /// Anomalies by fact, most first.
    pub anomaly_pareto: Vec<ParetoBar>,
    /// Firings by rule, most first.
    pub firing_pareto: Vec<ParetoBar>,
    /// What the retention left out.
    pub coverage: Coverage,
}

/// The buckets of `tier` that overlap the plant minutes `(from, to]`.
fn buckets_in(tier: &Tier, from: Option<u64>, to: u64) -> impl Iterator<Item = &super::Bucket> {
    let width = tier.width;
    tier.buckets
        .iter()
        .filter(move |b| from.is_none_or(|f| b.start + width - 1 > f) && b.start <= to)
}

/// All the samples of `series` in `buckets`.
fn merged<'a>(buckets: impl Iterator<Item = &'a super::Bucket>, series: usize) -> Aggregate {
    let mut all = Aggregate::EMPTY;
    for b in buckets {
        all.merge(&b.series[series]);
    }
    all
}

fn total(tier: &Tier, from: Option<u64>, to: u64, series: usize) -> Aggregate {
    merged(buckets_in(tier, from, to), series)
}

/// The finest tier that still holds every tick after `from` (the whole run when `None`).
fn finest_covering(history: &History, from: Option<u64>) -> &Tier {
    let start = match from {
        Some(f) => f + 1,
        None => history.first_minute().unwrap_or(0),
    };
    history
        .tiers()
        .iter()
        .find(|t| t.first_minute().is_some_and(|first| first <= start))
        .unwrap_or(&history.tiers()[2])
}

/// The samples of `series` in the buckets of `tier` that start inside `(from, to]`: in the
/// per-minute tier, exactly the ticks of the window.
fn inside(tier: &Tier, from: Option<u64>, to: u64, series: usize) -> Aggregate {
    let starting_inside = tier
        .buckets
        .iter()
        .filter(|b| from.is_none_or(|f| b.start > f) && b.start <= to);
    merged(starting_inside, series)
}

fn pareto(counts: &[u64], label: impl Fn(usize) -> &'static str) -> Vec<ParetoBar> {
    let mut order: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    let all: u64 = counts.iter().sum();
    let mut running = 0;
    order
        .into_iter()
        .take(PARETO_BARS)
        .map(|i| {
            running += counts[i];
            ParetoBar {
                label: label(i),
                count: counts[i],
                cumulative_pct: 100.0 * running as f64 / all as f64,
            }
        })
        .collect()
}

/// Whether rule `r` watches or acts on FBE `fbe`.
fn rule_touches(r: usize, fbe: usize) -> bool {
    RULES[r].watches.contains(&fbe) || RULES[r].acts_on.contains(&fbe)
}

/// The report of `filter`, or `None` before the first tick.
pub fn report(history: &History, filter: &Filter) -> Option<Report> {
    let to = history.last_minute()?;
    let (from, to) = span(filter.window, to);
    let tier = &history.tiers()[filter.granularity.tier()];
    let in_fbe = |fact: usize| filter.fbe.is_none_or(|fbe| FACTS[fact].fbe == fbe);

    // The key figures do not depend on the granularity: they come from the finest buckets
    // that cover the window, those that start inside it.
    let exact = finest_covering(history, from);
    let mean = |series| inside(exact, from, to, series).mean();
    let anomaly_counts: Vec<u64> = history
        .anomalies()
        .counts(from, to, FACTS.len())
        .into_iter()
        .enumerate()
        .map(|(f, n)| if in_fbe(f) { n } else { 0 })
        .collect();
    let firing_counts: Vec<u64> = history
        .firings()
        .counts(from, to, RULES.len())
        .into_iter()
        .enumerate()
        .map(|(r, n)| {
            if filter.fbe.is_none_or(|fbe| rule_touches(r, fbe)) {
                n
            } else {
                0
            }
        })
        .collect();
    let kpis = Kpis {
        oee: mean(OEE),
        availability: mean(OEE + 1),
        performance: mean(OEE + 2),
        quality: mean(OEE + 3),
        anomalies: anomaly_counts.iter().sum(),
        firings: firing_counts.iter().sum(),
    };

    let oee_trend = buckets_in(tier, from, to)
        .filter_map(|b| {
            Some(TrendPoint {
                minute: b.start,
                oee: b.series[OEE].mean()?,
                availability: b.series[OEE + 1].mean()?,
                performance: b.series[OEE + 2].mean()?,
                quality: b.series[OEE + 3].mean()?,
            })
        })
        .collect();
    let series: Vec<Point> = buckets_in(tier, from, to)
        .filter_map(|b| {
            let a = &b.series[filter.fact.index()];
            Some(Point {
                minute: b.start,
                mean: a.mean()?,
                min: a.min,
                max: a.max,
            })
        })
        .collect();
    let means: Vec<f64> = series.iter().map(|p| p.mean).collect();
    let control = ControlChart::of(&means);

    let correlation = buckets_in(tier, from, to)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(CORRELATION_ROWS)
        .map(|b| CorrelationRow {
            minute: b.start,
            means: CORRELATION_FACTS.map(|f| b.series[f.index()].mean()),
        })
        .collect();

    let synoptic = (0..FBES.len())
        .filter(|&fbe| filter.fbe.is_none_or(|chosen| chosen == fbe))
        .map(|fbe| {
            let key = total(tier, from, to, FBES[fbe].key_fact.index());
            let anomalies: u64 = catalog::facts_of(fbe)
                .map(|(id, _)| anomaly_counts[id.index()])
                .sum();
            let status = match (key.count, anomalies) {
                (0, _) => SynopticStatus::NoData,
                (_, 0) => SynopticStatus::Normal,
                _ => SynopticStatus::Warning,
            };
            SynopticRow {
                fbe,
                mean: key.mean(),
                max: (key.count > 0).then_some(key.max),
                anomalies,
                status,
            }
        })
        .collect();

    let first_run_minute = history.first_minute();
    let starts_before = |held: Option<u64>| match (held, from, first_run_minute) {
        (Some(held), Some(from), _) if held > from + 1 => Some(held),
        (Some(held), None, Some(first)) if held > first => Some(held),
        _ => None,
    };
    let coverage = Coverage {
        granularity_from: starts_before(tier.first_minute()),
        detail_from: starts_before(history.changes().front().map(|c| c.minute)),
    };

    Some(Report {
        from_minute: from,
        to_minute: to,
        kpis,
        oee_trend,
        series,
        control,
        correlation,
        synoptic,
        anomaly_pareto: pareto(&anomaly_counts, |f| FACTS[f].name),
        firing_pareto: pareto(&firing_counts, |r| RULES[r].id),
        coverage,
    })
}

/// How long each granularity is kept, in plant minutes (`None`: the whole run).
pub fn retention(granularity: Granularity) -> Option<u64> {
    match granularity {
        Granularity::Minute => Some(DETAIL_MINUTES),
        Granularity::Hour => Some(HOURLY_MINUTES),
        Granularity::Day => None,
    }
}

/// A plant minute as the CSV and the charts write it: `day 3 14:06`.
pub fn plant_time(minute: u64) -> String {
    let in_day = minute % DAY;
    format!(
        "day {} {:02}:{:02}",
        minute / DAY + 1,
        in_day / HOUR,
        in_day % HOUR
    )
}

/// A value in the CSV: numbers in full precision, booleans as `true` / `false`, symbols by
/// name, anything else as text.
fn csv_value(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Symbol(s) => s.name().to_owned(),
        other => other.to_string(),
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Header of the history's CSV.
pub const CSV_HEADER: &str = "simulated_minute,simulated_time,fact,value,unit";

/// The fact changes kept in detail within `window` (of the facts of `fbe`, if given) as CSV:
/// the header, then one row per change in time order, each line ending in CRLF.
pub fn csv(history: &History, window: Window, fbe: Option<usize>) -> String {
    let mut out = String::with_capacity(64 * (history.changes().len() + 1));
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    let Some(to) = history.last_minute() else {
        return out;
    };
    let (from, _) = span(window, to);
    for change in history.changes() {
        let fact = &FACTS[usize::from(change.fact)];
        if from.is_some_and(|f| change.minute <= f) || fbe.is_some_and(|b| fact.fbe != b) {
            continue;
        }
        let _ = write!(
            out,
            "{},{},{},{},{}\r\n",
            change.minute,
            plant_time(change.minute),
            fact.name,
            csv_field(&csv_value(&change.value)),
            csv_field(fact.unit)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::record_run;
    use crate::Scenario;

    #[test]
    fn control_limits_are_the_mean_plus_or_minus_2_66_average_moving_ranges() {
        let chart = ControlChart::of(&[10.0, 12.0, 11.0, 13.0, 30.0]).unwrap();
        assert_eq!(chart.cl, 15.2);
        assert_eq!(chart.amr, (2.0 + 1.0 + 2.0 + 17.0) / 4.0);
        assert!((chart.ucl - (15.2 + 2.66 * 5.5)).abs() < 1e-12);
        assert!((chart.lcl - (15.2 - 2.66 * 5.5)).abs() < 1e-12);
        assert_eq!(chart.out_of_limits, [4]);
        assert_eq!(ControlChart::of(&[1.0]), None);
    }

    #[test]
    fn pareto_bars_are_sorted_and_accumulate_to_100_percent() {
        let bars = pareto(&[3, 0, 5, 2], |i| ["a", "b", "c", "d"][i]);
        let labels: Vec<_> = bars.iter().map(|b| (b.label, b.count)).collect();
        assert_eq!(labels, [("c", 5), ("a", 3), ("d", 2)]);
        assert_eq!(bars.last().unwrap().cumulative_pct, 100.0);
        assert_eq!(bars[0].cumulative_pct, 50.0);
    }

    #[test]
    fn a_longer_window_holds_more_and_the_whole_run_holds_every_event() {
        // 1 500 ticks of 6 minutes: 6 1/4 days, all still in detail.
        let history = record_run(Scenario::MonteCarlo, 12, 1_500);
        let at = |window| {
            let filter = Filter {
                window,
                ..Filter::default()
            };
            report(&history, &filter).unwrap()
        };
        let (six, day, whole) = (
            at(Window::Hours(6)),
            at(Window::Hours(24)),
            at(Window::Whole),
        );
        assert_eq!(six.series.len(), 7, "6 hours at 1 h, the first one partial");
        assert_eq!(day.series.len(), 25);
        assert_eq!(
            whole.series.len(),
            151,
            "minutes 6 to 9 000 touch hours 0 to 150"
        );
        assert!(six.kpis.firings <= day.kpis.firings && day.kpis.firings <= whole.kpis.firings);
        let all_firings: u64 = history.firings().total;
        assert_eq!(whole.kpis.firings, all_firings);
        assert_eq!(whole.kpis.anomalies, history.anomalies().total);
        assert_ne!(six.kpis.oee, whole.kpis.oee);
        assert_eq!(
            whole.coverage,
            Coverage {
                granularity_from: None,
                detail_from: None
            }
        );
        assert_eq!(whole.correlation.len(), CORRELATION_ROWS);
        assert!(whole.correlation[0].minute > whole.correlation[1].minute);
    }

    #[test]
    fn the_key_figures_do_not_depend_on_the_granularity() {
        let history = record_run(Scenario::MonteCarlo, 7, 1_500);
        for window in [Window::Hours(6), Window::Hours(24), Window::Whole] {
            let kpis: Vec<Kpis> = [Granularity::Minute, Granularity::Hour, Granularity::Day]
                .into_iter()
                .map(|granularity| {
                    let filter = Filter {
                        window,
                        granularity,
                        ..Filter::default()
                    };
                    report(&history, &filter).unwrap().kpis
                })
                .collect();
            assert_eq!(kpis[0], kpis[1], "{window:?}");
            assert_eq!(kpis[0], kpis[2], "{window:?}");
        }
        // Six hours are 60 ticks of 6 minutes.
        let six = Filter {
            window: Window::Hours(6),
            ..Filter::default()
        };
        let r = report(&history, &six).unwrap();
        let last_60: Vec<f64> = history.tiers()[0]
            .buckets
            .iter()
            .rev()
            .take(60)
            .map(|b| b.series[OEE].mean().unwrap())
            .collect();
        let mean = last_60.iter().sum::<f64>() / 60.0;
        assert!((r.kpis.oee.unwrap() - mean).abs() < 1e-9);
    }

    #[test]
    fn the_control_chart_is_that_of_the_series_shown() {
        let history = record_run(Scenario::MonteCarlo, 3, 1_500);
        let filter = Filter {
            window: Window::Whole,
            granularity: Granularity::Hour,
            fbe: Some(2),
            fact: catalog::PUMP_SPEED,
        };
        let r = report(&history, &filter).unwrap();
        let means: Vec<f64> = r.series.iter().map(|p| p.mean).collect();
        assert_eq!(r.control, ControlChart::of(&means));
        assert_eq!(r.synoptic.len(), 1);
        assert_eq!(r.synoptic[0].fbe, 2);
        assert!(r
            .firing_pareto
            .iter()
            .all(|bar| bar.label == "R_01" || bar.label == "R_09"));
    }

    #[test]
    fn the_csv_has_one_row_per_change_kept() {
        let history = record_run(Scenario::MonteCarlo, 5, 300);
        let text = csv(&history, Window::Whole, None);
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(lines.len() as u64 - 1, history.changes_total());
        assert!(lines[1].starts_with("6,day 1 00:06,"), "{}", lines[1]);
        let lauter = csv(&history, Window::Whole, Some(2));
        assert!(lauter.lines().skip(1).all(|l| l.contains(",fbe_03_")));
        let recent = csv(&history, Window::Hours(6), None);
        assert!(recent.lines().count() < text.lines().count());
    }

    #[test]
    fn an_old_window_at_fine_granularity_says_what_is_missing() {
        let history = record_run(Scenario::MonteCarlo, 2, 3_000);
        let filter = Filter {
            window: Window::Whole,
            granularity: Granularity::Minute,
            ..Filter::default()
        };
        let r = report(&history, &filter).unwrap();
        let kept = history.tiers()[0].first_minute().unwrap();
        assert_eq!(r.coverage.granularity_from, Some(kept));
        assert_eq!(r.series.len() as u64, DETAIL_MINUTES / 6);
        assert!(r.coverage.detail_from.is_some());
    }

    #[test]
    fn plant_times_count_days_from_one() {
        assert_eq!(plant_time(6), "day 1 00:06");
        assert_eq!(plant_time(1440 + 61), "day 2 01:01");
    }

    #[test]
    fn csv_fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("°C"), "°C");
    }
}
