//! Screens, one a file.

pub mod account;
pub mod choose_kind;
pub mod join;
pub mod log_activity;
pub mod not_found;
pub mod records;
pub mod sign_in;
pub mod site;
pub mod site_form;
pub mod sites;
pub mod storage_unavailable;
