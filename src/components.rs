//! Pieces of screens.

pub mod activity_card;
pub mod backup_panel;
pub mod flash;
pub mod form_field;
pub mod invite_panel;
pub mod records_filter;
pub mod reference_panel;
pub mod sessions_panel;
pub mod sign_out_panel;
pub mod status_bar;
pub mod update_banner;
