//! Records as the screens show them: the current values, read into their type, and where each
//! stands with the server.

use std::hash::{DefaultHasher, Hash, Hasher};

use dvor_core::activity::Activity;
use dvor_core::error::ErrorCode;
use dvor_core::id::RecordId;
use dvor_core::inventory::item::Item;
use dvor_core::inventory::ledger::Movement;
use dvor_core::inventory::loan::Loan;
use dvor_core::order::Section;
use dvor_core::photo::PhotoRef;
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use dvor_core::replica::Replica;
use dvor_core::site::Site;

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

/// A kind of record the screens list.
pub trait Listable: Clone + Sized {
    /// The records of this kind in the store's lists.
    const SECTION: Section;
    /// The record's values read into the type; `None` for a record of another kind.
    fn read(record: &Envelope) -> Option<Self>;
    /// The record's id.
    fn id(&self) -> RecordId;
    /// Its photos.
    fn photos(&self) -> &[PhotoRef] {
        &[]
    }
}

impl Listable for Activity {
    const SECTION: Section = Section::Activities;

    fn read(record: &Envelope) -> Option<Self> {
        (record.kind == RecordKind::Activity)
            .then(|| Activity::from_stored(record))
            .flatten()
    }

    fn id(&self) -> RecordId {
        self.id
    }

    fn photos(&self) -> &[PhotoRef] {
        &self.photos
    }
}

/// Implements [`Listable`] for an inventory kind read by `read`.
macro_rules! inventory_listable {
    ($type:ty, $kind:expr, $read:path) => {
        impl Listable for $type {
            const SECTION: Section = Section::Inventory;

            fn read(record: &Envelope) -> Option<Self> {
                (record.kind == $kind).then(|| $read(record)).flatten()
            }

            fn id(&self) -> RecordId {
                self.id
            }
        }
    };
}

inventory_listable!(Item, RecordKind::Item, Item::from_stored);
inventory_listable!(Loan, RecordKind::Loan, Loan::from_stored);
inventory_listable!(Movement, RecordKind::Movement, Movement::from_stored);

impl Listable for Site {
    const SECTION: Section = Section::Sites;

    fn read(record: &Envelope) -> Option<Self> {
        (record.kind == RecordKind::Site)
            .then(|| Site::from_stored(record))
            .flatten()
    }

    fn id(&self) -> RecordId {
        self.id
    }

    fn photos(&self) -> &[PhotoRef] {
        &self.photos
    }
}

/// One record on the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Local<T> {
    /// The record's current values.
    pub record: T,
    /// Who made it.
    pub author: AuthorId,
    /// Its sync state.
    pub state: SyncState,
    /// A digest of every field's timestamp and of the state: two versions of a card differ in
    /// it. (The latest timestamp alone would not do: a merge can change a field to an older
    /// write than the newest one shown.)
    pub version: u64,
}

/// An activity on the device.
pub type LocalActivity = Local<Activity>;
/// A site on the device.
pub type LocalSite = Local<Site>;

impl<T: Listable> Local<T> {
    /// The record a replica shows, with the state its outbox entries give it; `None` for a
    /// deleted record or one of another kind.
    pub fn of(replica: &Replica, waiting: &[OutboxEntry]) -> Option<Self> {
        if replica.state.is_deleted() {
            return None;
        }
        let record = T::read(&replica.state)?;
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
            record,
            author: replica.state.author.clone(),
            state,
            version: digest.finish(),
        })
    }

    /// What identifies this card's contents: a list keyed by it redraws exactly the cards whose
    /// record or state changed, and never shows one record's buttons on another's card.
    pub fn key(&self) -> (RecordId, u64) {
        (self.record.id(), self.version)
    }
}

/// The inventory on the device, each kind in the order it was made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InventoryRecords {
    /// What the places keep.
    pub items: Vec<Local<Item>>,
    /// Every movement of stock.
    pub movements: Vec<Local<Movement>>,
    /// Every loan.
    pub loans: Vec<Local<Loan>>,
}

/// Some records of a kind, in list order.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The records.
    pub records: Vec<Local<T>>,
    /// Where to read on from, if the section may hold more.
    pub next: Option<String>,
}

impl Store {
    /// How many records of kind `T` the device holds.
    pub async fn count_of<T: Listable>(&self) -> Result<usize, StoreError> {
        self.count(T::SECTION).await
    }

    /// Up to `limit` records of kind `T`, in list order, after the key `after`.
    pub async fn page<T: Listable>(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Page<T>, StoreError> {
        let listed = self.listed(T::SECTION, after, limit).await?;
        let full = listed.records.len() == limit as usize;
        Ok(Page {
            records: listed
                .records
                .iter()
                .filter_map(|(replica, waiting)| Local::of(replica, waiting))
                .collect(),
            next: listed.last.filter(|_| full),
        })
    }

    /// The inventory on the device — items, movements and loans — read in one pass over
    /// their section.
    pub async fn inventory(&self) -> Result<InventoryRecords, StoreError> {
        let listed = self.listed(Section::Inventory, None, u32::MAX).await?;
        let mut all = InventoryRecords::default();
        for (replica, waiting) in &listed.records {
            match replica.state.kind {
                RecordKind::Item => all.items.extend(Local::of(replica, waiting)),
                RecordKind::Movement => all.movements.extend(Local::of(replica, waiting)),
                RecordKind::Loan => all.loans.extend(Local::of(replica, waiting)),
                RecordKind::Activity | RecordKind::Site => {}
            }
        }
        Ok(all)
    }

    /// Every record of kind `T` on the device, in list order.
    pub async fn all<T: Listable>(&self) -> Result<Vec<Local<T>>, StoreError> {
        Ok(self.page(None, u32::MAX).await?.records)
    }
}
