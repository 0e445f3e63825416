//! Handing a link on: copying it to the clipboard, or the system's share sheet (Web Share API)
//! where the browser has one. Both are reached through `navigator` by name, as not every
//! browser has them.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a link could not be handed on, in the browser's words.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ShareError(String);

fn navigator() -> Option<JsValue> {
    web_sys::window().map(|w| w.navigator().into())
}

/// The method `name` of `target`, if it has one.
fn method(target: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(target, &name.into()).ok()?.dyn_into().ok()
}

/// Calls `target.name(arg)` and waits for its promise; the error is the browser's.
async fn call(target: &JsValue, name: &str, arg: &JsValue) -> Result<(), JsValue> {
    let unavailable = || JsValue::from_str(name);
    let function = method(target, name).ok_or_else(unavailable)?;
    let promise: Promise = function
        .call1(target, arg)?
        .dyn_into()
        .map_err(|_| unavailable())?;
    JsFuture::from(promise).await.map(drop)
}

/// The browser's error in words.
fn describe(error: JsValue) -> ShareError {
    ShareError(
        Reflect::get(&error, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| error.as_string())
            .unwrap_or_else(|| format!("{error:?}")),
    )
}

/// Copies `text` to the clipboard.
pub async fn copy(text: &str) -> Result<(), ShareError> {
    let clipboard = navigator()
        .and_then(|n| Reflect::get(&n, &"clipboard".into()).ok())
        .filter(|c| !c.is_undefined())
        .ok_or_else(|| ShareError("clipboard".to_owned()))?;
    call(&clipboard, "writeText", &text.into())
        .await
        .map_err(describe)
}

/// Whether the browser has a share sheet.
pub fn can_share() -> bool {
    navigator().is_some_and(|n| method(&n, "share").is_some())
}

/// Opens the share sheet with `title`, `text` and `url`. A person who closes it without
/// sharing has not failed: that is `Ok`.
pub async fn share(title: &str, text: &str, url: &str) -> Result<(), ShareError> {
    let navigator = navigator().ok_or_else(|| ShareError("share".to_owned()))?;
    let data = Object::new();
    for (key, value) in [("title", title), ("text", text), ("url", url)] {
        Reflect::set(&data, &key.into(), &value.into()).map_err(describe)?;
    }
    match call(&navigator, "share", &data).await {
        Err(error) if Reflect::get(&error, &"name".into()).ok() == Some("AbortError".into()) => {
            Ok(())
        }
        other => other.map_err(describe),
    }
}
