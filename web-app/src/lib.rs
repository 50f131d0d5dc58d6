//! The brewery twin console, a client-side Leptos app.
//!
//! The binary in `main.rs` only installs the panic notice and mounts [`app::App`]; everything the
//! page shows lives in this library so that it can be tested without the entry point.

pub mod app;
pub mod panic_notice;
