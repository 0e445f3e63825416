//! One sync at a time across every tab of the app, with the Web Locks API.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

/// The name of the lock every tab takes to sync.
pub const SYNC_LOCK: &str = "dvor-sync";

#[wasm_bindgen]
extern "C" {
    // web-sys has LockManager only behind `web_sys_unstable_apis`; this one call is all we need.
    #[wasm_bindgen(js_namespace = ["navigator", "locks"], js_name = request, catch)]
    fn request_lock(name: &str, callback: &js_sys::Function) -> Result<js_sys::Promise, JsValue>;
}

/// Runs `work` while holding the lock `name`, waiting for any other tab that holds it. Where
/// the browser has no Web Locks, runs it at once.
pub async fn exclusively<F>(name: &str, work: F)
where
    F: Future<Output = ()> + 'static,
{
    // The lock is held until the promise the callback returns settles, i.e. until `work` ends;
    // the promise `request` returns settles after that.
    let callback = Closure::once(move |_lock: JsValue| {
        future_to_promise(async move {
            work.await;
            Ok(JsValue::UNDEFINED)
        })
    });
    let function: &js_sys::Function = callback.as_ref().unchecked_ref();
    let held = match request_lock(name, function) {
        Ok(promise) => promise,
        // No Web Locks (an older browser): run unguarded, as a single tab would.
        Err(_) => match function.call1(&JsValue::NULL, &JsValue::NULL) {
            Ok(promise) => promise.unchecked_into(),
            Err(error) => {
                leptos::logging::warn!("sync did not start: {error:?}");
                return;
            }
        },
    };
    if let Err(error) = JsFuture::from(held).await {
        leptos::logging::warn!("sync lock failed: {error:?}");
    }
}

/// Runs `work` while no sync pass runs in any tab — signing in or out empties the store, and a
/// pass still writing a page would put records back — and returns what it gives; `None` if the
/// lock failed and `work` did not run.
pub async fn between_passes<T: 'static>(work: impl Future<Output = T> + 'static) -> Option<T> {
    let done = Rc::new(Cell::new(None));
    let slot = Rc::clone(&done);
    exclusively(SYNC_LOCK, async move { slot.set(Some(work.await)) }).await;
    done.take()
}
