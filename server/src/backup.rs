//! Backups of a city kept on one machine (the SQLite file and the photos on disk):
//! `dvor-server backup --to DIR` copies both while the server runs, `restore --from DIR` puts
//! a copy into an empty data directory, and `--backup-every` takes copies on a schedule
//! ([`schedule`]).
//!
//! A copy is a directory: `dvor.sqlite3` (one moment of the database), `blobs/` laid out as
//! the data directory lays it out, and `manifest.json`, which fingerprints every table. It is
//! written under a temporary name and renamed when complete, so a directory by the copy's name
//! is always a whole copy. The photos are copied after the database: a photo is never deleted,
//! so every photo the copied records name and the server held is in the copy.

pub mod schedule;

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::blobs::{BlobError, DiskBlobs, copy_checked};
use crate::config::Config;
use crate::db::digest::{TableDigest, digest_file};
use crate::db::{Db, DbError};

/// The database's file in a copy.
const DATABASE: &str = "dvor.sqlite3";
/// The photos' directory in a copy.
const BLOBS: &str = "blobs";
/// The fingerprint, written last.
const MANIFEST: &str = "manifest.json";
/// The layout of a copy this version writes and reads.
const FORMAT: u32 = 1;

/// What a copy holds, written beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The copy's layout ([`FORMAT`]).
    pub format: u32,
    /// When the database was copied (RFC 3339, UTC).
    pub taken_at: String,
    /// The server's version that took it.
    pub server_version: String,
    /// Every table of the copied database.
    pub tables: Vec<TableDigest>,
    /// How many photos it holds.
    pub photos: u64,
}

impl Manifest {
    /// The rows of `table`, if the copy has it.
    pub fn rows(&self, table: &str) -> Option<u64> {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .map(|t| t.rows)
    }
}

