//! A person's own data (152-ФЗ): the agreement they gave at joining, what the server holds
//! about them, their request to be erased, and the erasure an admin carries out.

use dvor_core::account::{ErasureRequest, UserId};
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use sqlx::Row;

use super::records::read_state;
use super::sync::hide_borrower;
use super::{Db, DbError, to_id};

/// When a person agreed to the notice and when they asked to be erased.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Consent {
    /// When they agreed at joining.
    pub consented_at_ms: Option<i64>,
    /// When they asked for their account's erasure.
    pub erasure_requested_at_ms: Option<i64>,
}

impl Db {
    /// Records that `person` agreed to the notice at `at_ms`.
    pub async fn record_consent(&self, person: UserId, at_ms: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET consented_at_ms = $1 WHERE id = $2")
            .bind(at_ms)
            .bind(i64::from(person.0))
            .execute(&self.pool.any)
            .await?;
        Ok(())
    }

    /// What `person` agreed to and asked for.
    pub async fn consent(&self, person: UserId) -> Result<Consent, DbError> {
        let row =
            sqlx::query("SELECT consented_at_ms, erasure_requested_at_ms FROM users WHERE id = $1")
                .bind(i64::from(person.0))
                .fetch_optional(&self.pool.any)
                .await?;
        row.map_or(Ok(Consent::default()), |row| {
            Ok(Consent {
                consented_at_ms: row.try_get("consented_at_ms")?,
                erasure_requested_at_ms: row.try_get("erasure_requested_at_ms")?,
            })
        })
    }

    /// The records `person` made, in the order of their last change, loans without their
    /// borrowers (the borrowers' data, not the person's).
    pub async fn records_by(&self, person: UserId) -> Result<Vec<Envelope>, DbError> {
        let rows = sqlx::query("SELECT id, state FROM records WHERE author = $1 ORDER BY seq")
            .bind(AuthorId::user(person).as_str().to_owned())
            .fetch_all(&self.pool.any)
            .await?;
        rows.iter()
            .map(|row| {
                let mut record =
                    read_state(row.try_get("id")?, &row.try_get::<String, _>("state")?)?;
                if record.kind == RecordKind::Loan {
                    hide_borrower(&mut record);
                }
                Ok(record)
            })
            .collect()
    }

    /// Notes that `person` asked at `at_ms` for their account's erasure; a second request
    /// keeps the first one's time.
    pub async fn request_erasure(&self, person: UserId, at_ms: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE users SET erasure_requested_at_ms = COALESCE(erasure_requested_at_ms, $1) \
             WHERE id = $2",
        )
        .bind(at_ms)
        .bind(i64::from(person.0))
        .execute(&self.pool.any)
        .await?;
        Ok(())
    }

    /// The people who asked to be erased and are not yet, oldest request first.
    pub async fn erasure_requests(&self) -> Result<Vec<ErasureRequest>, DbError> {
        let rows = sqlx::query(
            "SELECT id, name, login, erasure_requested_at_ms FROM users \
             WHERE erasure_requested_at_ms IS NOT NULL AND erased_at_ms IS NULL \
             ORDER BY erasure_requested_at_ms, id",
        )
        .fetch_all(&self.pool.any)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ErasureRequest {
                    id: UserId(to_id(row.try_get("id")?)),
                    name: row.try_get("name")?,
                    login: row.try_get("login")?,
                    requested_at_ms: row.try_get("erasure_requested_at_ms")?,
                })
            })
            .collect()
    }

    /// Erases the account of `person`, who asked for it, in one transaction: their name and
    /// login go (the login becomes `erased-<id>`, which no sign-in can type), the password
    /// becomes `unusable_hash`, and their roles, sessions, known devices and reset code are
    /// removed. The row stays, so their records keep their author id and every count and
    /// place stays as it was. `false` when they did not ask or are erased already.
    pub async fn erase_account(
        &self,
        person: UserId,
        unusable_hash: &str,
        at_ms: i64,
    ) -> Result<bool, DbError> {
        let id = i64::from(person.0);
        let mut tx = self.pool.write().await?;
        let erased = sqlx::query(
            "UPDATE users SET name = '', login = $1, password_hash = $2, erased_at_ms = $3 \
             WHERE id = $4 AND erasure_requested_at_ms IS NOT NULL AND erased_at_ms IS NULL",
        )
        .bind(format!("erased-{id}"))
        .bind(unusable_hash)
        .bind(at_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !erased {
            return Ok(false);
        }
        for table in [
            "user_grants",
            "sessions",
            "known_devices",
            "password_resets",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE user_id = $1"
            )))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
