//! Sending records to the server and fetching others' records, when the network allows.

mod engine;
pub mod lock;
mod runner;
mod status;

pub use engine::{PullProgress, SyncError, sync_once};
pub use runner::Syncer;
pub use status::SyncStatus;
