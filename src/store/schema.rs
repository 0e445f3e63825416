//! The IndexedDB schema and its migrations. Bump [`VERSION`] and add a step for every change;
//! a device may skip versions, so every step runs in order from the one it has.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

use super::StoreError;

/// The schema version.
const VERSION: u32 = 2;

/// Version 1 kept whole activities here. A device upgrading from it moves them into
/// [`RECORDS`] right after opening (`legacy.rs`); the store stays, empty, until a later version
/// drops it.
pub(super) const LEGACY_ACTIVITIES: &str = "activities";
/// Every record on the device, as a `dvor_core::replica::Replica`, keyed by its id.
pub(super) const RECORDS: &str = "records";
/// The changes made here and not yet accepted by the server, in the order they were made (an
/// auto-incremented `seq`).
pub(super) const OUTBOX: &str = "outbox";
/// Sync bookkeeping under fixed keys.
pub(super) const META: &str = "meta";

pub(super) async fn open(name: &str) -> Result<Database, StoreError> {
    let db = Database::open(name)
        .with_version(VERSION)
        .with_on_upgrade_needed(|event, db| {
            let from = event.old_version() as u32;
            if from < 1 {
                db.create_object_store(META).build()?;
            }
            if from < 2 {
                db.create_object_store(RECORDS)
                    .with_key_path("state.id".into())
                    .build()?;
                db.create_object_store(OUTBOX)
                    .with_key_path("seq".into())
                    .with_auto_increment(true)
                    .build()?;
            }
            Ok(())
        })
        .await?;
    Ok(db)
}
