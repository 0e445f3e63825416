//! When sync runs: at start, when the browser comes online, every half minute while online,
//! after each save and on request. One pass at a time, also across tabs (a Web Lock); a
//! request during a pass runs one more pass after it, so nothing saved meanwhile waits for the
//! timer. After failures the timer backs off exponentially with jitter; a person's request, a
//! save or the network coming back tries at once.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use dvor_core::backoff::{SYNC_BACKOFF, is_due};

use super::SyncError;
use super::lock::{SYNC_LOCK, exclusively};
use super::{SyncStatus, sync_once};
use crate::account::{Account, refresh, refresh_authors};
use crate::api::{Api, ApiFailure};
use crate::clock::now_ms;
use crate::photos::{Uploads, upload_unsent};
use crate::records::Records;
use crate::store::Store;

/// How often sync runs while online with nothing else triggering it.
const PERIOD: Duration = Duration::from_secs(30);

/// Starts sync passes; shared through context.
#[derive(Clone, Debug)]
pub struct Syncer(SendWrapper<Rc<Inner>>);

#[derive(Debug)]
struct Inner {
    store: Store,
    api: Api,
    status: SyncStatus,
    records: Records,
    account: Account,
    uploads: Uploads,
    /// Whether the reference data and the person's roles were fetched since the page opened.
    refreshed: Cell<bool>,
    running: Cell<bool>,
    again: Cell<bool>,
    /// Failed passes in a row.
    failures: Cell<u32>,
}

impl Syncer {
    /// Creates the syncer and hooks it to the browser's connectivity events and a timer; the
    /// first pass is the caller's to request.
    pub fn start(
        store: Store,
        api: Api,
        status: SyncStatus,
        records: Records,
        account: Account,
        uploads: Uploads,
    ) -> Self {
        let syncer = Self(SendWrapper::new(Rc::new(Inner {
            store,
            api,
            status,
            records,
            account,
            uploads,
            refreshed: Cell::new(false),
            running: Cell::new(false),
            again: Cell::new(false),
            failures: Cell::new(0),
        })));
        let on_online = syncer.clone();
        // The handles live as long as the page: the listeners are never removed.
        let _ = window_event_listener(leptos::ev::online, move |_| {
            status.online.set(true);
            on_online.request();
        });
        let _ = window_event_listener(leptos::ev::offline, move |_| status.online.set(false));
        let on_timer = syncer.clone();
        let _ = set_interval_with_handle(move || on_timer.request_when_due(), PERIOD);
        syncer
    }

    /// Runs a pass unless the device is backing off after failures.
    fn request_when_due(&self) {
        if is_due(now_ms(), self.0.status.next_retry_ms.get_untracked()) {
            self.request();
        }
    }

    /// Fetches the reference data and the person's roles again with the next pass (after a
    /// sign-in, say).
    pub fn refresh_account(&self) {
        self.0.refreshed.set(false);
        self.request();
    }

    /// Runs a pass now, or right after the one running.
    pub fn request(&self) {
        let inner = Rc::clone(&self.0);
        if inner.running.replace(true) {
            inner.again.set(true);
            return;
        }
        spawn_local(async move {
            loop {
                inner.again.set(false);
                let pass = Rc::clone(&inner);
                exclusively(SYNC_LOCK, async move { pass.run_pass().await }).await;
                if !inner.again.get() {
                    break;
                }
            }
            inner.running.set(false);
        });
    }
}

impl Inner {
    async fn run_pass(self: Rc<Self>) {
        let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
        self.status.online.set(online);
        if !online {
            return;
        }
        if !self.refreshed.replace(true) {
            refresh(&self.store, &self.api, self.account).await;
        }
        // Without a session the server takes, nothing is sent: the changes wait on the device
        // for the person to sign in (again). Read from the store, inside the lock: a sign-out
        // that just ran in this or another tab has emptied it.
        let token = match self.store.session().await {
            Ok(Some(session)) if session.usable(now_ms()) => session.token,
            _ => return,
        };
        self.status.syncing.set(true);
        let pull = self.status.pull;
        let synced = sync_once(&self.store, &self.api, &token, |progress| {
            pull.set(Some(progress))
        })
        .await;
        pull.set(None);
        // Photos go after the records: a record is worth more than its pictures, and on a slow
        // line the records should not wait behind megabytes.
        let result = match synced {
            Ok(changed) => upload_unsent(&self.store, &self.api, &token, self.uploads)
                .await
                .map(|sent| (changed, sent > 0)),
            Err(error) => Err(error),
        };
        self.status.syncing.set(false);
        match &result {
            Err(SyncError::Api(failure)) if failure.is_session_over() => {
                self.status.last_error.set(None);
                self.status.next_retry_ms.set(None);
                if let Err(error) = self.store.end_session().await {
                    self.status.last_error.set(Some(error.to_string()));
                }
                self.account.load(&self.store).await;
            }
            Ok(_) => {
                self.status.online.set(true);
                self.failures.set(0);
                self.status.next_retry_ms.set(None);
                self.status.last_synced_ms.set(Some(now_ms()));
                self.status.last_error.set(None);
            }
            Err(error) => {
                // The browser may believe it is online behind a dead link (or after a reload
                // under some network emulations): no answer at all is shown as no network.
                if matches!(error, SyncError::Api(ApiFailure::Unreachable)) {
                    self.status.online.set(false);
                }
                let failures = self.failures.get().saturating_add(1);
                self.failures.set(failures);
                let delay = SYNC_BACKOFF.delay_ms(failures, js_sys::Math::random());
                self.status.next_retry_ms.set(Some(now_ms() + delay as f64));
                self.status.last_error.set(Some(error.to_string()));
                let retry = Syncer(SendWrapper::new(Rc::clone(&self)));
                set_timeout(
                    move || retry.request_when_due(),
                    Duration::from_millis(delay),
                );
            }
        }
        let changed = matches!(result, Ok((true, _)));
        // A pass that changed no record leaves the lists as they are: with thousands of records
        // a reload every half minute would hold saves up for nothing.
        match result {
            Ok((false, false)) => {}
            Ok((false, true)) => {
                if let Err(error) = self.records.refresh_counts(&self.store).await {
                    self.records.error.set(Some(error.to_string()));
                }
            }
            _ => self.records.reload(&self.store).await,
        }
        // The names are asked for again only when a pass brought a record by someone the
        // device cannot name yet, not after every save.
        if changed && self.account.names_missing_in(&self.records) {
            refresh_authors(&self.store, &self.api, self.account, &token).await;
        }
    }
}
