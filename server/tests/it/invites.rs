//! Invites over real HTTP on 127.0.0.1 against a real SQLite file: who may invite whom, where;
//! joining once per use; a person with an account taking on one more role.

use crate::util::{PASSWORD, TestApp, city_with_admin};
use dvor_core::access::{Grant, Role, Scope};
use dvor_core::account::UserId;
use dvor_server::auth::code_hash;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A city with one district («Рудничный»: committees 1 «Забойщик» and 2 «Рудник», centre 1)
/// and an admin; the admin's token.
async fn city() -> (TestApp, String, tempfile::TempDir) {
    city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик", "Рудник"], "centres": ["ЦРН"]}
    ]))
    .await
}

async fn call(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
    let mut request = app
        .client
        .post(format!("http://{}/api/v1{path}", app.addr))
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn invite(app: &TestApp, token: &str, grant: Value) -> (StatusCode, Value) {
    call(
        app,
        "/invites",
        Some(token),
        json!({"grant": grant, "uses": 1, "days": 7}),
    )
    .await
}

async fn join(app: &TestApp, code: &str, login: &str, password: &str) -> (StatusCode, Value) {
    call(
        app,
        "/invites/join",
        None,
        json!({"consent": true, "code": code, "name": "Мария Иванова", "login": login, "password": password}),
    )
    .await
}

fn code(body: &Value) -> &str {
    body["code"].as_str().expect("a code")
}

#[tokio::test]
async fn a_chair_invited_by_the_admin_invites_volunteers_to_their_committee_only() {
    let (app, admin, _temp) = city().await;
    let chair_grant = json!({"role": "chair", "scope": {"committee": 2}});
    let (status, made) = invite(&app, &admin, chair_grant.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["link"], format!("/join#{}", code(&made)));
    assert_eq!(made["uses_left"], 1);

    // Typed on a phone: lower case, spaces instead of dashes.
    let typed = code(&made).to_lowercase().replace('-', " ");
    let (status, chair) = join(&app, &typed, "8 905 000-00-01", PASSWORD).await;
    assert_eq!(status, StatusCode::CREATED, "{chair}");
    assert_eq!(chair["me"]["grants"], json!([chair_grant]));
    let chair = chair["token"].as_str().expect("token").to_owned();

    let (status, again) = join(&app, code(&made), "8 905 000-00-02", PASSWORD).await;
    assert_eq!(
        (status, again["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("invite_invalid"))
    );

    let volunteer =
        |committee: u32| json!({"role": "volunteer", "scope": {"committee": committee}});
    assert_eq!(
        invite(&app, &chair, volunteer(2)).await.0,
        StatusCode::CREATED
    );
    let (status, body) = invite(&app, &chair, volunteer(1)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    assert_eq!(
        body["error"]["message"],
        "Недостаточно прав для этого действия"
    );
    assert_eq!(
        invite(
            &app,
            &chair,
            json!({"role": "chair", "scope": {"committee": 2}})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        invite(&app, &chair, json!({"role": "admin", "scope": "city"}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    let (_, made) = invite(&app, &chair, volunteer(2)).await;
    let (status, joined) = join(&app, code(&made), "volunteer@example.ru", PASSWORD).await;
    assert_eq!(status, StatusCode::CREATED);
    let volunteer_token = joined["token"].as_str().expect("token");
    assert_eq!(
        invite(&app, volunteer_token, volunteer(2)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        invite(&app, "not a token", volunteer(2)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_person_with_an_account_takes_on_one_more_role_with_their_own_password() {
    let (app, admin, _temp) = city().await;
    let (_, first) = invite(
        &app,
        &admin,
        json!({"role": "volunteer", "scope": {"committee": 1}}),
    )
    .await;
    join(&app, code(&first), "8 905 000-00-03", PASSWORD).await;
    let staff = json!({"role": "centre_staff", "scope": {"centre": 1}});
    let (_, second) = invite(&app, &admin, staff.clone()).await;

    let (status, body) = join(&app, code(&second), "+79050000003", "чужой пароль!").await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::CONFLICT, Some("login"))
    );
    assert_eq!(
        body["error"]["message"],
        "Этот логин уже занят. Если это вы, введите свой пароль"
    );

    let (status, body) = join(&app, code(&second), "+79050000003", PASSWORD).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["me"]["grants"],
        json!([{"role": "centre_staff", "scope": {"centre": 1}}, {"role": "volunteer", "scope": {"committee": 1}}])
    );
}

#[tokio::test]
async fn invites_are_bounded_and_must_name_a_place_that_exists() {
    let (app, admin, _temp) = city().await;
    let grant = json!({"role": "volunteer", "scope": {"committee": 1}});
    for (body, status, code, field) in [
        (
            json!({"grant": grant, "uses": 0, "days": 7}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_small",
            "uses",
        ),
        (
            json!({"grant": grant, "uses": 1, "days": 31}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_large",
            "days",
        ),
        (
            json!({"grant": {"role": "volunteer", "scope": {"committee": 99}}, "uses": 1, "days": 7}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_found",
            "grant.scope",
        ),
    ] {
        let (got, answer) = call(&app, "/invites", Some(&admin), body).await;
        assert_eq!(got, status, "{answer}");
        assert_eq!(answer["error"]["code"], code);
        assert_eq!(answer["error"]["field"], field);
    }
    let (got, _) = call(
        &app,
        "/invites",
        Some(&admin),
        json!({"grant": {"role": "volunteer", "scope": "city"}, "uses": 1, "days": 7}),
    )
    .await;
    assert_eq!(
        got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a volunteer of the whole city cannot exist"
    );
}

#[tokio::test]
async fn an_expired_invite_lets_nobody_in() {
    let (app, _admin, temp) = city().await;
    let db = crate::database::open(temp.path().join("data")).await;
    let now = chrono::Utc::now().timestamp_millis();
    let grant = Grant::new(
        Role::Volunteer,
        Scope::Committee(dvor_core::access::CommitteeId(1)),
    )
    .expect("fits");
    db.create_invite(
        &code_hash("OLD0-OLD0-OLD0"),
        &grant,
        UserId(1),
        now - 10_000,
        now - 1,
        5,
    )
    .await
    .expect("stored");
    let (status, body) = join(&app, "old0-old0-old0", "late@example.ru", PASSWORD).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("invite_invalid"))
    );
    let (status, body) = call(
        &app,
        "/auth/login",
        None,
        json!({"login": "late@example.ru", "password": PASSWORD}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("wrong_credentials")),
        "no account was made"
    );
}

#[tokio::test]
async fn an_open_invite_says_what_it_is_for_and_a_used_or_wrong_one_says_nothing() {
    let (app, admin, _temp) = city().await;
    let (_, made) = invite(
        &app,
        &admin,
        json!({"role": "volunteer", "scope": {"committee": 2}}),
    )
    .await;
    let preview = |code: String| {
        let app = &app;
        async move { call(app, "/invites/preview", None, json!({ "code": code })).await }
    };
    // As typed on a phone, too.
    let (status, shown) = preview(code(&made).to_lowercase()).await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(
        shown["grant"],
        json!({"role": "volunteer", "scope": {"committee": 2}})
    );
    assert_eq!(shown["place"], "Рудник");
    assert_eq!(shown["expires_at_ms"], made["expires_at_ms"]);

    let (status, city_wide) = invite(&app, &admin, json!({"role": "admin", "scope": "city"})).await;
    assert_eq!(status, StatusCode::CREATED, "{city_wide}");
    let (_, shown) = preview(code(&city_wide).to_owned()).await;
    assert_eq!(shown["place"], Value::Null, "the city has no place name");

    let (status, wrong) = preview("0000-0000-0000".to_owned()).await;
    assert_eq!(
        (status, wrong["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("invite_invalid"))
    );
    let (status, _) = join(&app, code(&made), "8 905 000-00-09", PASSWORD).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = preview(code(&made).to_owned()).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a used-up invite says nothing"
    );
}
