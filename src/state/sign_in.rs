//! Where a sign-in (or a join, or a reset) stands, shared by the screens that sign a person
//! in, and keeping the session it brings on the device.

use std::future::Future;

use dvor_core::account::SignedIn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::account::Account;
use crate::i18n::t;
use crate::records::Records;
use crate::store::StoreHandle;
use crate::store::{SignIn, StoreError};
use crate::sync::Syncer;
use crate::sync::lock::between_passes;

/// Where a sign-in (or a join) stands, shared by the screens that sign a person in.
#[derive(Clone, Copy)]
pub struct SignInState {
    /// A request or the store is at work.
    pub busy: RwSignal<bool>,
    /// Why it failed, for the person.
    pub error: RwSignal<Option<String>>,
    /// Signed in on the server, but another person's changes wait on the device: the message,
    /// and the session to keep if the person chooses to discard them.
    pub waiting: RwSignal<Option<(String, SignedIn)>>,
}

impl SignInState {
    /// Nothing tried yet.
    pub fn new() -> Self {
        Self {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            waiting: RwSignal::new(None),
        }
    }

    /// Runs `request` (a sign-in or a join) and keeps its session on the device, then opens
    /// the records. Contexts are read now, in the caller's reactive owner.
    pub fn run(self, request: impl Future<Output = Result<SignedIn, String>> + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        let keep = keeper(self);
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            match request.await {
                Ok(signed) => keep(signed, false).await,
                Err(message) => {
                    self.error.set(Some(message));
                    self.busy.set(false);
                }
            }
        });
    }

    /// Keeps the waiting session, discarding the other person's changes: the person chose so.
    pub fn discard_and_keep(self) {
        let Some((_, signed)) = self.waiting.get_untracked() else {
            return;
        };
        let keep = keeper(self);
        self.busy.set(true);
        spawn_local(async move { keep(signed, true).await });
    }
}

impl Default for SignInState {
    fn default() -> Self {
        Self::new()
    }
}

/// What keeps a session on the device and opens the records, with the contexts it needs.
fn keeper(
    state: SignInState,
) -> impl Fn(SignedIn, bool) -> std::pin::Pin<Box<dyn Future<Output = ()>>> {
    let store = expect_context::<StoreHandle>();
    let account = expect_context::<Account>();
    let records = expect_context::<Records>();
    let syncer = expect_context::<Syncer>();
    let navigate = use_navigate();
    move |signed: SignedIn, discard: bool| {
        let (store, syncer, navigate) = (store.clone(), syncer.clone(), navigate.clone());
        Box::pin(async move {
            let kept = {
                let (store, signed) = (store.clone(), signed.clone());
                between_passes(async move { store.sign_in(signed, discard).await }).await
            };
            match kept.unwrap_or_else(|| Err(StoreError::Busy)) {
                Ok(SignIn::Done) => {
                    state.waiting.set(None);
                    account.load(&store).await;
                    records.reload(&store).await;
                    syncer.refresh_account();
                    navigate("/", Default::default());
                }
                Ok(SignIn::OthersChangesWaiting { name, count }) => {
                    state.waiting.set(Some((
                        (t().account.others_changes_waiting)(&name, count),
                        signed,
                    )));
                }
                Err(error) => state
                    .error
                    .set(Some((t().account.action_failed)(&error.to_string()))),
            }
            state.busy.set(false);
        })
    }
}
