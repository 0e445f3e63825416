//! Asking the browser to keep the app's data (`navigator.storage.persist()`), so it is not
//! evicted when the device runs low on space.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Whether the browser granted persistent storage; `None` until it answered or if it cannot.
#[derive(Clone, Copy, Debug)]
pub struct Persistence(pub RwSignal<Option<bool>>);

/// Asks once, at start. Chromium grants it to installed apps and often decides without a prompt.
pub fn request() -> Persistence {
    let granted = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
            return;
        };
        let Ok(promise) = storage.persist() else {
            return;
        };
        if let Ok(answer) = JsFuture::from(promise).await {
            granted.set(answer.as_bool());
        }
    });
    Persistence(granted)
}
