//! The brewery twin console, a client-side Leptos app.
//!
//! The binary in `main.rs` only installs the panic notice and mounts [`app::App`]; everything the
//! page shows lives in this library. The pure parts (link settings, event log, formatting) are
//! tested natively; the page itself by the end-to-end tests in headless Chromium.

pub mod app;
pub mod bi;
pub mod bi_panel;
pub mod clock;
pub mod controls;
pub mod diagrams;
pub mod driver;
pub mod ensemble;
pub mod ensemble_panel;
pub mod event_log;
pub mod fbe_page;
pub mod format;
pub mod graph_layout;
pub mod kept_runs;
pub mod panels;
pub mod panic_notice;
pub mod predictions_page;
pub mod scene;
pub mod settings;
pub mod store;
pub mod three_d;
