//! Where sync stands, in as little room as a phone can spare: one line in the top bar — online
//! or not, what waits to be sent — that opens on a tap to when sync last worked, and a button
//! that syncs now. What needs the person (a failed sync, an ended session, a long first pull)
//! shows under the bar until it is over.

use leptos::prelude::*;

use crate::account::Account;
use crate::clock::{describe_time, now_ms};
use crate::i18n::t;
use crate::records::Records;
use crate::sync::{SyncStatus, Syncer};

/// The sync line of the top bar.
#[component]
pub fn SyncLine() -> impl IntoView {
    let status = expect_context::<SyncStatus>();
    let records = expect_context::<Records>();
    let syncer = expect_context::<Syncer>();
    let t = t();
    let unsynced = move || match records.unsynced.get() {
        0 => t.shell.all_synced.to_owned(),
        n => (t.shell.unsynced_count)(n),
    };
    let last = move || match status.last_synced_ms.get() {
        Some(ms) => (t.shell.last_synced_at)(&describe_time(ms)),
        None => t.shell.never_synced.to_owned(),
    };
    let label = move || {
        if status.syncing.get() {
            t.shell.syncing
        } else {
            t.shell.sync_now
        }
    };
    view! {
        <div class="sync-line" role="group" aria-label=t.shell.sync_status>
            <details class="sync">
                <summary>
                    <span role="status" aria-live="polite" class="sync-summary">
                        <span class="connectivity" class:offline=move || !status.online.get()>
                            {move || if status.online.get() { t.shell.online } else { t.shell.offline }}
                        </span>
                        <span class="unsynced" data-testid="unsynced">{unsynced}</span>
                    </span>
                </summary>
                <div class="sync-panel">
                    <p class="last-sync">{last}</p>
                    <Show when=move || !status.online.get()>
                        <p class="offline-hint">{t.shell.offline_hint}</p>
                    </Show>
                </div>
            </details>
            <button
                type="button"
                class="sync-now"
                class:spinning=move || status.syncing.get()
                aria-label=label
                title=label
                disabled=move || status.syncing.get()
                on:click=move |_| syncer.request()
            >
                <svg viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M20 11a8 8 0 0 0-14.3-4.9M4 4v4h4M4 13a8 8 0 0 0 14.3 4.9M20 20v-4h-4" />
                </svg>
            </button>
        </div>
    }
}

/// What about sync needs the person, under the top bar while it lasts.
#[component]
pub fn SyncAlerts() -> impl IntoView {
    let status = expect_context::<SyncStatus>();
    let records = expect_context::<Records>();
    let account = expect_context::<Account>();
    let t = t();
    view! {
        <div class="sync-alerts">
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
        </div>
    }
}
