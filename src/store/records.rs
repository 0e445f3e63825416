//! Records on the device and the changes waiting to be sent. A change and its outbox entry are
//! written in one transaction, so a crash keeps both or neither.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use dvor_core::access::Owner;
use dvor_core::id::{MutationId, RecordId};
use dvor_core::lineage::Lineage;
use dvor_core::protocol::{Mutation, MutationResult, Outcome, PullPage};
use dvor_core::record::{Envelope, RecordKind};
use dvor_core::replica::Replica;
use futures_util::future::join3;
use indexed_db_futures::object_store::ObjectStore;
use serde_json::Value;

use super::account;
use super::codec::remove;
use super::codec::{get, get_between, get_many};
use super::listing::put_replica;
use super::outbox::{self, OutboxEntry, Rejection};
use super::schema::{META, OUTBOX, REPLICAS};
use super::sync_meta;
use super::{Store, StoreError};
use crate::timing::Span;

/// A change a person makes to one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// The record; a new one if the device does not have it.
    pub id: RecordId,
    /// What it is.
    pub kind: RecordKind,
    /// Who keeps it: for a new record, where it is logged; an existing one keeps its own.
    pub owner: Owner,
    /// The values to write: for an edit, only those the person changed.
    pub values: BTreeMap<String, Value>,
    /// `Some(true)` deletes the record.
    pub deleted: Option<bool>,
}

impl Edit {
    /// What a form saves: a new record whole (`base` is `None`), a changed one as what changed
    /// from `base`, the values the form started from.
    pub fn from_form(
        id: RecordId,
        kind: RecordKind,
        owner: Owner,
        values: BTreeMap<String, Value>,
        base: Option<&BTreeMap<String, Value>>,
    ) -> Self {
        Self {
            id,
            kind,
            owner,
            deleted: base.is_none().then_some(false),
            values: match base {
                Some(base) => dvor_core::record::changed_values(base, values),
                None => values,
            },
        }
    }
}

/// What became of a pulled page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageApplied {
    /// Stored, and the cursor moved past it.
    Stored,
    /// Not stored: the server holds another history than the pages before it (it was restored
    /// from a backup), this one.
    OtherLineage(Lineage),
}

/// What restoring a backup did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Restored {
    /// Changes new to this device, now waiting to be sent.
    pub added: usize,
    /// Changes the device already had or the server already holds, left as they were.
    pub already_present: usize,
}

impl Store {
    /// Saves a change made on this device, stamped now, with its outbox entry under
    /// `mutation_id`. An edit that writes nothing is not saved.
    pub async fn save(&self, edit: Edit, mutation_id: MutationId) -> Result<(), StoreError> {
        if edit.values.is_empty() && edit.deleted.is_none() {
            return Ok(());
        }
        self.write(edit, mutation_id, false).await
    }

    /// Puts the person's corrected values in place of the changes the server refused for
    /// record `id`, in one transaction: the refused changes go, and every value is written
    /// again with a new timestamp, so the corrected record is sent whole.
    pub async fn correct(&self, edit: Edit, mutation_id: MutationId) -> Result<(), StoreError> {
        self.write(edit, mutation_id, true).await
    }

    /// Writes `edit` with its outbox entry in one transaction, first dropping the record's
    /// refused changes when `replacing_refused`.
    async fn write(
        &self,
        edit: Edit,
        mutation_id: MutationId,
        replacing_refused: bool,
    ) -> Result<(), StoreError> {
        let tx = self.writing_durably([REPLICAS, OUTBOX, META])?;
        let records = Records::of(&tx)?;
        if replacing_refused {
            drop_rejected(&records, edit.id).await?;
        }
        let meta = tx.object_store(META)?;
        write_change(&records, &meta, edit, mutation_id).await?;
        let commit = Span::start("dvor:save-commit");
        tx.commit().await?;
        commit.end();
        Ok(())
    }

