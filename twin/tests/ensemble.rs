//! Monte Carlo ensembles: shards merge into the whole, threads change nothing, and the
//! command-line runner's `ensemble` and `merge` commands.

mod common;

use common::{cli, stdout};

use twin::ensemble::{
    self, EnsembleError, EnsembleResult, EnsembleSpec, Shard, SCRIPTED_DAY_TICKS,
};
use twin::Scenario;

fn spec(first_seed: u64, runs: u64, ticks: u64, shard: Option<(u64, u64)>) -> EnsembleSpec {
    let shard = shard.map(|(index, count)| Shard { index, count });
    EnsembleSpec::new(first_seed, runs, ticks, shard).unwrap()
}

fn shards(first_seed: u64, runs: u64, ticks: u64, count: u64) -> Vec<EnsembleResult> {
    (1..=count)
        .map(|k| ensemble::run(spec(first_seed, runs, ticks, Some((k, count)))))
        .collect()
}

fn merged(parts: &[EnsembleResult]) -> Result<EnsembleResult, EnsembleError> {
    let names: Vec<String> = (1..=parts.len()).map(|k| format!("part {k}")).collect();
    ensemble::merge(names.iter().map(String::as_str).zip(parts))
}

#[test]
fn two_hundred_runs_equal_the_merge_of_four_shards_of_fifty() {
    let whole = ensemble::run(spec(0, 200, 240, None));
    let parts = shards(0, 200, 240, 4);
    assert!(parts.iter().all(|p| p.outcomes.len() == 50));

    let json: Vec<String> = parts.iter().map(EnsembleResult::to_json).collect();
    let read: Vec<EnsembleResult> = json
        .iter()
        .map(|text| EnsembleResult::from_json(text).unwrap())
        .collect();
    assert_eq!(merged(&read).unwrap().to_json(), whole.to_json());

    let mut shuffled = read.clone();
    shuffled.reverse();
    assert_eq!(merged(&shuffled).unwrap().to_json(), whole.to_json());
}

#[test]
fn shards_are_contiguous_blocks_that_differ_by_at_most_one_run() {
    let seeds: Vec<_> = (1..=3)
        .map(|k| spec(10, 8, 1, Some((k, 3))).seeds())
        .collect();
    assert_eq!(seeds, vec![10..12, 12..15, 15..18]);
}

#[test]
fn neighbouring_whole_ensembles_merge_like_one() {
    let a = ensemble::run(spec(5, 3, 20, None));
    let b = ensemble::run(spec(8, 2, 20, None));
    let whole = ensemble::run(spec(5, 5, 20, None));
    assert_eq!(merged(&[b, a]).unwrap(), whole);
}

#[test]
fn a_result_read_back_from_json_is_the_same_result() {
    let result = ensemble::run(spec(3, 6, 50, Some((2, 2))));
    assert_eq!(
        EnsembleResult::from_json(&result.to_json()).unwrap(),
        result
    );
}

#[test]
fn merge_rejects_a_missing_shard() {
    let mut parts = shards(0, 12, 10, 4);
    parts.remove(2);
    assert_eq!(
        merged(&parts).unwrap_err().to_string(),
        "seeds 6 to 8 are missing"
    );
    parts.pop();
    assert_eq!(
        merged(&parts).unwrap_err(),
        EnsembleError::MissingSeeds(6..12)
    );
}

#[test]
fn merge_rejects_a_shard_given_twice() {
    let parts = shards(0, 12, 10, 3);
    let twice = [parts[0].clone(), parts[1].clone(), parts[1].clone()];
    assert_eq!(
        merged(&twice).unwrap_err().to_string(),
        "seed 4 is in both part 2 and part 3"
    );
}

#[test]
fn merge_rejects_runs_of_different_lengths() {
    let a = ensemble::run(spec(0, 4, 10, Some((1, 2))));
    let b = ensemble::run(spec(0, 4, 11, Some((2, 2))));
    assert_eq!(
        merged(&[a, b]).unwrap_err().to_string(),
        "part 1 ran 10 ticks per run but part 2 ran 11"
    );
}

fn scripted(first_seed: u64, runs: u64, ticks: u64, shard: Option<(u64, u64)>) -> EnsembleSpec {
    let shard = shard.map(|(index, count)| Shard { index, count });
    EnsembleSpec::of_scenario(Scenario::Scripted, first_seed, runs, ticks, shard).unwrap()
}

