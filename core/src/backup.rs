//! Backup files: the records a device has not sent yet, saved by the person to a file they
//! keep, and read back on this or another device. Restoring is idempotent: a record whose id
//! the device already has is left as it is.

use serde::{Deserialize, Serialize};

use crate::activity::{Activity, ActivityInput};
use crate::date::Date;

/// Marks a file as a Двор backup.
pub const FORMAT: &str = "dvor-backup";
/// The version of the file layout this build writes and reads.
pub const VERSION: u32 = 1;

/// A backup file's contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout's version, [`VERSION`] when written by this build.
    pub version: u32,
    /// When it was made, as the device's clock read it (RFC 3339), for the person only.
    pub created_at: String,
    /// The records.
    pub activities: Vec<Activity>,
}

impl Backup {
    /// A backup of `activities`.
    pub fn new(created_at: String, activities: Vec<Activity>) -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            created_at,
            activities,
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
    /// A Двор backup whose records do not pass validation (the file was edited or damaged).
    #[error("record {index} is invalid: {reason}")]
    InvalidRecord {
        /// Its position in the file, from 1; 0 when the damage is in the file's structure.
        index: usize,
        /// Why.
        reason: String,
    },
}

/// Reads a backup file. Every record must pass the same checks as on saving (`today` is the
/// device's date); one bad record refuses the whole file, so a damaged file never half restores.
pub fn read_backup(text: &str, today: Date) -> Result<Backup, BackupError> {
    #[derive(Deserialize)]
    struct Header {
        format: String,
        version: u32,
    }
    #[derive(Deserialize)]
    struct Body {
        created_at: String,
        activities: Vec<ActivityInput>,
    }
    let header: Header = serde_json::from_str(text).map_err(|_| BackupError::NotABackup)?;
    if header.format != FORMAT {
        return Err(BackupError::NotABackup);
    }
    if header.version > VERSION {
        return Err(BackupError::TooNew(header.version));
    }
    let body: Body = serde_json::from_str(text).map_err(|e| BackupError::InvalidRecord {
        index: 0,
        reason: e.to_string(),
    })?;
    let activities = body
        .activities
        .iter()
        .enumerate()
        .map(|(i, input)| {
            input
                .validate(today)
                .map_err(|e| BackupError::InvalidRecord {
                    index: i + 1,
                    reason: e.to_string(),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Backup::new(body.created_at, activities))
}
#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn a_written_backup_reads_back() {
        let backup = Backup::new(
            "2026-11-25T10:00:00Z".into(),
            vec![activity(1), activity(2)],
        );
        let text = serde_json::to_string_pretty(&backup).expect("json");
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
            serde_json::to_value(Backup::new(String::new(), vec![activity(1), activity(2)]))
                .expect("json");
        value["activities"][1]["measures"]["bags"] = serde_json::json!(1_000_000);
        assert!(matches!(
            read_backup(&value.to_string(), today()),
            Err(BackupError::InvalidRecord { index: 2, .. })
        ));
    }
}
