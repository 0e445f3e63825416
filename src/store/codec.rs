//! How values are kept in IndexedDB: as JSON text.
//!
//! Text is the cheapest value to move between wasm and IndexedDB: serde writes it in one pass,
//! IndexedDB clones a string without walking an object graph, and reading it back needs nothing
//! but serde again (docs/benchmarks.md has the numbers). serde_json is in the bundle anyway, as
//! the API speaks JSON.
//!
//! A record is kept with its list order beside the text, as `{ o, j }` (`listing.rs`), so an
//! index can reach the order; reading takes the text from either form.
//!
//! Writes are issued, not awaited: a failed one aborts its transaction, and the transaction's
//! commit reports it. They go to `web_sys` directly: the library would hang a Rust closure on
//! every request (a third of a page's time, measured), and nothing listens to these.

use indexed_db_futures::KeyRange;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use super::StoreError;

pub(super) fn encode<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let json = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(JsValue::from_str(&json))
}

/// The property of a stored object that holds the JSON text.
pub(super) const TEXT: &str = "j";

/// A stored value read back; `None` for a missing one.
fn decode<T: DeserializeOwned>(value: JsValue) -> Result<Option<T>, StoreError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let text = if value.is_string() {
        value
    } else {
        js_sys::Reflect::get(&value, &TEXT.into()).unwrap_or(JsValue::UNDEFINED)
    };
    let json = text
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("a stored value is not text".to_owned()))?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The value under `key`, if any.
pub(super) async fn get<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
    key: impl Into<JsValue>,
) -> Result<Option<T>, StoreError> {
    let value = store.get::<JsValue, _, _>(key.into()).primitive()?.await?;
    value.map_or(Ok(None), decode)
}

/// The values under `keys`, in their order, read with one round trip: the reads are issued
/// bare, then one more request is awaited. A transaction answers its requests in the order they
/// were made, so once that one is answered, every read before it is too.
pub(super) async fn get_many<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
    keys: impl IntoIterator<Item = JsValue>,
) -> Result<Vec<Option<T>>, StoreError> {
    let reads = keys
        .into_iter()
        .map(|key| store.as_sys().get(&key))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StoreError::Request(e.into()))?;
    if reads.is_empty() {
        return Ok(Vec::new());
    }
    store.count().primitive()?.await?;
    reads
        .into_iter()
        .map(|read| {
            read.result()
                .map_err(|e| StoreError::Request(e.into()))
                .and_then(decode)
        })
        .collect()
}

/// Every value of the store, in key order.
pub(super) async fn get_all<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
) -> Result<Vec<T>, StoreError> {
    let mut all = Vec::new();
    for value in store.get_all::<JsValue>().primitive()?.await? {
        all.extend(decode(value?)?);
    }
    Ok(all)
}

/// Every text key of the store.
pub(super) async fn text_keys(store: &ObjectStore<'_>) -> Result<Vec<String>, StoreError> {
    let mut keys = Vec::new();
    for key in store.get_all_keys::<JsValue>().primitive()?.await? {
        keys.extend(key?.as_string());
    }
    Ok(keys)
}

/// Up to `limit` values whose keys lie between `first` and `last`, both included, in key order.
pub(super) async fn get_between<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
    first: String,
    last: String,
    limit: u32,
) -> Result<Vec<T>, StoreError> {
    let mut all = Vec::new();
    let values = store
        .get_all::<JsValue>()
        .with_query::<String, _>(KeyRange::Bound(first, false, last, false))
        .with_limit(limit)
        .primitive()?
        .await?;
    for value in values {
        all.extend(decode(value?)?);
    }
    Ok(all)
}

/// Up to `limit` values whose numeric keys are greater than `after`, with their keys, in key
/// order. Both lists are asked for at once, in the caller's transaction, so they match.
pub(super) async fn entries_after<T: DeserializeOwned>(
    store: &ObjectStore<'_>,
    after: f64,
    limit: u32,
) -> Result<Vec<(f64, T)>, StoreError> {
    let range = || KeyRange::LowerBound(after, true);
    let keys = store
        .get_all_keys::<JsValue>()
        .with_query::<f64, _>(range())
        .with_limit(limit)
        .primitive()?;
    let values = store
        .get_all::<JsValue>()
        .with_query::<f64, _>(range())
        .with_limit(limit)
        .primitive()?;
    let (keys, values) = (keys.await?, values.await?);
    let mut all = Vec::new();
    for (key, value) in keys.zip(values) {
        let key = key?
            .as_f64()
            .ok_or_else(|| StoreError::Corrupt("an outbox key is not a number".to_owned()))?;
        all.extend(decode(value?)?.map(|value| (key, value)));
    }
    Ok(all)
}

/// Writes `value` under `key`, replacing any value there.
pub(super) fn put<T: Serialize>(
    store: &ObjectStore<'_>,
    key: impl Into<JsValue>,
    value: &T,
) -> Result<(), StoreError> {
    issued(store.as_sys().put_with_key(&encode(value)?, &key.into()))
}

/// Adds `value` under the next key of an auto-incremented store.
pub(super) fn add<T: Serialize>(store: &ObjectStore<'_>, value: &T) -> Result<(), StoreError> {
    issued(store.as_sys().add(&encode(value)?))
}

/// Deletes the value under `key`, if any.
pub(super) fn remove(store: &ObjectStore<'_>, key: impl Into<JsValue>) -> Result<(), StoreError> {
    issued(store.as_sys().delete(&key.into()))
}

/// Deletes every value whose numeric key is between `first` and `last`, both included: one
/// request, where deleting key by key costs one each (and a delete is among IndexedDB's
/// slowest requests).
pub(super) fn remove_between(
    store: &ObjectStore<'_>,
    first: f64,
    last: f64,
) -> Result<(), StoreError> {
    let range = web_sys::IdbKeyRange::bound(&first.into(), &last.into())
        .map_err(|e| StoreError::Request(e.into()))?;
    issued(store.as_sys().delete(&range))
}

/// Whether a write could be issued (the transaction is still active, the key is valid).
fn issued(request: Result<web_sys::IdbRequest, JsValue>) -> Result<(), StoreError> {
    request.map(drop).map_err(|e| StoreError::Request(e.into()))
}
