//! Sync: push applies mutations at most once, pull pages through changes by the server's
//! sequence. The record tables themselves are `records.rs`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dvor_core::access::{Action, Owner, Place, may};
use dvor_core::account::Me;
use dvor_core::date::Date;
use dvor_core::error::{ErrorCode, ValidationErrors};
use dvor_core::i18n::{Lang, strings};
use dvor_core::id::{MutationId, RecordId};
use dvor_core::inventory::ledger::{Ledger, Movement, MovementKind};
use dvor_core::inventory::loan::Loan;
use dvor_core::protocol::{Mutation, MutationResult, Outcome, PullPage};
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use sqlx::Row;

use super::push_writer::Push;
use super::records::{
    allowed_to, loan_ledger, millis, owners, parse, place_of_row, places_of, read_state, select_in,
    store_records, timestamp, to_json,
};
use super::{Db, DbError, Sql, Tx};

impl Db {
    /// Applies `mutations` made by `person` in order and returns what became of each, once it
    /// is on disk. A mutation seen before gets its first answer again and changes nothing; one
    /// that fails the rules or is not the person's to make is refused, remembered as refused,
    /// and does not stop the ones after it. Pushes arriving together are committed together
    /// (`push_writer.rs`).
    pub async fn push(
        &self,
        person: Me,
        session: String,
        mutations: Vec<Mutation>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MutationResult>, DbError> {
        self.pushes
            .push(Push {
                person,
                session,
                mutations,
                now,
            })
            .await
    }

    /// The records `person` may read changed after sequence number `after`, in the order of
    /// their last change, at most `limit`, and how many follow them. No transaction holds the
    /// two reads together, and none is needed: a record changed after the page was read only
    /// moves further past the cursor, so the count can only be larger than at the page's
    /// moment, never miss one. A page that is not full has nothing after it, and is one query.
    pub async fn pull(
        &self,
        person: &Me,
        after: u64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<PullPage, DbError> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = pull_page(person, after, limit)
            .query()?
            .fetch_all(&self.pool.any)
            .await?;
        let mut changes = Vec::with_capacity(rows.len());
        let mut cursor = after;
        for row in &rows {
            let mut state = read_state(row.try_get("id")?, &row.try_get::<String, _>("state")?)?;
            if state.kind == RecordKind::Loan
                && !may(&person.grants, Action::SeeBorrowers, place_of_row(row)?)
            {
                hide_borrower(&mut state);
            }
            changes.push(state);
            cursor = row.try_get("seq")?;
        }
        let remaining = if rows.len() < usize::try_from(limit).unwrap_or(usize::MAX) {
            0
        } else {
            let mut count = Sql::new("SELECT COUNT(*) FROM records WHERE seq > ");
            count.bind(cursor);
            allowed_to(&mut count, person, Action::Read);
            let remaining: i64 = count.scalar()?.fetch_one(&self.pool.any).await?;
            u64::try_from(remaining).unwrap_or_default()
        };
        Ok(PullPage {
            changes,
            cursor: u64::try_from(cursor).unwrap_or_default(),
            has_more: remaining > 0,
            remaining,
            server_time_ms: millis(now),
            lineage: Some(self.lineage().clone()),
        })
    }
}

/// The statement of a pull's page: the records `person` may read after `after`, in sequence
/// order, at most `limit`.
fn pull_page(person: &Me, after: i64, limit: u32) -> Sql {
    let mut page = Sql::new(
        "SELECT seq, id, kind, committee_id, centre_id, district_id, state FROM records \
         WHERE seq > ",
    );
    page.bind(after);
    allowed_to(&mut page, person, Action::Read);
    page.push(" ORDER BY seq LIMIT ").bind(i64::from(limit));
    page
}

/// Applies `pushes` inside `tx`, in order, each as if alone after the ones before it: each
/// judged by its own person at its own time, each seeing what those before it changed. What is
/// known of all their mutations and records is read at once, merged in memory, and written
/// back at once, so a group costs a fixed number of statements whatever its size, beside one
/// note on each push's session. The outcomes of each push, in the order of `pushes`.
pub(super) async fn apply_pushes(
    tx: &mut Tx,
    pushes: &[&Push],
) -> Result<Vec<Vec<MutationResult>>, DbError> {
    let all = || pushes.iter().flat_map(|push| push.mutations.iter());
    let mut outcomes = earlier_outcomes(tx, all()).await?;
    let mut records = current_states(tx, all()).await?;
    let places = places_of(tx, all().flat_map(|m| owners(&m.change))).await?;
    let mut ledger = loan_ledger(
        tx,
        all().filter_map(|m| MovementKind::of(&m.change)?.loan()),
    )
    .await?;
    let mut changed = Vec::new();
    let mut received = Vec::new();
    let mut answers = Vec::with_capacity(pushes.len());
    for push in pushes {
        let batch = Batch {
            person: &push.person,
            author: AuthorId::user(push.person.id),
            places: &places,
            now: push.now,
        };
        let first_received = received.len();
        let mut results = Vec::with_capacity(push.mutations.len());
        for mutation in &push.mutations {
            let outcome = match outcomes.get(&mutation.mutation_id) {
                Some(outcome) => outcome.clone(),
                None => {
                    let outcome =
                        batch.apply(&mut records, &mut ledger, &mut changed, &mutation.change);
                    outcomes.insert(mutation.mutation_id, outcome.clone());
                    received.push((mutation, outcome.clone()));
                    outcome
                }
            };
            results.push(MutationResult {
                mutation_id: mutation.mutation_id,
                outcome,
            });
        }
        let taken = received[first_received..]
            .iter()
            .filter(|(_, outcome)| *outcome == Outcome::Applied)
            .count();
        note_push(tx, &push.session, push.now.timestamp_millis(), taken).await?;
        answers.push(results);
    }
    let Some(written) = pushes.iter().map(|push| push.now).max() else {
        return Ok(answers);
    };
    store_records(tx, &records, &places, &changed, written).await?;
    remember(tx, &received, written).await?;
    Ok(answers)
}

/// Takes the borrower's fields out of a loan for a reader who is not at its desk. The
/// fields go, not just their values, so nothing about them (not even when they were written)
/// leaves the server.
pub(super) fn hide_borrower(loan: &mut Envelope) {
    for name in Loan::erasure().keys() {
        loan.fields.remove(name);
    }
}

/// The answers already given to any of `mutations`, by mutation id.
async fn earlier_outcomes(
    tx: &mut Tx,
    mutations: impl Iterator<Item = &Mutation>,
) -> Result<HashMap<MutationId, Outcome>, DbError> {
    let ids = mutations.map(|m| m.mutation_id.to_string());
    let rows = select_in(
        "SELECT mutation_id, outcome FROM mutations WHERE mutation_id",
        ids,
    )
    .query()?
    .fetch_all(&mut **tx)
    .await?;
    let mut outcomes = HashMap::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("mutation_id")?;
        let outcome = parse(id.clone(), &row.try_get::<String, _>("outcome")?)?;
        let id = id.parse().map_err(|_| DbError::Corrupt {
            id: id.clone(),
            reason: "not a mutation id".to_owned(),
        })?;
        outcomes.insert(id, outcome);
    }
    Ok(outcomes)
}

