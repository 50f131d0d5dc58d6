//! Fermentation kinetics of fermenters A and B, in steps of one simulated hour.
//!
//! After a lag, the yeast grows: sugar (Brix) falls by up to a fixed amount per hour, the
//! reaction warms the wort and CO₂ flows. Below 4 °Bx the fermentation turns stationary; after
//! 24 stationary hours the tank is crash-cooled and the yeast flocculates. The glycol jacket is
//! an actuator: this model reads it (chilling cools the wort) and its thermostat switches it on
//! only when the wort warms past the set-point, so a pause ordered by a rule holds until then.

use crate::random::Random;

/// Fermentation phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FermentationPhase {
    /// Yeast adapting; nothing measurable happens.
    Lag,
    /// Active fermentation.
    Growth,
    /// Sugar nearly gone; the yeast cleans up.
    Stationary,
    /// Crash-cooled; the yeast settles. The tank is emptied and refilled with fresh wort
    /// after [`FermenterParams::flocculation_hours`].
    Flocculation,
}

impl FermentationPhase {
    /// The symbol of the phase fact.
    pub fn symbol(self) -> &'static str {
        match self {
            FermentationPhase::Lag => "lag",
            FermentationPhase::Growth => "growth",
            FermentationPhase::Stationary => "stationary",
            FermentationPhase::Flocculation => "flocculation",
        }
    }
}

/// Parameters of one fermenter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FermenterParams {
    /// Brix of the wort when pitched.
    pub original_brix: f64,
    /// Final gravity.
    pub final_brix: f64,
    /// Hours of lag.
    pub lag_hours: u32,
    /// Largest Brix drop per hour.
    pub max_brix_drop_per_hour: f64,
    /// °C gained per °Bx fermented.
    pub heat_per_brix: f64,
    /// Warmest the wort gets.
    pub max_temp_c: f64,
    /// Brix below which growth turns stationary.
    pub stationary_brix: f64,
    /// Hours spent stationary before crash cooling.
    pub stationary_hours: u32,
    /// Thermostat: chilling switches on above this.
    pub set_point_c: f64,
    /// Temperature the wort is pitched at and the chilling's floor.
    pub pitch_temp_c: f64,
    /// °C removed per hour by the glycol jacket.
    pub chilling_per_hour: f64,
    /// Whether the tank has a pH probe.
    pub measures_ph: bool,
    /// Hours in flocculation before the beer is transferred and the tank is refilled.
    pub flocculation_hours: u32,
}

/// Fermenter A (conical).
pub const FERMENTER_A: FermenterParams = FermenterParams {
    original_brix: 14.0,
    final_brix: 3.0,
    lag_hours: 14,
    max_brix_drop_per_hour: 0.28,
    heat_per_brix: 0.8,
    max_temp_c: 23.0,
    stationary_brix: 4.0,
    stationary_hours: 24,
    set_point_c: 20.0,
    pitch_temp_c: 18.0,
    chilling_per_hour: 0.6,
    measures_ph: true,
    flocculation_hours: 48,
};

/// Fermenter B, a batch behind A.
pub const FERMENTER_B: FermenterParams = FermenterParams {
    original_brix: 13.5,
    lag_hours: 16,
    max_brix_drop_per_hour: 0.26,
    measures_ph: false,
    ..FERMENTER_A
};

const INITIAL_PH: f64 = 5.2;
const FINAL_PH: f64 = 4.2;
const CRASH_TEMP_C: f64 = 1.0;

/// What the fermenter shows after an hour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FermenterReading {
    /// Phase.
    pub phase: FermentationPhase,
    /// Brix, one decimal.
    pub brix: f64,
    /// Temperature, one decimal.
    pub temp_c: f64,
    /// pH, one decimal (fermenter A only).
    pub ph: f64,
    /// CO₂ exhaust flow, L/min.
    pub co2_l_min: i64,
    /// Head pressure, bar.
    pub pressure_bar: i64,
    /// The thermostat's order for the jacket, if it gives one this hour.
    pub jacket_order: Option<bool>,
}

