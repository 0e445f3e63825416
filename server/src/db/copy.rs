//! Moving a city from its SQLite file to PostgreSQL (`dvor-server migrate --to`): every table
//! of the schema copied in one transaction of the target, in the order their references need,
//! then checked — each table's row count, and each record's columns, by a SHA-256 of every
//! one, compared record by record between the two databases.

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, DbError, Dialect, Sql, Tx};

/// The tables a city's data lives in, each before those that refer to it. A table the target's
/// schema has and this list lacks is refused before anything is copied
/// (`CopyError::Unlisted`), so a table added later cannot be left behind unnoticed.
pub(crate) const TABLES: [&str; 18] = [
    "sync_counter",
    "facts_version",
    "lineage",
    "districts",
    "committees",
    "centres",
    "users",
    "user_grants",
    "sessions",
    "invites",
    "known_devices",
    "password_resets",
    "records",
    "mutations",
    "activity_facts",
    "month_tally",
    "sign_in_attempts",
    "audit_log",
];

/// Tables not copied: each database keeps the record of its own migrations.
const OWN: [&str; 1] = ["_sqlx_migrations"];

/// Tables whose ids the target's identity sequences hand out: set past the copied ids.
const IDENTITIES: [&str; 5] = ["districts", "committees", "centres", "users", "audit_log"];

/// Rows written by one statement, well within either database's limit of bound values.
const BATCH: usize = 200;

/// What was copied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// Rows per table, in the order copied.
    pub tables: Vec<(String, u64)>,
    /// Records whose every column was compared.
    pub records_checked: u64,
}

/// Why a city could not be moved.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The source is not SQLite, or the target not PostgreSQL.
    #[error("a city moves from its SQLite file to PostgreSQL")]
    Direction,
    /// The target already holds a city.
    #[error("the target database is not empty: {table} has {rows} row(s); nothing was copied")]
    NotEmpty {
        /// The first table found with rows.
        table: String,
        /// How many.
        rows: u64,
    },
    /// The target's schema has a table this version does not know how to copy.
    #[error("the target has a table {0} this version does not copy; nothing was copied")]
    Unlisted(String),
    /// The copy does not read back as the source.
    #[error("the copy differs from the source: {0}; the target was left as it is")]
    Differs(String),
    /// A database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for CopyError {
    fn from(error: sqlx::Error) -> Self {
        Self::Db(error.into())
    }
}

impl Db {
    /// Copies everything of this SQLite database into the empty PostgreSQL database `target`
    /// (its schema made by opening it), then checks the copy.
    pub async fn copy_to(&self, target: &Db) -> Result<Copied, CopyError> {
        if self.dialect() != Dialect::Sqlite || target.dialect() != Dialect::Postgres {
            return Err(CopyError::Direction);
        }
        check_tables(target).await?;
        let mut source = self.pool.read().await?;
        let mut tx = target.pool.write().await?;
        for table in TABLES {
            let rows = count(&mut tx, table).await?;
            // A new database holds only its two counters' first rows and its lineage.
            let seeded = matches!(table, "sync_counter" | "facts_version" | "lineage");
            if rows > 0 && !seeded {
                return Err(CopyError::NotEmpty {
                    table: table.to_owned(),
                    rows,
                });
            }
        }
        let mut copied = Copied::default();
        for table in TABLES {
            let columns = columns(&mut tx, table).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut *tx)
                .await?;
            let rows = copy_table(&mut source, &mut tx, table, &columns).await?;
            tracing::info!(table, rows, "copied");
            copied.tables.push((table.to_owned(), rows));
        }
        for table in IDENTITIES {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )))
            .execute(&mut *tx)
            .await?;
        }
        for (table, rows) in &copied.tables {
            let there = count(&mut tx, table).await?;
            if there != *rows {
                return Err(CopyError::Differs(format!(
                    "{table} has {there} row(s), the source {rows}"
                )));
            }
        }
        copied.records_checked = compare_records(&mut source, &mut tx).await?;
        tx.commit().await?;
        source.commit().await?;
        Ok(copied)
    }
}

/// Refuses a target whose schema has a table [`TABLES`] lacks.
async fn check_tables(target: &Db) -> Result<(), CopyError> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .fetch_all(&target.pool.any)
    .await?;
    match tables
        .into_iter()
        .find(|t| !TABLES.contains(&t.as_str()) && !OWN.contains(&t.as_str()))
    {
        Some(table) => Err(CopyError::Unlisted(table)),
        None => Ok(()),
    }
}

