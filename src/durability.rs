//! Asking the browser to keep the app's data (`navigator.storage.persist()`), so it is not
//! evicted when the device runs low on space, and keeping its answer for the screens.

use dvor_core::keeping::Persistence as Answer;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The browser's answer, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct Persistence(pub RwSignal<Answer>);

/// Asks once, at start, unless the data is kept already. Chromium decides without a prompt
/// (an installed app is granted); Firefox may ask the person; WebKit grants an app on the home
/// screen; a browser without the Storage API cannot promise at all.
pub fn request() -> Persistence {
    let answer = RwSignal::new(Answer::Asking);
    leptos::task::spawn_local(async move {
        answer.set(ask().await.unwrap_or(Answer::Unsupported));
    });
    Persistence(answer)
}

async fn ask() -> Option<Answer> {
    let navigator = web_sys::window()?.navigator();
    // Older WebKit has no `navigator.storage`; web-sys would hand out `undefined` as one.
    let storage = js_sys::Reflect::get(&navigator, &JsValue::from_str("storage")).ok()?;
    if storage.is_undefined() {
        return None;
    }
    let storage = navigator.storage();
    let kept = |value: JsValue| match value.as_bool() {
        Some(true) => Answer::Kept,
        _ => Answer::NotKept,
    };
    if let Ok(already) = storage.persisted()
        && kept(JsFuture::from(already).await.ok()?) == Answer::Kept
    {
        return Some(Answer::Kept);
    }
    Some(kept(JsFuture::from(storage.persist().ok()?).await.ok()?))
}
