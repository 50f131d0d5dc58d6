//! The ML predictions page (`?page=predictions`): three models trained in the page on the
//! run's history, each with its features, target, split, held-out metric and a chart of
//! predicted against actual; the predictions as JSON lines to save, and a file of them to read
//! back.
//!
//! Training runs one step per animation frame (the data, then each model), so the page never
//! waits for more than one step; a progress bar follows the steps.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use twin::catalog::FACTS;
use twin::history::analysis::plant_time;
use twin::predictions::{
    self, check, Dataset, Imported, Pair, PredictionError, Predictions, Training, FERMENTER_FACTS,
    LAGS, LINE_FACTS, MILL_COMPONENTS, MILL_FACTS, STEPS, TRAIN_SHARE,
};

use crate::app::{DriverHandle, PageLink};
use crate::bi::file_name;
use crate::bi_panel::BAND;
use crate::bi_panel::{
    columns, compact, download, time_chart, x_range, y_range, Chart, DrawResult, BLUE, INK, RED,
};
use crate::clock::now_ms;
use crate::format;
use crate::settings::Page;
use crate::store::Store;

/// Where the training is.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Not started.
    Idle,
    /// Step `done` of `total` is next.
    Training { done: usize, total: usize },
    /// Finished, with each step's time in milliseconds.
    Done { step_ms: Vec<f64> },
    /// Could not train.
    Failed(String),
}

/// The page's state, kept while the page is open.
#[derive(Clone, Copy)]
struct PredictionsState {
    phase: RwSignal<Phase>,
    /// Bumped by every start, so that the steps of an older training stop.
    generation: StoredValue<u64>,
    /// Tick and plant minute of the history the shown models were trained on.
    trained_at: RwSignal<Option<(u64, u64)>>,
    result: RwSignal<Option<Arc<Predictions>>>,
    imported: RwSignal<Option<Arc<(String, Imported)>>>,
    status: RwSignal<String>,
}

/// A training in progress: the data once read, the models so far, and each step's time.
type Job = Rc<RefCell<(Option<Dataset>, Training, Vec<f64>)>>;

/// Reads the history as it is now and trains on it, one step per animation frame; a training
/// still in progress is abandoned.
fn start_training(state: PredictionsState, driver: DriverHandle) {
    let generation = state.generation.get_value() + 1;
    state.generation.set_value(generation);
    state.result.set(None);
    state.trained_at.set(None);
    state.phase.set(Phase::Training {
        done: 0,
        total: STEPS.len() + 1,
    });
    let job: Job = Rc::new(RefCell::new((None, Training::default(), Vec::new())));
    step(state, driver, job, 0, generation);
}

fn step(state: PredictionsState, driver: DriverHandle, job: Job, done: usize, generation: u64) {
    request_animation_frame(move || {
        // The page may have been left, or the training restarted, in between.
        if state.generation.try_get_value() != Some(generation) {
            return;
        }
        let started = now_ms();
        let outcome: Result<bool, PredictionError> = {
            let mut guard = job.borrow_mut();
            let (data, training, times) = &mut *guard;
            let result = match data {
                None => {
                    let (d, at) = driver.with_value(|d| {
                        let twin = d.twin();
                        (
                            Dataset::from_history(d.history()),
                            (twin.tick(), twin.minute()),
                        )
                    });
                    state.trained_at.set(Some(at));
                    let ok = check(&d);
                    *data = Some(d);
                    ok.map(|()| false)
                }
                Some(d) => training
                    .run(STEPS[done - 1], d)
                    .map(|()| done == STEPS.len()),
            };
            times.push(now_ms() - started);
            result
        };
        match outcome {
            Err(e) => {
                let mut text = e.to_string();
                if let Some(first) = text.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                state.phase.set(Phase::Failed(format!("{text}.")));
            }
            Ok(false) => {
                state.phase.set(Phase::Training {
                    done: done + 1,
                    total: STEPS.len() + 1,
                });
                step(state, driver, job, done + 1, generation);
            }
            Ok(true) => {
                let (data, training, step_ms) = std::mem::take(&mut *job.borrow_mut());
                let data = data.expect("the data came first");
                if let Some(result) = training.finish(&data) {
                    state.result.set(Some(Arc::new(result)));
                }
                state.phase.set(Phase::Done { step_ms });
            }
        }
    });
}

fn step_name(done: usize) -> String {
    match done {
        0 => "Reading the history".to_owned(),
        n => STEPS[(n - 1).min(STEPS.len() - 1)].describe(),
    }
}

