//! Runs kept in the browser's IndexedDB, so that a reload keeps them.
//!
//! A run is kept as its scenario, seed and tick: runs are deterministic, so replaying the run
//! to that tick rebuilds exactly the same plant and the same history, and a kept run costs a
//! few dozen bytes instead of megabytes of history. The page keeps the current run when it
//! stops and every few seconds while it runs, one record per scenario and seed.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use crate::settings::{to_query, Page, RunSettings, Speed, View};

const DATABASE: &str = "brewery-twin";
const STORE: &str = "runs";

/// One kept run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptRun {
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Ticks run.
    pub tick: u64,
    /// Plant minute reached.
    pub minute: u64,
    /// When it was kept, in milliseconds since the epoch.
    pub kept_at_ms: f64,
}

impl KeptRun {
    /// Its key in the store: one record per scenario and seed.
    pub fn key(&self) -> String {
        format!("{}/{}", self.scenario, self.seed)
    }

    /// The link that replays it to its tick in the BI view.
    pub fn link(&self) -> String {
        let scenario = twin::Scenario::from_name(&self.scenario).unwrap_or_default();
        to_query(&RunSettings {
            seed: self.seed,
            scenario,
            speed: Speed::Max,
            view: View::Bi,
            tick: Some(self.tick),
            page: Page::Console,
        })
    }
}

fn error_text(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// A promise of the request's result.
fn settled(request: &IdbRequest) -> Promise {
    let request = request.clone();
    Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move || {
            let why = failed
                .error()
                .ok()
                .flatten()
                .map(|e| JsValue::from_str(&e.message()))
                .unwrap_or_else(|| JsValue::from_str("the request failed"));
            let _ = reject.call1(&JsValue::NULL, &why);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    })
}

