//! The record tables as every part of the server reads and writes them: a record's stored
//! state, where it lies and who may see it, the places its owners are in, the movements of
//! loans, and storing changed records with their sequence numbers. Push and pull (`sync.rs`),
//! loans (`loans.rs`) and the report (`report.rs`) build on these.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use dvor_core::access::scopes_for;
use dvor_core::access::{Action, CentreId, CommitteeId, DistrictId, Owner, Place, Scope};
use dvor_core::account::Me;
use dvor_core::id::RecordId;
use dvor_core::inventory::ledger::{Ledger, Movement, MovementKind};
use dvor_core::record::Envelope;
use sqlx::any::AnyRow;
use sqlx::{Any, Encode, Row, Type};

use super::{DbError, Dialect, Sql, Tx, to_id};

/// A record row's owner columns, which every query that needs where a record lies selects.
#[derive(sqlx::FromRow)]
struct PlaceColumns {
    district_id: i64,
    committee_id: Option<i64>,
    centre_id: Option<i64>,
}

/// Where a record row lies, from its owner columns.
pub(super) fn place_of_row(row: &AnyRow) -> Result<Place, DbError> {
    let columns = <PlaceColumns as sqlx::FromRow<_>>::from_row(row)?;
    Ok(Place {
        district: DistrictId(to_id(columns.district_id)),
        committee: columns.committee_id.map(|id| CommitteeId(to_id(id))),
        centre: columns.centre_id.map(|id| CentreId(to_id(id))),
    })
}

/// Narrows a `WHERE` to the records `person` may do `action` with: those kept in the scopes of
/// the grants that allow it (nothing for a person without any). The query's table names the
/// place in `committee_id`, `centre_id` and `district_id`, each indexed with the sequence, so a
/// pull reads only its scopes' records after the cursor.
pub(super) fn allowed_to(query: &mut Sql, person: &Me, action: Action) {
    let mut conditions = Vec::new();
    for scope in scopes_for(&person.grants, action) {
        conditions.push(match scope {
            Scope::City => return,
            Scope::Committee(id) => ("committee_id", id.0),
            Scope::Centre(id) => ("centre_id", id.0),
            Scope::District(id) => ("district_id", id.0),
        });
    }
    query
        .push(" AND ")
        .any_of(conditions, |query, (column, id)| {
            query.push(column).push(" = ").bind(i64::from(id));
        });
}

/// Milliseconds since the Unix epoch.
pub fn millis(time: DateTime<Utc>) -> u64 {
    u64::try_from(time.timestamp_millis()).unwrap_or_default()
}

/// `select` followed by `IN (…)` over `values`.
pub(super) fn select_in<'t, T: Encode<'t, Any> + Type<Any>>(
    select: &str,
    values: impl Iterator<Item = T>,
) -> Sql {
    let mut query = Sql::new(select);
    query.push(" IN (").list(values).push(")");
    query
}

/// The places a change names: its record's owner and, for a transfer, the other end.
pub(super) fn owners(change: &Envelope) -> impl Iterator<Item = Owner> {
    std::iter::once(change.owner)
        .chain(MovementKind::of(change).and_then(MovementKind::other_place))
}

/// Where `owners` lie; an owner the reference data does not have is missing from the answer.
pub(super) async fn places_of(
    tx: &mut Tx,
    owners: impl Iterator<Item = Owner>,
) -> Result<HashMap<Owner, Place>, DbError> {
    let owners: Vec<Owner> = owners.collect();
    type Make = fn(u32) -> Owner;
    let kinds: [(&str, Make); 2] = [
        ("SELECT id, district_id FROM committees WHERE id", |id| {
            Owner::Committee(CommitteeId(id))
        }),
        ("SELECT id, district_id FROM centres WHERE id", |id| {
            Owner::Centre(CentreId(id))
        }),
    ];
    let mut places = HashMap::new();
    for (select, make) in kinds {
        let ids = owners
            .iter()
            .copied()
            .filter(|owner| make(owner_id(*owner)) == *owner)
            .map(|owner| i64::from(owner_id(owner)));
        for row in select_in(select, ids).query()?.fetch_all(&mut **tx).await? {
            let owner = make(to_id(row.try_get("id")?));
            let district = DistrictId(to_id(row.try_get("district_id")?));
            places.insert(owner, owner.place(district));
        }
    }
    Ok(places)
}

