//! The orbit camera, the projection between the plant and the canvas, and picking by casting a
//! ray from the pointer through the scene's boxes.

use glam::{Mat4, Vec2, Vec3};

use super::mesh::Aabb;

/// Vertical field of view.
pub const FIELD_OF_VIEW_RAD: f32 = 45.0 * std::f32::consts::PI / 180.0;
/// Lowest the camera may look from: just above the floor.
pub const MIN_PITCH_RAD: f32 = 0.08;
/// Highest: almost straight down.
pub const MAX_PITCH_RAD: f32 = 1.45;
/// Radians of orbit per pixel of drag.
pub const ORBIT_RAD_PER_PX: f32 = 0.008;
/// Radians of orbit per arrow-key press.
pub const ORBIT_RAD_PER_KEY: f32 = 0.12;
/// Zoom factor per wheel notch or +/− key press.
pub const ZOOM_STEP: f32 = 1.15;

/// A camera circling a target point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrbitCamera {
    /// The point looked at.
    pub target: Vec3,
    /// Angle around the vertical axis; 0 looks from +z towards −z.
    pub yaw: f32,
    /// Angle above the floor.
    pub pitch: f32,
    /// Distance from the target.
    pub distance: f32,
    /// Closest allowed distance.
    pub min_distance: f32,
    /// Farthest allowed distance.
    pub max_distance: f32,
}

impl OrbitCamera {
    /// The whole plant seen from the south-east, above the floor.
    pub fn plant() -> OrbitCamera {
        OrbitCamera {
            target: Vec3::new(9.0, 3.0, -9.0),
            yaw: 0.5,
            pitch: 0.6,
            distance: 92.0,
            min_distance: 20.0,
            max_distance: 260.0,
        }
    }

    /// A camera framing `bounds` whole at the same angle as the plant view.
    pub fn framing(bounds: Aabb) -> OrbitCamera {
        let radius = (bounds.size().length() * 0.5).max(1.0);
        // A margin around the sphere holding the box leaves room for steam and bubbles above.
        let distance = radius / (FIELD_OF_VIEW_RAD * 0.5).sin() * 1.3;
        OrbitCamera {
            target: bounds.centre(),
            yaw: 0.6,
            pitch: 0.45,
            distance,
            min_distance: radius * 1.2,
            max_distance: distance * 3.0,
        }
    }

    /// Where the camera is.
    pub fn eye(&self) -> Vec3 {
        let flat = self.pitch.cos() * self.distance;
        self.target
            + Vec3::new(
                flat * self.yaw.sin(),
                self.pitch.sin() * self.distance,
                flat * self.yaw.cos(),
            )
    }

    /// Turns the camera by `yaw` and `pitch` radians; the pitch stays above the floor.
    pub fn orbit(&mut self, yaw: f32, pitch: f32) {
        self.yaw = (self.yaw + yaw).rem_euclid(std::f32::consts::TAU);
        self.pitch = (self.pitch + pitch).clamp(MIN_PITCH_RAD, MAX_PITCH_RAD);
    }

    /// Moves closer (`steps` > 0) or farther, within the allowed distances.
    pub fn zoom(&mut self, steps: f32) {
        self.distance =
            (self.distance / ZOOM_STEP.powf(steps)).clamp(self.min_distance, self.max_distance);
    }

    /// World to clip space for a canvas of `aspect` (width over height).
    pub fn view_projection(&self, aspect: f32) -> Mat4 {
        let near = (self.distance * 0.05).max(0.5);
        let far = self.distance * 4.0 + 200.0;
        let projection = glam::camera::rh::proj::opengl::perspective(
            FIELD_OF_VIEW_RAD,
            aspect.max(0.1),
            near,
            far,
        );
        projection * glam::camera::rh::view::look_at_mat4(self.eye(), self.target, Vec3::Y)
    }
}

/// A canvas of a given size in CSS pixels, seen through a camera.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Width in CSS pixels.
    pub width: f32,
    /// Height in CSS pixels.
    pub height: f32,
}

impl Viewport {
    /// Width over height.
    pub fn aspect(&self) -> f32 {
        self.width / self.height.max(1.0)
    }

    /// Where `point` appears on the canvas, in CSS pixels from its top-left corner, or `None`
    /// when it is behind the camera.
    pub fn to_screen(&self, view_projection: Mat4, point: Vec3) -> Option<Vec2> {
        let clip = view_projection * point.extend(1.0);
        if clip.w <= 1e-6 {
            return None;
        }
        let ndc = clip.truncate() / clip.w;
        Some(Vec2::new(
            (ndc.x + 1.0) * 0.5 * self.width,
            (1.0 - ndc.y) * 0.5 * self.height,
        ))
    }

    /// The ray from the eye through the canvas pixel `at`.
    pub fn ray(&self, view_projection: Mat4, at: Vec2) -> Ray {
        let inverse = view_projection.inverse();
        let ndc = Vec2::new(
            at.x / self.width.max(1.0) * 2.0 - 1.0,
            1.0 - at.y / self.height.max(1.0) * 2.0,
        );
        let near = inverse.project_point3(ndc.extend(-1.0));
        let far = inverse.project_point3(ndc.extend(1.0));
        Ray {
            origin: near,
            direction: (far - near).normalize_or_zero(),
        }
    }
}

/// A half-line in the scene.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ray {
    /// Start.
    pub origin: Vec3,
    /// Unit direction.
    pub direction: Vec3,
}

