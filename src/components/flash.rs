//! Shows the one-time message carried to the next screen (`state/flash.rs`).

use leptos::prelude::*;

use crate::state::flash::Flash;

/// Shows the waiting message, and forgets it when the screen goes.
#[component]
pub fn FlashMessage() -> impl IntoView {
    let flash = expect_context::<Flash>();
    on_cleanup(move || flash.clear());
    move || {
        flash
            .message()
            .map(|message| view! { <p class="flash" role="status">{message}</p> })
    }
}
