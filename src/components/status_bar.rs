//! Online or not, what waits to be sent, when sync last worked and why it last failed.

use leptos::prelude::*;

use crate::account::Account;
use crate::clock::{describe_time, now_ms};
use crate::i18n::t;
use crate::records::Records;
use crate::sync::{SyncStatus, Syncer};

/// The status bar under the title.
#[component]
pub fn StatusBar() -> impl IntoView {
    let status = expect_context::<SyncStatus>();
    let records = expect_context::<Records>();
    let syncer = expect_context::<Syncer>();
    let account = expect_context::<Account>();
    let t = t();
    let unsynced = move || match records.unsynced.get() {
        0 => t.shell.all_synced.to_owned(),
        n => (t.shell.unsynced_count)(n),
    };
    let last = move || match status.last_synced_ms.get() {
        Some(ms) => (t.shell.last_synced_at)(&describe_time(ms)),
        None => t.shell.never_synced.to_owned(),
    };
    view! {
        <section class="status-bar" aria-label=t.shell.sync_status>
            <div class="status-line" role="status" aria-live="polite">
                <span class="connectivity" class:offline=move || !status.online.get()>
                    {move || if status.online.get() { t.shell.online } else { t.shell.offline }}
                </span>
                <span class="unsynced" data-testid="unsynced">{unsynced}</span>
                <span class="last-sync">{last}</span>
            </div>
            <button
                type="button"
                class="button small"
                disabled=move || status.syncing.get()
                on:click=move |_| syncer.request()
            >
                {move || if status.syncing.get() { t.shell.syncing } else { t.shell.sync_now }}
            </button>
            {move || {
                status.last_error.get().map(|error| {
                    let retry = status.next_retry_ms.get().map(|at| {
                        let seconds = ((at - now_ms()) / 1000.0).ceil().max(1.0) as u64;
                        view! { <span class="retry">{(t.shell.next_retry_in)(seconds)}</span> }
                    });
                    view! { <p class="sync-error" role="alert">{(t.shell.sync_failed)(&error)} " " {retry}</p> }
                })
            }}
            {move || {
                status.pull.get().filter(|p| p.received < p.total).map(|p| {
                    view! {
                        <div class="pull-progress">
                            <label for="pull-progress">{(t.shell.pull_progress)(p.received, p.total)}</label>
                            <progress id="pull-progress" max=p.total value=p.received></progress>
                        </div>
                    }
                })
            }}
            <Show when=move || account.must_sign_in_again()>
                <div class="warning session-ended" role="alert">
                    <p>{move || (t.shell.session_ended)(records.unsynced.get())}</p>
                    <a class="button primary small" href="/signin">{t.shell.sign_in_again}</a>
                </div>
            </Show>
            <Show when=move || !status.online.get()>
                <p class="offline-hint">{t.shell.offline_hint}</p>
            </Show>
        </section>
    }
}