/// One fermenter's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Fermenter {
    /// Its parameters.
    pub params: FermenterParams,
    phase: FermentationPhase,
    hours: u32,
    hours_stationary: u32,
    hours_flocculating: u32,
    brix: f64,
    temp_c: f64,
    ph: f64,
    co2: f64,
}

impl Fermenter {
    /// A tank just pitched with fresh wort.
    pub fn new(params: FermenterParams) -> Fermenter {
        Fermenter {
            params,
            phase: FermentationPhase::Lag,
            hours: 0,
            hours_stationary: 0,
            hours_flocculating: 0,
            brix: params.original_brix,
            temp_c: params.pitch_temp_c,
            ph: INITIAL_PH,
            co2: 0.0,
        }
    }

    /// Empties the tank and pitches fresh wort.
    pub fn refill(&mut self) {
        *self = Fermenter::new(self.params);
    }

    /// The current phase.
    pub fn phase(&self) -> FermentationPhase {
        self.phase
    }

    /// Advances one hour. `chilling` is the jacket's current state (an actuator fact).
    pub fn step_hour(&mut self, chilling: bool, rng: &mut Random) -> FermenterReading {
        let p = self.params;
        self.hours += 1;
        let before = self.temp_c;
        let mut order = None;

        match self.phase {
            FermentationPhase::Lag if self.hours < p.lag_hours => {}
            FermentationPhase::Lag | FermentationPhase::Growth => self.grow(rng),
            FermentationPhase::Stationary => {
                self.hours_stationary += 1;
                if self.hours_stationary >= p.stationary_hours {
                    self.phase = FermentationPhase::Flocculation;
                    self.brix = p.final_brix;
                    self.temp_c = CRASH_TEMP_C;
                    self.co2 = 0.0;
                    order = Some(true);
                } else {
                    self.brix -= 0.05_f64.min(self.brix - p.final_brix);
                    self.temp_c = (self.temp_c - 0.1).max(p.pitch_temp_c);
                    self.co2 = (self.co2 - 1.0).max(0.0);
                    self.ph = (self.ph - 0.01).max(FINAL_PH);
                }
            }
            FermentationPhase::Flocculation if self.hours_flocculating >= p.flocculation_hours => {
                // The beer goes to packaging; the cleaned tank is filled with the next batch.
                self.refill();
                self.hours = 1;
            }
            FermentationPhase::Flocculation => {
                self.hours_flocculating += 1;
                self.brix = (self.brix - 0.01).max(p.final_brix);
                self.temp_c = (self.temp_c - 0.5).max(0.0);
                self.co2 = 0.0;
                self.ph = (self.ph - 0.005).max(FINAL_PH);
            }
        }

        if self.phase != FermentationPhase::Flocculation {
            if chilling && order.is_none() {
                self.temp_c = (self.temp_c - p.chilling_per_hour).max(p.pitch_temp_c);
            }
            if before <= p.set_point_c && self.temp_c > p.set_point_c {
                order = Some(true);
            } else if before > p.pitch_temp_c && self.temp_c <= p.pitch_temp_c {
                order = Some(false);
            }
        }

        FermenterReading {
            phase: self.phase,
            brix: crate::random::round_to(self.brix, 1),
            temp_c: crate::random::round_to(self.temp_c, 1),
            ph: crate::random::round_to(self.ph, 1),
            co2_l_min: self.co2.round() as i64,
            pressure_bar: i64::from(self.co2 > 5.0),
            jacket_order: order,
        }
    }

