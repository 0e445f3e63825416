//! Figures about the database itself, for the metrics: open sessions and its size.

use super::{Db, DbError};

impl Db {
    /// Sessions neither ended nor expired at `now_ms`.
    pub async fn open_sessions(&self, now_ms: i64) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL AND expires_at > $1",
        )
        .bind(now_ms)
        .fetch_one(&self.pool.any)
        .await?)
    }

    /// The database's size in bytes: SQLite's pages (the WAL aside), or PostgreSQL's
    /// database on disk.
    pub async fn size_bytes(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(self.dialect().pick(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            "SELECT CAST(pg_database_size(current_database()) AS BIGINT)",
        ))
        .fetch_one(&self.pool.any)
        .await?)
    }
}
