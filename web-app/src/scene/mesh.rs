//! Low-poly meshes built from a few primitives (boxes, frustums, domes, spheres, tubes), flat
//! shaded: every triangle carries its own face normal, so the GPU needs no index buffer and no
//! smoothing.
//!
//! A vertex is [`FLOATS_PER_VERTEX`] floats: position, normal, colour, and how much the
//! equipment's status colour tints it (1 for the body of a vessel, 0 for pipes, lamps and
//! labels that keep their own colour).

use glam::{Mat4, Vec3};

/// Floats per vertex: position (3), normal (3), colour (3), status tint (1).
pub const FLOATS_PER_VERTEX: usize = 10;

/// An axis-aligned box, in world units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aabb {
    /// Smallest corner.
    pub min: Vec3,
    /// Largest corner.
    pub max: Vec3,
}

impl Aabb {
    /// The empty box: including a point makes it that point.
    pub const EMPTY: Aabb = Aabb {
        min: Vec3::splat(f32::INFINITY),
        max: Vec3::splat(f32::NEG_INFINITY),
    };

    /// Whether no point was included.
    pub fn is_empty(&self) -> bool {
        self.min.x > self.max.x
    }

    /// Grows the box to hold `point`.
    pub fn include(&mut self, point: Vec3) {
        self.min = self.min.min(point);
        self.max = self.max.max(point);
    }

    /// The smallest box holding both.
    pub fn union(self, other: Aabb) -> Aabb {
        Aabb {
            min: self.min.min(other.min),
            max: self.max.max(other.max),
        }
    }

    /// Centre point.
    pub fn centre(&self) -> Vec3 {
        (self.min + self.max) * 0.5
    }

    /// Edge lengths.
    pub fn size(&self) -> Vec3 {
        self.max - self.min
    }

    /// Volume; 0 for an empty box.
    pub fn volume(&self) -> f32 {
        if self.is_empty() {
            0.0
        } else {
            let s = self.size();
            s.x * s.y * s.z
        }
    }
}

/// Colour of a surface and how much the status colour tints it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paint {
    /// Linear RGB, 0–1.
    pub rgb: [f32; 3],
    /// 1: tinted by the status colour; 0: keeps its colour.
    pub tint: f32,
}

impl Paint {
    /// A surface of the equipment's body, tinted by its status.
    pub const fn body(rgb: [f32; 3]) -> Paint {
        Paint { rgb, tint: 1.0 }
    }

    /// A surface that keeps its colour whatever the status.
    pub const fn fixed(rgb: [f32; 3]) -> Paint {
        Paint { rgb, tint: 0.0 }
    }
}

/// Triangles ready for a vertex buffer, with their bounds and the bounds of each primitive.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mesh {
    /// Interleaved vertices, [`FLOATS_PER_VERTEX`] floats each.
    pub vertices: Vec<f32>,
    /// Bounds of all vertices.
    pub bounds: Option<Aabb>,
    /// Bounds of each primitive, for picking.
    pub parts: Vec<Aabb>,
}

impl Mesh {
    /// Number of vertices (three per triangle).
    pub fn vertex_count(&self) -> usize {
        self.vertices.len() / FLOATS_PER_VERTEX
    }
}

/// Builds a [`Mesh`] from primitives placed by the current transform.
#[derive(Clone, Debug)]
pub struct MeshBuilder {
    mesh: Mesh,
    transform: Mat4,
    part: Aabb,
}

impl Default for MeshBuilder {
    fn default() -> MeshBuilder {
        MeshBuilder::new()
    }
}

/// Sides of a round primitive when the caller does not choose.
pub const ROUND_SIDES: u32 = 12;

impl MeshBuilder {
    /// An empty builder with the identity transform.
    pub fn new() -> MeshBuilder {
        MeshBuilder {
            mesh: Mesh::default(),
            transform: Mat4::IDENTITY,
            part: Aabb::EMPTY,
        }
    }

