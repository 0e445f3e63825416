//! "A new version is ready" with a button to switch to it, or, once a newer version has taken
//! the device's data over in another tab, the request to reload.

use leptos::prelude::*;

use crate::i18n::t;
use crate::pwa::{AppUpdate, apply_update, reload};

/// Shown while a new version waits for consent, or once this page has to reload.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let update = expect_context::<AppUpdate>();
    let t = t();
    move || {
        let (text, button, action): (_, _, fn()) = if update.superseded.get() {
            (t.shell.superseded, t.shell.reload, reload)
        } else if update.ready.get() {
            (t.shell.update_ready, t.shell.update_now, apply_update)
        } else {
            return None;
        };
        Some(view! {
            <div class="update-banner" role="alert">
                <span>{text}</span>
                <button type="button" class="button" on:click=move |_| action()>
                    {button}
                </button>
            </div>
        })
    }
}
