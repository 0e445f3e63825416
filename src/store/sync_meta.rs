//! What the device remembers about syncing, and its clock.

use dvor_core::hlc::{Hlc, HlcClock, NodeId};
use dvor_core::lineage::Lineage;
use indexed_db_futures::object_store::ObjectStore;
use serde::{Deserialize, Serialize};

use super::codec::{get, put};
use super::schema::META;
use super::{Store, StoreError};

const KEY: &str = "sync";

/// The device's sync bookkeeping.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncMeta {
    /// The server's cursor after the last page applied here.
    pub cursor: u64,
    /// When the last sync succeeded (ms since the epoch, device clock), for display only.
    pub last_synced_ms: Option<f64>,
    /// This device's node id, chosen at random when the store is first opened.
    #[serde(default)]
    pub node: Option<NodeId>,
    /// The last timestamp this device made or saw: its hybrid logical clock.
    #[serde(default)]
    pub hlc: Hlc,
    /// The server's clock minus the device's, as last measured, so that a phone with a wrong
    /// date still stamps its changes with the right time once it has synced.
    #[serde(default)]
    pub clock_offset_ms: i64,
    /// The server's lineage, as the pages applied here said: a page of another one means the
    /// server was restored from a backup, and the device starts over.
    #[serde(default)]
    pub lineage: Option<Lineage>,
}

impl Store {
    /// The sync bookkeeping; the default before the first sync.
    pub async fn sync_meta(&self) -> Result<SyncMeta, StoreError> {
        let tx = self.reading(META)?;
        read(&tx.object_store(META)?).await
    }

    /// Records a completed sync.
    pub async fn set_last_synced(&self, ms: f64) -> Result<(), StoreError> {
        let tx = self.writing(META)?;
        update(&tx.object_store(META)?, |meta| {
            meta.last_synced_ms = Some(ms)
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives the device its node id on first use.
    pub(super) async fn ensure_node(&self) -> Result<(), StoreError> {
        let fresh = crate::clock::new_node_id()?;
        let tx = self.writing(META)?;
        update(&tx.object_store(META)?, |meta| {
            meta.node.get_or_insert(fresh);
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The device's time corrected by the server's, in ms.
fn corrected_now(meta: &SyncMeta) -> u64 {
    (crate::clock::now_ms() as i64)
        .saturating_add(meta.clock_offset_ms)
        .max(0) as u64
}

/// The bookkeeping, read inside a caller's transaction.
pub(super) async fn read(store: &ObjectStore<'_>) -> Result<SyncMeta, StoreError> {
    Ok(get(store, KEY).await?.unwrap_or_default())
}

/// Changes the bookkeeping inside a caller's read-write transaction, so that, for example, the
/// cursor lands together with the records of its page or not at all.
pub(super) async fn update<R>(
    store: &ObjectStore<'_>,
    change: impl FnOnce(&mut SyncMeta) -> R,
) -> Result<R, StoreError> {
    let mut meta = read(store).await?;
    let result = change(&mut meta);
    put(store, KEY, &meta)?;
    Ok(result)
}

/// A timestamp for a change made now, inside the caller's transaction: the clock advances
/// together with the change it stamps or not at all, also when two tabs write at once.
pub(super) async fn stamp(store: &ObjectStore<'_>) -> Result<Hlc, StoreError> {
    update(store, |meta| {
        let node = meta
            .node
            .ok_or_else(|| StoreError::Corrupt("the device has no node id".to_owned()))?;
        let now = corrected_now(meta);
        let mut clock = HlcClock::resume(node, meta.hlc, now);
        meta.hlc = clock.tick(now);
        Ok(meta.hlc)
    })
    .await?
}

/// Takes in what a pull page says about time: the latest timestamp in it, so the device's next
/// change is later, and the server's clock.
pub(super) fn observe(meta: &mut SyncMeta, latest: Hlc, server_time_ms: u64) {
    meta.clock_offset_ms = (server_time_ms as i64).saturating_sub(crate::clock::now_ms() as i64);
    if let Some(node) = meta.node {
        let now = corrected_now(meta);
        let mut clock = HlcClock::resume(node, meta.hlc, now);
        clock.observe(latest, now);
        meta.hlc = clock.last();
    }
}
