//! The authorization matrix over real HTTP on 127.0.0.1 against a real SQLite file: every role,
//! and every way of not being signed in, against every endpoint that needs a session, in the
//! person's own scope and in someone else's. Each case asserts the exact status and that a
//! refusal carries nothing but the error.
//!
//! Sync has a table of its own: every role and every way of not being signed in against a pull
//! (exactly the records of the person's scopes, nothing else in the body) and against pushes
//! that create and change records in their own and in foreign scopes (each mutation applied or
//! refused with its reason). The counts of cases are printed so the closing notes can report
//! them.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::util::{ADMIN, PASSWORD, TestApp, city_with_admin, join};
use dvor_core::access::{CentreId, CommitteeId, Grant, Owner, Role, Scope};
use dvor_core::account::UserId;
use dvor_core::error::ErrorCode;
use dvor_core::hlc::{Hlc, NodeId};
use dvor_core::id::RecordId;
use dvor_core::protocol::{Mutation, Outcome, PROTOCOL_HEADER, PROTOCOL_VERSION, PushResponse};
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use dvor_server::auth::new_token;
use serde_json::{Value, json};
use sha2::Digest;

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Admin,
    /// Chair of committee 1.
    Chair,
    /// Volunteer of committee 1.
    Volunteer,
    /// Staff of centre 1.
    Staff,
    /// Coordinator of district 1.
    Coordinator,
    NoSession,
    Expired,
    Ended,
    Unknown,
}

const EVERYONE: [Who; 9] = [
    Who::Admin,
    Who::Chair,
    Who::Volunteer,
    Who::Staff,
    Who::Coordinator,
    Who::NoSession,
    Who::Expired,
    Who::Ended,
    Who::Unknown,
];

struct City {
    app: TestApp,
    tokens: Vec<(Who, Option<String>)>,
    _temp: tempfile::TempDir,
}

/// District 1 «Рудничный» (committees 1 «Забойщик», 2 «Рудник»; centre 1) and district 2
/// «Кедровка» (committee 3 «Лидер»; centre 2), and one person in each role.
async fn city() -> City {
    let (app, admin, temp) = city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик", "Рудник"], "centres": ["ЦРН Рудничный"]},
        {"name": "Кедровка", "committees": ["Лидер"], "centres": ["ЦРН Кедровка"]}
    ]))
    .await;
    let data = temp.path().join("data");
    let admin = Some(admin);
    let mut tokens = vec![(Who::Admin, admin.clone())];
    for (who, grant, login) in [
        (
            Who::Chair,
            json!({"role": "chair", "scope": {"committee": 1}}),
            "chair@example.ru",
        ),
        (
            Who::Volunteer,
            json!({"role": "volunteer", "scope": {"committee": 1}}),
            "volunteer@example.ru",
        ),
        (
            Who::Staff,
            json!({"role": "centre_staff", "scope": {"centre": 1}}),
            "staff@example.ru",
        ),
        (
            Who::Coordinator,
            json!({"role": "coordinator", "scope": {"district": 1}}),
            "coordinator@example.ru",
        ),
    ] {
        let joined = join(&app, admin.as_deref().unwrap_or_default(), grant, login).await;
        tokens.push((who, Some(joined.token)));
    }
    let db = crate::database::open(data.clone()).await;
    let now = chrono::Utc::now().timestamp_millis();
    let (expired, hash) = new_token().expect("random");
    db.start_session(UserId(1), &hash, "", "", now - 10_000, now - 1)
        .await
        .expect("stored");
    let ended = send(
        &app,
        "/auth/login",
        None,
        Body::Json(json!({"login": ADMIN, "password": PASSWORD})),
    )
    .await
    .1["token"]
        .as_str()
        .map(str::to_owned);
    send(
        &app,
        "/auth/logout",
        ended.as_deref(),
        Body::Json(Value::Null),
    )
    .await;
    tokens.extend([
        (Who::NoSession, None),
        (Who::Expired, Some(expired)),
        (Who::Ended, ended),
        (Who::Unknown, Some("0".repeat(64))),
    ]);
    City {
        app,
        tokens,
        _temp: temp,
    }
}

/// What a case sends.
enum Body {
    /// Nothing: a GET.
    Empty,
    /// JSON: a POST.
    Json(Value),
    /// A photo: a PUT to `/blobs/<its hash>` (the case's path is the prefix).
    Photo(Vec<u8>),
}

