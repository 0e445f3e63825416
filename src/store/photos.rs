//! Photos on the device: their bytes and type (never copied through wasm) and which of them the
//! server still needs.
//!
//! A photo is kept as `{ type, bytes: ArrayBuffer }`, not as a `Blob`: WebKit refuses to put a
//! `Blob` in IndexedDB in a private tab and, on some iOS releases, in an ordinary one ("Error
//! preparing Blob/File data to be stored in object store"), and would lose the photo. Photos
//! kept as `Blob`s by earlier versions are still read.

use dvor_core::photo::BlobHash;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::codec::{put, remove, text_keys};
use super::schema::{PHOTOS, UPLOADS};
use super::{Store, StoreError};

impl Store {
    /// Keeps `blob` under `hash`, and when `unsent` marks it for sending, in one transaction:
    /// a photo made here is never kept without being queued.
    pub async fn keep_photo(
        &self,
        hash: BlobHash,
        blob: &web_sys::Blob,
        unsent: bool,
    ) -> Result<(), StoreError> {
        let stores = if unsent {
            vec![PHOTOS, UPLOADS]
        } else {
            vec![PHOTOS]
        };
        // Read before the transaction opens: awaiting anything but IndexedDB inside one ends it.
        let kept = stored_form(blob).await?;
        let tx = self.writing_durably(stores)?;
        tx.object_store(PHOTOS)?
            .as_sys()
            .put_with_key(&kept, &hash.to_string().into())
            .map_err(js_error)?;
        if unsent {
            put(&tx.object_store(UPLOADS)?, hash.to_string(), &true)?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The photo or thumbnail `hash`, if the device has it.
    pub async fn photo(&self, hash: BlobHash) -> Result<Option<web_sys::Blob>, StoreError> {
        let tx = self.reading(PHOTOS)?;
        let value: Option<JsValue> = tx
            .object_store(PHOTOS)?
            .get(hash.to_string())
            .primitive()?
            .await?;
        value.map(read_form).transpose()
    }

    /// The photos made here that the server does not have yet.
    pub async fn unsent_photos(&self) -> Result<Vec<BlobHash>, StoreError> {
        let tx = self.reading(UPLOADS)?;
        let keys = text_keys(&tx.object_store(UPLOADS)?).await?;
        Ok(keys.iter().filter_map(|key| key.parse().ok()).collect())
    }

    /// Marks photo `hash` as held by the server.
    pub async fn photo_sent(&self, hash: BlobHash) -> Result<(), StoreError> {
        let tx = self.writing(UPLOADS)?;
        remove(&tx.object_store(UPLOADS)?, hash.to_string())?;
        tx.commit().await?;
        Ok(())
    }
}

const TYPE: &str = "type";
const BYTES: &str = "bytes";

/// `blob` as the object kept in [`PHOTOS`].
async fn stored_form(blob: &web_sys::Blob) -> Result<js_sys::Object, StoreError> {
    let bytes = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map_err(js_error)?;
    let kept = js_sys::Object::new();
    for (key, value) in [(TYPE, JsValue::from(blob.type_())), (BYTES, bytes)] {
        js_sys::Reflect::set(&kept, &key.into(), &value).map_err(js_error)?;
    }
    Ok(kept)
}

/// The photo kept as `value`: a `Blob` from an earlier version, or [`stored_form`]'s object.
fn read_form(value: JsValue) -> Result<web_sys::Blob, StoreError> {
    let value = match value.dyn_into::<web_sys::Blob>() {
        Ok(blob) => return Ok(blob),
        Err(value) => value,
    };
    let field = |key: &str| js_sys::Reflect::get(&value, &key.into()).map_err(js_error);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&field(TYPE)?.as_string().unwrap_or_default());
    web_sys::Blob::new_with_buffer_source_sequence_and_options(
        &js_sys::Array::of1(&field(BYTES)?),
        &options,
    )
    .map_err(js_error)
}

fn js_error(error: JsValue) -> StoreError {
    StoreError::Request(error.into())
}
