//! `/new`: every kind of activity the person may log, one tap each.

use leptos::prelude::*;

use crate::account::Account;
use crate::i18n::t;

/// The kind chooser.
#[component]
pub fn ChooseKindPage() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let kinds = move || {
        account
            .kinds_to_log()
            .into_iter()
            .map(|kind| {
                view! {
                    <li><a class="button kind" href=format!("/new/{}", kind.key())>{(t.kind_name)(kind)}</a></li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="page">
            <h1>{t.choose_kind_title}</h1>
            <Show when=move || account.kinds_to_log().is_empty()>
                <p class="hint">{t.no_place_to_log}</p>
            </Show>
            <ul class="kinds">{kinds}</ul>
            <a class="button" href="/">{t.cancel}</a>
        </section>
    }
}
