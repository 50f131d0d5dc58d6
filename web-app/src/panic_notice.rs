//! Shows a Rust panic on the page, not only in the developer console.
//!
//! After a panic the reactive runtime may be in an inconsistent state, so the notice is built with
//! plain DOM calls and never goes through Leptos.

use std::any::Any;
use std::panic::{self, PanicHookInfo};

use wasm_bindgen::JsValue;

/// The `id` of the notice element; a second panic replaces the first notice.
pub const NOTICE_ID: &str = "panic-notice";

/// Installs a panic hook that logs the panic to the browser console (with its stack) and then
/// puts a visible notice with the message at the top of the page.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Err(error) = show_notice(&notice_text(info)) {
            web_sys::console::error_2(&"The panic notice could not be shown:".into(), &error);
        }
    }));
}

/// The sentence shown to the user for a panic.
fn notice_text(info: &PanicHookInfo<'_>) -> String {
    let message = panic_message(info.payload());
    match info.location() {
        Some(place) => format!(
            "The console stopped because of an internal error: {message} (at {}:{}).",
            place.file(),
            place.line()
        ),
        None => format!("The console stopped because of an internal error: {message}."),
    }
}

/// The text a panic was raised with: `panic!` gives a `&str` or a `String`; anything else (from
/// `panic_any`) has no text to show.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "no message was given"
    }
}

/// Puts the notice at the top of the page's body.
fn show_notice(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("there is no window")?;
    let document = window.document().ok_or("there is no document")?;
    let body = document.body().ok_or("the document has no body")?;
    let page_url = window.location().href()?;

    if let Some(previous) = document.get_element_by_id(NOTICE_ID) {
        previous.remove();
    }

    let notice = document.create_element("div")?;
    notice.set_id(NOTICE_ID);
    notice.set_class_name("panic-notice");
    notice.set_attribute("role", "alert")?;

    let heading = document.create_element("strong")?;
    heading.set_text_content(Some("Internal error"));
    let detail = document.create_element("p")?;
    detail.set_text_content(Some(text));
    let advice = document.create_element("p")?;
    let advice_text = format!("Please report this with the URL: {page_url}");
    advice.set_text_content(Some(&advice_text));
    notice.append_with_node_3(&heading, &detail, &advice)?;

    body.prepend_with_node_1(&notice)
}

#[cfg(test)]
mod tests {
    use super::panic_message;

    #[test]
    fn panic_message_reads_static_and_formatted_payloads() {
        let literal: Box<dyn std::any::Any + Send> = Box::new("valve map is empty");
        let formatted: Box<dyn std::any::Any + Send> = Box::new(format!("tick {} failed", 7));
        let other: Box<dyn std::any::Any + Send> = Box::new(42_u8);

        assert_eq!(panic_message(literal.as_ref()), "valve map is empty");
        assert_eq!(panic_message(formatted.as_ref()), "tick 7 failed");
        assert_eq!(panic_message(other.as_ref()), "no message was given");
    }
}
