//! The audit log's table: entries written as acts succeed, read newest first within what the
//! reader may see, and the oldest removed once past the kept time.

use std::net::IpAddr;

use dvor_core::access::{Action, DistrictId, Place};
use dvor_core::account::{Me, UserId};
use dvor_core::audit::{AuditAct, AuditEntry, AuditKind, AuditPage};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::records::allowed_to;
use super::{Db, DbError, Sql, to_id};

/// An act to note: who did it, from where, and where it lies (`None`: the whole city's).
#[derive(Clone, Debug)]
pub struct Noted {
    /// The person; `None` for the server's own jobs and for someone not signed in.
    pub actor: Option<UserId>,
    /// Where the request came from.
    pub address: Option<IpAddr>,
    /// The place the act touched.
    pub place: Option<Place>,
    /// What was done.
    pub act: AuditAct,
}

impl Db {
    /// Appends `noted` to the log, stamped `at_ms`.
    pub async fn note(&self, noted: &Noted, at_ms: i64) -> Result<(), DbError> {
        let act = act_text(&noted.act)?;
        let place = noted.place.as_ref();
        sqlx::query(
            "INSERT INTO audit_log (at_ms, actor_id, address, kind, act, district_id, \
             committee_id, centre_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(at_ms)
        .bind(noted.actor.map(|id| i64::from(id.0)))
        .bind(noted.address.map(|address| address.to_string()))
        .bind(noted.act.kind().key())
        .bind(act)
        .bind(place.map(|p| i64::from(p.district.0)))
        .bind(place.and_then(|p| p.committee).map(|id| i64::from(id.0)))
        .bind(place.and_then(|p| p.centre).map(|id| i64::from(id.0)))
        .execute(&self.pool.any)
        .await?;
        Ok(())
    }

    /// Notes that attempts from `address` were braked, at most once a minute for an address:
    /// a guessing run is one entry a minute, not one per guess.
    pub async fn note_braked(&self, address: IpAddr, at_ms: i64) -> Result<(), DbError> {
        let act = AuditAct::AttemptsBraked;
        let kind = act.kind().key();
        sqlx::query(
            "INSERT INTO audit_log (at_ms, address, kind, act) SELECT $1, $2, $3, $4 \
             WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE kind = $3 AND address = $2 \
             AND at_ms > $5)",
        )
        .bind(at_ms)
        .bind(address.to_string())
        .bind(kind)
        .bind(act_text(&act)?)
        .bind(at_ms - 60_000)
        .execute(&self.pool.any)
        .await?;
        Ok(())
    }

    /// Up to `limit` entries `person` may read, of `kind` if given, older than the entry
    /// `before` if given, newest first.
    pub async fn audit(
        &self,
        person: &Me,
        kind: Option<AuditKind>,
        before: Option<u64>,
        limit: u32,
    ) -> Result<AuditPage, DbError> {
        let mut query = Sql::new(SELECT);
        allowed_to(&mut query, person, Action::ReadAudit);
        if let Some(kind) = kind {
            query.push(" AND kind = ").bind(kind.key());
        }
        if let Some(before) = before {
            query
                .push(" AND audit_log.id < ")
                .bind(i64::try_from(before).unwrap_or(i64::MAX));
        }
        query
            .push(" ORDER BY audit_log.id DESC LIMIT ")
            .bind(i64::from(limit) + 1);
        let rows = query.query()?.fetch_all(&self.pool.any).await?;
        let entries = entries_of(
            rows.iter()
                .take(usize::try_from(limit).unwrap_or(usize::MAX)),
        )?;
        let next = (rows.len() > entries.len())
            .then(|| entries.last().map(|entry| entry.id))
            .flatten();
        Ok(AuditPage { entries, next })
    }

    /// What the log notes `person` did, newest first.
    pub async fn acts_of(&self, person: UserId) -> Result<Vec<AuditEntry>, DbError> {
        let mut query = Sql::new(SELECT);
        query
            .push(" AND actor_id = ")
            .bind(i64::from(person.0))
            .push(" ORDER BY audit_log.id DESC");
        entries_of(query.query()?.fetch_all(&self.pool.any).await?.iter())
    }

    /// Removes the entries made before `before_ms`; how many.
    pub async fn prune_audit(&self, before_ms: i64) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM audit_log WHERE at_ms < $1")
            .bind(before_ms)
            .execute(&self.pool.any)
            .await?;
        Ok(done.rows_affected())
    }
}

fn act_text(act: &AuditAct) -> Result<String, DbError> {
    serde_json::to_string(act).map_err(|error| DbError::Corrupt {
        id: "audit entry".to_owned(),
        reason: error.to_string(),
    })
}

/// The entries' columns, the actor's name beside them (gone once their account is erased),
/// followed by conditions.
const SELECT: &str = "SELECT audit_log.id, at_ms, actor_id, \
     CASE WHEN users.erased_at_ms IS NULL THEN users.name END AS actor_name, address, act, \
     district_id FROM audit_log LEFT JOIN users ON users.id = actor_id WHERE 1 = 1";

fn entries_of<'r>(rows: impl Iterator<Item = &'r AnyRow>) -> Result<Vec<AuditEntry>, DbError> {
    rows.map(|row| {
        let id: i64 = row.try_get("id")?;
        let act = row.try_get::<String, _>("act")?;
        Ok(AuditEntry {
            id: u64::try_from(id).unwrap_or_default(),
            at_ms: row.try_get("at_ms")?,
            actor: row
                .try_get::<Option<i64>, _>("actor_id")?
                .map(|id| UserId(to_id(id))),
            actor_name: row.try_get("actor_name")?,
            address: row.try_get("address")?,
            district: row
                .try_get::<Option<i64>, _>("district_id")?
                .map(|id| DistrictId(to_id(id))),
            act: serde_json::from_str(&act).map_err(|error| DbError::Corrupt {
                id: format!("audit entry {id}"),
                reason: error.to_string(),
            })?,
        })
    })
    .collect()
}
