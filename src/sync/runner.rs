//! When sync runs: at start, when the browser comes online, every half minute while online,
//! after each save and on request. One pass at a time; a request during a pass runs one more
//! pass after it, so nothing saved meanwhile waits for the timer.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use super::{SyncStatus, sync_once};
use crate::api::Api;
use crate::clock::now_ms;
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
    running: Cell<bool>,
    again: Cell<bool>,
}

impl Syncer {
    /// Creates the syncer and hooks it to the browser's connectivity events and a timer.
    pub fn start(store: Store, api: Api, status: SyncStatus, records: Records) -> Self {
        let syncer = Self(SendWrapper::new(Rc::new(Inner {
            store,
            api,
            status,
            records,
            running: Cell::new(false),
            again: Cell::new(false),
        })));
        let on_online = syncer.clone();
        // The handles live as long as the page: the listeners are never removed.
        let _ = window_event_listener(leptos::ev::online, move |_| {
            status.online.set(true);
            on_online.request();
        });
        let _ = window_event_listener(leptos::ev::offline, move |_| status.online.set(false));
        let on_timer = syncer.clone();
        let _ = set_interval_with_handle(move || on_timer.request(), PERIOD);
        syncer.request();
        syncer
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
                inner.run_pass().await;
                if !inner.again.get() {
                    break;
                }
            }
            inner.running.set(false);
        });
    }
}

impl Inner {
    async fn run_pass(&self) {
        let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
        self.status.online.set(online);
        if !online {
            return;
        }
        self.status.syncing.set(true);
        let result = sync_once(&self.store, &self.api).await;
        self.status.syncing.set(false);
        match result {
            Ok(()) => {
                self.status.last_synced_ms.set(Some(now_ms()));
                self.status.last_error.set(None);
            }
            Err(error) => self.status.last_error.set(Some(error.to_string())),
        }
        self.records.reload(&self.store).await;
    }
}
