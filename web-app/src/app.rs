//! The console page: reads the link's settings, creates the store and the driver, starts the
//! frame loop, and lays out the panels, or the detail page of one FBE when the link asks for it.

use leptos::prelude::*;

use crate::controls::{Controls, LinkBar};
use crate::driver::Driver;
use crate::panels::{EventLogPanel, FbeTiles, Notices, Overview, RuleCards, Views};
use crate::settings::{parse_query, to_query, Page, RunSettings};
use crate::store::{RunState, Store};

/// The driver, shared by the frame loop and the controls.
pub type DriverHandle = StoredValue<Driver, LocalStorage>;

fn location_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Writes the settings in the address bar without reloading, so that it always reproduces the
/// run. A change of page is a new history entry (Back returns to the page before); any other
/// change replaces the current one.
fn show_in_address_bar(settings: &RunSettings) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let query = to_query(&RunSettings {
        tick: None,
        ..settings.clone()
    });
    let same_page = parse_query(&location_query()).0.page == settings.page;
    let written = if same_page {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query))
    };
    if let Err(error) = written {
        web_sys::console::warn_2(&"The address bar could not be updated:".into(), &error);
    }
}

/// Shows `page` without reloading: the run goes on.
pub fn go_to(settings: RwSignal<RunSettings>, page: Page) {
    if settings.with_untracked(|s| s.page) != page {
        settings.update(|s| s.page = page);
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

fn run_frames(driver: DriverHandle, store: Store) {
    request_animation_frame(move || {
        driver.update_value(|d| d.frame(&store));
        run_frames(driver, store);
    });
}

/// A link to another page of this run that opens in place, keeping the run going; a new tab
/// (or a modified click) opens the same link afresh.
#[component]
pub fn PageLink(
    /// The page.
    page: Page,
    /// Class of the anchor.
    #[prop(optional)]
    class: &'static str,
    /// Link text.
    children: Children,
) -> impl IntoView {
    let settings = expect_context::<Store>().settings;
    view! {
        <a
            class=class
            data-page-link=move || match page {
                Page::Console => "console".to_owned(),
                Page::Fbe(fbe) => twin::catalog::FBES[fbe].id.to_owned(),
                Page::Predictions => "predictions".to_owned(),
            }
            href=move || settings.with(|s| to_query(&RunSettings { page, ..s.clone() }))
            on:click=move |ev| {
                if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                    return;
                }
                ev.prevent_default();
                go_to(settings, page);
            }
        >
            {children()}
        </a>
    }
}

/// The whole console page.
#[component]
pub fn App() -> impl IntoView {
    let (settings, notices) = parse_query(&location_query());
    let store = Store::new(settings.clone(), notices);
    let driver: DriverHandle = StoredValue::new_local(Driver::new(&settings));
    provide_context(store.clone());
    provide_context(driver);
    provide_context(crate::ensemble_panel::EnsembleRun::new());
    provide_context(crate::bi_panel::BiState::new());
    let kept = crate::kept_runs::KeptRuns::new();
    provide_context(kept);
    kept.refresh();

    driver.update_value(|d| {
        d.say(format!(
            "Console ready: seed {}, {} scenario. The engine and the plant run in this page.",
            settings.seed,
            settings.scenario.name()
        ));
        if let Some(tick) = settings.tick {
            d.start(RunState::Replaying(tick), settings.speed);
            d.say(format!("Replaying the link's run to tick {tick}."));
        }
    });

    let settings_signal = store.settings;
    Effect::new(move |_| settings_signal.with(show_in_address_bar));
    // Back and Forward move between the console and detail pages of this run.
    let history =
        leptos::leptos_dom::helpers::window_event_listener_untyped("popstate", move |_| {
            let page = parse_query(&location_query()).0.page;
            go_to(settings_signal, page);
        });
    on_cleanup(move || history.remove());
    run_frames(driver, store.clone());

    // The run is kept in the browser when it stops, and every few seconds while it runs.
    let (run, tick) = (store.run, store.tick);
    Effect::new(move |was_running: Option<bool>| {
        tick.track();
        let running = run.get().is_running();
        if running {
            kept.keep_current(driver, false);
        } else if was_running == Some(true) {
            kept.keep_current(driver, true);
        }
        running
    });
    let page = Memo::new(move |_| settings_signal.with(|s| s.page));

    view! {
        <Header />
        <LinkBar />
        <Notices />
        {move || match page.get() {
            Page::Console => view! {
                <main class="console">
                    <Overview />
                    <FbeTiles />
                    <RuleCards />
                    <div class="console-columns">
                        <Views />
                        <EventLogPanel />
                    </div>
                </main>
            }
            .into_any(),
            Page::Fbe(fbe) => view! { <crate::fbe_page::FbePage fbe=fbe /> }.into_any(),
            Page::Predictions => {
                view! { <crate::predictions_page::PredictionsPage /> }.into_any()
            }
        }}
    }
}

/// The title bar with the run's state and controls.
#[component]
fn Header() -> impl IntoView {
    let store = expect_context::<Store>();
    let (run, tick) = (store.run, store.tick);
    let progress = move || match run.get() {
        RunState::Replaying(target) if target > 0 => Some(format!(
            "to tick {}: {} %",
            crate::format::thousands(target),
            (tick.get().min(target) * 100 / target)
        )),
        _ => None,
    };
    view! {
        <header class="console-header">
            <div class="console-title">
                <h1>"Brewery twin console"</h1>
                <p class="console-subtitle">
                    "NOP rules engine · 58 facts, 12 rules, 11 pieces of equipment · running in this page"
                </p>
            </div>
            <span
                class="state-badge"
                class:running=move || run.get().is_running()
                data-state=move || run.get().label()
                role="status"
                aria-label="Run state"
            >
                {move || run.get().label()}
            </span>
            <span class="replay-progress" role="status" aria-label="Replay progress">
                {progress}
            </span>
            <Controls />
            <nav class="page-nav" aria-label="Pages">
                <PageLink page=Page::Predictions>"ML predictions"</PageLink>
            </nav>
        </header>
    }
}
