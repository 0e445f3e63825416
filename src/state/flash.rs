//! A one-time message carried to the next screen ("Сохранено на устройстве."); the
//! component that shows it is `components/flash.rs`.

use leptos::prelude::*;

/// The message waiting to be shown, if any.
#[derive(Clone, Copy, Debug)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    /// No message.
    pub fn new() -> Self {
        Self(RwSignal::new(None))
    }

    /// The waiting message (tracked).
    pub fn message(&self) -> Option<String> {
        self.0.get()
    }

    /// Forgets the message: the screen that showed it has gone.
    pub fn clear(&self) {
        self.0.set(None);
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
