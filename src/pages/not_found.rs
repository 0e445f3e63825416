//! A path the app does not know.

use leptos::prelude::*;

use crate::i18n::t;

/// "Page not found" with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{t().not_found_title}</h1>
            <a class="button" href="/">{t().go_home}</a>
        </section>
    }
}
