//! How records become IndexedDB values: through JSON, into plain JS objects.
//!
//! serde_json is in the bundle anyway (the API speaks JSON); going through it rather than
//! serde-wasm-bindgen keeps one serde implementation per type in the wasm instead of two.

use indexed_db_futures::KeyRange;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use super::StoreError;

/// A value as IndexedDB stores it: a plain object, so key paths such as `activity.id` work.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let json = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|e| StoreError::Corrupt(format!("{e:?}")))
}

/// A stored value read back; `None` for a missing one.
fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<Option<T>, StoreError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let json =
        js_sys::JSON::stringify(&value).map_err(|e| StoreError::Corrupt(format!("{e:?}")))?;
    serde_json::from_str(&String::from(json))
        .map(Some)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The value under `key`, if any.
pub(super) async fn get<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
    key: impl Into<JsValue>,
) -> Result<Option<T>, StoreError> {
    let value = store.get::<JsValue, _, _>(key.into()).primitive()?.await?;
    value.map_or(Ok(None), from_js)
}

/// Starts reading the value under `key` and returns its completion, so that many reads can be
/// in flight in one transaction instead of one round trip each.
pub(super) fn get_soon<'s, 'tx, T: DeserializeOwned>(
    store: &'s ObjectStore<'tx>,
    key: String,
) -> Result<impl Future<Output = Result<Option<T>, StoreError>> + use<'s, 'tx, T>, StoreError> {
    let request = store.get::<JsValue, _, _>(JsValue::from(key)).primitive()?;
    Ok(async move { request.await?.map_or(Ok(None), from_js) })
}

/// Starts writing a value (to a store with a key path) and returns its completion; see
/// [`get_soon`].
pub(super) fn put_soon<'s, 'tx, T: Serialize>(
    store: &'s ObjectStore<'tx>,
    value: &T,
) -> Result<impl Future<Output = Result<(), StoreError>> + use<'s, 'tx, T>, StoreError> {
    let request = store.put(to_js(value)?).primitive()?;
    Ok(async move {
        request.await?;
        Ok(())
    })
}

/// Every value of the store, in key order.
pub(super) async fn get_all<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
) -> Result<Vec<T>, StoreError> {
    let mut all = Vec::new();
    for value in store.get_all::<JsValue>().primitive()?.await? {
        all.extend(from_js(value?)?);
    }
    Ok(all)
}

/// Up to `limit` values whose (numeric) keys are greater than `after`, in key order.
pub(super) async fn get_after<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
    after: f64,
    limit: u32,
) -> Result<Vec<T>, StoreError> {
    let mut all = Vec::new();
    let values = store
        .get_all::<JsValue>()
        .with_query::<f64, _>(KeyRange::LowerBound(after, true))
        .with_limit(limit)
        .primitive()?
        .await?;
    for value in values {
        all.extend(from_js(value?)?);
    }
    Ok(all)
}

/// Adds a value to a store with a key path; fails if its key is taken.
pub(super) async fn add<T: Serialize>(
    store: &ObjectStore<'_>,
    value: &T,
) -> Result<(), StoreError> {
    store.add(to_js(value)?).primitive()?.await?;
    Ok(())
}

/// Writes a value to a store with a key path, replacing any under its key.
pub(super) async fn put<T: Serialize>(
    store: &ObjectStore<'_>,
    value: &T,
) -> Result<(), StoreError> {
    store.put(to_js(value)?).primitive()?.await?;
    Ok(())
}

/// Writes a value under an explicit key.
pub(super) async fn put_at<T: Serialize>(
    store: &ObjectStore<'_>,
    key: &str,
    value: &T,
) -> Result<(), StoreError> {
    store.put(to_js(value)?).with_key(key).primitive()?.await?;
    Ok(())
}

/// Deletes the value under `key`, if any.
pub(super) async fn remove(
    store: &ObjectStore<'_>,
    key: impl Into<JsValue>,
) -> Result<(), StoreError> {
    store.delete(key.into()).primitive()?.await?;
    Ok(())
}
