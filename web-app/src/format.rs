//! How values, changes, times and sparklines are written on the page.

use pon_core::Value;

/// A fact value for display: integers as they are, floats with up to two decimals, symbols
/// with spaces for underscores, flags as yes / no, pairs as (x, y).
pub fn value(value: &Value) -> String {
    match value {
        Value::Int(i) => i.to_string(),
        Value::Float(_) | Value::Bool(_) => twin::plant::shown(value),
        Value::Symbol(s) => s.replace('_', " "),
        other => other.to_string(),
    }
}

/// A value with its unit.
pub fn with_unit(value: &Value, unit: &str) -> String {
    if unit.is_empty() || value.as_f64().is_none() {
        self::value(value)
    } else {
        format!("{} {unit}", self::value(value))
    }
}

/// The change from `old` to `new` with its unit: `+0.4 °C`, `−10 %`. `None` when either is
/// not a number or nothing changed.
pub fn delta(old: &Value, new: &Value, unit: &str) -> Option<String> {
    let (old, new) = (old.as_f64()?, new.as_f64()?);
    if old == new {
        return None;
    }
    let sign = if new > old { "+" } else { "−" };
    let diff = format!("{:.2}", (new - old).abs());
    let diff = diff.trim_end_matches('0').trim_end_matches('.');
    Some(if unit.is_empty() {
        format!("{sign}{diff}")
    } else {
        format!("{sign}{diff} {unit}")
    })
}

/// Plant time as `day N, HH:MM`.
pub fn plant_time(minute: u64) -> String {
    let day = minute / 1440 + 1;
    let in_day = minute % 1440;
    format!("day {day}, {:02}:{:02}", in_day / 60, in_day % 60)
}

/// Wall-clock time of day as `HH:MM:SS` (UTC) from milliseconds since the epoch.
pub fn wall_time(ms: f64) -> String {
    let seconds = (ms / 1000.0).floor() as u64 % 86_400;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// An integer with thousands separators: `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate for display: one decimal below 10, whole numbers with separators above.
pub fn rate(per_second: f64) -> String {
    if per_second < 10.0 {
        format!("{per_second:.1}")
    } else {
        thousands(per_second.round() as u64)
    }
}

/// Width and height of a sparkline's drawing box.
pub const SPARK_WIDTH: f64 = 80.0;
/// Height of a sparkline's drawing box.
pub const SPARK_HEIGHT: f64 = 24.0;

/// The `points` of an SVG polyline drawing `series` scaled into the sparkline box, with at
/// least one unit of vertical range so that a flat series is a flat line; a single point is
/// drawn as a flat segment.
pub fn sparkline(series: &[f64]) -> String {
    if series.is_empty() {
        return String::new();
    }
    let low = series.iter().copied().fold(f64::INFINITY, f64::min);
    let high = series.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let range = (high - low).max(1.0);
    let y = |v: f64| SPARK_HEIGHT - 1.0 - (v - low) / range * (SPARK_HEIGHT - 2.0);
    if series.len() == 1 {
        return format!("0,{0:.1} {SPARK_WIDTH},{0:.1}", y(series[0]));
    }
    let step = SPARK_WIDTH / (series.len() - 1) as f64;
    series
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", i as f64 * step, y(*v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fact's recent values, ready to draw: sparkline points, range and number of ticks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Polyline points in the sparkline box.
    pub points: String,
    /// Lowest and highest value, when there is any.
    pub range: Option<(f64, f64)>,
    /// Number of values.
    pub count: usize,
}

impl History {
    /// The history of `series`, oldest first.
    pub fn of(series: &[f64]) -> History {
        let range = (!series.is_empty()).then(|| {
            series
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(*v), hi.max(*v))
                })
        });
        History {
            points: sparkline(series),
            range,
            count: series.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_for_people() {
        assert_eq!(value(&Value::Float(65.0)), "65");
        assert_eq!(value(&Value::Float(5.25)), "5.25");
        assert_eq!(value(&Value::Float(0.1 + 0.2)), "0.3");
        assert_eq!(value(&Value::Float(-0.001)), "0");
        assert_eq!(
            value(&Value::symbol("returning_to_station")),
            "returning to station"
        );
        assert_eq!(value(&Value::Bool(true)), "yes");
        assert_eq!(
            value(&Value::tuple([Value::Int(3), Value::Int(4)])),
            "(3, 4)"
        );
        assert_eq!(with_unit(&Value::Int(1500), "rpm"), "1500 rpm");
        assert_eq!(with_unit(&Value::symbol("on"), ""), "on");
    }

    #[test]
    fn deltas_are_differences_in_the_facts_unit() {
        let d = |a: Value, b: Value, unit: &str| delta(&a, &b, unit);
        assert_eq!(
            d(Value::Int(100), Value::Int(110), "rpm").as_deref(),
            Some("+10 rpm")
        );
        assert_eq!(
            d(Value::Float(18.5), Value::Float(18.1), "°C").as_deref(),
            Some("−0.4 °C")
        );
        assert_eq!(d(Value::Int(0), Value::Int(5), "").as_deref(), Some("+5"));
        assert_eq!(d(Value::Int(5), Value::Int(5), "%"), None);
        assert_eq!(d(Value::symbol("on"), Value::symbol("off"), ""), None);
    }

    #[test]
    fn times_and_counts() {
        assert_eq!(plant_time(0), "day 1, 00:00");
        assert_eq!(plant_time(1446), "day 2, 00:06");
        assert_eq!(wall_time(3_723_000.0), "01:02:03");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(rate(0.66), "0.7");
        assert_eq!(rate(56_789.4), "56,789");
    }

    #[test]
    fn sparklines_fill_the_box() {
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[5.0]), "0,23.0 80,23.0");
        assert_eq!(sparkline(&[0.0, 10.0]), "0.0,23.0 80.0,1.0");
        assert_eq!(sparkline(&[3.0, 3.0, 3.0]), "0.0,23.0 40.0,23.0 80.0,23.0");
    }

    #[test]
    fn a_history_knows_its_range_and_length() {
        assert_eq!(History::of(&[]), History::default());
        let history = History::of(&[4.0, -1.5, 2.0]);
        assert_eq!(history.range, Some((-1.5, 4.0)));
        assert_eq!(history.count, 3);
        assert_eq!(history.points, sparkline(&[4.0, -1.5, 2.0]));
    }
}