thread_local! {
    static OPEN: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// The database, opened (and created) on first use.
async fn database() -> Result<IdbDatabase, String> {
    if let Some(db) = OPEN.with(|open| open.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .ok_or("there is no window")?
        .indexed_db()
        .map_err(error_text)?
        .ok_or("this browser has no IndexedDB")?;
    let request = factory.open_with_u32(DATABASE, 1).map_err(error_text)?;
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(result) = upgrading.result() {
            let db: IdbDatabase = result.unchecked_into();
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db: IdbDatabase = JsFuture::from(settled(&request))
        .await
        .map_err(error_text)?
        .unchecked_into();
    OPEN.with(|open| *open.borrow_mut() = Some(db.clone()));
    Ok(db)
}

async fn in_store<T>(
    mode: IdbTransactionMode,
    act: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
    read: impl FnOnce(JsValue) -> T,
) -> Result<T, String> {
    let db = database().await?;
    let transaction = db
        .transaction_with_str_and_mode(STORE, mode)
        .map_err(error_text)?;
    let store = transaction.object_store(STORE).map_err(error_text)?;
    let request = act(&store).map_err(error_text)?;
    let value = JsFuture::from(settled(&request))
        .await
        .map_err(error_text)?;
    Ok(read(value))
}

/// Keeps `run`, replacing the record of the same scenario and seed.
pub async fn keep(run: &KeptRun) -> Result<(), String> {
    let text = serde_json::to_string(run).map_err(|e| e.to_string())?;
    let key = run.key();
    in_store(
        IdbTransactionMode::Readwrite,
        |store| store.put_with_key(&JsValue::from_str(&text), &JsValue::from_str(&key)),
        |_| (),
    )
    .await
}

/// Every kept run, the most recently kept first; records that cannot be read are skipped.
pub async fn all() -> Result<Vec<KeptRun>, String> {
    let mut runs: Vec<KeptRun> = in_store(
        IdbTransactionMode::Readonly,
        |store| store.get_all(),
        |value| {
            js_sys::Array::from(&value)
                .iter()
                .filter_map(|v| v.as_string())
                .filter_map(|text| serde_json::from_str(&text).ok())
                .collect()
        },
    )
    .await?;
    runs.sort_by(|a, b| b.kept_at_ms.total_cmp(&a.kept_at_ms));
    Ok(runs)
}

/// Forgets the run with `key`.
pub async fn forget(key: &str) -> Result<(), String> {
    in_store(
        IdbTransactionMode::Readwrite,
        |store| store.delete(&JsValue::from_str(key)),
        |_| (),
    )
    .await
}

/// Forgets every kept run.
pub async fn forget_all() -> Result<(), String> {
    in_store(IdbTransactionMode::Readwrite, |store| store.clear(), |_| ()).await
}

/// The last run kept by this page, so that the same state is not written twice.
#[derive(Default)]
pub struct Keeper {
    last: Rc<RefCell<Option<(String, u64)>>>,
}

impl Keeper {
    /// Keeps `run` unless it was the last one kept at the same tick; `done` hears the outcome.
    pub fn keep(&self, run: KeptRun, done: impl FnOnce(Result<(), String>) + 'static) {
        let marker = (run.key(), run.tick);
        if run.tick == 0 || self.last.borrow().as_ref() == Some(&marker) {
            return;
        }
        *self.last.borrow_mut() = Some(marker);
        leptos::task::spawn_local(async move { done(keep(&run).await) });
    }
}

/// Seconds between two keeps of a run that goes on.
const KEEP_EVERY_MS: f64 = 5_000.0;

/// The page's kept runs: the list as last read, and the keeping of the current run.
#[derive(Clone, Copy)]
pub struct KeptRuns {
    /// The kept runs as last read, or why they cannot be.
    pub list: leptos::prelude::RwSignal<Option<Result<Vec<KeptRun>, String>>>,
    keeper: leptos::prelude::StoredValue<Keeper, leptos::prelude::LocalStorage>,
    last_kept_ms: leptos::prelude::StoredValue<f64>,
}

impl KeptRuns {
    /// Nothing read yet.
    pub fn new() -> KeptRuns {
        use leptos::prelude::*;
        KeptRuns {
            list: RwSignal::new(None),
            keeper: StoredValue::new_local(Keeper::default()),
            last_kept_ms: StoredValue::new(f64::NEG_INFINITY),
        }
    }

    /// Reads the list again.
    pub fn refresh(self) {
        use leptos::prelude::*;
        let list = self.list;
        leptos::task::spawn_local(async move { list.set(Some(all().await)) });
    }

    /// Keeps the driver's run if it has ticked: at once when `now` is true, else at most every
    /// few seconds.
    pub fn keep_current(self, driver: crate::app::DriverHandle, now: bool) {
        use leptos::prelude::*;
        let wall = js_sys::Date::now();
        if !now && wall - self.last_kept_ms.get_value() < KEEP_EVERY_MS {
            return;
        }
        self.last_kept_ms.set_value(wall);
        let run = driver.with_value(|d| {
            let config = d.twin().config();
            KeptRun {
                scenario: config.scenario.name().to_owned(),
                seed: config.seed,
                tick: d.twin().tick(),
                minute: d.twin().minute(),
                kept_at_ms: wall,
            }
        });
        let list = self.list;
        self.keeper.with_value(|keeper| {
            keeper.keep(run, move |outcome| match outcome {
                Ok(()) => leptos::task::spawn_local(async move { list.set(Some(all().await)) }),
                Err(why) => list.set(Some(Err(why))),
            })
        });
    }

    /// Forgets one kept run, or all of them, and reads the list again.
    pub fn forget(self, key: Option<String>) {
        use leptos::prelude::*;
        let list = self.list;
        leptos::task::spawn_local(async move {
            let outcome = match key {
                Some(key) => forget(&key).await,
                None => forget_all().await,
            };
            match outcome {
                Ok(()) => list.set(Some(all().await)),
                Err(why) => list.set(Some(Err(why))),
            }
        });
    }
}

impl Default for KeptRuns {
    fn default() -> KeptRuns {
        KeptRuns::new()
    }
}

/// The runs kept in this browser, each with a link that replays it and a button that forgets
/// it.
#[leptos::component]
pub fn KeptRunsList() -> impl leptos::IntoView {
    use leptos::prelude::*;
    let kept = expect_context::<KeptRuns>();
    let rows = move || {
        match kept.list.get() {
        None => view! { <p class="hint">"Reading the runs kept in this browser…"</p> }.into_any(),
        Some(Err(why)) => view! {
            <p class="bi-note" data-kept-runs-error>
                {format!("This browser cannot keep runs ({why}); they last until the page is closed.")}
            </p>
        }
        .into_any(),
        Some(Ok(runs)) if runs.is_empty() => view! {
            <p class="hint" data-kept-runs="0">"No run is kept yet: a run is kept when it stops."</p>
        }
        .into_any(),
        Some(Ok(runs)) => {
            let count = runs.len();
            let items = runs
                .into_iter()
                .map(|run| {
                    let key = run.key();
                    let forget_key = key.clone();
                    let when = crate::format::wall_time(run.kept_at_ms);
                    view! {
                        <li data-kept-run=key>
                            <a href=run.link()>
                                {format!(
                                    "{} seed {} at tick {} ({})",
                                    run.scenario,
                                    run.seed,
                                    crate::format::thousands(run.tick),
                                    crate::format::plant_time(run.minute)
                                )}
                            </a>
                            {format!(" · kept at {when} UTC ")}
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| kept.forget(Some(forget_key.clone()))
                            >
                                "Forget"
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ul class="kept-runs" data-kept-runs=count>{items}</ul>
                <button type="button" on:click=move |_| kept.forget(None)>
                    "Forget all kept runs"
                </button>
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="kept-runs-section" aria-label="Runs kept in this browser">
            <h3>"Runs kept in this browser"</h3>
            <p class="hint">
                "Each run is kept as its scenario, seed and tick (in IndexedDB), when it stops and \
                 every few seconds while it runs. Opening one replays it, which rebuilds the same \
                 history."
            </p>
            {rows}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_run_opens_as_a_replay_in_the_bi_view() {
        let run = KeptRun {
            scenario: "scripted".to_owned(),
            seed: 9,
            tick: 120,
            minute: 720,
            kept_at_ms: 0.0,
        };
        assert_eq!(run.key(), "scripted/9");
        assert_eq!(
            run.link(),
            "?seed=9&scenario=scripted&speed=max&view=bi&tick=120"
        );
    }
}