/// The stored state of every record `mutations` change, by record id.
async fn current_states(
    tx: &mut Tx,
    mutations: impl Iterator<Item = &Mutation>,
) -> Result<HashMap<RecordId, Envelope>, DbError> {
    let ids = mutations.map(|m| m.change.id.to_string());
    let rows = select_in("SELECT id, state FROM records WHERE id", ids)
        .query()?
        .fetch_all(&mut **tx)
        .await?;
    let mut states = HashMap::with_capacity(rows.len());
    for row in rows {
        let state = read_state(row.try_get("id")?, &row.try_get::<String, _>("state")?)?;
        states.insert(state.id, state);
    }
    Ok(states)
}

/// What every mutation of one push is checked against.
struct Batch<'a> {
    /// Who pushes.
    person: &'a Me,
    /// The author standing for them.
    author: AuthorId,
    /// Where the owners of the batch's records lie.
    places: &'a HashMap<Owner, Place>,
    /// The server's time.
    now: DateTime<Utc>,
}

impl Batch<'_> {
    /// Merges one change into its record in `records` if the person may make it and the result
    /// passes the rules of its kind, noting the record in `changed` (once, in the order of
    /// first change) when it changes.
    fn apply(
        &self,
        records: &mut HashMap<RecordId, Envelope>,
        ledger: &mut Ledger,
        changed: &mut Vec<RecordId>,
        change: &Envelope,
    ) -> Outcome {
        if change.hlc().is_ahead_of(millis(self.now)) {
            return rejected(ErrorCode::ClockAhead, None, None);
        }
        let current = records.get(&change.id);
        let base = current.cloned().unwrap_or_else(|| change.empty_like());
        let Ok(merged) = base.merged(change) else {
            return rejected(ErrorCode::IdConflict, None, Some("id".to_owned()));
        };
        if let Err(code) = self.authorize(&merged, current.is_none()) {
            return rejected(code, None, None);
        }
        if let Err(code) = Envelope::may_become(current, &merged) {
            return rejected(code, None, None);
        }
        if let Err(errors) = merged.check(Date::from(self.now.date_naive())) {
            return refused(&errors);
        }
        if let Err(code) = self.check_places(&merged) {
            return rejected(code, None, Some("to".to_owned()));
        }
        if current.is_none()
            && let Ok(movement) = Movement::from_record(&merged)
        {
            if let Err(error) = ledger.check_return(&movement) {
                return refused(&error.into());
            }
            ledger.add(movement);
        }
        if current != Some(&merged) {
            if !changed.contains(&change.id) {
                changed.push(change.id);
            }
            records.insert(change.id, merged);
        }
        Outcome::Applied
    }

    /// Whether the person may make a change to `record` (`new` when it creates the record):
    /// create records only in their own name where they may log, and change them where they
    /// may edit — their own, or anyone's.
    fn authorize(&self, record: &Envelope, new: bool) -> Result<(), ErrorCode> {
        let place = *self
            .places
            .get(&record.owner)
            .ok_or(ErrorCode::UnknownOwner)?;
        let own = record.author == self.author;
        let grants = &self.person.grants;
        let inventory = matches!(
            record.kind,
            RecordKind::Item | RecordKind::Movement | RecordKind::Loan
        );
        if new && !own {
            Err(ErrorCode::NotYourName)
        } else if inventory {
            // Stock is kept by the people who run the desk or the shed, whoever wrote first.
            may(grants, Action::ManageInventory, place)
                .then_some(())
                .ok_or(ErrorCode::OutOfScope)
        } else if new {
            may(grants, Action::Log, place)
                .then_some(())
                .ok_or(ErrorCode::OutOfScope)
        } else if may(grants, Action::Edit { own }, place) {
            Ok(())
        } else if may(grants, Action::Edit { own: true }, place) {
            Err(ErrorCode::NotYourRecord)
        } else {
            Err(ErrorCode::OutOfScope)
        }
    }
}

