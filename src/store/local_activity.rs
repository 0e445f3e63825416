//! An activity as the screens show it: the record's current values and where it stands with
//! the server.

use dvor_core::activity::Activity;
use dvor_core::error::ErrorCode;
use std::hash::{DefaultHasher, Hash, Hasher};

use dvor_core::id::RecordId;
use dvor_core::record::{AuthorId, RecordKind};
use dvor_core::replica::Replica;

use super::outbox::OutboxEntry;
use super::{Store, StoreError};

/// Where a record stands with the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncState {
    /// Changed on the device; to be sent.
    Pending,
    /// The server has exactly this record.
    Synced,
    /// The server refused a change of it; the change stays on the device with the reason.
    Rejected {
        /// The server's code.
        code: ErrorCode,
        /// The server's message, for the person.
        message: String,
    },
}

/// One activity on the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalActivity {
    /// The record's current values.
    pub activity: Activity,
    /// Who made it.
    pub author: AuthorId,
    /// Its sync state.
    pub state: SyncState,
    /// A digest of every field's timestamp and of the state: two versions of a card differ in
    /// it. (The latest timestamp alone would not do: a merge can change a field to an older
    /// write than the newest one shown.)
    pub version: u64,
}

impl LocalActivity {
    /// The activity a record shows, with the state its outbox entries give it; `None` for a
    /// deleted record or one that is not an activity.
    fn of(replica: &Replica, waiting: &[OutboxEntry]) -> Option<Self> {
        if replica.state.kind != RecordKind::Activity || replica.state.is_deleted() {
            return None;
        }
        let activity = Activity::from_stored(&replica.state)?;
        let state = match waiting.iter().find_map(|e| e.rejected.as_ref()) {
            Some(rejection) => SyncState::Rejected {
                code: rejection.code,
                message: rejection.message.clone(),
            },
            None if replica.is_synced() && waiting.is_empty() => SyncState::Synced,
            None => SyncState::Pending,
        };
        let mut digest = DefaultHasher::new();
        for (name, field) in &replica.state.fields {
            (name, field.hlc).hash(&mut digest);
        }
        replica
            .state
            .deleted
            .as_ref()
            .map(|d| d.hlc)
            .hash(&mut digest);
        match &state {
            SyncState::Pending => 0.hash(&mut digest),
            SyncState::Synced => 1.hash(&mut digest),
            SyncState::Rejected { message, .. } => message.hash(&mut digest),
        }
        Some(Self {
            activity,
            author: replica.state.author.clone(),
            state,
            version: digest.finish(),
        })
    }

    /// What identifies this card's contents: a list keyed by it redraws exactly the cards whose
    /// record or state changed, and never shows one record's buttons on another's card.
    pub fn key(&self) -> (RecordId, u64) {
        (self.activity.id, self.version)
    }
}

impl Store {
    /// Every activity on the device, latest first.
    pub async fn activities(&self) -> Result<Vec<LocalActivity>, StoreError> {
        let mut all: Vec<LocalActivity> = self
            .records()
            .await?
            .iter()
            .filter_map(|(replica, waiting)| LocalActivity::of(replica, waiting))
            .collect();
        all.sort_unstable_by_key(|local| {
            std::cmp::Reverse((local.activity.date, local.activity.id))
        });
        Ok(all)
    }
}
