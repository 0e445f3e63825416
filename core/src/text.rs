//! Short human-entered text (names, addresses): trimmed, never blank, bounded, free of control
//! characters.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, Field, FieldError};

/// Trimmed, non-blank text of at most `MAX` characters without control characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BoundedText<const MAX: usize>(String);

/// A postal address or a description of a place: where an activity was done, where a site is.
pub type Address = BoundedText<300>;

impl<const MAX: usize> BoundedText<MAX> {
    /// The longest accepted text, in characters.
    pub const MAX_CHARS: usize = MAX;

    /// Checks and normalises (trims) `raw`. The error is `Required`, `TooLong` or
    /// `ControlCharacters`.
    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let text = raw.trim();
        if text.is_empty() {
            Err(ErrorCode::Required)
        } else if text.chars().count() > MAX {
            Err(ErrorCode::TooLong)
        } else if text.chars().any(char::is_control) {
            Err(ErrorCode::ControlCharacters)
        } else {
            Ok(Self(text.to_owned()))
        }
    }

    /// [`BoundedText::parse`] for a form's or a record's `field`: the error names the field,
    /// and the limit when the text is too long.
    pub fn parse_field(raw: &str, field: Field) -> Result<Self, FieldError> {
        Self::parse(raw).map_err(|code| match code {
            ErrorCode::TooLong => FieldError::with_limit(field, code, MAX as i64),
            _ => FieldError::new(field, code),
        })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> TryFrom<String> for BoundedText<MAX> {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).map_err(|code| format!("invalid text ({code:?})"))
    }
}

impl<const MAX: usize> From<BoundedText<MAX>> for String {
    fn from(text: BoundedText<MAX>) -> Self {
        text.0
    }
}

impl<const MAX: usize> fmt::Display for BoundedText<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Short = BoundedText<5>;

    #[test]
    fn trims_and_keeps_inner_spaces() {
        assert_eq!(Short::parse("  а б ").map(|t| t.0), Ok("а б".to_owned()));
    }

    #[test]
    fn refuses_blank_long_and_control_text() {
        assert_eq!(Short::parse(" \t "), Err(ErrorCode::Required));
        assert_eq!(Short::parse("шестьбукв"), Err(ErrorCode::TooLong));
        assert_eq!(Short::parse("а\u{7}б"), Err(ErrorCode::ControlCharacters));
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(
            Short::parse("ёжики").is_ok(),
            "five Cyrillic letters are ten bytes"
        );
    }

    proptest! {
        #[test]
        fn accepted_text_is_a_fixed_point(raw in "\\PC{0,8}") {
            if let Ok(text) = Short::parse(&raw) {
                prop_assert_eq!(Short::parse(text.as_str()), Ok(text.clone()));
                prop_assert!(text.as_str().chars().count() <= 5);
            }
        }
    }
}
