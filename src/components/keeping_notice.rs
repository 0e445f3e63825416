//! What a person should know about keeping their work on this device
//! (`dvor_core::keeping::risks`): in a WebKit tab, to add the app to the home screen; unsent
//! changes that have waited a day, or that the browser has not promised to keep, with a sync
//! and a backup file one tap away.

use dvor_core::date::local_date;
use dvor_core::keeping::{Keeping, UnsentRisk, risks};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backup::save_backup;
use crate::clock::now_ms;
use crate::components::flash::Outcome;
use crate::durability::Persistence;
use crate::i18n::t;
use crate::install::Install;
use crate::records::Records;
use crate::store::StoreHandle;
use crate::sync::{SyncStatus, Syncer};

#[component]
pub fn KeepingNotice() -> impl IntoView {
    let t = t();
    let install = expect_context::<Install>();
    let persistence = expect_context::<Persistence>();
    let records = expect_context::<Records>();
    let status = expect_context::<SyncStatus>();
    let syncer = expect_context::<Syncer>();
    let store = expect_context::<StoreHandle>();
    let outcome = RwSignal::new(None::<Result<String, String>>);

    let found = Memo::new(move |_| {
        risks(&Keeping {
            webkit: install.webkit,
            installed: install.installed.get(),
            persistence: persistence.0.get(),
            unsent: records.unsynced.get(),
            oldest_unsent_ms: records.oldest_unsynced_ms.get(),
            now_ms: now_ms() as u64,
        })
    });

    let home_screen = move || {
        found.get().add_to_home_screen.then(|| {
            view! {
                <div class="warning keeping" role="note">
                    <p>{t.keeping.home_screen_notice}</p>
                    <a class="button small" href="/install">{t.keeping.how_to_add}</a>
                </div>
            }
        })
    };
    let unsent = move || {
        let risk = found.get().unsent?;
        let count = records.unsynced.get();
        let text = match risk {
            UnsentRisk::Waiting => {
                let since = records
                    .oldest_unsynced_ms
                    .get()
                    .map(|ms| t.date(local_date(ms)))
                    .unwrap_or_default();
                (t.keeping.unsent_waiting)(count, &since)
            }
            UnsentRisk::NotKept => (t.keeping.unsent_not_kept)(count),
        };
        let syncer = syncer.clone();
        let store = store.clone();
        Some(view! {
            <div class="warning keeping" role="note" data-testid="unsent-at-risk">
                <p>{text}</p>
                <div class="actions">
                    <button type="button" class="button small" disabled=move || !status.online.get()
                        on:click=move |_| syncer.request()>{t.keeping.send_now}</button>
                    <button type="button" class="button small" on:click=move |_| {
                        let store = store.clone();
                        spawn_local(async move { outcome.set(Some(save_backup(&store).await)) });
                    }>{t.keeping.save_copy}</button>
                </div>
                <Outcome outcome />
            </div>
        })
    };
    view! {
        {home_screen}
        {unsent}
    }
}
