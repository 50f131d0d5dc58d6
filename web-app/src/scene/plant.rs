//! The brewery as low-poly geometry: the eleven pieces of equipment at their places on the
//! floor, the hot, cold and CIP pipes between them, and the pieces that move.
//!
//! Units are metres-ish scene units, y up; the floor is y = 0. Each piece of equipment stands at
//! the position the original plant model gave it.

use std::f32::consts::{FRAC_PI_2, FRAC_PI_4, PI};

use glam::{Mat4, Vec3};

use super::camera::{pick, Ray};
use super::mesh::{Aabb, Mesh, MeshBuilder, Paint};
use super::motion::{Animation, Rotor, BOTTLES, BUBBLES, CAPPER_X, STEAM_PUFFS};

/// Where each FBE stands, by FBE index.
pub const POSITIONS: [Vec3; 11] = [
    Vec3::new(-30.0, 0.0, -20.0),
    Vec3::new(-15.0, 0.0, -20.0),
    Vec3::new(0.0, 0.0, -20.0),
    Vec3::new(15.0, 0.0, -20.0),
    Vec3::new(25.0, 2.5, -10.0),
    Vec3::new(15.0, 0.0, 10.0),
    Vec3::new(0.0, 0.0, 10.0),
    Vec3::new(-10.0, 0.0, 25.0),
    Vec3::new(-30.0, 0.0, 10.0),
    Vec3::new(30.0, 0.5, 20.0),
    Vec3::new(58.0, 0.0, -42.0),
];

const STEEL: Paint = Paint::body([0.80, 0.81, 0.82]);
const STEEL_DARK: Paint = Paint::fixed([0.50, 0.52, 0.54]);
const COPPER: Paint = Paint::body([0.76, 0.66, 0.57]);
const FRAME: Paint = Paint::fixed([0.38, 0.39, 0.41]);
const FRAME_BODY: Paint = Paint::body([0.55, 0.56, 0.58]);
const MOTOR: Paint = Paint::fixed([0.36, 0.42, 0.50]);
const BLACK: Paint = Paint::fixed([0.16, 0.16, 0.17]);
const GLASS: Paint = Paint::fixed([0.78, 0.86, 0.90]);
const WORT: Paint = Paint::fixed([0.80, 0.58, 0.22]);
const BEER: Paint = Paint::fixed([0.86, 0.70, 0.28]);
const BOTTLE: Paint = Paint::fixed([0.46, 0.30, 0.14]);
const LABEL: Paint = Paint::fixed([0.86, 0.82, 0.66]);
const CAP: Paint = Paint::fixed([0.70, 0.62, 0.36]);
const HOT: Paint = Paint::fixed([0.72, 0.42, 0.40]);
const COLD: Paint = Paint::fixed([0.42, 0.56, 0.72]);
const CIP: Paint = Paint::fixed([0.44, 0.64, 0.48]);
const VALVE_RED: Paint = Paint::fixed([0.70, 0.22, 0.20]);
const LED_GREEN: Paint = Paint::fixed([0.30, 0.70, 0.36]);
const AMBER: Paint = Paint::fixed([0.86, 0.62, 0.18]);
const SOLAR: Paint = Paint::fixed([0.22, 0.28, 0.40]);
const CONCRETE: Paint = Paint::fixed([0.66, 0.66, 0.64]);
const WOOD: Paint = Paint::fixed([0.64, 0.54, 0.40]);
const PUFF: Paint = Paint::fixed([0.97, 0.97, 0.97]);
const FLOOR: Paint = Paint::fixed([0.70, 0.71, 0.72]);
const FLOOR_LINE: Paint = Paint::fixed([0.62, 0.63, 0.64]);
const MARKER: Paint = Paint::fixed([0.22, 0.26, 0.32]);
const BURNER: Paint = Paint::fixed([0.30, 0.24, 0.20]);

/// What a piece is for: the renderer draws and picks by role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Part of a piece of equipment: drawn, tinted by status, picked.
    Equipment,
    /// Steam or a bubble: drawn translucent, never picked.
    Particle,
    /// The disc under an FBE, drawn only while it is selected or pointed at.
    Marker,
    /// Pipes and the floor.
    Surroundings,
}

/// A mesh drawn with one transform.
#[derive(Clone, Debug)]
pub struct Piece {
    /// The FBE it belongs to.
    pub fbe: Option<usize>,
    /// Geometry, around the pivot.
    pub mesh: Mesh,
    /// Where the mesh's origin stands in the plant.
    pub pivot: Vec3,
    /// How it moves.
    pub animation: Animation,
    /// Drawn see-through (glass, steam).
    pub translucent: bool,
    /// What it is for.
    pub role: Role,
}

impl Piece {
    /// Its transform in the plant, given its local pose.
    pub fn world(&self, local: Mat4) -> Mat4 {
        Mat4::from_translation(self.pivot) * local
    }
}

/// Which part of the plant to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Everything.
    Plant,
    /// One FBE on its own, for its detail page.
    Only(usize),
}

/// The built scene.
#[derive(Clone, Debug)]
pub struct PlantScene {
    /// Every piece, in drawing order.
    pub pieces: Vec<Piece>,
    /// Bounds of each FBE at rest (`None` when it was not built).
    pub bounds: Vec<Option<Aabb>>,
}

struct Builder {
    pieces: Vec<Piece>,
    fbe: Option<usize>,
    origin: Vec3,
}

