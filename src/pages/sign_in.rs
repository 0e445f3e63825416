//! `/signin`: a person signs in with their phone or e-mail and password. A device that holds
//! someone else's unsent changes says so and signs the new person in only on an explicit
//! choice, which discards them.

use dvor_core::account::{LoginRequest, SignedIn};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::account::Account;
use crate::api::Api;
use crate::app::StoreHandle;
use crate::components::form_field::{FormField, InputKind};
use crate::device_key::device_key;
use crate::i18n::t;
use crate::records::Records;
use crate::store::{SignIn, StoreError};
use crate::sync::Syncer;
use crate::sync::lock::between_passes;

/// The sign-in screen.
#[component]
pub fn SignInPage() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    // Someone whose session ended signs in again under the same login.
    let login = RwSignal::new(
        account
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.me.login.clone()).unwrap_or_default()),
    );
    let password = RwSignal::new(String::new());
    let state = SignInState::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = LoginRequest {
            login: login.get_untracked(),
            password: password.get_untracked(),
            device_key: device_key(),
        };
        let api = api.clone();
        state.run(async move { api.sign_in(&request).await.map_err(|e| e.to_string()) });
    };
    view! {
        <section class="page narrow">
            <h1>{t.sign_in_title}</h1>
            <form class="form" on:submit=on_submit>
                <FormField id="login" label=t.field_login value=login kind=InputKind::Login placeholder=t.field_login_hint />
                <FormField id="password" label=t.field_password value=password kind=InputKind::Password />
                <SignInFeedback state />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || state.busy.get()>
                        {move || if state.busy.get() { t.signing_in } else { t.sign_in }}
                    </button>
                </div>
            </form>
            <p class="hint">{t.sign_in_hint}</p>
            <p><a href="/join">{t.have_invite}</a></p>
            <p><a href="/reset">{t.forgot_password}</a></p>
        </section>
    }
}

/// Where a sign-in (or a join) stands, shared by the screens that sign a person in.
#[derive(Clone, Copy)]
pub struct SignInState {
    /// A request or the store is at work.
    pub busy: RwSignal<bool>,
    /// Why it failed, for the person.
    pub error: RwSignal<Option<String>>,
    /// Signed in on the server, but another person's changes wait on the device: the message,
    /// and the session to keep if the person chooses to discard them.
    waiting: RwSignal<Option<(String, SignedIn)>>,
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
    fn discard_and_keep(self) {
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
                    state
                        .waiting
                        .set(Some(((t().others_changes_waiting)(&name, count), signed)));
                }
                Err(error) => state
                    .error
                    .set(Some((t().action_failed)(&error.to_string()))),
            }
            state.busy.set(false);
        })
    }
}

/// The error of a sign-in, or the question about another person's changes.
#[component]
pub fn SignInFeedback(state: SignInState) -> impl IntoView {
    let t = t();
    view! {
        {move || state.error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || {
            state.waiting.get().map(|(message, _)| {
                view! {
                    <div class="warning" role="alert">
                        <p>{message}</p>
                        <button type="button" class="button danger" on:click=move |_| state.discard_and_keep()>
                            {t.discard_and_sign_in}
                        </button>
                    </div>
                }
            })
        }}
    }
}
