//! The brewery digital twin: 58 facts in 11 FBEs, 12 rules on the NOP engine, process models,
//! the scripted brew day, the hybrid Monte Carlo loop, OEE and anomaly detection.
//!
//! Pure Rust without web types: the console, the tests, the benchmarks and the command-line
//! runner all drive the same [`Twin`].

pub mod anomaly;
pub mod brew_day;
pub mod catalog;
pub mod ensemble;
pub mod history;
pub mod models;
pub mod oee;
pub mod plant;
pub mod predictions;
pub mod random;
pub mod rules;
pub mod summary;

pub use plant::{Scenario, Twin, TwinConfig, TwinEvent};
