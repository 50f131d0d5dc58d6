//! The bottling line as a Markov chain over operation, starvation, blocking, failure and setup,
//! with a minimum dwell in failure and setup.

use crate::random::Random;

/// State of the bottling line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineState {
    /// Running.
    Operation,
    /// Waiting for bottles or beer.
    Starvation,
    /// Output backed up.
    Blocking,
    /// Broken down (capper jam).
    Failure,
    /// Changeover after a failure.
    Setup,
}

/// All states, in matrix order.
pub const LINE_STATES: [LineState; 5] = [
    LineState::Operation,
    LineState::Starvation,
    LineState::Blocking,
    LineState::Failure,
    LineState::Setup,
];

/// Transition probabilities per tick, row = current state.
pub const TRANSITIONS: [[f64; 5]; 5] = [
    [0.92, 0.03, 0.02, 0.03, 0.00],
    [0.88, 0.08, 0.03, 0.00, 0.01],
    [0.82, 0.01, 0.12, 0.04, 0.01],
    [0.00, 0.00, 0.00, 0.05, 0.95],
    [0.92, 0.00, 0.00, 0.00, 0.08],
];

/// Ticks a line stays in failure or setup before it may leave.
pub const MIN_DWELL_TICKS: u32 = 2;

impl LineState {
    fn index(self) -> usize {
        LINE_STATES
            .iter()
            .position(|s| *s == self)
            .expect("every state is listed")
    }

    fn has_min_dwell(self) -> bool {
        matches!(self, LineState::Failure | LineState::Setup)
    }
}

/// What the line's sensors show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineReading {
    /// Capper jam sensor.
    pub capper_jam: bool,
    /// Fill-level check failed.
    pub level_fail: bool,
    /// Line stop sensor.
    pub stopped: bool,
    /// Filler head filling.
    pub filling: bool,
    /// New conveyor speed, given only when the line changes state (the conveyor is an
    /// actuator: an interlock's halt holds until the line's next change of state).
    pub conveyor_pct: Option<i64>,
}

/// The bottling line.
#[derive(Clone, Debug, PartialEq)]
pub struct BottlingLine {
    state: LineState,
    ticks_in_state: u32,
}

impl Default for BottlingLine {
    fn default() -> BottlingLine {
        BottlingLine {
            state: LineState::Operation,
            ticks_in_state: 0,
        }
    }
}

impl BottlingLine {
    /// The current state.
    pub fn state(&self) -> LineState {
        self.state
    }

    /// Forces a state, as a scenario event (a breakdown), and reports the sensors.
    pub fn force(&mut self, state: LineState, rng: &mut Random) -> LineReading {
        self.state = state;
        self.ticks_in_state = 0;
        self.reading(true, rng)
    }

    /// Advances one tick.
    pub fn step(&mut self, rng: &mut Random) -> LineReading {
        let row = &TRANSITIONS[self.state.index()];
        let r = rng.unit();
        let mut cumulative = 0.0;
        let mut next = LINE_STATES[4];
        for (state, p) in LINE_STATES.iter().zip(row) {
            cumulative += p;
            if r < cumulative {
                next = *state;
                break;
            }
        }
        let held = self.state.has_min_dwell() && self.ticks_in_state < MIN_DWELL_TICKS;
        let changed = next != self.state && !held;
        if changed {
            self.state = next;
            self.ticks_in_state = 0;
        } else {
            self.ticks_in_state += 1;
        }
        self.reading(changed, rng)
    }

    fn reading(&self, changed: bool, rng: &mut Random) -> LineReading {
        let s = self.state;
        let filling = s == LineState::Operation && rng.chance(0.5);
        let conveyor = changed.then(|| match s {
            LineState::Operation => rng.int(70, 100),
            LineState::Blocking => rng.int(30, 49),
            _ => 0,
        });
        LineReading {
            capper_jam: s == LineState::Failure,
            level_fail: matches!(s, LineState::Failure | LineState::Blocking),
            stopped: matches!(s, LineState::Failure | LineState::Setup),
            filling,
            conveyor_pct: conveyor,
        }
    }
}

/// Stationary distribution of the plain transition matrix (100 power iterations from
/// uniform), ignoring the minimum dwell.
pub fn matrix_stationary() -> [f64; 5] {
    let mut pi = [0.2; 5];
    for _ in 0..100 {
        let mut next = [0.0; 5];
        for (i, row) in TRANSITIONS.iter().enumerate() {
            for (j, p) in row.iter().enumerate() {
                next[j] += pi[i] * p;
            }
        }
        pi = next;
    }
    pi
}

/// Stationary distribution of the line as it runs, minimum dwell included.
pub fn stationary_with_dwell() -> [f64; 5] {
    let dwell = LINE_STATES.map(LineState::has_min_dwell);
    super::stationary_with_dwell(&TRANSITIONS, &dwell, MIN_DWELL_TICKS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_stationary_distribution_matches_the_reference() {
        let pi = matrix_stationary();
        let expected = [0.890, 0.029, 0.021, 0.029, 0.031];
        for (p, e) in pi.iter().zip(expected) {
            assert!((p - e).abs() < 0.001, "{pi:?}");
        }
    }

    #[test]
    fn visit_frequencies_over_100_000_ticks_match_the_stationary_distribution() {
        let mut line = BottlingLine::default();
        let mut rng = Random::new(2024);
        let mut visits = [0u32; 5];
        let ticks = 100_000;
        for _ in 0..ticks {
            line.step(&mut rng);
            visits[line.state().index()] += 1;
        }
        let pi = stationary_with_dwell();
        for (v, p) in visits.iter().zip(pi) {
            let freq = f64::from(*v) / f64::from(ticks);
            assert!((freq - p).abs() < 0.01, "visits {visits:?} against {pi:?}");
        }
    }

    #[test]
    fn failure_lasts_at_least_the_minimum_dwell() {
        let mut line = BottlingLine::default();
        let mut rng = Random::new(77);
        let mut run = 0;
        for _ in 0..50_000 {
            line.step(&mut rng);
            if line.state() == LineState::Failure {
                run += 1;
            } else {
                assert!(
                    run == 0 || run > MIN_DWELL_TICKS as usize,
                    "failure lasted {run}"
                );
                run = 0;
            }
        }
    }
}