    /// An empty builder that places everything by `transform`.
    pub fn placed(transform: Mat4) -> MeshBuilder {
        MeshBuilder {
            transform,
            ..MeshBuilder::new()
        }
    }

    /// Runs `build` with `transform` applied after the current one.
    pub fn with(&mut self, transform: Mat4, build: impl FnOnce(&mut MeshBuilder)) {
        let saved = self.transform;
        self.transform = saved * transform;
        build(self);
        self.transform = saved;
    }

    /// The finished mesh.
    pub fn finish(self) -> Mesh {
        self.mesh
    }

    /// One triangle; its normal is turned away from `inside`, a point inside the convex
    /// primitive it belongs to, so that the order of the corners does not matter.
    fn triangle(&mut self, corners: [Vec3; 3], inside: Vec3, paint: Paint) {
        let [a, b, c] = corners.map(|p| self.transform.transform_point3(p));
        let inside = self.transform.transform_point3(inside);
        let mut normal = (b - a).cross(c - a);
        if normal.length_squared() < 1e-12 {
            return;
        }
        normal = normal.normalize();
        if normal.dot((a + b + c) / 3.0 - inside) < 0.0 {
            normal = -normal;
        }
        for p in [a, b, c] {
            self.part.include(p);
            self.mesh.vertices.extend_from_slice(&[
                p.x,
                p.y,
                p.z,
                normal.x,
                normal.y,
                normal.z,
                paint.rgb[0],
                paint.rgb[1],
                paint.rgb[2],
                paint.tint,
            ]);
        }
    }

    fn quad(&mut self, corners: [Vec3; 4], inside: Vec3, paint: Paint) {
        let [a, b, c, d] = corners;
        self.triangle([a, b, c], inside, paint);
        self.triangle([a, c, d], inside, paint);
    }

    /// Closes the current primitive: its bounds join the mesh's parts.
    fn end_part(&mut self) {
        let part = std::mem::replace(&mut self.part, Aabb::EMPTY);
        if part.is_empty() {
            return;
        }
        self.mesh.bounds = Some(match self.mesh.bounds {
            Some(bounds) => bounds.union(part),
            None => part,
        });
        self.mesh.parts.push(part);
    }

    /// A box of edge lengths `size` centred on `centre`.
    pub fn cuboid(&mut self, centre: Vec3, size: Vec3, paint: Paint) {
        let h = size * 0.5;
        let corner = |sx: f32, sy: f32, sz: f32| centre + Vec3::new(sx * h.x, sy * h.y, sz * h.z);
        let faces = [
            [(-1., -1., 1.), (1., -1., 1.), (1., 1., 1.), (-1., 1., 1.)],
            [
                (-1., -1., -1.),
                (-1., 1., -1.),
                (1., 1., -1.),
                (1., -1., -1.),
            ],
            [(1., -1., -1.), (1., 1., -1.), (1., 1., 1.), (1., -1., 1.)],
            [
                (-1., -1., -1.),
                (-1., -1., 1.),
                (-1., 1., 1.),
                (-1., 1., -1.),
            ],
            [(-1., 1., -1.), (-1., 1., 1.), (1., 1., 1.), (1., 1., -1.)],
            [
                (-1., -1., -1.),
                (1., -1., -1.),
                (1., -1., 1.),
                (-1., -1., 1.),
            ],
        ];
        for face in faces {
            let quad = face.map(|(x, y, z)| corner(x, y, z));
            self.quad(quad, centre, paint);
        }
        self.end_part();
    }

