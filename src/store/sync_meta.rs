//! What the device remembers about syncing.

use indexed_db_futures::object_store::ObjectStore;
use serde::{Deserialize, Serialize};

use super::codec::{get, put_at};
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
}

impl Store {
    /// The sync bookkeeping; the default before the first sync.
    pub async fn sync_meta(&self) -> Result<SyncMeta, StoreError> {
        let tx = self.reading(META)?;
        Ok(get(&tx.object_store(META)?, KEY).await?.unwrap_or_default())
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
}

/// Changes the bookkeeping inside a caller's read-write transaction, so that, for example, the
/// cursor lands together with the records of its page or not at all.
pub(super) async fn update(
    store: &ObjectStore<'_>,
    change: impl FnOnce(&mut SyncMeta),
) -> Result<(), StoreError> {
    let mut meta: SyncMeta = get(store, KEY).await?.unwrap_or_default();
    change(&mut meta);
    put_at(store, KEY, &meta).await
}
