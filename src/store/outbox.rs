//! The outbox: changes made on this device that the server has not accepted, oldest first.

use std::collections::HashSet;

use dvor_core::error::ErrorCode;
use dvor_core::protocol::Mutation;
use dvor_core::unsent::unsent_items;
use indexed_db_futures::object_store::ObjectStore;
use serde::{Deserialize, Serialize};

use super::codec::{self, add, entries_after, put, remove_between};
use super::schema::OUTBOX;
use super::{Store, StoreError};

/// One change waiting in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Its place in the outbox, given by IndexedDB when it was added.
    pub seq: u64,
    /// The change, with the id the server knows it by.
    pub mutation: Mutation,
    /// Why the server refused it, if it did: then it waits for the person, not for the network.
    pub rejected: Option<Rejection>,
}

/// What waits to be sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Waiting {
    /// How many things, as a person counts them.
    pub count: usize,
    /// When the oldest waiting change was made, Unix ms.
    pub oldest_made_ms: Option<u64>,
}

/// The server's reason for refusing a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// Stable, for programs.
    pub code: ErrorCode,
    /// For the person, in Russian.
    pub message: String,
}

/// An outbox entry as stored; its key is its `seq`. Version 2 kept the `seq` inside too, which
/// is ignored when such an entry is moved.
#[derive(Serialize, Deserialize)]
pub(super) struct Unsent {
    pub(super) mutation: Mutation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rejected: Option<Rejection>,
}

impl Store {
    /// Every change in the outbox, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let tx = self.reading(OUTBOX)?;
        all(&tx.object_store(OUTBOX)?).await
    }

    /// What waits to be sent: how many things, as a person counts them
    /// (`dvor_core::unsent`), and since when.
    pub async fn unsent(&self) -> Result<Waiting, StoreError> {
        let waiting = self.outbox_after(0, usize::MAX).await?;
        Ok(Waiting {
            count: unsent_items(waiting.iter().map(|e| &e.mutation.change)),
            // A restored backup queues changes made long before the ones queued ahead of it.
            oldest_made_ms: waiting
                .iter()
                .map(|e| e.mutation.mutation_id.unix_ms())
                .min(),
        })
    }

    /// Up to `limit` outbox entries after position `after` (0 for the start), oldest first,
    /// refused ones included: a pass walks the outbox once, batch by batch, instead of reading
    /// all of it for every batch.
    pub async fn outbox_after(
        &self,
        after: u64,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        let tx = self.reading(OUTBOX)?;
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        after_seq(&tx.object_store(OUTBOX)?, after, limit).await
    }
}

async fn after_seq(
    store: &ObjectStore<'_>,
    after: u64,
    limit: u32,
) -> Result<Vec<OutboxEntry>, StoreError> {
    Ok(entries_after::<Unsent>(store, key(after), limit)
        .await?
        .into_iter()
        .map(|(seq, unsent)| OutboxEntry {
            seq: seq as u64,
            mutation: unsent.mutation,
            rejected: unsent.rejected,
        })
        .collect())
}

/// Every entry of the outbox, inside the caller's transaction.
pub(super) async fn all(store: &ObjectStore<'_>) -> Result<Vec<OutboxEntry>, StoreError> {
    after_seq(store, 0, u32::MAX).await
}

/// Queues `mutation` to be sent.
pub(super) fn push(store: &ObjectStore<'_>, mutation: Mutation) -> Result<(), StoreError> {
    add(
        store,
        &Unsent {
            mutation,
            rejected: None,
        },
    )
}

/// Marks a sent entry as refused, for the person to see and fix.
pub(super) fn refuse(
    store: &ObjectStore<'_>,
    entry: &OutboxEntry,
    rejection: Rejection,
) -> Result<(), StoreError> {
    let unsent = Unsent {
        mutation: entry.mutation.clone(),
        rejected: Some(rejection),
    };
    put(store, key(entry.seq), &unsent)
}

/// Takes an entry out of the outbox.
pub(super) fn remove(store: &ObjectStore<'_>, seq: u64) -> Result<(), StoreError> {
    codec::remove(store, key(seq))
}

/// Takes the `accepted` entries out of the outbox. `walked` are entries read in one go, in
/// order: no other entry can lie between two of them (keys only grow), so each run of accepted
/// ones between those that stay goes in one request.
pub(super) fn remove_accepted(
    store: &ObjectStore<'_>,
    walked: &[OutboxEntry],
    accepted: &HashSet<u64>,
) -> Result<(), StoreError> {
    for run in walked.split(|entry| !accepted.contains(&entry.seq)) {
        if let (Some(first), Some(last)) = (run.first(), run.last()) {
            remove_between(store, key(first.seq), key(last.seq))?;
        }
    }
    Ok(())
}

/// An outbox key as IndexedDB made it: a number (a u64 would cross into JavaScript as a BigInt,
/// which is not a key).
fn key(seq: u64) -> f64 {
    seq as f64
}
