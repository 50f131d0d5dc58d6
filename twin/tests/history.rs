//! The `history` command of the runner: the same figures and CSV as the library, and one line
//! of error for bad arguments.

mod common;

use common::{cli, stdout};

use twin::history::analysis::{self, Filter, Granularity, Window};
use twin::history::record_run;
use twin::{catalog, Scenario};

#[test]
fn the_runner_reports_what_the_library_computes() {
    let args = [
        "history",
        "--seed",
        "11",
        "--ticks",
        "900",
        "--window",
        "7d",
        "--granularity",
        "1min",
        "--fbe",
        "FBE_06",
        "--json",
    ];
    let text = stdout(&args);
    let printed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let history = record_run(Scenario::MonteCarlo, 11, 900);
    let filter = Filter {
        window: Window::Hours(168),
        granularity: Granularity::Minute,
        fbe: Some(5),
        fact: catalog::FBES[5].key_fact,
    };
    let report = analysis::report(&history, &filter).unwrap();
    // Compared as text: the floats are printed exactly, but read back only approximately.
    let expected = format!("\"report\":{}}}", serde_json::to_string(&report).unwrap());
    assert!(text.trim_end().ends_with(&expected), "the report differs");
    assert_eq!(printed["fact"], "fbe_06_internal_temp");
    assert_eq!(printed["size"]["changes_total"], history.changes_total());

    let csv = stdout(&[
        "history", "--seed", "11", "--ticks", "900", "--window", "all", "--csv",
    ]);
    let library = analysis::csv(&history, Window::Whole, None);
    assert_eq!(format!("{}\r\n", csv.trim_end()), library);
}

#[test]
fn the_scripted_day_has_a_history_too() {
    let text = stdout(&[
        "history",
        "--scenario",
        "scripted",
        "--ticks",
        "1000",
        "--window",
        "all",
    ]);
    assert!(
        text.starts_with("scripted seed 42: 240 ticks recorded"),
        "{text}"
    );
}

#[test]
fn bad_history_arguments_print_one_line_and_exit_with_status_2() {
    for args in [
        &["history", "--window", "1y"][..],
        &["history", "--granularity", "1s"],
        &["history", "--fbe", "FBE_12"],
        &["history", "--fact", "fbe_99_nothing"],
        &["history", "--csv", "--json"],
        &["history", "--ticks"],
        &["history", "--scenario", "brew-week"],
        &["history", "--seed", "-1"],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("twin: "), "{err}");
    }
}

#[test]
fn the_runner_trains_the_models_of_the_predictions_page() {
    let text = stdout(&["predictions", "--seed", "5", "--ticks", "400", "--json"]);
    let history = record_run(Scenario::MonteCarlo, 5, 400);
    let trained = twin::predictions::train(&history).unwrap();
    assert_eq!(text.trim_end(), serde_json::to_string(&trained).unwrap());
    let short = stdout(&["predictions", "--ticks", "30"]);
    assert!(short.contains("run 90 more ticks"), "{short}");
    let lines = stdout(&[
        "predictions",
        "--seed",
        "5",
        "--ticks",
        "400",
        "--json-lines",
    ]);
    let back = twin::predictions::from_json_lines(&lines);
    assert!(back.errors.is_empty());
    assert_eq!(back.lines.len(), lines.lines().count());
    assert_eq!(
        cli(&["predictions", "--json", "--json-lines"])
            .status
            .code(),
        Some(2)
    );
}