    /// Drops the changes the server refused for record `id`, at the person's request, and
    /// shows the record as the server and the remaining changes make it — or not at all, if
    /// nothing of it is left.
    pub async fn discard_rejected(&self, id: RecordId) -> Result<(), StoreError> {
        let tx = self.writing_durably([REPLICAS, OUTBOX])?;
        drop_rejected(&Records::of(&tx)?, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Record `id` with its changes still in the outbox, if the device has it.
    pub async fn record(
        &self,
        id: RecordId,
    ) -> Result<Option<(Replica, Vec<OutboxEntry>)>, StoreError> {
        let tx = self.reading([REPLICAS, OUTBOX])?;
        let Some(replica) = get::<Replica>(&tx.object_store(REPLICAS)?, id.to_string()).await?
        else {
            return Ok(None);
        };
        let waiting = outbox::all(&tx.object_store(OUTBOX)?)
            .await?
            .into_iter()
            .filter(|entry| entry.mutation.change.id == id)
            .collect();
        Ok(Some((replica, waiting)))
    }

    /// Records the server's answers to the changes of `walked` (entries read in one go, some
    /// perhaps not sent): an applied change leaves the outbox and counts as the server's; a
    /// refused one stays, marked with the reason, for the person to fix; one without an answer
    /// stays as it is.
    pub async fn record_results(
        &self,
        walked: &[OutboxEntry],
        results: &[MutationResult],
    ) -> Result<(), StoreError> {
        let tx = self.writing([REPLICAS, OUTBOX])?;
        let records = Records::of(&tx)?;
        let (replicas, unsent) = (&records.replicas, &records.unsent);
        let outcomes: HashMap<MutationId, &Outcome> = results
            .iter()
            .map(|result| (result.mutation_id, &result.outcome))
            .collect();
        let mut accepted = HashSet::new();
        let mut applied = Vec::new();
        for entry in walked {
            match outcomes.get(&entry.mutation.mutation_id) {
                Some(Outcome::Applied) => {
                    accepted.insert(entry.seq);
                    applied.push(&entry.mutation.change);
                }
                Some(Outcome::Rejected { code, message, .. }) => {
                    let rejection = Rejection {
                        code: *code,
                        message: message.clone(),
                    };
                    outbox::refuse(unsent, entry, rejection)?;
                }
                None => {}
            }
        }
        outbox::remove_accepted(unsent, walked, &accepted)?;
        let mut known = read_many(replicas, applied.iter().map(|change| change.id)).await?;
        for change in applied {
            if let Some(replica) = known.get_mut(&change.id).and_then(Option::take) {
                known.insert(
                    change.id,
                    Some(replica.with_accepted(change).map_err(corrupt)?),
                );
            }
        }
        write_many(&records, known)?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies a page pulled from the server and advances the cursor past it, in one
    /// transaction: the cursor never moves past records that are not stored. Changes of this
    /// device still waiting are merged over the server's, so none is lost. A page of another
    /// lineage than the pages before it is not applied: the cursor means nothing to that
    /// server, and the device starts over with it ([`Store::start_over`]).
    pub async fn apply_page(&self, page: &PullPage) -> Result<PageApplied, StoreError> {
        let tx = self.writing([REPLICAS, OUTBOX, META])?;
        let records = Records::of(&tx)?;
        let replicas = &records.replicas;
        // Only a record with changes waiting can differ from what the server last sent of it;
        // any other is exactly the server's older state, which the pulled one contains (the
        // server only merges), so it is replaced unread (proved in dvor-core's replica tests).
        let waiting: HashSet<RecordId> = outbox::all(&records.unsent)
            .await?
            .into_iter()
            .map(|entry| entry.mutation.change.id)
            .collect();
        let mut known = read_many(
            replicas,
            page.changes
                .iter()
                .map(|pulled| pulled.id)
                .filter(|id| waiting.contains(id)),
        )
        .await?;
        // The cursor is written first: its read then waits for nothing but the reads above,
        // and the transaction holds it and the records, or neither.
        let latest = page
            .changes
            .iter()
            .map(Envelope::hlc)
            .max()
            .unwrap_or_default();
        let other = sync_meta::update(&tx.object_store(META)?, |meta| {
            if let (Some(known), Some(theirs)) = (&meta.lineage, &page.lineage)
                && known != theirs
            {
                return Some(theirs.clone());
            }
            meta.cursor = page.cursor;
            meta.lineage = page.lineage.clone().or(meta.lineage.take());
            sync_meta::observe(meta, latest, page.server_time_ms);
            None
        })
        .await?;
        if let Some(lineage) = other {
            return Ok(PageApplied::OtherLineage(lineage));
        }
        for pulled in &page.changes {
            let existing = known.remove(&pulled.id).flatten();
            let merged = Replica::with_server_state(existing, pulled).map_err(corrupt)?;
            records.put(&merged)?;
        }
        tx.commit().await?;
        Ok(PageApplied::Stored)
    }

    /// Adds the changes of a backup to this device, in one transaction. A change the device
    /// already has, or that the server is known to hold, is left alone, so restoring the same
    /// file twice changes nothing.
    pub async fn restore(&self, mutations: &[Mutation]) -> Result<Restored, StoreError> {
        let tx = self.writing_durably([REPLICAS, OUTBOX])?;
        let records = Records::of(&tx)?;
        let (replicas, unsent) = (&records.replicas, &records.unsent);
        let mut known_mutations: HashSet<MutationId> = outbox::all(unsent)
            .await?
            .into_iter()
            .map(|entry| entry.mutation.mutation_id)
            .collect();
        let mut found = read_many(replicas, mutations.iter().map(|m| m.change.id)).await?;
        let mut restored = Restored::default();
        for mutation in mutations {
            let change = &mutation.change;
            let existing = found.remove(&change.id).flatten();
            let held = existing
                .as_ref()
                .and_then(Replica::server_state)
                .is_some_and(|server| server.merged(change).as_ref() == Ok(&server));
            let replica = if held || !known_mutations.insert(mutation.mutation_id) {
                restored.already_present += 1;
                existing
            } else {
                outbox::push(unsent, mutation.clone())?;
                restored.added += 1;
                Some(Replica::with_local_change(existing, change).map_err(corrupt)?)
            };
            found.insert(change.id, replica);
        }
        write_many(&records, found)?;
        tx.commit().await?;
        Ok(restored)
    }
}

/// The stored replicas of `ids`, `None` for those the device does not have. Records made on
/// one device around the same time have neighbouring ids (a UUIDv7 starts with the time), so
/// the records of a batch usually lie together: they are read as the range from the first id to
/// the last, one request, if not much else lies in it; otherwise each is read on its own.
async fn read_many(
    replicas: &ObjectStore<'_>,
    ids: impl IntoIterator<Item = RecordId>,
) -> Result<HashMap<RecordId, Option<Replica>>, StoreError> {
    let ids: BTreeSet<RecordId> = ids.into_iter().collect();
    let mut found: HashMap<RecordId, Option<Replica>> = ids.iter().map(|id| (*id, None)).collect();
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
        return Ok(found);
    };
    let limit = u32::try_from(ids.len().saturating_mul(2)).unwrap_or(u32::MAX);
    let around: Vec<Replica> =
        get_between(replicas, first.to_string(), last.to_string(), limit).await?;
    let complete = around.len() < limit as usize;
    for replica in around {
        if let Some(slot) = found.get_mut(&replica.state.id) {
            *slot = Some(replica);
        }
    }
    if !complete {
        let missing: Vec<RecordId> = found
            .iter()
            .filter(|(_, replica)| replica.is_none())
            .map(|(id, _)| *id)
            .collect();
        let read = get_many(replicas, missing.iter().map(|id| id.to_string().into())).await?;
        found.extend(missing.into_iter().zip(read));
    }
    Ok(found)
}

/// The stores a change to records writes, in one transaction.
struct Records<'a> {
    replicas: ObjectStore<'a>,
    unsent: ObjectStore<'a>,
}

impl<'a> Records<'a> {
    fn of(tx: &'a indexed_db_futures::transaction::Transaction<'_>) -> Result<Self, StoreError> {
        Ok(Self {
            replicas: tx.object_store(REPLICAS)?,
            unsent: tx.object_store(OUTBOX)?,
        })
    }

