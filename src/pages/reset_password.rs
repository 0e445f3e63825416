//! `/reset`: a person who forgot their password sets a new one with the reset code a chair,
//! a centre's staff or an admin gave them, and is signed in.

use dvor_core::account::PasswordReset;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::Api;
use crate::components::form_field::{FormField, InputKind};
use crate::components::sign_in_feedback::SignInFeedback;
use crate::device_key::device_key;
use crate::i18n::t;
use crate::state::sign_in::SignInState;

/// The password reset screen.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let t = t();
    let api = expect_context::<Api>();
    let code = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let state = SignInState::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = PasswordReset {
            code: code.get_untracked(),
            login: login.get_untracked(),
            new_password: password.get_untracked(),
            device_key: device_key(),
        };
        let api = api.clone();
        state.run(async move {
            api.reset_password(&request)
                .await
                .map_err(|e| e.to_string())
        });
    };
    view! {
        <section class="page narrow">
            <h1>{t.account.reset_title}</h1>
            <p class="hint">{t.account.reset_hint}</p>
            <form class="form" on:submit=on_submit>
                <FormField id="reset-code" label=t.account.field_reset_code value=code />
                <FormField id="login" label=t.account.field_login value=login kind=InputKind::Login placeholder=t.account.field_login_hint />
                <FormField id="password" label=t.account.field_changed_password value=password kind=InputKind::NewPassword hint=t.account.password_hint />
                <SignInFeedback state />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || state.busy.get()>
                        {move || if state.busy.get() { t.account.signing_in } else { t.account.reset_password }}
                    </button>
                </div>
            </form>
            <p><a href="/signin">{t.account.back_to_sign_in}</a></p>
        </section>
    }
}
