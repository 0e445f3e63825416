//! The report's SQL: the facts of every live activity kept beside its record, and the tally
//! of a period and scope grouped in SQL (`dvor_core::report::tally::TallyRow`).

use std::collections::{BTreeMap, HashMap};

use dvor_core::access::{CentreId, CommitteeId, DistrictId, Owner, Place};
use dvor_core::account::Me;
use dvor_core::activity::Activity;
use dvor_core::date::Date;
use dvor_core::id::RecordId;
use dvor_core::measure::Measure;
use dvor_core::record::{Envelope, RecordKind};
use dvor_core::report::tally::{Group, TallyRow};
use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::sync::{Tx, read_state, readable_by};
use super::{Db, DbError, to_id};

/// The definition of the `activity_facts` rows this server writes. Change it whenever what a
/// row holds changes: every server then rebuilds the table from its records at start-up.
const FACTS_VERSION: i64 = 1;

/// Rows written by one statement, well within SQLite's limit of bound values.
const BATCH: usize = 500;

/// What a report is asked for: a period, and within the person's scope a district or a
/// committee or centre.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TallyQuery {
    /// The first day.
    pub from: Date,
    /// The last day.
    pub to: Date,
    /// Only this district.
    pub district: Option<DistrictId>,
    /// Only this committee or centre.
    pub owner: Option<Owner>,
}

impl Db {
    /// The activities `person` may read held in the query's period and place, grouped by
    /// kind, variant, youth flag, committee or centre and month.
    pub async fn tally(&self, person: &Me, query: TallyQuery) -> Result<Vec<TallyRow>, DbError> {
        let mut sql = QueryBuilder::<Sqlite>::new(
            "SELECT kind, variant, youth, committee_id, centre_id, district_id, \
             substr(date, 1, 7) AS month, COUNT(*) AS records",
        );
        for measure in Measure::all() {
            // Column names are the measures' fixed keys, never input.
            sql.push(format!(", SUM({0}) AS {0}", measure.key()));
        }
        sql.push(" FROM activity_facts WHERE date >= ")
            .push_bind(query.from.to_string())
            .push(" AND date <= ")
            .push_bind(query.to.to_string());
        if let Some(district) = query.district {
            sql.push(" AND district_id = ")
                .push_bind(i64::from(district.0));
        }
        match query.owner {
            Some(Owner::Committee(id)) => {
                sql.push(" AND committee_id = ").push_bind(i64::from(id.0));
            }
            Some(Owner::Centre(id)) => {
                sql.push(" AND centre_id = ").push_bind(i64::from(id.0));
            }
            None => {}
        }
        readable_by(&mut sql, person);
        sql.push(
            " GROUP BY kind, variant, youth, committee_id, centre_id, district_id, month \
             ORDER BY month, kind",
        );
        let rows = sql.build().fetch_all(&self.pool).await?;
        rows.iter().map(tally_row).collect()
    }
}

fn tally_row(row: &sqlx::sqlite::SqliteRow) -> Result<TallyRow, DbError> {
    let corrupt = |reason: String| DbError::Corrupt {
        id: "activity_facts".to_owned(),
        reason,
    };
    let kind: String = row.try_get("kind")?;
    let month: String = row.try_get("month")?;
    let owner = match (
        row.try_get::<Option<i64>, _>("committee_id")?,
        row.try_get::<Option<i64>, _>("centre_id")?,
    ) {
        (Some(id), None) => Owner::Committee(CommitteeId(to_id(id))),
        (None, Some(id)) => Owner::Centre(CentreId(to_id(id))),
        _ => return Err(corrupt("a row with no single owner".to_owned())),
    };
    let mut sums = BTreeMap::new();
    for measure in Measure::all() {
        let sum: i64 = row.try_get(measure.key())?;
        if sum > 0 {
            sums.insert(measure, u64::try_from(sum).unwrap_or_default());
        }
    }
    Ok(TallyRow {
        group: Group {
            kind: kind.parse().map_err(|()| corrupt(format!("kind {kind}")))?,
            variant: row.try_get("variant")?,
            youth: row.try_get("youth")?,
            owner,
            district: DistrictId(to_id(row.try_get("district_id")?)),
            month: month.parse().map_err(corrupt)?,
        },
        records: u64::try_from(row.try_get::<i64, _>("records")?).unwrap_or_default(),
        sums,
    })
}

