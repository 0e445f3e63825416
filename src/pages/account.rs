//! `/account`: who is signed in and as what, inviting people and making reset codes for them,
//! the password, the sessions, signing out and, for admins, the city's reference data.

use leptos::prelude::*;

use crate::account::Account;
use crate::components::invite_panel::InvitePanel;
use crate::components::password_panel::PasswordPanel;
use crate::components::reference_panel::ReferencePanel;
use crate::components::reset_code_panel::ResetCodePanel;
use crate::components::sessions_panel::SessionsPanel;
use crate::components::sign_out_panel::SignOutPanel;
use crate::i18n::t;
use crate::state::grants::describe;

/// The account screen.
#[component]
pub fn AccountPage() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let who = move || {
        account.session.with(|s| {
            s.as_ref()
                .map(|s| format!("{} · {}", s.me.name, s.me.login))
                .unwrap_or_default()
        })
    };
    let roles = move || {
        account
            .grants()
            .into_iter()
            .map(|grant| view! { <li>{describe(account, grant)}</li> })
            .collect_view()
    };
    view! {
        <section class="page">
            <h1>{t.account.account_title}</h1>
            <p class="who">{who}</p>
            <ul class="roles">{roles}</ul>
            <InvitePanel />
            <ResetCodePanel />
            <ReferencePanel />
            <PasswordPanel />
            <SessionsPanel />
            <SignOutPanel />
        </section>
    }
}
