//! The IndexedDB schema and its migrations. Bump [`VERSION`] and add a step for every change;
//! a device may skip versions, so every step runs in order from the one it has.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

use super::StoreError;

/// The schema version.
const VERSION: u32 = 1;

/// Activities, keyed by their id.
pub(super) const ACTIVITIES: &str = "activities";
/// Sync bookkeeping under fixed keys.
pub(super) const META: &str = "meta";

pub(super) async fn open(name: &str) -> Result<Database, StoreError> {
    let db = Database::open(name)
        .with_version(VERSION)
        .with_on_upgrade_needed(|event, db| {
            let from = event.old_version() as u32;
            if from < 1 {
                db.create_object_store(ACTIVITIES)
                    .with_key_path("activity.id".into())
                    .build()?;
                db.create_object_store(META).build()?;
            }
            Ok(())
        })
        .await?;
    Ok(db)
}
