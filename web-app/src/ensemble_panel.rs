//! The Ensemble tab: runs a Monte Carlo ensemble in Web Workers and shows its distributions.
//!
//! The run belongs to the page, not to the tab: [`EnsembleRun`] is created by the app and
//! provided as context, so switching to another view and back neither stops the workers nor
//! loses the result.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use twin::ensemble::{EnsembleResult, MAX_RUNS};
use twin::rules::RULES;
use twin::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::ensemble::{
    bin_range, figure, max_ticks, read_inputs, read_report, run_link, seconds_left, seed_blocks,
    seeds_in_bin, shown_bins, worker_count, Gathering, Metric, WorkOrder, WorkerReport,
    DEFAULT_RUNS, DEFAULT_TICKS, MAX_LISTED_SEEDS, MIN_RUNS,
};
use crate::format;

/// Where Trunk puts the worker's loader, next to the page.
const WORKER_LOADER: &str = "./ensemble_worker_loader.js";

/// What the panel says about the ensemble.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing has run yet.
    Idle,
    /// Workers are running.
    Running,
    /// Every run is in and the result is shown.
    Done,
    /// The user stopped it.
    Cancelled,
    /// It could not be started or a worker failed.
    Failed,
}

impl Phase {
    fn name(&self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Running => "running",
            Phase::Done => "done",
            Phase::Cancelled => "cancelled",
            Phase::Failed => "failed",
        }
    }
}

/// The workers of the ensemble being run and their event handlers, which must live as long as
/// the workers may call them.
struct Workers {
    workers: Rc<Vec<Worker>>,
    _handlers: Vec<Closure<dyn FnMut(MessageEvent)>>,
    _error_handlers: Vec<Closure<dyn FnMut(ErrorEvent)>>,
}

/// The page's ensemble: the panel's inputs, the progress of the run and its result.
#[derive(Clone, Copy)]
pub struct EnsembleRun {
    scenario: RwSignal<String>,
    runs: RwSignal<String>,
    ticks: RwSignal<String>,
    first_seed: RwSignal<String>,
    phase: RwSignal<Phase>,
    status: RwSignal<String>,
    done: RwSignal<u64>,
    total: RwSignal<u64>,
    estimate: RwSignal<Option<u64>>,
    runs_per_second: RwSignal<Option<f64>>,
    result: RwSignal<Option<Arc<EnsembleResult>>>,
    histogram: RwSignal<Metric>,
    selected_bin: RwSignal<Option<usize>>,
    workers: StoredValue<Option<Workers>, LocalStorage>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

fn stop(workers: &[Worker]) {
    for worker in workers {
        worker.set_onmessage(None);
        worker.set_onerror(None);
        worker.terminate();
    }
}

impl EnsembleRun {
    /// An ensemble panel with its default inputs and nothing run.
    pub fn new() -> EnsembleRun {
        EnsembleRun {
            scenario: RwSignal::new(Scenario::MonteCarlo.name().to_owned()),
            runs: RwSignal::new(DEFAULT_RUNS.to_string()),
            ticks: RwSignal::new(DEFAULT_TICKS.to_string()),
            first_seed: RwSignal::new("0".to_owned()),
            phase: RwSignal::new(Phase::Idle),
            status: RwSignal::new("No ensemble has run in this page yet.".to_owned()),
            done: RwSignal::new(0),
            total: RwSignal::new(0),
            estimate: RwSignal::new(None),
            runs_per_second: RwSignal::new(None),
            result: RwSignal::new(None),
            histogram: RwSignal::new(Metric::Oee),
            selected_bin: RwSignal::new(None),
            workers: StoredValue::new_local(None),
        }
    }

    fn fail(self, text: String) {
        self.phase.set(Phase::Failed);
        self.status.set(text);
        self.estimate.set(None);
    }

    /// Reads the inputs and starts the workers.
    fn start(self) {
        self.cancel_quietly();
        let spec = match read_inputs(
            &self.scenario.get_untracked(),
            &self.runs.get_untracked(),
            &self.ticks.get_untracked(),
            &self.first_seed.get_untracked(),
        ) {
            Ok(spec) => spec,
            Err(text) => return self.fail(text),
        };
        let threads = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency() as usize)
            .unwrap_or(1);
        let blocks = seed_blocks(&spec, worker_count(threads));