/// Reads the file chosen in `input` and keeps its predictions.
fn import(state: PredictionsState, input: web_sys::HtmlInputElement) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let name = file.name();
    let promise = file.text();
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(text) => {
                let text = text.as_string().unwrap_or_default();
                let imported = predictions::from_json_lines(&text);
                state.status.set(format!(
                    "Read {name}: {} predictions kept, {} lines refused.",
                    format::thousands(imported.lines.len() as u64),
                    format::thousands(imported.errors.len() as u64)
                ));
                state.imported.set(Some(Arc::new((name, imported))));
            }
            Err(e) => state.status.set(format!(
                "{name} could not be read ({e:?}); nothing was imported."
            )),
        }
    });
}

/// The predictions page.
#[component]
pub fn PredictionsPage() -> impl IntoView {
    let driver = expect_context::<DriverHandle>();
    let store = expect_context::<Store>();
    let state = PredictionsState {
        phase: RwSignal::new(Phase::Idle),
        generation: StoredValue::new(0),
        trained_at: RwSignal::new(None),
        result: RwSignal::new(None),
        imported: RwSignal::new(None),
        status: RwSignal::new(String::new()),
    };
    // Train on what is there when the page opens with the plant at rest, and whenever a run
    // (a replay of the link, say) stops.
    // The driver's own state decides, read again whenever the store moves: a short replay can
    // start and end between two of the store's updates.
    let (run, tick) = (store.run, store.tick);
    Effect::new(move |was_running: Option<bool>| {
        run.track();
        tick.track();
        let running = driver.with_value(|d| d.state().is_running());
        if !running && was_running != Some(false) {
            start_training(state, driver);
        }
        running
    });
    // A reset (the plant back before the ticks trained on) makes the models stale.
    Effect::new(move |_| {
        let now = tick.get();
        if let Some((trained, _)) = state.trained_at.get_untracked() {
            if now < trained && !run.get_untracked().is_running() {
                start_training(state, driver);
            }
        }
    });

    let progress = move || match state.phase.get() {
        Phase::Training { done, total } => Some(view! {
            <div class="training-progress" data-training=done>
                <progress max=total value=done aria-label="Training"></progress>
                <span>{format!("{} ({} of {total})…", step_name(done), done + 1)}</span>
            </div>
        }),
        _ => None,
    };
    let message = move || match state.phase.get() {
        Phase::Failed(text) => Some(
            view! {
                <p class="bi-empty" data-predictions-error>
                    {text}
                    " Start Monte Carlo, run the scripted day or replay a link, then train again."
                </p>
            }
            .into_any(),
        ),
        Phase::Done { step_ms } => Some({
            let at = state
                .trained_at
                .get_untracked()
                .map_or_else(String::new, |(t, m)| {
                    format!(
                        " Trained on the history up to tick {} ({}).",
                        format::thousands(t),
                        format::plant_time(m)
                    )
                });
            let longest_step_ms = step_ms.iter().copied().fold(0.0, f64::max);
            let times = step_ms
                .iter()
                .map(|ms| format!("{ms:.1}"))
                .collect::<Vec<_>>()
                .join(" ");
            view! {
                <p
                    class="hint"
                    data-longest-step-ms=format!("{longest_step_ms:.2}")
                    data-step-ms=times
                >
                    {format!(
                        "Trained in steps of at most {longest_step_ms:.1} ms, one per frame.{at}"
                    )}
                </p>
            }
            .into_any()
        }),
        Phase::Idle => Some(
            view! {
                <p class="hint" data-predictions-waiting>
                    "The plant is running: the models train on its history when it stops, or now \
                     with \u{201c}Train again on the history so far\u{201d}."
                </p>
            }
            .into_any(),
        ),
        Phase::Training { .. } => None,
    };
    let export = move |_| {
        let Some(result) = state.result.get_untracked() else {
            state
                .status
                .set("Train the models first; there is nothing to save yet.".to_owned());
            return;
        };
        let outcome = driver.with_value(|d| {
            let config = d.twin().config();
            let name = file_name(
                "predictions",
                config.scenario.name(),
                config.seed,
                d.twin().tick(),
                "jsonl",
            );
            let text = predictions::to_json_lines(&result);
            let lines = text.lines().count();
            download(&name, "application/x-ndjson", &text).map(|()| (name, lines))
        });
        state.status.set(match outcome {
            Ok((name, lines)) => format!(
                "Saved {name}: {} predictions.",
                format::thousands(lines as u64)
            ),
            Err(why) => format!("The predictions could not be saved: {why}."),
        });
    };

    view! {
        <main class="predictions-page" data-page="predictions">
            <nav class="fbe-nav" aria-label="Pages">
                <PageLink page=Page::Console class="back-link">"← Back to the console"</PageLink>
            </nav>
            <h2>"ML predictions"</h2>
            <p class="page-intro">
                {format!(
                    "Three models trained in this page on the run's history: one row per tick of \
                     the last 7 plant days at most, trained on the first {:.0} % of the rows and \
                     measured on the rest, which they never saw.",
                    TRAIN_SHARE * 100.0
                )}
            </p>
            <div class="predictions-actions">
                <button
                    type="button"
                    disabled=move || matches!(state.phase.get(), Phase::Training { .. })
                    on:click=move |_| start_training(state, driver)
                >
                    "Train again on the history so far"
                </button>
                <button type="button" on:click=export>"Export predictions (JSON lines)"</button>
                <label class="import-label">
                    "Import predictions "
                    <input
                        type="file"
                        accept=".jsonl,.ndjson,.json,.txt"
                        data-import-predictions
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            import(state, input);
                        }
                    />
                </label>
            </div>
            <p class="bi-status" role="status">{move || state.status.get()}</p>
            {progress}
            {message}
            {move || state.result.get().map(|result| view! { <Models result /> })}
            {move || state.imported.get().map(|imported| view! { <ImportedPredictions imported /> })}
        </main>
    }
}