/// The movements of `loans` the server holds: what a return in this push is checked against.
pub(super) async fn loan_ledger(
    tx: &mut Tx,
    loans: impl Iterator<Item = RecordId>,
) -> Result<Ledger, DbError> {
    let loans: Vec<String> = loans.map(|id| id.to_string()).collect();
    let mut ledger = Ledger::new();
    if loans.is_empty() {
        return Ok(ledger);
    }
    // The two expressions are those of the indexes of migration 0007 (SQLite) and 0011
    // (PostgreSQL).
    let dialect = Dialect::of(tx);
    let movement = |end| dialect.json_text("state", &["fields", "movement", "value", end, "loan"]);
    let mut query = Sql::new("SELECT id, state FROM records WHERE kind = 'movement' AND (");
    query
        .push(movement("lent"))
        .push(" IN (")
        .list(loans.iter().cloned())
        .push(") OR ")
        .push(movement("returned"))
        .push(" IN (")
        .list(loans)
        .push("))");
    for row in query.query()?.fetch_all(&mut **tx).await? {
        let state = read_state(row.try_get("id")?, &row.try_get::<String, _>("state")?)?;
        if let Ok(movement) = Movement::from_record(&state) {
            ledger.add(movement);
        }
    }
    Ok(ledger)
}

/// The number of the committee or centre.
fn owner_id(owner: Owner) -> u32 {
    match owner {
        Owner::Committee(id) => id.0,
        Owner::Centre(id) => id.0,
    }
}

/// Writes the `changed` records, each with a new sequence number taken from the counter, so a
/// puller sees each change once, after everything it has already seen.
pub(super) async fn store_records(
    tx: &mut Tx,
    records: &HashMap<RecordId, Envelope>,
    places: &HashMap<Owner, Place>,
    changed: &[RecordId],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    if changed.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(changed.len()).unwrap_or(i64::MAX);
    let last: i64 = sqlx::query_scalar("UPDATE sync_counter SET seq = seq + $1 RETURNING seq")
        .bind(count)
        .fetch_one(&mut **tx)
        .await?;
    let mut rows = Vec::with_capacity(changed.len());
    for (seq, id) in (last - count + 1..).zip(changed) {
        // A changed record passed `Batch::authorize`, which found its place.
        let (Some(state), Some(place)) = (
            records.get(id),
            records.get(id).and_then(|r| places.get(&r.owner)),
        ) else {
            continue;
        };
        let id = id.to_string();
        let json = to_json(&id, state)?;
        rows.push((id, state, place, seq, json));
    }
    Sql::insert_all(
        tx,
        "INSERT INTO records (id, kind, author, committee_id, centre_id, district_id, seq, hlc, \
         deleted, state, updated_at) ",
        rows,
        11,
        |row, (id, state, place, seq, json)| {
            row.bind(id)
                .bind(state.kind.key())
                .bind(state.author.as_str().to_owned())
                .bind(place.committee.map(|c| i64::from(c.0)))
                .bind(place.centre.map(|c| i64::from(c.0)))
                .bind(i64::from(place.district.0))
                .bind(seq)
                .bind(state.hlc().to_string())
                .bind(i64::from(state.is_deleted()))
                .bind(json)
                .bind(timestamp(now));
        },
        " ON CONFLICT (id) DO UPDATE SET
             seq = excluded.seq, hlc = excluded.hlc, deleted = excluded.deleted,
             state = excluded.state, updated_at = excluded.updated_at",
    )
    .await?;
    super::report::store_facts(tx, records, places, changed).await
}

pub(super) fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(super) fn to_json<T: serde::Serialize>(id: &str, value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|e| DbError::Corrupt {
        id: id.to_owned(),
        reason: e.to_string(),
    })
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(id: String, text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt {
        id,
        reason: e.to_string(),
    })
}

/// Reads a stored envelope back, so a row that no longer parses is reported rather than served.
pub(super) fn read_state(id: String, state: &str) -> Result<Envelope, DbError> {
    parse(id, state)
}