impl Builder {
    /// Adds a piece whose mesh `build` makes around `pivot` (relative to the current origin).
    fn piece(
        &mut self,
        pivot: Vec3,
        animation: Animation,
        role: Role,
        translucent: bool,
        build: impl FnOnce(&mut MeshBuilder),
    ) {
        let mut mesh = MeshBuilder::new();
        build(&mut mesh);
        let mesh = mesh.finish();
        if mesh.vertices.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            fbe: self.fbe,
            mesh,
            pivot: self.origin + pivot,
            animation,
            translucent,
            role,
        });
    }

    fn still(&mut self, build: impl FnOnce(&mut MeshBuilder)) {
        self.piece(Vec3::ZERO, Animation::Still, Role::Equipment, false, build);
    }

    fn glass(&mut self, build: impl FnOnce(&mut MeshBuilder)) {
        self.piece(Vec3::ZERO, Animation::Still, Role::Equipment, true, build);
    }

    fn moving(&mut self, pivot: Vec3, animation: Animation, build: impl FnOnce(&mut MeshBuilder)) {
        self.piece(pivot, animation, Role::Equipment, false, build);
    }

    fn rotor(
        &mut self,
        pivot: Vec3,
        rotor: Rotor,
        axis: Vec3,
        build: impl FnOnce(&mut MeshBuilder),
    ) {
        self.moving(pivot, Animation::Turns { rotor, axis }, build);
    }

    fn equipment(&mut self, fbe: usize, build: impl FnOnce(&mut Builder)) {
        self.fbe = Some(fbe);
        self.origin = POSITIONS[fbe];
        build(self);
        self.fbe = None;
        self.origin = Vec3::ZERO;
    }
}

/// A fan of `blades` flat blades about the x axis (a motor's cooling fan).
fn fan_x(b: &mut MeshBuilder, radius: f32, blades: u32, paint: Paint) {
    b.with(Mat4::from_rotation_z(FRAC_PI_2), |b| {
        b.cylinder(Vec3::new(0.0, -0.15, 0.0), radius * 0.3, 0.3, paint);
    });
    for i in 0..blades {
        let angle = i as f32 / blades as f32 * PI;
        b.with(Mat4::from_rotation_x(angle), |b| {
            b.cuboid(
                Vec3::ZERO,
                Vec3::new(0.15, radius * 2.0, radius * 0.35),
                paint,
            );
        });
    }
}

/// Four legs at the corners of a `half_x` × `half_z` rectangle, up to `height`.
fn legs(b: &mut MeshBuilder, half_x: f32, half_z: f32, height: f32, radius: f32) {
    for (sx, sz) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
        let foot = Vec3::new(sx * half_x, 0.0, sz * half_z);
        b.tube(foot, foot + Vec3::Y * height, radius, FRAME);
        b.cuboid(foot + Vec3::Y * 0.1, Vec3::new(1.0, 0.2, 1.0), FRAME);
    }
}

/// A lower head under a vessel: a dome turned upside down.
fn lower_head(b: &mut MeshBuilder, at: Vec3, radius: f32, depth: f32, paint: Paint) {
    b.with(
        Mat4::from_translation(at) * Mat4::from_scale(Vec3::new(1.0, -1.0, 1.0)),
        |b| b.dome(Vec3::ZERO, radius, depth, paint),
    );
}

fn mill(s: &mut Builder) {
    s.still(|b| {
        legs(b, 3.0, 2.5, 6.0, 0.3);
        for z in [-2.5, 2.5] {
            b.tube(Vec3::new(-3.0, 2.0, z), Vec3::new(3.0, 2.0, z), 0.18, FRAME);
        }
        b.cuboid(Vec3::new(0.0, 8.5, 0.0), Vec3::new(8.0, 5.0, 6.0), STEEL);
        b.cuboid(
            Vec3::new(0.5, 8.5, 3.05),
            Vec3::new(3.0, 2.6, 0.15),
            STEEL_DARK,
        );
        b.cuboid(
            Vec3::new(0.0, 5.4, 0.0),
            Vec3::new(2.0, 1.2, 2.0),
            STEEL_DARK,
        );
        b.with(Mat4::from_rotation_y(FRAC_PI_4), |b| {
            b.frustum(Vec3::new(0.0, 11.0, 0.0), 2.0, 5.2, 5.5, 4, STEEL);
            b.frustum(Vec3::new(0.0, 16.5, 0.0), 5.5, 5.5, 0.35, 4, STEEL_DARK);
        });
        b.cylinder(Vec3::new(1.5, 16.8, 1.0), 0.6, 1.5, STEEL_DARK);
        // Motor beside the chamber, its axle and the belt guard.
        b.tube(
            Vec3::new(-8.8, 8.5, 0.0),
            Vec3::new(-5.2, 8.5, 0.0),
            1.6,
            MOTOR,
        );
        b.cuboid(Vec3::new(-7.0, 6.5, 0.0), Vec3::new(3.2, 0.5, 2.6), FRAME);
        b.tube(
            Vec3::new(-5.2, 8.5, 0.0),
            Vec3::new(-4.0, 8.5, 0.0),
            0.3,
            STEEL_DARK,
        );
        b.cuboid(Vec3::new(-4.6, 8.5, 2.2), Vec3::new(1.2, 4.0, 1.0), AMBER);
        // Control panel with its run lamp.
        b.cuboid(Vec3::new(4.8, 4.0, 3.0), Vec3::new(1.6, 3.0, 0.5), FRAME);
        b.sphere(Vec3::new(4.8, 4.9, 3.3), 0.25, LED_GREEN);
    });
    s.rotor(Vec3::new(-9.2, 8.5, 0.0), Rotor::MillMotor, Vec3::X, |b| {
        fan_x(b, 1.5, 3, STEEL_DARK);
    });
}

