//! The lists' order, kept beside the records: every write of a record goes through
//! [`put_replica`] or [`remove_replica`], which keep its entry in [`LISTING`] in the same
//! transaction, so a list's first screen is read through the index without reading every record.

use std::collections::HashMap;

use dvor_core::id::RecordId;
use dvor_core::order::{Section, list_order};
use dvor_core::replica::Replica;
use indexed_db_futures::KeyRange;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

use super::codec::{get, get_all, get_many, put, remove};
use super::outbox::{self, OutboxEntry};
use super::schema::{LISTING, META, ORDER, OUTBOX, REPLICAS};
use super::{Store, StoreError};

/// The meta key marking that [`LISTING`] holds every record (schema 6 starts it empty).
const BUILT: &str = "listing-built";

/// Some records of a section, in list order.
#[derive(Debug, Default)]
pub struct Listed {
    /// The records, each with its changes still in the outbox.
    pub records: Vec<(Replica, Vec<OutboxEntry>)>,
    /// The key of the last one, to read on from.
    pub last: Option<String>,
    /// How many records the section holds in all.
    pub total: u32,
}

/// Writes `replica` and its place in the lists.
pub(super) fn put_replica(
    replicas: &ObjectStore<'_>,
    listing: &ObjectStore<'_>,
    replica: &Replica,
) -> Result<(), StoreError> {
    put(replicas, replica.state.id.to_string(), replica)?;
    put_listing(listing, replica)
}

/// Writes the place of `replica` in the lists: its order key, or none.
fn put_listing(listing: &ObjectStore<'_>, replica: &Replica) -> Result<(), StoreError> {
    let key = replica.state.id.to_string();
    match list_order(&replica.state) {
        Some(order) => {
            let entry = js_sys::Object::new();
            js_sys::Reflect::set(&entry, &"o".into(), &order.into())
                .map_err(|e| StoreError::Corrupt(format!("{e:?}")))?;
            listing
                .as_sys()
                .put_with_key(&entry, &key.into())
                .map(drop)
                .map_err(|e| StoreError::Request(e.into()))
        }
        None => remove(listing, key),
    }
}

/// Removes record `id` and its place in the lists.
pub(super) fn remove_replica(
    replicas: &ObjectStore<'_>,
    listing: &ObjectStore<'_>,
    id: RecordId,
) -> Result<(), StoreError> {
    remove(replicas, id.to_string())?;
    remove(listing, id.to_string())
}

impl Store {
    /// Up to `limit` records of `section` in list order, after the one whose key is `after`
    /// (from the first when `None`), with how many the section holds.
    pub async fn listed(
        &self,
        section: Section,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Listed, StoreError> {
        let tx = self.reading([LISTING, REPLICAS, OUTBOX])?;
        let listing = tx.object_store(LISTING)?;
        let order = listing.index(ORDER)?;
        let (low, high) = section.bounds();
        let range = match after {
            Some(after) => KeyRange::Bound(after.to_owned(), true, high.clone(), true),
            None => KeyRange::Bound(low.clone(), false, high.clone(), true),
        };
        let ids = order
            .get_all_keys::<JsValue>()
            .with_query::<String, _>(range)
            .with_limit(limit)
            .primitive()?;
        let total = order
            .count()
            .with_query::<String, _>(KeyRange::Bound(low, false, high, true))
            .primitive()?;
        let ids = ids.await?.collect::<Result<Vec<JsValue>, _>>()?;
        let total = total.await?;
        let replicas: Vec<Replica> = get_many(&tx.object_store(REPLICAS)?, ids)
            .await?
            .into_iter()
            .flatten()
            .collect();
        let mut waiting: HashMap<RecordId, Vec<OutboxEntry>> = HashMap::new();
        if !replicas.is_empty() {
            for entry in outbox::all(&tx.object_store(OUTBOX)?).await? {
                waiting
                    .entry(entry.mutation.change.id)
                    .or_default()
                    .push(entry);
            }
        }
        Ok(Listed {
            last: replicas.last().and_then(|r| list_order(&r.state)),
            records: replicas
                .into_iter()
                .map(|replica| {
                    let entries = waiting.remove(&replica.state.id).unwrap_or_default();
                    (replica, entries)
                })
                .collect(),
            total,
        })
    }

    /// Puts every record in the lists, once: a device that kept records before schema 6.
    pub(super) async fn ensure_listing(&self) -> Result<(), StoreError> {
        let tx = self.writing([REPLICAS, LISTING, META])?;
        let meta = tx.object_store(META)?;
        if get::<bool>(&meta, BUILT).await?.unwrap_or(false) {
            return Ok(());
        }
        let listing = tx.object_store(LISTING)?;
        for replica in get_all::<Replica>(&tx.object_store(REPLICAS)?).await? {
            put_listing(&listing, &replica)?;
        }
        put(&meta, BUILT, &true)?;
        tx.commit().await?;
        Ok(())
    }
}
