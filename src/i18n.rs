//! The interface's language. One language for now; the strings live in `dvor_core::i18n`.

use dvor_core::i18n::{Lang, Strings, strings};

/// The strings of the interface.
pub fn t() -> &'static Strings {
    strings(Lang::Ru)
}