impl Ray {
    /// Distance along the ray to where it enters `aabb`, if it meets it (0 when it starts
    /// inside).
    pub fn hit(&self, aabb: &Aabb) -> Option<f32> {
        let mut near = 0.0_f32;
        let mut far = f32::INFINITY;
        for axis in 0..3 {
            let (origin, direction) = (self.origin[axis], self.direction[axis]);
            let (low, high) = (aabb.min[axis], aabb.max[axis]);
            if direction.abs() < 1e-9 {
                if origin < low || origin > high {
                    return None;
                }
                continue;
            }
            let (mut t0, mut t1) = ((low - origin) / direction, (high - origin) / direction);
            if t0 > t1 {
                std::mem::swap(&mut t0, &mut t1);
            }
            near = near.max(t0);
            far = far.min(t1);
            if near > far {
                return None;
            }
        }
        Some(near)
    }
}

/// The nearest of `boxes` (each tagged with what it belongs to) that `ray` meets.
pub fn pick<T: Copy>(ray: &Ray, boxes: &[(T, Aabb)]) -> Option<T> {
    boxes
        .iter()
        .filter_map(|(tag, aabb)| ray.hit(aabb).map(|t| (t, *tag)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, tag)| tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_box(centre: Vec3) -> Aabb {
        Aabb {
            min: centre - Vec3::splat(1.0),
            max: centre + Vec3::splat(1.0),
        }
    }

    #[test]
    fn the_eye_circles_the_target_at_its_distance() {
        let mut camera = OrbitCamera::plant();
        let before = camera.eye();
        camera.orbit(1.0, 0.0);
        assert!(((camera.eye() - camera.target).length() - camera.distance).abs() < 1e-3);
        assert!(
            (camera.eye().y - before.y).abs() < 1e-4,
            "yaw keeps the height"
        );
    }

    #[test]
    fn pitch_and_distance_stay_within_their_limits() {
        let mut camera = OrbitCamera::plant();
        camera.orbit(0.0, -10.0);
        assert_eq!(camera.pitch, MIN_PITCH_RAD);
        camera.orbit(0.0, 10.0);
        assert_eq!(camera.pitch, MAX_PITCH_RAD);
        camera.zoom(100.0);
        assert_eq!(camera.distance, camera.min_distance);
        camera.zoom(-100.0);
        assert_eq!(camera.distance, camera.max_distance);
        camera.orbit(-100.0, 0.0);
        assert!((0.0..std::f32::consts::TAU).contains(&camera.yaw));
    }

    #[test]
    fn the_target_projects_to_the_middle_of_the_canvas() {
        let camera = OrbitCamera::plant();
        let viewport = Viewport {
            width: 800.0,
            height: 400.0,
        };
        let vp = camera.view_projection(viewport.aspect());
        let centre = viewport.to_screen(vp, camera.target).unwrap();
        assert!(
            (centre - Vec2::new(400.0, 200.0)).length() < 0.01,
            "{centre}"
        );
        let behind = camera.eye() + (camera.eye() - camera.target);
        assert_eq!(viewport.to_screen(vp, behind), None);
    }

    #[test]
    fn a_ray_through_a_projected_point_passes_through_it() {
        let camera = OrbitCamera::plant();
        let viewport = Viewport {
            width: 1000.0,
            height: 480.0,
        };
        let vp = camera.view_projection(viewport.aspect());
        let point = Vec3::new(-30.0, 5.0, -20.0);
        let screen = viewport.to_screen(vp, point).unwrap();
        let ray = viewport.ray(vp, screen);
        let closest = ray.origin + ray.direction * (point - ray.origin).dot(ray.direction);
        assert!((closest - point).length() < 0.05, "{closest} vs {point}");
    }

    #[test]
    fn picking_takes_the_nearest_box_on_the_ray() {
        let ray = Ray {
            origin: Vec3::new(0.0, 0.0, 10.0),
            direction: Vec3::NEG_Z,
        };
        let boxes = [
            ("far", unit_box(Vec3::new(0.0, 0.0, -5.0))),
            ("near", unit_box(Vec3::ZERO)),
            ("aside", unit_box(Vec3::new(5.0, 0.0, 5.0))),
        ];
        assert_eq!(pick(&ray, &boxes), Some("near"));
        assert_eq!(ray.hit(&boxes[1].1), Some(9.0));
        assert_eq!(ray.hit(&boxes[2].1), None);
        let miss = Ray {
            origin: Vec3::new(3.0, 0.0, 10.0),
            direction: Vec3::NEG_Z,
        };
        assert_eq!(pick(&miss, &boxes), None);
        let inside = Ray {
            origin: Vec3::ZERO,
            direction: Vec3::X,
        };
        assert_eq!(inside.hit(&boxes[1].1), Some(0.0));
    }

    #[test]
    fn a_framing_camera_shows_the_whole_box() {
        let bounds = Aabb {
            min: Vec3::new(10.0, 0.0, -25.0),
            max: Vec3::new(20.0, 26.0, -15.0),
        };
        let camera = OrbitCamera::framing(bounds);
        let viewport = Viewport {
            width: 600.0,
            height: 600.0,
        };
        let vp = camera.view_projection(1.0);
        for x in [bounds.min.x, bounds.max.x] {
            for y in [bounds.min.y, bounds.max.y] {
                for z in [bounds.min.z, bounds.max.z] {
                    let p = viewport.to_screen(vp, Vec3::new(x, y, z)).unwrap();
                    assert!(
                        (0.0..=600.0).contains(&p.x) && (0.0..=600.0).contains(&p.y),
                        "{p}"
                    );
                }
            }
        }
    }
}
