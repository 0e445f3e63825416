//! `/account`: who is signed in and as what, inviting people and making reset codes for them,
//! the password, the sessions, signing out and, for admins, the city's reference data.

use dvor_core::access::{Grant, Scope};
use leptos::prelude::*;

use crate::account::Account;
use crate::components::invite_panel::InvitePanel;
use crate::components::password_panel::PasswordPanel;
use crate::components::reference_panel::ReferencePanel;
use crate::components::reset_code_panel::ResetCodePanel;
use crate::components::sessions_panel::SessionsPanel;
use crate::components::sign_out_panel::SignOutPanel;
use crate::i18n::t;

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
            <h1>{t.account_title}</h1>
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

/// A role and where it is held, in words: «Активист — Забойщик».
pub fn describe(account: Account, grant: Grant) -> String {
    let t = t();
    let place = match grant.scope() {
        Scope::City => t.whole_city.to_owned(),
        Scope::Committee(id) => account.owner_name(dvor_core::access::Owner::Committee(id)),
        Scope::Centre(id) => account.owner_name(dvor_core::access::Owner::Centre(id)),
        Scope::District(id) => account.reference.with(|districts| {
            districts
                .iter()
                .find(|d| d.id == id)
                .map_or_else(|| id.0.to_string(), |d| d.name.clone())
        }),
    };
    format!("{} — {place}", (t.role_name)(grant.role()))
}
