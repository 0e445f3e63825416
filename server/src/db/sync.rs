//! The synced records: push applies mutations at most once, pull pages through changes by the
//! server's sequence.

use chrono::{DateTime, SecondsFormat, Utc};
use dvor_core::date::Date;
use dvor_core::error::{ErrorCode, ValidationErrors};
use dvor_core::i18n::{Lang, strings};
use dvor_core::protocol::{Mutation, MutationResult, Outcome, PullPage};
use dvor_core::record::Envelope;
use sqlx::{Row, Sqlite, Transaction};

use super::{Db, DbError};

type Tx = Transaction<'static, Sqlite>;

impl Db {
    /// Applies `mutations` in order, in one transaction, and returns what became of each. A
    /// mutation seen before gets its first answer again and changes nothing; one that fails the
    /// rules is refused, remembered as refused, and does not stop the ones after it.
    pub async fn push(
        &self,
        mutations: &[Mutation],
        now: DateTime<Utc>,
    ) -> Result<Vec<MutationResult>, DbError> {
        // IMMEDIATE takes the write lock up front: a transaction that read and then tried to
        // write could otherwise fail against a concurrent writer instead of waiting for it.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut results = Vec::with_capacity(mutations.len());
        for mutation in mutations {
            let outcome = match earlier_outcome(&mut tx, mutation).await? {
                Some(outcome) => outcome,
                None => {
                    let outcome = apply(&mut tx, &mutation.change, now).await?;
                    remember(&mut tx, mutation, &outcome, now).await?;
                    outcome
                }
            };
            results.push(MutationResult {
                mutation_id: mutation.mutation_id,
                outcome,
            });
        }
        tx.commit().await?;
        Ok(results)
    }

    /// The records changed after sequence number `after`, in the order of their last change,
    /// at most `limit`, and how many follow them — read in one transaction, so the count
    /// matches the page.
    pub async fn pull(
        &self,
        after: u64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<PullPage, DbError> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let mut tx = self.pool.begin().await?;
        let rows =
            sqlx::query("SELECT seq, id, state FROM records WHERE seq > ? ORDER BY seq LIMIT ?")
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await?;
        let mut changes = Vec::with_capacity(rows.len());
        let mut cursor = after;
        for row in &rows {
            changes.push(read_state(
                row.try_get("id")?,
                &row.try_get::<String, _>("state")?,
            )?);
            cursor = row.try_get("seq")?;
        }
        let remaining: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE seq > ?")
            .bind(cursor)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let remaining = u64::try_from(remaining).unwrap_or_default();
        Ok(PullPage {
            changes,
            cursor: u64::try_from(cursor).unwrap_or_default(),
            has_more: remaining > 0,
            remaining,
            server_time_ms: millis(now),
        })
    }
}

/// Milliseconds since the Unix epoch.
pub fn millis(time: DateTime<Utc>) -> u64 {
    u64::try_from(time.timestamp_millis()).unwrap_or_default()
}

async fn earlier_outcome(tx: &mut Tx, mutation: &Mutation) -> Result<Option<Outcome>, DbError> {
    let id = mutation.mutation_id.to_string();
    let stored: Option<String> =
        sqlx::query_scalar("SELECT outcome FROM mutations WHERE mutation_id = ?")
            .bind(&id)
            .fetch_optional(&mut **tx)
            .await?;
    stored.map(|text| parse(id, &text)).transpose()
}

/// Merges one change into its record if the result passes the rules of its kind.
async fn apply(tx: &mut Tx, change: &Envelope, now: DateTime<Utc>) -> Result<Outcome, DbError> {
    if change.hlc().is_ahead_of(millis(now)) {
        return Ok(rejected(ErrorCode::ClockAhead, None, None));
    }
    let id = change.id.to_string();
    let stored: Option<String> = sqlx::query_scalar("SELECT state FROM records WHERE id = ?")
        .bind(&id)
        .fetch_optional(&mut **tx)
        .await?;
    let current = stored
        .map(|state| read_state(id.clone(), &state))
        .transpose()?;
    let base = current.clone().unwrap_or_else(|| change.empty_like());
    let Ok(merged) = base.merged(change) else {
        return Ok(rejected(ErrorCode::IdConflict, None, Some("id".to_owned())));
    };
    if let Err(errors) = merged.check(Date::from(now.date_naive())) {
        return Ok(refused(&errors));
    }
    if current.as_ref() == Some(&merged) {
        return Ok(Outcome::Applied);
    }
    let seq: i64 = sqlx::query_scalar("UPDATE sync_counter SET seq = seq + 1 RETURNING seq")
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO records (id, kind, author, seq, hlc, deleted, state, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
             seq = excluded.seq, hlc = excluded.hlc, deleted = excluded.deleted,
             state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(&id)
    .bind(merged.kind.key())
    .bind(merged.author.as_str())
    .bind(seq)
    .bind(merged.hlc().to_string())
    .bind(merged.is_deleted())
    .bind(to_json(&id, &merged)?)
    .bind(timestamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(Outcome::Applied)
}

async fn remember(
    tx: &mut Tx,
    mutation: &Mutation,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let id = mutation.mutation_id.to_string();
    sqlx::query(
        "INSERT INTO mutations (mutation_id, record_id, outcome, received_at) VALUES (?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(mutation.change.id.to_string())
    .bind(to_json(&id, outcome)?)
    .bind(timestamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn refused(errors: &ValidationErrors) -> Outcome {
    let first = errors.first();
    rejected(first.code, first.limit, Some(first.field.to_string()))
}

fn rejected(code: ErrorCode, limit: Option<i64>, field: Option<String>) -> Outcome {
    Outcome::Rejected {
        code,
        message: (strings(Lang::Ru).error)(code, limit),
        field,
    }
}

fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn to_json<T: serde::Serialize>(id: &str, value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|e| DbError::Corrupt {
        id: id.to_owned(),
        reason: e.to_string(),
    })
}

fn parse<T: serde::de::DeserializeOwned>(id: String, text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt {
        id,
        reason: e.to_string(),
    })
}

/// Reads a stored envelope back, so a row that no longer parses is reported rather than served.
fn read_state(id: String, state: &str) -> Result<Envelope, DbError> {
    parse(id, state)
}
