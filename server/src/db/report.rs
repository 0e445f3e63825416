//! The report's SQL: the facts of every live activity kept beside its record, the same facts
//! grouped by month as they change, and the tally of a period and scope read from both
//! (`dvor_core::report::tally::TallyRow`).

use std::collections::{BTreeMap, HashMap};

use dvor_core::access::{Action, CentreId, CommitteeId, DistrictId, Owner, Place};
use dvor_core::account::Me;
use dvor_core::activity::Activity;
use dvor_core::date::Date;
use dvor_core::date::period_ids;
use dvor_core::id::RecordId;
use dvor_core::measure::Measure;
use dvor_core::record::{Envelope, RecordKind};
use dvor_core::report::tally::{Group, LoanRow, Month, PeriodParts, TallyRow, loan_tally};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::records::{allowed_to, place_of_row, read_state};
use super::{Db, DbError, to_id};
use super::{Pool, Sql, Tuple, Tx};

/// The definition of the `activity_facts` rows this server writes. Change it whenever what a
/// row holds changes: every server then rebuilds the table from its records at start-up.
const FACTS_VERSION: i64 = 2;

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

/// The columns a report groups by, as both tables name them.
const GROUP: &str = "month, kind, variant, youth, committee_id, centre_id, district_id";

/// `, SUM(m) AS m` for every measure, each sum multiplied by `sign`. Column names are the
/// measures' fixed keys, never input. PostgreSQL sums integers as NUMERIC: the cast keeps
/// them integers in both databases.
fn sums(sign: i64) -> String {
    Measure::all()
        .map(|m| format!(", CAST({sign} * SUM({0}) AS BIGINT) AS {0}", m.key()))
        .collect()
}

impl Db {
    /// The activities held in the query's period and place that `person` may do `action`
    /// with (read them, or export them), grouped by kind, variant, youth flag, committee or
    /// centre and month: whole months from the monthly tally, the days around them from the
    /// facts.
    pub async fn tally(
        &self,
        person: &Me,
        action: Action,
        query: TallyQuery,
    ) -> Result<Vec<TallyRow>, DbError> {
        let parts = PeriodParts::of(query.from, query.to);
        let mut rows = Vec::new();
        if let Some((first, last)) = parts.months {
            let mut sql = Sql::new(format!("SELECT {GROUP}, records"));
            for measure in Measure::all() {
                sql.push(", ").push(measure.key());
            }
            sql.push(" FROM month_tally WHERE month >= ")
                .bind(first.to_string())
                .push(" AND month <= ")
                .bind(last.to_string());
            narrow(&mut sql, person, action, query);
            rows.extend(sql.query()?.fetch_all(&self.pool.any).await?);
        }
        if !parts.days.is_empty() {
            let mut sql = Sql::new(format!("SELECT {GROUP}, COUNT(*) AS records{}", sums(1)));
            sql.push(" FROM activity_facts WHERE ")
                .any_of(&parts.days, |sql, (from, to)| {
                    sql.push("(date >= ")
                        .bind(from.to_string())
                        .push(" AND date <= ")
                        .bind(to.to_string())
                        .push(")");
                });
            narrow(&mut sql, person, action, query);
            sql.push(format!(" GROUP BY {GROUP}"));
            rows.extend(sql.query()?.fetch_all(&self.pool.any).await?);
        }
        let mut tally = rows.iter().map(tally_row).collect::<Result<Vec<_>, _>>()?;
        tally.sort_by(|a, b| a.group.cmp(&b.group));
        Ok(tally)
    }
}

