//! The authorization matrix over real HTTP on 127.0.0.1 against a real SQLite file: every role,
//! and every way of not being signed in, against every endpoint that needs a session, in the
//! person's own scope and in someone else's. Each case asserts the exact status and that a
//! refusal carries nothing but the error.
//!
//! Sync joins this table when it is put behind sessions (issue 4); the count of cases is
//! printed so the closing notes can report it.

mod util;

use std::sync::atomic::{AtomicUsize, Ordering};

use dvor_core::access::{Grant, Role, Scope};
use dvor_core::account::UserId;
use dvor_server::auth::new_token;
use dvor_server::db::Db;
use serde_json::{Value, json};
use util::{ADMIN, PASSWORD, TestApp, city_with_admin};

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
        let (_, invite) = send(
            &app,
            "/invites",
            admin.as_deref(),
            json!({"grant": grant, "uses": 1, "days": 1}),
        )
        .await;
        let (status, joined) = send(
            &app,
            "/invites/join",
            None,
            json!({"code": invite["code"], "name": "Участник", "login": login, "password": PASSWORD}),
        )
        .await;
        assert_eq!(status, 201, "{who:?}: {joined}");
        tokens.push((who, joined["token"].as_str().map(str::to_owned)));
    }
    let db = Db::open(&data.join("dvor.sqlite3")).await.expect("opens");
    let now = chrono::Utc::now().timestamp_millis();
    let (expired, hash) = new_token().expect("random");
    db.start_session(UserId(1), &hash, "", now - 10_000, now - 1)
        .await
        .expect("stored");
    let ended = send(
        &app,
        "/auth/login",
        None,
        json!({"login": ADMIN, "password": PASSWORD}),
    )
    .await
    .1["token"]
        .as_str()
        .map(str::to_owned);
    send(&app, "/auth/logout", ended.as_deref(), Value::Null).await;
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

async fn send(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let url = format!("http://{}/api/v1{path}", app.addr);
    let mut request = if body.is_null() && !path.starts_with("/auth/logout") {
        app.client.get(url)
    } else {
        app.client.post(url).json(&body)
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
    body: fn(usize) -> Value,
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
            body: |_| Value::Null,
            allowed: &SIGNED_IN,
            status: 200,
        },
        Case {
            name: "my sessions",
            path: "/auth/sessions",
            body: |_| Value::Null,
            allowed: &SIGNED_IN,
            status: 200,
        },
        Case {
            name: "add a district",
            path: "/reference/districts",
            body: |n| json!({"name": format!("Район {n}")}),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "add a committee",
            path: "/reference/committees",
            body: |n| json!({"district": 1, "name": format!("Комитет {n}")}),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite a volunteer to committee 1",
            path: "/invites",
            body: |_| invite(json!({"role": "volunteer", "scope": {"committee": 1}})),
            allowed: &[Who::Admin, Who::Chair],
            status: 201,
        },
        Case {
            name: "invite a volunteer to another district's committee",
            path: "/invites",
            body: |_| invite(json!({"role": "volunteer", "scope": {"committee": 3}})),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite a volunteer to a neighbouring committee",
            path: "/invites",
            body: |_| invite(json!({"role": "volunteer", "scope": {"committee": 2}})),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite staff to centre 1",
            path: "/invites",
            body: |_| invite(json!({"role": "centre_staff", "scope": {"centre": 1}})),
            allowed: &[Who::Admin, Who::Staff],
            status: 201,
        },
        Case {
            name: "invite staff to another centre",
            path: "/invites",
            body: |_| invite(json!({"role": "centre_staff", "scope": {"centre": 2}})),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite a chair",
            path: "/invites",
            body: |_| invite(json!({"role": "chair", "scope": {"committee": 1}})),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite a coordinator",
            path: "/invites",
            body: |_| invite(json!({"role": "coordinator", "scope": {"district": 1}})),
            allowed: &[Who::Admin],
            status: 201,
        },
        Case {
            name: "invite an admin",
            path: "/invites",
            body: |_| invite(json!({"role": "admin", "scope": "city"})),
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
        let (status, me) = send(&city.app, "/auth/me", token.as_deref(), Value::Null).await;
        assert_eq!(status, 200);
        assert_eq!(me["grants"], json!([grant.expect("fits")]), "{who:?}");
    }
}
