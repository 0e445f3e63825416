//! An activity as the device keeps it: the record and whether the server has it.

use dvor_core::activity::Activity;
use dvor_core::error::ErrorCode;
use serde::{Deserialize, Serialize};

/// Where a record stands with the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SyncState {
    /// Saved on the device only; to be sent.
    Pending,
    /// The server has exactly this record.
    Synced,
    /// The server refused it; it stays on the device with the reason.
    Rejected {
        /// The server's code.
        code: ErrorCode,
        /// The server's message, for the person.
        message: String,
    },
}

/// One activity in the device's store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalActivity {
    /// The record.
    pub activity: Activity,
    /// Its sync state.
    pub state: SyncState,
}

impl LocalActivity {
    /// A record saved on the device, waiting to be sent.
    pub fn pending(activity: Activity) -> Self {
        Self {
            activity,
            state: SyncState::Pending,
        }
    }
}
