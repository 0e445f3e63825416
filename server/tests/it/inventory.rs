//! Inventory over real HTTP against a real SQLite file: the ledger the desks push, what it
//! refuses, who may move stock and see borrowers, and the erasure of borrowers.

use std::collections::BTreeMap;

use crate::util::{TestApp, city_with_admin, join, mutation, node, now_ms};
use dvor_core::access::{CentreId, CommitteeId, Owner};
use dvor_core::account::SignedIn;
use dvor_core::date::Date;
use dvor_core::error::ErrorCode;
use dvor_core::hlc::Hlc;
use dvor_core::id::RecordId;
use dvor_core::inventory::item::ItemInput;
use dvor_core::inventory::ledger::{Ledger, Movement, MovementKind};
use dvor_core::inventory::loan::{Loan, LoanInput};
use dvor_core::protocol::{Mutation, Outcome};
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use serde_json::{Value, json};

const CENTRE: Owner = Owner::Centre(CentreId(1));
const COMMITTEE: Owner = Owner::Committee(CommitteeId(1));
const DAY_MS: u64 = 86_400_000;

/// The people of the tests, each signed in.
struct Desk {
    app: TestApp,
    admin: String,
    staff: SignedIn,
    other_staff: SignedIn,
    coordinator: SignedIn,
    chair: SignedIn,
    volunteer: SignedIn,
    _temp: tempfile::TempDir,
}

/// District 1 (committee 1, centre 1) and district 2 (centre 2), with staff at both centres,
/// district 1's coordinator, and committee 1's chair and volunteer.
async fn desk() -> Desk {
    let (app, admin, temp) = city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик"], "centres": ["ЦРН Рудничный"]},
        {"name": "Кедровка", "committees": [], "centres": ["ЦРН Кедровка"]}
    ]))
    .await;
    let person = |role: &'static str, scope: Value, login: &'static str| {
        join(&app, &admin, json!({"role": role, "scope": scope}), login)
    };
    let staff = person("centre_staff", json!({"centre": 1}), "staff@example.ru").await;
    let other_staff = person("centre_staff", json!({"centre": 2}), "other@example.ru").await;
    let coordinator = person("coordinator", json!({"district": 1}), "coord@example.ru").await;
    let chair = person("chair", json!({"committee": 1}), "chair@example.ru").await;
    let volunteer = person("volunteer", json!({"committee": 1}), "vol@example.ru").await;
    Desk {
        app,
        admin,
        staff,
        other_staff,
        coordinator,
        chair,
        volunteer,
        _temp: temp,
    }
}

/// An id made `days_ago` days ago; `n` tells ids of one moment apart.
fn id_made(days_ago: u64, n: u8) -> RecordId {
    RecordId::from_parts(now_ms() - days_ago * DAY_MS, [n; 10])
}

/// A record of `kind` made by `person` at `owner`, holding `values`.
fn record(
    kind: RecordKind,
    id: RecordId,
    owner: Owner,
    person: &SignedIn,
    values: BTreeMap<String, Value>,
    deleted: Option<bool>,
) -> Envelope {
    Envelope::change(
        id,
        kind,
        AuthorId::user(person.me.id),
        owner,
        Hlc::new(now_ms(), 0, node(7)),
        values,
        deleted,
    )
}

fn ball(id: RecordId, owner: Owner, person: &SignedIn) -> Envelope {
    let item = ItemInput {
        id: id.to_string(),
        name: "Мяч футбольный".to_owned(),
        category: "Спортинвентарь".to_owned(),
        unit: "шт.".to_owned(),
        kind: "durable".to_owned(),
        owner: Some(owner),
        ..ItemInput::default()
    }
    .validate()
    .expect("valid item");
    record(
        RecordKind::Item,
        id,
        owner,
        person,
        item.values(),
        Some(false),
    )
}

fn movement(
    id: RecordId,
    item: RecordId,
    place: Owner,
    kind: MovementKind,
    quantity: u32,
    person: &SignedIn,
) -> Envelope {
    let movement = Movement {
        id,
        item,
        place,
        kind,
        quantity,
    };
    record(
        RecordKind::Movement,
        id,
        place,
        person,
        movement.values(),
        Some(false),
    )
}

fn loan(id: RecordId, person: &SignedIn) -> Envelope {
    let today = Date::from_unix_ms(now_ms()).expect("today");
    let loan = LoanInput {
        id: id.to_string(),
        place: Some(CENTRE),
        name: "Иван Петров".to_owned(),
        phone: "+7 905 123-45-67".to_owned(),
        due: today.to_string(),
    }
    .validate(today)
    .expect("valid loan");
    record(
        RecordKind::Loan,
        id,
        CENTRE,
        person,
        loan.values(),
        Some(false),
    )
}

