//! The inventory as the desk screens show it: read from the device's store whenever its records
//! change, summed by `dvor_core::inventory::desk`, and the movements a screen records.

use dvor_core::access::{Action, Owner};
use dvor_core::id::RecordId;
use dvor_core::inventory::item::Item;
use dvor_core::inventory::ledger::{Ledger, Movement, MovementKind};
use dvor_core::inventory::loan::Loan;
use dvor_core::record::RecordKind;
use dvor_core::reference::OwnerEntry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use crate::account::Account;
use crate::app::StoreHandle;
use crate::clock::new_record_id;
use crate::i18n::t;
use crate::records::{Records, save_edit};
use crate::store::{Edit, InventoryRecords};

/// The inventory on the device, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct Inventory {
    /// Items, movements and loans as last read.
    pub records: RwSignal<InventoryRecords>,
    /// Whether they have been read at least once.
    pub loaded: RwSignal<bool>,
    /// Why they could not be read, if they could not.
    pub error: RwSignal<Option<String>>,
}

impl Inventory {
    /// Nothing read yet.
    pub fn new() -> Self {
        Self {
            records: RwSignal::new(InventoryRecords::default()),
            loaded: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Reads the inventory now and again whenever the device's records change, while the
    /// calling screen is shown.
    pub fn follow(&self) {
        let this = *self;
        let changes = expect_context::<Records>().changes;
        let store = expect_context::<StoreHandle>();
        Effect::new(move || {
            changes.track();
            let store = store.clone();
            spawn_local(async move {
                match store.inventory().await {
                    Ok(read) => {
                        this.records.set(read);
                        this.error.set(None);
                    }
                    Err(error) => this.error.set(Some(error.to_string())),
                }
                this.loaded.set(true);
            });
        });
    }

    /// The ledger of every movement on the device.
    pub fn ledger(&self) -> Ledger {
        self.records.with(|r| {
            let mut ledger = Ledger::new();
            for movement in &r.movements {
                ledger.add(movement.record);
            }
            ledger
        })
    }

    /// Every item on the device.
    pub fn items(&self) -> Vec<Item> {
        self.records
            .with(|r| r.items.iter().map(|i| i.record.clone()).collect())
    }

    /// Every loan on the device.
    pub fn loans(&self) -> Vec<Loan> {
        self.records
            .with(|r| r.loans.iter().map(|l| l.record.clone()).collect())
    }

    /// The item `id`, if the device has it.
    pub fn item(&self, id: RecordId) -> Option<Item> {
        self.records.with(|r| {
            r.items
                .iter()
                .find(|i| i.record.id == id)
                .map(|i| i.record.clone())
        })
    }
}

impl Default for Inventory {
    fn default() -> Self {
        Self::new()
    }
}

/// The places whose inventory the person may see: those they keep first, then those they
/// oversee.
pub fn places(account: &Account) -> Vec<OwnerEntry> {
    let mut places = account.owners_for(Action::ManageInventory);
    for entry in account.owners_for(Action::Read) {
        if !places.iter().any(|p| p.owner == entry.owner) {
            places.push(entry);
        }
    }
    places
}

/// The place a screen is about: `?place=` when the person may see it, else the first they may.
pub fn chosen_place(account: &Account) -> Memo<Option<Owner>> {
    let query = use_query_map();
    let account = *account;
    Memo::new(move |_| {
        let all = places(&account);
        let asked = query
            .with(|q| q.get("place"))
            .and_then(|k| Owner::from_key(&k));
        asked
            .filter(|owner| all.iter().any(|p| p.owner == *owner))
            .or_else(|| all.first().map(|p| p.owner))
    })
}

/// A link to an inventory screen about `place`.
pub fn href(path: &str, place: Owner) -> String {
    format!("{path}?place={}", place.key())
}

/// A new record of an inventory kind, made whole.
pub fn new_record(
    kind: RecordKind,
    id: RecordId,
    owner: Owner,
    values: std::collections::BTreeMap<String, serde_json::Value>,
) -> Edit {
    Edit::from_form(id, kind, owner, values, None)
}

/// A new movement of `quantity` of `item` at `place`.
pub fn movement(
    item: RecordId,
    place: Owner,
    kind: MovementKind,
    quantity: u32,
) -> Result<Edit, String> {
    let id = new_record_id().map_err(|e| (t().save_failed)(&e.to_string()))?;
    let movement = Movement {
        id,
        item,
        place,
        kind,
        quantity,
    };
    Ok(new_record(
        RecordKind::Movement,
        id,
        place,
        movement.values(),
    ))
}

/// Saves `edits` on the device one after another, stopping at the first that fails.
pub fn save_all(edits: Vec<Edit>) -> impl Future<Output = Result<(), String>> {
    // Each save reads its contexts now, in the caller's reactive owner.
    let saves: Vec<_> = edits
        .into_iter()
        .map(|edit| save_edit(edit, false))
        .collect();
    async move {
        for save in saves {
            save.await?;
        }
        Ok(())
    }
}