async fn send(app: &TestApp, path: &str, token: Option<&str>, body: Body) -> (u16, Value) {
    let url = format!("http://{}/api/v1{path}", app.addr);
    let mut request = match body {
        Body::Empty => app.client.get(url),
        Body::Json(body) => app.client.post(url).json(&body),
        Body::Photo(bytes) => {
            let hash = hex::encode(sha2::Sha256::digest(&bytes));
            app.client
                .put(format!("{url}/{hash}"))
                .header("content-type", "image/jpeg")
                .body(bytes)
        }
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// What a request expects when the asker may do it; everyone else signed in gets 403.
struct Case {
    name: &'static str,
    path: &'static str,
    body: fn(usize) -> Body,
    allowed: &'static [Who],
    status: u16,
}

fn invite(grant: Value) -> Value {
    json!({"grant": grant, "uses": 1, "days": 1})
}

const SIGNED_IN: [Who; 5] = [
    Who::Admin,
    Who::Chair,
    Who::Volunteer,
    Who::Staff,
    Who::Coordinator,
];

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "who am I",
            path: "/auth/me",
            body: |_| Body::Empty,
            allowed: &SIGNED_IN,
            status: 200,
        },
        Case {
            name: "my sessions",
            path: "/auth/sessions",
            body: |_| Body::Empty,
            allowed: &SIGNED_IN,
            status: 200,
        },
        Case {
            name: "add a district",
            path: "/reference/districts",
            body: |n| Body::Json(json!({"name": format!("Район {n}")})),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "add a committee",
            path: "/reference/committees",
            body: |n| Body::Json(json!({"district": 1, "name": format!("Комитет {n}")})),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite a volunteer to committee 1",
            path: "/invites",
            body: |_| {
                Body::Json(invite(
                    json!({"role": "volunteer", "scope": {"committee": 1}}),
                ))
            },
            allowed: &[Who::Admin, Who::Chair],
            status: 201,
        },
        Case {
            name: "invite a volunteer to another district's committee",
            path: "/invites",
            body: |_| {
                Body::Json(invite(
                    json!({"role": "volunteer", "scope": {"committee": 3}}),
                ))
            },
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite a volunteer to a neighbouring committee",
            path: "/invites",
            body: |_| {
                Body::Json(invite(
                    json!({"role": "volunteer", "scope": {"committee": 2}}),
                ))
            },
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite staff to centre 1",
            path: "/invites",
            body: |_| {
                Body::Json(invite(
                    json!({"role": "centre_staff", "scope": {"centre": 1}}),
                ))
            },
            allowed: &[Who::Admin, Who::Staff],
            status: 201,
        },
        Case {
            name: "invite staff to another centre",
            path: "/invites",
            body: |_| {
                Body::Json(invite(
                    json!({"role": "centre_staff", "scope": {"centre": 2}}),
                ))
            },
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite a chair",
            path: "/invites",
            body: |_| Body::Json(invite(json!({"role": "chair", "scope": {"committee": 1}}))),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite a coordinator",
            path: "/invites",
            body: |_| {
                Body::Json(invite(
                    json!({"role": "coordinator", "scope": {"district": 1}}),
                ))
            },
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "send a photo",
            path: "/blobs",
            // Each case its own photo: a new one is created (201) by whoever may send it.
            body: |n| {
                let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
                jpeg.extend_from_slice(&n.to_be_bytes());
                Body::Photo(jpeg)
            },
            allowed: &[Who::Admin, Who::Chair, Who::Volunteer, Who::Staff],
            status: 201,
        },
        Case {
            name: "read the audit log",
            path: "/audit",
            body: |_| Body::Empty,
            allowed: &[Who::Admin, Who::Coordinator],
            status: 200,
        },
        Case {
            name: "download the audit log",
            path: "/audit/export.csv",
            body: |_| Body::Empty,
            allowed: &[Who::Admin, Who::Coordinator],
            status: 200,
        },
        Case {
            name: "download my data",
            path: "/auth/my-data",
            body: |_| Body::Empty,
            allowed: &SIGNED_IN,
            status: 200,
        },
        Case {
            name: "list the requests to be erased",
            path: "/accounts/erasure-requests",
            body: |_| Body::Empty,
            allowed: &[Who::Admin],
            status: 200,
        },
        Case {
            name: "erase an account that did not ask",
            path: "/accounts/2/erase",
            body: |_| Body::Json(Value::Null),
            allowed: &[Who::Admin],
            status: 404,
        },
        Case {
            name: "invite an admin",
            path: "/invites",
            body: |_| Body::Json(invite(json!({"role": "admin", "scope": "city"}))),
            allowed: &[Who::Admin],
            status: 201,
        },
    ]
}

