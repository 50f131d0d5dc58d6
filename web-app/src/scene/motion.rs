//! What moves in the 3D plant and how fast, from the live facts and the real time between two
//! frames: rotors, the bottle train, the robot, steam over the kettle and CO₂ from the
//! fermenters.
//!
//! Everything here is plain arithmetic on [`LiveFacts`], so it is tested natively; the renderer
//! only asks each moving piece for its [`Pose`].

use glam::{Mat4, Quat, Vec3};
use pon_core::{FactId, Value};
use twin::catalog;

/// Longest frame time the animation accepts: after a pause (a hidden tab, a slow frame) the
/// plant moves on by this much at most instead of jumping.
pub const MAX_FRAME_S: f32 = 0.1;

/// The facts the scene shows as motion, read from the twin's values.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LiveFacts {
    /// Mill motor speed.
    pub motor_rpm: f32,
    /// Mash agitator running.
    pub agitator_on: bool,
    /// Mash tun level.
    pub mash_level_pct: f32,
    /// Lauter bed pressure drop.
    pub diff_pressure_mbar: f32,
    /// Lauter pump speed.
    pub pump_speed_pct: f32,
    /// Kettle temperature.
    pub boil_temp_c: f32,
    /// Kettle steam pressure.
    pub steam_pressure_bar: f32,
    /// Kettle evaporation rate.
    pub evaporation_pct_h: f32,
    /// Fermenter heads' pressure, A then B.
    pub ferm_pressure_bar: [f32; 2],
    /// Fermenters' CO₂ exhaust flow, A then B.
    pub ferm_co2_l_min: [f32; 2],
    /// Fermenters' glycol jackets chilling, A then B.
    pub jacket_on: [bool; 2],
    /// Bottling conveyor speed.
    pub conveyor_speed_pct: f32,
    /// Capper jam sensor.
    pub capper_jam: bool,
    /// CIP supply pump running.
    pub cip_pump_on: bool,
    /// CIP flow velocity.
    pub cip_flow_m_s: f32,
    /// CIP caustic and acid tank levels.
    pub cip_tank_pct: [f32; 2],
    /// Robot collision alert.
    pub collision: bool,
    /// Grid fault relay.
    pub grid_fault: bool,
}

impl LiveFacts {
    /// Reads the facts from the twin's values (indexed by fact id).
    pub fn from_values(values: &[Value]) -> LiveFacts {
        let number =
            |f: FactId| values.get(f.index()).and_then(Value::as_f64).unwrap_or(0.0) as f32;
        let symbol = |f: FactId, s: &str| {
            values
                .get(f.index())
                .and_then(Value::as_symbol)
                .is_some_and(|v| v == s)
        };
        let flag = |f: FactId| values.get(f.index()) == Some(&Value::Bool(true));
        LiveFacts {
            motor_rpm: number(catalog::MOTOR_RPM),
            agitator_on: symbol(catalog::AGITATOR, "on"),
            mash_level_pct: number(catalog::MASH_LEVEL),
            diff_pressure_mbar: number(catalog::DIFF_PRESSURE),
            pump_speed_pct: number(catalog::PUMP_SPEED),
            boil_temp_c: number(catalog::BOIL_TEMP),
            steam_pressure_bar: number(catalog::STEAM_PRESSURE),
            evaporation_pct_h: number(catalog::EVAPORATION),
            ferm_pressure_bar: [
                number(catalog::FERM_A_PRESSURE),
                number(catalog::FERM_B_PRESSURE),
            ],
            ferm_co2_l_min: [number(catalog::FERM_A_CO2), number(catalog::FERM_B_CO2)],
            jacket_on: [
                symbol(catalog::FERM_A_JACKET, "on"),
                symbol(catalog::FERM_B_JACKET, "on"),
            ],
            conveyor_speed_pct: number(catalog::CONVEYOR_SPEED),
            capper_jam: flag(catalog::CAPPER_JAM),
            cip_pump_on: symbol(catalog::CIP_PUMP, "on"),
            cip_flow_m_s: number(catalog::CIP_FLOW),
            cip_tank_pct: [number(catalog::CAUSTIC_LEVEL), number(catalog::ACID_LEVEL)],
            collision: flag(catalog::COLLISION),
            grid_fault: flag(catalog::GRID_FAULT),
        }
    }
}