impl Batch<'_> {
    /// Whether the other end of a transfer is a place the reference data has.
    fn check_places(&self, record: &Envelope) -> Result<(), ErrorCode> {
        match MovementKind::of(record).and_then(MovementKind::other_place) {
            Some(other) if !self.places.contains_key(&other) => Err(ErrorCode::UnknownOwner),
            _ => Ok(()),
        }
    }
}

/// Stores the answers to the mutations received for the first time.
async fn remember(
    tx: &mut Tx,
    received: &[(&Mutation, Outcome)],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    if received.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(received.len());
    for (mutation, outcome) in received {
        let id = mutation.mutation_id.to_string();
        let json = to_json(&id, outcome)?;
        rows.push((id, mutation.change.id.to_string(), json));
    }
    Sql::insert_all(
        tx,
        "INSERT INTO mutations (mutation_id, record_id, outcome, received_at) ",
        rows,
        4,
        |row, (id, record, json)| {
            row.bind(id).bind(record).bind(json).bind(timestamp(now));
        },
        "",
    )
    .await?;
    Ok(())
}

/// Notes on the session that it pushed now and the server took `taken` changes first sent in
/// it, for telling its device what the server holds should its browser erase it
/// (`api/device.rs`).
async fn note_push(tx: &mut Tx, session: &str, now_ms: i64, taken: usize) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE sessions SET last_push_at = $1, pushed = pushed + $2 WHERE token_hash = $3",
    )
    .bind(now_ms)
    .bind(i64::try_from(taken).unwrap_or(i64::MAX))
    .bind(session)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn refused(errors: &ValidationErrors) -> Outcome {
    let first = errors.first();
    rejected(first.code, first.limit, Some(first.field.to_string()))
}

