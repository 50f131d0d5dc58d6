//! The smart grid: the tariff clock, the V2G buffer's recharge and the CIP cleaning window.

use crate::random::Random;

/// Minutes in a day.
pub const MINUTES_PER_DAY: u64 = 24 * 60;
/// Highest charge the buffer is recharged to (shallow cycling).
pub const V2G_CEILING_PCT: i64 = 80;
/// Tariff above which a cost counts as peak.
pub const PEAK_COST: i64 = 150;

/// Tariff band of an hour of the day: the cost range drawn from.
pub fn tariff_band(hour: f64) -> (i64, i64) {
    match hour {
        h if h < 17.0 => (80, 110),
        h if h < 18.0 => (120, 149),
        h if h < 21.0 => (180, 250),
        h if h < 22.0 => (120, 149),
        _ => (80, 110),
    }
}

/// Whether the CIP skid runs at this hour (the evening cleaning window, 18:00–21:00).
pub fn cip_window(hour: f64) -> bool {
    (18.0..21.0).contains(&hour)
}

/// Points per tick the V2G buffer recharges at this hour: 2 at night, 1 by day, none from
/// 17:00 to 22:00.
pub fn recharge_per_tick(hour: f64) -> i64 {
    if !(6.0..22.0).contains(&hour) {
        2
    } else if hour < 17.0 {
        1
    } else {
        0
    }
}

/// The hour of the day (0.0 ≤ h < 24.0) at `minute` minutes since the run began.
pub fn hour_of_day(minute: u64) -> f64 {
    (minute % MINUTES_PER_DAY) as f64 / 60.0
}

/// What the grid model writes at one tick.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridReading {
    /// Tariff.
    pub cost: i64,
    /// Buffer charge after recharge.
    pub v2g_pct: i64,
    /// CIP pump on.
    pub cip_on: bool,
}

/// Advances the grid to `minute`, given the buffer's current charge.
pub fn step(minute: u64, v2g_pct: i64, rng: &mut Random) -> GridReading {
    let hour = hour_of_day(minute);
    let (low, high) = tariff_band(hour);
    let recharged = if v2g_pct < V2G_CEILING_PCT {
        (v2g_pct + recharge_per_tick(hour)).min(V2G_CEILING_PCT)
    } else {
        v2g_pct
    };
    GridReading {
        cost: rng.int(low, high),
        v2g_pct: recharged,
        cip_on: cip_window(hour),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tariff_is_in_the_peak_band_exactly_from_18_to_21() {
        let mut rng = Random::new(9);
        for minute in (0..MINUTES_PER_DAY).step_by(6) {
            let hour = hour_of_day(minute);
            let reading = step(minute, 50, &mut rng);
            let peak = reading.cost > PEAK_COST;
            assert_eq!(
                peak,
                (18.0..21.0).contains(&hour),
                "at {hour:.1} h cost {}",
                reading.cost
            );
            assert_eq!(reading.cip_on, peak);
        }
    }

    #[test]
    fn the_buffer_recharges_off_peak_up_to_its_ceiling() {
        let mut rng = Random::new(9);
        assert_eq!(step(60, 50, &mut rng).v2g_pct, 52);
        assert_eq!(step(10 * 60, 50, &mut rng).v2g_pct, 51);
        assert_eq!(step(19 * 60, 50, &mut rng).v2g_pct, 50);
        assert_eq!(step(23 * 60, 79, &mut rng).v2g_pct, 80);
        assert_eq!(
            step(23 * 60, 90, &mut rng).v2g_pct,
            90,
            "never drained by recharging"
        );
    }
}