/// The parts that turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rotor {
    /// The mill motor's fan.
    MillMotor,
    /// The mash agitator's drive.
    Agitator,
    /// The lauter rake arm.
    Rake,
    /// The lauter pump's motor fan.
    LauterPump,
    /// The CIP pump's motor fan.
    CipPump,
    /// The wind turbine's rotor.
    Turbine,
}

const ROTORS: [Rotor; 6] = [
    Rotor::MillMotor,
    Rotor::Agitator,
    Rotor::Rake,
    Rotor::LauterPump,
    Rotor::CipPump,
    Rotor::Turbine,
];

/// Turns per second shown for the mill at its full 3000 rpm. A motor fan drawn at its true
/// 50 turns per second would alias into a still or backwards picture at 60 frames per second,
/// so the speed is shown to scale.
pub const MILL_TURNS_PER_S_AT_FULL_SPEED: f32 = 2.0;
/// The mill's full speed.
pub const MILL_FULL_RPM: f32 = 3000.0;
/// The lauter pump's full speed.
pub const PUMP_FULL_PCT: f32 = 80.0;

impl Rotor {
    /// Turns per second of this rotor for these facts; 0 when it stands still.
    pub fn turns_per_s(self, facts: &LiveFacts) -> f32 {
        match self {
            Rotor::MillMotor => {
                facts.motor_rpm.max(0.0) / MILL_FULL_RPM * MILL_TURNS_PER_S_AT_FULL_SPEED
            }
            Rotor::Agitator if facts.agitator_on => 0.6,
            Rotor::Agitator => 0.0,
            Rotor::Rake => 0.12 * facts.pump_speed_pct.max(0.0) / PUMP_FULL_PCT,
            Rotor::LauterPump => 1.5 * facts.pump_speed_pct.max(0.0) / PUMP_FULL_PCT,
            Rotor::CipPump if facts.cip_pump_on => 0.8 + facts.cip_flow_m_s.max(0.0) * 0.12,
            Rotor::CipPump => 0.0,
            // The relay isolates the turbine on a grid fault: it is braked to a stop.
            Rotor::Turbine if facts.grid_fault => 0.0,
            Rotor::Turbine => 0.3,
        }
    }

    fn slot(self) -> usize {
        ROTORS.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// How a moving piece moves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Animation {
    /// It does not move.
    Still,
    /// It turns about `axis` (through its pivot).
    Turns {
        /// Which rotor it is.
        rotor: Rotor,
        /// Unit axis.
        axis: Vec3,
    },
    /// A bottle on the conveyor, by its place in the train.
    Bottle(usize),
    /// The cap of that bottle: shown once the bottle has passed the capper.
    Cap(usize),
    /// A steam puff over the kettle.
    Steam(usize),
    /// A CO₂ bubble over fermenter A (0) or B (1).
    Bubble(usize, usize),
    /// The robot.
    Robot,
    /// The mash tun's sight-glass liquid, scaled by the level.
    MashSightGlass,
    /// A CIP tank's sight-glass liquid: caustic (0) or acid (1).
    CipSightGlass(usize),
    /// The lauter grant's wort, clearer as the bed's pressure drop falls.
    Grant,
    /// The capper's siren, flashing on a jam.
    Siren,
    /// The kettle burner's glow, from the boil temperature and steam pressure.
    BurnerGlow,
    /// A fermenter's glycol jacket band, blue while chilling: A (0) or B (1).
    Jacket(usize),
}

/// Where and how a moving piece is drawn this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pose {
    /// Local transform, applied about the piece's pivot.
    pub transform: Mat4,
    /// Opacity.
    pub alpha: f32,
    /// Light the piece gives off, added to its lit colour.
    pub glow: Vec3,
    /// Whether it is drawn at all.
    pub visible: bool,
}

impl Pose {
    /// The piece as built.
    pub const REST: Pose = Pose {
        transform: Mat4::IDENTITY,
        alpha: 1.0,
        glow: Vec3::ZERO,
        visible: true,
    };
}

/// Bottles on the conveyor.
pub const BOTTLES: usize = 12;
/// The stretch of belt the bottles travel, from its start (x in the line's own frame).
pub const BELT_START_X: f32 = -19.0;
/// Length of that stretch.
pub const BELT_LENGTH: f32 = 38.0;
/// Where the capper stands along the line.
pub const CAPPER_X: f32 = 8.0;
/// Belt speed at 100 %.
pub const BELT_UNITS_PER_S_AT_FULL_SPEED: f32 = 3.0;
/// Steam puffs over the kettle.
pub const STEAM_PUFFS: usize = 24;
/// CO₂ bubbles over each fermenter.
pub const BUBBLES: usize = 10;
/// Half the robot's run along its aisle.
pub const ROBOT_RUN: f32 = 12.0;
/// Robot's angular speed along its run.
pub const ROBOT_RAD_PER_S: f32 = 0.35;

