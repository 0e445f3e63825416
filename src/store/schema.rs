//! The IndexedDB schema and its migrations. Bump [`VERSION`] and add a step for every change;
//! a device may skip versions, so every step runs in order from the one it has.
//!
//! 1–3. Records without an owner, authored by devices (the versions before accounts).
//! 4. Records carry their committee or centre and their author is a person. What versions 1–3
//!    kept belongs to no one the server knows, so their stores are dropped and the device
//!    starts empty: no installation ran before accounts (`docs/sync.md`).
//! 5. [`DRAFTS`]: what is typed into a form, kept as it is typed.
//! 6. [`REPLICAS`] becomes `records`, whose values carry the order the lists show them in,
//!    indexed, so a list's first screen is read without reading every record; the records of
//!    the old store move there when the device first opens at this version (`listing.rs`).
//!    [`PHOTOS`] and [`UPLOADS`]: photos and those to send.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

use super::StoreError;

/// The schema version.
const VERSION: u32 = 6;

/// Every record on the device, under its id, as `{ o: <order key>, j: <Replica as JSON> }`:
/// an object, so that the [`ORDER`] index can reach into it (`o` is absent for a record no list
/// shows).
pub(super) const REPLICAS: &str = "records";
/// The index of [`REPLICAS`] by order key.
pub(super) const ORDER: &str = "order";
/// Where schemas 4 and 5 kept the records, as JSON text; emptied into [`REPLICAS`] once.
pub(super) const OLD_REPLICAS: &str = "replicas";
/// The changes made here and not yet accepted by the server, under auto-incremented keys: the
/// order they were made in.
pub(super) const OUTBOX: &str = "unsent";
/// Sync bookkeeping, the session and the reference data, under fixed keys.
pub(super) const META: &str = "meta";
/// Forms being filled in, by form (`new:<kind>`): each field's typed text by its id.
pub(super) const DRAFTS: &str = "drafts";
/// Photos and thumbnails (their type and bytes, `photos.rs`), under their SHA-256 in hex: those made here and those
/// fetched from the server.
pub(super) const PHOTOS: &str = "photos";
/// The photos made here that the server does not have yet, under their hash.
pub(super) const UPLOADS: &str = "uploads";

/// Opens database `name` at [`VERSION`], upgrading it if needed; with whether it was created
/// just now (nothing of the app was on this origin). `on_blocked` is called if a tab holding an
/// older version does not let go of it: the upgrade then waits for that tab.
pub(super) async fn open(
    name: &str,
    on_blocked: impl FnOnce() + 'static,
) -> Result<(Database, bool), StoreError> {
    let created = std::rc::Rc::new(std::cell::Cell::new(false));
    let created_in_upgrade = std::rc::Rc::clone(&created);
    let db = Database::open(name)
        .with_version(VERSION)
        .with_on_blocked(move |_| {
            on_blocked();
            Ok(())
        })
        .with_on_upgrade_needed(move |event, db| {
            let from = event.old_version() as u32;
            created_in_upgrade.set(from == 0);
            if from < 4 {
                let old: Vec<String> = db.object_store_names().collect();
                for store in old {
                    db.delete_object_store(&store)?;
                }
                db.create_object_store(META).build()?;
                db.create_object_store(OUTBOX)
                    .with_auto_increment(true)
                    .build()?;
            }
            if from < 5 {
                db.create_object_store(DRAFTS).build()?;
            }
            if from < 6 {
                let records = db.create_object_store(REPLICAS).build()?;
                records
                    .create_index(ORDER, indexed_db_futures::KeyPath::One("o"))
                    .build()?;
                db.create_object_store(PHOTOS).build()?;
                db.create_object_store(UPLOADS).build()?;
            }
            Ok(())
        })
        .await?;
    Ok((db, created.get()))
}