#[test]
fn a_scripted_ensemble_varies_with_the_seed_and_merges_like_one() {
    let whole = ensemble::run(scripted(0, 12, SCRIPTED_DAY_TICKS, None));
    assert_eq!(whole.scenario, Scenario::Scripted);
    assert!(
        whole.rules.iter().all(|rule| rule.runs_fired == 12),
        "the brew day fires every rule whatever the seed"
    );
    let oee: std::collections::BTreeSet<u64> = whole.outcomes.iter().map(|o| o.oee.oee).collect();
    assert!(oee.len() > 1, "the noise moves the final OEE: {oee:?}");

    let parts: Vec<EnsembleResult> = (1..=3)
        .map(|k| ensemble::run(scripted(0, 12, SCRIPTED_DAY_TICKS, Some((k, 3)))))
        .map(|part| EnsembleResult::from_json(&part.to_json()).unwrap())
        .collect();
    assert_eq!(merged(&parts).unwrap().to_json(), whole.to_json());
}

#[test]
fn merge_rejects_shards_of_different_scenarios() {
    let a = ensemble::run(scripted(0, 4, 10, Some((1, 2))));
    let b = ensemble::run(spec(0, 4, 10, Some((2, 2))));
    assert_eq!(
        merged(&[a, b]).unwrap_err().to_string(),
        "part 1 ran the scripted scenario but part 2 ran the monte-carlo scenario"
    );
}

#[test]
fn a_result_stored_without_a_scenario_is_monte_carlo() {
    let result = ensemble::run(spec(2, 3, 8, None));
    let mut json: serde_json::Value = serde_json::from_str(&result.to_json()).unwrap();
    assert_eq!(json["scenario"], "monte-carlo");
    json.as_object_mut().unwrap().remove("scenario");
    assert_eq!(
        EnsembleResult::from_json(&json.to_string()).unwrap(),
        result
    );
}

#[test]
fn scripted_runs_cannot_outlast_the_brew_day() {
    assert_eq!(SCRIPTED_DAY_TICKS, 240);
    assert_eq!(
        EnsembleSpec::of_scenario(Scenario::Scripted, 0, 10, 241, None)
            .unwrap_err()
            .to_string(),
        "the scripted brew day lasts 240 ticks, so its runs cannot have 241"
    );
    assert!(EnsembleSpec::of_scenario(Scenario::MonteCarlo, 0, 10, 241, None).is_ok());
}

#[test]
fn merge_of_nothing_is_an_error() {
    assert_eq!(merged(&[]).unwrap_err(), EnsembleError::NothingToMerge);
}

#[test]
fn a_stored_result_whose_runs_do_not_match_its_seeds_is_refused() {
    let result = ensemble::run(spec(0, 4, 5, None));
    let mut json: serde_json::Value = serde_json::from_str(&result.to_json()).unwrap();
    json["first_seed"] = 1.into();
    assert_eq!(
        EnsembleResult::from_json(&json.to_string()).unwrap_err(),
        EnsembleError::InconsistentRuns
    );
    assert!(matches!(
        EnsembleResult::from_json("{\"runs\": 3}"),
        Err(EnsembleError::NotAnEnsemble(_))
    ));
}

#[test]
fn invalid_specifications_are_refused() {
    let shard = |index, count| Some(Shard { index, count });
    assert_eq!(
        EnsembleSpec::new(0, 0, 240, None),
        Err(EnsembleError::RunsOutOfRange(0))
    );
    assert_eq!(
        EnsembleSpec::new(0, 10_001, 240, None),
        Err(EnsembleError::RunsOutOfRange(10_001))
    );
    assert_eq!(
        EnsembleSpec::new(0, 10, 0, None),
        Err(EnsembleError::NoTicks)
    );
    assert!(EnsembleSpec::new(u64::MAX - 1, 2, 1, None).is_err());
    assert!(EnsembleSpec::new(u64::MAX, 1, 1, None).is_err());
    let last = EnsembleSpec::new(u64::MAX - 10, 10, 1, None).unwrap();
    assert_eq!(last.seeds().count(), 10);
    assert_eq!(
        ensemble::run(last).outcomes.last().unwrap().seed,
        u64::MAX - 1
    );
    for (k, n) in [(0, 4), (5, 4), (1, 0), (1, 11)] {
        assert!(
            matches!(
                EnsembleSpec::new(0, 10, 1, shard(k, n)),
                Err(EnsembleError::BadShard { .. })
            ),
            "{k}/{n}"
        );
    }
}

