//! A path the app does not know.

use leptos::prelude::*;

use crate::i18n::t;

/// "Page not found" with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{t().shell.not_found_title}</h1>
            <a class="button" href="/">{t().shell.go_home}</a>
        </section>
    }
}
