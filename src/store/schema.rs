//! The IndexedDB schema and its migrations. Bump [`VERSION`] and add a step for every change;
//! a device may skip versions, so every step runs in order from the one it has. Data an older
//! version kept is moved into the current stores right after opening (`upgrade.rs`), in one
//! transaction per old store; the emptied stores stay until a later version drops them.
//!
//! 1. `meta`, and whole activities in `activities`.
//! 2. Records and the outbox as plain objects: `records` (key path `state.id`) and `outbox`
//!    (key path `seq`, auto-incremented).
//! 3. The same as JSON text under out-of-line keys (`codec.rs` says why): [`REPLICAS`] and
//!    [`OUTBOX`]. A device new at this version gets no version 2 stores.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

use super::StoreError;

/// The schema version.
const VERSION: u32 = 3;

/// Version 1's whole activities.
pub(super) const V1_ACTIVITIES: &str = "activities";
/// Version 2's records.
pub(super) const V2_RECORDS: &str = "records";
/// Version 2's outbox.
pub(super) const V2_OUTBOX: &str = "outbox";
/// Every record on the device, as a `dvor_core::replica::Replica`, under its id.
pub(super) const REPLICAS: &str = "replicas";
/// The changes made here and not yet accepted by the server, under auto-incremented keys: the
/// order they were made in.
pub(super) const OUTBOX: &str = "unsent";
/// Sync bookkeeping under fixed keys.
pub(super) const META: &str = "meta";

/// Opens database `name` at [`VERSION`], upgrading it if needed. `on_blocked` is called if a
/// tab holding an older version does not let go of it: the upgrade then waits for that tab.
pub(super) async fn open(
    name: &str,
    on_blocked: impl FnOnce() + 'static,
) -> Result<Database, StoreError> {
    let db = Database::open(name)
        .with_version(VERSION)
        .with_on_blocked(move |_| {
            on_blocked();
            Ok(())
        })
        .with_on_upgrade_needed(|event, db| {
            let from = event.old_version() as u32;
            if from < 1 {
                db.create_object_store(META).build()?;
            }
            if from < 3 {
                db.create_object_store(REPLICAS).build()?;
                db.create_object_store(OUTBOX)
                    .with_auto_increment(true)
                    .build()?;
            }
            Ok(())
        })
        .await?;
    Ok(db)
}
