//! Saving unsynced records to a file and restoring them, with whether the browser promised to
//! keep the app's data.

use dvor_core::backup::{BackupError, read_backup};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use crate::backup::save_backup;
use crate::components::flash::Outcome;
use crate::durability::Persistence;
use crate::files::read_text;
use crate::i18n::t;
use crate::records::Records;
use crate::store::StoreHandle;
use crate::sync::Syncer;

/// The backup section of the account screen.
#[component]
pub fn BackupPanel() -> impl IntoView {
    let t = t();
    let store = expect_context::<StoreHandle>();
    let records = expect_context::<Records>();
    let syncer = expect_context::<Syncer>();
    let persistence = expect_context::<Persistence>();
    let outcome = RwSignal::new(None::<Result<String, String>>);

    let save = {
        let store = store.clone();
        move |_| {
            let store = store.clone();
            spawn_local(async move { outcome.set(Some(save_backup(&store).await)) });
        }
    };

    let restore = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Clearing lets the same file be chosen again.
        input.set_value("");
        let store = store.clone();
        let syncer = syncer.clone();
        spawn_local(async move {
            let result = match read_text(&file).await {
                Err(error) => Err((t.records.backup_failed)(&error)),
                Ok(text) => match read_backup(&text) {
                    Err(BackupError::NotABackup) => Err(t.records.backup_not_a_backup.to_owned()),
                    Err(BackupError::TooNew(_)) => Err(t.records.backup_too_new.to_owned()),
                    Err(BackupError::BeforeAccounts) => {
                        Err(t.records.backup_before_accounts.to_owned())
                    }
                    Err(BackupError::Damaged(_)) => Err(t.records.backup_damaged.to_owned()),
                    Ok(backup) => match store.restore(&backup.mutations).await {
                        Ok(restored) => {
                            records.reload(&store).await;
                            syncer.request();
                            Ok((t.records.backup_restored)(
                                restored.added,
                                restored.already_present,
                            ))
                        }
                        Err(error) => Err((t.records.backup_failed)(&error.to_string())),
                    },
                },
            };
            outcome.set(Some(result));
        });
    };

    view! {
        <section class="panel backup" aria-labelledby="backup-title">
            <h2 id="backup-title">{t.records.backup_title}</h2>
            <p class="hint">{t.records.backup_hint}</p>
            <p class="hint" data-testid="persistence">{move || (t.keeping.persistence)(persistence.0.get())}</p>
            <div class="actions">
                <button type="button" class="button" on:click=save>{t.records.backup_save}</button>
                <label class="button file-button">
                    {t.records.backup_restore}
                    <input type="file" accept=".json,application/json" class="visually-hidden" on:change=restore />
                </label>
            </div>
            <Outcome outcome />
        </section>
    }
}
