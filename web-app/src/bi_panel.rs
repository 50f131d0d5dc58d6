//! The BI tab: figures and charts over the run's history, filtered by window, granularity,
//! FBE and fact, with the history as CSV and the run's summary as JSON to download.
//!
//! The report is recomputed from the driver's history when a filter changes, and while the
//! plant runs at most once a second (always once more when it stops). The charts are drawn on
//! canvases with plotters, each series decimated to the canvas's pixel width first.

use std::sync::Arc;

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use twin::catalog::{FACTS, FBES};
use twin::history::analysis::{
    self, plant_time, Filter, ParetoBar, Report, SynopticStatus, CORRELATION_FACTS, GRANULARITIES,
    WINDOWS,
};
use twin::history::DETAIL_MINUTES;
use wasm_bindgen::JsCast;

use crate::app::DriverHandle;
use crate::bi::{chartable_facts, decimate, file_name, read_filter};
use crate::clock::now_ms;
use crate::format;
use crate::store::Store;

/// Shortest wall time between two recomputations while the plant runs.
const REFRESH_MS: f64 = 1000.0;

/// Size of a chart's canvas in pixels.
pub(crate) const CHART_SIZE: (u32, u32) = (640, 220);

/// The BI view's state, kept by the page so that switching views keeps the filter.
#[derive(Clone, Copy)]
pub struct BiState {
    filter: RwSignal<Filter>,
    report: RwSignal<Option<Arc<Report>>>,
    computed_ms: RwSignal<Option<f64>>,
    /// Wall time of the last recomputation and the history version it read.
    last: StoredValue<(f64, u64)>,
    pending: StoredValue<bool>,
    status: RwSignal<String>,
}

impl BiState {
    /// A BI view with the default filter and nothing computed.
    pub fn new() -> BiState {
        BiState {
            filter: RwSignal::new(Filter::default()),
            report: RwSignal::new(None),
            computed_ms: RwSignal::new(None),
            last: StoredValue::new((f64::NEG_INFINITY, u64::MAX)),
            pending: StoredValue::new(false),
            status: RwSignal::new(String::new()),
        }
    }

    /// Recomputes the report from the history now.
    fn recompute(self, driver: DriverHandle) {
        let filter = self.filter.get_untracked();
        let started = now_ms();
        let (report, version) =
            driver.with_value(|d| (analysis::report(d.history(), &filter), d.history_version()));
        let took = now_ms() - started;
        self.last.set_value((now_ms(), version));
        self.computed_ms.set(Some(took));
        self.report.set(report.map(Arc::new));
    }

    /// Recomputes now if the last recomputation is old enough, else once it is.
    fn refresh(self, driver: DriverHandle) {
        let (at, version) = self.last.get_value();
        if driver.with_value(|d| d.history_version()) == version {
            return;
        }
        let wait = at + REFRESH_MS - now_ms();
        if wait <= 0.0 {
            self.recompute(driver);
        } else if !self.pending.get_value() {
            self.pending.set_value(true);
            set_timeout(
                move || {
                    self.pending.set_value(false);
                    self.recompute(driver);
                },
                std::time::Duration::from_millis(wait.ceil() as u64),
            );
        }
    }
}

