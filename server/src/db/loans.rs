//! The erasure of borrowers: a set number of days after everything lent on a loan has come
//! back, the loan's name and phone are overwritten with nothing, as a change every device
//! pulls, so the borrower is gone from the server and from the desks' tablets alike. The
//! movements, which never name anyone, stay and keep every count.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dvor_core::date::Date;
use dvor_core::hlc::{HlcClock, NodeId};
use dvor_core::inventory::loan::{Loan, loans_to_erase};
use dvor_core::record::Envelope;
use sqlx::Row;

use super::records::{loan_ledger, millis, places_of, read_state, store_records};
use super::{Db, DbError, Sql};

/// The node the server's own changes are stamped with: devices draw theirs at random from 2⁶⁴,
/// so none is expected to be zero.
const SERVER_NODE: NodeId = NodeId::from_bits(0);

impl Db {
    /// Erases the borrowers of the loans fully returned at least `keep_days` before `now`;
    /// returns how many were erased.
    pub async fn erase_borrowers(
        &self,
        now: DateTime<Utc>,
        keep_days: u32,
    ) -> Result<usize, DbError> {
        let mut tx = self.pool.write().await?;
        let named = self
            .pool
            .dialect
            .json_text("state", &["fields", "name", "value"]);
        let rows = Sql::new(format!(
            "SELECT id, state FROM records WHERE kind = 'loan' AND deleted = 0 \
             AND {named} IS NOT NULL"
        ))
        .query()?
        .fetch_all(&mut *tx)
        .await?;
        let mut records = HashMap::with_capacity(rows.len());
        for row in rows {
            let record = read_state(row.try_get("id")?, &row.try_get::<String, _>("state")?)?;
            records.insert(record.id, record);
        }
        let loans: Vec<Loan> = records.values().filter_map(Loan::from_stored).collect();
        let ledger = loan_ledger(&mut tx, loans.iter().map(|loan| loan.id)).await?;
        let erase = loans_to_erase(&ledger, &loans, Date::from(now.date_naive()), keep_days);
        let now_ms = millis(now);
        for id in &erase {
            let Some(record) = records.get_mut(id) else {
                continue;
            };
            // Stamped after everything the record holds, so the erasure wins on every replica.
            let hlc = HlcClock::resume(SERVER_NODE, record.hlc(), now_ms).tick(now_ms);
            let erasure = Envelope::change(
                record.id,
                record.kind,
                record.author.clone(),
                record.owner,
                hlc,
                Loan::erasure(),
                None,
            );
            record.merge(&erasure).map_err(|e| DbError::Corrupt {
                id: id.to_string(),
                reason: e.to_string(),
            })?;
        }
        let owners = erase
            .iter()
            .filter_map(|id| records.get(id))
            .map(|r| r.owner);
        let places = places_of(&mut tx, owners).await?;
        store_records(&mut tx, &records, &places, &erase, now).await?;
        tx.commit().await?;
        if !erase.is_empty() {
            tracing::info!(erased = erase.len(), keep_days, "borrowers erased");
        }
        Ok(erase.len())
    }
}
