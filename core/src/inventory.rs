//! Inventory: the centres' free rental points and the committees' tools and consumables. Items
//! are records like any other; how many there are is never a number a device writes, but the
//! sum of an append-only ledger of movements, so two devices moving stock offline both count
//! and nothing is silently clamped.

pub mod desk;
pub mod item;
pub mod ledger;
pub mod loan;
