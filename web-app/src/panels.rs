//! The console's panels. They only render the store.

use leptos::prelude::*;
use twin::catalog::{facts_of, FACTS, FBES};
use twin::rules::RULES;
use wasm_bindgen::JsCast;

use crate::format;
use crate::settings::{View, VIEWS};
use crate::store::Store;

/// Plain-language notices, such as link values that were replaced by defaults.
#[component]
pub fn Notices() -> impl IntoView {
    let store = expect_context::<Store>();
    let notices = store.notices;
    view! {
        <Show when=move || !notices.get().is_empty()>
            <section class="notices" role="alert" aria-label="Notices">
                <ul>
                    {move || {
                        notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()
                    }}
                </ul>
                <button on:click=move |_| notices.set(Vec::new())>"Dismiss"</button>
            </section>
        </Show>
    }
}

fn pct(x: f64) -> String {
    format!("{:.2} %", x * 100.0)
}

/// OEE, its factors, the status lamps and the clock.
#[component]
pub fn Overview() -> impl IntoView {
    let store = expect_context::<Store>();
    let (oee, shift, run, fault) = (store.oee, store.shift_oee, store.run, store.grid_fault);
    let (tick, minute, rate) = (store.tick, store.minute, store.rate);
    view! {
        <section class="overview" aria-label="Plant overview">
            <div
                class="oee"
                title="Availability × Performance × Quality of the current 8-hour shift: run time over planned time, bottles over the ideal count, good bottles over all"
            >
                <span class="oee-label">"Shift OEE"</span>
                <span class="oee-value" data-oee="shift">{move || pct(shift.get().oee)}</span>
            </div>
            <dl class="oee-factors" aria-label="Shift OEE factors">
                <div>
                    <dt>"Availability"</dt>
                    <dd data-oee="shift-availability">{move || pct(shift.get().availability)}</dd>
                </div>
                <div>
                    <dt>"Performance"</dt>
                    <dd data-oee="shift-performance">{move || pct(shift.get().performance)}</dd>
                </div>
                <div>
                    <dt>"Quality"</dt>
                    <dd data-oee="shift-quality">{move || pct(shift.get().quality)}</dd>
                </div>
            </dl>
            <dl
                class="oee-factors oee-now"
                title="OEE rated from this tick's state alone: stop flags, mill speed and conveyor speed, wort clarity and the fill-level check"
            >
                <div>
                    <dt>"OEE now"</dt>
                    <dd data-oee="oee">{move || pct(oee.get().oee)}</dd>
                </div>
                <div>
                    <dt>"A · P · Q now"</dt>
                    <dd>
                        <span data-oee="availability">{move || pct(oee.get().availability)}</span>
                        " · "
                        <span data-oee="performance">{move || pct(oee.get().performance)}</span>
                        " · "
                        <span data-oee="quality">{move || pct(oee.get().quality)}</span>
                    </dd>
                </div>
            </dl>
            <ul class="lamps">
                <li class="lamp" class:on=move || run.get().is_running() data-lamp="engine">
                    <span class="lamp-dot" aria-hidden="true"></span>
                    {move || if run.get().is_running() { "Engine running" } else { "Engine idle" }}
                </li>
                <li class="lamp critical" class:on=move || fault.get() data-lamp="grid">
                    <span class="lamp-dot" aria-hidden="true"></span>
                    {move || if fault.get() { "Grid fault" } else { "Grid normal" }}
                </li>
            </ul>
            <dl class="clock">
                <div>
                    <dt>"Tick"</dt>
                    <dd data-clock="tick">{move || format::thousands(tick.get())}</dd>
                </div>
                <div>
                    <dt>"Plant time"</dt>
                    <dd data-clock="time">{move || format::plant_time(minute.get())}</dd>
                </div>
                <div>
                    <dt>"Ticks per second"</dt>
                    <dd data-clock="rate">{move || format::rate(rate.get())}</dd>
                </div>
            </dl>
        </section>
    }
}