    fn grow(&mut self, rng: &mut Random) {
        let p = self.params;
        let remaining = self.brix - p.final_brix;
        let drop = if remaining > 0.01 {
            p.max_brix_drop_per_hour.min(0.15 * remaining)
        } else {
            0.0
        };
        self.brix = (self.brix - drop).max(p.final_brix);
        self.temp_c = (self.temp_c + p.heat_per_brix * drop).min(p.max_temp_c);
        self.co2 = if self.brix > p.stationary_brix {
            rng.int(25, 44) as f64
        } else {
            15.0
        };
        self.ph = (self.ph - 0.02).max(FINAL_PH);
        self.phase = if self.brix <= p.stationary_brix {
            FermentationPhase::Stationary
        } else {
            FermentationPhase::Growth
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(params: FermenterParams, hours: u32) -> Vec<FermenterReading> {
        let mut tank = Fermenter::new(params);
        let mut rng = Random::new(5);
        let mut chilling = false;
        (0..hours)
            .map(|_| {
                let reading = tank.step_hour(chilling, &mut rng);
                if let Some(order) = reading.jacket_order {
                    chilling = order;
                }
                reading
            })
            .collect()
    }

    fn first_hour(readings: &[FermenterReading], phase: FermentationPhase) -> usize {
        readings.iter().position(|r| r.phase == phase).unwrap() + 1
    }

    #[test]
    fn fermenter_a_leaves_lag_at_hour_fourteen_and_follows_the_reference_windows() {
        let readings = run(FERMENTER_A, 120);
        assert_eq!(first_hour(&readings, FermentationPhase::Growth), 14);
        let stationary = first_hour(&readings, FermentationPhase::Stationary);
        assert!(
            (48..=54).contains(&stationary),
            "stationary at {stationary}"
        );
        let flocculation = first_hour(&readings, FermentationPhase::Flocculation);
        assert!(
            (72..=78).contains(&flocculation),
            "flocculation at {flocculation}"
        );
        assert_eq!(readings[flocculation - 1].temp_c, 1.0);
        assert_eq!(readings.last().unwrap().ph, 4.2);
        assert_eq!(readings.last().unwrap().brix, 3.0);
    }

    #[test]
    fn fermenter_b_runs_later_than_a() {
        let readings = run(FERMENTER_B, 120);
        assert_eq!(first_hour(&readings, FermentationPhase::Growth), 16);
        let stationary = first_hour(&readings, FermentationPhase::Stationary);
        assert!(
            (51..=57).contains(&stationary),
            "stationary at {stationary}"
        );
    }

    #[test]
    fn brix_never_rises_within_a_batch() {
        for params in [FERMENTER_A, FERMENTER_B] {
            let readings = run(params, 400);
            for pair in readings.windows(2) {
                let refilled = pair[0].phase == FermentationPhase::Flocculation
                    && pair[1].phase == FermentationPhase::Lag;
                if refilled {
                    assert_eq!(pair[1].brix, params.original_brix);
                } else {
                    assert!(
                        pair[1].brix <= pair[0].brix,
                        "{:?} then {:?}",
                        pair[0],
                        pair[1]
                    );
                }
            }
        }
    }

    #[test]
    fn the_tank_is_refilled_two_days_after_flocculation_begins() {
        let readings = run(FERMENTER_A, 400);
        let flocculation = first_hour(&readings, FermentationPhase::Flocculation);
        let refill = readings[flocculation..]
            .iter()
            .position(|r| r.phase == FermentationPhase::Lag)
            .map(|i| i + flocculation + 1)
            .unwrap();
        assert_eq!(
            refill - flocculation,
            FERMENTER_A.flocculation_hours as usize + 1
        );
        assert_eq!(readings[refill - 1].temp_c, FERMENTER_A.pitch_temp_c);
        let next = &readings[refill..];
        assert!(
            next.iter().any(|r| r.phase == FermentationPhase::Growth),
            "the next batch ferments"
        );
    }

    #[test]
    fn the_thermostat_only_switches_chilling_on_when_crossing_the_set_point() {
        let readings = run(FERMENTER_A, 60);
        let on = readings
            .iter()
            .filter(|r| r.jacket_order == Some(true))
            .count();
        assert!(
            on >= 1,
            "growth heat makes the thermostat call for chilling"
        );
        assert!(readings.iter().all(|r| r.temp_c <= FERMENTER_A.max_temp_c));
        let mut tank = Fermenter::new(FERMENTER_A);
        let mut rng = Random::new(1);
        for _ in 0..10 {
            assert_eq!(
                tank.step_hour(false, &mut rng).jacket_order,
                None,
                "no order during lag"
            );
        }
    }
}
