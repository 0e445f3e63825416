//! Storage. All SQL of the server lives under this module, one text for SQLite and PostgreSQL
//! where they agree and both forms side by side where they differ (`sql.rs`).

pub mod accounts;
pub mod attempts;
pub mod audit;
pub mod copy;
pub mod digest;
pub mod export;
mod lineage;
pub mod loans;
pub mod mbtiles;
pub mod personal;
mod push_writer;
pub mod records;
pub mod reference;
pub mod report;
mod snapshot;
mod sql;
mod stats;
pub mod sync;

use std::fmt;
use std::path::PathBuf;

use sqlx::pool::PoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, ConnectOptions, Executor};

pub use sql::Dialect;
pub(crate) use sql::{Sql, Tuple};

/// Failures of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database could not be opened or migrated.
    #[error("cannot open database {location}: {source}")]
    Open {
        /// The database, without its password.
        location: String,
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
    /// So many pushes wait for the writer already that this one would wait too long: it was
    /// not taken, and the device sends it again later.
    #[error("too many pushes are waiting to be written")]
    Overloaded,
    /// Asked of PostgreSQL what only an SQLite file can do (a snapshot into a file).
    #[error(
        "backups are taken of the SQLite file; back up PostgreSQL with its own tools (pg_dump, \
         pg_basebackup)"
    )]
    NotSqlite,
    /// The system's random source failed.
    #[error("no randomness: {0}")]
    Random(String),
    /// A stored row does not read back as a valid record.
    #[error("stored row {id} is corrupt: {reason}")]
    Corrupt {
        /// The record's id.
        id: String,
        /// Why.
        reason: String,
    },
}

/// Where the data is kept.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by its `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// The database's dialect.
    pub fn dialect(&self) -> Dialect {
        match self {
            Self::Sqlite(_) => Dialect::Sqlite,
            Self::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The URL sqlx connects to: for SQLite, built by its driver, which escapes what a path
    /// may hold and a URL may not (`#`, `?`, `%`, spaces).
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .to_url_lossy()
                .to_string(),
            Self::Postgres(url) => url.clone(),
        }
    }
}

/// A location as logs and errors may show it: a URL's password never.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => match url::Url::parse(url) {
                Ok(mut url) => {
                    if url.password().is_some() {
                        // Only a URL that cannot hold a password refuses one.
                        let _ = url.set_password(Some("***"));
                    }
                    write!(f, "{url}")
                }
                Err(_) => f.write_str("postgres://(an unreadable URL)"),
            },
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Location({self})")
    }
}

/// The connections of one database and its dialect.
#[derive(Clone, Debug)]
pub(crate) struct Pool {
    pub(crate) any: sqlx::Pool<Any>,
    pub(crate) dialect: Dialect,
}

/// A handle to the database, cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    /// The one writer of pushes, which commits those that arrive together at once.
    pushes: push_writer::PushWriter,
    /// Which history of records it holds; changed only by a restore, while no server runs.
    lineage: dvor_core::lineage::Lineage,
}

impl Db {
    /// Opens the database at `location` (an SQLite file is created if missing) and applies
    /// pending migrations. Several processes may open one PostgreSQL database at once: the
    /// migrations and the rebuild of the report's facts each take a lock while they run.
    pub async fn open(location: &Location) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let open_error = |source| DbError::Open {
            location: location.to_string(),
            source,
        };
        let dialect = location.dialect();
        let any = PoolOptions::<Any>::new()
            .max_connections(8)
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        // WAL lets readers go on while a push writes; FULL: a record the
                        // server acknowledged survives a power cut, and the device will not
                        // send it again.
                        connection
                            .execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&location.url())
            .await
            .map_err(open_error)?;
        match dialect {
            Dialect::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&any).await?,
            Dialect::Postgres => sqlx::migrate!("./migrations/postgres").run(&any).await?,
        }
        let pool = Pool { any, dialect };
        report::rebuild_facts_if_stale(&pool).await?;
        let lineage = lineage::ensure(&pool).await?;
        let pushes = push_writer::PushWriter::start(pool.clone());
        Ok(Self {
            pool,
            pushes,
            lineage,
        })
    }

    /// Whether the database answers a trivial query.
    pub async fn is_healthy(&self) -> bool {
        sqlx::query("SELECT 1")
            .execute(&self.pool.any)
            .await
            .is_ok()
    }

    /// Closes every connection, waiting for running queries.
    pub async fn close(&self) {
        self.pool.any.close().await;
    }

    /// The database's dialect.
    pub fn dialect(&self) -> Dialect {
        self.pool.dialect
    }
}