fn mash_tun(s: &mut Builder) {
    s.still(|b| {
        legs(b, 3.2, 3.2, 3.0, 0.35);
        b.cylinder(Vec3::new(0.0, 3.0, 0.0), 5.0, 8.0, COPPER);
        lower_head(b, Vec3::new(0.0, 3.0, 0.0), 5.0, 1.2, COPPER);
        b.dome(Vec3::new(0.0, 11.0, 0.0), 5.0, 1.8, COPPER);
        b.cuboid(
            Vec3::new(0.0, 13.2, 0.0),
            Vec3::new(2.0, 1.2, 2.0),
            STEEL_DARK,
        );
        b.cylinder(Vec3::new(0.0, 13.8, 0.0), 0.8, 2.0, MOTOR);
        b.cylinder(Vec3::new(2.6, 12.0, 1.6), 0.9, 0.5, STEEL_DARK);
        // Grist from the mill and water in.
        b.tube(
            Vec3::new(-2.5, 12.4, 0.0),
            Vec3::new(-9.0, 15.0, 0.0),
            0.45,
            STEEL_DARK,
        );
        b.tube(
            Vec3::new(3.0, 12.0, -2.0),
            Vec3::new(3.0, 17.0, -2.0),
            0.3,
            COLD,
        );
        // Outlet valve under the tun.
        b.tube(
            Vec3::new(0.0, 1.8, 0.0),
            Vec3::new(0.0, 0.9, 0.0),
            0.3,
            STEEL_DARK,
        );
        b.cuboid(
            Vec3::new(0.0, 0.8, 0.0),
            Vec3::new(0.8, 0.6, 0.8),
            STEEL_DARK,
        );
        b.cuboid(
            Vec3::new(0.9, 0.9, 0.0),
            Vec3::new(1.2, 0.15, 0.2),
            VALVE_RED,
        );
    });
    s.rotor(Vec3::new(0.0, 15.9, 0.0), Rotor::Agitator, Vec3::Y, |b| {
        b.cylinder(Vec3::ZERO, 0.5, 0.3, STEEL_DARK);
        b.cuboid(
            Vec3::new(0.0, 0.15, 0.0),
            Vec3::new(3.0, 0.2, 0.4),
            STEEL_DARK,
        );
    });
    s.glass(|b| {
        b.cylinder(Vec3::new(0.0, 3.8, 5.35), 0.4, 6.4, GLASS);
    });
    s.moving(Vec3::new(0.0, 3.8, 5.35), Animation::MashSightGlass, |b| {
        b.cylinder(Vec3::ZERO, 0.26, 6.4, WORT);
    });
}

fn lauter_tun(s: &mut Builder) {
    s.still(|b| {
        for i in 0..8 {
            let angle = i as f32 / 8.0 * std::f32::consts::TAU;
            let foot = Vec3::new(5.4 * angle.cos(), 0.0, 5.4 * angle.sin());
            b.tube(foot, foot + Vec3::Y * 3.0, 0.3, FRAME);
        }
        b.cylinder(Vec3::new(0.0, 3.0, 0.0), 6.5, 5.5, COPPER);
        lower_head(b, Vec3::new(0.0, 3.0, 0.0), 6.5, 0.6, COPPER);
        b.dome(Vec3::new(0.0, 8.5, 0.0), 6.5, 1.2, COPPER);
        b.cuboid(
            Vec3::new(0.0, 10.0, 0.0),
            Vec3::new(1.8, 1.0, 1.8),
            STEEL_DARK,
        );
        b.cylinder(Vec3::new(0.0, 10.5, 0.0), 0.7, 1.8, MOTOR);
        // Sparge arm and its supply.
        b.tube(
            Vec3::new(-7.5, 11.0, 0.0),
            Vec3::new(-2.0, 11.0, 0.0),
            0.3,
            HOT,
        );
        b.tube(
            Vec3::new(-7.5, 11.0, 0.0),
            Vec3::new(-7.5, 4.0, 0.0),
            0.3,
            HOT,
        );
        // Grain-out door and chute.
        b.cuboid(
            Vec3::new(0.0, 4.8, 6.45),
            Vec3::new(2.6, 2.0, 0.3),
            STEEL_DARK,
        );
        b.cuboid(
            Vec3::new(0.0, 3.2, 7.3),
            Vec3::new(2.0, 0.3, 1.8),
            STEEL_DARK,
        );
        // Pump: base, volute and motor.
        b.cuboid(Vec3::new(3.5, 0.4, -8.2), Vec3::new(4.0, 0.8, 2.2), FRAME);
        b.cylinder(Vec3::new(1.9, 0.8, -8.2), 1.0, 1.6, STEEL_DARK);
        b.tube(
            Vec3::new(2.9, 1.6, -8.2),
            Vec3::new(5.1, 1.6, -8.2),
            0.8,
            MOTOR,
        );
        b.tube(
            Vec3::new(1.9, 1.6, -8.2),
            Vec3::new(1.9, 1.6, -6.3),
            0.3,
            WORT,
        );
        b.tube(
            Vec3::new(1.9, 1.6, -6.3),
            Vec3::new(1.9, 4.0, -6.3),
            0.3,
            WORT,
        );
        // Grant: the glass box where the run-off wort shows its clarity.
        b.cuboid(Vec3::new(4.5, 1.0, 7.6), Vec3::new(2.0, 2.0, 2.0), FRAME);
    });
    s.rotor(Vec3::new(0.0, 9.9, 0.0), Rotor::Rake, Vec3::Y, |b| {
        b.cuboid(Vec3::ZERO, Vec3::new(11.0, 0.3, 0.5), STEEL_DARK);
        b.cuboid(Vec3::ZERO, Vec3::new(0.5, 0.3, 6.0), STEEL_DARK);
    });
    s.rotor(Vec3::new(5.3, 1.6, -8.2), Rotor::LauterPump, Vec3::X, |b| {
        fan_x(b, 0.75, 3, STEEL_DARK);
    });
    s.moving(Vec3::new(4.5, 2.0, 7.6), Animation::Grant, |b| {
        b.cuboid(Vec3::new(0.0, 0.9, 0.0), Vec3::new(1.4, 1.5, 1.4), WORT);
    });
    if let Some(grant) = s.pieces.last_mut() {
        grant.translucent = true;
    }
    s.glass(|b| {
        b.cuboid(Vec3::new(4.5, 3.1, 7.6), Vec3::new(1.8, 2.2, 1.8), GLASS);
    });
}

