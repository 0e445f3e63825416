//! The lists' order, kept in each record's stored value (`{ o: <order key>, j: <JSON> }`) and
//! indexed, so a list's first screen is read through the index without reading every record.
//! Every write of a record goes through [`put_replica`], which sets the order with the record.

use std::collections::HashMap;

use dvor_core::id::RecordId;
use dvor_core::order::{Section, list_order};
use dvor_core::replica::Replica;
use indexed_db_futures::KeyRange;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

use super::codec::{TEXT, encode, get_all, get_many};
use super::outbox::{self, OutboxEntry};
use super::schema::{OLD_REPLICAS, ORDER, OUTBOX, REPLICAS};
use super::{Store, StoreError};

/// Some records of a section, in list order.
#[derive(Debug, Default)]
pub struct Listed {
    /// The records, each with its changes still in the outbox.
    pub records: Vec<(Replica, Vec<OutboxEntry>)>,
    /// The key of the last one, to read on from.
    pub last: Option<String>,
}

/// Writes `replica` with its place in the lists.
pub(super) fn put_replica(replicas: &ObjectStore<'_>, replica: &Replica) -> Result<(), StoreError> {
    let value = js_sys::Object::new();
    let set = |name: &str, field: &JsValue| {
        js_sys::Reflect::set(&value, &name.into(), field)
            .map(drop)
            .map_err(|e| StoreError::Corrupt(format!("{e:?}")))
    };
    set(TEXT, &encode(replica)?)?;
    if let Some(order) = list_order(&replica.state) {
        set("o", &order.into())?;
    }
    replicas
        .as_sys()
        .put_with_key(&value, &replica.state.id.to_string().into())
        .map(drop)
        .map_err(|e| StoreError::Request(e.into()))
}

fn bounds(section: Section, after: Option<&str>) -> KeyRange<String> {
    let (low, high) = section.bounds();
    match after {
        Some(after) => KeyRange::Bound(after.to_owned(), true, high, true),
        None => KeyRange::Bound(low, false, high, true),
    }
}

impl Store {
    /// Up to `limit` records of `section` in list order, after the one whose key is `after`
    /// (from the first when `None`).
    pub async fn listed(
        &self,
        section: Section,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Listed, StoreError> {
        let tx = self.reading([REPLICAS, OUTBOX])?;
        let store = tx.object_store(REPLICAS)?;
        let ids = store
            .index(ORDER)?
            .get_all_keys::<JsValue>()
            .with_query::<String, _>(bounds(section, after))
            .with_limit(limit)
            .primitive()?
            .await?
            .collect::<Result<Vec<JsValue>, _>>()?;
        let replicas: Vec<Replica> = get_many(&store, ids).await?.into_iter().flatten().collect();
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
        })
    }

    /// How many records `section` holds.
    pub async fn count(&self, section: Section) -> Result<usize, StoreError> {
        let tx = self.reading(REPLICAS)?;
        let count = tx
            .object_store(REPLICAS)?
            .index(ORDER)?
            .count()
            .with_query::<String, _>(bounds(section, None))
            .primitive()?
            .await?;
        Ok(count as usize)
    }

    /// Moves the records a device kept before schema 6 into the store that orders them, in one
    /// transaction, once: the old store is left empty.
    pub(super) async fn move_old_records(&self) -> Result<(), StoreError> {
        if !self
            .db
            .object_store_names()
            .any(|name| name == OLD_REPLICAS)
        {
            return Ok(());
        }
        let tx = self.writing([OLD_REPLICAS, REPLICAS])?;
        let old = tx.object_store(OLD_REPLICAS)?;
        let kept: Vec<Replica> = get_all(&old).await?;
        if kept.is_empty() {
            return Ok(());
        }
        let replicas = tx.object_store(REPLICAS)?;
        for replica in &kept {
            put_replica(&replicas, replica)?;
        }
        old.clear()?.await?;
        tx.commit().await?;
        Ok(())
    }
}
