//! The Двор web client: a Leptos app rendered in the browser, keeping records in IndexedDB and
//! syncing them with the server when the network allows.
//!
//! Invariant: a record is in IndexedDB before the person is told it is saved; the network is
//! never on the path of saving.

pub mod account;
pub mod api;
pub mod app;
pub mod backup;
pub mod chunk;
pub mod clock;
pub mod components;
pub mod device_key;
pub mod dialog;
pub mod drafts;
pub mod durability;
pub mod exports;
pub mod files;
pub mod geolocation;
pub mod i18n;
pub mod install;
pub mod inventory;
pub mod lazy_screens;
pub mod map;
pub mod pages;
pub mod photos;
pub mod prefs;
pub mod pwa;
pub mod records;
pub mod share;
pub mod state;
pub mod store;
pub mod sync;
pub mod timing;