#[test]
fn the_statistics_describe_the_outcomes() {
    let result = ensemble::run(spec(0, 40, 240, None));
    let m = &result.metrics;
    assert_eq!(m.oee.histogram.counts.iter().sum::<u64>(), 40);
    assert!(m.oee.min <= m.oee.p5 && m.oee.p5 <= m.oee.p50);
    assert!(m.oee.p50 <= m.oee.p95 && m.oee.p95 <= m.oee.max);
    for (r, rule) in result.rules.iter().enumerate() {
        assert_eq!(result.co_occurrence[r][r], rule.runs_fired);
        for other in 0..12 {
            assert_eq!(
                result.co_occurrence[r][other],
                result.co_occurrence[other][r]
            );
            assert!(result.co_occurrence[r][other] <= rule.runs_fired);
        }
    }
    let mut seeds = result.outcomes.iter().map(|o| o.seed);
    assert!(seeds.by_ref().eq(0..40));
}

#[test]
fn the_runner_gives_the_same_json_on_one_thread_and_on_several() {
    let base = [
        "ensemble",
        "--first-seed",
        "7",
        "--runs",
        "30",
        "--ticks",
        "120",
        "--json",
    ];
    let one = stdout(&[&base[..], &["--threads", "1"]].concat());
    let three = stdout(&[&base[..], &["--threads", "3"]].concat());
    assert_eq!(one, three);
    let library = ensemble::run(spec(7, 30, 120, None)).to_json();
    assert_eq!(one.trim_end(), library);
}

#[test]
fn the_runner_merges_shard_files_into_the_whole_ensemble() {
    let dir = std::env::temp_dir().join(format!("twin-ensemble-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let json = stdout(&[
            "ensemble", "--runs", "20", "--ticks", "60", "--shard", &shard, "--json",
        ]);
        let file = dir.join(format!("shard-{k}.json"));
        std::fs::write(&file, json).unwrap();
        files.push(file.to_string_lossy().into_owned());
    }
    let whole = stdout(&["ensemble", "--runs", "20", "--ticks", "60", "--json"]);
    let mut args = vec!["merge"];
    args.extend(files.iter().map(String::as_str));
    assert_eq!(stdout(&args), whole);

    let two = cli(&["merge", &files[0], &files[2]]);
    assert_eq!(two.status.code(), Some(2));
    let err = String::from_utf8(two.stderr).unwrap();
    assert_eq!(err, "twin: cannot merge: seeds 6 to 12 are missing\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_runner_runs_the_scenario_it_is_given() {
    let json = stdout(&[
        "ensemble",
        "--scenario",
        "scripted",
        "--first-seed",
        "3",
        "--runs",
        "4",
        "--json",
    ]);
    let library = ensemble::run(scripted(3, 4, 240, None)).to_json();
    assert_eq!(json.trim_end(), library);
    let text = stdout(&["ensemble", "--scenario", "scripted", "--runs", "2"]);
    assert!(text.starts_with("Scripted brew day ensemble: seeds 0 to 1, 240 ticks per run"));
}

#[test]
fn the_runner_prints_a_table_of_percentiles_without_json() {
    let text = stdout(&["ensemble", "--runs", "10", "--ticks", "30"]);
    assert!(text.starts_with("Monte Carlo ensemble: seeds 0 to 9, 30 ticks per run"));
    assert!(text.contains("P50"), "{text}");
    assert!(text.contains("OEE (final state)"), "{text}");
    assert!(text.contains("R_12 firings"), "{text}");
}

#[test]
fn bad_ensemble_arguments_print_one_line_and_exit_with_status_2() {
    for args in [
        &["ensemble", "--runs", "0"][..],
        &["ensemble", "--runs", "10001"],
        &["ensemble", "--runs", "8", "--shard", "0/4"],
        &["ensemble", "--runs", "8", "--shard", "5/4"],
        &["ensemble", "--shard", "two"],
        &["ensemble", "--ticks", "0"],
        &["ensemble", "--threads", "0"],
        &["ensemble", "--runs", "-3"],
        &["ensemble", "--colour"],
        &["ensemble", "--json", "--json"],
        &["ensemble", "--scenario", "brew-week"],
        &["ensemble", "--scenario"],
        &["ensemble", "--scenario", "scripted", "--ticks", "300"],
        &["merge"],
        &["merge", "/nonexistent/shard-1.json"],
        &["merge", "Cargo.toml"],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("twin: "), "{err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
