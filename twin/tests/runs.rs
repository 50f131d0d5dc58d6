//! Whole runs: the brew day, determinism, and the command-line runner.

mod common;

use common::cli;

use pon_core::RuleId;
use twin::summary::{state_hash, summarize};
use twin::{Scenario, Twin, TwinConfig, TwinEvent};

fn run(scenario: Scenario, seed: u64, ticks: u64) -> Twin {
    let mut twin = Twin::new(TwinConfig::new(scenario, seed));
    twin.run(ticks);
    twin
}

#[test]
fn the_brew_day_fires_every_rule_for_every_seed_tried() {
    for seed in 0..25 {
        let twin = run(Scenario::Scripted, seed, u64::MAX);
        assert!(twin.finished());
        assert_eq!(twin.tick(), 240);
        for r in 0..12 {
            assert!(
                twin.firings(RuleId(r)) > 0,
                "seed {seed}: R_{:02} never fired",
                r + 1
            );
        }
    }
}

#[test]
fn each_brew_day_rule_fires_at_its_step() {
    let mut twin = Twin::new(TwinConfig::new(Scenario::Scripted, 42));
    let mut first_minute = std::collections::BTreeMap::new();
    while !twin.finished() {
        for event in twin.step() {
            if let TwinEvent::Rule { rule, minute, .. } = event {
                first_minute.entry(*rule).or_insert(*minute);
            }
        }
    }
    let at = |h: u64, m: u64| h * 60 + m;
    assert_eq!(first_minute["R_04"], at(5, 30));
    assert_eq!(first_minute["R_05"], at(6, 0));
    assert!(
        (at(7, 30)..at(13, 0)).contains(&first_minute["R_01"]),
        "{}",
        first_minute["R_01"]
    );
    assert_eq!(first_minute["R_09"], at(13, 0));
    assert_eq!(first_minute["R_10"], at(13, 30));
    assert_eq!(first_minute["R_06"], at(14, 0));
    assert_eq!(first_minute["R_07"], at(15, 0));
    assert_eq!(first_minute["R_03"], at(18, 0));
    assert_eq!(first_minute["R_08"], at(18, 0));
    assert_eq!(first_minute["R_12"], at(21, 0));
}

#[test]
fn the_same_seed_gives_the_same_state_and_another_seed_another() {
    for scenario in [Scenario::Scripted, Scenario::MonteCarlo] {
        let a = run(scenario, 7, 500);
        let b = run(scenario, 7, 500);
        let c = run(scenario, 8, 500);
        assert_eq!(state_hash(&a), state_hash(&b));
        assert_ne!(state_hash(&a), state_hash(&c));
    }
}

#[test]
fn a_long_monte_carlo_run_fires_rules_and_flags_anomalies() {
    let twin = run(Scenario::MonteCarlo, 42, 10_000);
    let summary = summarize(&twin);
    assert_eq!(summary.ticks, 10_000);
    assert_eq!(summary.simulated_minutes, 60_000);
    assert_eq!(summary.facts.len(), 58);
    let fired = summary.firings.values().filter(|n| **n > 0).count();
    assert!(
        fired >= 10,
        "only {fired} rules fired: {:?}",
        summary.firings
    );
    assert!(
        summary.firings["R_11"] > 0,
        "the robot's battery runs low at times"
    );
    assert!(!summary.anomalies.is_empty());
    let oee = summary.oee;
    assert!((0.0..=100.0).contains(&oee.oee));
    assert!((oee.oee - oee.availability * oee.performance * oee.quality / 10_000.0).abs() < 0.01);
}

#[test]
fn the_runner_prints_one_json_summary() {
    let out = cli(&["monte-carlo", "--seed", "42", "--ticks", "300", "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ticks"], 300);
    assert_eq!(json["simulated_minutes"], 1800);
    assert_eq!(json["facts"].as_object().unwrap().len(), 58);
    assert_eq!(json["firings"].as_object().unwrap().len(), 12);
    for key in ["availability", "performance", "quality", "oee"] {
        assert!(json["oee"][key].is_number(), "{key}");
    }
    assert!(json["anomalies"].is_object());
    let expected = state_hash(&run(Scenario::MonteCarlo, 42, 300));
    assert_eq!(json["state_hash"], expected.as_str());
}

#[test]
fn bad_arguments_print_one_line_and_exit_with_status_2() {
    for args in [
        &["scripted", "--seed", "forty-two"][..],
        &["monte-carlo", "--ticks", "-5"],
        &["brew"],
        &[],
        &["scripted", "--colour"],
        &["scripted", "--seed", "1", "--seed", "2"],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("twin: "), "{err}");
    }
}

#[test]
fn help_explains_the_commands_and_exits_successfully() {
    for flag in ["--help", "-h"] {
        let out = cli(&[flag]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("monte-carlo") && text.contains("--seed N"),
            "{text}"
        );
    }
}

#[test]
fn the_default_seed_is_the_consoles() {
    let out = cli(&["scripted", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["seed"], 42);
}
