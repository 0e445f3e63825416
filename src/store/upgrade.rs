//! Moves what older schema versions kept into the current stores, right after opening (see
//! `schema.rs`). Each move is one transaction that empties the old store, so it happens once,
//! and a device that skipped versions takes every move in order.

use dvor_core::activity::Activity;
use dvor_core::replica::Replica;
use serde::Deserialize;

use super::codec::{add, get, get_all, put};
use super::outbox::{self, Unsent};
use super::schema::{OUTBOX, REPLICAS, V1_ACTIVITIES, V2_OUTBOX, V2_RECORDS};
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
    /// Runs every move this device still needs.
    pub(super) async fn move_old_data(&self) -> Result<(), StoreError> {
        self.move_version_1().await?;
        self.move_version_2().await
    }

    fn has_store(&self, name: &str) -> bool {
        self.db.object_store_names().any(|store| store == name)
    }

    /// Version 1's whole activities become records and outbox entries exactly as the server's
    /// migration and version 1 backups make them (`dvor_core::backup::legacy_creation`), so
    /// every copy of an old record agrees.
    async fn move_version_1(&self) -> Result<(), StoreError> {
        if !self.has_store(V1_ACTIVITIES) {
            return Ok(());
        }
        let tx = self.writing([V1_ACTIVITIES, REPLICAS, OUTBOX])?;
        let legacy = tx.object_store(V1_ACTIVITIES)?;
        let (replicas, unsent) = (tx.object_store(REPLICAS)?, tx.object_store(OUTBOX)?);
        let old: Vec<LegacyActivity> = get_all(&legacy).await?;
        if old.is_empty() {
            return Ok(());
        }
        for LegacyActivity { activity, state } in old {
            let creation = dvor_core::backup::legacy_creation(&activity);
            let key = activity.id.to_string();
            if get::<Replica>(&replicas, key.as_str()).await?.is_some() {
                continue;
            }
            let replica = if state.is_synced() {
                Replica::with_server_state(None, &creation.change)
            } else {
                Replica::with_local_change(None, &creation.change)
            }
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            put(&replicas, key, &replica)?;
            if !state.is_synced() {
                outbox::push(&unsent, creation)?;
            }
        }
        legacy.clear()?.await?;
        tx.commit().await?;
        Ok(())
    }

    /// Version 2's objects become text, the outbox keeping its order and refusals.
    async fn move_version_2(&self) -> Result<(), StoreError> {
        if !self.has_store(V2_RECORDS) {
            return Ok(());
        }
        let tx = self.writing([V2_RECORDS, V2_OUTBOX, REPLICAS, OUTBOX])?;
        let (old_records, old_outbox) = (tx.object_store(V2_RECORDS)?, tx.object_store(V2_OUTBOX)?);
        let records: Vec<Replica> = get_all(&old_records).await?;
        let entries: Vec<Unsent> = get_all(&old_outbox).await?;
        if records.is_empty() && entries.is_empty() {
            return Ok(());
        }
        let (replicas, unsent) = (tx.object_store(REPLICAS)?, tx.object_store(OUTBOX)?);
        for replica in &records {
            put(&replicas, replica.state.id.to_string(), replica)?;
        }
        for entry in &entries {
            add(&unsent, entry)?;
        }
        old_records.clear()?.await?;
        old_outbox.clear()?.await?;
        tx.commit().await?;
        Ok(())
    }
}