/// One puff or bubble: its offset from the source, its age from 0 (new) to 1 (gone).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Particle {
    offset: Vec3,
    life: f32,
    drift: Vec3,
    strength: f32,
}

/// A source of rising particles (the chimney, a CO₂ exhaust).
#[derive(Clone, Debug, PartialEq)]
struct Plume {
    particles: Vec<Particle>,
}

impl Plume {
    fn new(count: usize) -> Plume {
        Plume {
            particles: vec![
                Particle {
                    offset: Vec3::ZERO,
                    life: 1.0,
                    drift: Vec3::ZERO,
                    strength: 0.0,
                };
                count
            ],
        }
    }

    /// Ages the particles; dead ones are born again at a rate that grows with `intensity`.
    /// Returns whether any particle is alive.
    fn advance(&mut self, dt: f32, intensity: f32, rise: f32, random: &mut Random) -> bool {
        let mut alive = false;
        for p in &mut self.particles {
            if p.life < 1.0 {
                p.life += dt * (0.35 + 0.4 * p.strength);
                p.offset += (Vec3::Y * rise * (0.5 + 0.8 * p.strength) + p.drift) * dt;
            } else if intensity > 0.0 && random.unit() < dt * (1.0 + 4.0 * intensity) {
                *p = Particle {
                    offset: Vec3::new(random.signed() * 0.6, 0.0, random.signed() * 0.6),
                    life: 0.0,
                    drift: Vec3::new(random.signed() * 0.5, 0.0, random.signed() * 0.5),
                    strength: intensity,
                };
            }
            alive |= p.life < 1.0;
        }
        alive
    }

    fn pose(&self, index: usize, size: f32) -> Pose {
        match self.particles.get(index) {
            Some(p) if p.life < 1.0 => Pose {
                transform: Mat4::from_scale_rotation_translation(
                    Vec3::splat(size * (0.6 + 1.2 * p.life)),
                    Quat::IDENTITY,
                    p.offset,
                ),
                alpha: (1.0 - p.life) * (0.25 + 0.45 * p.strength),
                glow: Vec3::ZERO,
                visible: true,
            },
            _ => Pose {
                visible: false,
                ..Pose::REST
            },
        }
    }
}

/// A small portable generator for particle jitter (xorshift32); the plant's own randomness
/// does not come from here.
#[derive(Clone, Debug, PartialEq)]
struct Random(u32);

impl Random {
    fn unit(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        (self.0 >> 8) as f32 / (1u32 << 24) as f32
    }

    fn signed(&mut self) -> f32 {
        self.unit() * 2.0 - 1.0
    }
}

/// How strongly the kettle steams, 0 (cold, no steam) to 1, from its temperature above 80 °C,
/// its steam pressure and its evaporation rate.
pub fn steam_intensity(facts: &LiveFacts) -> f32 {
    let temperature = ((facts.boil_temp_c - 80.0) / 25.0).clamp(0.0, 1.0);
    let pressure = (facts.steam_pressure_bar / 5.0).clamp(0.0, 1.0);
    let evaporation = (facts.evaporation_pct_h / 15.0).clamp(0.0, 1.0);
    (0.6 * temperature + 0.4 * pressure + 0.2 * evaporation).min(1.0)
}

/// How strongly fermenter `tank` bubbles, 0 to 1, from its head pressure and CO₂ flow.
pub fn bubble_intensity(facts: &LiveFacts, tank: usize) -> f32 {
    let pressure = facts.ferm_pressure_bar[tank] / 2.0;
    let co2 = facts.ferm_co2_l_min[tank] / 30.0;
    (0.4 * pressure + 0.6 * co2).clamp(0.0, 1.0)
}

/// Belt speed in scene units per second: stopped on a capper jam.
pub fn belt_units_per_s(facts: &LiveFacts) -> f32 {
    if facts.capper_jam {
        0.0
    } else {
        facts.conveyor_speed_pct.clamp(0.0, 100.0) / 100.0 * BELT_UNITS_PER_S_AT_FULL_SPEED
    }
}