        self.result.set(None);
        self.selected_bin.set(None);
        self.runs_per_second.set(None);
        self.done.set(0);
        self.total.set(spec.runs());
        self.estimate.set(None);
        self.phase.set(Phase::Running);
        self.status.set(format!(
            "Running {} runs of {} ticks of {} from seed {} in {} workers.",
            format::thousands(spec.runs()),
            format::thousands(spec.ticks()),
            scenario_words(spec.scenario()),
            spec.first_seed(),
            blocks.len()
        ));

        let mut workers = Vec::with_capacity(blocks.len());
        for _ in &blocks {
            match Worker::new(WORKER_LOADER) {
                Ok(worker) => workers.push(worker),
                Err(error) => {
                    stop(&workers);
                    let why = error.as_string().unwrap_or_else(|| format!("{error:?}"));
                    return self.fail(format!(
                        "The ensemble could not start: the browser refused a Web Worker ({why})."
                    ));
                }
            }
        }
        let workers = Rc::new(workers);
        let gathering = Rc::new(RefCell::new(Gathering::new(spec)));
        let started_ms = now_ms();
        let count = blocks.len();

        let mut handlers = Vec::with_capacity(count);
        let mut error_handlers = Vec::with_capacity(count);
        for (index, seeds) in blocks.into_iter().enumerate() {
            let who = format!(
                "Worker {} of {count} (seeds {} to {})",
                index + 1,
                seeds.start,
                seeds.end - 1
            );
            let order = WorkOrder {
                scenario: spec.scenario(),
                first_seed: seeds.start,
                runs: seeds.end - seeds.start,
                ticks: spec.ticks(),
            };
            let worker = workers[index].clone();
            let all = Rc::clone(&workers);
            let gathering = Rc::clone(&gathering);
            let failed_who = who.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let text = event.data().as_string().unwrap_or_default();
                let report = read_report(&text);
                let outcome = match report {
                    Ok(WorkerReport::Ready) => {
                        let order = serde_json::to_string(&order).expect("orders serialise");
                        if let Err(error) = worker.post_message(&JsValue::from_str(&order)) {
                            stop(&all);
                            self.fail(format!(
                                "{who} could not be given its seeds ({error:?}). The ensemble \
                                 stopped; run it again."
                            ));
                        }
                        return;
                    }
                    Ok(WorkerReport::Outcome(outcome)) => outcome,
                    Err(error) => {
                        stop(&all);
                        return self.fail(format!(
                            "{who} {error}. The ensemble stopped; run it again."
                        ));
                    }
                };
                let mut gathering = gathering.borrow_mut();
                if let Err(error) = gathering.add(outcome) {
                    stop(&all);
                    return self.fail(format!(
                        "{who} {error}. The ensemble stopped; run it again."
                    ));
                }
                let done = gathering.received();
                self.done.set(done);
                let elapsed_ms = now_ms() - started_ms;
                self.estimate
                    .set(seconds_left(done, gathering.expected(), elapsed_ms));
                if done < gathering.expected() {
                    return;
                }
                stop(&all);
                if let Some(result) = gathering.finish() {
                    self.finish(result, elapsed_ms, count);
                }
            });
            let all = Rc::clone(&workers);
            let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                // The panel reports the failure; the browser need not log it as uncaught too.
                event.prevent_default();
                stop(&all);
                let message = event.message();
                let why = if message.is_empty() {
                    "the browser gave no reason".to_owned()
                } else {
                    message
                };
                self.fail(format!(
                    "{failed_who} failed: {why}. The ensemble stopped; run it again."
                ));
            });
            workers[index].set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            workers[index].set_onerror(Some(on_error.as_ref().unchecked_ref()));
            handlers.push(on_message);
            error_handlers.push(on_error);
        }
        self.workers.set_value(Some(Workers {
            workers,
            _handlers: handlers,
            _error_handlers: error_handlers,
        }));
    }

    fn finish(self, result: EnsembleResult, elapsed_ms: f64, workers: usize) {
        let seconds = elapsed_ms / 1000.0;
        let rate = result.runs as f64 / seconds.max(0.001);
        self.runs_per_second.set(Some(rate));
        self.estimate.set(None);
        self.phase.set(Phase::Done);
        self.status.set(format!(
            "{} runs of {} ticks of {} from seed {} took {seconds:.1} s in {workers} workers ({} \
             runs per second).",
            format::thousands(result.runs),
            format::thousands(result.ticks),
            scenario_words(result.scenario),
            result.first_seed,
            format::rate(rate)
        ));
        self.result.set(Some(Arc::new(result)));
    }

    /// Terminates the workers of a running ensemble, if any, and forgets their handlers.
    fn cancel_quietly(self) {
        if let Some(running) = self.workers.try_update_value(Option::take).flatten() {
            stop(&running.workers);
        }
    }

    fn cancel(self) {
        self.cancel_quietly();
        if self.phase.get_untracked() == Phase::Running {
            self.phase.set(Phase::Cancelled);
            self.estimate.set(None);
            self.status.set(format!(
                "Ensemble cancelled after {} of {} runs; nothing was kept.",
                format::thousands(self.done.get_untracked()),
                format::thousands(self.total.get_untracked())
            ));
        }
    }
}

