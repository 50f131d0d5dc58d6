//! The 3D plant: geometry, camera, motion and the WebGL2 renderer.
//!
//! Everything but [`renderer`] is plain Rust with no web types, tested natively: the meshes,
//! the camera and picking, the layout of the plant and what moves with which fact.

pub mod camera;
pub mod mesh;
pub mod motion;
pub mod plant;
pub mod renderer;
