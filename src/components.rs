//! Pieces of screens.

pub mod activity_card;
pub mod area_downloads;
pub mod backup_panel;
pub mod count_input;
pub mod export_panel;
pub mod flash;
pub mod form_field;
pub mod invite_panel;
pub mod loan_card;
pub mod location_field;
pub mod location_picker;
pub mod map_filters;
pub mod month_chart;
pub mod password_panel;
pub mod photo_picker;
pub mod photo_view;
pub mod records_filter;
pub mod reference_panel;
pub mod reset_code_panel;
pub mod sessions_panel;
pub mod sign_in_feedback;
pub mod sign_out_panel;
pub mod site_card;
pub mod status_bar;
pub mod sync_badge;
pub mod update_banner;