fn boil_kettle(s: &mut Builder) {
    s.still(|b| {
        b.cylinder(Vec3::ZERO, 4.6, 1.5, BURNER);
        b.cylinder(Vec3::new(0.0, 1.7, 0.0), 5.5, 6.0, COPPER);
        lower_head(b, Vec3::new(0.0, 1.7, 0.0), 5.5, 0.3, COPPER);
        b.dome(Vec3::new(0.0, 7.7, 0.0), 5.5, 2.2, COPPER);
        b.cylinder(Vec3::new(0.0, 9.2, 0.0), 0.9, 8.2, STEEL_DARK);
        b.frustum(Vec3::new(0.0, 17.4, 0.0), 1.3, 0.9, 0.5, 12, STEEL_DARK);
        b.cylinder(Vec3::new(2.8, 8.8, 2.0), 0.9, 0.8, STEEL_DARK);
        // Hop doser hopper on the lid.
        b.frustum(Vec3::new(-3.0, 8.4, -1.5), 0.4, 1.2, 1.8, 8, STEEL_DARK);
        // Wort in from the lauter tun, out to the heat exchanger.
        b.tube(
            Vec3::new(-5.6, 5.0, 0.0),
            Vec3::new(-7.0, 5.0, 0.0),
            0.3,
            WORT,
        );
    });
    s.moving(Vec3::new(0.0, 1.5, 0.0), Animation::BurnerGlow, |b| {
        b.cylinder(Vec3::ZERO, 4.9, 0.25, BURNER);
    });
    for i in 0..STEAM_PUFFS {
        s.piece(
            Vec3::new(0.0, 18.0, 0.0),
            Animation::Steam(i),
            Role::Particle,
            true,
            |b| {
                b.sphere(Vec3::ZERO, 1.0, PUFF);
            },
        );
    }
}

fn heat_exchanger(s: &mut Builder) {
    s.still(|b| {
        b.cuboid(Vec3::new(0.0, -2.0, 0.0), Vec3::new(6.0, 1.0, 14.0), FRAME);
        for z in [-4.0, 4.0] {
            b.cuboid(Vec3::new(0.0, 2.4, z), Vec3::new(5.2, 8.8, 0.8), STEEL_DARK);
        }
        for (x, y) in [(-2.2, 6.4), (2.2, 6.4), (-2.2, -1.0), (2.2, -1.0)] {
            b.tube(
                Vec3::new(x, y, -6.5),
                Vec3::new(x, y, 6.5),
                0.22,
                STEEL_DARK,
            );
        }
        for k in 0..24 {
            let z = -2.9 + k as f32 * 0.25;
            b.cuboid(Vec3::new(0.0, 2.4, z), Vec3::new(4.0, 7.6, 0.16), STEEL);
        }
        for (x, y, paint) in [
            (-1.3, 5.0, WORT),
            (1.3, 5.0, COLD),
            (-1.3, 0.0, HOT),
            (1.3, 0.0, WORT),
        ] {
            b.tube(Vec3::new(x, y, 4.4), Vec3::new(x, y, 6.0), 0.4, paint);
            b.with(Mat4::from_rotation_x(FRAC_PI_2), |b| {
                b.cylinder(Vec3::new(x, 5.6, -y), 0.6, 0.2, STEEL_DARK);
            });
        }
    });
}

fn fermenter_a(s: &mut Builder) {
    s.still(|b| {
        legs(b, 3.6, 3.6, 7.2, 0.35);
        b.frustum(Vec3::new(0.0, 1.2, 0.0), 0.6, 5.0, 5.8, 12, STEEL);
        b.cylinder(Vec3::new(0.0, 7.0, 0.0), 5.0, 10.0, STEEL);
        b.dome(Vec3::new(0.0, 17.0, 0.0), 5.0, 1.8, STEEL);
        b.cylinder(Vec3::new(-2.0, 18.0, -1.5), 0.8, 0.6, STEEL_DARK);
        b.tube(
            Vec3::new(2.5, 18.0, 0.0),
            Vec3::new(2.5, 20.3, 0.0),
            0.25,
            STEEL_DARK,
        );
        b.sphere(Vec3::new(2.5, 20.3, 0.0), 0.4, VALVE_RED);
        b.tube(
            Vec3::new(0.0, 1.2, 0.0),
            Vec3::new(0.0, 0.4, 0.0),
            0.3,
            STEEL_DARK,
        );
        b.cuboid(
            Vec3::new(0.0, 0.4, 0.0),
            Vec3::new(0.8, 0.5, 0.8),
            STEEL_DARK,
        );
        b.tube(
            Vec3::new(3.8, 5.0, 2.0),
            Vec3::new(5.6, 5.0, 2.8),
            0.22,
            STEEL_DARK,
        );
    });
    jacket_bands(s, 0, &[9.0, 13.5]);
    bubbles(s, 0, Vec3::new(2.5, 20.8, 0.0));
}

fn fermenter_b(s: &mut Builder) {
    s.still(|b| {
        legs(b, 3.4, 3.4, 3.0, 0.35);
        lower_head(b, Vec3::new(0.0, 3.0, 0.0), 5.0, 1.0, STEEL);
        b.cylinder(Vec3::new(0.0, 3.0, 0.0), 5.0, 11.0, STEEL);
        b.dome(Vec3::new(0.0, 14.0, 0.0), 5.0, 1.8, STEEL);
        b.tube(
            Vec3::new(2.5, 15.0, 0.0),
            Vec3::new(2.5, 17.3, 0.0),
            0.25,
            STEEL_DARK,
        );
        b.sphere(Vec3::new(2.5, 17.3, 0.0), 0.4, VALVE_RED);
        b.cylinder(Vec3::new(-4.0, 6.0, 3.2), 0.45, 6.0, BEER);
        b.cylinder(Vec3::new(-2.0, 15.0, -1.5), 0.8, 0.6, STEEL_DARK);
    });
    jacket_bands(s, 1, &[6.5, 11.0]);
    bubbles(s, 1, Vec3::new(2.5, 17.8, 0.0));
}