/// Pushes `changes` as `person` and returns each one's outcome code (`None` when applied).
async fn push(app: &mut TestApp, person: &str, changes: Vec<Envelope>) -> Vec<Option<ErrorCode>> {
    app.token = Some(person.to_owned());
    let first = now_ms() % 1_000_000_000;
    let mutations: Vec<Mutation> = changes
        .into_iter()
        .enumerate()
        .map(|(n, change)| mutation(first, n as u64, change))
        .collect();
    app.push(&mutations)
        .await
        .results
        .into_iter()
        .map(|result| match result.outcome {
            Outcome::Applied => None,
            Outcome::Rejected { code, .. } => Some(code),
        })
        .collect()
}

async fn pull_as(app: &mut TestApp, person: &str) -> Vec<Envelope> {
    app.token = Some(person.to_owned());
    app.pull_all().await
}

/// The ledger of the movements among `records`.
fn ledger_of(records: &[Envelope]) -> Ledger {
    let mut ledger = Ledger::new();
    for record in records.iter().filter(|r| r.kind == RecordKind::Movement) {
        ledger.add(Movement::from_record(record).expect("a movement"));
    }
    ledger
}

#[tokio::test]
async fn the_desk_keeps_its_ledger_and_nobody_rewrites_it() {
    let Desk {
        mut app,
        staff,
        _temp,
        ..
    } = desk().await;
    let (item, received, lent_on, lent) =
        (id_made(0, 1), id_made(0, 2), id_made(0, 3), id_made(0, 4));
    let made = push(
        &mut app,
        &staff.token,
        vec![
            ball(item, CENTRE, &staff),
            movement(received, item, CENTRE, MovementKind::Received, 1, &staff),
            loan(lent_on, &staff),
            movement(
                lent,
                item,
                CENTRE,
                MovementKind::Lent { loan: lent_on },
                1,
                &staff,
            ),
        ],
    )
    .await;
    assert_eq!(made, [None, None, None, None]);

    let mut more = movement(received, item, CENTRE, MovementKind::Received, 5, &staff);
    more.fields.retain(|name, _| name == "quantity");
    let gone = record(
        RecordKind::Movement,
        received,
        CENTRE,
        &staff,
        BTreeMap::new(),
        Some(true),
    );
    let returned_on = |n: u8, quantity: u32| {
        movement(
            id_made(0, n),
            item,
            CENTRE,
            MovementKind::Returned { loan: lent_on },
            quantity,
            &staff,
        )
    };
    let answers = push(
        &mut app,
        &staff.token,
        vec![
            more,
            gone,
            returned_on(10, 2),
            returned_on(11, 1),
            returned_on(12, 1),
            movement(
                id_made(0, 13),
                item,
                CENTRE,
                MovementKind::Transferred {
                    to: Owner::Centre(CentreId(99)),
                },
                1,
                &staff,
            ),
            movement(
                id_made(0, 14),
                item,
                CENTRE,
                MovementKind::Transferred { to: COMMITTEE },
                1,
                &staff,
            ),
        ],
    )
    .await;
    assert_eq!(
        answers,
        [
            Some(ErrorCode::Immutable),
            Some(ErrorCode::Immutable),
            Some(ErrorCode::ReturnsMoreThanLent),
            None,
            Some(ErrorCode::ReturnsMoreThanLent),
            Some(ErrorCode::UnknownOwner),
            None,
        ],
        "a movement is never changed or deleted, returns stay within their loan (the second \
         return of the one ball too), transfers go to known places"
    );

    let ledger = ledger_of(&pull_as(&mut app, &staff.token).await);
    assert_eq!(ledger.movements().count(), 4);
    let stock = ledger.stock_of(item, CENTRE);
    assert_eq!(
        (stock.available, stock.lent),
        (0, 0),
        "1 received, lent, back, sent on"
    );
}

