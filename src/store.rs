//! The device's storage: IndexedDB, opened once and shared. Records are written here first;
//! sync only ever reads them back.

mod account;
mod codec;
mod drafts;
mod error;
mod listing;
mod local;
mod outbox;
mod photos;
mod records;
mod schema;
mod start_over;
mod sync_meta;

use indexed_db_futures::database::{Database, ObjectStoreName};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub use account::{DeviceSession, SignIn};
pub use drafts::Draft;
pub use error::StoreError;
pub use listing::Listed;
pub use local::{InventoryRecords, Listable, Local, LocalActivity, LocalSite, Page, SyncState};
pub use outbox::{OutboxEntry, Rejection, Waiting};
pub use records::{Edit, PageApplied, Restored};
pub use sync_meta::SyncMeta;

/// The name of the app's IndexedDB database.
pub const DATABASE_NAME: &str = "dvor";

/// The device's store as screens share it through context (IndexedDB handles live on the main
/// thread only).
pub type StoreHandle = send_wrapper::SendWrapper<Store>;

/// An open IndexedDB database of the app.
#[derive(Clone, Debug)]
pub struct Store {
    db: Database,
    /// The database was created by this page: nothing of the app was kept on this origin —
    /// a first visit, or a browser that erased everything (`dvor_core::keeping`).
    created_now: bool,
}

impl Store {
    /// A read-write transaction over `stores`. It rolls back unless committed; only IndexedDB
    /// requests may be awaited inside it, or it commits early.
    fn writing<S: ObjectStoreName>(&self, stores: S) -> Result<Transaction<'_>, StoreError> {
        Ok(self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .build()?)
    }

    /// A read-write transaction over `stores` that completes only once its writes are on disk:
    /// for what a person did, which exists nowhere else yet. Chromium's default durability may
    /// lose the last transactions on a power cut; that suits pulled pages and answers, which
    /// the server sends again, but not a saved record.
    fn writing_durably<S: ObjectStoreName>(
        &self,
        stores: S,
    ) -> Result<Transaction<'_>, StoreError> {
        Ok(self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(TransactionDurability::Strict))
            .build()?)
    }

    /// A read-only transaction over `stores`.
    fn reading<S: ObjectStoreName>(&self, stores: S) -> Result<Transaction<'_>, StoreError> {
        Ok(self.db.transaction(stores).build()?)
    }

    /// Opens the database called `name`, creating or upgrading its schema. Tests pass a random
    /// name so they never see each other's data.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        Self::open_or_wait(name, || ()).await
    }

    /// [`open`](Self::open), calling `on_blocked` when an older version of the app in another
    /// tab holds the database and the upgrade waits for that tab to close.
    pub async fn open_or_wait(
        name: &str,
        on_blocked: impl FnOnce() + 'static,
    ) -> Result<Self, StoreError> {
        let (db, created_now) = schema::open(name, on_blocked).await?;
        let store = Self { db, created_now };
        store.ensure_node().await?;
        store.move_old_records().await?;
        Ok(store)
    }

    /// Whether this page created the database: the device kept nothing of the app before.
    pub fn created_now(&self) -> bool {
        self.created_now
    }

    /// Lets go of the database as soon as another tab opens it at a newer schema version, so
    /// that tab's upgrade does not wait for this one, and then calls `then`. This tab's store
    /// fails from that moment: the page has to reload into the new version.
    pub fn give_way_to_newer_versions(&self, then: impl FnOnce() + 'static) {
        let db = self.db.as_sys().clone();
        let handler = Closure::once_into_js(move |_: web_sys::Event| {
            db.close();
            then();
        });
        self.db
            .as_sys()
            .set_onversionchange(Some(handler.unchecked_ref()));
    }
}
