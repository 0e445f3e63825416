//! The backup file: the device's unsent changes saved as a file the person keeps, for when the
//! browser's storage cannot be trusted (`dvor_core::backup` reads it back).

use dvor_core::backup::Backup;

use crate::clock::today;
use crate::files::download;
use crate::i18n::t;
use crate::store::Store;

/// Saves the unsent changes as `dvor-backup-<date>.json`; what to tell the person, or why it
/// failed, in their words.
pub async fn save_backup(store: &Store) -> Result<String, String> {
    let t = t();
    let unsent = store
        .outbox()
        .await
        .map_err(|error| (t.records.backup_failed)(&error.to_string()))?;
    if unsent.is_empty() {
        return Ok(t.records.backup_nothing.to_owned());
    }
    let mutations: Vec<_> = unsent.into_iter().map(|entry| entry.mutation).collect();
    let count = mutations.len();
    let created_at = String::from(js_sys::Date::new_0().to_iso_string());
    serde_json::to_string(&Backup::new(created_at, mutations))
        .map_err(|e| e.to_string())
        .and_then(|json| {
            download(
                &format!("dvor-backup-{}.json", today()),
                "application/json",
                &json,
            )
        })
        .map(|()| (t.records.backup_saved)(count))
        .map_err(|e| (t.records.backup_failed)(&e))
}
