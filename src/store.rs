//! The device's storage: IndexedDB, opened once and shared. Records are written here first;
//! sync only ever reads them back.

mod activities;
mod codec;
mod error;
mod local_activity;
mod schema;
mod sync_meta;

use indexed_db_futures::database::Database;

pub use activities::Restored;
pub use error::StoreError;
pub use local_activity::{LocalActivity, SyncState};
pub use sync_meta::SyncMeta;

/// The name of the app's IndexedDB database.
pub const DATABASE_NAME: &str = "dvor";

/// An open IndexedDB database of the app.
#[derive(Clone, Debug)]
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens the database called `name`, creating or upgrading its schema. Tests pass a random
    /// name so they never see each other's data.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        Ok(Self {
            db: schema::open(name).await?,
        })
    }
}
