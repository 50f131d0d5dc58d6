//! Browser entry point: install the panic notice, then mount the console.

fn main() {
    web_app::panic_notice::install();
    leptos::mount::mount_to_body(web_app::app::App);
}
