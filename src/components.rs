//! Pieces of screens.

pub mod activity_card;
pub mod backup_panel;
pub mod flash;
pub mod form_field;
pub mod status_bar;
pub mod update_banner;