/// The moving state of the plant between frames.
#[derive(Clone, Debug, PartialEq)]
pub struct Motion {
    angles_rad: [f32; 6],
    belt_units: f32,
    robot_phase_rad: f32,
    time_s: f32,
    steam: Plume,
    bubbles: [Plume; 2],
    random: Random,
    particles_alive: bool,
}

impl Default for Motion {
    fn default() -> Motion {
        Motion::new()
    }
}

impl Motion {
    /// Everything at rest.
    pub fn new() -> Motion {
        Motion {
            angles_rad: [0.0; 6],
            belt_units: 0.0,
            robot_phase_rad: 0.0,
            time_s: 0.0,
            steam: Plume::new(STEAM_PUFFS),
            bubbles: [Plume::new(BUBBLES), Plume::new(BUBBLES)],
            random: Random(0x9e37_79b9),
            particles_alive: false,
        }
    }

    /// Moves the plant on by `dt_s` seconds of real time (at most [`MAX_FRAME_S`]). Returns
    /// whether anything is moving, that is whether the next frame will differ.
    pub fn advance(&mut self, dt_s: f32, facts: &LiveFacts) -> bool {
        let dt = dt_s.clamp(0.0, MAX_FRAME_S);
        self.time_s += dt;
        let mut moving = false;
        for rotor in ROTORS {
            let speed = rotor.turns_per_s(facts);
            if speed > 0.0 {
                moving = true;
                let angle = &mut self.angles_rad[rotor.slot()];
                *angle =
                    (*angle + speed * std::f32::consts::TAU * dt).rem_euclid(std::f32::consts::TAU);
            }
        }
        let belt = belt_units_per_s(facts);
        if belt > 0.0 {
            moving = true;
            self.belt_units = (self.belt_units + belt * dt).rem_euclid(BELT_LENGTH);
        }
        if !facts.collision {
            moving = true;
            self.robot_phase_rad =
                (self.robot_phase_rad + ROBOT_RAD_PER_S * dt).rem_euclid(std::f32::consts::TAU);
        }
        let mut alive = self
            .steam
            .advance(dt, steam_intensity(facts), 4.0, &mut self.random);
        for tank in 0..2 {
            alive |= self.bubbles[tank].advance(
                dt,
                bubble_intensity(facts, tank),
                2.5,
                &mut self.random,
            );
        }
        self.particles_alive = alive;
        moving || alive || facts.capper_jam
    }

    /// Angle of `rotor` now.
    pub fn angle_rad(&self, rotor: Rotor) -> f32 {
        self.angles_rad[rotor.slot()]
    }

    /// Where bottle `slot` stands along the line now.
    pub fn bottle_x(&self, slot: usize) -> f32 {
        let spacing = BELT_LENGTH / BOTTLES as f32;
        BELT_START_X + (slot as f32 * spacing + self.belt_units).rem_euclid(BELT_LENGTH)
    }

    /// The robot's offset along its aisle and its heading.
    pub fn robot_offset(&self) -> (f32, f32) {
        let offset = -ROBOT_RUN * self.robot_phase_rad.sin();
        let heading = if self.robot_phase_rad.cos() > 0.0 {
            std::f32::consts::PI
        } else {
            0.0
        };
        (offset, heading)
    }

