//! Every word the product shows a person, in one place per language, grouped by the screens
//! that show it (`t.map.…`, `t.desk.…`; words several screens share are `t.common.…`). A
//! second language is a second value of [`Strings`]: the compiler then insists that nothing is
//! left untranslated, as a struct literal must name every field of every group.

mod ru;

use crate::access::{Owner, Role};
use crate::activity::ActivityKind;
use crate::audit::{AuditAct, AuditKind};
use crate::date::{Date, local_moment};
use crate::device::Device;
use crate::error::{ErrorCode, FieldError};
use crate::export::{Dataset, Format};
use crate::inventory::item::{Condition, ItemKind};
use crate::inventory::ledger::{MovementKind, WriteOffReason};
use crate::keeping::{Persistence, Platform};
use crate::measure::Measure;
use crate::nav::Destination;
use crate::photo::PhotoTag;
use crate::report::figures::Section;
use crate::site::SiteKind;

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Русский.
    #[default]
    Ru,
}

/// The strings of one language.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Ru => &ru::RU,
    }
}

/// The interface's words. Fields that take values are functions.
pub struct Strings {
    /// Words several screens share: kinds, measures, roles, errors, dates, numbers.
    pub common: CommonText,
    /// The shell around every screen: the status bar, sync, updates, storage.
    pub shell: ShellText,
    /// The records list, the activity form, photos, drafts and backups.
    pub records: RecordsText,
    /// Beautification sites: their list, page and form, and the GPS field.
    pub sites: SitesText,
    /// The map, its filters and offline areas.
    pub map: MapText,
    /// The rental desk: stock, items, lending, loans, stock-taking.
    pub desk: DeskText,
    /// The report, its chart and the exports.
    pub report: ReportText,
    /// Signing in, joining, passwords, the account screen and its panels.
    pub account: AccountText,
    /// Keeping the device's work: installing the app, the browser's promise to keep data,
    /// unsent work at risk, a device whose data the browser erased.
    pub keeping: KeepingText,
    /// The audit log: its screen and its export.
    pub audit: AuditText,
}

