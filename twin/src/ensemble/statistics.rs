//! Statistics over the runs of an ensemble: nearest-rank percentiles, histograms with fixed bin
//! edges, and which rules fire in the same runs.
//!
//! Everything here is computed from integers in seed order, so the same runs give the same
//! statistics on every platform, and an ensemble merged from shards gives the statistics of
//! the ensemble run in one piece.

use serde::Serialize;

use super::outcome::{RunOutcome, RULE_COUNT};
use crate::random::round_to;

/// Lower bin edges for percentages in basis points: twenty bins of 5 %.
pub const PERCENT_BP_EDGES: [u64; 20] = percent_edges(500);

/// Lower bin edges for percentages in whole percent: twenty bins of 5 %.
pub const PERCENT_EDGES: [u64; 20] = percent_edges(5);

/// Lower bin edges for counts and minutes: a 1-2-5 series up to 100 000, then one open bin.
pub const COUNT_EDGES: [u64; 17] = [
    0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000,
];

const fn percent_edges(width: u64) -> [u64; 20] {
    let mut edges = [0; 20];
    let mut i = 0;
    while i < 20 {
        edges[i] = i as u64 * width;
        i += 1;
    }
    edges
}

/// The nearest-rank percentile `p` (0 < p ≤ 100) of values sorted in ascending order: the
/// value at rank ⌈p · n / 100⌉, counting ranks from 1. It is always one of the values, never an
/// interpolation between two.
///
/// # Panics
///
/// If `sorted` is empty.
pub fn nearest_rank(sorted: &[u64], p: u64) -> u64 {
    let n = sorted.len() as u64;
    let rank = (p * n).div_ceil(100).max(1);
    sorted[(rank - 1) as usize]
}

/// Counts of values per bin. Bin `i` holds the values `v` with `lower_edges[i] ≤ v <
/// lower_edges[i + 1]`; the last bin holds every value from its lower edge up.
///
/// The edges are fixed per metric and do not depend on the runs, so the histograms of two
/// shards add up to the histogram of their union.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Histogram {
    /// Lower edge of each bin, in the metric's unit, ascending from 0.
    pub lower_edges: Vec<u64>,
    /// Number of runs in each bin.
    pub counts: Vec<u64>,
}

impl Histogram {
    /// The histogram of `values` over bins starting at `lower_edges` (ascending, from 0).
    pub fn of(values: &[u64], lower_edges: &[u64]) -> Histogram {
        let mut counts = vec![0; lower_edges.len()];
        for &v in values {
            let bin = lower_edges.partition_point(|&edge| edge <= v) - 1;
            counts[bin] += 1;
        }
        Histogram {
            lower_edges: lower_edges.to_vec(),
            counts,
        }
    }
}

/// The distribution of one metric over the runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Distribution {
    /// Unit of every figure below: `bp` (hundredths of a percent), `%`, `minutes` or `count`.
    pub unit: &'static str,
    /// Smallest value.
    pub min: u64,
    /// Nearest-rank 5th percentile.
    pub p5: u64,
    /// Nearest-rank median.
    pub p50: u64,
    /// Nearest-rank 95th percentile.
    pub p95: u64,
    /// Largest value.
    pub max: u64,
    /// Arithmetic mean, rounded to two decimals.
    pub mean: f64,
    /// Runs per bin.
    pub histogram: Histogram,
}

impl Distribution {
    /// The distribution of `values` (at least one), in `unit`, binned at `lower_edges`.
    ///
    /// # Panics
    ///
    /// If `values` is empty.
    pub fn of(values: &[u64], unit: &'static str, lower_edges: &[u64]) -> Distribution {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let sum: u128 = sorted.iter().map(|&v| u128::from(v)).sum();
        Distribution {
            unit,
            min: sorted[0],
            p5: nearest_rank(&sorted, 5),
            p50: nearest_rank(&sorted, 50),
            p95: nearest_rank(&sorted, 95),
            max: sorted[sorted.len() - 1],
            mean: round_to(sum as f64 / sorted.len() as f64, 2),
            histogram: Histogram::of(values, lower_edges),
        }
    }
}

