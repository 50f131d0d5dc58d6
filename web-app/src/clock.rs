//! Milliseconds from a monotonic clock: the page's `performance.now()` in the browser, and the
//! process's own clock natively (where the console's pure parts are tested).

/// Milliseconds since an arbitrary origin, never going backwards.
#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Milliseconds since an arbitrary origin, never going backwards.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}