/// The eleven equipment tiles.
#[component]
pub fn FbeTiles() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <section class="tiles" aria-label="Equipment">
            {FBES
                .iter()
                .enumerate()
                .map(|(i, fbe)| {
                    let tile = store.tiles[i];
                    let key = &FACTS[fbe.key_fact.index()];
                    view! {
                        <article
                            class=move || format!("tile status-{}", tile.status.get().name())
                            class:flash=move || tile.flash.get()
                            data-fbe=fbe.id
                            title=fbe.description
                        >
                            <header>
                                <span class="tile-id">{fbe.id}</span>
                                <span class="tile-name">{fbe.name}</span>
                                <Show when=move || !tile.anomalies.get().is_empty()>
                                    <span
                                        class="anomaly-mark"
                                        data-anomaly="true"
                                        title=move || {
                                            format!(
                                                "Outside the control band: {}",
                                                tile.anomalies.get().join(", "),
                                            )
                                        }
                                    >
                                        "▲ anomaly"
                                    </span>
                                </Show>
                            </header>
                            <p class="tile-key" title=key.description>
                                <span class="tile-key-name">{key.name}</span>
                                <span class="tile-value" data-key-fact=key.name>
                                    {move || tile.value.get()}
                                </span>
                                <span class="tile-delta">{move || tile.delta.get()}</span>
                            </p>
                            <svg
                                class="sparkline"
                                viewBox="0 0 80 24"
                                preserveAspectRatio="none"
                                role="img"
                                aria-label=format!("Recent {} values", key.name)
                            >
                                <polyline points=move || tile.spark.get() />
                            </svg>
                        </article>
                    }
                })
                .collect_view()}
        </section>
    }
}

