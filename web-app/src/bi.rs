//! The BI view's plain logic, without web types: the filter as the page holds it, the facts a
//! filter offers, decimation of long series to the width of a chart, and file names.

use pon_core::FactId;
use twin::catalog::{self, FactKind, FACTS, FBES};
use twin::history::analysis::{Filter, Granularity, Window};

/// Whether a fact has numbers to chart (integers, floats, and booleans as 0 / 1).
pub fn is_numeric(fact: FactId) -> bool {
    matches!(
        FACTS[fact.index()].kind,
        FactKind::Int { .. } | FactKind::Float { .. } | FactKind::Bool { .. }
    )
}

/// The facts the fact filter offers for `fbe` (all FBEs when `None`): the numeric ones, in id
/// order.
pub fn chartable_facts(fbe: Option<usize>) -> Vec<FactId> {
    (0..FACTS.len())
        .map(|i| FactId(i as u32))
        .filter(|&f| is_numeric(f) && fbe.is_none_or(|b| FACTS[f.index()].fbe == b))
        .collect()
}

/// The filter after choosing `fbe`: the fact becomes that FBE's key fact, or stays if it
/// belongs to the FBE (or every FBE is chosen).
pub fn with_fbe(filter: Filter, fbe: Option<usize>) -> Filter {
    let fact = match fbe {
        Some(b) if FACTS[filter.fact.index()].fbe != b => FBES[b].key_fact,
        _ => filter.fact,
    };
    Filter {
        fbe,
        fact,
        ..filter
    }
}

/// Reads the filter's four selects (`all` for every FBE); values that name nothing keep the
/// current choice.
pub fn read_filter(
    current: Filter,
    window: Option<&str>,
    granularity: Option<&str>,
    fbe: Option<&str>,
    fact: Option<&str>,
) -> Filter {
    let mut filter = current;
    if let Some(w) = window.and_then(Window::from_name) {
        filter.window = w;
    }
    if let Some(g) = granularity.and_then(Granularity::from_name) {
        filter.granularity = g;
    }
    match fbe {
        Some("all") => filter = with_fbe(filter, None),
        Some(id) => {
            if let Some(b) = FBES.iter().position(|f| f.id == id) {
                filter = with_fbe(filter, Some(b));
            }
        }
        None => {}
    }
    if let Some((id, _)) = fact.and_then(catalog::fact_by_name) {
        if is_numeric(id) && filter.fbe.is_none_or(|b| FACTS[id.index()].fbe == b) {
            filter.fact = id;
        }
    }
    filter
}

/// At most `2 · columns` points of `points` (sorted by x) that keep the shape a chart of that
/// many pixel columns would show: for each column's share of the points, its lowest and its
/// highest, in their order. Shorter series come back whole.
pub fn decimate(points: &[(f64, f64)], columns: usize) -> Vec<(f64, f64)> {
    let columns = columns.max(1);
    if points.len() <= 2 * columns {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(2 * columns);
    for c in 0..columns {
        let start = c * points.len() / columns;
        let end = (c + 1) * points.len() / columns;
        let slice = &points[start..end];
        let low = slice
            .iter()
            .enumerate()
            .min_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
            .map(|(i, _)| i);
        let high = slice
            .iter()
            .enumerate()
            .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
            .map(|(i, _)| i);
        match (low, high) {
            (Some(l), Some(h)) if l == h => out.push(slice[l]),
            (Some(l), Some(h)) => {
                out.push(slice[l.min(h)]);
                out.push(slice[l.max(h)]);
            }
            _ => {}
        }
    }
    out
}

/// The name of a downloaded file: `brewery-<what>-<scenario>-seed<seed>-tick<tick>.<ext>`.
pub fn file_name(what: &str, scenario: &str, seed: u64, tick: u64, ext: &str) -> String {
    format!("brewery-{what}-{scenario}-seed{seed}-tick{tick}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimation_keeps_every_extreme_and_the_order() {
        let points: Vec<(f64, f64)> = (0..10_000)
            .map(|i| (f64::from(i), (f64::from(i) / 50.0).sin() * 10.0))
            .collect();
        let kept = decimate(&points, 300);
        assert!(kept.len() <= 600);
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0));
        let max = |p: &[(f64, f64)]| p.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        let min = |p: &[(f64, f64)]| p.iter().map(|p| p.1).fold(f64::MAX, f64::min);
        assert_eq!(max(&kept), max(&points));
        assert_eq!(min(&kept), min(&points));
        let spike: Vec<(f64, f64)> = (0..1000)
            .map(|i| (f64::from(i), if i == 777 { 99.0 } else { 0.0 }))
            .collect();
        assert!(decimate(&spike, 10).contains(&(777.0, 99.0)));
        assert_eq!(decimate(&points[..50], 300).len(), 50);
    }

    #[test]
    fn choosing_an_fbe_moves_the_fact_to_its_key_fact() {
        let filter = Filter::default();
        assert_eq!(filter.fact, catalog::DIFF_PRESSURE);
        let mill = read_filter(filter, None, None, Some("FBE_01"), None);
        assert_eq!((mill.fbe, mill.fact), (Some(0), FBES[0].key_fact));
        let lauter = read_filter(filter, None, None, Some("FBE_03"), None);
        assert_eq!(lauter.fact, catalog::DIFF_PRESSURE, "already the lauter's");
        let pump = read_filter(
            lauter,
            Some("7d"),
            Some("1min"),
            None,
            Some("fbe_03_pump_speed"),
        );
        assert_eq!(pump.window, Window::Hours(168));
        assert_eq!(pump.granularity, Granularity::Minute);
        assert_eq!(pump.fact, catalog::PUMP_SPEED);
        let other = read_filter(
            pump,
            Some("1y"),
            Some("1s"),
            Some("FBE_99"),
            Some("fbe_01_motor_rpm"),
        );
        assert_eq!(other, pump, "names that fit nothing change nothing");
        assert_eq!(read_filter(pump, None, None, Some("all"), None).fbe, None);
    }

    #[test]
    fn only_numeric_facts_are_offered() {
        let all = chartable_facts(None);
        assert!(all.iter().all(|&f| is_numeric(f)));
        assert!(!all.contains(&catalog::FERM_A_PHASE));
        assert!(chartable_facts(Some(2)).contains(&catalog::PUMP_SPEED));
        assert!(chartable_facts(Some(2))
            .iter()
            .all(|f| FACTS[f.index()].fbe == 2));
    }

    #[test]
    fn file_names_say_what_run_they_hold() {
        assert_eq!(
            file_name("history", "monte-carlo", 42, 1000, "csv"),
            "brewery-history-monte-carlo-seed42-tick1000.csv"
        );
    }
}
