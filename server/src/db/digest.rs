//! A fingerprint of the whole city in an SQLite file: each table's row count and a SHA-256 of
//! its rows, read in one consistent moment. A backup records it when taken and a restore checks
//! the restored database against it, so a copy that differs in any row of any table is refused.

use std::path::Path;

use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::pool::PoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, ConnectOptions, Row};

use super::copy::TABLES;
use super::{DbError, Dialect, Pool};

/// One table's fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDigest {
    /// The table.
    pub table: String,
    /// Its rows.
    pub rows: u64,
    /// A SHA-256 of its rows in the order of their columns, hex.
    pub sha256: String,
}

/// The fingerprint of the SQLite file at `path`, read as it is: opened read-only and not
/// migrated, so a backup is checked without being changed.
pub async fn digest_file(path: &Path) -> Result<Vec<TableDigest>, DbError> {
    sqlx::any::install_default_drivers();
    let url = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .to_url_lossy()
        .to_string();
    let any = PoolOptions::<Any>::new()
        .max_connections(1)
        .connect(&url)
        .await
        .map_err(|source| DbError::Open {
            location: path.display().to_string(),
            source,
        })?;
    let pool = Pool {
        any,
        dialect: Dialect::Sqlite,
    };
    let digests = digest(&pool).await;
    pool.any.close().await;
    digests
}

/// Every table of the city's data in `pool`'s SQLite file, in one read transaction.
async fn digest(pool: &Pool) -> Result<Vec<TableDigest>, DbError> {
    let mut tx = pool.read().await?;
    let mut digests = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        // Every column in order: the same rows give the same order whatever their history.
        let columns: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM pragma_table_info('{table}')"
        )))
        .fetch_one(&mut *tx)
        .await?;
        let order = (1..=columns)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT * FROM {table} ORDER BY {order}"
        )))
        .fetch(&mut *tx);
        let mut hash = Sha256::new();
        let mut count = 0;
        while let Some(row) = rows.try_next().await? {
            hash_row(&mut hash, &row)?;
            count += 1;
        }
        drop(rows);
        digests.push(TableDigest {
            table: table.to_owned(),
            rows: count,
            sha256: hex::encode(hash.finalize()),
        });
    }
    tx.commit().await?;
    Ok(digests)
}

/// Feeds one row to `hash`: each value tagged with its type and, for text, its length, so no
/// two different rows feed the same bytes. The schema holds integers and text only.
fn hash_row(hash: &mut Sha256, row: &AnyRow) -> Result<(), sqlx::Error> {
    for column in 0..row.len() {
        if let Ok(number) = row.try_get::<Option<i64>, _>(column) {
            match number {
                Some(number) => {
                    hash.update([1]);
                    hash.update(number.to_le_bytes());
                }
                None => hash.update([0]),
            }
        } else {
            let text: String = row.try_get(column)?;
            hash.update([2]);
            hash.update(text.len().to_le_bytes());
            hash.update(text.as_bytes());
        }
    }
    Ok(())
}
