//! Photos on the device: the blobs themselves (kept as `Blob`s, which IndexedDB stores without
//! copying them through wasm) and which of them the server still needs.

use dvor_core::photo::BlobHash;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::codec::{put, remove};
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
        let tx = self.writing_durably(stores)?;
        tx.object_store(PHOTOS)?
            .as_sys()
            .put_with_key(blob, &hash.to_string().into())
            .map_err(|e| StoreError::Request(e.into()))?;
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
        Ok(value.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
    }

    /// The photos made here that the server does not have yet.
    pub async fn unsent_photos(&self) -> Result<Vec<BlobHash>, StoreError> {
        let tx = self.reading(UPLOADS)?;
        let keys = tx
            .object_store(UPLOADS)?
            .get_all_keys::<JsValue>()
            .primitive()?
            .await?;
        let mut hashes = Vec::new();
        for key in keys {
            if let Some(hash) = key?.as_string().and_then(|k| k.parse().ok()) {
                hashes.push(hash);
            }
        }
        Ok(hashes)
    }

    /// Marks photo `hash` as held by the server.
    pub async fn photo_sent(&self, hash: BlobHash) -> Result<(), StoreError> {
        let tx = self.writing(UPLOADS)?;
        remove(&tx.object_store(UPLOADS)?, hash.to_string())?;
        tx.commit().await?;
        Ok(())
    }
}
