//! The browser's own dialogs.

/// Asks the person `question` with OK and Cancel; whether they agreed. No answer (no window,
/// dialogs blocked) is no.
pub fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
