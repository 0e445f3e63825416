//! Leaflet, its heat plugin, Supercluster and Двор's layer over them (`public/map/`), loaded when a screen first
//! shows a map and never before: the first load of the app stays without them. The service
//! worker keeps them with the app, so maps open with no network too.

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use crate::i18n::t;

const STYLES: [&str; 1] = ["/map/leaflet.css"];

/// In order: each needs the ones before it.
const SCRIPTS: [&str; 5] = [
    "/map/leaflet.js",
    "/map/supercluster.min.js",
    "/map/leaflet-heat.js",
    "/map/dvor-map.js",
    "/tile-cache.js",
];

thread_local! {
    /// The one loading, shared by every map that waits for it; forgotten if it fails, so the
    /// next map tries again.
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Loads the map code once; the reason in the person's words if it cannot be loaded.
pub async fn load() -> Result<(), String> {
    let promise = LOADING.with(|loading| {
        loading
            .borrow_mut()
            .get_or_insert_with(|| {
                future_to_promise(async {
                    load_all().await?;
                    Ok(JsValue::UNDEFINED)
                })
            })
            .clone()
    });
    match JsFuture::from(promise).await {
        Ok(_) => Ok(()),
        Err(_) => {
            LOADING.with(|loading| loading.borrow_mut().take());
            Err(t().map.map_unavailable.to_owned())
        }
    }
}

async fn load_all() -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let head = document.head().ok_or(JsValue::NULL)?;
    let mut styles = Vec::new();
    for href in STYLES {
        let link = document.create_element("link")?;
        link.set_attribute("rel", "stylesheet")?;
        link.set_attribute("href", href)?;
        styles.push(loaded(&link));
        head.append_child(&link)?;
    }
    for src in SCRIPTS {
        let script = document.create_element("script")?;
        script.set_attribute("src", src)?;
        let done = loaded(&script);
        head.append_child(&script)?;
        done.await?;
    }
    for style in styles {
        style.await?;
    }
    Ok(())
}

/// Settles when `element` has loaded, or failed to.
fn loaded(element: &web_sys::Element) -> JsFuture {
    let element: &web_sys::HtmlElement = element.unchecked_ref();
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        element.set_onload(Some(&resolve));
        element.set_onerror(Some(&reject));
    }))
}
