//! Storage. All SQL of the server lives under this module, written so that SQLite and, later,
//! PostgreSQL accept it where that costs nothing.

pub mod accounts;
pub mod export;
pub mod loans;
pub mod mbtiles;
mod push_writer;
pub mod records;
pub mod reference;
pub mod report;
pub mod sync;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Failures of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database could not be opened or migrated.
    #[error("cannot open database {path}: {source}")]
    Open {
        /// The database file.
        path: String,
        /// Why.
        source: sqlx::Error,
    },
    /// Migrations failed.
    #[error("cannot migrate database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    /// The database was closed while a request waited for it (the server is stopping).
    #[error("the database is closed")]
    Closed,
    /// A stored row does not read back as a valid record.
    #[error("stored row {id} is corrupt: {reason}")]
    Corrupt {
        /// The record's id.
        id: String,
        /// Why.
        reason: String,
    },
}

/// A handle to the database, cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
    /// The one writer of pushes, which commits those that arrive together at once.
    pushes: push_writer::PushWriter,
}

impl Db {
    /// Opens (creating if missing) the SQLite database at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Self, DbError> {
        let open_error = |source| DbError::Open {
            path: path.display().to_string(),
            source,
        };
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(open_error)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a record the server acknowledged survives a power cut; the device will not
            // send it again.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(open_error)?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        report::rebuild_facts_if_stale(&pool).await?;
        let pushes = push_writer::PushWriter::start(pool.clone());
        Ok(Self { pool, pushes })
    }

    /// Whether the database answers a trivial query.
    pub async fn is_healthy(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Closes every connection, waiting for running queries.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A transaction of the server's database.
pub(crate) type Tx = sqlx::Transaction<'static, Sqlite>;

/// A transaction that writes. It takes SQLite's write lock when it begins (`BEGIN
/// IMMEDIATE`), so it waits its turn in the busy handler; a deferred transaction that read
/// first and wrote second would instead fail at once with `database is locked` when another
/// wrote meanwhile, and no waiting can mend that (SQLITE_BUSY_SNAPSHOT). Every write goes
/// through here or through a single statement; `pool.begin()` is refused by clippy
/// (`clippy.toml`).
pub(crate) async fn write(pool: &SqlitePool) -> Result<Tx, DbError> {
    #[allow(clippy::disallowed_methods)]
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// A transaction that only reads: one consistent moment of the data, never upgraded to a
/// write.
pub(crate) async fn read(pool: &SqlitePool) -> Result<Tx, DbError> {
    #[allow(clippy::disallowed_methods)]
    Ok(pool.begin().await?)
}

impl DbError {
    /// Whether the database was too busy to answer in time (another writer held it past the
    /// busy timeout, or no connection came free) or is closing with the server: the request
    /// may be tried again, and the client is told so rather than shown a failure.
    pub fn is_busy(&self) -> bool {
        match self {
            Self::Query(sqlx::Error::PoolTimedOut) | Self::Closed => true,
            Self::Query(sqlx::Error::Database(error)) => error
                .code()
                .and_then(|code| code.parse::<u32>().ok())
                // SQLITE_BUSY and SQLITE_LOCKED with their extended codes.
                .is_some_and(|code| matches!(code & 0xFF, 5 | 6)),
            _ => false,
        }
    }
}

/// An SQLite row id as the API's ids: assigned from 1, never near `u32::MAX`.
fn to_id(id: i64) -> u32 {
    u32::try_from(id).unwrap_or(u32::MAX)
}