/// The scenario as the panel's sentences name it.
fn scenario_words(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::MonteCarlo => "Monte Carlo",
        Scenario::Scripted => "the scripted brew day",
    }
}

impl Default for EnsembleRun {
    fn default() -> EnsembleRun {
        EnsembleRun::new()
    }
}

/// The Ensemble tab.
#[component]
pub fn EnsembleView() -> impl IntoView {
    let run = expect_context::<EnsembleRun>();
    let running = move || run.phase.get() == Phase::Running;
    let estimate = move || match (run.phase.get(), run.estimate.get()) {
        (Phase::Running, Some(seconds)) => format!("About {seconds} s left"),
        (Phase::Running, None) => "Estimating the time left…".to_owned(),
        _ => String::new(),
    };
    view! {
        <div class="ensemble-view">
            <form
                class="ensemble-inputs"
                novalidate=true
                on:submit=move |ev| {
                    ev.prevent_default();
                    run.start();
                }
            >
                <label>
                    "Scenario"
                    <select
                        data-ensemble-input="scenario"
                        prop:value=move || run.scenario.get()
                        on:change=move |ev| {
                            let name = event_target_value(&ev);
                            // A scripted day is at most so many ticks; a longer Monte Carlo
                            // length is brought down to it rather than refused.
                            if let Some(scenario) = Scenario::from_name(&name) {
                                let longest = max_ticks(scenario);
                                let ticks = run.ticks.get_untracked().trim().parse::<u64>();
                                if ticks.is_ok_and(|t| t > longest) {
                                    run.ticks.set(longest.to_string());
                                }
                            }
                            run.scenario.set(name);
                        }
                    >
                        <option value=Scenario::MonteCarlo.name()>"Monte Carlo"</option>
                        <option value=Scenario::Scripted.name()>"Scripted brew day"</option>
                    </select>
                </label>
                <label>
                    "Runs"
                    <input
                        type="number"
                        min=MIN_RUNS
                        max=MAX_RUNS
                        data-ensemble-input="runs"
                        prop:value=move || run.runs.get()
                        on:input=move |ev| run.runs.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Ticks per run"
                    <input
                        type="number"
                        min="1"
                        max=move || {
                            Scenario::from_name(&run.scenario.get()).map(max_ticks)
                        }
                        data-ensemble-input="ticks"
                        prop:value=move || run.ticks.get()
                        on:input=move |ev| run.ticks.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "First seed"
                    <input
                        type="number"
                        min="0"
                        data-ensemble-input="first-seed"
                        prop:value=move || run.first_seed.get()
                        on:input=move |ev| run.first_seed.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" disabled=running>"Run"</button>
                <button type="button" disabled=move || !running() on:click=move |_| run.cancel()>
                    "Cancel"
                </button>
            </form>
            <div class="ensemble-progress">
                <progress
                    max=move || run.total.get().max(1)
                    value=move || run.done.get()
                    aria-label="Runs done"
                ></progress>
                <span data-ensemble-done>
                    {move || {
                        format!(
                            "{} of {} runs",
                            format::thousands(run.done.get()),
                            format::thousands(run.total.get()),
                        )
                    }}
                </span>
                <span data-ensemble-estimate>{estimate}</span>
            </div>
            <p
                class="ensemble-status"
                role="status"
                data-ensemble-phase=move || run.phase.get().name()
                data-runs-per-second=move || run.runs_per_second.get().map(|r| format!("{r:.1}"))
            >
                {move || run.status.get()}
            </p>
            {move || run.result.get().map(|result| view! { <EnsembleResults result /> })}
        </div>
    }
}

