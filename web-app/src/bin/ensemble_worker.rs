//! The Web Worker of an ensemble: says it is ready, waits for its work order, then runs its
//! block of seeds one after another and posts each run's outcome to the page as JSON.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_app::ensemble::{WorkOrder, WorkerReport};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn post(scope: &DedicatedWorkerGlobalScope, report: &WorkerReport) {
    let text = serde_json::to_string(report).expect("reports serialise");
    if let Err(error) = scope.post_message(&JsValue::from_str(&text)) {
        wasm_bindgen::throw_val(error);
    }
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();

    // The handler lives as long as the worker, which the page terminates when it is done.
    let reply_to = scope.clone();
    let on_order = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let order: WorkOrder = match serde_json::from_str(&text) {
            Ok(order) => order,
            Err(error) => wasm_bindgen::throw_str(&format!(
                "the ensemble worker cannot read its work order ({error})"
            )),
        };
        for seed in order.seeds() {
            let outcome = twin::ensemble::run_outcome(order.scenario, seed, order.ticks);
            post(&reply_to, &WorkerReport::Outcome(outcome));
        }
    });
    scope.set_onmessage(Some(on_order.as_ref().unchecked_ref()));
    on_order.forget();

    post(&scope, &WorkerReport::Ready);
}