impl Db {
    /// The loans of the rental desks made in the query's period and place where `person` may
    /// do `action`, by desk and month. A loan's id says when it was made, so the period is a
    /// range of ids and nothing of the loan but its place is read.
    pub async fn loan_tally(
        &self,
        person: &Me,
        action: Action,
        query: TallyQuery,
    ) -> Result<Vec<LoanRow>, DbError> {
        let mut sql = Sql::new(
            "SELECT id, committee_id, centre_id, district_id FROM records \
             WHERE kind = 'loan' AND deleted = 0",
        );
        made_within(&mut sql, query);
        narrow(&mut sql, person, action, query);
        let mut loans = Vec::new();
        for row in sql.query()?.fetch_all(&self.pool.any).await? {
            let id: String = row.try_get("id")?;
            let place = place_of_row(&row)?;
            let (Ok(record), Some(owner)) = (id.parse::<RecordId>(), place.owner()) else {
                return Err(DbError::Corrupt {
                    id,
                    reason: "a loan without its id or place".to_owned(),
                });
            };
            loans.push((record, owner, place.district));
        }
        Ok(loan_tally(loans, query.from, query.to))
    }
}

/// Narrows a `WHERE` to the records made in Kemerovo within the query's period: their ids
/// (UUIDv7) begin with the time they were made.
pub(super) fn made_within(sql: &mut Sql, query: TallyQuery) {
    let (first, after) = period_ids(query.from, query.to);
    sql.push(" AND id >= ")
        .bind(first.to_string())
        .push(" AND id < ")
        .bind(after.to_string());
}

/// Narrows a `WHERE` to the query's district, committee or centre, within where `person` may
/// do `action`.
pub(super) fn narrow(sql: &mut Sql, person: &Me, action: Action, query: TallyQuery) {
    if let Some(district) = query.district {
        sql.push(" AND district_id = ").bind(i64::from(district.0));
    }
    match query.owner {
        Some(Owner::Committee(id)) => {
            sql.push(" AND committee_id = ").bind(i64::from(id.0));
        }
        Some(Owner::Centre(id)) => {
            sql.push(" AND centre_id = ").bind(i64::from(id.0));
        }
        None => {}
    }
    allowed_to(sql, person, action);
}

fn tally_row(row: &AnyRow) -> Result<TallyRow, DbError> {
    let corrupt = |reason: String| DbError::Corrupt {
        id: "activity_facts".to_owned(),
        reason,
    };
    let kind: String = row.try_get("kind")?;
    let month: String = row.try_get("month")?;
    let variant: String = row.try_get("variant")?;
    // The tables write 0 for "no committee" or "no centre".
    let owner = match (
        row.try_get::<i64, _>("committee_id")?,
        row.try_get::<i64, _>("centre_id")?,
    ) {
        (id, 0) if id > 0 => Owner::Committee(CommitteeId(to_id(id))),
        (0, id) if id > 0 => Owner::Centre(CentreId(to_id(id))),
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
            variant: (!variant.is_empty()).then_some(variant),
            youth: row.try_get::<i64, _>("youth")? != 0,
            owner,
            district: DistrictId(to_id(row.try_get("district_id")?)),
            month: month.parse().map_err(corrupt)?,
        },
        records: u64::try_from(row.try_get::<i64, _>("records")?).unwrap_or_default(),
        sums,
    })
}

/// Keeps the facts of the `changed` records that are activities — a live one's row written
/// anew, a deleted one's removed — and the monthly tally with them.
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
    if activities.is_empty() {
        return Ok(());
    }
    for batch in activities.chunks(BATCH) {
        let ids: Vec<String> = batch.iter().map(|(id, _)| id.to_string()).collect();
        adjust_tally(tx, &ids, -1).await?;
        let mut delete = Sql::new("DELETE FROM activity_facts WHERE id IN (");
        delete.list(&ids).push(")");
        delete.query()?.execute(&mut **tx).await?;
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
        adjust_tally(tx, &ids, 1).await?;
    }
    sqlx::query("DELETE FROM month_tally WHERE records = 0")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds (`sign` 1) or takes away (`sign` −1) the facts of activities `ids` to or from the