impl Default for BiState {
    fn default() -> BiState {
        BiState::new()
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{x:.2} %"))
}

fn number(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{x:.2}"))
}

/// Offers `text` to the browser as a file called `name`.
pub(crate) fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str, e: wasm_bindgen::JsValue| format!("{what} ({e:?})");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| fail("the browser could not hold the file", e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|e| fail("the browser gave the file no address", e))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("the page has no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| fail("no link could be made", e))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The BI tab.
#[component]
pub fn BiView() -> impl IntoView {
    let state = expect_context::<BiState>();
    let driver = expect_context::<DriverHandle>();
    let store = expect_context::<Store>();
    let (filter, report) = (state.filter, state.report);

    // A filter change recomputes at once; ticks recompute at most once a second, and the
    // end of a run once more.
    Effect::new(move |_| {
        filter.track();
        state.recompute(driver);
    });
    let (tick, run) = (store.tick, store.run);
    Effect::new(move |_| {
        tick.track();
        if run.get().is_running() {
            state.refresh(driver);
        } else {
            state.recompute(driver);
        }
    });

    let select = move |window: Option<&str>,
                       granularity: Option<&str>,
                       fbe: Option<&str>,
                       fact: Option<&str>| {
        filter.update(|f| *f = read_filter(*f, window, granularity, fbe, fact));
    };
    let window_options = WINDOWS
        .iter()
        .map(|(_, name, label)| view! { <option value=*name>{*label}</option> })
        .collect_view();
    let granularity_options = GRANULARITIES
        .iter()
        .map(|(_, name, label)| view! { <option value=*name>{*label}</option> })
        .collect_view();
    let fbe_options = FBES
        .iter()
        .map(|f| view! { <option value=f.id>{format!("{} · {}", f.id, f.name)}</option> })
        .collect_view();
    let fact_options = move || {
        chartable_facts(filter.get().fbe)
            .into_iter()
            .map(|id| {
                let info = &FACTS[id.index()];
                let unit = if info.unit.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", info.unit)
                };
                view! { <option value=info.name>{format!("{}{unit}", info.name)}</option> }
            })
            .collect_view()
    };

    let export_csv = move |_| {
        let f = filter.get_untracked();
        let result = driver.with_value(|d| {
            let config = d.twin().config();
            let name = file_name(
                "history",
                config.scenario.name(),
                config.seed,
                d.twin().tick(),
                "csv",
            );
            let text = analysis::csv(d.history(), f.window, f.fbe);
            let rows = text.matches("\r\n").count().saturating_sub(1);
            download(&name, "text/csv", &text).map(|()| (name, rows))
        });
        state.status.set(match result {
            Ok((name, rows)) => format!(
                "Saved {name}: {} fact changes.",
                format::thousands(rows as u64)
            ),
            Err(why) => format!("The CSV could not be saved: {why}."),
        });
    };
    let export_summary = move |_| {
        let result = driver.with_value(|d| {
            let config = d.twin().config();
            let name = file_name(
                "summary",
                config.scenario.name(),
                config.seed,
                d.twin().tick(),
                "json",
            );
            let summary = twin::summary::summarize(d.twin());
            let text = serde_json::to_string_pretty(&summary).expect("summaries serialise");
            download(&name, "application/json", &text).map(|()| name)
        });
        state.status.set(match result {
            Ok(name) => format!("Saved {name}."),
            Err(why) => format!("The summary could not be saved: {why}."),
        });
    };

    let size = move || {
        tick.track();
        report.track();
        driver.with_value(|d| {
            let size = d.history().size();
            format!(
                "History of {} ticks: {} fact changes ({} kept in detail), {:.2} MiB in memory.",
                format::thousands(size.ticks),
                format::thousands(size.changes_total),
                format::thousands(size.changes_kept as u64),
                size.memory_bytes as f64 / (1024.0 * 1024.0)
            )
        })
    };

    view! {
        <div class="bi-view">
            <form class="bi-filters" on:submit=|ev| ev.prevent_default()>
                <label>
                    "Window"
                    <select
                        data-bi-filter="window"
                        prop:value=move || filter.get().window.name()
                        on:change=move |ev| select(Some(&event_target_value(&ev)), None, None, None)
                    >
                        {window_options}
                    </select>
                </label>
                <label>
                    "Granularity"
                    <select
                        data-bi-filter="granularity"
                        prop:value=move || filter.get().granularity.name()
                        on:change=move |ev| select(None, Some(&event_target_value(&ev)), None, None)
                    >
                        {granularity_options}
                    </select>
                </label>
                <label>
                    "Equipment"
                    <select
                        data-bi-filter="fbe"
                        prop:value=move || filter.get().fbe.map_or("all", |f| FBES[f].id)
                        on:change=move |ev| select(None, None, Some(&event_target_value(&ev)), None)
                    >
                        <option value="all">"All equipment"</option>
                        {fbe_options}
                    </select>
                </label>
                <label>
                    "Fact"
                    {move || {
                        view! {
                            <select
                                data-bi-filter="fact"
                                prop:value=move || FACTS[filter.get().fact.index()].name
                                on:change=move |ev| {
                                    select(None, None, None, Some(&event_target_value(&ev)))
                                }
                            >
                                {fact_options()}
                            </select>
                        }
                    }}
                </label>
                <button type="button" on:click=export_csv>"Export CSV"</button>
                <button type="button" on:click=export_summary>"Export summary (JSON)"</button>
            </form>
            <p class="hint">
                "Models trained on this history, and their predictions: "
                <crate::app::PageLink page=crate::settings::Page::Predictions>
                    "the ML predictions page"
                </crate::app::PageLink>
                "."
            </p>
            <p class="bi-status" role="status">{move || state.status.get()}</p>
            <p
                class="hint"
                data-bi-recompute-ms=move || state.computed_ms.get().map(|ms| format!("{ms:.2}"))
            >
                {size}
                {move || {
                    state.computed_ms.get().map(|ms| format!(" Figures recomputed in {ms:.1} ms."))
                }}
            </p>
            <crate::kept_runs::KeptRunsList />
            {move || match report.get() {
                None => view! {
                    <p class="bi-empty" data-bi-empty>
                        "No data for this period: the plant has not run yet. Start Monte Carlo, \
                         run the scripted day or replay a link, and the figures appear here."
                    </p>
                }
                    .into_any(),
                Some(r) => view! { <BiReport report=r filter=filter.get() /> }.into_any(),
            }}
        </div>
    }
}

/// Everything computed for one filter.
#[component]
fn BiReport(report: Arc<Report>, filter: Filter) -> impl IntoView {
    let fact = &FACTS[filter.fact.index()];
    let k = report.kpis;
    let window_words = match report.from_minute {
        Some(from) => format!("{} to {}", plant_time(from), plant_time(report.to_minute)),
        None => format!("start of the run to {}", plant_time(report.to_minute)),
    };
    let coverage = report.coverage.granularity_from.map(|from| {
        let kept = match analysis::retention(filter.granularity) {
            Some(minutes) if minutes == DETAIL_MINUTES => "the last 7 plant days",
            Some(_) => "the last 90 plant days",
            None => "the whole run",
        };
        format!(
            "Buckets of {} are kept for {kept}; this window starts earlier, so the charts begin \
             at {}. Choose a coarser granularity to see older data.",
            filter.granularity.name(),
            plant_time(from)
        )
    });
    let detail = report.coverage.detail_from.map(|from| {
        format!(
            "Single fact changes are kept for the last 7 plant days: the CSV starts at {}.",
            plant_time(from)
        )
    });
    let cards = [
        ("oee", "OEE", pct(k.oee)),
        ("availability", "Availability", pct(k.availability)),
        ("performance", "Performance", pct(k.performance)),
        ("quality", "Quality", pct(k.quality)),
        ("anomalies", "Anomalies", format::thousands(k.anomalies)),
        ("firings", "Rule firings", format::thousands(k.firings)),
    ]
    .into_iter()
    .map(|(key, label, value)| {
        view! {
            <div class="kpi-card">
                <span class="kpi-label">{label}</span>
                <span class="kpi-value" data-kpi=key>{value}</span>
            </div>
        }
    })
    .collect_view();

    let control_figures = report.control.as_ref().map(|c| {
        let figure = |key: &'static str, label: &'static str, x: f64| {
            view! {
                <span>
                    {label} " "
                    <strong data-control=key data-value=x.to_string()>{format!("{x:.3}")}</strong>
                </span>
            }
        };
        view! {
            <p class="control-figures">
                {figure("cl", "CL", c.cl)}
                {figure("ucl", "UCL", c.ucl)}
                {figure("lcl", "LCL", c.lcl)}
                {figure("amr", "AMR", c.amr)}
                <span data-control="out">
                    {format!("{} of {} points out of limits", c.out_of_limits.len(), report.series.len())}
                </span>
            </p>
        }
    });

    let unit = fact.unit;
    let correlation_head = CORRELATION_FACTS
        .iter()
        .map(|f| {
            let info = &FACTS[f.index()];
            view! { <th scope="col">{format!("{} ({})", info.name, info.unit)}</th> }
        })
        .collect_view();
    let correlation_rows = report
        .correlation
        .iter()
        .map(|row| {
            let cells = row
                .means
                .iter()
                .map(|m| view! { <td>{number(*m)}</td> })
                .collect_view();
            view! { <tr><th scope="row">{plant_time(row.minute)}</th>{cells}</tr> }
        })
        .collect_view();
    let synoptic_rows = report
        .synoptic
        .iter()
        .map(|row| {
            let info = &FBES[row.fbe];
            let key = &FACTS[info.key_fact.index()];
            let (class, words) = match row.status {
                SynopticStatus::Normal => ("status-normal", "normal"),
                SynopticStatus::Warning => ("status-warning", "anomalies"),
                SynopticStatus::NoData => ("status-none", "no data"),
            };
            view! {
                <tr data-synoptic=info.id class=class>
                    <th scope="row">{format!("{} {}", info.id, info.name)}</th>
                    <td>{format!("{} ({})", key.name, key.unit)}</td>
                    <td>{number(row.mean)}</td>
                    <td>{number(row.max)}</td>
                    <td>{format::thousands(row.anomalies)}</td>
                    <td>{words}</td>
                </tr>
            }
        })
        .collect_view();

    let trend = Arc::clone(&report);
    let series = Arc::clone(&report);
    let control = Arc::clone(&report);
    let anomalies = report.anomaly_pareto.clone();
    let firings = report.firing_pareto.clone();
    view! {
        <p class="hint">{format!("Window: {window_words}, in buckets of {}.", filter.granularity.name())}</p>
        {coverage.map(|text| view! { <p class="bi-note">{text}</p> })}
        <div class="kpi-cards">{cards}</div>
        <section class="bi-chart" aria-label="OEE trend">
            <h3>"OEE trend with availability, performance and quality (%)"</h3>
            <Chart name="oee-trend" points=trend.oee_trend.len() draw=move |area| draw_trend(area, &trend) />
            {trend_legend()}
        </section>
        <section class="bi-chart" aria-label="Time series">
            <h3>{format!("{} ({}): mean per bucket, with its range", fact.name, if unit.is_empty() { "no unit" } else { unit })}</h3>
            <Chart name="series" points=series.series.len() draw=move |area| draw_series(area, &series, unit) />
        </section>
        <section class="bi-chart" aria-label="Control chart">
            <h3>{format!("Individuals control chart of {}: CL ± 2.66 × AMR", fact.name)}</h3>
            {control_figures}
            <Chart
                name="control"
                points=if control.control.is_some() { control.series.len() } else { 0 }
                empty="No data for this period: control limits need at least two buckets. Choose a longer window or a finer granularity."
                draw=move |area| draw_control(area, &control, unit)
            />
        </section>
        <div class="bi-paretos">
            <section class="bi-chart" aria-label="Anomalies by fact">
                <h3>"Anomalies by fact"</h3>
                <Chart
                    name="anomaly-pareto"
                    points=anomalies.len()
                    empty="No anomaly in this period."
                    draw=move |area| draw_pareto(area, &anomalies)
                />
            </section>
            <section class="bi-chart" aria-label="Firings by rule">
                <h3>"Firings by rule"</h3>
                <Chart
                    name="firing-pareto"
                    points=firings.len()
                    empty="No rule fired in this period."
                    draw=move |area| draw_pareto(area, &firings)
                />
            </section>
        </div>
        <section aria-label="Synoptic">
            <h3>"Synoptic: each piece of equipment's key fact in the window"</h3>
            <table class="bi-table">
                <thead>
                    <tr>
                        <th scope="col">"Equipment"</th>
                        <th scope="col">"Key fact"</th>
                        <th scope="col">"Mean"</th>
                        <th scope="col">"Max"</th>
                        <th scope="col">"Anomalies"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>{synoptic_rows}</tbody>
            </table>
        </section>
        <section aria-label="Lauter and fermentation correlation">
            <h3>"Lauter and fermenter A: means of the latest buckets"</h3>
            <table class="bi-table" data-correlation>
                <thead><tr><th scope="col">"Bucket"</th>{correlation_head}</tr></thead>
                <tbody>{correlation_rows}</tbody>
            </table>
        </section>
        {detail.map(|text| view! { <p class="hint">{text}</p> })}
    }
}

pub(crate) type DrawResult = Result<(), String>;

/// A canvas that `draw` paints once it is in the page, or a plain sentence when there is
/// nothing to draw.
#[component]
pub(crate) fn Chart(
    name: &'static str,
    points: usize,
    /// What to say instead of the chart when there are no points.
    #[prop(default = "No data for this period.")]
    empty: &'static str,
    draw: impl Fn(&DrawingArea<CanvasBackend, Shift>) -> DrawResult + 'static,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let failure = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(element) = canvas.get() else { return };
        let element: web_sys::HtmlCanvasElement = element;
        let Some(backend) = CanvasBackend::with_canvas_object(element) else {
            failure.set(Some("This browser cannot draw on a canvas.".to_owned()));
            return;
        };
        let area = backend.into_drawing_area();
        let outcome = area
            .fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|()| draw(&area))
            .and_then(|()| area.present().map_err(|e| e.to_string()));
        if let Err(why) = outcome {
            failure.set(Some(format!("The chart could not be drawn: {why}.")));
        }
    });
    if points == 0 {
        return view! { <p class="bi-empty" data-chart-empty=name>{empty}</p> }.into_any();
    }
    view! {
        <canvas
            node_ref=canvas
            class="bi-canvas"
            width=CHART_SIZE.0
            height=CHART_SIZE.1
            data-chart=name
            data-points=points
            role="img"
            aria-label=format!("Chart: {name}, {points} points")
        ></canvas>
        {move || failure.get().map(|text| view! { <p class="bi-note">{text}</p> })}
    }
    .into_any()
}

