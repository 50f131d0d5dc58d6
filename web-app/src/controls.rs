//! The run controls: brew day, Monte Carlo, speed, seed, replay to a tick, reset and Copy link.

use leptos::prelude::*;
use twin::Scenario;

use crate::app::DriverHandle;
use crate::format;
use crate::settings::{to_query, RunSettings, Speed, MAX_REPLAY_TICKS, SPEED_CHOICES};
use crate::store::{RunState, Store};

/// The controls of the header.
#[component]
pub fn Controls() -> impl IntoView {
    let store = expect_context::<Store>();
    let driver = expect_context::<DriverHandle>();
    let run = store.run;
    let settings = store.settings;
    // One button starts Monte Carlo and stops any run, so that keyboard focus stays on it.
    let toggle_ref = NodeRef::<leptos::html::Button>::new();

    let run_scripted = move |_| {
        settings.update(|s| s.scenario = Scenario::Scripted);
        let current = settings.get_untracked();
        driver.update_value(|d| {
            d.reset(&current);
            d.start(RunState::Scripted, current.speed);
            d.say(format!(
                "Scripted brew day started with seed {}: one plant day that exercises all \
                 twelve rules.",
                current.seed
            ));
        });
        // This button is disabled while the day runs: move the keyboard to Stop.
        if let Some(button) = toggle_ref.get_untracked() {
            let _ = button.focus();
        }
    };

    let start_monte_carlo = move || {
        let current = settings.get_untracked();
        driver.update_value(|d| {
            let resumable = d.twin().config().scenario == Scenario::MonteCarlo
                && d.twin().config().seed == current.seed;
            if !resumable {
                d.reset(&RunSettings {
                    scenario: Scenario::MonteCarlo,
                    ..current.clone()
                });
            }
            d.start(RunState::MonteCarlo, current.speed);
            d.say(format!(
                "Monte Carlo started at tick {} with seed {}.",
                format::thousands(d.twin().tick()),
                current.seed
            ));
        });
        settings.update(|s| s.scenario = Scenario::MonteCarlo);
    };

    let stop = move || {
        driver.update_value(|d| {
            let what = match d.state() {
                RunState::MonteCarlo => "Monte Carlo",
                RunState::Scripted => "The brew day",
                RunState::Replaying(_) => "The replay",
                RunState::Ready => return,
            };
            d.stop();
            d.say(format!(
                "{what} stopped after {} ticks ({}).",
                format::thousands(d.twin().tick()),
                format::plant_time(d.twin().minute())
            ));
        });
    };

    let toggle = move |_| {
        if run.get_untracked().is_running() {
            stop();
        } else {
            start_monte_carlo();
        }
    };

    let reset = move |_| {
        let current = settings.get_untracked();
        driver.update_value(|d| {
            d.reset(&current);
            d.say(format!(
                "The plant was reset to tick 0 (seed {}).",
                current.seed
            ));
        });
    };

    let on_speed = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if let Ok(speed) = Speed::from_param(&text) {
            settings.update(|s| s.speed = speed);
            driver.update_value(|d| d.set_speed(speed));
        }
    };

    let seed_error = RwSignal::new(None::<String>);
    let on_seed = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let current = settings.get_untracked();
        match text.trim().parse::<u64>() {
            Ok(seed) if seed == current.seed => seed_error.set(None),
            Ok(seed) => {
                seed_error.set(None);
                settings.update(|s| s.seed = seed);
                let current = settings.get_untracked();
                driver.update_value(|d| {
                    let was_running = d.state().is_running();
                    d.reset(&current);
                    d.say(if was_running {
                        format!(
                            "The run was stopped: seed set to {seed}, and the plant starts \
                             again from tick 0."
                        )
                    } else {
                        format!("Seed set to {seed}; the plant starts again from tick 0.")
                    });
                });
            }
            Err(_) => {
                seed_error.set(Some(format!(
                    "\"{}\" is not a seed (a whole number from 0 to {}); keeping {}.",
                    text.chars().take(24).collect::<String>(),
                    u64::MAX,
                    current.seed
                )));
                // Show the seed that is really used.
                event_target::<web_sys::HtmlInputElement>(&ev).set_value(&current.seed.to_string());
            }
        }
    };

    let replay_target = RwSignal::new(String::new());
    let replay_error = RwSignal::new(None::<String>);
    let replay = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = replay_target.get_untracked();
        match text.trim().parse::<u64>() {
            Ok(tick) if tick <= MAX_REPLAY_TICKS => {
                replay_error.set(None);
                let current = settings.get_untracked();
                driver.update_value(|d| {
                    d.reset(&current);
                    d.start(RunState::Replaying(tick), current.speed);
                    d.say(format!(
                        "Replaying seed {} ({}) to tick {}, as fast as the page allows.",
                        current.seed,
                        current.scenario.name(),
                        format::thousands(tick)
                    ));
                });
            }
            Ok(_) => replay_error.set(Some(format!(
                "Replays go up to tick {}.",
                format::thousands(MAX_REPLAY_TICKS)
            ))),
            Err(_) => replay_error.set(Some(
                "Enter the tick to replay to, as a whole number.".into(),
            )),
        }
    };

    let copy_link = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let location = window.location();
        let base = format!(
            "{}{}",
            location.origin().unwrap_or_default(),
            location.pathname().unwrap_or_default()
        );
        let tick = driver.with_value(|d| d.twin().tick());
        let current = settings.get_untracked();
        let query = to_query(&RunSettings {
            tick: (tick > 0).then_some(tick),
            ..current
        });
        let link = format!("{base}{query}");
        let _ = window.navigator().clipboard().write_text(&link);
        store.link.set(Some(link));
    };

    let speed_value = move || settings.get().speed.to_param();
    view! {
        <div class="controls">
            <div class="control-group">
                <button class="primary" on:click=run_scripted disabled=move || run.get().is_running()>
                    "Run scripted day"
                </button>
                <button
                    class="toggle"
                    class:stop=move || run.get().is_running()
                    node_ref=toggle_ref
                    on:click=toggle
                >
                    {move || match run.get() {
                        RunState::Ready => "Start Monte Carlo",
                        RunState::Scripted => "Stop brew day",
                        RunState::Replaying(_) => "Stop replay",
                        RunState::MonteCarlo => "Stop Monte Carlo",
                    }}
                </button>
                <button on:click=reset disabled=move || run.get().is_running()>
                    "Reset"
                </button>
            </div>
            <div class="control-group">
                <label>
                    "Speed "
                    <select on:change=on_speed prop:value=speed_value aria-label="Speed">
                        {SPEED_CHOICES
                            .iter()
                            .map(|(speed, label)| {
                                view! { <option value=speed.to_param()>{*label}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Seed "
                    <input
                        class="seed-input"
                        type="text"
                        inputmode="numeric"
                        aria-label="Seed"
                        prop:value=move || settings.get().seed.to_string()
                        on:change=on_seed
                    />
                </label>
                <form class="replay" on:submit=replay>
                    <label>
                        "Run to tick "
                        <input
                            type="text"
                            inputmode="numeric"
                            aria-label="Tick to replay to"
                            placeholder="e.g. 1200"
                            prop:value=move || replay_target.get()
                            on:input=move |ev| replay_target.set(event_target_value(&ev))
                        />
                    </label>
                    <button type="submit">"Replay"</button>
                </form>
                <button on:click=copy_link>"Copy link"</button>
            </div>
            <Show when=move || seed_error.get().is_some() || replay_error.get().is_some()>
                <p class="control-error" role="alert">
                    {move || seed_error.get().or_else(|| replay_error.get())}
                </p>
            </Show>
        </div>
    }
}

/// The link made by Copy link, under the header, to copy by hand if the clipboard is closed.
#[component]
pub fn LinkBar() -> impl IntoView {
    let store = expect_context::<Store>();
    let link = store.link;
    view! {
        <Show when=move || link.get().is_some()>
            <p class="copied-link">
                <label>
                    "Link to this run (copied): "
                    <input
                        type="text"
                        readonly=true
                        aria-label="Link to this run"
                        prop:value=move || link.get().unwrap_or_default()
                    />
                </label>
                <button on:click=move |_| link.set(None)>"Close"</button>
            </p>
        </Show>
    }
}
