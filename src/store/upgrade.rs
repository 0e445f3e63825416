//! Moves what schema version 1 kept (whole activities, pending or synced) into records and the
//! outbox, exactly as the server's migration and version 1 backups do
//! (`dvor_core::backup::legacy_creation`), so every copy of an old record agrees.

use dvor_core::activity::Activity;
use dvor_core::replica::Replica;
use serde::Deserialize;

use super::codec::{add, get, get_all, put};
use super::outbox::OutboxEntry;
use super::schema::{LEGACY_ACTIVITIES, OUTBOX, RECORDS};
use super::{Store, StoreError};

/// A record as version 1 stored it.
#[derive(Deserialize)]
struct LegacyActivity {
    activity: Activity,
    state: LegacyState,
}

/// `{"status": "pending" | "synced" | "rejected", …}`: only whether the server had it matters.
#[derive(Deserialize)]
struct LegacyState {
    status: String,
}

impl LegacyState {
    fn is_synced(&self) -> bool {
        self.status == "synced"
    }
}

impl Store {
    /// Empties the version 1 store into the current ones, in one transaction; does nothing on a
    /// device that never had version 1, or once done.
    pub(super) async fn move_legacy_activities(&self) -> Result<(), StoreError> {
        if !self
            .db
            .object_store_names()
            .any(|name| name == LEGACY_ACTIVITIES)
        {
            return Ok(());
        }
        let tx = self.writing([LEGACY_ACTIVITIES, RECORDS, OUTBOX])?;
        let legacy = tx.object_store(LEGACY_ACTIVITIES)?;
        let (records, outbox) = (tx.object_store(RECORDS)?, tx.object_store(OUTBOX)?);
        let old: Vec<LegacyActivity> = get_all(&legacy).await?;
        if old.is_empty() {
            return Ok(());
        }
        for LegacyActivity { activity, state } in old {
            let creation = dvor_core::backup::legacy_creation(&activity);
            let key = activity.id.to_string();
            if get::<Replica>(&records, key.as_str()).await?.is_some() {
                continue;
            }
            let replica = if state.is_synced() {
                Replica::with_server_state(None, &creation.change)
            } else {
                Replica::with_local_change(None, &creation.change)
            }
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            put(&records, &replica).await?;
            if !state.is_synced() {
                add(&outbox, &OutboxEntry::new(creation)).await?;
            }
        }
        legacy.clear()?.await?;
        tx.commit().await?;
        Ok(())
    }
}
