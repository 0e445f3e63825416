//! The outbox: changes made on this device that the server has not accepted, oldest first.

use dvor_core::error::ErrorCode;
use dvor_core::protocol::Mutation;
use serde::{Deserialize, Serialize};

use super::codec::{get_after, get_all};
use super::schema::OUTBOX;
use super::{Store, StoreError};

/// One change waiting in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Its place in the outbox, given by IndexedDB when it is added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The change, with the id the server knows it by.
    pub mutation: Mutation,
    /// Why the server refused it, if it did: then it waits for the person, not for the network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<Rejection>,
}

/// The server's reason for refusing a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// Stable, for programs.
    pub code: ErrorCode,
    /// For the person, in Russian.
    pub message: String,
}

impl OutboxEntry {
    /// A change to be sent.
    pub fn new(mutation: Mutation) -> Self {
        Self {
            seq: None,
            mutation,
            rejected: None,
        }
    }
}

impl Store {
    /// Every change in the outbox, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let tx = self.reading(OUTBOX)?;
        get_all(&tx.object_store(OUTBOX)?).await
    }

    /// Up to `limit` outbox entries after position `after` (0 for the start), oldest first,
    /// refused ones included: a pass walks the outbox once, page by page, instead of reading
    /// all of it for every batch.
    pub async fn outbox_after(
        &self,
        after: u64,
        limit: u32,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        let tx = self.reading(OUTBOX)?;
        get_after(&tx.object_store(OUTBOX)?, after as f64, limit).await
    }
}
