//! The autonomous mobile robot: a Markov chain over nominal work, opportunistic charging,
//! collision and recovery, with a battery that drains while the robot moves and charges at
//! its station, and a position along its route.
//!
//! The robot's status is shared with the rules: R_02 makes it recalculate its route and R_11
//! sends it back to charge. The model reads the status and carries those orders out.

use crate::random::Random;

/// Chain state of the robot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RobotMode {
    /// Working: idle or carrying pallets.
    Nominal,
    /// At the station, charging.
    Charging,
    /// Stopped after a collision.
    Collision,
    /// Recovering from a collision.
    Recovery,
}

/// All modes, in order.
pub const ROBOT_MODES: [RobotMode; 4] = [
    RobotMode::Nominal,
    RobotMode::Charging,
    RobotMode::Collision,
    RobotMode::Recovery,
];

/// Ticks a robot stays in collision or recovery before it may leave.
pub const MIN_DWELL_TICKS: u32 = 2;
/// Battery charge at which charging ends.
pub const FULL_CHARGE_PCT: i64 = 95;
/// Points gained per tick at the station.
pub const CHARGE_PER_TICK: i64 = 4;

/// Waypoints of the robot's loop between the charging station (first point) and the line.
pub const ROUTE: [(i64, i64); 10] = [
    (0, 0),
    (10, 0),
    (20, 0),
    (30, 0),
    (30, 10),
    (30, 20),
    (20, 20),
    (10, 20),
    (0, 20),
    (0, 10),
];

/// Next mode for a draw `r` in `1..=10_000`, before the dwell rule.
pub fn next_mode(mode: RobotMode, r: i64) -> RobotMode {
    match mode {
        RobotMode::Nominal if r <= 9_920 => RobotMode::Nominal,
        RobotMode::Nominal if r <= 9_980 => RobotMode::Charging,
        RobotMode::Nominal => RobotMode::Collision,
        RobotMode::Charging if r <= 8_500 => RobotMode::Nominal,
        RobotMode::Charging if r <= 9_950 => RobotMode::Charging,
        RobotMode::Charging => RobotMode::Collision,
        RobotMode::Collision if r <= 500 => RobotMode::Collision,
        RobotMode::Collision => RobotMode::Recovery,
        RobotMode::Recovery if r <= 200 => RobotMode::Recovery,
        RobotMode::Recovery => RobotMode::Nominal,
    }
}

/// What the robot's facts become after a tick.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RobotReading {
    /// Status symbol.
    pub status: &'static str,
    /// Battery charge.
    pub battery_pct: i64,
    /// Collision alert.
    pub collision: bool,
    /// Position.
    pub location: (i64, i64),
}

/// The robot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Robot {
    chain: ModeChain,
    carrying: bool,
    waypoint: usize,
}

impl Robot {
    /// The current chain mode.
    pub fn mode(&self) -> RobotMode {
        self.chain.mode()
    }

    /// Advances one tick. `status` and `battery_pct` are the current facts, which rules may
    /// have changed since the last tick.
    pub fn step(&mut self, status: &str, battery_pct: i64, rng: &mut Random) -> RobotReading {
        if status == "returning_to_station" && self.mode() == RobotMode::Nominal {
            return self.return_to_station(battery_pct);
        }
        if status == "rerouting" && self.mode() == RobotMode::Nominal {
            self.carrying = true;
        }

        // Charging lasts until the battery is full, whatever the chain draws.
        let proposed = self.chain.propose(rng);
        let next = match (self.mode(), proposed) {
            (RobotMode::Charging, RobotMode::Nominal) if battery_pct < FULL_CHARGE_PCT => {
                RobotMode::Charging
            }
            (RobotMode::Charging, RobotMode::Charging) if battery_pct >= FULL_CHARGE_PCT => {
                RobotMode::Nominal
            }
            (_, proposed) => proposed,
        };
        self.chain.enter(next);

        let mut battery = battery_pct;
        let status = match self.mode() {
            RobotMode::Nominal => {
                if rng.chance(0.2) {
                    self.carrying = !self.carrying;
                }
                if self.carrying {
                    self.waypoint = (self.waypoint + 1) % ROUTE.len();
                    battery -= 1;
                    "in_transit"
                } else {
                    if rng.chance(0.2) {
                        battery -= 1;
                    }
                    "idle"
                }
            }
            RobotMode::Charging => {
                self.waypoint = 0;
                self.carrying = false;
                battery += CHARGE_PER_TICK;
                "charging"
            }
            RobotMode::Collision => "fault",
            RobotMode::Recovery => "idle",
        };
        RobotReading {
            status,
            battery_pct: battery.clamp(0, 100),
            collision: self.mode() == RobotMode::Collision,
            location: ROUTE[self.waypoint],
        }
    }

    fn return_to_station(&mut self, battery_pct: i64) -> RobotReading {
        self.carrying = false;
        if self.waypoint == 0 {
            self.chain.enter(RobotMode::Charging);
            return RobotReading {
                status: "charging",
                battery_pct: (battery_pct + CHARGE_PER_TICK).min(100),
                collision: false,
                location: ROUTE[0],
            };
        }
        let len = ROUTE.len();
        self.waypoint = if self.waypoint >= len / 2 {
            (self.waypoint + 1) % len
        } else {
            self.waypoint - 1
        };
        RobotReading {
            status: "returning_to_station",
            battery_pct: (battery_pct - 1).max(0),
            collision: false,
            location: ROUTE[self.waypoint],
        }
    }
}

