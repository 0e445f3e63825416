//! The activities on the device, as the screens show them; shared through context and reloaded
//! from the store after every write.

use leptos::prelude::*;

use crate::store::{LocalActivity, Store, SyncState};

/// The device's activities, latest first.
#[derive(Clone, Copy, Debug)]
pub struct Records {
    /// The list.
    pub list: RwSignal<Vec<LocalActivity>>,
    /// Why the list could not be read, if it could not.
    pub error: RwSignal<Option<String>>,
}

impl Records {
    /// An empty list, before the first load.
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
        }
    }

    /// Reads the list from the store again.
    pub async fn reload(&self, store: &Store) {
        match store.activities().await {
            Ok(list) => {
                self.list.set(list);
                self.error.set(None);
            }
            Err(error) => self.error.set(Some(error.to_string())),
        }
    }

    /// How many records wait to be sent.
    pub fn unsynced(&self) -> usize {
        self.list
            .with(|list| list.iter().filter(|r| r.state != SyncState::Synced).count())
    }
}

impl Default for Records {
    fn default() -> Self {
        Self::new()
    }
}
