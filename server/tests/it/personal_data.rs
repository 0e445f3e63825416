//! A person's rights over their own data, over real HTTP: nobody joins without agreeing to the
//! notice, and the agreement is kept; a person downloads what the server holds about them and
//! asks for their account's erasure; an admin carries it out — name, login, sessions and roles
//! go, the records and the report's counts stay.

use dvor_core::audit::{AuditAct, AuditPage};
use dvor_core::record::AuthorId;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::util::{PASSWORD, TestApp, city_with_admin, creation, join, now_ms};

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .request(method, app.url(&format!("/api/v1{path}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, path: &str, token: &str) -> (StatusCode, Value) {
    call(app, reqwest::Method::GET, path, Some(token), None).await
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
    call(app, reqwest::Method::POST, path, token, Some(body)).await
}

#[tokio::test]
async fn a_person_agrees_downloads_their_data_and_is_erased_at_their_request_while_their_work_stays()
 {
    let (mut app, admin, _temp) = city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик"], "centres": []}
    ]))
    .await;
    use reqwest::Method;
    // Without agreeing, nobody joins and nothing is made.
    let (_, invite) = post(
        &app,
        "/invites",
        Some(&admin),
        json!({"grant": {"role": "volunteer", "scope": {"committee": 1}}, "uses": 1, "days": 1}),
    )
    .await;
    let (status, body) = post(&app, "/invites/join", None, json!({"code": invite["code"], "name": "Ольга", "login": "olga@example.ru", "password": PASSWORD})) .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "consent_required");
    assert_eq!(body["error"]["field"], "consent");

    let volunteer = join(
        &app,
        &admin,
        json!({"role": "volunteer", "scope": {"committee": 1}}),
        "olga@example.ru",
    )
    .await;
    app.token = Some(volunteer.token.clone());
    let mut made = creation(1, now_ms(), 7);
    made.change.author = AuthorId::user(volunteer.me.id);
    app.push_applied(&[made]).await;
    let report_before = get(&app, "/report?from=2000-01-01&to=2100-12-31", &admin)
        .await
        .1;

    // What the server holds about them.
    let (status, mine) = get(&app, "/auth/my-data", &volunteer.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["me"]["login"], "olga@example.ru");
    assert!(
        mine["consented_at_ms"].as_i64().is_some_and(|at| at > 0),
        "{mine}"
    );
    assert_eq!(mine["erasure_requested_at_ms"], Value::Null);
    assert_eq!(mine["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(mine["records"].as_array().map(Vec::len), Some(1));
    assert_eq!(mine["acts"][0]["act"]["kind"], "invite_used");

    // They ask; only the city's admins see and carry out the request.
    for _ in 0..2 {
        let (status, _) = post(
            &app,
            "/auth/erasure-request",
            Some(&volunteer.token),
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (_, mine) = get(&app, "/auth/my-data", &volunteer.token).await;
    assert!(mine["erasure_requested_at_ms"].as_i64().is_some());
    let id = volunteer.me.id.0;
    let erase = format!("/accounts/{id}/erase");
    for (path, method) in [
        ("/accounts/erasure-requests", Method::GET),
        (erase.as_str(), Method::POST),
    ] {
        let (status, _) = call(&app, method, path, Some(&volunteer.token), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, requests) = get(&app, "/accounts/erasure-requests", &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        requests.as_array().map(Vec::len),
        Some(1),
        "asked twice, listed once"
    );
    assert_eq!(requests[0]["login"], "olga@example.ru");
    assert_eq!(
        post(&app, "/accounts/1/erase", Some(&admin), Value::Null)
            .await
            .0,
        StatusCode::NOT_FOUND,
        "the admin never asked"
    );
    assert_eq!(
        post(&app, &erase, Some(&admin), Value::Null).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        post(&app, &erase, Some(&admin), Value::Null).await.0,
        StatusCode::NOT_FOUND,
        "once"
    );
    let (_, requests) = get(&app, "/accounts/erasure-requests", &admin).await;
    assert_eq!(requests, json!([]));

    // They are gone: no session, no sign-in, no name anywhere; their work stays and counts.
    assert_eq!(
        get(&app, "/auth/me", &volunteer.token).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = post(
        &app,
        "/auth/login",
        None,
        json!({"login": "olga@example.ru", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.token = Some(admin.clone());
    let records = app.pull_all().await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].author.as_str(), format!("user:{id}"));
    let report_after = get(&app, "/report?from=2000-01-01&to=2100-12-31", &admin)
        .await
        .1;
    assert_eq!(report_after, report_before);
    let (_, authors) = get(&app, "/authors", &admin).await;
    assert!(
        !authors.to_string().contains(&format!("user:{id}")),
        "{authors}"
    );
    let (_, log) = get(&app, "/audit", &admin).await;
    let log: AuditPage = serde_json::from_value(log).expect("a page");
    assert_eq!(
        log.entries[0].act,
        AuditAct::AccountErased {
            person: volunteer.me.id
        }
    );
    let theirs: Vec<_> = log
        .entries
        .iter()
        .filter(|e| e.actor == Some(volunteer.me.id))
        .collect();
    assert!(
        theirs.len() >= 2 && theirs.iter().all(|e| e.actor_name.is_none()),
        "{theirs:?}"
    );
    // The login is free again for someone new.
    let again = join(
        &app,
        &admin,
        json!({"role": "volunteer", "scope": {"committee": 1}}),
        "olga@example.ru",
    )
    .await;
    assert_ne!(again.me.id, volunteer.me.id);
}