async fn count(tx: &mut Tx, table: &str) -> Result<u64, CopyError> {
    let rows: i64 =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut **tx)
            .await?;
    Ok(u64::try_from(rows).unwrap_or_default())
}

/// A column of the target and whether it holds integers (the others hold text).
struct Column {
    name: String,
    integer: bool,
}

/// The target's columns of `table`, in order.
async fn columns(tx: &mut Tx, table: &str) -> Result<Vec<Column>, CopyError> {
    let rows = sqlx::query(
        "SELECT column_name::text AS name, data_type::text AS type FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Column {
                name: row.try_get("name")?,
                integer: row.try_get::<String, _>("type")? == "bigint",
            })
        })
        .collect()
}

/// One value of a row, as both databases hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Integer(Option<i64>),
    Text(Option<String>),
}

fn read(row: &AnyRow, columns: &[Column]) -> Result<Vec<Value>, sqlx::Error> {
    columns
        .iter()
        .map(|column| {
            Ok(if column.integer {
                Value::Integer(row.try_get(column.name.as_str())?)
            } else {
                Value::Text(row.try_get(column.name.as_str())?)
            })
        })
        .collect()
}

/// Copies `table`'s rows from `source` into `target`, a batch per statement; how many.
async fn copy_table(
    source: &mut Tx,
    target: &mut Tx,
    table: &str,
    columns: &[Column],
) -> Result<u64, CopyError> {
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let list = names.join(", ");
    // The names are the target schema's own, never input.
    let select = format!("SELECT {list} FROM {table}");
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(select)).fetch(&mut **source);
    let mut batch = Vec::with_capacity(BATCH);
    let mut copied = 0;
    loop {
        let row = rows.try_next().await?;
        if let Some(row) = &row {
            batch.push(read(row, columns)?);
        }
        if batch.len() == BATCH || (row.is_none() && !batch.is_empty()) {
            copied += batch.len();
            let mut insert = Sql::new(format!("INSERT INTO {table} ({list}) "));
            insert.values(batch.drain(..), |tuple, row| {
                for value in row {
                    match value {
                        Value::Integer(v) => tuple.bind(v),
                        Value::Text(v) => tuple.bind(v),
                    };
                }
            });
            insert.query()?.execute(&mut **target).await?;
        }
        if row.is_none() {
            return Ok(u64::try_from(copied).unwrap_or_default());
        }
    }
}

/// Compares every record of the two databases, column by column through a SHA-256 of each
/// row; how many were compared.
async fn compare_records(source: &mut Tx, target: &mut Tx) -> Result<u64, CopyError> {
    let select = "SELECT id, kind, author, committee_id, centre_id, district_id, seq, hlc, \
                  deleted, state, updated_at FROM records ORDER BY id";
    let mut ours = sqlx::query(select).fetch(&mut **source);
    let mut theirs = sqlx::query(select).fetch(&mut **target);
    let mut compared = 0;
    loop {
        match (ours.try_next().await?, theirs.try_next().await?) {
            (None, None) => return Ok(compared),
            (Some(a), Some(b)) => {
                if record_sum(&a)? != record_sum(&b)? {
                    let id: String = a.try_get("id")?;
                    return Err(CopyError::Differs(format!("record {id}")));
                }
                compared += 1;
            }
            (Some(a), None) => {
                let id: String = a.try_get("id")?;
                return Err(CopyError::Differs(format!("record {id} is missing")));
            }
            (None, Some(b)) => {
                let id: String = b.try_get("id")?;
                return Err(CopyError::Differs(format!(
                    "record {id} was not in the source"
                )));
            }
        }
    }
}

/// A SHA-256 of every column of a record row, each with its length, so no two rows share one
/// by where their values split.
fn record_sum(row: &AnyRow) -> Result<[u8; 32], sqlx::Error> {
    let mut hash = Sha256::new();
    for name in ["id", "kind", "author", "hlc", "state", "updated_at"] {
        let text: String = row.try_get(name)?;
        hash.update(text.len().to_le_bytes());
        hash.update(text.as_bytes());
    }
    for name in ["committee_id", "centre_id", "district_id", "seq", "deleted"] {
        let number: Option<i64> = row.try_get(name)?;
        hash.update(number.map_or([0xFF; 9], |n| {
            let mut bytes = [0; 9];
            bytes[1..].copy_from_slice(&n.to_le_bytes());
            bytes
        }));
    }
    Ok(hash.finalize().into())
}
