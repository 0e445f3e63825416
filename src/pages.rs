//! Screens, one a file.

pub mod log_activity;
pub mod not_found;
pub mod records;
pub mod storage_unavailable;
