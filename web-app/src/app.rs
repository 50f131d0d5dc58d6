//! The console's top-level component.

use leptos::prelude::*;

/// The whole console page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <ConsoleHeader />
        <main class="console">
            <p class="console-intro">
                "A digital twin of a small craft brewery. Its interlocks and control actions are "
                "rules of a Notification Oriented Paradigm engine, running in this page."
            </p>
        </main>
    }
}

/// The title bar at the top of every page.
#[component]
fn ConsoleHeader() -> impl IntoView {
    view! {
        <header class="console-header">
            <h1>"Brewery twin console"</h1>
        </header>
    }
}
