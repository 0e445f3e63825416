//! `/signin`: a person signs in with their phone or e-mail and password. A device that holds
//! someone else's unsent changes says so and signs the new person in only on an explicit
//! choice, which discards them.

use dvor_core::account::LoginRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::account::Account;
use crate::api::Api;
use crate::components::erased_notice::ErasedNotice;
use crate::components::form_field::{FormField, InputKind};
use crate::components::sign_in_feedback::SignInFeedback;
use crate::device_key::device_key;
use crate::i18n::t;
use crate::state::sign_in::SignInState;

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
            <h1>{t.account.sign_in_title}</h1>
            <ErasedNotice />
            <form class="form" on:submit=on_submit>
                <FormField id="login" label=t.account.field_login value=login kind=InputKind::Login placeholder=t.account.field_login_hint />
                <FormField id="password" label=t.account.field_password value=password kind=InputKind::Password />
                <SignInFeedback state />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || state.busy.get()>
                        {move || if state.busy.get() { t.account.signing_in } else { t.account.sign_in }}
                    </button>
                </div>
            </form>
            <p class="hint">{t.account.sign_in_hint}</p>
            <p><a href="/join">{t.account.have_invite}</a></p>
            <p><a href="/reset">{t.account.forgot_password}</a></p>
        </section>
    }
}