/// The twelve rule cards, with how each works and why it last fired.
#[component]
pub fn RuleCards() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <section class="rules" aria-label="Rules">
            <h2>"Rules"</h2>
            <div class="rule-grid">
                {RULES
                    .iter()
                    .enumerate()
                    .map(|(i, rule)| {
                        let signals = store.rules[i];
                        let watches = rule.watches.iter().map(|f| FBES[*f].id).collect::<Vec<_>>().join(", ");
                        let acts = rule.acts_on.iter().map(|f| FBES[*f].id).collect::<Vec<_>>().join(", ");
                        view! {
                            <article class="rule-card" class:fired=move || { signals.count.get() > 0 } data-rule=rule.id>
                                <header>
                                    <span class="rule-id">{rule.id}</span>
                                    <span class="rule-title">{rule.title}</span>
                                    <span class="rule-count" data-rule-count=rule.id title="Firings in this run">
                                        {move || format::thousands(signals.count.get())}
                                    </span>
                                </header>
                                <p class="rule-map">"Watches " {watches.clone()} " · acts on " {acts.clone()}</p>
                                <details>
                                    <summary>"How it works"</summary>
                                    <p>{rule.explanation}</p>
                                </details>
                                <details class="why">
                                    <summary>"Why did it last fire?"</summary>
                                    {move || match signals.last.get() {
                                        None => view! { <p>"It has not fired in this run."</p> }.into_any(),
                                        Some(last) => view! {
                                            <div>
                                                <p>{format!("At {}: {}.", last.when, last.trigger)}</p>
                                                <ul>
                                                    {last
                                                        .premises
                                                        .into_iter()
                                                        .map(|(text, holds)| {
                                                            view! {
                                                                <li class:holds=holds>
                                                                    {if holds { "✓ " } else { "✗ " }}
                                                                    {text}
                                                                </li>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </ul>
                                                {last.notes.into_iter().map(|n| view! { <p class="note">{n}</p> }).collect_view()}
                                            </div>
                                        }
                                        .into_any(),
                                    }}
                                </details>
                            </article>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// The tab strip and the active view (only that view is in the document).
#[component]
pub fn Views() -> impl IntoView {
    let store = expect_context::<Store>();
    let settings = store.settings;
    // Only a change of view re-renders the panel, not a change of seed, speed or scenario.
    let view = Memo::new(move |_| settings.get().view);
    let active = move || view.get();
    view! {
        <section class="views">
            <div class="tabs" role="tablist" aria-label="Views">
                {VIEWS
                    .iter()
                    .enumerate()
                    .map(|(index, (view, name, label))| {
                        let view = *view;
                        // Arrow keys, Home and End move between the tabs (one Tab stop for the
                        // strip, as a tab list has).
                        let on_key = move |ev: leptos::ev::KeyboardEvent| {
                            let last = VIEWS.len() - 1;
                            let next = match ev.key().as_str() {
                                "ArrowRight" => if index == last { 0 } else { index + 1 },
                                "ArrowLeft" => if index == 0 { last } else { index - 1 },
                                "Home" => 0,
                                "End" => last,
                                _ => return,
                            };
                            ev.prevent_default();
                            settings.update(|s| s.view = VIEWS[next].0);
                            let selector = format!("[role=tab][data-view=\"{}\"]", VIEWS[next].1);
                            if let Some(Ok(Some(tab))) = web_sys::window()
                                .and_then(|w| w.document())
                                .map(|d| d.query_selector(&selector))
                            {
                                if let Ok(tab) = tab.dyn_into::<web_sys::HtmlElement>() {
                                    let _ = tab.focus();
                                }
                            }
                        };
                        view! {
                            <button
                                role="tab"
                                data-view=*name
                                aria-selected=move || (active() == view).to_string()
                                tabindex=move || if active() == view { "0" } else { "-1" }
                                class:active=move || active() == view
                                on:click=move |_| settings.update(|s| s.view = view)
                                on:keydown=on_key
                            >
                                {*label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="view-panel" role="tabpanel">
                {move || match active() {
                    View::Table => view! { <TableView /> }.into_any(),
                    View::Diagrams => view! { <crate::diagrams::DiagramsView /> }.into_any(),
                    View::ThreeD => view! { <crate::three_d::ThreeDView /> }.into_any(),
                    View::Ensemble => {
                        view! { <crate::ensemble_panel::EnsembleView /> }.into_any()
                    }
                    View::Bi => view! { <crate::bi_panel::BiView /> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// Facts grouped by FBE, with description, unit and live value.
#[component]
fn TableView() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <div class="table-view">
            {FBES
                .iter()
                .enumerate()
                .map(|(i, fbe)| {
                    let facts: Vec<_> = facts_of(i).collect();
                    let count = facts.len();
                    view! {
                        <details class="fbe-section" open=true data-fbe-section=fbe.id>
                            <summary>
                                {format!("{} · {} · {count} facts", fbe.id, fbe.name)}
                            </summary>
                            <p class="fbe-description">{fbe.description}</p>
                            <table>
                                <thead>
                                    <tr>
                                        <th scope="col">"Fact"</th>
                                        <th scope="col">"Description"</th>
                                        <th scope="col">"Unit"</th>
                                        <th scope="col" class="value">"Value"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {facts
                                        .into_iter()
                                        .map(|(id, fact)| {
                                            let signal = store.facts[id.index()];
                                            let short = &fact.name[7..];
                                            view! {
                                                <tr>
                                                    <th scope="row" title=fact.name>{short}</th>
                                                    <td>{fact.description}</td>
                                                    <td>{fact.unit}</td>
                                                    <td class="value">
                                                        <span data-fact=fact.name>{move || signal.get()}</span>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </details>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The event log, newest first.
#[component]
pub fn EventLogPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let log = store.log;
    view! {
        <aside class="event-log" aria-label="Event log">
            <h2>
                "Event log "
                <span class="log-size">{move || format!("{} lines", log.with(Vec::len))}</span>
            </h2>
            <Show
                when=move || !log.with(Vec::is_empty)
                fallback=|| view! { <p class="log-empty">"No events yet."</p> }
            >
                <ol class="log-lines">
                    <For
                        each=move || log.get()
                        key=|line| (line.id, line.count)
                        children=|line| {
                            let count = (line.count > 1).then(|| {
                                view! {
                                    <span class="log-count" title="Occurrences within two seconds">
                                        {format!("×{}", line.count)}
                                    </span>
                                }
                            });
                            view! {
                                <li class=format!("log-line kind-{}", line.kind.name()) data-log-kind=line.kind.name()>
                                    <time>{format::wall_time(line.wall_ms)}</time>
                                    <span class="log-plant-time">{format::plant_time(line.minute)}</span>
                                    <span class="log-kind">{line.kind.name()}</span>
                                    <span class="log-text">{count}{line.text}</span>
                                </li>
                            }
                        }
                    />
                </ol>
            </Show>
        </aside>
    }
}