/// Colours of the lines: dark grey for the main figure, calm hues for the others.
pub(crate) const INK: RGBColor = RGBColor(40, 44, 52);
pub(crate) const GREEN: RGBColor = RGBColor(46, 125, 50);
pub(crate) const AMBER: RGBColor = RGBColor(191, 120, 0);
pub(crate) const BLUE: RGBColor = RGBColor(30, 90, 170);
pub(crate) const RED: RGBColor = RGBColor(190, 30, 30);
pub(crate) const BAND: RGBColor = RGBColor(200, 205, 212);

/// The x range of a chart of buckets from `first` to `last`, never empty.
pub(crate) fn x_range(first: u64, last: u64) -> std::ops::Range<f64> {
    let (a, b) = (first as f64, last as f64);
    if b > a {
        a..b
    } else {
        a - 1.0..a + 1.0
    }
}

/// A y range holding every value with a little room, never empty.
pub(crate) fn y_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        low = low.min(v);
        high = high.max(v);
    }
    if !low.is_finite() {
        return 0.0..1.0;
    }
    let room = ((high - low) * 0.08).max(high.abs().max(1.0) * 0.01);
    low - room..high + room
}

/// A chart over plant time on `area`: times along the bottom, values on the left labelled by
/// `y_label` in `label_width` pixels, and a light grid.
pub(crate) fn time_chart<'a>(
    area: &'a DrawingArea<CanvasBackend, Shift>,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    label_width: u32,
    y_label: &dyn Fn(&f64) -> String,
) -> Result<TimeChart<'a>, String> {
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .x_label_area_size(26)
        .y_label_area_size(label_width)
        .build_cartesian_2d(x, y)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&time_label)
        .y_label_formatter(y_label)
        .light_line_style(WHITE)
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(chart)
}

