//! The lauter tun: Darcy flow through a compacting grain bed, and the correlated measurement
//! noise of its sensors.
//!
//! The bed's permeability `k` decays with the volume pumped through it and recovers when the
//! rake is lowered. The pressure drop follows Darcy's law, ΔP = Q·μ·L / (k·A), with a wort
//! viscosity μ that rises when the sparge water is colder and the bed tighter. Clarity is
//! proportional to permeability.

use crate::random::Random;

/// Bed length (dimensionless, as the model is normalised).
const BED_LENGTH: f64 = 1.0;
/// Filter area (normalised).
const FILTER_AREA: f64 = 1.0;
/// Lowest permeability: a fully compacted bed.
pub const K_MIN: f64 = 0.15;
/// Highest permeability: a freshly raked bed.
pub const K_MAX: f64 = 1.5;
/// Permeability restored by a rake drop of more than 2 points.
const RAKE_RESTORE: f64 = 0.12;
/// Rake drop (points) that counts as a raking.
const RAKE_DROP_THRESHOLD: i64 = 2;
/// Permeability decay per unit of flow per tick.
const DECAY_PER_FLOW: f64 = 0.0004;
/// Wort viscosity at 75 °C sparge water on a fresh bed.
const VISCOSITY_BASE: f64 = 0.9;
/// Viscosity gained per °C of sparge water below 75 °C.
const VISCOSITY_PER_DEGREE: f64 = 0.02;
/// Viscosity gained per unit of permeability lost below `K_MAX`.
const VISCOSITY_PER_COMPACTION: f64 = 0.08;
/// Clarity (%) per unit of permeability.
const CLARITY_PER_K: f64 = 45.0;

/// Correlation of (pump, pressure drop, clarity) in the plant's historical data.
pub const CORRELATION: [[f64; 3]; 3] = [[1.0, 0.8, -0.5], [0.8, 1.0, -0.7], [-0.5, -0.7, 1.0]];

/// Lower-triangular Cholesky factor of a symmetric positive-definite 3×3 matrix, or `None` if
/// the matrix is not positive definite.
pub fn cholesky(m: &[[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let mut l = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = m[i][i] - sum;
                if d <= 0.0 {
                    return None;
                }
                l[i][j] = libm::sqrt(d);
            } else {
                l[i][j] = (m[i][j] - sum) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Three correlated standard normals (pump, pressure drop, clarity): `L·z`.
pub fn correlated_draw(factor: &[[f64; 3]; 3], rng: &mut Random) -> [f64; 3] {
    let z = [
        rng.standard_normal(),
        rng.standard_normal(),
        rng.standard_normal(),
    ];
    let mut y = [0.0; 3];
    for (i, row) in factor.iter().enumerate() {
        y[i] = row.iter().zip(z).map(|(l, z)| l * z).sum();
    }
    y
}

/// Maps a standard normal onto `[min, max]`: ±2σ spans the range, values beyond are clamped.
pub fn to_range(y: f64, min: f64, max: f64) -> f64 {
    let x = ((y + 2.0) / 4.0).clamp(0.0, 1.0);
    min + x * (max - min)
}

/// The state of the grain bed.
#[derive(Clone, Debug, PartialEq)]
pub struct LauterBed {
    /// Current permeability.
    pub permeability: f64,
    previous_rake: i64,
}

/// The bed's pressure drop and clarity, before measurement noise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BedReading {
    /// Pressure drop, whole mbar in 40..=200.
    pub diff_pressure_mbar: f64,
    /// Clarity, whole percent in 5..=80.
    pub clarity_pct: f64,
}

impl Default for LauterBed {
    fn default() -> LauterBed {
        LauterBed {
            permeability: 1.0,
            previous_rake: 50,
        }
    }
}

impl LauterBed {
    /// Advances the bed by one tick at the given pump speed (%), sparge temperature (°C) and
    /// rake height (%).
    pub fn step(&mut self, pump_pct: f64, sparge_temp_c: f64, rake_pct: i64) -> BedReading {
        let flow = pump_pct.round().max(1.0);
        let sparge = sparge_temp_c.round();
        let viscosity = ((VISCOSITY_BASE + (75.0 - sparge) * VISCOSITY_PER_DEGREE)
            * (1.0 + (K_MAX - self.permeability) * VISCOSITY_PER_COMPACTION))
            .clamp(0.5, 1.5);

        let mut k = (self.permeability * libm::exp(-DECAY_PER_FLOW * flow)).max(K_MIN);
        if self.previous_rake - rake_pct > RAKE_DROP_THRESHOLD {
            k += RAKE_RESTORE;
        }
        self.permeability = k.clamp(K_MIN, K_MAX);
        self.previous_rake = rake_pct;

        let pressure = flow * viscosity * BED_LENGTH / (self.permeability * FILTER_AREA);
        BedReading {
            diff_pressure_mbar: pressure.clamp(40.0, 200.0).round(),
            clarity_pct: (self.permeability * CLARITY_PER_K).round().clamp(5.0, 80.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_bed_at_pump_forty_gives_forty_mbar_and_44_percent() {
        let mut bed = LauterBed::default();
        let reading = bed.step(40.0, 75.0, 50);
        assert_eq!(
            reading,
            BedReading {
                diff_pressure_mbar: 40.0,
                clarity_pct: 44.0
            }
        );
    }

    #[test]
    fn the_bed_compacts_under_flow_and_a_rake_drop_restores_it() {
        let mut bed = LauterBed::default();
        for _ in 0..43 {
            bed.step(40.0, 75.0, 50);
        }
        assert!(
            (bed.permeability - 0.5).abs() < 0.01,
            "k halves in about 43 ticks"
        );
        let before = bed.permeability;
        bed.step(40.0, 75.0, 45);
        assert!(bed.permeability > before + 0.1);
        for _ in 0..2000 {
            bed.step(40.0, 75.0, 45);
        }
        let saturated = bed.step(40.0, 75.0, 45);
        assert_eq!(bed.permeability, K_MIN);
        assert_eq!(saturated.diff_pressure_mbar, 200.0);
        assert_eq!(saturated.clarity_pct, 7.0);
    }

    #[test]
    #[allow(clippy::approx_constant)] // the reference's factor, as printed to five places
    fn the_cholesky_factor_matches_the_reference_matrix() {
        let l = cholesky(&CORRELATION).unwrap();
        let expected = [[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [-0.5, -0.5, 0.707_11]];
        for i in 0..3 {
            for j in 0..3 {
                assert!(
                    (l[i][j] - expected[i][j]).abs() < 1e-5,
                    "L[{i}][{j}] = {}",
                    l[i][j]
                );
            }
        }
        for i in 0..3 {
            for j in 0..3 {
                let product: f64 = (0..3).map(|k| l[i][k] * l[j][k]).sum();
                assert!((product - CORRELATION[i][j]).abs() < 1e-12);
            }
        }
        assert_eq!(
            cholesky(&[[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
            None
        );
    }

    #[test]
    fn correlated_draws_have_the_reference_correlations() {
        let l = cholesky(&CORRELATION).unwrap();
        let mut rng = Random::new(3);
        let n = 20_000;
        let draws: Vec<[f64; 3]> = (0..n).map(|_| correlated_draw(&l, &mut rng)).collect();
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            let c: f64 = draws.iter().map(|d| d[i] * d[j]).sum::<f64>() / n as f64;
            assert!((c - CORRELATION[i][j]).abs() < 0.03, "corr({i},{j}) = {c}");
        }
    }
}
