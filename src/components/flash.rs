//! Messages that answer what a person did: the one-time message carried to the next screen
//! (`state/flash.rs`), and an action's outcome where it was taken.

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

/// What an action on the screen came to: its message, or why it failed.
#[component]
pub fn Outcome(outcome: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    move || {
        outcome.get().map(|result| match result {
            Ok(message) => view! { <p class="flash" role="status">{message}</p> }.into_any(),
            Err(message) => view! { <p class="form-error" role="alert">{message}</p> }.into_any(),
        })
    }
}