/// The chain's transition probabilities per tick (row = current mode), from the draw
/// thresholds of [`next_mode`].
pub const TRANSITIONS: [[f64; 4]; 4] = [
    [0.992, 0.006, 0.002, 0.0],
    [0.85, 0.145, 0.005, 0.0],
    [0.0, 0.0, 0.05, 0.95],
    [0.98, 0.0, 0.0, 0.02],
];

fn has_min_dwell(mode: RobotMode) -> bool {
    matches!(mode, RobotMode::Collision | RobotMode::Recovery)
}

/// Stationary distribution of the mode chain, minimum dwell included.
pub fn stationary_with_dwell() -> [f64; 4] {
    super::stationary_with_dwell(
        &TRANSITIONS,
        &ROBOT_MODES.map(has_min_dwell),
        MIN_DWELL_TICKS,
    )
}

/// The robot's mode chain on its own: draws and the dwell rule, without battery overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct ModeChain {
    mode: RobotMode,
    ticks_in_mode: u32,
}

impl Default for ModeChain {
    fn default() -> ModeChain {
        ModeChain {
            mode: RobotMode::Nominal,
            ticks_in_mode: 0,
        }
    }
}

impl ModeChain {
    /// The current mode.
    pub fn mode(&self) -> RobotMode {
        self.mode
    }

    /// The mode the chain proposes for the next tick (dwell applied), without moving.
    fn propose(&self, rng: &mut Random) -> RobotMode {
        let drawn = next_mode(self.mode, rng.int(1, 10_000));
        if has_min_dwell(self.mode) && self.ticks_in_mode < MIN_DWELL_TICKS {
            self.mode
        } else {
            drawn
        }
    }

    /// Moves to `mode`.
    fn enter(&mut self, mode: RobotMode) {
        if mode == self.mode {
            self.ticks_in_mode += 1;
        } else {
            self.mode = mode;
            self.ticks_in_mode = 0;
        }
    }

    /// Advances one tick.
    pub fn step(&mut self, rng: &mut Random) -> RobotMode {
        let next = self.propose(rng);
        self.enter(next);
        self.mode
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ticks: usize, seed: u64) -> (Vec<RobotReading>, [u32; 4]) {
        let mut robot = Robot::default();
        let mut rng = Random::new(seed);
        let (mut status, mut battery) = ("idle", 100);
        let mut visits = [0u32; 4];
        let mut readings = Vec::with_capacity(ticks);
        for _ in 0..ticks {
            let reading = robot.step(status, battery, &mut rng);
            status = reading.status;
            battery = reading.battery_pct;
            visits[ROBOT_MODES.iter().position(|m| *m == robot.mode()).unwrap()] += 1;
            readings.push(reading);
        }
        (readings, visits)
    }

    #[test]
    fn the_battery_drains_while_moving_and_charges_at_the_station() {
        let (readings, _) = run(5_000, 4);
        let low = readings.iter().map(|r| r.battery_pct).min().unwrap();
        assert!(
            low < 20,
            "without R_11 the battery runs low at some point, lowest {low}"
        );
        assert!(readings.iter().any(|r| r.status == "charging"));
        for pair in readings.windows(2) {
            if pair[1].status == "in_transit" {
                assert_eq!(pair[1].battery_pct, (pair[0].battery_pct - 1).max(0));
            }
        }
    }

    #[test]
    fn a_robot_sent_back_travels_to_the_station_then_charges() {
        let mut robot = Robot {
            waypoint: 3,
            ..Robot::default()
        };
        let mut rng = Random::new(1);
        let mut battery = 17;
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let r = robot.step("returning_to_station", battery, &mut rng);
            battery = r.battery_pct;
            statuses.push(r.status);
            if r.status == "charging" {
                break;
            }
        }
        assert_eq!(
            statuses,
            [
                "returning_to_station",
                "returning_to_station",
                "returning_to_station",
                "charging"
            ]
        );
        assert_eq!(battery, 14 + CHARGE_PER_TICK);
    }

    #[test]
    fn chain_visit_frequencies_over_100_000_ticks_match_the_stationary_distribution() {
        let mut chain = ModeChain::default();
        let mut rng = Random::new(8);
        let mut visits = [0u32; 4];
        for _ in 0..100_000 {
            let mode = chain.step(&mut rng);
            visits[ROBOT_MODES.iter().position(|m| *m == mode).unwrap()] += 1;
        }
        let pi = stationary_with_dwell();
        for (v, p) in visits.iter().zip(pi) {
            let freq = f64::from(*v) / 100_000.0;
            assert!((freq - p).abs() < 0.01, "visits {visits:?} against {pi:?}");
        }
    }

    #[test]
    fn the_threshold_table_and_the_matrix_agree() {
        for (i, mode) in ROBOT_MODES.iter().enumerate() {
            let mut row = [0.0; 4];
            for r in 1..=10_000 {
                let j = ROBOT_MODES
                    .iter()
                    .position(|m| *m == next_mode(*mode, r))
                    .unwrap();
                row[j] += 1.0;
            }
            for j in 0..4 {
                assert!((row[j] / 10_000.0 - TRANSITIONS[i][j]).abs() < 1e-9);
            }
        }
    }
}
