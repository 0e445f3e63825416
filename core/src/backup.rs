//! Backup files: the changes a device has not had accepted by the server yet, saved by the
//! person to a file they keep, and read back on this or another device. A backup holds the
//! changes with their mutation ids, so restoring is idempotent everywhere: the device keeps
//! one copy of each change, and the server applies each at most once, whichever device sends it.

use serde::{Deserialize, Serialize};

use crate::activity::{Activity, ActivityInput};
use crate::date::Date;
use crate::hlc::Hlc;
use crate::id::MutationId;
use crate::protocol::Mutation;
use crate::record::{AuthorId, Envelope, RecordKind};

/// Marks a file as a Двор backup.
pub const FORMAT: &str = "dvor-backup";
/// The version of the file layout this build writes. It reads this one and every older one.
pub const VERSION: u32 = 2;

/// A backup file's contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout's version, [`VERSION`] when written by this build.
    pub version: u32,
    /// When it was made, as the device's clock read it (RFC 3339), for the person only.
    pub created_at: String,
    /// The changes, in the order they were made.
    pub mutations: Vec<Mutation>,
}

impl Backup {
    /// A backup of `mutations`.
    pub fn new(created_at: String, mutations: Vec<Mutation>) -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            created_at,
            mutations,
        }
    }
}

/// Why a file cannot be restored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// Not JSON, or not a Двор backup at all.
    #[error("not a Двор backup")]
    NotABackup,
    /// A backup from a newer version of the app.
    #[error("backup version {0} is newer than this app")]
    TooNew(u32),
    /// A Двор backup whose records do not read back (the file was edited or damaged).
    #[error("record {index} is invalid: {reason}")]
    InvalidRecord {
        /// Its position in the file, from 1; 0 when the damage is in the file's structure.
        index: usize,
        /// Why.
        reason: String,
    },
}

/// Reads a backup file. One bad record refuses the whole file, so a damaged file never half
/// restores. Version 1 files (whole activities, from before changes had ids) become creations
/// stamped [`Hlc::ZERO`] with a mutation id taken from the record, checked as a save checks
/// (`today` is the device's date).
pub fn read_backup(text: &str, today: Date) -> Result<Backup, BackupError> {
    #[derive(Deserialize)]
    struct Header {
        format: String,
        version: u32,
    }
    #[derive(Deserialize)]
    struct BodyV1 {
        created_at: String,
        activities: Vec<ActivityInput>,
    }
    #[derive(Deserialize)]
    struct BodyV2 {
        created_at: String,
        mutations: Vec<Mutation>,
    }
    let header: Header = serde_json::from_str(text).map_err(|_| BackupError::NotABackup)?;
    if header.format != FORMAT {
        return Err(BackupError::NotABackup);
    }
    if header.version > VERSION {
        return Err(BackupError::TooNew(header.version));
    }
    // Records are read with their types in one go: damage to any of them is damage to the
    // file (index 0); version 1 records are then checked one by one, as saves are.
    let damaged = |e: serde_json::Error| BackupError::InvalidRecord {
        index: 0,
        reason: e.to_string(),
    };
    let (created_at, mutations) = if header.version == 1 {
        let body: BodyV1 = serde_json::from_str(text).map_err(damaged)?;
        let mutations = body
            .activities
            .iter()
            .enumerate()
            .map(|(i, input)| {
                input
                    .validate(today)
                    .map(|activity| legacy_creation(&activity))
                    .map_err(|e| BackupError::InvalidRecord {
                        index: i + 1,
                        reason: e.to_string(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        (body.created_at, mutations)
    } else {
        let body: BodyV2 = serde_json::from_str(text).map_err(damaged)?;
        (body.created_at, body.mutations)
    };
    Ok(Backup::new(created_at, mutations))
}

/// The creation of an activity kept from before changes had ids and timestamps: the same
/// activity always gives the same mutation, and any real edit wins over it.
pub fn legacy_creation(activity: &Activity) -> Mutation {
    Mutation {
        mutation_id: MutationId::for_legacy_record(activity.id),
        change: Envelope::change(
            activity.id,
            RecordKind::Activity,
            AuthorId::legacy(),
            Hlc::ZERO,
            activity.values(),
            Some(false),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::NodeId;
    use crate::id::RecordId;

    fn today() -> Date {
        Date::from_ymd(2026, 11, 25).expect("date")
    }

    fn activity(n: u8) -> Activity {
        ActivityInput {
            id: RecordId::from_parts(1_764_028_800_000, [n; 10]).to_string(),
            kind: "cleanup_day".into(),
            date: "2026-04-25".into(),
            committee: "Заречный".into(),
            site_address: "берег Томи".into(),
            measures: [
                ("participants".to_owned(), 9),
                ("bags".to_owned(), i64::from(n)),
            ]
            .into(),
        }
        .validate(today())
        .expect("valid")
    }

    fn creation(n: u8) -> Mutation {
        let activity = activity(n);
        Mutation {
            mutation_id: MutationId::from_parts(1_764_028_800_001, [n; 10]),
            change: Envelope::change(
                activity.id,
                RecordKind::Activity,
                AuthorId::device(NodeId::from_bits(7)),
                Hlc::new(1_764_028_800_001, 0, NodeId::from_bits(7)),
                activity.values(),
                Some(false),
            ),
        }
    }

    #[test]
    fn a_written_backup_reads_back() {
        let backup = Backup::new(
            "2026-11-25T10:00:00Z".into(),
            vec![creation(1), creation(2)],
        );
        let text = serde_json::to_string_pretty(&backup).expect("json");
        assert_eq!(read_backup(&text, today()), Ok(backup));
    }

    #[test]
    fn version_1_files_become_the_same_creations_every_time() {
        let text = serde_json::json!({
            "format": "dvor-backup",
            "version": 1,
            "created_at": "2026-11-24T10:00:00Z",
            "activities": [activity(1), activity(2)],
        })
        .to_string();
        let backup = read_backup(&text, today()).expect("readable");
        assert_eq!(backup.version, VERSION);
        assert_eq!(
            backup.mutations,
            vec![legacy_creation(&activity(1)), legacy_creation(&activity(2))]
        );
        assert_eq!(read_backup(&text, today()), Ok(backup));
    }

    #[test]
    fn other_files_are_refused_with_the_reason() {
        assert_eq!(
            read_backup("фото.jpg", today()),
            Err(BackupError::NotABackup)
        );
        assert_eq!(
            read_backup(r#"{"format":"other","version":1}"#, today()),
            Err(BackupError::NotABackup)
        );
        assert_eq!(
            read_backup(r#"{"format":"dvor-backup","version":9}"#, today()),
            Err(BackupError::TooNew(9))
        );
        let mut value =
            serde_json::to_value(Backup::new(String::new(), vec![creation(1), creation(2)]))
                .expect("json");
        value["mutations"][1]["change"]["fields"]["date"]["hlc"] = serde_json::json!("вчера");
        assert!(matches!(
            read_backup(&value.to_string(), today()),
            Err(BackupError::InvalidRecord { index: 0, .. })
        ));
        let mut future = serde_json::to_value(activity(2)).expect("json");
        future["date"] = serde_json::json!("2999-01-01");
        let v1 = serde_json::json!({
            "format": "dvor-backup",
            "version": 1,
            "created_at": "",
            "activities": [activity(1), future],
        });
        assert!(matches!(
            read_backup(&v1.to_string(), today()),
            Err(BackupError::InvalidRecord { index: 2, .. })
        ));
    }
}
