//! `dvor-core`: the domain of Двор — records, their validation and the messages the client and
//! the server exchange — shared by both sides so that a record one accepts the other accepts too.
//!
//! Invariant: this crate does no I/O and reads no clock. Callers pass "now" and randomness in,
//! which keeps every rule deterministic and testable natively.

pub mod access;
pub mod account;
pub mod activity;
pub mod audit;
pub mod backoff;
pub mod backup;
pub mod date;
pub mod device;
pub mod error;
pub mod export;
pub mod filter;
pub mod geo;
pub mod hlc;
pub mod i18n;
pub mod id;
pub mod inventory;
pub mod keeping;
pub mod kinds;
pub mod lineage;
pub mod login;
pub mod map;
pub mod measure;
pub mod nav;
pub mod order;
pub mod photo;
pub mod protocol;
pub mod record;
pub mod reference;
pub mod replica;
pub mod report;
pub mod site;
pub mod text;
pub mod unsent;
mod values;
