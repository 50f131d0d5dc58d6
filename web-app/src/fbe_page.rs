//! The detail page of one FBE (`?page=fbe&fbe=FBE_05`): its equipment drawn large, all its
//! live facts with their recent history, and the rules that watch it and act on it. The run
//! goes on while the page is shown; the header's controls stay.

use leptos::prelude::*;
use twin::catalog::{facts_of, FBES};
use twin::rules::RULES;

use crate::app::go_to;
use crate::driver::HISTORY_POINTS;
use crate::format;
use crate::scene::plant::Shown;
use crate::settings::{to_query, Page, RunSettings};
use crate::store::Store;
use crate::three_d::{Anchors, DetailLink, PlantCanvas, StatusLegend};

/// The detail page of the FBE at index `fbe`.
#[component]
pub fn FbePage(fbe: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let settings = store.settings;
    let info = &FBES[fbe];
    let tile = store.tiles[fbe];
    let focus = store.focus;
    focus.set(Some(fbe));
    on_cleanup(move || focus.set(None));

    let console_href = move || {
        settings.with(|s| {
            to_query(&RunSettings {
                page: Page::Console,
                tick: None,
                ..s.clone()
            })
        })
    };
    let watching: Vec<usize> = (0..RULES.len())
        .filter(|r| RULES[*r].watches.contains(&fbe))
        .collect();
    let acting: Vec<usize> = (0..RULES.len())
        .filter(|r| RULES[*r].acts_on.contains(&fbe))
        .collect();

    view! {
        <main class="fbe-page" data-fbe-page=info.id>
            <nav class="fbe-nav" aria-label="Pages">
                <a
                    class="back-link"
                    href=console_href
                    on:click=move |ev| {
                        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                            return;
                        }
                        ev.prevent_default();
                        go_to(settings, Page::Console);
                    }
                >
                    "← Back to the console"
                </a>
                <span class="fbe-nav-label">"Other equipment:"</span>
                {FBES
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != fbe)
                    .map(|(i, other)| view! { <DetailLink fbe=i>{other.id}</DetailLink> })
                    .collect_view()}
            </nav>
            <header class="fbe-page-header">
                <h2>{format!("{} {}", info.id, info.name)}</h2>
                <span
                    class=move || format!("status-badge status-{}", tile.status.get().name())
                    data-fbe-status=move || tile.status.get().name()
                >
                    {move || tile.status.get().name()}
                </span>
                <span class="fbe-phase">{format!("Phase: {}", info.phase)}</span>
                <span class="fbe-clock">
                    "Tick "
                    <span data-clock="tick">{move || format::thousands(store.tick.get())}</span>
                    " · "
                    <span data-clock="time">{move || format::plant_time(store.minute.get())}</span>
                </span>
            </header>
            <p class="fbe-description">{info.description}</p>
            <div class="fbe-page-grid">
                <section class="fbe-page-scene" aria-label="The equipment in 3D">
                    <FbeScene fbe=fbe />
                </section>
                <section class="fbe-page-facts" aria-label="Live facts">
                    <h3>"Live facts"</h3>
                    <FactHistoryTable fbe=fbe />
                </section>
            </div>
            <section class="fbe-page-rules" aria-label="Rules">
                <RuleList
                    title="Rules that watch it"
                    empty="No rule reads its facts."
                    rules=watching
                />
                <RuleList
                    title="Rules that act on it"
                    empty="No rule writes its facts."
                    rules=acting
                />
            </section>
        </main>
    }
}

