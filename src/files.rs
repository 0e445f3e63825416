//! Files the person saves or picks: downloads made in the page, and reading a chosen file.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, HtmlAnchorElement, Url};

/// Offers `text` as a download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    save(name, &blob)
}

/// Offers the text `fetched` brings as a download named `name`; why it could not, if it
/// could not.
pub async fn download_fetched(
    name: &str,
    mime: &str,
    fetched: impl Future<Output = Result<String, crate::api::ApiFailure>>,
) -> Result<(), String> {
    download(
        name,
        mime,
        &fetched.await.map_err(|failure| failure.to_string())?,
    )
}

/// Offers `blob` as a download named `name`.
pub fn save(name: &str, blob: &Blob) -> Result<(), String> {
    let url = Url::create_object_url_with_blob(blob).map_err(describe)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(describe)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    Url::revoke_object_url(&url).map_err(describe)
}

fn describe(error: JsValue) -> String {
    format!("{error:?}")
}

/// The text of a file the person chose.
pub async fn read_text(file: &File) -> Result<String, String> {
    let text = JsFuture::from(file.text())
        .await
        .map_err(|e| format!("{e:?}"))?;
    text.as_string().ok_or_else(|| "not text".to_owned())
}
