//! The records an export reads: counted and then sent one by one from a single read
//! transaction, so a file holds one consistent moment of the data however long it takes to
//! download, and never the whole table in memory at once.

use std::collections::{BTreeMap, HashMap};

use dvor_core::access::Action;
use dvor_core::account::Me;
use dvor_core::id::RecordId;
use dvor_core::map::sites::SiteSummary;
use dvor_core::measure::Measure;
use dvor_core::record::{Envelope, RecordKind};
use futures_util::TryStreamExt;
use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

use super::records::read_state;
use super::report::{TallyQuery, made_within, narrow};
use super::{Db, DbError, Pool, Sql};

/// Records sent ahead of the writer: enough to keep it busy, few enough to hold little memory.
const AHEAD: usize = 256;

/// An export's records on their way: how many there are, then each of them in order, or the
/// failure that cut the reading short.
#[derive(Debug)]
pub struct RecordFeed {
    /// How many records the feed holds.
    pub count: u64,
    /// The records.
    pub records: mpsc::Receiver<Result<Envelope, DbError>>,
}

impl Db {
    /// The activities of the query's period and place that `person` may export, by date.
    pub async fn export_activities(
        &self,
        person: &Me,
        query: TallyQuery,
    ) -> Result<RecordFeed, DbError> {
        let facts = |select: &str| {
            let mut sql = Sql::new(select);
            sql.push(" FROM (SELECT id, date FROM activity_facts WHERE date >= ")
                .bind(query.from.to_string())
                .push(" AND date <= ")
                .bind(query.to.to_string());
            narrow(&mut sql, person, Action::Export, query);
            sql.push(") AS f");
            sql
        };
        let count = facts("SELECT COUNT(*)");
        let mut rows = facts("SELECT r.id, r.state");
        rows.push(" JOIN records AS r ON r.id = f.id ORDER BY f.date, f.id");
        feed(self.pool.clone(), count, rows).await
    }

    /// The live records of `kind` in the query's place that `person` may export, in the order
    /// they were made; for movements, only those made within the query's period.
    pub async fn export_records(
        &self,
        person: &Me,
        kind: RecordKind,
        query: TallyQuery,
    ) -> Result<RecordFeed, DbError> {
        let records = |select: &str| {
            let mut sql = Sql::new(select);
            sql.push(" FROM records WHERE deleted = 0 AND kind = ")
                .bind(kind.key());
            if kind == RecordKind::Movement {
                made_within(&mut sql, query);
            }
            narrow(&mut sql, person, Action::Export, query);
            sql
        };
        let count = records("SELECT COUNT(*)");
        let mut rows = records("SELECT id, state");
        rows.push(" ORDER BY id");
        feed(self.pool.clone(), count, rows).await
    }

    /// The work of the query's period at each site, from the activities `person` may export.
    pub async fn site_work(
        &self,
        person: &Me,
        query: TallyQuery,
    ) -> Result<HashMap<RecordId, SiteSummary>, DbError> {
        // The kind of the latest work at the site: SQLite takes a bare column from the row
        // holding the MAX(date); PostgreSQL says so.
        let mut sql = Sql::new(self.pool.dialect.pick(
            "SELECT site, COUNT(*) AS works, MAX(date) AS last, kind",
            "SELECT site, COUNT(*) AS works, MAX(date) AS last, \
             (array_agg(kind ORDER BY date DESC))[1] AS kind",
        ));
        for measure in Measure::all() {
            sql.push(format!(", CAST(SUM({0}) AS BIGINT) AS {0}", measure.key()));
        }
        sql.push(" FROM activity_facts WHERE site != '' AND date >= ")
            .bind(query.from.to_string())
            .push(" AND date <= ")
            .bind(query.to.to_string());
        narrow(&mut sql, person, Action::Export, query);
        sql.push(" GROUP BY site");
        let mut work = HashMap::new();
        for row in sql.query()?.fetch_all(&self.pool.any).await? {
            let site: String = row.try_get("site")?;
            let corrupt = |reason: String| DbError::Corrupt {
                id: site.clone(),
                reason,
            };
            let id: RecordId = site.parse().map_err(|_| corrupt("a site id".to_owned()))?;
            let kind: String = row.try_get("kind")?;
            let last: String = row.try_get("last")?;
            let mut totals = BTreeMap::new();
            for measure in Measure::all() {
                let sum: i64 = row.try_get(measure.key())?;
                if sum > 0 {
                    totals.insert(measure, u64::try_from(sum).unwrap_or_default());
                }
            }
            let summary = SiteSummary {
                last: Some((
                    last.parse().map_err(|_| corrupt(format!("date {last}")))?,
                    kind.parse().map_err(|()| corrupt(format!("kind {kind}")))?,
                )),
                in_period: u32::try_from(row.try_get::<i64, _>("works")?).unwrap_or(u32::MAX),
                totals,
                // The sites' export has no pictures.
                photo: None,
            };
            work.insert(id, summary);
        }
        Ok(work)
    }
}

/// Counts and then sends the `id, state` rows of `rows` from one read transaction, on a task
/// of its own that stops when the receiver goes (a download given up).
async fn feed(pool: Pool, count: Sql, rows: Sql) -> Result<RecordFeed, DbError> {
    let count = count.scalar::<i64>()?;
    let rows = rows.query()?;
    let (counted, count_rx) = oneshot::channel();
    let (send, records) = mpsc::channel(AHEAD);
    tokio::spawn(async move {
        let opened = async {
            let mut tx = pool.read().await?;
            let n = count.fetch_one(&mut *tx).await?;
            Ok::<_, DbError>((tx, u64::try_from(n).unwrap_or_default()))
        };
        let mut tx = match opened.await {
            Ok((tx, n)) => {
                if counted.send(Ok(n)).is_err() {
                    return;
                }
                tx
            }
            Err(error) => {
                // The request is still waiting for this answer, and says what failed.
                let _ = counted.send(Err(error));
                return;
            }
        };
        let mut stream = rows.fetch(&mut *tx);
        let sent = async {
            while let Some(row) = stream.try_next().await? {
                let record = read_state(row.try_get("id")?, &row.try_get::<String, _>("state")?);
                if send.send(record).await.is_err() {
                    break;
                }
            }
            Ok::<_, DbError>(())
        };
        if let Err(error) = sent.await {
            tracing::error!(%error, "export stopped");
            // The download may be gone already; then nobody is left to tell.
            let _ = send.send(Err(error)).await;
        }
    });
    count_rx
        .await
        .unwrap_or_else(|_| {
            Err(DbError::Corrupt {
                id: "export".to_owned(),
                reason: "the reading task ended before counting".to_owned(),
            })
        })
        .map(|count| RecordFeed { count, records })
}

impl RecordFeed {
    /// Every record of the feed, for the small sets an export names things from.
    pub async fn all(mut self) -> Result<Vec<Envelope>, DbError> {
        let mut all = Vec::with_capacity(usize::try_from(self.count).unwrap_or(0));
        while let Some(record) = self.records.recv().await {
            all.push(record?);
        }
        Ok(all)
    }
}