fn jacket_bands(s: &mut Builder, tank: usize, heights: &[f32]) {
    s.moving(Vec3::ZERO, Animation::Jacket(tank), |b| {
        for y in heights {
            b.cylinder(
                Vec3::new(0.0, *y, 0.0),
                5.18,
                0.9,
                Paint::fixed([0.56, 0.60, 0.66]),
            );
        }
    });
}

fn bubbles(s: &mut Builder, tank: usize, source: Vec3) {
    for i in 0..BUBBLES {
        s.piece(
            source,
            Animation::Bubble(tank, i),
            Role::Particle,
            true,
            |b| {
                b.sphere(Vec3::ZERO, 1.0, PUFF);
            },
        );
    }
}

fn bottling_line(s: &mut Builder) {
    s.still(|b| {
        b.cuboid(
            Vec3::new(0.0, 3.0, 0.0),
            Vec3::new(40.0, 1.5, 3.5),
            FRAME_BODY,
        );
        b.cuboid(Vec3::new(0.0, 3.8, 0.0), Vec3::new(40.0, 0.12, 2.7), BLACK);
        for x in [-18.0, -9.0, 0.0, 9.0, 18.0] {
            for z in [-1.5, 1.5] {
                b.tube(Vec3::new(x, 0.0, z), Vec3::new(x, 2.3, z), 0.22, FRAME);
            }
        }
        for z in [-1.5, 1.5] {
            b.tube(
                Vec3::new(-20.0, 4.7, z),
                Vec3::new(20.0, 4.7, z),
                0.12,
                STEEL_DARK,
            );
        }
        // Filler: a bowl on a bridge over the belt, with its screen and four nozzles.
        for z in [-2.6, 2.6] {
            b.cuboid(Vec3::new(-8.0, 6.0, z), Vec3::new(3.0, 6.0, 0.7), STEEL);
        }
        b.cuboid(Vec3::new(-8.0, 9.4, 0.0), Vec3::new(4.0, 1.6, 6.0), STEEL);
        b.cylinder(Vec3::new(-8.0, 10.2, 0.0), 1.8, 1.3, STEEL);
        for k in 0..4 {
            let x = -9.2 + k as f32 * 0.8;
            b.tube(
                Vec3::new(x, 8.6, 0.0),
                Vec3::new(x, 6.2, 0.0),
                0.13,
                STEEL_DARK,
            );
        }
        b.cuboid(Vec3::new(-8.0, 7.6, 3.1), Vec3::new(2.2, 1.5, 0.25), BLACK);
        // Capper: a smaller bridge with two heads.
        for z in [-2.4, 2.4] {
            b.cuboid(Vec3::new(CAPPER_X, 5.8, z), Vec3::new(2.4, 5.6, 0.6), STEEL);
        }
        b.cuboid(
            Vec3::new(CAPPER_X, 9.0, 0.0),
            Vec3::new(3.2, 1.4, 5.4),
            STEEL,
        );
        for x in [CAPPER_X - 0.7, CAPPER_X + 0.7] {
            b.cylinder(Vec3::new(x, 6.6, 0.0), 0.45, 1.7, STEEL_DARK);
        }
        b.cylinder(Vec3::new(CAPPER_X, 9.7, 1.8), 0.25, 0.6, STEEL_DARK);
        b.cuboid(
            Vec3::new(CAPPER_X + 2.0, 4.8, 1.9),
            Vec3::new(0.6, 0.6, 0.4),
            BLACK,
        );
    });
    s.moving(Vec3::new(CAPPER_X, 10.3, 1.8), Animation::Siren, |b| {
        b.cylinder(Vec3::ZERO, 0.45, 0.7, Paint::fixed([0.55, 0.30, 0.28]));
        b.dome(
            Vec3::new(0.0, 0.7, 0.0),
            0.45,
            0.35,
            Paint::fixed([0.55, 0.30, 0.28]),
        );
    });
    for slot in 0..BOTTLES {
        s.moving(Vec3::new(0.0, 3.86, 0.0), Animation::Bottle(slot), |b| {
            b.cylinder(Vec3::ZERO, 0.45, 1.5, BOTTLE);
            b.cylinder(Vec3::new(0.0, 0.45, 0.0), 0.47, 0.55, LABEL);
            b.frustum(Vec3::new(0.0, 1.5, 0.0), 0.45, 0.18, 0.6, 8, BOTTLE);
        });
        s.moving(Vec3::new(0.0, 3.86, 0.0), Animation::Cap(slot), |b| {
            b.cylinder(Vec3::new(0.0, 2.1, 0.0), 0.22, 0.2, CAP);
        });
    }
}

