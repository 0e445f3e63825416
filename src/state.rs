//! The state the screens share, provided once by `App` as contexts: the device's store, the
//! records and the account, sync and its status, the flash message, the inventory, the photo
//! uploads, the service worker's update, the storage's durability and installing. Screens and
//! components read these; they never import each other's internals.

pub mod flash;
pub mod grants;
pub mod sign_in;

use leptos::prelude::*;

use crate::account::Account;
use crate::api::Api;
use crate::inventory::Inventory;
use crate::records::Records;
use crate::store::{Store, StoreHandle};
use crate::sync::{SyncStatus, Syncer};
use flash::Flash;

/// What `App` itself goes on to use of the shared state.
pub struct Shared {
    /// The person signed in on the device, if any.
    pub account: Account,
    /// The device's records.
    pub records: Records,
    /// Where sync stands.
    pub status: SyncStatus,
    /// The sync engine.
    pub syncer: Syncer,
}

/// Provides every shared context over `store`, and starts sync.
pub fn provide_contexts(store: &Store) -> Shared {
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    let records = Records::new();
    let status = SyncStatus::new(online);
    let api = Api::default();
    let account = Account::new();
    provide_context(records);
    provide_context(account);
    provide_context(api.clone());
    provide_context(status);
    provide_context(Flash::new());
    provide_context(Inventory::new());
    let update = crate::pwa::register();
    store.give_way_to_newer_versions(move || update.superseded.set(true));
    provide_context(update);
    provide_context(crate::durability::request());
    provide_context(crate::install::Install::start());
    provide_context(StoreHandle::new(store.clone()));
    let uploads = crate::photos::Uploads::new();
    provide_context(uploads);
    let syncer = Syncer::start(store.clone(), api, status, records, account, uploads);
    provide_context(syncer.clone());
    Shared {
        account,
        records,
        status,
        syncer,
    }
}
