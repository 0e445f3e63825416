//! A one-time message carried to the next screen ("Сохранено на устройстве.").

use leptos::prelude::*;

/// The message waiting to be shown, if any.
#[derive(Clone, Copy, Debug)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    /// No message.
    pub fn new() -> Self {
        Self(RwSignal::new(None))
    }

    /// Leaves a message for the next screen.
    pub fn set(&self, message: impl Into<String>) {
        self.0.set(Some(message.into()));
    }
}

impl Default for Flash {
    fn default() -> Self {
        Self::new()
    }
}

/// Shows the waiting message, and forgets it when the screen goes.
#[component]
pub fn FlashMessage() -> impl IntoView {
    let flash = expect_context::<Flash>();
    on_cleanup(move || flash.0.set(None));
    move || {
        flash
            .0
            .get()
            .map(|message| view! { <p class="flash" role="status">{message}</p> })
    }
}