/// Keeps the facts of the `changed` records that are activities: a live one's row written
/// anew, a deleted one's removed.
pub(super) async fn store_facts(
    tx: &mut Tx,
    records: &HashMap<RecordId, Envelope>,
    places: &HashMap<Owner, Place>,
    changed: &[RecordId],
) -> Result<(), DbError> {
    let activities: Vec<(RecordId, &Envelope)> = changed
        .iter()
        .filter_map(|id| Some((*id, records.get(id)?)))
        .filter(|(_, record)| record.kind == RecordKind::Activity)
        .collect();
    for batch in activities.chunks(BATCH) {
        let mut delete = QueryBuilder::<Sqlite>::new("DELETE FROM activity_facts WHERE id IN (");
        let mut ids = delete.separated(", ");
        for (id, _) in batch {
            ids.push_bind(id.to_string());
        }
        delete.push(")");
        delete.build().execute(&mut **tx).await?;
        let live: Vec<(String, Activity, Place)> = batch
            .iter()
            .filter(|(_, record)| !record.is_deleted())
            .filter_map(|(id, record)| {
                let activity = Activity::from_stored(record)?;
                let place = *places.get(&activity.owner)?;
                Some((id.to_string(), activity, place))
            })
            .collect();
        insert_facts(tx, live).await?;
    }
    Ok(())
}

async fn insert_facts(tx: &mut Tx, rows: Vec<(String, Activity, Place)>) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = QueryBuilder::<Sqlite>::new(
        "INSERT INTO activity_facts (id, kind, variant, youth, committee_id, centre_id, \
         district_id, date",
    );
    for measure in Measure::all() {
        insert.push(", ").push(measure.key());
    }
    insert.push(") ");
    insert.push_values(rows, |mut row, (id, activity, place)| {
        row.push_bind(id)
            .push_bind(activity.kind.key())
            .push_bind(activity.variant.clone())
            .push_bind(activity.youth)
            .push_bind(place.committee.map(|c| i64::from(c.0)))
            .push_bind(place.centre.map(|c| i64::from(c.0)))
            .push_bind(i64::from(place.district.0))
            .push_bind(activity.date.to_string());
        for measure in Measure::all() {
            row.push_bind(
                activity
                    .measures
                    .get(&measure)
                    .map_or(0, |c| i64::from(c.get())),
            );
        }
    });
    insert.build().execute(&mut **tx).await?;
    Ok(())
}

/// Rebuilds the facts from the records when the table holds another definition's rows (or
/// none yet, after the migration that made it).
pub(super) async fn rebuild_facts_if_stale(pool: &SqlitePool) -> Result<(), DbError> {
    let version: i64 = sqlx::query_scalar("SELECT version FROM facts_version WHERE id = 1")
        .fetch_one(pool)
        .await?;
    if version == FACTS_VERSION {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM activity_facts")
        .execute(&mut *tx)
        .await?;
    let mut after = String::new();
    loop {
        let page = sqlx::query(
            "SELECT id, committee_id, centre_id, district_id, state FROM records \
             WHERE kind = 'activity' AND deleted = 0 AND id > ? ORDER BY id LIMIT ?",
        )
        .bind(&after)
        .bind(BATCH as i64)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = page.last() else { break };
        after = last.try_get("id")?;
        let mut rows = Vec::with_capacity(page.len());
        for row in &page {
            let id: String = row.try_get("id")?;
            let record = read_state(id.clone(), &row.try_get::<String, _>("state")?)?;
            let place = Place {
                district: DistrictId(to_id(row.try_get("district_id")?)),
                committee: row
                    .try_get::<Option<i64>, _>("committee_id")?
                    .map(|c| CommitteeId(to_id(c))),
                centre: row
                    .try_get::<Option<i64>, _>("centre_id")?
                    .map(|c| CentreId(to_id(c))),
            };
            if let Some(activity) = Activity::from_stored(&record) {
                rows.push((id, activity, place));
            }
        }
        insert_facts(&mut tx, rows).await?;
    }
    sqlx::query("UPDATE facts_version SET version = ? WHERE id = 1")
        .bind(FACTS_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!("report facts rebuilt from the records");
    Ok(())
}