    /// An upright frustum (a cylinder when both radii are equal, a cone when `top` is 0) of
    /// `height` standing on `base`, with `sides` faces around and both ends closed.
    pub fn frustum(
        &mut self,
        base: Vec3,
        bottom: f32,
        top: f32,
        height: f32,
        sides: u32,
        paint: Paint,
    ) {
        let sides = sides.max(3);
        let inside = base + Vec3::Y * (height * 0.5);
        let ring = |radius: f32, y: f32, i: u32| {
            let angle = i as f32 / sides as f32 * std::f32::consts::TAU;
            base + Vec3::new(radius * angle.cos(), y, radius * angle.sin())
        };
        for i in 0..sides {
            let (b0, b1) = (ring(bottom, 0.0, i), ring(bottom, 0.0, i + 1));
            let (t0, t1) = (ring(top, height, i), ring(top, height, i + 1));
            if top > 0.0 {
                self.quad([b0, b1, t1, t0], inside, paint);
                self.triangle([base + Vec3::Y * height, t0, t1], inside, paint);
            } else {
                self.triangle([b0, b1, t0], inside, paint);
            }
            if bottom > 0.0 {
                self.triangle([base, b1, b0], inside, paint);
            }
        }
        self.end_part();
    }

    /// An upright cylinder.
    pub fn cylinder(&mut self, base: Vec3, radius: f32, height: f32, paint: Paint) {
        self.frustum(base, radius, radius, height, ROUND_SIDES, paint);
    }

    /// The upper half of an ellipsoid of `radius` and `height` on `base`: a vessel's head.
    pub fn dome(&mut self, base: Vec3, radius: f32, height: f32, paint: Paint) {
        self.ellipsoid(base, Vec3::new(radius, height, radius), 0.0, paint);
    }

    /// A sphere.
    pub fn sphere(&mut self, centre: Vec3, radius: f32, paint: Paint) {
        self.ellipsoid(centre, Vec3::splat(radius), -1.0, paint);
    }

    /// An ellipsoid with semi-axes `radii`, from the height `from` (−1 bottom, 0 equator) up.
    fn ellipsoid(&mut self, centre: Vec3, radii: Vec3, from: f32, paint: Paint) {
        const RINGS: u32 = 4;
        let sides = ROUND_SIDES;
        let start = from.asin();
        let point = |ring: u32, i: u32| {
            let lat = start + (std::f32::consts::FRAC_PI_2 - start) * ring as f32 / RINGS as f32;
            let lon = i as f32 / sides as f32 * std::f32::consts::TAU;
            centre
                + Vec3::new(
                    radii.x * lat.cos() * lon.cos(),
                    radii.y * lat.sin(),
                    radii.z * lat.cos() * lon.sin(),
                )
        };
        let inside = centre + Vec3::Y * (radii.y * (from + 1.0) * 0.25);
        for ring in 0..RINGS {
            for i in 0..sides {
                let (a, b) = (point(ring, i), point(ring, i + 1));
                let (c, d) = (point(ring + 1, i + 1), point(ring + 1, i));
                if ring + 1 == RINGS {
                    self.triangle([a, b, c], inside, paint);
                } else {
                    self.quad([a, b, c, d], inside, paint);
                }
            }
        }
        if from > -1.0 {
            for i in 0..sides {
                let bottom = centre + Vec3::Y * (radii.y * from);
                self.triangle([bottom, point(0, i + 1), point(0, i)], inside, paint);
            }
        }
        self.end_part();
    }

