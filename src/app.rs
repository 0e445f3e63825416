//! The application shell: opens the store, wires sync and the service worker, and routes.

use dvor_core::nav::Destination;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;

use crate::account::Account;
use crate::chunk::OnFirstUse;
use crate::components::status_bar::{SyncAlerts, SyncLine};
use crate::components::tab_bar::TabBar;
use crate::components::update_banner::UpdateBanner;
use crate::i18n::t;
use crate::lazy_screens as lazy;
use crate::pages::choose_kind::ChooseKindPage;
use crate::pages::install::InstallPage;
use crate::pages::join::JoinPage;
use crate::pages::log_activity::{EditActivityPage, LogActivityPage};
use crate::pages::not_found::NotFound;
use crate::pages::records::RecordsPage;
use crate::pages::sign_in::SignInPage;
use crate::pages::storage_unavailable::StorageUnavailable;
use crate::state::Shared;
use crate::store::{DATABASE_NAME, Store};

/// Opens the store and mounts the app, or a screen that says why it cannot work.
pub fn start() {
    // Leptos sets its executor up when mounting; the store opens before that.
    wasm_bindgen_futures::spawn_local(async {
        let opened =
            Store::open_or_wait(DATABASE_NAME, || show_on_boot(t().shell.close_other_tabs))
                .await
                .map_err(|e| e.to_string());
        if let Some(boot) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("boot"))
        {
            boot.remove();
        }
        match opened {
            Ok(store) => {
                leptos::mount::mount_to_body(move || view! { <App store=store.clone() /> })
            }
            Err(reason) => leptos::mount::mount_to_body(
                move || view! { <StorageUnavailable reason=reason.clone() /> },
            ),
        }
    });
}

/// Shows `message` on the boot screen, which stays while the store opens.
fn show_on_boot(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(boot), Ok(text)) = (
        document.get_element_by_id("boot"),
        document.create_element("p"),
    ) else {
        return;
    };
    text.set_text_content(Some(message));
    let _ = text.set_attribute("role", "alert");
    let _ = boot.remove_attribute("aria-hidden");
    let _ = boot.append_child(&text);
}

/// The app over an open store.
#[component]
pub fn App(store: Store) -> impl IntoView {
    let Shared {
        account,
        records,
        status,
        syncer,
    } = crate::state::provide_contexts(&store);
    // The first screen first: the first sync pass starts once the list is read.
    spawn_local(async move {
        account.load(&store).await;
        records.reload(&store).await;
        if let Ok(meta) = store.sync_meta().await {
            status.last_synced_ms.set(meta.last_synced_ms);
        }
        syncer.request();
    });
    let signed_in = move || account.session.with(Option::is_some);

    view! {
        <Router>
            <OpenAtHome />
            <UpdateBanner />
            <header class="topbar">
                <a class="brand" href="/">
                    <img src="/icons/icon-192.png" alt="" width="28" height="28" />
                    <span class="brand-name">{t().shell.app_name}</span>
                </a>
                // Sync and the sections belong to a person: before anyone signs in there is
                // nothing to show.
                <Show when=signed_in>
                    <SyncLine />
                    <TabBar />
                </Show>
            </header>
            <Show when=signed_in>
                <SyncAlerts />
            </Show>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/signin") view=SignInPage />
                    <Route path=path!("/join") view=JoinPage />
                    <Route path=path!("/reset") view=|| view! { <OnFirstUse load=lazy::reset_password /> } />
                    <Route path=path!("/") view=|| view! { <SignedIn><RecordsPage /></SignedIn> } />
                    <Route path=path!("/new") view=|| view! { <SignedIn><ChooseKindPage /></SignedIn> } />
                    <Route path=path!("/new/:kind") view=|| view! { <SignedIn><LogActivityPage /></SignedIn> } />
                    <Route path=path!("/edit/:id") view=|| view! { <SignedIn><EditActivityPage /></SignedIn> } />
                    <Route path=path!("/fix/:id") view=|| view! { <SignedIn><OnFirstUse load=lazy::fix_activity /></SignedIn> } />
                    <Route path=path!("/sites") view=|| view! { <SignedIn><OnFirstUse load=lazy::sites /></SignedIn> } />
                    <Route path=path!("/sites/new") view=|| view! { <SignedIn><OnFirstUse load=lazy::new_site /></SignedIn> } />
                    <Route path=path!("/sites/:id") view=|| view! { <SignedIn><OnFirstUse load=lazy::site /></SignedIn> } />
                    <Route path=path!("/sites/:id/edit") view=|| view! { <SignedIn><OnFirstUse load=lazy::edit_site /></SignedIn> } />
                    <Route path=path!("/map") view=|| view! { <SignedIn><OnFirstUse load=lazy::map /></SignedIn> } />
                    <Route path=path!("/report") view=|| view! { <SignedIn><OnFirstUse load=lazy::report /></SignedIn> } />
                    <Route path=path!("/inventory") view=|| view! { <SignedIn><OnFirstUse load=lazy::inventory /></SignedIn> } />
                    <Route path=path!("/inventory/items/:id") view=|| view! { <SignedIn><OnFirstUse load=lazy::inventory_item /></SignedIn> } />
                    <Route path=path!("/inventory/lend") view=|| view! { <SignedIn><OnFirstUse load=lazy::lend /></SignedIn> } />
                    <Route path=path!("/inventory/loans") view=|| view! { <SignedIn><OnFirstUse load=lazy::loans /></SignedIn> } />
                    <Route path=path!("/inventory/loans/:id") view=|| view! { <SignedIn><OnFirstUse load=lazy::loan /></SignedIn> } />
                    <Route path=path!("/inventory/add") view=|| view! { <SignedIn><OnFirstUse load=lazy::quick_add /></SignedIn> } />
                    <Route path=path!("/inventory/count") view=|| view! { <SignedIn><OnFirstUse load=lazy::stock_take /></SignedIn> } />
                    <Route path=path!("/account") view=|| view! { <SignedIn><OnFirstUse load=lazy::account /></SignedIn> } />
                    <Route path=path!("/audit") view=|| view! { <SignedIn><OnFirstUse load=lazy::audit /></SignedIn> } />
                    <Route path=path!("/install") view=InstallPage />
                </Routes>
            </main>
        </Router>
    }
}

/// Opens the app on the person's first tab when that is not the records: a desk on its stock.
/// Only on opening, at `/` (the installed app's start): the «Записи» tab still shows the records.
#[component]
fn OpenAtHome() -> impl IntoView {
    let account = expect_context::<Account>();
    let navigate = use_navigate();
    let path = use_location().pathname;
    let decided = StoredValue::new(false);
    Effect::new(move || {
        if decided.get_value() || !account.loaded.get() {
            return;
        }
        decided.set_value(true);
        let home = account.tabs().bar.first().copied();
        if let Some(home) = home.filter(|h| *h != Destination::Records)
            && path.get_untracked() == "/"
        {
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(home.path(), replace);
        }
    });
}

/// Shows `children` to a device where someone has signed in — also one whose session has
/// ended, which keeps working offline and asks to sign in again to send — and the sign-in
/// screen to any other.
#[component]
fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let account = expect_context::<Account>();
    // A memo, so a session read again (new roles, say) does not draw the screen anew and throw
    // away what is typed in it.
    let state = Memo::new(move |_| (account.loaded.get(), account.session.with(Option::is_some)));
    move || match state.get() {
        (false, _) => ().into_any(),
        (true, true) => children().into_any(),
        (true, false) => view! { <Redirect path="/signin" /> }.into_any(),
    }
}