    /// The pose of a piece with `animation` this frame.
    pub fn pose(&self, animation: Animation, facts: &LiveFacts) -> Pose {
        match animation {
            Animation::Still => Pose::REST,
            Animation::Turns { rotor, axis } => Pose {
                transform: Mat4::from_axis_angle(axis, self.angle_rad(rotor)),
                ..Pose::REST
            },
            Animation::Bottle(slot) => Pose {
                transform: Mat4::from_translation(Vec3::X * self.bottle_x(slot)),
                ..Pose::REST
            },
            Animation::Cap(slot) => Pose {
                transform: Mat4::from_translation(Vec3::X * self.bottle_x(slot)),
                visible: self.bottle_x(slot) > CAPPER_X,
                ..Pose::REST
            },
            Animation::Steam(i) => self.steam.pose(i, 0.9),
            Animation::Bubble(tank, i) => self.bubbles[tank.min(1)].pose(i, 0.3),
            Animation::Robot => {
                let (offset, heading) = self.robot_offset();
                Pose {
                    transform: Mat4::from_rotation_translation(
                        Quat::from_rotation_y(heading),
                        Vec3::X * offset,
                    ),
                    ..Pose::REST
                }
            }
            Animation::MashSightGlass => level_pose(facts.mash_level_pct),
            Animation::CipSightGlass(tank) => level_pose(facts.cip_tank_pct[tank.min(1)]),
            Animation::Grant => Pose {
                alpha: (0.3 + (facts.diff_pressure_mbar - 40.0) / 200.0).clamp(0.3, 1.0),
                ..Pose::REST
            },
            Animation::Siren => {
                let on = facts.capper_jam;
                let pulse = 0.5 + 0.5 * (self.time_s * 6.0).sin();
                Pose {
                    glow: if on {
                        Vec3::new(0.9, 0.1, 0.05) * pulse
                    } else {
                        Vec3::ZERO
                    },
                    ..Pose::REST
                }
            }
            Animation::BurnerGlow => {
                let heat = ((facts.boil_temp_c - 60.0) / 45.0).clamp(0.0, 1.0) * 0.7
                    + (facts.steam_pressure_bar / 5.0).clamp(0.0, 1.0) * 0.3;
                Pose {
                    glow: Vec3::new(0.85, 0.35, 0.05) * heat,
                    ..Pose::REST
                }
            }
            Animation::Jacket(tank) => Pose {
                glow: if facts.jacket_on[tank.min(1)] {
                    Vec3::new(0.0, 0.08, 0.22)
                } else {
                    Vec3::ZERO
                },
                ..Pose::REST
            },
        }
    }

    /// Whether steam or bubbles are in the air.
    pub fn particles_alive(&self) -> bool {
        self.particles_alive
    }
}