/// Words several screens share: kinds, measures, roles, errors, dates, numbers.
pub struct CommonText {
    /// The BCP 47 tag of the language, for `<html lang>`.
    pub lang_tag: &'static str,
    /// The device's storage cannot be opened.
    pub storage_unavailable: fn(&str) -> String,
    /// The filter panel's summary.
    pub filters: &'static str,
    /// Field label: the first day of a period.
    pub field_from: &'static str,
    /// Field label: the last day of a period.
    pub field_to: &'static str,
    /// Button: clear the search and filters.
    pub reset_filters: &'static str,
    /// A record waits to be sent.
    pub badge_unsynced: &'static str,
    /// A record is on the server.
    pub badge_synced: &'static str,
    /// The server's answer to plain HTTP it cannot send on to HTTPS (no usable host named).
    pub https_only: &'static str,
    /// A record the server refused.
    pub badge_rejected: &'static str,
    /// The title of the form correcting a refused record.
    pub fix_title: &'static str,
    /// Heading of the form that changes a record.
    pub edit_title: &'static str,
    /// Opens a record for changing.
    pub edit: &'static str,
    /// Deletes a record everywhere.
    pub delete: &'static str,
    /// Shown after saving a record.
    pub saved_on_device: &'static str,
    /// The form's title for a kind.
    pub new_kind_title: fn(ActivityKind) -> &'static str,
    /// A kind's name.
    pub kind_name: fn(ActivityKind) -> &'static str,
    /// Field label.
    pub field_date: &'static str,
    /// Field label: the committee or centre that keeps a record.
    pub field_committee: &'static str,
    /// The person may log records nowhere (a coordinator, say).
    pub no_place_to_log: &'static str,
    /// A committee or centre not in the reference data on the device.
    pub unknown_owner: fn(Owner) -> String,
    /// Field label: the address, for kinds done at a site.
    pub field_site_address: &'static str,
    /// Field label: the place, for kinds where it may be left out.
    pub field_place: &'static str,
    /// Field label of a kind's variant: the action, campaign, direction, theme or nomination.
    pub field_variant: fn(ActivityKind) -> &'static str,
    /// A variant's name, by its wire name; `None` for a name no kind declares.
    pub variant_name: fn(&str) -> Option<&'static str>,
    /// Field label: a youth movement event.
    pub field_youth: &'static str,
    /// Placeholder of the address field.
    pub field_site_address_hint: &'static str,
    /// A measure's label.
    pub measure_label: fn(Measure) -> &'static str,
    /// A measure's unit, abbreviated.
    pub measure_unit: fn(Measure) -> &'static str,
    /// Button.
    pub save: &'static str,
    /// Shown while saving.
    pub saving: &'static str,
    /// Button.
    pub cancel: &'static str,
    /// A form was filled from the draft left in it.
    pub draft_restored: &'static str,
    /// Above a form with errors.
    pub fix_marked_fields: &'static str,
    /// Saving to the device failed.
    pub save_failed: fn(&str) -> String,
    /// Saving needs someone signed in.
    pub sign_in_to_save: &'static str,
    /// Field label.
    pub field_district: &'static str,
    /// The browser would not let the app wait for sync to finish.
    pub sync_lock_failed: &'static str,
    /// The list of sites, and the menu link to it.
    pub sites_title: &'static str,
    /// Button and title: a new site.
    pub new_site: &'static str,
    /// Field label: what kind of place.
    pub field_site_kind: &'static str,
    /// The name of a site kind, by wire name.
    pub site_kind_name: fn(SiteKind) -> &'static str,
    /// Field label: the site an activity was done at.
    pub field_site: &'static str,
    /// Field label: a club's name.
    pub field_title: &'static str,
    /// Field label: the club a meeting belongs to.
    pub field_part_of: &'static str,
    /// No club to log a meeting of.
    pub no_clubs_yet: &'static str,
    /// The choice of no site.
    pub no_site: &'static str,
    /// When a photo was taken, relative to the work.
    pub photo_tag: fn(PhotoTag) -> &'static str,
    /// A whole number grouped the language's way.
    pub number: fn(i64) -> String,
    /// A date in words, from (year, month 1–12, day).
    pub date_long: fn(i32, u32, u32) -> String,
    /// The server cannot be reached.
    pub server_unreachable: &'static str,
    /// The server answered with an unexpected status.
    pub server_status: fn(u16) -> String,
    /// The reason for an error code; `limit` is the bound crossed, for codes that have one.
    pub error: fn(ErrorCode, Option<i64>) -> String,
    /// Heading of a place's inventory.
    pub inv_title: &'static str,
    /// Label of the place chooser.
    pub inv_place: &'static str,
    /// Shown to a person who keeps no inventory anywhere.
    pub inv_no_places: &'static str,
    /// A place without items.
    pub inv_empty: &'static str,
    /// Button: lend items.
    pub inv_lend: &'static str,
    /// Button: add items.
    pub inv_add: &'static str,
    /// Button and heading: stock-take.
    pub inv_count: &'static str,
    /// Button: export the ledger.
    pub inv_export: &'static str,
    /// Heading of the stock table.
    pub inv_stock: &'static str,
    /// Column: the item.
    pub inv_item_col: &'static str,
    /// Column: on the shelf.
    pub inv_available: &'static str,
    /// Column: out on loans.
    pub inv_lent_col: &'static str,
    /// Label: an item's condition.
    pub inv_condition_col: &'static str,
    /// Flag: more lent than there was.
    pub inv_over_lent: &'static str,
    /// What to do about over-lending.
    pub inv_over_lent_hint: &'static str,
    /// Flag: a consumable running low.
    pub inv_low: &'static str,
    /// Flag: waiting for repair.
    pub inv_in_repair: &'static str,
    /// Heading: loans not fully returned.
    pub inv_loans_out: &'static str,
    /// No loan is out.
    pub inv_no_loans_out: &'static str,
    /// An item's condition.
    pub inv_condition_name: fn(Condition) -> &'static str,
    /// Whether an item comes back.
    pub inv_kind_name: fn(ItemKind) -> &'static str,
    /// Why an item was written off.
    pub inv_reason_name: fn(WriteOffReason) -> &'static str,
    /// What a movement did.
    pub inv_movement_name: fn(MovementKind) -> String,
    /// The ledger export's column headings.
    pub inv_csv_headings: [&'static str; 8],
    /// Heading: an item's movements.
    pub inv_history: &'static str,
    /// An item without movements.
    pub inv_no_history: &'static str,
    /// Label: what to record.
    pub inv_action: &'static str,
    /// Label: how many.
    pub inv_quantity: &'static str,
    /// Action: stock came in.
    pub inv_do_receive: &'static str,
    /// Action: consumables given out.
    pub inv_do_issue: &'static str,
    /// Action: written off.
    pub inv_do_write_off: &'static str,
    /// Action: sent to another place.
    pub inv_do_transfer: &'static str,
    /// Label: the activity consumables went to.
    pub inv_for_activity: &'static str,
    /// Choice: issued to no logged activity.
    pub inv_no_activity: &'static str,
    /// Label: why written off.
    pub inv_reason: &'static str,
    /// Label: where to.
    pub inv_to: &'static str,
    /// Button: record a movement.
    pub inv_record: &'static str,
    /// A movement was saved.
    pub inv_recorded: &'static str,
    /// Heading: an item's settings.
    pub inv_item_settings: &'static str,
    /// Label: the low-stock threshold.
    pub inv_low_stock: &'static str,
    /// Button: save an item's settings.
    pub inv_save: &'static str,
    /// An item the device does not have.
    pub inv_item_missing: &'static str,
    /// A loan the device does not have.
    pub inv_loan_missing: &'static str,
    /// A filter's "no narrowing" choice.
    pub map_any: &'static str,
    /// Button: cancel a download.
    pub map_download_cancel: &'static str,
    /// A size in bytes, in kilobytes or megabytes.
    pub bytes: fn(u64) -> String,
    /// A report section's title.
    pub report_section: fn(Section) -> &'static str,
    /// A figure's name, by its key (`dvor_core::report::figures`).
    pub report_figure: fn(&str) -> &'static str,
    /// The figure the breakdowns and the trend show.
    pub report_figure_choice: &'static str,
    /// Column: committee, centre or district.
    pub report_place: &'static str,
    /// Exported activities' headings before the measures'.
    pub export_activity_headings: [&'static str; 10],
    /// Exported sites' headings before the measures'.
    pub export_site_headings: [&'static str; 10],
    /// A yes in an exported cell.
    pub export_yes: &'static str,
    /// The report workbook's sheets: the figures, by district, by committee or centre, by month.
    pub export_report_sheets: [&'static str; 4],
    /// The report sheet's headings: section, figure, value.
    pub export_report_headings: [&'static str; 3],
    /// Column: the month.
    pub export_month: &'static str,
    /// What an export holds.
    pub export_dataset: fn(Dataset) -> &'static str,
}

/// The shell around every screen: the status bar, sync, updates, storage.
pub struct ShellText {
    /// The product's name.
    pub app_name: &'static str,
    /// The name of the status bar, for screen readers.
    pub sync_status: &'static str,
    /// Connectivity shown in the status bar.
    pub online: &'static str,
    /// Connectivity shown in the status bar.
    pub offline: &'static str,
    /// "N changes not sent yet".
    pub unsynced_count: fn(usize) -> String,
    /// Nothing waits to be sent.
    pub all_synced: &'static str,
    /// The time of the last successful sync, already formatted.
    pub last_synced_at: fn(&str) -> String,
    /// No sync has succeeded on this device yet.
    pub never_synced: &'static str,
    /// The last sync failed, with the reason.
    pub sync_failed: fn(&str) -> String,
    /// How long until the next automatic try, in seconds.
    pub next_retry_in: fn(u64) -> String,
    /// A pull in progress: records received so far, of how many.
    pub pull_progress: fn(u64, u64) -> String,
    /// The button that starts a sync.
    pub sync_now: &'static str,
    /// Shown while a sync runs.
    pub syncing: &'static str,
    /// A new version of the app has been downloaded.
    pub update_ready: &'static str,
    /// The button that switches to it.
    pub update_now: &'static str,
    /// A newer version opened the device's data in another tab; this one must reload.
    pub superseded: &'static str,
    /// The button that reloads the page.
    pub reload: &'static str,
    /// The device's data waits for an older version in another tab to close.
    pub close_other_tabs: &'static str,
    /// Saving works without network; shown when offline.
    pub offline_hint: &'static str,
    /// The session ended; N changes wait for the next sign-in.
    pub session_ended: fn(usize) -> String,
    /// Button.
    pub sign_in_again: &'static str,
    /// A destination, as its tab names it.
    pub destination: fn(Destination) -> &'static str,
    /// The last tab: the account, with the destinations the bar has no room for.
    pub more_nav: &'static str,
    /// The name of the tab bar, for screen readers.
    pub tabs_label: &'static str,
    /// The account screen's list of the destinations not in the bar.
    pub more_title: &'static str,
    /// The floating button that logs the kind logged last.
    pub log_again: &'static str,
    /// N photos of a record wait to be sent.
    pub photos_unsent: fn(usize) -> String,
    /// A photo being sent, in percent.
    pub photo_sending: fn(u8) -> String,
    /// A photo's upload failed.
    pub photo_send_failed: &'static str,
    /// Button: try sending again now.
    pub retry: &'static str,
    /// A screen or panel whose code could not be fetched (offline before it was ever shown).
    pub screen_unavailable: &'static str,
    /// The page does not exist.
    pub not_found_title: &'static str,
    /// Link home.
    pub go_home: &'static str,
}

/// The records list, the activity form, photos, drafts and backups.
pub struct RecordsText {
    /// Who logged a record someone else made: «Записал(а): Ольга Смирнова».
    pub logged_by: fn(&str) -> String,
    /// The list of records.
    pub records_title: &'static str,
    /// The button that opens the form for a kind.
    pub log_kind: fn(ActivityKind) -> &'static str,
    /// The list is empty.
    pub no_records: &'static str,
    /// Explains where records go.
    pub records_hint: &'static str,
    /// How many of the records the list shows: shown, all.
    pub records_shown: fn(usize, usize) -> String,
    /// Shows more of a long list.
    pub show_more: &'static str,
    /// Field label: words to find in the list.
    pub search: &'static str,
    /// Placeholder of the search field.
    pub search_hint: &'static str,
    /// Field label: the kind of activity.
    pub field_kind: &'static str,
    /// Field label: where a record stands with the server.
    pub field_state: &'static str,
    /// No record matches the search and filters.
    pub nothing_found: &'static str,
    /// Button: correct a refused record.
    pub fix: &'static str,
    /// Button: remove a refused record from the device.
    pub discard: &'static str,
    /// Asks before removing a refused record.
    pub discard_confirm: &'static str,
    /// Asked before deleting a record.
    pub delete_confirm: &'static str,
    /// Shown after a record was deleted.
    pub deleted_on_device: &'static str,
    /// A card's mark of a youth movement event.
    pub youth_mark: &'static str,
    /// Button: log a record of another kind.
    pub other_kind: &'static str,
    /// The kind chooser's title.
    pub choose_kind_title: &'static str,
    /// Marks an optional field.
    pub optional: &'static str,
    /// The browser's storage for the app is full.
    pub storage_full: &'static str,
    /// The backup section's title.
    pub backup_title: &'static str,
    /// What a backup is for.
    pub backup_hint: &'static str,
    /// Button: save a backup file.
    pub backup_save: &'static str,
    /// Button: restore from a backup file.
    pub backup_restore: &'static str,
    /// A backup was written with N records.
    pub backup_saved: fn(usize) -> String,
    /// Nothing unsynced to back up.
    pub backup_nothing: &'static str,
    /// A backup was restored: N added, M already on the device.
    pub backup_restored: fn(usize, usize) -> String,
    /// The chosen file is not a backup.
    pub backup_not_a_backup: &'static str,
    /// The backup comes from a newer app.
    pub backup_too_new: &'static str,
    /// The backup is damaged.
    pub backup_damaged: &'static str,
    /// The backup was made before accounts.
    pub backup_before_accounts: &'static str,
    /// Reading or writing the file failed.
    pub backup_failed: fn(&str) -> String,
    /// A linked site the device does not have.
    pub site_unknown: &'static str,
    /// Field label: the photos of a record.
    pub photos_label: &'static str,
    /// Button: take a photo with the camera.
    pub take_photo: &'static str,
    /// Button: choose photos from the gallery.
    pub choose_photos: &'static str,
    /// Field label: when the next photos are taken.
    pub photo_tag_label: &'static str,
    /// Button: take a photo off the record.
    pub remove_photo: &'static str,
    /// Shown while photos are made smaller.
    pub photos_preparing: &'static str,
    /// A file that is not a picture.
    pub photo_not_an_image: &'static str,
    /// A photo could not be processed, with the reason.
    pub photo_failed: fn(&str) -> String,
    /// A photo the server does not have yet (another device has not sent it).
    pub photo_not_yet: &'static str,
    /// A photo not on the device, with no network to fetch it.
    pub photo_offline: &'static str,
}

/// Beautification sites: their list, page and form, and the GPS field.
pub struct SitesText {
    /// A photo in a site's gallery, for screen readers: the site and the moment.
    pub photo_alt: fn(&str, &str) -> String,
    /// The sites list is empty.
    pub no_sites: &'static str,
    /// Explains what sites are for.
    pub sites_hint: &'static str,
    /// Title of the form changing a site.
    pub edit_site_title: &'static str,
    /// Field label: a site's name.
    pub field_site_name: &'static str,
    /// Placeholder of the name.
    pub field_site_name_hint: &'static str,
    /// Field label: a site's address.
    pub field_address: &'static str,
    /// Field label: the point a site is at.
    pub field_location: &'static str,
    /// Button: take the point from GPS.
    pub locate_me: &'static str,
    /// Shown while GPS looks for the point.
    pub locating: &'static str,
    /// A point in degrees, with the accuracy in metres if known.
    pub location_shown: fn(f64, f64, Option<u32>) -> String,
    /// No point yet.
    pub no_location: &'static str,
    /// Button: forget the point.
    pub clear_location: &'static str,
    /// GPS failed, with the reason.
    pub location_failed: fn(&str) -> String,
    /// GPS reasons.
    pub geolocation_denied: &'static str,
    /// GPS reasons.
    pub geolocation_unavailable: &'static str,
    /// GPS reasons.
    pub geolocation_timeout: &'static str,
    /// Check box: a point outside the city is right.
    pub confirm_outside_city: &'static str,
    /// Heading: the activities at a site.
    pub site_history: &'static str,
    /// Nothing logged at a site yet.
    pub site_no_history: &'static str,
    /// Button: log work at this site.
    pub log_here: &'static str,
    /// The heading of a gallery.
    pub gallery: &'static str,
    /// Link: a site on the map.
    pub map_show_on_map: &'static str,
}

/// The map, its filters and offline areas.
pub struct MapText {
    /// The map screen's title.
    pub map_title: &'static str,
    /// While the map's code loads.
    pub map_loading: &'static str,
    /// The map's code could not be loaded.
    pub map_unavailable: &'static str,
    /// No street map under the sites: offline and nothing kept here.
    pub map_no_tiles: &'static str,
    /// Part of the street map is missing.
    pub map_some_tiles: &'static str,
    /// Filter: kind of work done at sites.
    pub map_work_kind: &'static str,
    /// Filter: sites without work since a day.
    pub map_idle_since: &'static str,
    /// The heat layer's switch.
    pub map_heat: &'static str,
    /// Sites on the map, of how many.
    pub map_shown: fn(usize, usize) -> String,
    /// Sites left off the map for want of a place on it.
    pub map_unplaced: fn(usize) -> String,
    /// The legend's title.
    pub map_legend: &'static str,
    /// A site's latest work: the date (already formatted) and kind.
    pub map_last_work: fn(&str, &str) -> String,
    /// A site without work.
    pub map_never_worked: &'static str,
    /// How many activities a site had: in the filter's period, if one is chosen (`true`).
    pub map_works: fn(u32, bool) -> String,
    /// Link to a site's page.
    pub map_open_site: &'static str,
    /// The offline maps panel.
    pub map_offline_title: &'static str,
    /// What the offline maps panel is for.
    pub map_offline_hint: &'static str,
    /// Button: download an area, by name.
    pub map_download: fn(&str) -> String,
    /// What an area's download takes: tiles, and about how much (already formatted).
    pub map_download_size: fn(u32, &str) -> String,
    /// An area without located sites.
    pub map_area_empty: &'static str,
    /// Download progress: tiles done, of how many.
    pub map_downloading: fn(u32, u32) -> String,
    /// A download was cancelled.
    pub map_download_cancelled: &'static str,
    /// A download failed.
    pub map_download_failed: &'static str,
    /// A download kept: when (already formatted), tiles, weight (already formatted).
    pub map_downloaded: fn(&str, u32, &str) -> String,
    /// Button: remove kept map tiles.
    pub map_forget: &'static str,
    /// Kept map tiles could not be removed.
    pub map_forget_failed: &'static str,
    /// Kept map tiles were removed.
    pub map_forgotten: &'static str,
    /// The area of a city-wide role.
    pub map_whole_city: &'static str,
    /// An area the reference data does not name.
    pub map_unknown_area: &'static str,
    /// How to use the location picker.
    pub map_picker_hint: &'static str,
    /// A map's button: zoom in.
    pub map_zoom_in: &'static str,
    /// A map's button: zoom out.
    pub map_zoom_out: &'static str,
    /// The location picker's pin, for screen readers.
    pub map_pin: &'static str,
    /// A popup's close button.
    pub map_close: &'static str,
}

/// The rental desk: stock, items, lending, loans, stock-taking.
pub struct DeskText {
    /// Flag: an overdue loan.
    pub inv_overdue: &'static str,
    /// When a loan is due, given the date.
    pub inv_due: fn(&str) -> String,
    /// A borrower this person may not see.
    pub inv_hidden_borrower: &'static str,
    /// A borrower erased after return.
    pub inv_erased_borrower: &'static str,
    /// Heading of the lending form.
    pub inv_lend_title: &'static str,
    /// Label: the borrower's name.
    pub inv_borrower_name: &'static str,
    /// Label: the borrower's phone.
    pub inv_borrower_phone: &'static str,
    /// Label: when due back.
    pub inv_due_date: &'static str,
    /// Label: this place's usual loan length.
    pub inv_default_days: &'static str,
    /// Heading: what is lent.
    pub inv_what: &'static str,
    /// A lending without items.
    pub inv_nothing_chosen: &'static str,
    /// No durable item on the shelf.
    pub inv_nothing_to_lend: &'static str,
    /// A lending was saved.
    pub inv_lent_done: &'static str,
    /// Heading of a loan, given when it was made.
    pub inv_loan_title: fn(&str) -> String,
    /// Button: record a return.
    /// Returns everything still out on a loan, in one tap.
    pub inv_return_all: &'static str,
    /// A return with no quantity typed.
    pub inv_return_nothing: &'static str,
    pub inv_return: &'static str,
    /// A return was saved.
    pub inv_returned_done: &'static str,
    /// Everything came back.
    pub inv_settled: &'static str,
    /// Heading: other loans to the same person.
    pub inv_borrower_history: &'static str,
    /// How many are still out.
    pub inv_out: fn(i64) -> String,
    /// Heading of adding items.
    pub inv_add_title: &'static str,
    /// Heading: the common items.
    pub inv_common: &'static str,
    /// How the common items are added.
    pub inv_common_hint: &'static str,
    /// Heading: an item of one's own.
    pub inv_custom: &'static str,
    /// Label: an item's name.
    pub inv_name: &'static str,
    /// Label: an item's category.
    pub inv_category: &'static str,
    /// Label: an item's unit.
    pub inv_unit: &'static str,
    /// Label: whether it comes back.
    pub inv_kind: &'static str,
    /// Label: an inventory number.
    pub inv_number: &'static str,
    /// Label: how many there are now.
    pub inv_initial: &'static str,
    /// Items were added.
    pub inv_added: fn(usize) -> String,
    /// How a stock-take works.
    pub inv_count_hint: &'static str,
    /// Column: what the ledger shows.
    pub inv_shown: &'static str,
    /// Column: what was counted.
    pub inv_counted: &'static str,
    /// Button: print.
    pub inv_print: &'static str,
    /// Button: save a stock-take.
    pub inv_save_count: &'static str,
    /// A stock-take was saved.
    pub inv_counted_done: fn(usize) -> String,
    /// The stock-take sheet's date line.
    pub inv_sheet_date: fn(&str) -> String,
}

/// The report, its chart and the exports.
pub struct ReportText {
    /// The report screen's title.
    pub report_title: &'static str,
    /// The year field.
    pub report_year: &'static str,
    /// What a report covers: a year.
    pub report_year_of: fn(i32) -> String,
    /// While the report is counted.
    pub report_counting: &'static str,
    /// The report was counted on the device: when it last synced (already formatted).
    pub report_from_device: fn(&str) -> String,
    /// The report was counted on a device that never synced.
    pub report_from_device_never: &'static str,
    /// The breakdown by district.
    pub report_by_district: &'static str,
    /// The breakdown by committee and centre.
    pub report_by_owner: &'static str,
    /// The month-by-month trend.
    pub report_by_month: &'static str,
    /// Button: print.
    pub report_print: &'static str,
    /// A month's short name (1–12).
    pub month_short: fn(u32) -> &'static str,
    /// Heading: exports.
    pub export_title: &'static str,
    /// A file format's name.
    pub export_format: fn(Format) -> &'static str,
    /// Label: what to export.
    pub export_what: &'static str,
    /// Label: the format.
    pub export_format_label: &'static str,
    /// Button: download.
    pub export_download: &'static str,
    /// The server prepares the file.
    pub export_preparing: &'static str,
    /// Rows received of all.
    pub export_rows: fn(u64, u64) -> String,
    /// Bytes received of all (already formatted).
    pub export_bytes: fn(&str, &str) -> String,
    /// The file was saved, by name.
    pub export_done: fn(&str) -> String,
    /// Exports need the server.
    pub export_offline: &'static str,
    /// An export failed, and why.
    pub export_failed: fn(&str) -> String,
}

/// Signing in, joining, passwords, the account screen and its panels.
pub struct AccountText {
    /// The sign-in screen's title.
    pub sign_in_title: &'static str,
    /// Who may get an account, and how.
    pub sign_in_hint: &'static str,
    /// Field label.
    pub field_login: &'static str,
    /// Placeholder of the login field.
    pub field_login_hint: &'static str,
    /// Field label.
    pub field_password: &'static str,
    /// Button.
    pub sign_in: &'static str,
    /// Shown while signing in.
    pub signing_in: &'static str,
    /// Link to joining with an invite.
    pub have_invite: &'static str,
    /// Another person's N changes wait on this device.
    pub others_changes_waiting: fn(&str, usize) -> String,
    /// Button: discard another person's changes and sign in.
    pub discard_and_sign_in: &'static str,
    /// The join screen's title.
    pub join_title: &'static str,
    /// What joining does.
    pub join_hint: &'static str,
    /// The heading of the notice of what is kept about a person and why.
    pub consent_title: &'static str,
    /// The notice.
    pub consent_notice: &'static str,
    /// The box a person ticks to agree to it.
    pub consent_label: &'static str,
    /// The panel of a person's own data: title.
    pub my_data_title: &'static str,
    /// What the panel offers.
    pub my_data_hint: &'static str,
    /// Button: download everything the server holds about me.
    pub download_my_data: &'static str,
    /// Button: ask for my account's erasure.
    pub request_erasure: &'static str,
    /// The question before asking.
    pub erasure_confirm: &'static str,
    /// After asking.
    pub erasure_requested: &'static str,
    /// The admins' panel of erasure requests: title.
    pub erasure_requests_title: &'static str,
    /// No requests wait.
    pub no_erasure_requests: &'static str,
    /// Button: carry out a request.
    pub erase_account: &'static str,
    /// The question before erasing person «name» (login).
    pub erase_confirm: fn(&str, &str) -> String,
    /// A request, with the moment it was made.
    pub erasure_asked: fn(&str, &str, &str) -> String,
    /// Field label.
    pub field_invite_code: &'static str,
    /// Field label.
    pub field_name: &'static str,
    /// Field label.
    pub field_new_password: &'static str,
    /// The password rule.
    pub password_hint: &'static str,
    /// Button.
    pub join: &'static str,
    /// The account screen's title.
    pub account_title: &'static str,
    /// A role's name.
    pub role_name: fn(Role) -> &'static str,
    /// The city as a scope.
    pub whole_city: &'static str,
    /// How many committees the chosen district has, over their list.
    pub district_committees: fn(usize) -> String,
    /// How many centres it has.
    pub district_centres: fn(usize) -> String,
    /// A district with neither yet.
    pub district_empty: &'static str,
    /// A place the device's reference data does not know yet.
    pub unknown_place: &'static str,
    /// A role and the name of where it is held: «Активист — Забойщик».
    pub grant_words: fn(Role, &str) -> String,
    /// What the invite whose code was typed is for, and until when.
    pub invite_for: fn(&str, &str) -> String,
    /// The invite section's title.
    pub invite_title: &'static str,
    /// What an invite is.
    pub invite_hint: &'static str,
    /// Field label: the role and place offered.
    pub field_invite_grant: &'static str,
    /// Field label.
    pub field_invite_uses: &'static str,
    /// Field label.
    pub field_invite_days: &'static str,
    /// Button.
    pub make_invite: &'static str,
    /// An invite was made: its code.
    pub invite_code: fn(&str) -> String,
    /// An invite was made: its link.
    pub invite_link: &'static str,
    /// An invite was made: until when, for how many.
    pub invite_valid: fn(&str, u32) -> String,
    /// The invites made while the screen is open: their codes are shown only then.
    pub invites_made: &'static str,
    /// Button: copy an invite's link.
    pub invite_copy: &'static str,
    /// The link is on the clipboard.
    pub invite_copied: &'static str,
    /// Button: the system's share sheet.
    pub invite_share: &'static str,
    /// The text shared with an invite's link: what it is for.
    pub invite_share_text: fn(&str) -> String,
    /// Copying or sharing failed, with the browser's reason.
    pub invite_share_failed: fn(&str) -> String,
    /// Link on the sign-in screen to the password reset screen.
    pub forgot_password: &'static str,
    /// The password reset screen's title.
    pub reset_title: &'static str,
    /// What the reset screen is for and where the code comes from.
    pub reset_hint: &'static str,
    /// Field label.
    pub field_reset_code: &'static str,
    /// Button: set the new password with the code.
    pub reset_password: &'static str,
    /// Link from the reset screen back to signing in.
    pub back_to_sign_in: &'static str,
    /// The password change section's title.
    pub password_title: &'static str,
    /// What changing the password does to other devices.
    pub password_change_hint: &'static str,
    /// Field label.
    pub field_current_password: &'static str,
    /// Field label.
    pub field_changed_password: &'static str,
    /// Button.
    pub change_password: &'static str,
    /// The password was changed.
    pub password_changed: &'static str,
    /// The reset code section's title.
    pub reset_code_title: &'static str,
    /// Who may be given a reset code and how it is passed on.
    pub reset_code_hint: &'static str,
    /// Field label: the login of the person who forgot their password.
    pub field_reset_login: &'static str,
    /// Button.
    pub make_reset_code: &'static str,
    /// A reset code was made: the code, the login it is for, until when.
    pub reset_code_made: fn(&str, &str, &str) -> String,
    /// The sessions section's title.
    pub sessions_title: &'static str,
    /// Marks this device's session.
    pub this_device: &'static str,
    /// A session's device: its browser and system, where its User-Agent names them.
    pub device_name: fn(Device) -> String,
    /// When a session began.
    pub signed_in_at: fn(&str) -> String,
    /// Button.
    pub end_all_sessions: &'static str,
    /// Asked before ending every session.
    pub end_all_confirm: &'static str,
    /// Button.
    pub sign_out: &'static str,
    /// N changes would be lost by signing out.
    pub sign_out_unsent: fn(usize) -> String,
    /// Button: discard the unsent changes and sign out.
    pub sign_out_discard: &'static str,
    /// Button: do not sign out.
    pub stay: &'static str,
    /// The reference section's title.
    pub reference_title: &'static str,
    /// Button.
    pub add_district: &'static str,
    /// Button.
    pub add_committee: &'static str,
    /// Button.
    pub add_centre: &'static str,
    /// Field label.
    pub new_district_name: &'static str,
    /// Field label.
    pub new_committee_name: &'static str,
    /// Field label.
    pub new_centre_name: &'static str,
    /// A committee or centre needs its district chosen first.
    pub choose_district: &'static str,
    /// Something was added to the reference data.
    pub added: fn(&str) -> String,
    /// An action on the server failed.
    pub action_failed: fn(&str) -> String,
}

/// Keeping the device's work: installing the app, the browser's promise to keep data, unsent
/// work at risk, a device whose data the browser erased.
pub struct KeepingText {
    /// The install screen's title, and the account screen's link to it.
    pub install_title: &'static str,
    /// What installing gives.
    pub install_intro: &'static str,
    /// The app runs installed already.
    pub installed_already: &'static str,
    /// Button: the browser's own install prompt.
    pub install_button: &'static str,
    /// The person installed it from the prompt.
    pub install_accepted: &'static str,
    /// The person closed the prompt.
    pub install_dismissed: &'static str,
    /// Heading: the steps for this device.
    pub this_device: &'static str,
    /// Heading: the steps for the other kinds of device.
    pub other_devices: &'static str,
    /// A kind of device, as a heading over its steps.
    pub platform: fn(Platform) -> &'static str,
    /// The steps of installing on a kind of device.
    pub steps: fn(Platform) -> &'static [&'static str],
    /// Why WebKit needs the home screen.
    pub why_home_screen: &'static str,
    /// Notice in a WebKit tab.
    pub home_screen_notice: &'static str,
    /// Link to the install screen from the home-screen notice.
    pub how_to_add: &'static str,
    /// Link to the install screen from the one-time offer.
    pub how_to_install: &'static str,
    /// Unsent changes waiting since a day (the date given).
    pub unsent_waiting: fn(usize, &str) -> String,
    /// Unsent changes in storage the browser did not promise to keep.
    pub unsent_not_kept: fn(usize) -> String,
    /// Button: sync now, in a notice.
    pub send_now: &'static str,
    /// Button: save a backup file, in a notice.
    pub save_copy: &'static str,
    /// The browser's answer to keeping the app's data.
    pub persistence: fn(Persistence) -> &'static str,
    /// Title of the notice after the browser erased the device's data.
    pub erased_title: &'static str,
    /// What happened and what the server holds: changes taken and when last (none yet).
    pub erased_text: fn(u64, Option<&str>) -> String,
    /// The one-time offer after a first saved record: title.
    pub offer_title: &'static str,
    /// Its text.
    pub offer_text: &'static str,
    /// Button: not now.
    pub offer_later: &'static str,
}

/// The audit log: its screen and its export.
pub struct AuditText {
    /// The screen's title, and the link to it.
    pub title: &'static str,
    /// What the log holds and who sees it.
    pub intro: &'static str,
    /// Label of the filter by act.
    pub filter_kind: &'static str,
    /// The filter's choice of every act.
    pub every_kind: &'static str,
    /// The name of a kind of act.
    pub kind: fn(AuditKind) -> &'static str,
    /// What an act did, with the place a grant names (`None` for the whole city).
    pub details: fn(&AuditAct, Option<&str>) -> String,
    /// The one who acted when the server did it itself.
    pub by_server: &'static str,
    /// The one who acted when they were not signed in (a reset code, a braked guess).
    pub by_nobody: &'static str,
    /// The one who acted when their account has since been erased.
    pub by_erased: &'static str,
    /// An empty log (or none matching the filter).
    pub empty: &'static str,
    /// Button: the older entries.
    pub older: &'static str,
    /// Button: the log (as filtered) as CSV.
    pub download: &'static str,
    /// The columns of the export: when, who, from where, district, act, details.
    pub columns: [&'static str; 6],
}

impl Strings {
    /// A day as people write it: «7 декабря 2026».
    pub fn date(&self, date: Date) -> String {
        (self.common.date_long)(date.year(), date.month(), date.day())
    }

    /// A moment in Kemerovo as people write it: «7 декабря 2026, 00:50».
    pub fn date_time(&self, ms: u64) -> String {
        let (date, hour, minute) = local_moment(ms);
        format!("{}, {hour:02}:{minute:02}", self.date(date))
    }

    /// The message for a field error.
    pub fn field_error(&self, error: &FieldError) -> String {
        (self.common.error)(error.code, error.limit)
    }
}