#[tokio::test]
async fn every_role_and_every_missing_session_gets_exactly_its_answer_from_every_endpoint() {
    let city = city().await;
    let counter = AtomicUsize::new(0);
    let mut failures = Vec::new();
    for case in cases() {
        for &(who, ref token) in &city.tokens {
            let n = counter.fetch_add(1, Ordering::Relaxed);
            let (status, body) = send(&city.app, case.path, token.as_deref(), (case.body)(n)).await;
            let (expected, code) = match who {
                Who::NoSession => (401, Some("not_signed_in")),
                Who::Expired | Who::Ended | Who::Unknown => (401, Some("session_ended")),
                _ if case.allowed.contains(&who) => (case.status, None),
                _ => (403, Some("forbidden")),
            };
            let refusal_is_bare = code.is_none_or(|code| {
                body.as_object().is_some_and(|o| o.len() == 1) && body["error"]["code"] == code
            });
            if status != expected || !refusal_is_bare {
                failures.push(format!(
                    "{} as {who:?}: {status} {body}, expected {expected}",
                    case.name
                ));
            }
        }
    }
    let cases = counter.load(Ordering::Relaxed);
    println!("authorization matrix: {cases} cases");
    assert_eq!(cases, cases_count(), "every role met every endpoint");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn cases_count() -> usize {
    cases().len() * EVERYONE.len()
}

/// The matrix's people hold exactly the grants it says, so its rows mean what they say.
#[tokio::test]
async fn the_matrix_people_hold_the_roles_it_names() {
    let city = city().await;
    let expected = [
        (Who::Admin, Grant::new(Role::Admin, Scope::City)),
        (
            Who::Chair,
            Grant::new(
                Role::Chair,
                Scope::Committee(dvor_core::access::CommitteeId(1)),
            ),
        ),
        (
            Who::Coordinator,
            Grant::new(
                Role::Coordinator,
                Scope::District(dvor_core::access::DistrictId(1)),
            ),
        ),
    ];
    for (who, grant) in expected {
        let token = city
            .tokens
            .iter()
            .find(|(w, _)| *w == who)
            .and_then(|(_, t)| t.clone());
        let (status, me) = send(&city.app, "/auth/me", token.as_deref(), Body::Empty).await;
        assert_eq!(status, 200);
        assert_eq!(me["grants"], json!([grant.expect("fits")]), "{who:?}");
    }
}

/// A pull or a push to `/sync/…` as a device sends it: with the protocol header.
async fn sync(app: &TestApp, token: Option<&str>, push: Option<&[Mutation]>) -> (u16, Value) {
    let request = match push {
        Some(mutations) => app
            .client
            .post(app.url("/api/v1/sync/push"))
            .json(&json!({ "mutations": mutations })),
        None => app.client.get(app.url("/api/v1/sync/pull?limit=500")),
    };
    let mut request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

static MADE: AtomicUsize = AtomicUsize::new(1);

/// A new record by `author`, kept by `owner`, with a fresh id and mutation id.
fn creation(author: UserId, owner: Owner) -> Mutation {
    let n = MADE.fetch_add(1, Ordering::Relaxed) as u64;
    let now = crate::util::now_ms();
    Mutation {
        mutation_id: crate::util::mutation_id(9, n),
        change: Envelope::change(
            RecordId::from_parts(now, (n as u128).to_be_bytes()[6..].try_into().expect("10")),
            RecordKind::Activity,
            AuthorId::user(author),
            owner,
            Hlc::new(now, 0, NodeId::from_bits(n)),
            crate::util::subbotnik_values(3),
            Some(false),
        ),
    }
}

/// A change of `record`'s bag count, with a fresh mutation id.
fn edit(record: &Mutation) -> Mutation {
    let n = MADE.fetch_add(1, Ordering::Relaxed) as u64;
    let mut change = record.change.clone();
    change.deleted = None;
    change.fields = [(
        "measures.bags".to_owned(),
        dvor_core::record::Stamped {
            value: json!(n % 1000),
            hlc: Hlc::new(crate::util::now_ms(), 0, NodeId::from_bits(n)),
        },
    )]
    .into();
    Mutation {
        mutation_id: crate::util::mutation_id(9, n),
        change,
    }
}

const COMMITTEE_1: Owner = Owner::Committee(CommitteeId(1));
const COMMITTEE_2: Owner = Owner::Committee(CommitteeId(2));
const COMMITTEE_3: Owner = Owner::Committee(CommitteeId(3));
const CENTRE_1: Owner = Owner::Centre(CentreId(1));

/// A push case: the mutation a person sends, and what becomes of it for whom.
struct PushCase {
    name: &'static str,
    /// The mutation `who` (with user id `me`) sends, given the city's records.
    mutation: fn(&Records, UserId) -> Mutation,
    /// Who gets it applied; every other signed-in person gets it refused with the code
    /// `refused` names for them.
    applied: &'static [Who],
    refused: fn(Who) -> ErrorCode,
}

/// The records the city holds before the sync matrix runs.
struct Records {
    /// The volunteer's, in committee 1.
    volunteer_s: Mutation,
    /// The admin's, in committee 1.
    admin_s: Mutation,
    /// The admin's, in committee 2 (same district).
    neighbour: Mutation,
    /// The admin's, in committee 3 (district 2).
    foreign: Mutation,
    /// The staff member's, in centre 1.
    centre_s: Mutation,
}

fn out_of_scope(_: Who) -> ErrorCode {
    ErrorCode::OutOfScope
}

fn push_cases() -> Vec<PushCase> {
    vec![
        PushCase {
            name: "log in committee 1",
            mutation: |_, me| creation(me, COMMITTEE_1),
            applied: &[Who::Admin, Who::Chair, Who::Volunteer],
            refused: out_of_scope,
        },
        PushCase {
            name: "log in another district's committee",
            mutation: |_, me| creation(me, COMMITTEE_3),
            applied: &[Who::Admin],
            refused: out_of_scope,
        },
        PushCase {
            name: "log in centre 1",
            mutation: |_, me| creation(me, CENTRE_1),
            applied: &[Who::Admin, Who::Staff],
            refused: out_of_scope,
        },
        PushCase {
            name: "log for a committee the city does not have",
            mutation: |_, me| creation(me, Owner::Committee(CommitteeId(99))),
            applied: &[],
            refused: |_| ErrorCode::UnknownOwner,
        },
        PushCase {
            name: "log in the admin's name",
            mutation: |_, _| creation(UserId(1), COMMITTEE_1),
            applied: &[Who::Admin],
            refused: |_| ErrorCode::NotYourName,
        },
        PushCase {
            name: "edit the volunteer's record in committee 1",
            mutation: |records, _| edit(&records.volunteer_s),
            applied: &[Who::Admin, Who::Chair, Who::Volunteer],
            refused: out_of_scope,
        },
        PushCase {
            name: "edit the admin's record in committee 1",
            mutation: |records, _| edit(&records.admin_s),
            applied: &[Who::Admin, Who::Chair],
            refused: |who| match who {
                Who::Volunteer => ErrorCode::NotYourRecord,
                _ => ErrorCode::OutOfScope,
            },
        },
        PushCase {
            name: "edit a record of the neighbouring committee",
            mutation: |records, _| edit(&records.neighbour),
            applied: &[Who::Admin],
            refused: out_of_scope,
        },
        PushCase {
            name: "edit a record of another district",
            mutation: |records, _| edit(&records.foreign),
            applied: &[Who::Admin],
            refused: out_of_scope,
        },
        PushCase {
            name: "edit the centre's record",
            mutation: |records, _| edit(&records.centre_s),
            applied: &[Who::Admin, Who::Staff],
            refused: out_of_scope,
        },
    ]
}

#[tokio::test]
async fn sync_shows_each_person_exactly_their_scope_and_refuses_each_foreign_change_with_its_reason()
 {
    let city = city().await;
    let token = |who: Who| {
        city.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .and_then(|(_, t)| t.clone())
    };
    let mut ids = Vec::new();
    for &(who, ref token) in &city.tokens[..SIGNED_IN.len()] {
        let (_, me) = send(&city.app, "/auth/me", token.as_deref(), Body::Empty).await;
        ids.push((who, UserId(me["id"].as_u64().expect("an id") as u32)));
    }
    let id = |who: Who| {
        ids.iter()
            .find(|(w, _)| *w == who)
            .map(|(_, id)| *id)
            .expect("signed in")
    };
    let records = Records {
        volunteer_s: creation(id(Who::Volunteer), COMMITTEE_1),
        admin_s: creation(id(Who::Admin), COMMITTEE_1),
        neighbour: creation(id(Who::Admin), COMMITTEE_2),
        foreign: creation(id(Who::Admin), COMMITTEE_3),
        centre_s: creation(id(Who::Staff), CENTRE_1),
    };
    for (who, made) in [
        (Who::Volunteer, &records.volunteer_s),
        (Who::Admin, &records.admin_s),
        (Who::Admin, &records.neighbour),
        (Who::Admin, &records.foreign),
        (Who::Staff, &records.centre_s),
    ] {
        let (status, answer) = sync(
            &city.app,
            token(who).as_deref(),
            Some(std::slice::from_ref(made)),
        )
        .await;
        assert_eq!(
            (status, &answer["results"][0]["outcome"]),
            (200, &json!("applied"))
        );
    }

    let mut cases = 0;
    let mut failures = Vec::new();
    // Pulls come first, while the city holds only the records above.
    let record_ids = |mutations: &[&Mutation]| {
        let mut ids: Vec<String> = mutations.iter().map(|m| m.change.id.to_string()).collect();
        ids.sort();
        ids
    };
    for &(who, ref token) in &city.tokens {
        cases += 1;
        let (status, body) = sync(&city.app, token.as_deref(), None).await;
        let expected = match who {
            Who::Admin => Some(record_ids(&[
                &records.volunteer_s,
                &records.admin_s,
                &records.neighbour,
                &records.foreign,
                &records.centre_s,
            ])),
            Who::Chair | Who::Volunteer => {
                Some(record_ids(&[&records.volunteer_s, &records.admin_s]))
            }
            Who::Staff => Some(record_ids(&[&records.centre_s])),
            Who::Coordinator => Some(record_ids(&[
                &records.volunteer_s,
                &records.admin_s,
                &records.neighbour,
                &records.centre_s,
            ])),
            _ => None,
        };
        let seen = body["changes"].as_array().map(|changes| {
            let mut seen: Vec<String> = changes
                .iter()
                .filter_map(|c| c["id"].as_str().map(str::to_owned))
                .collect();
            seen.sort();
            seen
        });
        let ok = match &expected {
            Some(expected) => {
                status == 200 && seen.as_ref() == Some(expected) && body["remaining"] == 0
            }
            None => status == 401 && body.as_object().is_some_and(|o| o.len() == 1),
        };
        if !ok {
            failures.push(format!("pull as {who:?}: {status} {body}"));
        }
    }
    // The names of the authors follow the same scope: a chair learns who logged their
    // committee's work, nobody the names behind records they may not read.
    for &(who, ref token) in &city.tokens[..SIGNED_IN.len()] {
        cases += 1;
        let (status, body) = send(&city.app, "/authors", token.as_deref(), Body::Empty).await;
        let authors = |whos: &[Who]| {
            let mut authors: Vec<String> = whos
                .iter()
                .map(|w| AuthorId::user(id(*w)).to_string())
                .collect();
            authors.sort();
            authors
        };
        let expected = match who {
            Who::Admin | Who::Coordinator => authors(&[Who::Volunteer, Who::Admin, Who::Staff]),
            Who::Chair | Who::Volunteer => authors(&[Who::Volunteer, Who::Admin]),
            Who::Staff => authors(&[Who::Staff]),
            _ => continue,
        };
        let mut seen: Vec<String> = body
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["name"].as_str().is_some_and(|n| !n.is_empty()))
            .filter_map(|a| a["author"].as_str().map(str::to_owned))
            .collect();
        seen.sort();
        if status != 200 || seen != expected {
            failures.push(format!("authors as {who:?}: {status} {body}"));
        }
    }
    for case in push_cases() {
        for &(who, ref token) in &city.tokens {
            cases += 1;
            let me = ids
                .iter()
                .find(|(w, _)| *w == who)
                .map_or(UserId(1), |(_, id)| *id);
            let mutation = (case.mutation)(&records, me);
            let (status, body) = sync(
                &city.app,
                token.as_deref(),
                Some(std::slice::from_ref(&mutation)),
            )
            .await;
            let outcome = body["results"][0]["outcome"].clone();
            let ok = if !SIGNED_IN.contains(&who) {
                status == 401 && body.as_object().is_some_and(|o| o.len() == 1)
            } else if case.applied.contains(&who) {
                status == 200 && outcome == json!("applied")
            } else {
                let expected = (case.refused)(who);
                let refused: Option<PushResponse> = serde_json::from_value(body.clone()).ok();
                status == 200
                    && refused.is_some_and(|r| matches!(&r.results[..], [r] if matches!(&r.outcome, Outcome::Rejected { code, message, .. } if *code == expected && !message.is_empty())))
            };
            if !ok {
                failures.push(format!("{} as {who:?}: {status} {body}", case.name));
            }
        }
    }
    println!("sync authorization matrix: {cases} cases");
    assert_eq!(
        cases,
        (push_cases().len() + 1) * EVERYONE.len() + SIGNED_IN.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