/// Why a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The city is kept in PostgreSQL or its photos in a bucket.
    #[error(
        "backups copy the SQLite file and the photos on disk; a city on PostgreSQL or with \
         photos in a bucket is backed up by their own tools (pg_dump, the bucket's versioning)"
    )]
    Elsewhere,
    /// The data directory holds no city to copy.
    #[error("{0} does not exist: there is no city to back up in this data directory")]
    NoCity(String),
    /// The directory to back up into holds something.
    #[error("{0} is not empty: a backup goes into a new or empty directory")]
    TargetNotEmpty(String),
    /// The directory to restore from is no complete copy.
    #[error("{0} holds no complete backup (no {MANIFEST})")]
    NotABackup(String),
    /// The copy was written by a later layout.
    #[error(
        "the backup's format {0} is newer than this server's ({FORMAT}): restore it with the version that took it"
    )]
    Format(u32),
    /// The data directory already holds a city.
    #[error("{0} exists: a backup is restored into an empty data directory")]
    DataDirNotEmpty(String),
    /// The copy does not read back as its manifest says.
    #[error("the backup differs from its manifest: {0}")]
    Differs(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The manifest does not parse.
    #[error("{path}: {source}")]
    Manifest {
        /// The file.
        path: String,
        /// Why.
        source: serde_json::Error,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The photos' store failed.
    #[error(transparent)]
    Blobs(#[from] BlobError),
}

/// Refuses a city this module cannot copy: one not wholly in its data directory.
pub fn supported(config: &Config) -> Result<(), BackupError> {
    if config.database_url.is_some() || config.s3().is_some() {
        return Err(BackupError::Elsewhere);
    }
    Ok(())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Copies the city of `db`, with the photos under `blobs_dir`, into the new directory `to`.
pub async fn take(db: &Db, blobs_dir: &Path, to: &Path) -> Result<Manifest, BackupError> {
    if !is_empty_or_missing(to).await? {
        return Err(BackupError::TargetNotEmpty(to.display().to_string()));
    }
    let partial = partial_of(to);
    match tokio::fs::remove_dir_all(&partial).await {
        Err(error) if error.kind() != ErrorKind::NotFound => return Err(io(&partial)(error)),
        _ => {}
    }
    tokio::fs::create_dir_all(&partial)
        .await
        .map_err(io(&partial))?;
    let taken_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let database = partial.join(DATABASE);
    db.snapshot_into(&database).await?;
    let photos = copy_checked(
        &DiskBlobs::new(blobs_dir),
        &DiskBlobs::new(partial.join(BLOBS)),
    )
    .await?;
    let manifest = Manifest {
        format: FORMAT,
        taken_at,
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        tables: digest_file(&database).await?,
        photos,
    };
    let text = serde_json::to_vec_pretty(&manifest).map_err(|source| BackupError::Manifest {
        path: MANIFEST.to_owned(),
        source,
    })?;
    write_durably(&partial.join(MANIFEST), &text).await?;
    tokio::fs::rename(&partial, to).await.map_err(io(to))?;
    if let Some(parent) = to.parent() {
        sync(parent).await?;
    }
    Ok(manifest)
}

/// Restores the copy in `from` into the data directory whose database file is `database` and
/// whose photos go under `blobs_dir`; neither may exist yet. The copy is checked against its
/// manifest before anything is written, and the photos by their hashes as they are copied;
/// a restore that fails removes what it wrote.
pub async fn restore(
    from: &Path,
    database: &Path,
    blobs_dir: &Path,
) -> Result<Manifest, BackupError> {
    let manifest = read_manifest(from).await?;
    for taken in [
        database.to_path_buf(),
        wal_of(database),
        blobs_dir.to_path_buf(),
    ] {
        if tokio::fs::try_exists(&taken).await.map_err(io(&taken))? {
            return Err(BackupError::DataDirNotEmpty(taken.display().to_string()));
        }
    }
    check(&manifest, &digest_file(&from.join(DATABASE)).await?)?;
    let partial = database.with_extension("restoring");
    let restored = restore_files(from, &partial, database, blobs_dir, &manifest).await;
    if restored.is_err() {
        for file in [&partial, database] {
            let _ = tokio::fs::remove_file(file).await;
        }
        let _ = tokio::fs::remove_dir_all(blobs_dir).await;
    }
    restored.map(|()| manifest)
}

async fn restore_files(
    from: &Path,
    partial: &Path,
    database: &Path,
    blobs_dir: &Path,
    manifest: &Manifest,
) -> Result<(), BackupError> {
    if let Some(dir) = database.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(io(dir))?;
    }
    tokio::fs::copy(from.join(DATABASE), partial)
        .await
        .map_err(io(partial))?;
    check(manifest, &digest_file(partial).await?)?;
    sync(partial).await?;
    let photos = copy_checked(
        &DiskBlobs::new(from.join(BLOBS)),
        &DiskBlobs::new(blobs_dir),
    )
    .await?;
    if photos != manifest.photos {
        return Err(BackupError::Differs(format!(
            "{photos} photo(s), the manifest says {}",
            manifest.photos
        )));
    }
    tokio::fs::rename(partial, database)
        .await
        .map_err(io(database))?;
    if let Some(dir) = database.parent() {
        sync(dir).await?;
    }
    Ok(())
}

/// Reads the manifest of the copy in `dir`.
pub async fn read_manifest(dir: &Path) -> Result<Manifest, BackupError> {
    let path = dir.join(MANIFEST);
    let text = match tokio::fs::read(&path).await {
        Ok(text) => text,
        Err(error) if error.kind() == ErrorKind::NotFound => {
            return Err(BackupError::NotABackup(dir.display().to_string()));
        }
        Err(error) => return Err(io(&path)(error)),
    };
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|source| BackupError::Manifest {
            path: path.display().to_string(),
            source,
        })?;
    if manifest.format > FORMAT {
        return Err(BackupError::Format(manifest.format));
    }
    Ok(manifest)
}

/// Refuses a database whose fingerprint is not the manifest's.
fn check(manifest: &Manifest, found: &[TableDigest]) -> Result<(), BackupError> {
    if manifest.tables.len() != found.len() {
        return Err(BackupError::Differs(format!(
            "{} table(s), the manifest names {}",
            found.len(),
            manifest.tables.len()
        )));
    }
    for (wanted, found) in manifest.tables.iter().zip(found) {
        if wanted != found {
            return Err(BackupError::Differs(format!(
                "table {} ({} row(s), the manifest says {})",
                found.table, found.rows, wanted.rows
            )));
        }
    }
    Ok(())
}

async fn is_empty_or_missing(dir: &Path) -> Result<bool, BackupError> {
    match tokio::fs::read_dir(dir).await {
        Ok(mut entries) => Ok(entries.next_entry().await.map_err(io(dir))?.is_none()),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(true),
        Err(error) => Err(io(dir)(error)),
    }
}

/// Where a copy to `to` is written until it is complete: beside it, hidden.
fn partial_of(to: &Path) -> PathBuf {
    let name = to
        .file_name()
        .map_or_else(|| "backup".into(), |name| name.to_string_lossy());
    to.with_file_name(format!(".{name}.partial"))
}

fn wal_of(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

async fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    tokio::fs::write(path, bytes).await.map_err(io(path))?;
    sync(path).await
}

/// Makes what was written to `path` — a file's bytes, or the renames in a directory —
/// survive a power cut.
async fn sync(path: &Path) -> Result<(), BackupError> {
    tokio::fs::File::open(path)
        .await
        .map_err(io(path))?
        .sync_all()
        .await
        .map_err(io(path))
}