fn cip_skid(s: &mut Builder) {
    let tanks = [
        (-4.5, [0.45, 0.60, 0.75]),
        (0.0, [0.78, 0.68, 0.40]),
        (4.5, [0.66, 0.48, 0.58]),
    ];
    s.still(|b| {
        b.cuboid(Vec3::new(0.0, 0.4, 0.0), Vec3::new(14.0, 0.8, 6.0), FRAME);
        for (x, band) in tanks {
            b.cylinder(Vec3::new(x, 0.8, -0.5), 2.0, 5.0, STEEL);
            b.dome(Vec3::new(x, 5.8, -0.5), 2.0, 0.7, STEEL);
            b.cylinder(Vec3::new(x, 4.6, -0.5), 2.06, 0.45, Paint::fixed(band));
            b.tube(Vec3::new(x, 6.4, -0.5), Vec3::new(x, 7.0, -0.5), 0.22, CIP);
        }
        b.tube(
            Vec3::new(-6.0, 7.0, -0.5),
            Vec3::new(6.0, 7.0, -0.5),
            0.3,
            CIP,
        );
        // Pump at the front of the skid.
        b.cuboid(Vec3::new(3.5, 1.1, 2.2), Vec3::new(4.0, 0.6, 1.4), FRAME);
        b.cylinder(Vec3::new(2.0, 1.4, 2.2), 0.8, 1.4, STEEL_DARK);
        b.tube(
            Vec3::new(2.8, 2.0, 2.2),
            Vec3::new(5.0, 2.0, 2.2),
            0.65,
            MOTOR,
        );
        // Sight glasses of the caustic and acid tanks.
        for x in [0.0, 4.5] {
            b.cylinder(Vec3::new(x, 1.2, 1.7), 0.32, 4.0, GLASS);
        }
    });
    for (tank, x) in [0.0_f32, 4.5].into_iter().enumerate() {
        s.moving(
            Vec3::new(x, 1.2, 1.75),
            Animation::CipSightGlass(tank),
            |b| {
                b.cylinder(Vec3::ZERO, 0.24, 4.0, Paint::fixed(tanks[tank + 1].1));
            },
        );
    }
    s.rotor(Vec3::new(5.2, 2.0, 2.2), Rotor::CipPump, Vec3::X, |b| {
        fan_x(b, 0.6, 3, STEEL_DARK);
    });
}

fn robot(s: &mut Builder) {
    s.moving(Vec3::ZERO, Animation::Robot, |b| {
        b.cuboid(
            Vec3::new(0.0, 0.7, 0.0),
            Vec3::new(5.0, 1.2, 3.4),
            FRAME_BODY,
        );
        b.cuboid(
            Vec3::new(0.0, 1.5, 0.0),
            Vec3::new(4.4, 0.4, 3.0),
            FRAME_BODY,
        );
        for x in [-1.7, 1.7] {
            for z in [-1.75, 1.75] {
                let side = if z > 0.0 { 0.3 } else { -0.3 };
                b.tube(
                    Vec3::new(x, 0.0, z),
                    Vec3::new(x, 0.0, z + side),
                    0.5,
                    BLACK,
                );
            }
        }
        b.cylinder(Vec3::new(2.0, 1.7, 0.0), 0.4, 0.6, BLACK);
        for z in [-1.72, 1.72] {
            b.cuboid(Vec3::new(-1.8, 1.0, z), Vec3::new(0.8, 0.25, 0.08), AMBER);
        }
        b.cuboid(Vec3::new(-0.4, 1.9, 0.0), Vec3::new(3.4, 0.3, 2.8), WOOD);
        for x in [-1.2, 0.4] {
            for z in [-0.65, 0.65] {
                b.cylinder(Vec3::new(x, 2.05, z), 0.6, 1.6, STEEL_DARK);
            }
        }
    });
}

fn smart_grid(s: &mut Builder) {
    let turbine = Vec3::new(-15.0, 0.0, -8.0);
    s.still(|b| {
        b.frustum(turbine, 0.9, 0.45, 25.0, 10, STEEL);
        b.cuboid(
            turbine + Vec3::new(0.0, 25.2, -0.2),
            Vec3::new(1.5, 1.5, 3.8),
            STEEL,
        );
        // Solar field: two rows of three tilted panels on posts.
        for row in 0..2 {
            for col in 0..3 {
                let at = Vec3::new(-6.0 + col as f32 * 6.0, 0.0, 5.0 + row as f32 * 6.0);
                b.tube(at, at + Vec3::Y * 2.0, 0.15, FRAME);
                b.with(
                    Mat4::from_translation(at + Vec3::Y * 2.2) * Mat4::from_rotation_x(-0.45),
                    |b| {
                        b.cuboid(Vec3::ZERO, Vec3::new(5.4, 0.2, 4.0), SOLAR);
                    },
                );
            }
        }
        // Battery container with its vent and status strip.
        b.cuboid(Vec3::new(10.0, 1.7, -8.0), Vec3::new(10.0, 3.4, 3.8), STEEL);
        b.cuboid(
            Vec3::new(10.0, 3.7, -8.0),
            Vec3::new(2.4, 0.6, 1.6),
            STEEL_DARK,
        );
        b.cuboid(
            Vec3::new(10.0, 2.9, -6.05),
            Vec3::new(7.0, 0.18, 0.1),
            LED_GREEN,
        );
        // Substation: plinth, transformer and three insulators.
        b.cuboid(
            Vec3::new(-2.0, 0.5, -16.0),
            Vec3::new(7.0, 1.0, 4.5),
            CONCRETE,
        );
        b.cuboid(Vec3::new(-2.0, 2.3, -16.0), Vec3::new(3.6, 2.6, 2.6), STEEL);
        for x in [-3.1, -2.0, -0.9] {
            b.frustum(Vec3::new(x, 3.6, -16.0), 0.3, 0.16, 1.4, 8, CONCRETE);
            b.sphere(Vec3::new(x, 5.1, -16.0), 0.2, STEEL_DARK);
        }
    });
    s.rotor(
        turbine + Vec3::new(0.0, 25.2, 1.9),
        Rotor::Turbine,
        Vec3::Z,
        |b| {
            b.sphere(Vec3::ZERO, 0.7, STEEL);
            for k in 0..3 {
                let angle = k as f32 / 3.0 * std::f32::consts::TAU;
                b.with(Mat4::from_rotation_z(angle), |b| {
                    b.cuboid(Vec3::new(0.0, 5.0, 0.0), Vec3::new(1.0, 9.0, 0.18), STEEL);
                });
            }
        },
    );
}

/// Equipment builders, by FBE index.
const EQUIPMENT: [fn(&mut Builder); 11] = [
    mill,
    mash_tun,
    lauter_tun,
    boil_kettle,
    heat_exchanger,
    fermenter_a,
    fermenter_b,
    bottling_line,
    cip_skid,
    robot,
    smart_grid,
];

