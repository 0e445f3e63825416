//! `/join#CODE`: a newcomer joins with an invite — name, login, password, and their agreement
//! to the notice of what is kept about them — and is signed in.
//! The code comes in the link's fragment, which the browser never sends to a server; once it
//! is there, the screen says which role and place it is for.

use dvor_core::account::{InvitePreview, JoinRequest, code_is_complete};
use dvor_core::error::ErrorCode;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::components::form_field::{CheckField, FormField, InputKind, focus};
use crate::components::sign_in_feedback::SignInFeedback;
use crate::device_key::device_key;
use crate::i18n::t;
use crate::state::sign_in::SignInState;

/// The join screen.
#[component]
pub fn JoinPage() -> impl IntoView {
    let t = t();
    let api = expect_context::<Api>();
    let from_link = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default();
    let code = RwSignal::new(from_link);
    let name = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let state = SignInState::new();
    // What the code is for, asked again whenever a whole code is there (a person may type it).
    let preview = RwSignal::new(None::<InvitePreview>);
    {
        let api = api.clone();
        Effect::new(move || {
            let asked = code.get();
            preview.set(None);
            if !code_is_complete(&asked) {
                return;
            }
            let api = api.clone();
            spawn_local(async move {
                let answer = api.preview_invite(asked.trim()).await.ok();
                // Only the answer about the code still typed is shown.
                if code.with_untracked(|now| *now == asked) {
                    preview.set(answer);
                }
            });
        });
    }
    let invite_for = move || {
        preview.get().map(|p| {
            let place = p.place.unwrap_or_else(|| t.account.whole_city.to_owned());
            let grant = (t.account.grant_words)(p.grant.role(), &place);
            let until = t.date_time(u64::try_from(p.expires_at_ms).unwrap_or_default());
            view! { <p class="notice done" role="status" data-testid="invite-for">{(t.account.invite_for)(&grant, &until)}</p> }
        })
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !consent.get_untracked() {
            state
                .error
                .set(Some((t.common.error)(ErrorCode::ConsentRequired, None)));
            focus("consent");
            return;
        }
        let request = JoinRequest {
            code: code.get_untracked(),
            name: name.get_untracked(),
            login: login.get_untracked(),
            password: password.get_untracked(),
            device_key: device_key(),
            consent: true,
        };
        let api = api.clone();
        state.run(async move { api.join(&request).await.map_err(|e| e.to_string()) });
    };
    view! {
        <section class="page narrow">
            <h1>{t.account.join_title}</h1>
            <p class="hint">{t.account.join_hint}</p>
            <form class="form" on:submit=on_submit>
                <FormField id="code" label=t.account.field_invite_code value=code />
                {invite_for}
                <FormField id="name" label=t.account.field_name value=name kind=InputKind::Name />
                <FormField id="login" label=t.account.field_login value=login kind=InputKind::Login placeholder=t.account.field_login_hint />
                <FormField id="password" label=t.account.field_new_password value=password kind=InputKind::NewPassword hint=t.account.password_hint />
                <section class="consent" aria-labelledby="consent-title">
                    <h2 id="consent-title">{t.account.consent_title}</h2>
                    <p>{t.account.consent_notice}</p>
                    <CheckField id="consent" label=t.account.consent_label value=consent />
                </section>
                <SignInFeedback state />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || state.busy.get()>
                        {move || if state.busy.get() { t.account.signing_in } else { t.account.join }}
                    </button>
                </div>
            </form>
        </section>
    }
}