fn rejected(code: ErrorCode, limit: Option<i64>, field: Option<String>) -> Outcome {
    Outcome::Rejected {
        code,
        message: (strings(Lang::Ru).common.error)(code, limit),
        field,
    }
}

#[cfg(test)]
mod tests {
    use dvor_core::access::{CentreId, CommitteeId, DistrictId, Grant, Role, Scope};
    use dvor_core::account::UserId;

    use super::*;
    use crate::db::Location;

    fn person(grants: &[(Role, Scope)]) -> Me {
        Me {
            id: UserId(1),
            name: "Анна".to_owned(),
            login: "anna@example.ru".to_owned(),
            grants: grants
                .iter()
                .map(|&(role, scope)| Grant::new(role, scope).expect("fits"))
                .collect(),
        }
    }

    /// How SQLite reads `person`'s pull page, one line per step.
    async fn plan(db: &Db, person: &Me) -> String {
        let rows = pull_page(person, 0, 500)
            .explained()
            .query()
            .expect("bound")
            .fetch_all(&db.pool.any)
            .await
            .expect("explained");
        rows.iter()
            .map(|row| row.try_get::<String, _>("detail").expect("detail"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A pull reads its scopes' records after the cursor through the `(place, seq)` indexes,
    /// never every record of the city after it: at 2 000 devices that walk was most of the
    /// server's CPU.
    #[tokio::test]
    async fn a_pull_reads_only_its_scopes_through_their_indexes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&Location::Sqlite(dir.path().join("dvor.sqlite3")))
            .await
            .expect("opens");
        let volunteer = person(&[(Role::Volunteer, Scope::Committee(CommitteeId(3)))]);
        let committee = plan(&db, &volunteer).await;
        assert!(
            committee.contains("USING INDEX records_by_committee (committee_id=? AND seq>?)"),
            "{committee}"
        );
        let both = person(&[
            (Role::Chair, Scope::Committee(CommitteeId(3))),
            (Role::CentreStaff, Scope::Centre(CentreId(2))),
            (Role::Coordinator, Scope::District(DistrictId(1))),
        ]);
        let scopes = plan(&db, &both).await;
        for index in [
            "records_by_committee (committee_id=? AND seq>?)",
            "records_by_centre (centre_id=? AND seq>?)",
            "records_by_district (district_id=? AND seq>?)",
        ] {
            assert!(scopes.contains(index), "{scopes}");
        }
        let nobody = plan(&db, &person(&[])).await;
        assert!(!nobody.contains("SCAN records"), "{nobody}");
    }
}