    /// A round tube of `radius` from `from` to `to` with eight faces around: pipes, shafts,
    /// legs and tie bars.
    pub fn tube(&mut self, from: Vec3, to: Vec3, radius: f32, paint: Paint) {
        let along = to - from;
        let length = along.length();
        if length < 1e-6 {
            return;
        }
        let rotation = glam::Quat::from_rotation_arc(Vec3::Y, along / length);
        let place = Mat4::from_rotation_translation(rotation, from);
        self.with(place, |b| {
            b.frustum(Vec3::ZERO, radius, radius, length, 8, paint);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normals(mesh: &Mesh) -> Vec<Vec3> {
        mesh.vertices
            .chunks(FLOATS_PER_VERTEX)
            .map(|v| Vec3::new(v[3], v[4], v[5]))
            .collect()
    }

    #[test]
    fn a_cuboid_has_twelve_triangles_with_outward_normals() {
        let mut builder = MeshBuilder::new();
        builder.cuboid(
            Vec3::new(1.0, 2.0, 3.0),
            Vec3::new(2.0, 4.0, 6.0),
            Paint::body([0.5; 3]),
        );
        let mesh = builder.finish();
        assert_eq!(mesh.vertex_count(), 36);
        let bounds = mesh.bounds.unwrap();
        assert_eq!(bounds.min, Vec3::new(0.0, 0.0, 0.0));
        assert_eq!(bounds.max, Vec3::new(2.0, 4.0, 6.0));
        for (i, vertex) in mesh.vertices.chunks(FLOATS_PER_VERTEX).enumerate() {
            let position = Vec3::new(vertex[0], vertex[1], vertex[2]);
            let outward = position - Vec3::new(1.0, 2.0, 3.0);
            assert!(
                normals(&mesh)[i].dot(outward) > 0.0,
                "vertex {i} faces inward"
            );
            assert_eq!(vertex[9], 1.0, "body paint is tinted");
        }
    }

    #[test]
    fn a_cone_has_side_and_base_triangles_only() {
        let mut builder = MeshBuilder::new();
        builder.frustum(Vec3::ZERO, 1.0, 0.0, 2.0, 6, Paint::fixed([1.0, 0.0, 0.0]));
        let mesh = builder.finish();
        assert_eq!(mesh.vertex_count(), 6 * 2 * 3);
        let bounds = mesh.bounds.unwrap();
        assert!((bounds.max.y - 2.0).abs() < 1e-6);
        assert!(normals(&mesh)
            .iter()
            .all(|n| (n.length() - 1.0).abs() < 1e-5));
    }

    #[test]
    fn a_tube_runs_between_its_end_points() {
        let mut builder = MeshBuilder::new();
        builder.tube(
            Vec3::new(0.0, 1.0, 0.0),
            Vec3::new(10.0, 1.0, 0.0),
            0.25,
            Paint::fixed([0.0; 3]),
        );
        let bounds = builder.finish().bounds.unwrap();
        assert!((bounds.min.x - 0.0).abs() < 1e-4 && (bounds.max.x - 10.0).abs() < 1e-4);
        assert!((bounds.max.y - 1.25).abs() < 1e-3, "{bounds:?}");
        assert!((bounds.max.z - 0.25).abs() < 1e-3);
    }

    #[test]
    fn transforms_nest_and_each_primitive_has_its_own_bounds() {
        let mut builder = MeshBuilder::new();
        builder.with(Mat4::from_translation(Vec3::X * 5.0), |b| {
            b.with(Mat4::from_scale(Vec3::splat(2.0)), |b| {
                b.sphere(Vec3::ZERO, 1.0, Paint::body([1.0; 3]));
            });
            b.dome(Vec3::Y * 4.0, 1.0, 0.5, Paint::body([1.0; 3]));
        });
        let mesh = builder.finish();
        assert_eq!(mesh.parts.len(), 2);
        let sphere = mesh.parts[0];
        assert!((sphere.centre() - Vec3::X * 5.0).length() < 1e-4);
        assert!((sphere.size().y - 4.0).abs() < 1e-4);
        let dome = mesh.parts[1];
        assert!((dome.min.y - 4.0).abs() < 1e-4 && (dome.max.y - 4.5).abs() < 1e-4);
    }

    #[test]
    fn an_empty_box_grows_from_its_first_point() {
        let mut aabb = Aabb::EMPTY;
        assert!(aabb.is_empty());
        assert_eq!(aabb.volume(), 0.0);
        aabb.include(Vec3::ONE);
        aabb.include(Vec3::new(3.0, 2.0, 5.0));
        assert_eq!(aabb.volume(), 2.0 * 1.0 * 4.0);
    }
}
