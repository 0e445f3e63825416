//! Records on the device and the changes waiting to be sent. A change and its outbox entry are
//! written in one transaction, so a crash keeps both or neither.

use std::collections::{BTreeMap, BTreeSet};

use dvor_core::id::{MutationId, RecordId};
use dvor_core::protocol::{Mutation, MutationResult, Outcome, PullPage};
use dvor_core::record::{Envelope, RecordKind};
use dvor_core::replica::Replica;
use indexed_db_futures::object_store::ObjectStore;
use serde_json::Value;

use super::codec::{add, get, get_all, get_soon, put, put_soon, remove};
use super::outbox::{OutboxEntry, Rejection};
use super::schema::{META, OUTBOX, RECORDS};
use super::sync_meta;
use super::{Store, StoreError};

/// A change a person makes to one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// The record; a new one if the device does not have it.
    pub id: RecordId,
    /// What it is.
    pub kind: RecordKind,
    /// The values to write: for an edit, only those the person changed.
    pub values: BTreeMap<String, Value>,
    /// `Some(true)` deletes the record.
    pub deleted: Option<bool>,
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
        let tx = self.writing([RECORDS, OUTBOX, META])?;
        let (records, outbox) = (tx.object_store(RECORDS)?, tx.object_store(OUTBOX)?);
        if replacing_refused {
            drop_rejected(&records, &outbox, edit.id).await?;
        }
        let meta = tx.object_store(META)?;
        write_change(&records, &outbox, &meta, edit, mutation_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drops the changes the server refused for record `id`, at the person's request, and
    /// shows the record as the server and the remaining changes make it — or not at all, if
    /// nothing of it is left.
    pub async fn discard_rejected(&self, id: RecordId) -> Result<(), StoreError> {
        let tx = self.writing([RECORDS, OUTBOX])?;
        drop_rejected(&tx.object_store(RECORDS)?, &tx.object_store(OUTBOX)?, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every record on the device, with the changes of it still in the outbox.
    pub async fn records(&self) -> Result<Vec<(Replica, Vec<OutboxEntry>)>, StoreError> {
        let tx = self.reading([RECORDS, OUTBOX])?;
        let records: Vec<Replica> = get_all(&tx.object_store(RECORDS)?).await?;
        let mut waiting: BTreeMap<RecordId, Vec<OutboxEntry>> = BTreeMap::new();
        for entry in get_all::<OutboxEntry>(&tx.object_store(OUTBOX)?).await? {
            waiting
                .entry(entry.mutation.change.id)
                .or_default()
                .push(entry);
        }
        Ok(records
            .into_iter()
            .map(|replica| {
                let entries = waiting.remove(&replica.state.id).unwrap_or_default();
                (replica, entries)
            })
            .collect())
    }

    /// Records the server's answers to `sent`: an applied change leaves the outbox and counts
    /// as the server's; a refused one stays, marked with the reason, for the person to fix.
    pub async fn record_results(
        &self,
        sent: &[OutboxEntry],
        results: &[MutationResult],
    ) -> Result<(), StoreError> {
        let tx = self.writing([RECORDS, OUTBOX])?;
        let (records, outbox) = (tx.object_store(RECORDS)?, tx.object_store(OUTBOX)?);
        let mut applied = Vec::new();
        let mut refusals = Vec::new();
        for entry in sent {
            let Some(seq) = entry.seq else { continue };
            let id = entry.mutation.mutation_id;
            match results
                .iter()
                .find(|r| r.mutation_id == id)
                .map(|r| &r.outcome)
            {
                Some(Outcome::Applied) => {
                    remove(&outbox, key(seq)).await?;
                    let change = &entry.mutation.change;
                    applied.push((
                        change,
                        get_soon::<Replica>(&records, change.id.to_string())?,
                    ));
                }
                Some(Outcome::Rejected { code, message, .. }) => {
                    let mut refused = entry.clone();
                    refused.rejected = Some(Rejection {
                        code: *code,
                        message: message.clone(),
                    });
                    refusals.push(put_soon(&outbox, &refused)?);
                }
                None => {}
            }
        }
        // A record changed by several answered changes is read once per change, all before any
        // write; fold them so no acceptance overwrites another.
        let mut accepted: Vec<Replica> = Vec::new();
        for (change, read) in applied {
            let known = match accepted.iter().position(|r| r.state.id == change.id) {
                Some(at) => Some(accepted.swap_remove(at)),
                None => read.await?,
            };
            if let Some(replica) = known {
                accepted.push(replica.with_accepted(change).map_err(corrupt)?);
            }
        }
        let writes = accepted
            .iter()
            .map(|replica| put_soon(&records, replica))
            .collect::<Result<Vec<_>, _>>()?;
        for write in refusals {
            write.await?;
        }
        for write in writes {
            write.await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Applies a page pulled from the server and advances the cursor past it, in one
    /// transaction: the cursor never moves past records that are not stored. Changes of this
    /// device still waiting are merged over the server's, so none is lost.
    pub async fn apply_page(&self, page: &PullPage) -> Result<(), StoreError> {
        let tx = self.writing([RECORDS, META])?;
        let records = tx.object_store(RECORDS)?;
        // All reads are issued at once, then all writes: one round trip per page, not two per
        // record.
        let reads = page
            .changes
            .iter()
            .map(|pulled| get_soon::<Replica>(&records, pulled.id.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut writes = Vec::with_capacity(reads.len());
        for (pulled, read) in page.changes.iter().zip(reads) {
            let merged = Replica::with_server_state(read.await?, pulled).map_err(corrupt)?;
            writes.push(put_soon(&records, &merged)?);
        }
        for write in writes {
            write.await?;
        }
        let latest = page
            .changes
            .iter()
            .map(Envelope::hlc)
            .max()
            .unwrap_or_default();
        sync_meta::update(&tx.object_store(META)?, |meta| {
            meta.cursor = page.cursor;
            sync_meta::observe(meta, latest, page.server_time_ms);
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds the changes of a backup to this device, in one transaction. A change the device
    /// already has, or that the server is known to hold, is left alone, so restoring the same
    /// file twice changes nothing.
    pub async fn restore(&self, mutations: &[Mutation]) -> Result<Restored, StoreError> {
        let tx = self.writing([RECORDS, OUTBOX])?;
        let (records, outbox) = (tx.object_store(RECORDS)?, tx.object_store(OUTBOX)?);
        let mut known = BTreeSet::new();
        known.extend(
            get_all::<OutboxEntry>(&outbox)
                .await?
                .into_iter()
                .map(|entry| entry.mutation.mutation_id),
        );
        let mut restored = Restored::default();
        for mutation in mutations {
            let change = &mutation.change;
            let existing = get::<Replica>(&records, change.id.to_string()).await?;
            let held = existing
                .as_ref()
                .and_then(Replica::server_state)
                .is_some_and(|server| server.merged(change).as_ref() == Ok(&server));
            if held || !known.insert(mutation.mutation_id) {
                restored.already_present += 1;
                continue;
            }
            put(
                &records,
                &Replica::with_local_change(existing, change).map_err(corrupt)?,
            )
            .await?;
            add(&outbox, &OutboxEntry::new(mutation.clone())).await?;
            restored.added += 1;
        }
        tx.commit().await?;
        Ok(restored)
    }
}

/// Writes `edit` as a change stamped now, with its outbox entry.
async fn write_change(
    records: &ObjectStore<'_>,
    outbox: &ObjectStore<'_>,
    meta: &ObjectStore<'_>,
    edit: Edit,
    mutation_id: MutationId,
) -> Result<(), StoreError> {
    let existing = get::<Replica>(records, edit.id.to_string()).await?;
    let (hlc, device) = sync_meta::stamp(meta).await?;
    let author = existing
        .as_ref()
        .map_or(device, |replica| replica.state.author.clone());
    let change = Envelope::change(edit.id, edit.kind, author, hlc, edit.values, edit.deleted);
    put(
        records,
        &Replica::with_local_change(existing, &change).map_err(corrupt)?,
    )
    .await?;
    add(
        outbox,
        &OutboxEntry::new(Mutation {
            mutation_id,
            change,
        }),
    )
    .await
}

/// Removes the refused changes of record `id` and rebuilds it from the rest.
async fn drop_rejected(
    records: &ObjectStore<'_>,
    outbox: &ObjectStore<'_>,
    id: RecordId,
) -> Result<(), StoreError> {
    let entries: Vec<OutboxEntry> = get_all::<OutboxEntry>(outbox)
        .await?
        .into_iter()
        .filter(|entry| entry.mutation.change.id == id)
        .collect();
    for entry in entries.iter().filter(|e| e.rejected.is_some()) {
        if let Some(seq) = entry.seq {
            remove(outbox, key(seq)).await?;
        }
    }
    let Some(replica) = get::<Replica>(records, id.to_string()).await? else {
        return Ok(());
    };
    let waiting = entries
        .iter()
        .filter(|e| e.rejected.is_none())
        .map(|e| &e.mutation.change);
    match replica.rebuilt(waiting).map_err(corrupt)? {
        Some(rebuilt) => put(records, &rebuilt).await,
        None => remove(records, id.to_string()).await,
    }
}

fn corrupt(error: dvor_core::record::MergeError) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

/// An outbox key as IndexedDB made it: a number (a u64 would cross into JavaScript as a BigInt,
/// which is not a key).
fn key(seq: u64) -> f64 {
    seq as f64
}
