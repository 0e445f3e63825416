//! The activities on the device, as the screens show them; shared through context and reloaded
//! from the store after every write, which screens make through [`save_edit`].

use leptos::prelude::*;

use crate::app::StoreHandle;
use crate::clock::new_mutation_id;
use crate::i18n::t;
use crate::store::{Edit, LocalActivity, Store};
use crate::sync::Syncer;
use crate::timing::Span;

/// The device's activities, latest first.
#[derive(Clone, Copy, Debug)]
pub struct Records {
    /// The list.
    pub list: RwSignal<Vec<LocalActivity>>,
    /// How many changes made here the server has not accepted yet.
    pub unsynced: RwSignal<usize>,
    /// Why the list could not be read, if it could not.
    pub error: RwSignal<Option<String>>,
}

impl Records {
    /// An empty list, before the first load.
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
            unsynced: RwSignal::new(0),
            error: RwSignal::new(None),
        }
    }

    /// Reads the list from the store again.
    pub async fn reload(&self, store: &Store) {
        let span = Span::start("dvor:records-load");
        match (store.activities().await, store.unsent_count().await) {
            (Ok(list), Ok(unsent)) => {
                span.end();
                self.list.set(list);
                self.unsynced.set(unsent);
                self.error.set(None);
            }
            (Err(error), _) | (_, Err(error)) => self.error.set(Some(error.to_string())),
        }
    }
}

impl Default for Records {
    fn default() -> Self {
        Self::new()
    }
}

/// Saves a change on the device, reloads the list and asks for a sync; the error in the
/// person's words if it could not be saved. `fixing` puts it in place of the record's refused
/// changes.
pub fn save_edit(edit: Edit, fixing: bool) -> impl Future<Output = Result<(), String>> {
    // Contexts are read now, in the reactive owner of the caller, not when the future runs.
    let store = expect_context::<StoreHandle>();
    let records = expect_context::<Records>();
    let syncer = expect_context::<Syncer>();
    async move {
        let span = Span::start("dvor:save");
        let mutation_id = new_mutation_id().map_err(|e| (t().save_failed)(&e.to_string()))?;
        let saved = if fixing {
            store.correct(edit, mutation_id).await
        } else {
            store.save(edit, mutation_id).await
        };
        if saved.is_ok() {
            span.end();
        }
        records.reload(&store).await;
        match saved {
            Ok(()) => {
                syncer.request();
                Ok(())
            }
            Err(error) if error.is_quota_exceeded() => Err(t().storage_full.to_owned()),
            Err(error) => Err((t().save_failed)(&error.to_string())),
        }
    }
}