/// Runs in which both rules fired, for every pair of rules; the diagonal holds the runs in
/// which the rule fired at all.
pub fn co_occurrence(outcomes: &[RunOutcome]) -> [[u64; RULE_COUNT]; RULE_COUNT] {
    let mut matrix = [[0; RULE_COUNT]; RULE_COUNT];
    for outcome in outcomes {
        for a in outcome.fired_rules() {
            for b in outcome.fired_rules() {
                matrix[a][b] += 1;
            }
        }
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_of_a_hand_computed_case() {
        // Twenty values 10, 20, …, 200: P5 is rank ⌈1⌉ = 1, P50 rank 10, P95 rank 19.
        let values: Vec<u64> = (1..=20).map(|i| i * 10).collect();
        assert_eq!(nearest_rank(&values, 5), 10);
        assert_eq!(nearest_rank(&values, 50), 100);
        assert_eq!(nearest_rank(&values, 95), 190);
        assert_eq!(nearest_rank(&values, 100), 200);

        // Seven values: P5 is rank ⌈0.35⌉ = 1, P50 rank ⌈3.5⌉ = 4, P95 rank ⌈6.65⌉ = 7.
        let values = [3, 5, 8, 13, 21, 34, 55];
        assert_eq!(nearest_rank(&values, 5), 3);
        assert_eq!(nearest_rank(&values, 50), 13);
        assert_eq!(nearest_rank(&values, 95), 55);

        assert_eq!(nearest_rank(&[7], 5), 7);
    }

    #[test]
    fn a_distribution_of_unsorted_values() {
        let d = Distribution::of(&[40, 10, 30, 20], "count", &[0, 15, 35]);
        assert_eq!((d.min, d.p5, d.p50, d.p95, d.max), (10, 10, 20, 40, 40));
        assert_eq!(d.mean, 25.0);
        assert_eq!(d.histogram.counts, vec![1, 2, 1]);
    }

    #[test]
    fn the_last_bin_is_open_and_edges_are_lower_bounds() {
        let h = Histogram::of(&[0, 1, 4, 5, 99_999, 100_000, u64::MAX], &COUNT_EDGES);
        assert_eq!(h.counts[0], 1);
        assert_eq!(h.counts[1], 1);
        assert_eq!(h.counts[2], 1);
        assert_eq!(h.counts[3], 1);
        assert_eq!(h.counts[15], 1);
        assert_eq!(h.counts[16], 2);
        assert_eq!(h.counts.iter().sum::<u64>(), 7);

        let h = Histogram::of(&[0, 499, 500, 9_999, 10_000], &PERCENT_BP_EDGES);
        assert_eq!(h.lower_edges[19], 9_500);
        assert_eq!((h.counts[0], h.counts[1], h.counts[19]), (2, 1, 2));
    }

    #[test]
    fn co_occurrence_counts_runs_where_both_rules_fired() {
        let run = |seed, fired: &[usize]| {
            let mut firings = [0; RULE_COUNT];
            for &r in fired {
                firings[r] = 3;
            }
            RunOutcome {
                seed,
                oee: Default::default(),
                shift_oee: Default::default(),
                firings,
                anomalies: 0,
                peak_tariff_minutes: 0,
                lowest_v2g_pct: 0,
                packaging_downtime_minutes: 0,
            }
        };
        let m = co_occurrence(&[run(0, &[0, 1]), run(1, &[1, 2]), run(2, &[1])]);
        assert_eq!(m[1][1], 3);
        assert_eq!((m[0][1], m[1][0]), (1, 1));
        assert_eq!((m[1][2], m[0][2]), (1, 0));
        assert_eq!(m[11][11], 0);
    }
}