#[tokio::test]
async fn another_desk_neither_moves_stock_nor_sees_borrowers() {
    let Desk {
        mut app,
        admin,
        staff,
        other_staff,
        coordinator,
        chair,
        volunteer,
        _temp,
    } = desk().await;
    let (item, lent_on) = (id_made(0, 1), id_made(0, 2));
    let made = push(
        &mut app,
        &staff.token,
        vec![ball(item, CENTRE, &staff), loan(lent_on, &staff)],
    )
    .await;
    assert_eq!(made, [None, None]);

    let stranger = push(
        &mut app,
        &other_staff.token,
        vec![movement(
            id_made(0, 3),
            item,
            CENTRE,
            MovementKind::Received,
            1,
            &other_staff,
        )],
    )
    .await;
    assert_eq!(stranger, [Some(ErrorCode::OutOfScope)]);
    assert!(pull_as(&mut app, &other_staff.token).await.is_empty());

    let borrower_of = |records: &[Envelope]| {
        let loan = records
            .iter()
            .find(|r| r.id == lent_on)
            .expect("the loan is read");
        (
            loan.fields.contains_key("name"),
            loan.fields.contains_key("phone"),
        )
    };
    assert_eq!(
        borrower_of(&pull_as(&mut app, &staff.token).await),
        (true, true)
    );
    for overseer in [&coordinator.token, &admin] {
        let records = pull_as(&mut app, overseer).await;
        assert_eq!(
            borrower_of(&records),
            (false, false),
            "only the desk sees its borrowers"
        );
        let loan = records.iter().find(|r| r.id == lent_on).expect("read");
        assert_eq!(Loan::from_record(loan).map(|l| l.borrower), Ok(None));
    }

    let shed = |person: &SignedIn, n: u8| vec![ball(id_made(0, n), COMMITTEE, person)];
    assert_eq!(
        push(&mut app, &volunteer.token, shed(&volunteer, 5)).await,
        [Some(ErrorCode::OutOfScope)]
    );
    assert_eq!(
        push(&mut app, &chair.token, shed(&chair, 6)).await,
        [None],
        "a chair keeps the committee's tools"
    );
}

#[tokio::test]
async fn borrowers_are_erased_the_set_days_after_full_return_and_the_counts_stay() {
    let Desk {
        mut app,
        admin,
        staff,
        _temp,
        ..
    } = desk().await;
    let item = id_made(60, 1);
    let (long_back, lately_back, still_out) = (id_made(45, 2), id_made(45, 3), id_made(45, 4));
    let moved = |days_ago: u64, n: u8, kind: MovementKind| {
        movement(id_made(days_ago, n), item, CENTRE, kind, 1, &staff)
    };
    let made = push(
        &mut app,
        &staff.token,
        vec![
            ball(item, CENTRE, &staff),
            moved(60, 10, MovementKind::Received),
            moved(60, 11, MovementKind::Received),
            moved(60, 12, MovementKind::Received),
            loan(long_back, &staff),
            loan(lately_back, &staff),
            loan(still_out, &staff),
            moved(45, 20, MovementKind::Lent { loan: long_back }),
            moved(31, 21, MovementKind::Returned { loan: long_back }),
            moved(45, 22, MovementKind::Lent { loan: lately_back }),
            moved(29, 23, MovementKind::Returned { loan: lately_back }),
            moved(45, 24, MovementKind::Lent { loan: still_out }),
        ],
    )
    .await;
    assert!(made.iter().all(Option::is_none), "{made:?}");

    let app = app.restart().await;
    let mut app = app;
    let records = pull_as(&mut app, &staff.token).await;
    let borrower = |id: RecordId| {
        let loan = records.iter().find(|r| r.id == id).expect("pulled");
        Loan::from_record(loan)
            .expect("a loan")
            .borrower
            .map(|b| b.name.as_str().to_owned())
    };
    assert_eq!(borrower(long_back), None, "returned 31 days ago: erased");
    assert_eq!(
        borrower(lately_back).as_deref(),
        Some("Иван Петров"),
        "29 days: kept"
    );
    assert_eq!(
        borrower(still_out).as_deref(),
        Some("Иван Петров"),
        "still out: kept"
    );

    let ledger = ledger_of(&records);
    let stock = ledger.stock_of(item, CENTRE);
    assert_eq!((stock.available, stock.lent), (2, 1));
    assert!(ledger.settled(long_back) && !ledger.settled(still_out));

    // The server's own act is in the audit log, once.
    let log: dvor_core::audit::AuditPage = app
        .client
        .get(app.url("/api/v1/audit?kind=borrowers_erased"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("a page");
    let erased: Vec<_> = log.entries.iter().map(|e| (e.actor, &e.act)).collect();
    assert_eq!(
        erased,
        [(
            None,
            &dvor_core::audit::AuditAct::BorrowersErased { loans: 1 }
        )]
    );
}
