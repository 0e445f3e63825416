//! `/new`: every kind of activity the person may log, one tap each; from a site's page, the
//! chosen form opens with that site (`?site=<id>`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::account::Account;
use crate::i18n::t;

/// The kind chooser.
#[component]
pub fn ChooseKindPage() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let site = use_query_map()
        .with_untracked(|q| q.get("site"))
        .map(|site| format!("?site={site}"))
        .unwrap_or_default();
    let kinds = move || {
        account
            .kinds_to_log()
            .into_iter()
            .map(|kind| {
                view! {
                    <li><a class="button kind" href=format!("/new/{}{site}", kind.key())>{(t.common.kind_name)(kind)}</a></li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="page">
            <h1>{t.records.choose_kind_title}</h1>
            <Show when=move || account.kinds_to_log().is_empty()>
                <p class="hint">{t.common.no_place_to_log}</p>
            </Show>
            <ul class="kinds">{kinds}</ul>
            <a class="button" href="/">{t.common.cancel}</a>
        </section>
    }
}
