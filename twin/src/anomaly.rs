//! Statistical process control on every numeric fact: an exponentially weighted moving average
//! with ±3σ limits over the last 30 samples, and an optional Western Electric mode.

use serde::Serialize;

/// Smoothing factor of the moving average.
pub const ALPHA: f64 = 0.2;
/// Samples kept for the deviation.
pub const WINDOW: usize = 30;
/// Consecutive 3σ excursions that raise an anomaly in Western Electric mode.
pub const WESTERN_ELECTRIC_RUN: u32 = 4;

/// How excursions become anomalies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyMode {
    /// Any sample beyond 3σ.
    #[default]
    ThreeSigma,
    /// A sample beyond 4σ, or 4 consecutive samples beyond 3σ.
    WesternElectric,
}

/// Control state of one fact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ControlChart {
    ema: f64,
    sigma: f64,
    window: std::collections::VecDeque<f64>,
    consecutive: u32,
    anomalous: bool,
}

/// The result of one sample.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// The value.
    pub value: f64,
    /// Moving average after the sample.
    pub ema: f64,
    /// Deviation after the sample.
    pub sigma: f64,
    /// Whether the sample is an anomaly.
    pub anomaly: bool,
}

impl ControlChart {
    /// Adds a sample.
    pub fn add(&mut self, x: f64, mode: AnomalyMode) -> Sample {
        if self.window.is_empty() {
            self.ema = x;
            self.window.push_front(x);
            self.anomalous = false;
            return Sample {
                value: x,
                ema: x,
                sigma: 0.0,
                anomaly: false,
            };
        }
        self.ema = ALPHA * x + (1.0 - ALPHA) * self.ema;
        self.window.push_front(x);
        self.window.truncate(WINDOW);
        let n = self.window.len() as f64;
        let squares: f64 = self
            .window
            .iter()
            .map(|v| (v - self.ema) * (v - self.ema))
            .sum();
        self.sigma = libm::sqrt(squares / (n - 1.0));

        let deviation = (x - self.ema).abs();
        let beyond3 = self.sigma > 0.0 && deviation > 3.0 * self.sigma;
        let beyond4 = self.sigma > 0.0 && deviation > 4.0 * self.sigma;
        self.consecutive = if beyond3 { self.consecutive + 1 } else { 0 };
        self.anomalous = match mode {
            AnomalyMode::ThreeSigma => beyond3,
            AnomalyMode::WesternElectric => beyond4 || self.consecutive >= WESTERN_ELECTRIC_RUN,
        };
        Sample {
            value: x,
            ema: self.ema,
            sigma: self.sigma,
            anomaly: self.anomalous,
        }
    }

    /// Whether the last sample was an anomaly (cleared by the next sample back in the band).
    pub fn anomalous(&self) -> bool {
        self.anomalous
    }

    /// Centre line, upper and lower control limits.
    pub fn limits(&self) -> (f64, f64, f64) {
        (
            self.ema,
            self.ema + 3.0 * self.sigma,
            self.ema - 3.0 * self.sigma,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sample_sets_the_average_and_is_never_an_anomaly() {
        let mut chart = ControlChart::default();
        assert_eq!(
            chart.add(10.0, AnomalyMode::ThreeSigma),
            Sample {
                value: 10.0,
                ema: 10.0,
                sigma: 0.0,
                anomaly: false
            }
        );
    }

    #[test]
    fn ema_and_sigma_of_a_hand_computed_case() {
        let mut chart = ControlChart::default();
        chart.add(10.0, AnomalyMode::ThreeSigma);
        let s = chart.add(20.0, AnomalyMode::ThreeSigma);
        // ema = 0.2·20 + 0.8·10 = 12; deviations 8 and −2: σ = √((64 + 4) / 1).
        assert_eq!(s.ema, 12.0);
        assert_eq!(s.sigma, 68f64.sqrt());
        assert!(!s.anomaly);
    }

    #[test]
    fn a_jump_after_a_steady_run_is_an_anomaly_and_clears_when_back() {
        let mut chart = ControlChart::default();
        for _ in 0..29 {
            chart.add(50.0, AnomalyMode::ThreeSigma);
        }
        let jump = chart.add(80.0, AnomalyMode::ThreeSigma);
        // ema 56; squares 29·36 + 24² = 1620; σ = √(1620/29) ≈ 7.47; 24 > 22.4.
        assert_eq!(jump.ema, 56.0);
        assert!((jump.sigma - (1620f64 / 29.0).sqrt()).abs() < 1e-12);
        assert!(jump.anomaly);
        assert!(chart.anomalous());
        chart.add(55.0, AnomalyMode::ThreeSigma);
        assert!(!chart.anomalous());
    }

    #[test]
    fn western_electric_ignores_a_single_excursion_and_flags_a_run_of_four() {
        let mut chart = ControlChart::default();
        for _ in 0..29 {
            chart.add(50.0, AnomalyMode::WesternElectric);
        }
        assert!(
            !chart.add(80.0, AnomalyMode::WesternElectric).anomaly,
            "3.2σ alone is not enough"
        );

        let mut runaway = ControlChart::default();
        for _ in 0..29 {
            runaway.add(50.0, AnomalyMode::WesternElectric);
        }
        let flags: Vec<bool> = (1..=5)
            .map(|k| {
                runaway
                    .add(50.0 * 10f64.powi(k), AnomalyMode::WesternElectric)
                    .anomaly
            })
            .collect();
        assert_eq!(flags, [false, false, false, true, true]);
    }
}
