//! Record identifiers: UUIDv7 made on the device that creates the record.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The id of a record. Always a UUID of version 7, so ids sort by creation time and two
/// devices never pick the same one without coordination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecordId(Uuid);

/// Why a string is not a [`RecordId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordIdError {
    /// The text is not a UUID at all.
    #[error("not a UUID")]
    Malformed,
    /// A UUID, but not of version 7.
    #[error("UUID is not version 7")]
    NotVersion7,
}

impl RecordId {
    /// Builds an id from a Unix time in milliseconds and ten random bytes.
    /// The caller supplies both, so this crate stays free of clocks and entropy sources.
    pub fn from_parts(unix_ms: u64, random: [u8; 10]) -> Self {
        Self(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }

    /// When the id was made, in Unix milliseconds: the time of the record's creation on its
    /// device.
    pub fn unix_ms(&self) -> u64 {
        self.0.get_timestamp().map_or(0, |t| {
            let (secs, nanos) = t.to_unix();
            secs * 1000 + u64::from(nanos) / 1_000_000
        })
    }
}

impl FromStr for RecordId {
    type Err = RecordIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let uuid = Uuid::try_parse(s).map_err(|_| RecordIdError::Malformed)?;
        if uuid.get_version_num() == 7 {
            Ok(Self(uuid))
        } else {
            Err(RecordIdError::NotVersion7)
        }
    }
}

impl TryFrom<String> for RecordId {
    type Error = RecordIdError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<RecordId> for String {
    fn from(id: RecordId) -> Self {
        id.to_string()
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// The id of one change a device made to a record: made with the change, sent with it on every
/// try, so the server applies each change at most once however often it arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MutationId(RecordId);

impl MutationId {
    /// A mutation id from a Unix time in milliseconds and ten random bytes.
    pub fn from_parts(unix_ms: u64, random: [u8; 10]) -> Self {
        Self(RecordId::from_parts(unix_ms, random))
    }

    /// When the change was made on its device, in Unix milliseconds.
    pub fn unix_ms(&self) -> u64 {
        self.0.unix_ms()
    }
}

impl FromStr for MutationId {
    type Err = RecordIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Self)
    }
}

impl fmt::Display for MutationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_parts_are_version_7_and_round_trip_through_text() {
        let id = RecordId::from_parts(1_764_028_800_000, [7; 10]);
        assert_eq!(id.as_uuid().get_version_num(), 7);
        assert_eq!(id.to_string().parse::<RecordId>(), Ok(id));
        assert_eq!(id.unix_ms(), 1_764_028_800_000);
    }

    #[test]
    fn later_ids_sort_after_earlier_ones() {
        let early = RecordId::from_parts(1_000, [255; 10]);
        let late = RecordId::from_parts(1_001, [0; 10]);
        assert!(early < late);
    }

    #[test]
    fn other_uuid_versions_and_garbage_are_refused() {
        assert_eq!(
            "67e55044-10b1-426f-9247-bb680e5fe0c8".parse::<RecordId>(),
            Err(RecordIdError::NotVersion7)
        );
        assert_eq!(
            "субботник".parse::<RecordId>(),
            Err(RecordIdError::Malformed)
        );
    }
}