    fn put(&self, replica: &Replica) -> Result<(), StoreError> {
        put_replica(&self.replicas, replica)
    }
}

/// Writes back the replicas [`read_many`] read and the caller changed; `None` ones are left
/// alone.
fn write_many(
    records: &Records<'_>,
    replicas: HashMap<RecordId, Option<Replica>>,
) -> Result<(), StoreError> {
    for replica in replicas.into_values().flatten() {
        records.put(&replica)?;
    }
    Ok(())
}

/// Writes `edit` as a change stamped now, with its outbox entry.
async fn write_change(
    records: &Records<'_>,
    meta: &ObjectStore<'_>,
    edit: Edit,
    mutation_id: MutationId,
) -> Result<(), StoreError> {
    // The three reads go out together: one wait instead of three on the path of a save.
    let read = Span::start("dvor:save-read");
    let (existing, hlc, signed_in) = join3(
        get::<Replica>(&records.replicas, edit.id.to_string()),
        sync_meta::stamp(meta),
        account::author(meta),
    )
    .await;
    let (existing, hlc) = (existing?, hlc?);
    read.end();
    let write = Span::start("dvor:save-write");
    let (author, owner) = match &existing {
        Some(replica) => (replica.state.author.clone(), replica.state.owner),
        None => (signed_in?, edit.owner),
    };
    let change = Envelope::change(
        edit.id,
        edit.kind,
        author,
        owner,
        hlc,
        edit.values,
        edit.deleted,
    );
    let replica = Replica::with_local_change(existing, &change).map_err(corrupt)?;
    records.put(&replica)?;
    outbox::push(
        &records.unsent,
        Mutation {
            mutation_id,
            change,
        },
    )?;
    write.end();
    Ok(())
}

/// Removes the refused changes of record `id` and rebuilds it from the rest.
async fn drop_rejected(records: &Records<'_>, id: RecordId) -> Result<(), StoreError> {
    let entries: Vec<OutboxEntry> = outbox::all(&records.unsent)
        .await?
        .into_iter()
        .filter(|entry| entry.mutation.change.id == id)
        .collect();
    for entry in entries.iter().filter(|e| e.rejected.is_some()) {
        outbox::remove(&records.unsent, entry.seq)?;
    }
    let Some(replica) = get::<Replica>(&records.replicas, id.to_string()).await? else {
        return Ok(());
    };
    let waiting = entries
        .iter()
        .filter(|e| e.rejected.is_none())
        .map(|e| &e.mutation.change);
    match replica.rebuilt(waiting).map_err(corrupt)? {
        Some(rebuilt) => records.put(&rebuilt),
        None => remove(&records.replicas, id.to_string()),
    }
}

fn corrupt(error: dvor_core::record::MergeError) -> StoreError {
    StoreError::Corrupt(error.to_string())
}
