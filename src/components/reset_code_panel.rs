//! Making a password reset code for someone who forgot their password: shown to those who may
//! invite people, since a code may be made for the people they could have invited (the server
//! checks it).

use dvor_core::account::{ResetCode, ResetCodeRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::Account;
use crate::api::Api;
use crate::clock::describe_time;
use crate::components::form_field::{FormField, InputKind};
use crate::components::invite_panel::offers;
use crate::i18n::t;

/// The reset code form and the code last made.
#[component]
pub fn ResetCodePanel() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let may_invite = Memo::new(move |_| !offers(account).is_empty());
    let login = RwSignal::new(String::new());
    let made = RwSignal::new(None::<(String, ResetCode)>);
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(token) = account.token() else {
            return;
        };
        let request = ResetCodeRequest {
            login: login.get_untracked(),
        };
        let api = api.clone();
        error.set(None);
        made.set(None);
        spawn_local(async move {
            match api.reset_code(&token, &request).await {
                Ok(code) => made.set(Some((request.login, code))),
                Err(failure) => error.set(Some((t.account.action_failed)(&failure.to_string()))),
            }
        });
    };
    view! {
        <Show when=move || may_invite.get()>
            <section class="panel">
                <h2>{t.account.reset_code_title}</h2>
                <p class="hint">{t.account.reset_code_hint}</p>
                <form class="form" on:submit=on_submit.clone()>
                    <FormField id="reset-login" label=t.account.field_reset_login value=login kind=InputKind::Login placeholder=t.account.field_login_hint />
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                    <div class="form-actions">
                        <button type="submit" class="button">{t.account.make_reset_code}</button>
                    </div>
                </form>
                {move || made.get().map(|(who, code)| view! {
                    <p class="invite-code" role="status">
                        <strong>{(t.account.reset_code_made)(&code.code, &who, &describe_time(code.expires_at_ms as f64))}</strong>
                    </p>
                })}
            </section>
        </Show>
    }
}
