//! Screens, one a file.

pub mod account;
pub mod audit;
pub mod choose_kind;
pub mod install;
pub mod inventory;
pub mod inventory_item;
pub mod join;
pub mod lend;
pub mod loan;
pub mod log_activity;
pub mod map;
pub mod not_found;
pub mod quick_add;
pub mod records;
pub mod report;
pub mod reset_password;
pub mod sign_in;
pub mod site;
pub mod site_form;
pub mod sites;
pub mod stock_take;
pub mod storage_unavailable;