/// A pipe along `points`, with a joint at each bend, a flange at each end and a valve with a
/// hand wheel at the middle of each segment in `valves`.
fn pipe(b: &mut MeshBuilder, points: &[Vec3], paint: Paint, valves: &[usize]) {
    for (i, pair) in points.windows(2).enumerate() {
        let (from, to) = (pair[0], pair[1]);
        b.tube(from, to, 0.28, paint);
        if valves.contains(&i) {
            let middle = (from + to) * 0.5;
            b.cuboid(middle, Vec3::splat(0.8), STEEL_DARK);
            b.tube(middle, middle + Vec3::Y * 0.9, 0.08, STEEL_DARK);
            b.cylinder(middle + Vec3::Y * 0.9, 0.45, 0.1, VALVE_RED);
        }
        // A support down to the floor under horizontal runs.
        if (from.y - to.y).abs() < 1e-3 && from.y > 1.0 {
            let middle = (from + to) * 0.5;
            b.tube(middle, Vec3::new(middle.x, 0.0, middle.z), 0.12, FRAME);
        }
    }
    for joint in &points[1..points.len() - 1] {
        b.sphere(*joint, 0.38, paint);
    }
    for end in [points[0], points[points.len() - 1]] {
        b.sphere(end, 0.45, STEEL_DARK);
    }
}

fn pipes(s: &mut Builder) {
    let v = Vec3::new;
    s.piece(
        Vec3::ZERO,
        Animation::Still,
        Role::Surroundings,
        false,
        |b| {
            pipe(
                b,
                &[
                    v(15.0, 17.0, -20.0),
                    v(15.0, 19.5, -20.0),
                    v(23.7, 19.5, -20.0),
                    v(23.7, 19.5, -15.5),
                    v(23.7, 7.5, -15.5),
                    v(23.7, 7.5, -14.5),
                ],
                HOT,
                &[2, 4],
            );
            pipe(
                b,
                &[
                    v(26.3, 7.5, -4.0),
                    v(26.3, 21.0, -4.0),
                    v(26.3, 21.0, 10.0),
                    v(15.0, 21.0, 10.0),
                    v(0.0, 21.0, 10.0),
                    v(0.0, 15.8, 10.0),
                ],
                COLD,
                &[1, 4],
            );
            pipe(b, &[v(15.0, 21.0, 10.0), v(15.0, 18.8, 10.0)], COLD, &[]);
            pipe(
                b,
                &[
                    v(-24.0, 7.0, 9.5),
                    v(-24.0, 23.0, 9.5),
                    v(-2.0, 23.0, 9.5),
                    v(-2.0, 15.4, 9.5),
                ],
                CIP,
                &[1, 2],
            );
        },
    );
}

fn floor(s: &mut Builder, area: Aabb) {
    s.piece(
        Vec3::ZERO,
        Animation::Still,
        Role::Surroundings,
        false,
        |b| {
            let centre = area.centre();
            let size = area.size();
            b.cuboid(
                Vec3::new(centre.x, -0.1, centre.z),
                Vec3::new(size.x, 0.2, size.z),
                FLOOR,
            );
            let step = 10.0;
            let mut x = (area.min.x / step).ceil() * step;
            while x <= area.max.x {
                b.cuboid(
                    Vec3::new(x, 0.01, centre.z),
                    Vec3::new(0.12, 0.02, size.z),
                    FLOOR_LINE,
                );
                x += step;
            }
            let mut z = (area.min.z / step).ceil() * step;
            while z <= area.max.z {
                b.cuboid(
                    Vec3::new(centre.x, 0.01, z),
                    Vec3::new(size.x, 0.02, 0.12),
                    FLOOR_LINE,
                );
                z += step;
            }
        },
    );
}

impl PlantScene {
    /// Builds the plant, or one FBE of it on its own floor.
    pub fn build(shown: Shown) -> PlantScene {
        let mut builder = Builder {
            pieces: Vec::new(),
            fbe: None,
            origin: Vec3::ZERO,
        };
        for (fbe, build) in EQUIPMENT.iter().enumerate() {
            if shown == Shown::Plant || shown == Shown::Only(fbe) {
                builder.equipment(fbe, build);
            }
        }
        let mut bounds = vec![None; EQUIPMENT.len()];
        for piece in builder.pieces.iter().filter(|p| p.role == Role::Equipment) {
            let (Some(fbe), Some(mesh_bounds)) = (piece.fbe, piece.mesh.bounds) else {
                continue;
            };
            let placed = transformed(mesh_bounds, piece.world(Mat4::IDENTITY));
            bounds[fbe] = Some(bounds[fbe].map_or(placed, |b: Aabb| b.union(placed)));
        }
        for (fbe, fbe_bounds) in bounds.iter().enumerate() {
            if let Some(b) = fbe_bounds {
                let centre = b.centre();
                let radius = (b.size().x.max(b.size().z) * 0.5 + 1.0).min(24.0);
                builder.fbe = Some(fbe);
                builder.piece(
                    Vec3::new(centre.x, 0.03, centre.z),
                    Animation::Still,
                    Role::Marker,
                    false,
                    |m| m.frustum(Vec3::ZERO, radius, radius, 0.06, 24, MARKER),
                );
            }
        }
        builder.fbe = None;
        let area = match shown {
            Shown::Plant => Aabb {
                min: Vec3::new(-48.0, 0.0, -66.0),
                max: Vec3::new(80.0, 0.0, 38.0),
            },
            Shown::Only(fbe) => {
                let b = bounds[fbe].unwrap_or(Aabb::EMPTY);
                let margin = Vec3::new(8.0, 0.0, 8.0);
                Aabb {
                    min: b.min - margin,
                    max: b.max + margin,
                }
            }
        };
        if shown == Shown::Plant {
            pipes(&mut builder);
        }
        floor(&mut builder, area);
        PlantScene {
            pieces: builder.pieces,
            bounds,
        }
    }

