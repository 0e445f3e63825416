//! The inventory as the desk screens show it: read from the device's store whenever its records
//! change, summed by `dvor_core::inventory::desk`, and the movements a screen records.

use dvor_core::access::{Action, Owner};
use dvor_core::id::RecordId;
use dvor_core::inventory::desk::{LoanLine, StockLine, loan_lines, stock_lines};
use dvor_core::inventory::item::Item;
use dvor_core::inventory::ledger::{Ledger, Movement, MovementKind};
use dvor_core::inventory::loan::Loan;
use dvor_core::record::RecordKind;
use dvor_core::reference::OwnerEntry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_query_map;

use crate::account::Account;
use crate::clock::{new_record_id, today};
use crate::i18n::t;
use crate::records::{Records, save_edit};
use crate::state::flash::Flash;
use crate::store::StoreHandle;
use crate::store::{Edit, InventoryRecords};

/// The inventory on the device, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct Inventory {
    /// Items, movements and loans as last read.
    pub records: RwSignal<InventoryRecords>,
    /// The ledger of every movement on the device, summed once per read.
    pub ledger: Memo<Ledger>,
    /// Whether they have been read at least once.
    pub loaded: RwSignal<bool>,
    /// Why they could not be read, if they could not.
    pub error: RwSignal<Option<String>>,
    /// Whether a read is running, and whether the records changed since it began. Kept here,
    /// with the app, so a read outlives the screen that asked for it.
    reading: StoredValue<(bool, bool)>,
}

impl Inventory {
    /// Nothing read yet.
    pub fn new() -> Self {
        let records = RwSignal::new(InventoryRecords::default());
        let ledger = Memo::new(move |_| {
            records.with(|r| {
                let mut ledger = Ledger::new();
                for movement in &r.movements {
                    ledger.add(movement.record);
                }
                ledger
            })
        });
        Self {
            records,
            ledger,
            loaded: RwSignal::new(false),
            error: RwSignal::new(None),
            reading: StoredValue::new((false, false)),
        }
    }

    /// Reads the inventory now and again whenever the device's records change, while the
    /// calling screen is shown. A burst of changes (a loan and its lines, saved one after
    /// another) costs one read while one is running and one after it, never a read per change,
    /// and a read never lands after a later one.
    pub fn follow(&self) {
        let this = *self;
        let changes = expect_context::<Records>().changes;
        let store = expect_context::<StoreHandle>();
        let reading = self.reading;
        Effect::new(move || {
            changes.track();
            if reading.get_value().0 {
                reading.set_value((true, true));
                return;
            }
            reading.set_value((true, false));
            let store = store.clone();
            spawn_local(async move {
                loop {
                    match store.inventory().await {
                        Ok(read) => {
                            this.records.set(read);
                            this.error.set(None);
                        }
                        Err(error) => this.error.set(Some(error.to_string())),
                    }
                    this.loaded.set(true);
                    let (_, again) = reading.get_value();
                    reading.set_value((again, false));
                    if !again {
                        break;
                    }
                }
            });
        });
    }

    /// The stock of every item `place` keeps.
    pub fn stock(&self, place: Owner) -> Vec<StockLine> {
        let items = self.items();
        self.ledger
            .with(|ledger| stock_lines(&items, ledger, place))
    }

    /// The loans of `place` with what is still out on each, the latest first.
    pub fn loan_lines(&self, place: Owner) -> Vec<LoanLine> {
        let loans = self.loans();
        self.ledger
            .with(|ledger| loan_lines(&loans, ledger, place, today()))
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

/// The place a screen is about: `?place=` when the person may see it, else the one chosen last,
/// else the first they may.
pub fn chosen_place(account: &Account) -> Memo<Option<Owner>> {
    let query = use_query_map();
    let account = *account;
    Memo::new(move |_| {
        let all = places(&account);
        let held = |owner: &Owner| all.iter().any(|p| p.owner == *owner);
        let asked = query
            .with(|q| q.get("place"))
            .and_then(|k| Owner::from_key(&k));
        asked
            .filter(held)
            .or_else(|| {
                crate::prefs::read(PLACE_KEY)
                    .and_then(|k| Owner::from_key(&k))
                    .filter(held)
            })
            .or_else(|| all.first().map(|p| p.owner))
    })
}

/// Where the place chosen last is remembered, so the tab bar's links open the desk there.
const PLACE_KEY: &str = "dvor.desk-place";

/// Remembers `owner` as the place chosen last.
pub fn remember_place(owner: Owner) {
    crate::prefs::write(PLACE_KEY, &owner.key());
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

/// A fresh record id, or why none could be made, in the person's words.
pub fn fresh_id() -> Result<RecordId, String> {
    new_record_id().map_err(|e| (t().common.save_failed)(&e.to_string()))
}

/// A new movement of `quantity` of `item` at `place`, not saved yet.
pub fn new_movement(
    item: RecordId,
    place: Owner,
    kind: MovementKind,
    quantity: u32,
) -> Result<Movement, String> {
    Ok(Movement {
        id: fresh_id()?,
        item,
        place,
        kind,
        quantity,
    })
}

/// What saves `movement`.
pub fn movement_edit(movement: &Movement) -> Edit {
    new_record(
        RecordKind::Movement,
        movement.id,
        movement.place,
        movement.values(),
    )
}

/// What saves a new movement of `quantity` of `item` at `place`.
pub fn movement(
    item: RecordId,
    place: Owner,
    kind: MovementKind,
    quantity: u32,
) -> Result<Edit, String> {
    new_movement(item, place, kind, quantity).map(|m| movement_edit(&m))
}

/// Saves `edits`, then goes back to the desk's screen at `back` for `owner` saying `done`; a
/// failure stays on the screen.
pub fn save_then_back(
    edits: Vec<Edit>,
    (back, owner): (&'static str, Owner),
    done: String,
    navigate: impl Fn(&str, NavigateOptions) + 'static,
) {
    let inventory = expect_context::<Inventory>();
    let flash = expect_context::<Flash>();
    let save = save_all(edits);
    spawn_local(async move {
        match save.await {
            Ok(()) => {
                flash.set(done);
                navigate(&href(back, owner), NavigateOptions::default());
            }
            Err(message) => inventory.error.set(Some(message)),
        }
    });
}

/// A screen for a place whose inventory the person keeps — the one the address names — with the
/// inventory read while it shows; for anyone else, what they may not do.
#[component]
pub fn KeptPlace<F, V>(screen: F) -> impl IntoView
where
    F: Fn(Owner) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    inventory.follow();
    let place = chosen_place(&account);
    move || match place
        .get()
        .filter(|p| account.may(Action::ManageInventory, *p))
    {
        Some(owner) => screen(owner).into_any(),
        None => view! { <p class="empty">{t().common.inv_no_places}</p> }.into_any(),
    }
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
