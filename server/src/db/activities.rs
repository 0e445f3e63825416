//! The `activities` table.

use chrono::{SecondsFormat, Utc};
use dvor_core::activity::Activity;
use dvor_core::protocol::ActivityPage;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{Db, DbError};

/// What storing an activity did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// It is new and now stored.
    Created,
    /// The same activity was already stored (a retried send): nothing changed.
    AlreadyStored,
    /// Another activity with this id is stored; nothing changed.
    Conflict,
}

impl Db {
    /// Stores an activity once. Storing it again is harmless, so a device may retry a send
    /// whose reply it never received.
    pub async fn insert_activity(&self, activity: &Activity) -> Result<Stored, DbError> {
        let measures = serde_json::to_string(&activity.measures).map_err(|e| DbError::Corrupt {
            id: activity.id.to_string(),
            reason: e.to_string(),
        })?;
        let inserted = sqlx::query(
            "INSERT INTO activities (id, kind, date, committee, site_address, measures, received_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(activity.id.to_string())
        .bind(activity.kind.key())
        .bind(activity.date.to_string())
        .bind(activity.committee.as_str())
        .bind(activity.site_address.as_str())
        .bind(measures)
        .bind(Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true))
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(Stored::Created);
        }
        let row = sqlx::query(
            "SELECT id, kind, date, committee, site_address, measures FROM activities WHERE id = ?",
        )
        .bind(activity.id.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(if &read_activity(&row)? == activity {
            Stored::AlreadyStored
        } else {
            Stored::Conflict
        })
    }

    /// The activities stored after sequence number `after`, oldest first, at most `limit`, and
    /// how many follow them — read in one transaction, so the count matches the page.
    pub async fn activities_after(&self, after: u64, limit: u32) -> Result<ActivityPage, DbError> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(
            "SELECT seq, id, kind, date, committee, site_address, measures
             FROM activities WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        let mut cursor = after;
        for row in &rows {
            items.push(read_activity(row)?);
            cursor = row.try_get("seq")?;
        }
        let remaining: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE seq > ?")
            .bind(cursor)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let remaining = u64::try_from(remaining).unwrap_or_default();
        Ok(ActivityPage {
            items,
            cursor: u64::try_from(cursor).unwrap_or_default(),
            has_more: remaining > 0,
            remaining,
        })
    }
}

/// Reads a row back through dvor-core's types, so a row that no longer passes them is reported
/// rather than served.
fn read_activity(row: &SqliteRow) -> Result<Activity, DbError> {
    let id: String = row.try_get("id")?;
    let measures: String = row.try_get("measures")?;
    let json = serde_json::json!({
        "id": id,
        "kind": row.try_get::<String, _>("kind")?,
        "date": row.try_get::<String, _>("date")?,
        "committee": row.try_get::<String, _>("committee")?,
        "site_address": row.try_get::<String, _>("site_address")?,
        "measures": serde_json::from_str::<serde_json::Value>(&measures)
            .map_err(|e| DbError::Corrupt { id: id.clone(), reason: e.to_string() })?,
    });
    serde_json::from_value(json).map_err(|e| DbError::Corrupt {
        id,
        reason: e.to_string(),
    })
}
