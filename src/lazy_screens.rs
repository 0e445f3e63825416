//! The screens (and one panel) that are not part of the first download, by the chunk each
//! travels in: a volunteer's phone starts with the shell, signing in, the records and the
//! activity form; a centre's desk, sites, the map, the report, the account, corrections of
//! refused records arrive when first shown.

use leptos::prelude::*;

use crate::chunk::on_first_use;
use crate::pages::account::AccountPage;
use crate::pages::audit::AuditPage;
use crate::pages::inventory::{InventoryPage, LoansPage};
use crate::pages::inventory_item::InventoryItemPage;
use crate::pages::lend::LendPage;
use crate::pages::loan::LoanPage;
use crate::pages::log_activity::FixActivityPage;
use crate::pages::map::MapPage;
use crate::pages::quick_add::QuickAddPage;
use crate::pages::report::ReportPage;
use crate::pages::reset_password::ResetPasswordPage;
use crate::pages::site::SitePage;
use crate::pages::site_form::{EditSitePage, NewSitePage};
use crate::pages::sites::SitesPage;
use crate::pages::stock_take::StockTakePage;

on_first_use! {
    desk: fn inventory() = view! { <InventoryPage /> };
    desk: fn loans() = view! { <LoansPage /> };
    desk: fn inventory_item() = view! { <InventoryItemPage /> };
    desk: fn lend() = view! { <LendPage /> };
    desk: fn loan() = view! { <LoanPage /> };
    desk: fn quick_add() = view! { <QuickAddPage /> };
    desk: fn stock_take() = view! { <StockTakePage /> };
    sites: fn sites() = view! { <SitesPage /> };
    sites: fn site() = view! { <SitePage /> };
    sites: fn new_site() = view! { <NewSitePage /> };
    sites: fn edit_site() = view! { <EditSitePage /> };
    map: fn map() = view! { <MapPage /> };
    report: fn report() = view! { <ReportPage /> };
    account: fn account() = view! { <AccountPage /> };
    account: fn audit() = view! { <AuditPage /> };
    recovery: fn reset_password() = view! { <ResetPasswordPage /> };
    corrections: fn fix_activity() = view! { <FixActivityPage /> };
}
