//! The records on the device as the screens show them, shared through context. The first
//! screen of activities is read through the list index and shown at once; the rest is read
//! only when a screen needs every activity (search and filters, «Показать ещё» past the first
//! screen, a site's history, a club's meetings), in slices, each its own transaction, so a
//! save never waits long behind a read. A save changes the lists record by record
//! ([`save_edit`]); a sync pass that changed anything reloads them.

use std::collections::HashSet;

use dvor_core::access::Owner;
use dvor_core::activity::Activity;
use dvor_core::id::RecordId;
use dvor_core::photo::BlobHash;
use dvor_core::record::RecordKind;
use dvor_core::site::Site;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::new_mutation_id;
use crate::dialog::confirmed;
use crate::i18n::t;
use crate::state::flash::Flash;
use crate::store::StoreHandle;
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
    /// When the oldest of them was made, Unix ms.
    pub oldest_unsynced_ms: RwSignal<Option<u64>>,
    /// The photos made here that the server does not have yet.
    pub unsent_photos: RwSignal<HashSet<BlobHash>>,
    /// Why the lists could not be read, if they could not.
    pub error: RwSignal<Option<String>>,
    /// Counts the changes to the device's records (reloads and saves): screens that read
    /// records of their own, such as the inventory's, read again when it moves.
    pub changes: RwSignal<u64>,
    /// Where the activities not read yet begin, while `complete` is false.
    next: StoredValue<Option<String>>,
    /// Whether the rest of the activities is being read.
    reading_rest: StoredValue<bool>,
    /// Counts the reloads, so a reading of the rest begun before one is not taken after it.
    reloads: StoredValue<u64>,
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
            oldest_unsynced_ms: RwSignal::new(None),
            unsent_photos: RwSignal::new(HashSet::new()),
            error: RwSignal::new(None),
            changes: RwSignal::new(0),
            next: StoredValue::new(None),
            reading_rest: StoredValue::new(false),
            reloads: StoredValue::new(0),
        }
    }

    /// Reads the lists from the store again: the first screen of activities, then the sites
    /// and the counts.
    pub async fn reload(&self, store: &Store) {
        if let Err(error) = self.read_first(store).await {
            self.error.set(Some(error.to_string()));
        }
    }

    async fn read_first(&self, store: &Store) -> Result<(), StoreError> {
        self.reloads.update_value(|n| *n += 1);
        let span = Span::start("dvor:records-load");
        let first = store.page::<Activity>(None, FIRST_SCREEN).await?;
        span.end();
        self.next.set_value(first.next.clone());
        self.complete.set(first.next.is_none());
        self.list.set(first.records);
        self.error.set(None);
        self.sites.set(store.all::<Site>().await?);
        self.total.set(store.count_of::<Activity>().await?);
        self.changes.update(|n| *n += 1);
        self.refresh_counts(store).await
    }

    /// Reads the activities past the first screen, if they are not read yet, slice by slice.
    /// The list is complete afterwards (unless a reload started over meanwhile).
    pub async fn read_rest(&self, store: &Store) {
        if self.complete.get_untracked() || self.reading_rest.get_value() {
            return;
        }
        self.reading_rest.set_value(true);
        let reloads = self.reloads.get_value();
        let mut rest = Vec::new();
        let mut next = self.next.get_value();
        let mut failed = None;
        while let Some(after) = next.take() {
            match store.page::<Activity>(Some(&after), SLICE).await {
                Ok(slice) => {
                    rest.extend(slice.records);
                    next = slice.next;
                }
                Err(error) => failed = Some(error),
            }
        }
        self.reading_rest.set_value(false);
        if let Some(error) = failed {
            self.error.set(Some(error.to_string()));
            return;
        }
        if self.reloads.get_value() != reloads {
            // The lists were read anew meanwhile: what was read belongs to the old ones. A
            // screen that still needs every record asks again.
            return;
        }
        // Saves meanwhile put their records in place already; one may also be among those read
        // (its date moved it), so each record is kept once, in the list's order.
        self.list.update(|list| {
            let known: std::collections::HashSet<RecordId> =
                list.iter().map(|l| l.record.id).collect();
            list.extend(rest.into_iter().filter(|l| !known.contains(&l.record.id)));
            list.sort_by(newest_first);
        });
        self.next.set_value(None);
        self.complete.set(true);
    }

    /// Reads how many changes and photos wait to be sent.
    pub async fn refresh_counts(&self, store: &Store) -> Result<(), StoreError> {
        let unsent = store.unsent().await?;
        self.unsynced.set(unsent.count);
        self.oldest_unsynced_ms.set(unsent.oldest_made_ms);
        self.unsent_photos
            .set(store.unsent_photos().await?.into_iter().collect());
        Ok(())
    }

    /// Puts record `id` in the lists as the store now has it, or takes it out.
    pub async fn refresh(&self, store: &Store, id: RecordId) -> Result<(), StoreError> {
        let found = store.record(id).await?;
        let (activity, site) = match &found {
            Some((replica, waiting)) => (Local::of(replica, waiting), Local::of(replica, waiting)),
            None => (None, None),
        };
        self.list.update(|list| {
            let before = list.len();
            splice(list, id, activity, newest_first);
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
        self.changes.update(|n| *n += 1);
        self.refresh_counts(store).await
    }
}

/// The order of the activities list: the latest date first, and on one date the record made
/// last.
fn newest_first(a: &LocalActivity, b: &LocalActivity) -> std::cmp::Ordering {
    (b.record.date, b.record.id).cmp(&(a.record.date, a.record.id))
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

/// Reads every activity whenever `needed` says the screen calling it needs them all (a search, a
/// site's history) and they are not all read yet.
pub fn read_rest_when(needed: impl Fn() -> bool + Send + Sync + 'static) {
    let records = expect_context::<Records>();
    let store = expect_context::<StoreHandle>();
    Effect::new(move || {
        if needed() && !records.complete.get() {
            let store = store.clone();
            spawn_local(async move { records.read_rest(&store).await });
        }
    });
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
        let mutation_id =
            new_mutation_id().map_err(|e| (t().common.save_failed)(&e.to_string()))?;
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
            Err(error) if error.is_quota_exceeded() => Err(t().records.storage_full.to_owned()),
            Err(error) => Err((t().common.save_failed)(&error.to_string())),
        }
    }
}

/// Deletes a record, here and, once synced, everywhere, after the person confirms.
pub fn delete(id: RecordId, kind: RecordKind, owner: Owner) {
    if !confirmed(t().records.delete_confirm) {
        return;
    }
    let records = expect_context::<Records>();
    let flash = expect_context::<Flash>();
    let edit = Edit {
        id,
        kind,
        owner,
        values: Default::default(),
        deleted: Some(true),
    };
    let saved = save_edit(edit, false);
    spawn_local(async move {
        match saved.await {
            Ok(()) => flash.set(t().records.deleted_on_device),
            Err(message) => records.error.set(Some(message)),
        }
    });
}