/// monthly tally.
async fn adjust_tally(tx: &mut Tx, ids: &[String], sign: i64) -> Result<(), DbError> {
    let columns: String = Measure::all().map(|m| format!(", {}", m.key())).collect();
    let updates: String = Measure::all()
        .map(|m| format!(", {0} = month_tally.{0} + excluded.{0}", m.key()))
        .collect();
    let mut sql = Sql::new(format!(
        "INSERT INTO month_tally ({GROUP}, records{columns}) \
         SELECT {GROUP}, {sign} * COUNT(*){} FROM activity_facts WHERE id IN (",
        sums(sign)
    ));
    sql.list(ids);
    sql.push(format!(
        ") GROUP BY {GROUP} ON CONFLICT ({GROUP}) DO UPDATE SET \
         records = month_tally.records + excluded.records{updates}"
    ));
    sql.query()?.execute(&mut **tx).await?;
    Ok(())
}

async fn insert_facts(tx: &mut Tx, rows: Vec<(String, Activity, Place)>) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut head = "INSERT INTO activity_facts (id, kind, variant, youth, committee_id, \
                    centre_id, district_id, date, month, site"
        .to_owned();
    for measure in Measure::all() {
        head.push_str(", ");
        head.push_str(measure.key());
    }
    head.push_str(") ");
    let columns = 10 + Measure::all().count();
    let bind = |row: &mut Tuple<'_>, (id, activity, place): (String, Activity, Place)| {
        row.bind(id)
            .bind(activity.kind.key())
            .bind(activity.variant.clone().unwrap_or_default())
            .bind(i64::from(activity.youth))
            .bind(place.committee.map_or(0, |c| i64::from(c.0)))
            .bind(place.centre.map_or(0, |c| i64::from(c.0)))
            .bind(i64::from(place.district.0))
            .bind(activity.date.to_string())
            .bind(Month::of(activity.date).to_string())
            .bind(activity.site.map(|s| s.to_string()).unwrap_or_default());
        for measure in Measure::all() {
            row.bind(
                activity
                    .measures
                    .get(&measure)
                    .map_or(0, |c| i64::from(c.get())),
            );
        }
    };
    Sql::insert_all(tx, &head, rows, columns, bind, "").await?;
    Ok(())
}

/// Rebuilds the facts from the records when the table holds another definition's rows (or
/// none yet, after the migration that made it). Processes starting together on one database
/// rebuild one at a time, holding the write lock, and the ones after the first find the work
/// done.
pub(super) async fn rebuild_facts_if_stale(pool: &Pool) -> Result<(), DbError> {
    let version = || sqlx::query_scalar::<_, i64>("SELECT version FROM facts_version WHERE id = 1");
    if version().fetch_one(&pool.any).await? == FACTS_VERSION {
        return Ok(());
    }
    let mut tx = pool.write().await?;
    if version().fetch_one(&mut *tx).await? == FACTS_VERSION {
        return Ok(());
    }
    for delete in ["DELETE FROM activity_facts", "DELETE FROM month_tally"] {
        sqlx::query(delete).execute(&mut *tx).await?;
    }
    let mut after = String::new();
    let mut rebuilt = 0usize;
    loop {
        let page = sqlx::query(
            "SELECT id, committee_id, centre_id, district_id, state FROM records \
             WHERE kind = 'activity' AND deleted = 0 AND id > $1 ORDER BY id LIMIT $2",
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
            let place = place_of_row(row)?;
            if let Some(activity) = Activity::from_stored(&record) {
                rows.push((id, activity, place));
            }
        }
        rebuilt += rows.len();
        insert_facts(&mut tx, rows).await?;
    }
    let columns: String = Measure::all().map(|m| format!(", {}", m.key())).collect();
    Sql::new(format!(
        "INSERT INTO month_tally ({GROUP}, records{columns}) \
         SELECT {GROUP}, COUNT(*){} FROM activity_facts GROUP BY {GROUP}",
        sums(1)
    ))
    .query()?
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE facts_version SET version = $1 WHERE id = 1")
        .bind(FACTS_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // A new database has nothing to rebuild, and nothing worth saying.
    if rebuilt > 0 {
        tracing::info!(
            activities = rebuilt,
            "report facts rebuilt from the records"
        );
    }
    Ok(())
}
