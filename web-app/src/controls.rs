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

    let run_scripted = move |_| {
        settings.update(|s| s.scenario = Scenario::Scripted);
        let current = settings.get_untracked();
        driver.update_value(|d| {
            d.reset(&current);
            d.start(RunState::Scripted, current.speed);
            d.say(format!(
                "Scripted brew day started with seed {}: one plant day that exercises all twelve rules.",
                current.seed
            ));
        });
    };

    let start_monte_carlo = move |_| {
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

    let stop = move |_| {
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
        match text.trim().parse::<u64>() {
            Ok(seed) => {
                seed_error.set(None);
                if seed != settings.get_untracked().seed {
                    settings.update(|s| s.seed = seed);
                    let current = settings.get_untracked();
                    driver.update_value(|d| {
                        d.reset(&current);
                        d.say(format!(
                            "Seed set to {seed}; the plant starts again from tick 0."
                        ));
                    });
                }
            }
            Err(_) => seed_error.set(Some(format!(
                "A seed is a whole number from 0 to {}; keeping {}.",
                u64::MAX,
                settings.get_untracked().seed
            ))),
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
                        "Replaying seed {} ({}) to tick {}.",
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
        let link = format!(
            "{base}{}",
            to_query(&RunSettings {
                tick: (tick > 0).then_some(tick),
                ..current
            })
        );
        let clipboard = window.navigator().clipboard();
        let _ = clipboard.write_text(&link);
        store.link.set(Some(link));
    };

    let speed_value = move || settings.get().speed.to_param();
    view! {
        <div class="controls">
            <div class="control-group">
                <button
                    class="primary"
                    on:click=run_scripted
                    disabled=move || run.get().is_running()
                >
                    "Run scripted day"
                </button>
                <Show
                    when=move || run.get().is_running()
                    fallback=move || {
                        view! { <button on:click=start_monte_carlo>"Start Monte Carlo"</button> }
                    }
                >
                    <button class="stop" on:click=stop>
                        {move || match run.get() {
                            RunState::Scripted => "Stop brew day",
                            RunState::Replaying(_) => "Stop replay",
                            _ => "Stop Monte Carlo",
                        }}
                    </button>
                </Show>
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
                                let value = speed.to_param();
                                view! { <option value=value.clone()>{*label}</option> }
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
            <Show when=move || store.link.get().is_some()>
                <p class="copied-link">
                    "Link to this run (copied): "
                    <input
                        type="text"
                        readonly=true
                        aria-label="Link to this run"
                        prop:value=move || store.link.get().unwrap_or_default()
                    />
                </p>
            </Show>
        </div>
    }
}
