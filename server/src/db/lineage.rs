//! The database's lineage (`dvor_core::lineage`): drawn when the database is first opened, and
//! again when it has been restored from a backup.

use dvor_core::lineage::Lineage;

use super::{Db, DbError, Pool};

impl Db {
    /// Which history of records the database holds.
    pub fn lineage(&self) -> &Lineage {
        &self.lineage
    }

    /// Starts a new history: for a database restored from a backup, which lacks what was
    /// written after the copy, so devices that synced with it start over.
    pub async fn renew_lineage(&mut self) -> Result<(), DbError> {
        let lineage = drawn()?;
        sqlx::query("UPDATE lineage SET token = $1 WHERE id = 1")
            .bind(lineage.as_str().to_owned())
            .execute(&self.pool.any)
            .await?;
        self.lineage = lineage;
        Ok(())
    }
}

/// The database's lineage, drawn now if it has none. Several processes opening a new database
/// at once agree on the first one written.
pub(super) async fn ensure(pool: &Pool) -> Result<Lineage, DbError> {
    sqlx::query("INSERT INTO lineage (id, token) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .bind(drawn()?.as_str().to_owned())
        .execute(&pool.any)
        .await?;
    let token: String = sqlx::query_scalar("SELECT token FROM lineage WHERE id = 1")
        .fetch_one(&pool.any)
        .await?;
    Lineage::try_from(token).map_err(|error| DbError::Corrupt {
        id: "lineage".to_owned(),
        reason: error.to_string(),
    })
}

fn drawn() -> Result<Lineage, DbError> {
    let mut random = [0; 16];
    getrandom::fill(&mut random).map_err(|error| DbError::Random(error.to_string()))?;
    Ok(Lineage::from_random(random))
}
