//! `/account`: who is signed in and as what, the destinations the tab bar has no room for,
//! the audit log's link for those who may read it, for admins the city's reference data,
//! inviting people and making reset codes for them, the
//! password, the sessions, people's requests to be erased (admins), the person's own data, the
//! device's backup and signing out.

use dvor_core::access::{Action, scopes_for};
use leptos::prelude::*;

use crate::account::Account;
use crate::components::backup_panel::BackupPanel;
use crate::components::erasure_panel::ErasurePanel;
use crate::components::invite_panel::InvitePanel;
use crate::components::my_data_panel::MyDataPanel;
use crate::components::password_panel::PasswordPanel;
use crate::components::reference_panel::ReferencePanel;
use crate::components::reset_code_panel::ResetCodePanel;
use crate::components::sessions_panel::SessionsPanel;
use crate::components::sign_out_panel::SignOutPanel;
use crate::components::tab_bar::icon;
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
    let more = move || {
        let more = account.tabs().more;
        (!more.is_empty()).then(|| {
            let links = more
                .into_iter()
                .map(|d| {
                    view! {
                        <li>
                            <a class="button" href=d.path()>
                                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true"><path d=icon(Some(d)) /></svg>
                                {(t.shell.destination)(d)}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <nav class="more-destinations" aria-labelledby="more-title">
                    <h2 id="more-title">{t.shell.more_title}</h2>
                    <ul>{links}</ul>
                </nav>
            }
        })
    };
    view! {
        <section class="page">
            <h1>{t.account.account_title}</h1>
            <p class="who">{who}</p>
            <ul class="roles">{roles}</ul>
            {more}
            <a class="button" href="/install">{t.keeping.install_title}</a>
            <Show when=move || scopes_for(&account.grants(), Action::ReadAudit).next().is_some()>
                <a class="button" href="/audit">{t.audit.title}</a>
            </Show>
            <ReferencePanel />
            <InvitePanel />
            <ResetCodePanel />
            <PasswordPanel />
            <SessionsPanel />
            <ErasurePanel />
            <MyDataPanel />
            <BackupPanel />
            <SignOutPanel />
        </section>
    }
}
