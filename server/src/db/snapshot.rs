//! A consistent copy of the SQLite file taken while the server runs: `VACUUM INTO` reads one
//! moment of the database, as any reader does, so pushes go on meanwhile.

use std::path::Path;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};

use super::{Db, DbError, Dialect};

impl Db {
    /// Writes the database as it is now into the new file `to`, a file complete in itself
    /// (no write-ahead log beside it). SQLite only: PostgreSQL is copied by its own tools.
    pub async fn snapshot_into(&self, to: &Path) -> Result<(), DbError> {
        if self.dialect() != Dialect::Sqlite {
            return Err(DbError::NotSqlite);
        }
        sqlx::query("VACUUM INTO $1")
            .bind(to.display().to_string())
            .execute(&self.pool.any)
            .await?;
        let copy = SqliteConnectOptions::new()
            .filename(to)
            .journal_mode(SqliteJournalMode::Delete)
            .connect()
            .await?;
        copy.close().await?;
        Ok(())
    }
}
