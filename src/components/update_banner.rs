//! "A new version is ready" with a button to switch to it.

use leptos::prelude::*;

use crate::i18n::t;
use crate::pwa::{AppUpdate, apply_update};

/// Shown while a new version waits for consent.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let update = expect_context::<AppUpdate>();
    view! {
        <Show when=move || update.ready.get()>
            <div class="update-banner" role="alert">
                <span>{t().update_ready}</span>
                <button type="button" class="button" on:click=move |_| apply_update()>
                    {t().update_now}
                </button>
            </div>
        </Show>
    }
}