/// A sight-glass column scaled to a level in percent (never quite empty, so it stays visible).
fn level_pose(level_pct: f32) -> Pose {
    let level = (level_pct / 100.0).clamp(0.05, 1.0);
    Pose {
        transform: Mat4::from_scale(Vec3::new(1.0, level, 1.0)),
        ..Pose::REST
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running() -> LiveFacts {
        LiveFacts {
            motor_rpm: 1500.0,
            pump_speed_pct: 40.0,
            conveyor_speed_pct: 50.0,
            boil_temp_c: 100.0,
            steam_pressure_bar: 2.0,
            evaporation_pct_h: 8.0,
            ferm_co2_l_min: [20.0, 0.0],
            ..LiveFacts::default()
        }
    }

    #[test]
    fn the_initial_plant_reads_its_initial_facts() {
        let twin = twin::Twin::new(twin::TwinConfig::new(twin::Scenario::MonteCarlo, 1));
        let facts = LiveFacts::from_values(twin.values());
        assert_eq!(facts.pump_speed_pct, 40.0);
        assert_eq!(facts.diff_pressure_mbar, 80.0);
        assert_eq!(facts.cip_tank_pct, [80.0, 80.0]);
        assert_eq!(facts.jacket_on, [true, false]);
        assert!(!facts.capper_jam && !facts.grid_fault && !facts.agitator_on);
    }

    #[test]
    fn the_mill_fan_turns_with_the_motor_speed_in_real_time() {
        let mut motion = Motion::new();
        let facts = running();
        motion.advance(0.05, &facts);
        motion.advance(0.05, &facts);
        // 1500 rpm is half speed: one turn per second shown, so 0.1 s is a tenth of a turn.
        let expected = 0.1 * std::f32::consts::TAU;
        assert!((motion.angle_rad(Rotor::MillMotor) - expected).abs() < 1e-4);
        let stopped = LiveFacts {
            motor_rpm: 0.0,
            ..facts
        };
        let before = motion.angle_rad(Rotor::MillMotor);
        motion.advance(0.05, &stopped);
        assert_eq!(motion.angle_rad(Rotor::MillMotor), before);
    }

    #[test]
    fn a_long_pause_moves_the_plant_by_one_clamped_frame() {
        let mut motion = Motion::new();
        motion.advance(30.0, &running());
        let expected =
            MAX_FRAME_S * Rotor::LauterPump.turns_per_s(&running()) * std::f32::consts::TAU;
        assert!((motion.angle_rad(Rotor::LauterPump) - expected).abs() < 1e-4);
    }

    #[test]
    fn rake_and_pump_stop_when_the_pump_is_zeroed() {
        let stopped = LiveFacts {
            pump_speed_pct: 0.0,
            ..running()
        };
        assert_eq!(Rotor::Rake.turns_per_s(&stopped), 0.0);
        assert_eq!(Rotor::LauterPump.turns_per_s(&stopped), 0.0);
        assert_eq!(Rotor::LauterPump.turns_per_s(&running()), 0.75);
    }

    #[test]
    fn bottles_move_with_the_conveyor_and_stop_on_a_capper_jam() {
        let mut motion = Motion::new();
        let facts = running();
        let start = motion.bottle_x(0);
        motion.advance(0.1, &facts);
        assert!((motion.bottle_x(0) - start - 0.15).abs() < 1e-4);
        let jammed = LiveFacts {
            capper_jam: true,
            ..facts
        };
        let held = motion.bottle_x(0);
        motion.advance(0.1, &jammed);
        assert_eq!(motion.bottle_x(0), held);
        // 0.2 s into the run the siren's pulse is near its peak.
        assert!(motion.pose(Animation::Siren, &jammed).glow.x > 0.5);
        assert_eq!(motion.pose(Animation::Siren, &facts).glow, Vec3::ZERO);
    }

    #[test]
    fn bottles_are_capped_only_past_the_capper() {
        let motion = Motion::new();
        for slot in 0..BOTTLES {
            let x = motion.bottle_x(slot);
            assert!((BELT_START_X..BELT_START_X + BELT_LENGTH).contains(&x));
            let cap = motion.pose(Animation::Cap(slot), &running());
            assert_eq!(cap.visible, x > CAPPER_X, "bottle {slot} at {x}");
        }
    }

    #[test]
    fn the_robot_stops_on_a_collision_alert() {
        let mut motion = Motion::new();
        motion.advance(0.1, &LiveFacts::default());
        let moved = motion.robot_offset();
        assert!(moved.0 != 0.0);
        let collision = LiveFacts {
            collision: true,
            ..LiveFacts::default()
        };
        motion.advance(0.1, &collision);
        assert_eq!(motion.robot_offset(), moved);
    }

    #[test]
    fn steam_follows_the_kettle_and_a_cold_kettle_does_not_steam() {
        assert_eq!(steam_intensity(&LiveFacts::default()), 0.0);
        let hot = running();
        assert!((steam_intensity(&hot) - (0.6 * 0.8 + 0.4 * 0.4 + 0.2 * 8.0 / 15.0)).abs() < 1e-5);
        let mut motion = Motion::new();
        for _ in 0..40 {
            motion.advance(0.05, &hot);
        }
        assert!(motion.particles_alive());
        let shown = (0..STEAM_PUFFS)
            .filter(|i| motion.pose(Animation::Steam(*i), &hot).visible)
            .count();
        assert!(shown > 0);
        for _ in 0..200 {
            motion.advance(
                0.05,
                &LiveFacts {
                    collision: true,
                    ..LiveFacts::default()
                },
            );
        }
        assert!(
            !motion.particles_alive(),
            "puffs die out once the kettle is cold"
        );
    }

    #[test]
    fn only_an_active_fermenter_bubbles() {
        let facts = running();
        assert!(bubble_intensity(&facts, 0) > 0.0);
        assert_eq!(bubble_intensity(&facts, 1), 0.0);
        let mut motion = Motion::new();
        for _ in 0..40 {
            motion.advance(0.05, &facts);
        }
        let shown = |tank| {
            (0..BUBBLES)
                .filter(|i| motion.pose(Animation::Bubble(tank, *i), &facts).visible)
                .count()
        };
        assert!(shown(0) > 0);
        assert_eq!(shown(1), 0);
    }

    #[test]
    fn a_still_plant_reports_nothing_moving() {
        let still = LiveFacts {
            collision: true,
            grid_fault: true,
            ..LiveFacts::default()
        };
        let mut motion = Motion::new();
        assert!(!motion.advance(0.016, &still));
        assert!(motion.advance(0.016, &running()));
    }

    #[test]
    fn sight_glasses_follow_their_levels() {
        let facts = LiveFacts {
            mash_level_pct: 50.0,
            cip_tank_pct: [0.0, 100.0],
            ..LiveFacts::default()
        };
        let motion = Motion::new();
        let scale = |a| {
            motion
                .pose(a, &facts)
                .transform
                .to_scale_rotation_translation()
                .0
                .y
        };
        assert!((scale(Animation::MashSightGlass) - 0.5).abs() < 1e-6);
        assert!((scale(Animation::CipSightGlass(0)) - 0.05).abs() < 1e-6);
        assert!((scale(Animation::CipSightGlass(1)) - 1.0).abs() < 1e-6);
    }
}
