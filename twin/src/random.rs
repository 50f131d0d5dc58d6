//! The twin's only source of randomness: a seeded ChaCha8 generator, with the draws the models
//! need. Every transcendental function comes from `libm`, so a seed gives bit-identical runs
//! natively and in WebAssembly.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Seeded random draws.
#[derive(Clone, Debug)]
pub struct Random {
    rng: ChaCha8Rng,
}

impl Random {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Random {
        Random {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    /// Uniform integer in `low..=high`.
    pub fn int(&mut self, low: i64, high: i64) -> i64 {
        self.rng.random_range(low..=high)
    }

    /// Uniform index in `0..len`.
    pub fn index(&mut self, len: usize) -> usize {
        self.rng.random_range(0..len as u32) as usize
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A pair of independent standard normals by the Box–Muller transform.
    pub fn normal_pair(&mut self) -> (f64, f64) {
        let u1 = (1.0 - self.unit()).max(1e-10);
        let u2 = self.unit();
        let radius = libm::sqrt(-2.0 * libm::log(u1));
        let angle = 2.0 * std::f64::consts::PI * u2;
        (radius * libm::cos(angle), radius * libm::sin(angle))
    }

    /// A standard normal.
    pub fn standard_normal(&mut self) -> f64 {
        self.normal_pair().0
    }

    /// A normal with mean `mean` and standard deviation `sigma`.
    pub fn normal(&mut self, mean: f64, sigma: f64) -> f64 {
        mean + sigma * self.standard_normal()
    }
}

/// `x` rounded to `decimals` places.
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let scale = [1.0, 10.0, 100.0, 1000.0][decimals.clamp(0, 3) as usize];
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(samples: &[f64]) -> (f64, f64) {
        let n = samples.len() as f64;
        let mean = samples.iter().sum::<f64>() / n;
        let var = samples.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        (mean, var.sqrt())
    }

    #[test]
    fn standard_normals_have_mean_zero_and_unit_deviation() {
        let mut rng = Random::new(7);
        let samples: Vec<f64> = (0..10_000).map(|_| rng.standard_normal()).collect();
        let (mean, std) = moments(&samples);
        assert!(mean.abs() < 0.1, "mean {mean}");
        assert!((0.9..=1.1).contains(&std), "std {std}");
    }

    #[test]
    fn shifted_normals_keep_their_mean_and_deviation() {
        let mut rng = Random::new(11);
        let samples: Vec<f64> = (0..10_000).map(|_| rng.normal(50.0, 5.0)).collect();
        let (mean, std) = moments(&samples);
        assert!((mean - 50.0).abs() < 0.2, "mean {mean}");
        assert!((std - 5.0).abs() < 0.2, "std {std}");
    }

    #[test]
    fn the_same_seed_gives_the_same_draws() {
        let (mut a, mut b) = (Random::new(42), Random::new(42));
        for _ in 0..100 {
            assert_eq!(a.unit().to_bits(), b.unit().to_bits());
        }
        assert_ne!(Random::new(1).unit(), Random::new(2).unit());
    }
}