fn figure(key: String, text: String, value: f64) -> impl IntoView {
    view! { <strong data-metric=key data-value=value.to_string()>{text}</strong> }
}

fn fact_list(facts: &[pon_core::FactId]) -> String {
    facts
        .iter()
        .map(|f| FACTS[f.index()].name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The three models' results.
#[component]
fn Models(result: Arc<Predictions>) -> impl IntoView {
    let p = Arc::clone(&result);
    let oee = &p.oee;
    let fermentation = &p.fermentation;
    let mill = &p.mill;
    let errors = fermentation
        .errors
        .iter()
        .map(|e| {
            let better = e.model_mae < e.naive_mae;
            view! {
                <tr>
                    <th scope="row">{e.fact}</th>
                    <td>{figure(format!("fermentation.{}.model_mae", e.fact), format!("{:.4}", e.model_mae), e.model_mae)}</td>
                    <td>{figure(format!("fermentation.{}.naive_mae", e.fact), format!("{:.4}", e.naive_mae), e.naive_mae)}</td>
                    <td>{if better { "model" } else { "last value" }}</td>
                </tr>
            }
        })
        .collect_view();
    let gravity = match fermentation.hours_to_final_gravity {
        Some(0.0) => "Fermenter A is at final gravity now.".to_owned(),
        Some(h) => format!(
            "Running the forecast forward from the last {LAGS} observations, Brix reaches final \
             gravity ({:.1} °Bx) in {h:.1} plant hours (now {:.2} °Bx).",
            fermentation.final_brix, fermentation.brix_now
        ),
        None => format!(
            "Running the forecast forward from the last {LAGS} observations, Brix does not reach \
             final gravity ({:.1} °Bx) within {} ticks (now {:.2} °Bx).",
            fermentation.final_brix,
            format::thousands(predictions::FORECAST_HORIZON as u64),
            fermentation.brix_now
        ),
    };
    let coefficients = LINE_FACTS
        .iter()
        .zip(&oee.coefficients)
        .map(|(f, w)| format!("{:+.3} × {}", w, FACTS[f.index()].name))
        .collect::<Vec<_>>()
        .join(" ");

    let (oee_chart, brix_chart, mill_chart) = (
        Arc::clone(&result),
        Arc::clone(&result),
        Arc::clone(&result),
    );
    view! {
        <section class="model" data-model="oee">
            <h3>"1 · OEE from the bottling line's state (linear regression)"</h3>
            <dl class="model-facts">
                <dt>"Features"</dt><dd>{fact_list(&LINE_FACTS)}</dd>
                <dt>"Target"</dt><dd>"OEE of the same tick (%)"</dd>
                <dt>"Split"</dt>
                <dd>{format!("{} ticks to train, the next {} held out", oee.train_rows, oee.test_rows)}</dd>
                <dt>"Fitted"</dt><dd>{format!("OEE = {:.3} {coefficients}", oee.intercept)}</dd>
            </dl>
            <p class="model-metrics">
                "Held-out mean absolute error "
                {figure("oee.mae".to_owned(), format!("{:.3}", oee.mae), oee.mae)}
                " OEE points · R² "
                {figure("oee.r2".to_owned(), format!("{:.4}", oee.r2), oee.r2)}
            </p>
            <Chart name="oee-predicted" points=oee_chart.oee.test.len() draw=move |area| draw_pairs(area, &oee_chart.oee.test, "%") />
            <PairLegend />
        </section>
        <section class="model" data-model="fermentation">
            <h3>"2 · Fermenter A forecast (ridge regressions) against the last value"</h3>
            <dl class="model-facts">
                <dt>"Features"</dt>
                <dd>{format!("the last {LAGS} observations of {}", fact_list(&FERMENTER_FACTS))}</dd>
                <dt>"Targets"</dt><dd>"the change of each to the next tick"</dd>
                <dt>"Split"</dt>
                <dd>{format!("{} rows to train, the next {} held out", fermentation.train_rows, fermentation.test_rows)}</dd>
            </dl>
            <table class="bi-table">
                <thead>
                    <tr>
                        <th scope="col">"Variable"</th>
                        <th scope="col">"Model MAE"</th>
                        <th scope="col">"Last-value MAE"</th>
                        <th scope="col">"Better"</th>
                    </tr>
                </thead>
                <tbody>{errors}</tbody>
            </table>
            <p data-metric="fermentation.final_gravity">{gravity}</p>
            <Chart name="brix-predicted" points=brix_chart.fermentation.brix_test.len() draw=move |area| draw_pairs(area, &brix_chart.fermentation.brix_test, "°Bx") />
            <PairLegend />
        </section>
        <section class="model" data-model="mill">
            <h3>"3 · Mill anomaly score (principal component reconstruction)"</h3>
            <dl class="model-facts">
                <dt>"Features"</dt><dd>{format!("{}, standardised", fact_list(&MILL_FACTS))}</dd>
                <dt>"Score"</dt>
                <dd>{format!("squared error of the reconstruction from {MILL_COMPONENTS} principal components")}</dd>
                <dt>"Split"</dt>
                <dd>{format!("{} ticks to fit and set the threshold, the next {} scored", mill.train_rows, mill.test_rows)}</dd>
            </dl>
            <p class="model-metrics">
                "Threshold (training mean + 3 σ) "
                {figure("mill.threshold".to_owned(), format!("{:.3}", mill.threshold), mill.threshold)}
                " · components explain "
                {figure("mill.explained".to_owned(), format!("{:.1} %", mill.explained * 100.0), mill.explained)}
                " · held-out ticks flagged "
                {figure("mill.flagged".to_owned(), mill.flagged.len().to_string(), mill.flagged.len() as f64)}
                ", by the twin's EMA ± 3σ "
                {figure("mill.ema".to_owned(), mill.ema_flagged.len().to_string(), mill.ema_flagged.len() as f64)}
                ", by both "
                {figure("mill.both".to_owned(), mill.both.len().to_string(), mill.both.len() as f64)}
            </p>
            <Chart name="mill-score" points=mill_chart.mill.scores.len() draw=move |area| draw_scores(area, &mill_chart) />
            <ul class="chart-legend">
                <li><span class="legend-swatch" style="border-top: 2px solid rgb(40, 44, 52)"></span>"score"</li>
                <li><span class="legend-swatch" style="border-top: 2px dashed rgb(190, 30, 30)"></span>"threshold"</li>
                <li><span class="legend-swatch" style="border-top: 3px solid rgb(190, 30, 30)"></span>"flagged"</li>
                <li><span class="legend-swatch" style="border-top: 3px solid rgb(30, 90, 170)"></span>"EMA anomaly"</li>
            </ul>
        </section>
    }
}

#[component]
fn PairLegend() -> impl IntoView {
    view! {
        <ul class="chart-legend">
            <li><span class="legend-swatch" style="border-top: 2px solid rgb(40, 44, 52)"></span>"actual"</li>
            <li><span class="legend-swatch" style="border-top: 2px solid rgb(30, 90, 170)"></span>"predicted"</li>
        </ul>
    }
}

fn draw_pairs(
    area: &DrawingArea<CanvasBackend, Shift>,
    pairs: &[Pair],
    unit: &'static str,
) -> DrawResult {
    let (Some(first), Some(last)) = (pairs.first(), pairs.last()) else {
        return Ok(());
    };
    let y = y_range(pairs.iter().flat_map(|p| [p.predicted, p.actual]));
    let mut chart = time_chart(area, x_range(first.minute, last.minute), y, 70, &|v| {
        format!("{} {unit}", compact(*v))
    })?;
    let actual: Vec<(f64, f64)> = pairs.iter().map(|p| (p.minute as f64, p.actual)).collect();
    let predicted: Vec<(f64, f64)> = pairs
        .iter()
        .map(|p| (p.minute as f64, p.predicted))
        .collect();
    chart
        .draw_series(LineSeries::new(
            crate::bi::decimate(&actual, columns()),
            INK.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(LineSeries::new(
            crate::bi::decimate(&predicted, columns()),
            BLUE.stroke_width(1),
        ))
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn draw_scores(area: &DrawingArea<CanvasBackend, Shift>, p: &Predictions) -> DrawResult {
    let scores = &p.mill.scores;
    let (Some(first), Some(last)) = (scores.first(), scores.last()) else {
        return Ok(());
    };
    let y = y_range(scores.iter().map(|s| s.1).chain([0.0, p.mill.threshold]));
    let mut chart = time_chart(area, x_range(first.0, last.0), y.clone(), 60, &|v| {
        compact(*v)
    })?;
    // Where training ends.
    let split = scores[p.mill.train_rows.min(scores.len() - 1)].0 as f64;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(first.0 as f64, y.start), (split, y.end)],
            BAND.mix(0.35).filled(),
        )))
        .map_err(|e| e.to_string())?;
    let line: Vec<(f64, f64)> = scores.iter().map(|s| (s.0 as f64, s.1)).collect();
    chart
        .draw_series(LineSeries::new(
            crate::bi::decimate(&line, columns()),
            INK.stroke_width(1),
        ))
        .map_err(|e| e.to_string())?;
    let (x0, x1) = (first.0 as f64, last.0 as f64);
    let dashes = 60;
    let step = (x1 - x0) / f64::from(dashes);
    chart
        .draw_series((0..dashes).step_by(2).map(|i| {
            let a = x0 + step * f64::from(i);
            PathElement::new(
                [(a, p.mill.threshold), (a + step, p.mill.threshold)],
                RED.stroke_width(1),
            )
        }))
        .map_err(|e| e.to_string())?;
    let score_at = |minute: u64| {
        scores
            .binary_search_by_key(&minute, |s| s.0)
            .map(|i| scores[i].1)
            .unwrap_or(0.0)
    };
    chart
        .draw_series(
            p.mill
                .flagged
                .iter()
                .map(|&m| Circle::new((m as f64, score_at(m)), 3, RED.filled())),
        )
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(
            p.mill
                .ema_flagged
                .iter()
                .map(|&m| TriangleMarker::new((m as f64, score_at(m)), 5, BLUE.filled())),
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// What an imported file held.
#[component]
fn ImportedPredictions(imported: Arc<(String, Imported)>) -> impl IntoView {
    let (name, data) = &*imported;
    let mut groups: Vec<(String, String, usize, u64, u64)> = Vec::new();
    for line in &data.lines {
        match groups
            .iter_mut()
            .find(|g| g.0 == line.model && g.1 == line.target)
        {
            Some(g) => {
                g.2 += 1;
                g.3 = g.3.min(line.minute);
                g.4 = g.4.max(line.minute);
            }
            None => groups.push((
                line.model.clone(),
                line.target.clone(),
                1,
                line.minute,
                line.minute,
            )),
        }
    }
    let rows = groups
        .into_iter()
        .map(|(model, target, count, from, to)| {
            let key = format!("{model}.{target}");
            view! {
                <tr data-imported=key>
                    <th scope="row">{model}</th>
                    <td>{target}</td>
                    <td>{format::thousands(count as u64)}</td>
                    <td>{format!("{} to {}", plant_time(from), plant_time(to))}</td>
                </tr>
            }
        })
        .collect_view();
    let shown_errors = 50;
    let errors = data
        .errors
        .iter()
        .take(shown_errors)
        .map(|(line, why)| {
            view! { <li data-import-error=*line>{format!("Line {line}: {why}")}</li> }
        })
        .collect_view();
    let more = format::thousands(data.errors.len().saturating_sub(shown_errors) as u64);
    let any_more = data.errors.len() > shown_errors;
    view! {
        <section class="model" data-imported-file=name.clone()>
            <h3>{format!("Imported from {name}")}</h3>
            <p data-imported-count=data.lines.len()>
                {format!(
                    "{} predictions kept, {} lines refused.",
                    format::thousands(data.lines.len() as u64),
                    format::thousands(data.errors.len() as u64)
                )}
            </p>
            <table class="bi-table">
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Predictions"</th>
                        <th scope="col">"Plant time"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <ul class="import-errors">{errors}</ul>
            {any_more.then(|| view! { <p>{format!("…and {more} more refused lines.")}</p> })}
        </section>
    }
}
