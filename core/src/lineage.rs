//! Which history of records a server holds. A server restored from a backup starts a new one:
//! it has lost what was written after the copy, and its cursors count again from the copy's.
//! A device that synced with the old history sees the lineage change in a pull page and starts
//! over (see [`crate::replica::Replica::start_over`]), so nothing it wrote is lost.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A server's lineage: 128 random bits, as 32 lowercase hex digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Lineage(String);

/// Why a string is not a [`Lineage`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a lineage is 32 lowercase hex digits")]
pub struct LineageError;

impl Lineage {
    /// The lineage named by `random`, which the caller draws from a secure source.
    pub fn from_random(random: [u8; 16]) -> Self {
        Self(random.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// Its text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Lineage {
    type Error = LineageError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
        if text.len() == 32 && text.chars().all(hex) {
            Ok(Self(text))
        } else {
            Err(LineageError)
        }
    }
}

impl From<Lineage> for String {
    fn from(lineage: Lineage) -> Self {
        lineage.0
    }
}

impl fmt::Display for Lineage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_lineage_reads_back_from_its_text(random in any::<[u8; 16]>()) {
            let lineage = Lineage::from_random(random);
            prop_assert_eq!(Lineage::try_from(lineage.to_string()), Ok(lineage));
        }
    }

    #[test]
    fn other_text_is_not_a_lineage() {
        for text in [
            "",
            "0123",
            &"A".repeat(32),
            &"g".repeat(32),
            &"0".repeat(33),
        ] {
            assert_eq!(Lineage::try_from(text.to_owned()), Err(LineageError));
        }
    }
}
