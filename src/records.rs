//! The records on the device as the screens show them, shared through context. The first
//! screen of activities is read first and shown at once; the rest follow in slices, each its
//! own transaction, so a save never waits long behind a read. A save changes the lists record
//! by record ([`save_edit`]); a sync pass that changed anything reloads them.

use std::collections::HashSet;

use dvor_core::activity::Activity;
use dvor_core::id::RecordId;
use dvor_core::photo::BlobHash;
use dvor_core::site::Site;
use leptos::prelude::*;

use crate::app::StoreHandle;
use crate::clock::new_mutation_id;
use crate::i18n::t;
use crate::store::{Edit, Listable, Local, LocalActivity, LocalSite, Store, StoreError};
use crate::sync::Syncer;
use crate::timing::Span;

/// How many activities the first read brings: a phone's screenful, and more.
pub const FIRST_SCREEN: u32 = 50;

/// How many activities each later read brings.
const SLICE: u32 = 1_000;

/// The device's records, as the screens show them.
#[derive(Clone, Copy, Debug)]
pub struct Records {
    /// The activities read so far, latest first: all of them once `complete`.
    pub list: RwSignal<Vec<LocalActivity>>,
    /// Whether `list` holds every activity on the device.
    pub complete: RwSignal<bool>,
    /// How many activities the device holds.
    pub total: RwSignal<usize>,
    /// The sites, by name.
    pub sites: RwSignal<Vec<LocalSite>>,
    /// How many changes made here the server has not accepted yet.
    pub unsynced: RwSignal<usize>,
    /// The photos made here that the server does not have yet.
    pub unsent_photos: RwSignal<HashSet<BlobHash>>,
    /// Why the lists could not be read, if they could not.
    pub error: RwSignal<Option<String>>,
    /// Counts the changes made to the lists record by record, so a reload that ran meanwhile
    /// knows its slices may have missed one and reads again.
    edits: StoredValue<u64>,
}

impl Records {
    /// Empty lists, before the first load.
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
            complete: RwSignal::new(false),
            total: RwSignal::new(0),
            sites: RwSignal::new(Vec::new()),
            unsynced: RwSignal::new(0),
            unsent_photos: RwSignal::new(HashSet::new()),
            error: RwSignal::new(None),
            edits: StoredValue::new(0),
        }
    }

    /// Reads the lists from the store again: the first screen of activities, then the sites
    /// and the counts, then the rest of the activities slice by slice.
    pub async fn reload(&self, store: &Store) {
        if let Err(error) = self.read_all(store).await {
            self.error.set(Some(error.to_string()));
        }
    }

    async fn read_all(&self, store: &Store) -> Result<(), StoreError> {
        loop {
            let edits = self.edits.get_value();
            let span = Span::start("dvor:records-load");
            let first = store.page::<Activity>(None, FIRST_SCREEN).await?;
            span.end();
            let mut next = first.next.clone();
            self.total.set(first.total);
            self.complete.set(next.is_none());
            self.list.set(first.records);
            self.error.set(None);
            self.sites.set(store.all::<Site>().await?);
            self.refresh_counts(store).await?;
            let mut all = self.list.get_untracked();
            while let Some(after) = next {
                let slice = store.page::<Activity>(Some(&after), SLICE).await?;
                all.extend(slice.records);
                next = slice.next;
            }
            if self.edits.get_value() == edits {
                self.list.set(all);
                self.complete.set(true);
                return Ok(());
            }
        }
    }

    /// Reads how many changes and photos wait to be sent.
    pub async fn refresh_counts(&self, store: &Store) -> Result<(), StoreError> {
        self.unsynced.set(store.unsent_count().await?);
        self.unsent_photos
            .set(store.unsent_photos().await?.into_iter().collect());
        Ok(())
    }

    /// Puts record `id` in the lists as the store now has it, or takes it out.
    pub async fn refresh(&self, store: &Store, id: RecordId) -> Result<(), StoreError> {
        self.edits.update_value(|n| *n += 1);
        let activity = store.local::<Activity>(id).await?;
        let site = store.local::<Site>(id).await?;
        self.list.update(|list| {
            let before = list.len();
            splice(list, id, activity, |a, b| {
                (b.record.date, b.record.id).cmp(&(a.record.date, a.record.id))
            });
            let change = list.len() as isize - before as isize;
            self.total
                .update(|total| *total = total.saturating_add_signed(change));
        });
        self.sites.update(|sites| {
            splice(sites, id, site, |a, b| {
                a.record
                    .name
                    .as_str()
                    .to_lowercase()
                    .cmp(&b.record.name.as_str().to_lowercase())
            })
        });
        self.refresh_counts(store).await
    }
}

/// Replaces record `id` in `list` (ordered by `order`) with `new`, or removes it.
fn splice<T: Listable>(
    list: &mut Vec<Local<T>>,
    id: RecordId,
    new: Option<Local<T>>,
    order: impl Fn(&Local<T>, &Local<T>) -> std::cmp::Ordering,
) {
    list.retain(|local| local.record.id() != id);
    if let Some(new) = new {
        let at = list.partition_point(|local| order(local, &new).is_lt());
        list.insert(at, new);
    }
}

impl Default for Records {
    fn default() -> Self {
        Self::new()
    }
}

/// Saves a change on the device, puts it in the lists and asks for a sync; the error in the
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
        let id = edit.id;
        let saved = if fixing {
            store.correct(edit, mutation_id).await
        } else {
            store.save(edit, mutation_id).await
        };
        match saved {
            Ok(()) => {
                span.end();
                if let Err(error) = records.refresh(&store, id).await {
                    records.error.set(Some(error.to_string()));
                }
                syncer.request();
                Ok(())
            }
            Err(error) if error.is_quota_exceeded() => Err(t().storage_full.to_owned()),
            Err(error) => Err((t().save_failed)(&error.to_string())),
        }
    }
}
