//! `/audit`: the audit log for admins (the city's) and coordinators (their district's): who did
//! what, when and from where, filtered by act, a page at a time, and downloaded as CSV. It
//! reads the server, so it needs the network; offline it says so rather than show a stale log.

use dvor_core::audit::{AuditEntry, AuditKind, MAX_AUDIT_PAGE};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::Account;
use crate::api::Api;
use crate::components::form_field::SelectField;
use crate::files::download_fetched;
use crate::i18n::t;

/// The filter's value for every kind of act.
const EVERY_KIND: &str = "all";

/// The query of the page after `before` (the newest when `None`) of `kind` (every kind when
/// [`EVERY_KIND`]).
fn query(kind: &str, before: Option<u64>) -> String {
    let mut query = format!("limit={MAX_AUDIT_PAGE}");
    if kind != EVERY_KIND {
        query.push_str(&format!("&kind={kind}"));
    }
    if let Some(before) = before {
        query.push_str(&format!("&before={before}"));
    }
    query
}

/// The audit log screen.
#[component]
pub fn AuditPage() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let kind = RwSignal::new(EVERY_KIND.to_owned());
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<u64>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Each load carries the filter it was asked for; an answer for a filter since changed is
    // dropped, so a slow page never lands under another filter.
    let load = {
        let api = api.clone();
        move |before: Option<u64>| {
            let Some(token) = account.token() else {
                return;
            };
            let asked = kind.get_untracked();
            let api = api.clone();
            loading.set(true);
            spawn_local(async move {
                let answer = api.audit(&token, &query(&asked, before)).await;
                if kind.get_untracked() != asked {
                    return;
                }
                loading.set(false);
                match answer {
                    Ok(page) => {
                        error.set(None);
                        next.set(page.next);
                        entries.update(|list| {
                            if before.is_none() {
                                list.clear();
                            }
                            list.extend(page.entries);
                        });
                    }
                    Err(failure) => error.set(Some(failure.to_string())),
                }
            });
        }
    };
    Effect::new({
        let load = load.clone();
        move |_| {
            kind.track();
            load(None);
        }
    });
    let save_csv = {
        let api = api.clone();
        move |_| {
            let Some(token) = account.token() else {
                return;
            };
            let asked = kind.get_untracked();
            let api = api.clone();
            spawn_local(async move {
                let asked = query(&asked, None);
                let csv = api.audit_csv(&token, &asked);
                if let Err(reason) = download_fetched("audit-log.csv", "text/csv", csv).await {
                    error.set(Some(reason));
                }
            });
        }
    };
    let kinds = Signal::derive(move || {
        std::iter::once((EVERY_KIND.to_owned(), t.audit.every_kind.to_owned()))
            .chain(
                AuditKind::ALL
                    .into_iter()
                    .map(|kind| (kind.key().to_owned(), (t.audit.kind)(kind).to_owned())),
            )
            .collect::<Vec<_>>()
    });
    let rows = move || {
        let districts = account.reference.get();
        entries.with(|entries| {
            entries
                .iter()
                .map(|entry| {
                    let at = t.date_time(u64::try_from(entry.at_ms).unwrap_or_default());
                    let place = entry.district_name(&districts).map(str::to_owned);
                    let details = entry.details(&districts, t);
                    view! {
                        <li class="audit-entry">
                            <p class="audit-act"><strong>{(t.audit.kind)(entry.act.kind())}</strong>
                                {(!details.is_empty()).then(|| format!(" — {details}"))}</p>
                            <p class="audit-who">{entry.actor_label(t)}
                                {entry.address.clone().map(|a| format!(" · {a}"))}
                                {place.map(|p| format!(" · {p}"))}</p>
                            <p class="audit-when">{at}</p>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="page audit">
            <h1>{t.audit.title}</h1>
            <p class="hint">{t.audit.intro}</p>
            <SelectField id="audit-kind" label=t.audit.filter_kind value=kind options=kinds />
            <button type="button" class="button" on:click=save_csv>{t.audit.download}</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <ul class="audit-log" aria-busy=move || loading.get().to_string()>{rows}</ul>
            <Show when=move || !loading.get() && error.with(Option::is_none) && entries.with(Vec::is_empty)>
                <p class="empty">{t.audit.empty}</p>
            </Show>
            {move || next.get().map(|before| {
                let load = load.clone();
                view! {
                    <button type="button" class="button" disabled=move || loading.get()
                        on:click=move |_| load(Some(before))>{t.audit.older}</button>
                }
            })}
        </section>
    }
}