    /// The FBE whose equipment `ray` meets first, given each piece's current transform.
    pub fn pick(&self, ray: &Ray, transforms: &[Mat4]) -> Option<usize> {
        let boxes: Vec<(usize, Aabb)> = self.hit_boxes(transforms).collect();
        pick(ray, &boxes)
    }

    /// The boxes that picking tests: every primitive of every piece of equipment, where its
    /// piece stands now.
    pub fn hit_boxes<'a>(
        &'a self,
        transforms: &'a [Mat4],
    ) -> impl Iterator<Item = (usize, Aabb)> + 'a {
        self.pieces
            .iter()
            .zip(transforms)
            .filter(|(p, _)| p.role == Role::Equipment)
            .flat_map(|(piece, world)| {
                let fbe = piece.fbe.unwrap_or(0);
                piece
                    .mesh
                    .parts
                    .iter()
                    .map(move |part| (fbe, transformed(*part, *world)))
            })
    }

    /// Points on the surface of FBE `fbe` worth pointing at, largest part first.
    pub fn anchor_candidates(&self, fbe: usize, transforms: &[Mat4]) -> Vec<Vec3> {
        let mut parts: Vec<Aabb> = self
            .hit_boxes(transforms)
            .filter(|(f, _)| *f == fbe)
            .map(|(_, b)| b)
            .collect();
        parts.sort_by(|a, b| b.volume().total_cmp(&a.volume()));
        parts.iter().take(6).map(Aabb::centre).collect()
    }
}

/// The box holding `aabb` after `transform`.
pub fn transformed(aabb: Aabb, transform: Mat4) -> Aabb {
    let mut out = Aabb::EMPTY;
    for x in [aabb.min.x, aabb.max.x] {
        for y in [aabb.min.y, aabb.max.y] {
            for z in [aabb.min.z, aabb.max.z] {
                out.include(transform.transform_point3(Vec3::new(x, y, z)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rest(scene: &PlantScene) -> Vec<Mat4> {
        scene
            .pieces
            .iter()
            .map(|p| p.world(Mat4::IDENTITY))
            .collect()
    }

    #[test]
    fn every_fbe_stands_at_its_place_with_pickable_equipment() {
        let scene = PlantScene::build(Shown::Plant);
        for (fbe, position) in POSITIONS.iter().enumerate() {
            let bounds = scene.bounds[fbe].expect("every FBE is built");
            let (low, high) = (
                bounds.min - Vec3::splat(0.01),
                bounds.max + Vec3::splat(0.01),
            );
            let inside = position.cmpge(low).all() && position.cmple(high).all();
            assert!(
                inside || fbe == 9 || fbe == 10,
                "FBE {fbe}: {position} outside {bounds:?}"
            );
            assert!(scene.hit_boxes(&rest(&scene)).any(|(f, _)| f == fbe));
        }
    }

    #[test]
    fn the_reference_layout_keeps_the_equipment_apart() {
        let scene = PlantScene::build(Shown::Plant);
        let footprint = |fbe: usize| scene.bounds[fbe].unwrap();
        for a in 0..11 {
            for b in (a + 1)..11 {
                let (x, y) = (footprint(a), footprint(b));
                let overlap = x.min.x < y.max.x - 0.5
                    && y.min.x < x.max.x - 0.5
                    && x.min.z < y.max.z - 0.5
                    && y.min.z < x.max.z - 0.5;
                assert!(!overlap, "FBE {a} and FBE {b} overlap: {x:?} {y:?}");
            }
        }
    }

    #[test]
    fn a_ray_from_above_picks_the_equipment_under_it() {
        let scene = PlantScene::build(Shown::Plant);
        let transforms = rest(&scene);
        for (fbe, position) in POSITIONS.iter().enumerate().take(9) {
            let ray = Ray {
                origin: Vec3::new(position.x, 100.0, position.z),
                direction: Vec3::NEG_Y,
            };
            assert_eq!(scene.pick(&ray, &transforms), Some(fbe), "FBE {fbe}");
        }
        let empty_floor = Ray {
            origin: Vec3::new(40.0, 100.0, 35.0),
            direction: Vec3::NEG_Y,
        };
        assert_eq!(scene.pick(&empty_floor, &transforms), None);
    }

    #[test]
    fn one_fbe_alone_has_only_its_own_pieces_and_no_pipes() {
        let scene = PlantScene::build(Shown::Only(4));
        assert!(scene.bounds[4].is_some());
        assert_eq!(scene.bounds.iter().flatten().count(), 1);
        assert!(scene
            .pieces
            .iter()
            .all(|p| p.fbe == Some(4) || (p.fbe.is_none() && p.role == Role::Surroundings)));
        assert_eq!(
            scene
                .pieces
                .iter()
                .filter(|p| p.role == Role::Surroundings)
                .count(),
            1,
            "the floor only"
        );
    }

    #[test]
    fn the_scene_is_low_poly() {
        let scene = PlantScene::build(Shown::Plant);
        let vertices: usize = scene.pieces.iter().map(|p| p.mesh.vertex_count()).sum();
        assert!(vertices < 120_000, "{vertices} vertices");
        let moving = scene
            .pieces
            .iter()
            .filter(|p| matches!(p.animation, Animation::Turns { .. }))
            .count();
        assert_eq!(
            moving, 6,
            "mill fan, agitator, rake, lauter pump, CIP pump, turbine"
        );
    }

    #[test]
    fn anchors_lie_inside_their_fbe() {
        let scene = PlantScene::build(Shown::Plant);
        let transforms = rest(&scene);
        for fbe in 0..11 {
            let anchors = scene.anchor_candidates(fbe, &transforms);
            assert!(!anchors.is_empty());
            let b = scene.bounds[fbe].unwrap();
            assert!(b.min.cmple(anchors[0]).all() && anchors[0].cmple(b.max).all());
        }
    }
}
