//! Running the command-line runner from the integration tests.

#![allow(dead_code)] // each test file uses what it needs

use std::process::{Command, Output};

/// The runner's output for `args`.
pub fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twin"))
        .args(args)
        .output()
        .unwrap()
}

/// The runner's standard output for `args`, which must succeed.
pub fn stdout(args: &[&str]) -> String {
    let out = cli(args);
    assert!(out.status.success(), "{args:?}: {:?}", out.stderr);
    String::from_utf8(out.stdout).unwrap()
}