/// A transaction of the server's database.
pub(crate) type Tx = sqlx::Transaction<'static, Any>;

impl Dialect {
    /// The dialect of the database `tx` runs in.
    pub(crate) fn of(tx: &Tx) -> Self {
        if tx.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

impl Pool {
    /// A transaction that writes. It holds the write lock from its first statement, so
    /// writers take turns as a whole: a push reads the records it merges into and writes them
    /// back with no other writer between, and the sequence numbers it takes commit in the
    /// order they were taken, which is what keeps a pull's cursor exactly-once.
    ///
    /// SQLite: `BEGIN IMMEDIATE` takes the database's one write lock and waits its turn in
    /// the busy handler (a deferred transaction that read first and wrote second would instead
    /// fail at once with `database is locked` when another wrote meanwhile, and no waiting can
    /// mend that). PostgreSQL: the one row of `sync_counter`, locked until commit — across
    /// every server process on the database. Every write goes through here or through a single
    /// statement; `pool.begin()` is refused by clippy (`clippy.toml`).
    pub(crate) async fn write(&self) -> Result<Tx, DbError> {
        #[allow(clippy::disallowed_methods)]
        let mut tx = self
            .any
            .begin_with(self.dialect.pick("BEGIN IMMEDIATE", "BEGIN"))
            .await?;
        if self.dialect == Dialect::Postgres {
            sqlx::query("SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// A transaction that only reads: one consistent moment of the data, never upgraded to a
    /// write.
    pub(crate) async fn read(&self) -> Result<Tx, DbError> {
        #[allow(clippy::disallowed_methods)]
        Ok(self
            .any
            .begin_with(
                self.dialect
                    .pick("BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"),
            )
            .await?)
    }
}

impl DbError {
    /// Whether the database was too busy to answer in time (another writer held it past the
    /// busy timeout, or no connection came free) or is closing with the server: the request
    /// may be tried again, and the client is told so rather than shown a failure.
    pub fn is_busy(&self) -> bool {
        match self {
            Self::Query(sqlx::Error::PoolTimedOut) | Self::Closed | Self::Overloaded => true,
            Self::Query(sqlx::Error::Database(error)) => error.code().is_some_and(|code| {
                // PostgreSQL: a serialization failure, a deadlock, a lock not available, too
                // many connections, a database starting up.
                matches!(&*code, "40001" | "40P01" | "55P03" | "53300" | "57P03")
                    // SQLite: SQLITE_BUSY and SQLITE_LOCKED with their extended codes.
                    || code
                        .parse::<u32>()
                        .is_ok_and(|code| matches!(code & 0xFF, 5 | 6))
            }),
            _ => false,
        }
    }
}

/// An SQLite row id as the API's ids: assigned from 1, never near `u32::MAX`.
fn to_id(id: i64) -> u32 {
    u32::try_from(id).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_data_directory_whose_path_a_url_would_misread_opens() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("город #1 ?100% данных");
        std::fs::create_dir_all(&data).expect("data dir");
        let file = data.join("dvor.sqlite3");
        let db = Db::open(&Location::Sqlite(file.clone()))
            .await
            .expect("opens");
        assert!(db.is_healthy().await);
        db.close().await;
        assert!(file.exists(), "the file is where the path says");
    }
}