/// Everything computed from a finished ensemble.
#[component]
fn EnsembleResults(result: Arc<EnsembleResult>) -> impl IntoView {
    let percentiles = Metric::RUN_LEVEL
        .into_iter()
        .map(|metric| {
            let (key, d) = (metric.key(), metric.distribution(&result));
            view! {
                <tr>
                    <th scope="row">{metric.label()}</th>
                    <td data-percentile=format!("{key}.p5")>{figure(d.p5, d.unit)}</td>
                    <td data-percentile=format!("{key}.p50")>{figure(d.p50, d.unit)}</td>
                    <td data-percentile=format!("{key}.p95")>{figure(d.p95, d.unit)}</td>
                </tr>
            }
        })
        .collect_view();
    let rules = result
        .rules
        .iter()
        .zip(RULES.iter())
        .map(|(stats, info)| {
            let f = &stats.firings;
            view! {
                <tr>
                    <th scope="row" title=info.title>{stats.rule}</th>
                    <td data-runs-fired=stats.rule>{format::thousands(stats.runs_fired)}</td>
                    <td data-rule-percentile=format!("{}.p5", stats.rule)>{figure(f.p5, f.unit)}</td>
                    <td data-rule-percentile=format!("{}.p50", stats.rule)>{figure(f.p50, f.unit)}</td>
                    <td data-rule-percentile=format!("{}.p95", stats.rule)>{figure(f.p95, f.unit)}</td>
                </tr>
            }
        })
        .collect_view();
    let co_header = RULES
        .iter()
        .map(|r| view! { <th scope="col">{&r.id[2..]}</th> })
        .collect_view();
    let co_rows = result
        .co_occurrence
        .iter()
        .enumerate()
        .map(|(a, row)| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(b, n)| {
                    view! {
                        <td data-co-occurrence=format!("{}.{}", RULES[a].id, RULES[b].id)>
                            {format::thousands(*n)}
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{RULES[a].id}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="ensemble-results">
            <section aria-label="Percentiles">
                <h3>"Percentiles over the runs"</h3>
                <table class="ensemble-table">
                    <thead>
                        <tr>
                            <th scope="col">"Metric"</th>
                            <th scope="col">"P5"</th>
                            <th scope="col">"P50"</th>
                            <th scope="col">"P95"</th>
                        </tr>
                    </thead>
                    <tbody>{percentiles}</tbody>
                </table>
            </section>
            <MetricHistogram result=Arc::clone(&result) />
            <section aria-label="Firings per rule">
                <h3>"Firings per rule"</h3>
                <table class="ensemble-table">
                    <thead>
                        <tr>
                            <th scope="col">"Rule"</th>
                            <th scope="col">"Runs it fired in"</th>
                            <th scope="col">"P5"</th>
                            <th scope="col">"P50"</th>
                            <th scope="col">"P95"</th>
                        </tr>
                    </thead>
                    <tbody>{rules}</tbody>
                </table>
            </section>
            <section aria-label="Rules firing in the same runs">
                <h3>"Runs in which both rules fired"</h3>
                <table class="ensemble-table co-occurrence">
                    <thead>
                        <tr><th scope="col">"Rule"</th>{co_header}</tr>
                    </thead>
                    <tbody>{co_rows}</tbody>
                </table>
            </section>
        </div>
    }
}

/// Width and height of the histogram's drawing, in SVG units.
const HISTOGRAM_SIZE: (f64, f64) = (400.0, 150.0);

/// Height kept under the bars for the axis labels, in SVG units.
const AXIS_HEIGHT: f64 = 16.0;

/// Most labels under a histogram's axis.
const AXIS_LABELS: usize = 5;

/// A bin edge under the axis: whole percentages, counts and minutes with separators (the
/// heading names the unit).
fn axis_figure(value: u64, unit: &str) -> String {
    match unit {
        "bp" => format!("{} %", value / 100),
        "%" => format!("{value} %"),
        _ => format::thousands(value),
    }
}

/// The histogram of one metric, chosen from a list; clicking a bar lists the seeds in it,
/// each a link to the console replaying that run.
#[component]
fn MetricHistogram(result: Arc<EnsembleResult>) -> impl IntoView {
    let run = expect_context::<EnsembleRun>();
    let (metric, selected) = (run.histogram, run.selected_bin);

    let groups = [
        ("Runs", Metric::RUN_LEVEL.to_vec()),
        (
            "Rule firings",
            Metric::all()
                .filter(|m| matches!(m, Metric::Firings(_)))
                .collect(),
        ),
    ]
    .into_iter()
    .map(|(name, metrics)| {
        let options = metrics
            .into_iter()
            .map(|m| view! { <option value=m.key()>{m.label()}</option> })
            .collect_view();
        view! { <optgroup label=name>{options}</optgroup> }
    })
    .collect_view();

    let chart_result = Arc::clone(&result);
    let chart = move || {
        let metric = metric.get();
        let distribution = metric.distribution(&chart_result);
        let unit = distribution.unit;
        let histogram = &distribution.histogram;
        let edges = histogram.lower_edges.clone();
        let bins = shown_bins(&histogram.counts, unit);
        let (width, height) = HISTOGRAM_SIZE;
        let plot = height - AXIS_HEIGHT;
        let column = width / bins as f64;
        let tallest = histogram.counts.iter().copied().max().unwrap_or(1).max(1) as f64;

        let bars = histogram.counts[..bins]
            .iter()
            .enumerate()
            .map(|(bin, &count)| {
                let bar = plot * count as f64 / tallest;
                let x = bin as f64 * column;
                let label = format!(
                    "{}: {} runs",
                    bin_range(&edges, bin, unit),
                    format::thousands(count)
                );
                view! {
                    <g
                        class="histogram-bin"
                        class:selected=move || selected.get() == Some(bin)
                        data-histogram-bin=bin
                        data-count=count
                        role="button"
                        tabindex="0"
                        aria-label=label.clone()
                        on:click=move |_| selected.set(Some(bin))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                selected.set(Some(bin));
                            }
                        }
                    >
                        <title>{label.clone()}</title>
                        <rect class="histogram-hit" x=x y="0" width=column height=plot />
                        <rect
                            class="histogram-bar"
                            x=x + 1.0
                            y=plot - bar
                            width=(column - 2.0).max(1.0)
                            height=bar
                        />
                    </g>
                }
            })
            .collect_view();

        // The lower edge of every few bins, and the upper end of the scale where it has one.
        let step = bins.div_ceil(AXIS_LABELS).max(1);
        let mut labels: Vec<(f64, String)> = (0..bins)
            .step_by(step)
            .map(|bin| (bin as f64 * column, axis_figure(edges[bin], unit)))
            .collect();
        let top = match unit {
            "bp" => Some(10_000),
            "%" => Some(100),
            _ => edges.get(bins).copied(),
        };
        if let Some(top) = top.filter(|_| bins.is_multiple_of(step)) {
            labels.push((width, axis_figure(top, unit)));
        }
        let axis = labels
            .into_iter()
            .map(|(x, text)| {
                let anchor = if x <= 0.0 {
                    "start"
                } else if x >= width {
                    "end"
                } else {
                    "middle"
                };
                view! { <text x=x y=height - 3.0 text-anchor=anchor>{text}</text> }
            })
            .collect_view();
        let unit_words = match unit {
            "minutes" => " (plant minutes)",
            "count" => " (count)",
            _ => "",
        };
        view! {
            <svg
                class="histogram"
                viewBox=format!("0 0 {width} {height}")
                role="group"
                aria-label=format!("Runs per bin of {}{unit_words}", metric.label())
                data-histogram-of=metric.key()
            >
                {bars}
                {axis}
            </svg>
            <p class="hint">{format!("Horizontal axis: {}{unit_words}.", metric.label())}</p>
        }
    };

    let ticks = result.ticks;
    let scenario = result.scenario;
    let listed = move || {
        let bin = selected.get()?;
        let metric = metric.get();
        let distribution = metric.distribution(&result);
        let edges = &distribution.histogram.lower_edges;
        let seeds = seeds_in_bin(&result.outcomes, |o| metric.value(o), edges, bin);
        let more = seeds.len().saturating_sub(MAX_LISTED_SEEDS);
        let heading = format!(
            "{} — {}: {} runs",
            metric.label(),
            bin_range(edges, bin, distribution.unit),
            format::thousands(seeds.len() as u64)
        );
        let links = seeds
            .into_iter()
            .take(MAX_LISTED_SEEDS)
            .map(|seed| {
                view! {
                    <li>
                        <a href=run_link(scenario, seed, ticks) data-seed=seed>
                            {format!("seed {seed}")}
                        </a>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="bin-seeds" data-bin-seeds=bin>
                <p>{heading}</p>
                <ul>{links}</ul>
                {(more > 0).then(|| view! { <p>{format!("…and {more} more seeds.")}</p> })}
            </div>
        })
    };
    view! {
        <section aria-label="Histogram">
            <h3>"Runs per bin"</h3>
            <label class="histogram-choice">
                "Histogram of "
                <select
                    data-histogram-metric
                    prop:value=move || metric.get().key()
                    on:change=move |ev| {
                        if let Some(chosen) = Metric::from_key(&event_target_value(&ev)) {
                            selected.set(None);
                            metric.set(chosen);
                        }
                    }
                >
                    {groups}
                </select>
            </label>
            <p class="hint">"Choose a bar to list its seeds; each opens that run in the console."</p>
            {chart}
            {listed}
        </section>
    }
}
