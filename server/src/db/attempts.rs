//! The counts of the brake on guessing (`auth/throttle.rs` decides; this keeps): one row per
//! attempt and key it counts against, pending while the attempt is checked and a failure after.
//! In the database, not in one process's memory, so that every server process on it brakes the
//! same guessing; each attempt begins in a writing transaction, so attempts arriving together
//! at several processes are counted one after another, never past a limit together.

use sqlx::Row;

use super::{Db, DbError, Sql};

/// What one key has against it at a moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyCounts {
    /// When its failures within the window were, in ms since the epoch, oldest first.
    pub failures: Vec<i64>,
    /// Attempts under way.
    pub pending: usize,
}

/// How an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// It counts as a failure at the time it began.
    Failed,
    /// It leaves no trace.
    NotChecked,
    /// It leaves, and so do the failures of the keys named.
    Succeeded,
}

/// How long a key's failures count, and when a pending attempt whose process never settled it
/// (it stopped half way) counts as failed.
#[derive(Clone, Copy, Debug)]
pub struct Windows {
    /// The failures' window, in ms.
    pub window_ms: i64,
    /// The age past which a pending attempt counts as failed, in ms.
    pub stale_ms: i64,
}

impl Db {
    /// In one writing transaction: the counts of `keys` at `now_ms`, which `decide` reads;
    /// when it lets the attempt go (`true` beside its answer), the attempt `attempt` is counted
    /// pending against each key.
    pub async fn begin_attempt<T>(
        &self,
        attempt: &str,
        keys: &[String],
        now_ms: i64,
        windows: Windows,
        decide: impl FnOnce(&[KeyCounts]) -> (T, bool),
    ) -> Result<T, DbError> {
        let mut tx = self.pool.write().await?;
        let mut forget = Sql::new("DELETE FROM sign_in_attempts WHERE at_ms <= ");
        forget
            .bind(now_ms - windows.window_ms)
            .push(" AND key_hash IN (")
            .list(keys)
            .push(")");
        forget.query()?.execute(&mut *tx).await?;
        let mut select =
            Sql::new("SELECT key_hash, at_ms, pending FROM sign_in_attempts WHERE key_hash IN (");
        select.list(keys).push(") ORDER BY at_ms");
        let mut counts = vec![KeyCounts::default(); keys.len()];
        for row in select.query()?.fetch_all(&mut *tx).await? {
            let key: String = row.try_get("key_hash")?;
            let at_ms: i64 = row.try_get("at_ms")?;
            let pending: i64 = row.try_get("pending")?;
            let Some(i) = keys.iter().position(|k| *k == key) else {
                continue;
            };
            if pending != 0 && at_ms > now_ms - windows.stale_ms {
                counts[i].pending += 1;
            } else {
                counts[i].failures.push(at_ms);
            }
        }
        let (answer, go) = decide(&counts);
        if go {
            let mut insert =
                Sql::new("INSERT INTO sign_in_attempts (key_hash, attempt, at_ms, pending) ");
            insert.values(keys, |row, key| {
                row.bind(key.as_str())
                    .bind(attempt)
                    .bind(now_ms)
                    .bind(1_i64);
            });
            insert.query()?.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(answer)
    }

    /// Settles the pending attempt `attempt`; a success also forgets the failures of `clear`.
    pub async fn settle_attempt(
        &self,
        attempt: &str,
        settled: Settled,
        clear: &[String],
    ) -> Result<(), DbError> {
        match settled {
            Settled::Failed => {
                sqlx::query("UPDATE sign_in_attempts SET pending = 0 WHERE attempt = $1")
                    .bind(attempt)
                    .execute(&self.pool.any)
                    .await?;
            }
            Settled::NotChecked => {
                sqlx::query("DELETE FROM sign_in_attempts WHERE attempt = $1")
                    .bind(attempt)
                    .execute(&self.pool.any)
                    .await?;
            }
            Settled::Succeeded => {
                let mut delete = Sql::new("DELETE FROM sign_in_attempts WHERE attempt = ");
                delete
                    .bind(attempt)
                    .push(" OR (pending = 0 AND key_hash IN (")
                    .list(clear)
                    .push("))");
                delete.query()?.execute(&self.pool.any).await?;
            }
        }
        Ok(())
    }

    /// Forgets every attempt made at or before `before_ms`: none of them counts any more.
    pub async fn forget_attempts(&self, before_ms: i64) -> Result<u64, DbError> {
        Ok(
            sqlx::query("DELETE FROM sign_in_attempts WHERE at_ms <= $1")
                .bind(before_ms)
                .execute(&self.pool.any)
                .await?
                .rows_affected(),
        )
    }
}