/// The FBE alone on its floor, framed to fill the canvas.
#[component]
fn FbeScene(fbe: usize) -> impl IntoView {
    let selected = RwSignal::new(None::<usize>);
    let hovered = RwSignal::new(None::<usize>);
    let anchors = RwSignal::new(Anchors::new());
    let motion_paused = RwSignal::new(false);
    let info = &FBES[fbe];
    view! {
        <div class="scene-frame">
            <PlantCanvas
                shown=Shown::Only(fbe)
                selected=selected
                hovered=hovered
                anchors=anchors
                motion_paused=motion_paused
                label=format!("{} {} in 3D, coloured by its status and moving with its facts.", info.id, info.name)
            />
        </div>
        <p class="scene-hint">
            "Drag or use the arrow keys to turn it, the wheel or + and − to zoom, Home to reset."
        </p>
        <StatusLegend />
    }
}

/// Every fact of the FBE: description, live value, and its values over the last plant day.
#[component]
fn FactHistoryTable(fbe: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let tile = store.tiles[fbe];
    view! {
        <table class="fact-history">
            <thead>
                <tr>
                    <th scope="col">"Fact"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col" class="value">"Value"</th>
                    <th scope="col">{format!("Last {HISTORY_POINTS} ticks")}</th>
                </tr>
            </thead>
            <tbody>
                {facts_of(fbe)
                    .map(|(id, fact)| {
                        let value = store.facts[id.index()];
                        let history = store.history[id.index()];
                        let anomalous = move || tile.anomalies.with(|a| a.contains(&fact.name));
                        let numeric = matches!(
                            fact.kind,
                            twin::catalog::FactKind::Int { .. } | twin::catalog::FactKind::Float { .. }
                        );
                        view! {
                            <tr class:anomalous=anomalous>
                                <th scope="row" title=fact.name>{&fact.name[7..]}</th>
                                <td>{fact.description}</td>
                                <td class="value">
                                    <span data-fact=fact.name>{move || value.get()}</span>
                                    {(!fact.unit.is_empty()).then(|| format!(" {}", fact.unit))}
                                    <Show when=anomalous>
                                        <span class="anomaly-note" title="Outside its control band (EMA ± 3σ)">" ▲"</span>
                                    </Show>
                                </td>
                                <td class="history" data-history=fact.name>
                                    {if numeric {
                                        view! {
                                            <svg class="history-line" viewBox="0 0 80 24" preserveAspectRatio="none" role="img" aria-label=format!("Recent values of {}", fact.name)>
                                                <polyline points=move || history.with(|h| h.points.clone()) />
                                            </svg>
                                            <span class="history-range">
                                                {move || history.with(|h| match h.range {
                                                    Some((low, high)) => format!(
                                                        "{} – {} over {} ticks",
                                                        format::value(&pon_core::Value::Float(low)),
                                                        format::value(&pon_core::Value::Float(high)),
                                                        h.count,
                                                    ),
                                                    None => "no ticks yet".to_owned(),
                                                })}
                                            </span>
                                        }
                                        .into_any()
                                    } else {
                                        view! { <span class="history-range">"a state: changes are in the event log"</span> }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// Rule cards for `rules`: what each does, how often it fired, why it last fired.
#[component]
fn RuleList(title: &'static str, empty: &'static str, rules: Vec<usize>) -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <div class="fbe-rule-list">
            <h3>{title}</h3>
            {rules.is_empty().then(|| view! { <p>{empty}</p> })}
            {rules
                .into_iter()
                .map(|r| {
                    let rule = &RULES[r];
                    let signals = store.rules[r];
                    view! {
                        <article class="rule-card" class:fired=move || { signals.count.get() > 0 } data-fbe-rule=rule.id>
                            <header>
                                <span class="rule-id">{rule.id}</span>
                                <span class="rule-title">{rule.title}</span>
                                <span class="rule-count" title="Firings in this run">
                                    {move || format::thousands(signals.count.get())}
                                </span>
                            </header>
                            <p>{rule.explanation}</p>
                            <p class="why">
                                {move || match signals.last.get() {
                                    None => "It has not fired in this run.".to_owned(),
                                    Some(last) => format!("Last fired at {}: {}.", last.when, last.trigger),
                                }}
                            </p>
                        </article>
                    }
                })
                .collect_view()}
        </div>
    }
}