/// A chart with plant time along x and values along y.
pub(crate) type TimeChart<'a> = ChartContext<
    'a,
    CanvasBackend,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A tick label of a value axis: as few decimals as the magnitude needs.
pub(crate) fn compact(v: f64) -> String {
    match v.abs() {
        a if a >= 100.0 => format!("{v:.0}"),
        a if a >= 10.0 => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    }
}

fn time_label(x: &f64) -> String {
    plant_time(x.max(0.0).round() as u64)
}

pub(crate) fn columns() -> usize {
    CHART_SIZE.0 as usize
}

/// A line of the OEE trend: label, colour, width and the figure it draws.
type TrendLine = (
    &'static str,
    RGBColor,
    u32,
    fn(&analysis::TrendPoint) -> f64,
);

/// The OEE trend's lines, OEE last so that it is drawn on top.
const TREND_LINES: [TrendLine; 4] = [
    ("Availability", GREEN, 1, |p| p.availability),
    ("Performance", AMBER, 1, |p| p.performance),
    ("Quality", BLUE, 1, |p| p.quality),
    ("OEE", INK, 3, |p| p.oee),
];

/// The key of the OEE trend's lines, in HTML under the chart.
fn trend_legend() -> impl IntoView {
    let items = TREND_LINES
        .iter()
        .rev()
        .map(|(label, colour, width, _)| {
            let style = format!(
                "border-top: {}px solid rgb({}, {}, {})",
                width + 1,
                colour.0,
                colour.1,
                colour.2
            );
            view! { <li><span class="legend-swatch" style=style></span>{*label}</li> }
        })
        .collect_view();
    view! { <ul class="chart-legend">{items}</ul> }
}

