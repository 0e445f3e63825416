//! Backup files: the changes a device has not had accepted by the server yet, saved by the
//! person to a file they keep, and read back on this or another device. A backup holds the
//! changes with their mutation ids, so restoring is idempotent everywhere: the device keeps
//! one copy of each change, and the server applies each at most once, whichever device sends it.

use serde::{Deserialize, Serialize};

use crate::protocol::Mutation;

/// Marks a file as a Двор backup.
pub const FORMAT: &str = "dvor-backup";
/// The version of the file layout this build writes and reads.
pub const VERSION: u32 = 3;

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
    /// A backup made before accounts, whose records belong to no committee or centre.
    #[error("the backup was made before accounts")]
    BeforeAccounts,
    /// A Двор backup whose records do not read back (the file was edited or damaged).
    #[error("the backup is damaged: {0}")]
    Damaged(String),
}

/// Reads a backup file. One bad record refuses the whole file, so a damaged file never half
/// restores. Files from before accounts (versions 1 and 2) hold records without an owner, which
/// no server accepts any more; they are refused with their own reason.
pub fn read_backup(text: &str) -> Result<Backup, BackupError> {
    #[derive(Deserialize)]
    struct Header {
        format: String,
        version: u32,
    }
    let header: Header = serde_json::from_str(text).map_err(|_| BackupError::NotABackup)?;
    if header.format != FORMAT {
        return Err(BackupError::NotABackup);
    }
    if header.version > VERSION {
        return Err(BackupError::TooNew(header.version));
    }
    if header.version < VERSION {
        return Err(BackupError::BeforeAccounts);
    }
    serde_json::from_str(text).map_err(|e| BackupError::Damaged(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CommitteeId, Owner};
    use crate::account::UserId;
    use crate::hlc::{Hlc, NodeId};
    use crate::id::{MutationId, RecordId};
    use crate::record::{AuthorId, Envelope, RecordKind};

    fn creation(n: u8) -> Mutation {
        Mutation {
            mutation_id: MutationId::from_parts(1_764_028_800_001, [n; 10]),
            change: Envelope::change(
                RecordId::from_parts(1_764_028_800_000, [n; 10]),
                RecordKind::Activity,
                AuthorId::user(UserId(7)),
                Owner::Committee(CommitteeId(3)),
                Hlc::new(1_764_028_800_001, 0, NodeId::from_bits(7)),
                [("bags".to_owned(), serde_json::json!(n))].into(),
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
        assert_eq!(read_backup(&text), Ok(backup));
    }

    #[test]
    fn other_files_are_refused_with_the_reason() {
        assert_eq!(read_backup("фото.jpg"), Err(BackupError::NotABackup));
        assert_eq!(
            read_backup(r#"{"format":"other","version":3}"#),
            Err(BackupError::NotABackup)
        );
        assert_eq!(
            read_backup(r#"{"format":"dvor-backup","version":9}"#),
            Err(BackupError::TooNew(9))
        );
        for old in [1, 2] {
            let text = format!(r#"{{"format":"dvor-backup","version":{old}}}"#);
            assert_eq!(read_backup(&text), Err(BackupError::BeforeAccounts));
        }
        let mut value =
            serde_json::to_value(Backup::new(String::new(), vec![creation(1), creation(2)]))
                .expect("json");
        value["mutations"][1]["change"]["fields"]["bags"]["hlc"] = serde_json::json!("вчера");
        assert!(matches!(
            read_backup(&value.to_string()),
            Err(BackupError::Damaged(_))
        ));
    }
}
