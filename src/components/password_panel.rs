//! Changing one's password on the account screen: the current one and a new one. The other
//! sessions end on the server; this one stays.

use dvor_core::account::PasswordChange;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::Account;
use crate::api::Api;
use crate::components::form_field::{FormField, InputKind};
use crate::i18n::t;

/// The password change form.
#[component]
pub fn PasswordPanel() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(token) = account.token() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let change = PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        let api = api.clone();
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let answer = api.change_password(&token, &change).await;
            if answer.is_ok() {
                current.set(String::new());
                new.set(String::new());
            }
            outcome.set(Some(answer.map_err(|failure| failure.to_string())));
            busy.set(false);
        });
    };
    view! {
        <section class="panel">
            <h2>{t.account.password_title}</h2>
            <p class="hint">{t.account.password_change_hint}</p>
            <form class="form" on:submit=on_submit>
                <FormField id="current-password" label=t.account.field_current_password value=current kind=InputKind::Password />
                <FormField id="changed-password" label=t.account.field_changed_password value=new kind=InputKind::NewPassword hint=t.account.password_hint />
                {move || outcome.get().map(|outcome| match outcome {
                    Ok(()) => view! { <p class="flash" role="status">{t.account.password_changed}</p> }.into_any(),
                    Err(why) => view! { <p class="form-error" role="alert">{why}</p> }.into_any(),
                })}
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || busy.get()>{t.account.change_password}</button>
                </div>
            </form>
        </section>
    }
}
