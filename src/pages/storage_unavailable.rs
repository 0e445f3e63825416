//! Shown instead of the app when IndexedDB cannot be opened: saving would be a lie.

use leptos::prelude::*;

use crate::i18n::t;

/// Why the device cannot keep records.
#[component]
pub fn StorageUnavailable(reason: String) -> impl IntoView {
    view! {
        <main>
            <section class="page">
                <h1>{t().shell.app_name}</h1>
                <p class="error" role="alert">{(t().common.storage_unavailable)(&reason)}</p>
            </section>
        </main>
    }
}