fn draw_trend(area: &DrawingArea<CanvasBackend, Shift>, report: &Report) -> DrawResult {
    let points = &report.oee_trend;
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Ok(());
    };
    let mut chart = time_chart(
        area,
        x_range(first.minute, last.minute),
        0.0..100.0,
        44,
        &|y| format!("{y:.0} %"),
    )?;
    for (_, colour, width, get) in TREND_LINES {
        let series: Vec<(f64, f64)> = points.iter().map(|p| (p.minute as f64, get(p))).collect();
        chart
            .draw_series(LineSeries::new(
                decimate(&series, columns()),
                colour.stroke_width(width),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn draw_series(
    area: &DrawingArea<CanvasBackend, Shift>,
    report: &Report,
    unit: &'static str,
) -> DrawResult {
    let points = &report.series;
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Ok(());
    };
    let y = y_range(points.iter().flat_map(|p| [p.min, p.max]));
    let mut chart = time_chart(area, x_range(first.minute, last.minute), y, 76, &|v| {
        format!("{} {unit}", compact(*v))
    })?;
    let lows: Vec<(f64, f64)> = points.iter().map(|p| (p.minute as f64, p.min)).collect();
    let highs: Vec<(f64, f64)> = points.iter().map(|p| (p.minute as f64, p.max)).collect();
    let means: Vec<(f64, f64)> = points.iter().map(|p| (p.minute as f64, p.mean)).collect();
    for (line, colour, width) in [(&lows, BAND, 1), (&highs, BAND, 1), (&means, INK, 2)] {
        chart
            .draw_series(LineSeries::new(
                decimate(line, columns()),
                colour.stroke_width(width),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn draw_control(
    area: &DrawingArea<CanvasBackend, Shift>,
    report: &Report,
    unit: &'static str,
) -> DrawResult {
    let (points, Some(c)) = (&report.series, report.control.as_ref()) else {
        return Ok(());
    };
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Ok(());
    };
    let y = y_range(points.iter().map(|p| p.mean).chain([c.ucl, c.lcl]));
    let mut chart = time_chart(area, x_range(first.minute, last.minute), y, 76, &|v| {
        format!("{} {unit}", compact(*v))
    })?;
    let (x0, x1) = (first.minute as f64, last.minute as f64);
    for (level, colour, dashed) in [(c.cl, INK, false), (c.ucl, RED, true), (c.lcl, RED, true)] {
        if dashed {
            let dashes = 60;
            let step = (x1 - x0) / f64::from(dashes);
            chart
                .draw_series((0..dashes).step_by(2).map(|i| {
                    let a = x0 + step * f64::from(i);
                    PathElement::new([(a, level), (a + step, level)], colour.stroke_width(1))
                }))
                .map_err(|e| e.to_string())?;
        } else {
            chart
                .draw_series(LineSeries::new(
                    [(x0, level), (x1, level)],
                    colour.stroke_width(1),
                ))
                .map_err(|e| e.to_string())?;
        }
    }
    let means: Vec<(f64, f64)> = points.iter().map(|p| (p.minute as f64, p.mean)).collect();
    chart
        .draw_series(LineSeries::new(
            decimate(&means, columns()),
            BLUE.stroke_width(1),
        ))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(
            c.out_of_limits
                .iter()
                .map(|&i| Circle::new((points[i].minute as f64, points[i].mean), 3, RED.filled())),
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn draw_pareto(area: &DrawingArea<CanvasBackend, Shift>, bars: &[ParetoBar]) -> DrawResult {
    let Some(top) = bars.first().map(|b| b.count) else {
        return Ok(());
    };
    let labels: Vec<&str> = bars.iter().map(|b| b.label).collect();
    let rows = bars.len();
    // Bars run left to right, the largest at the top; the labels sit on the vertical axis.
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .x_label_area_size(34)
        .y_label_area_size(180)
        .build_cartesian_2d(0..top + top / 3 + 1, (0..rows).into_segmented())
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(5)
        .y_labels(rows)
        .x_desc("count in the window")
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels
                .get(rows - 1 - *i)
                .map(|l| (*l).to_owned())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .light_line_style(WHITE)
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, bar)| {
            let row = rows - 1 - i;
            Rectangle::new(
                [
                    (0, SegmentValue::Exact(row)),
                    (bar.count, SegmentValue::Exact(row + 1)),
                ],
                INK.mix(0.7).filled(),
            )
        }))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, bar)| {
            Text::new(
                format!(" {} · {:.0} % cumulative", bar.count, bar.cumulative_pct),
                (bar.count, SegmentValue::CenterOf(rows - 1 - i)),
                ("sans-serif", 12).into_font().color(&INK),
            )
        }))
        .map_err(|e| e.to_string())?;
    Ok(())
}
