//! Accounts over real HTTP on 127.0.0.1 against a real SQLite file: the first admin, signing
//! in and out, sessions that end, and the brake on guessing.

use crate::util::TestApp;
use dvor_core::account::UserId;
use dvor_server::auth::{new_token, token_hash};
use dvor_server::commands::{CommandError, PasswordSource, create_admin};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "субботник в мае";
const TABLET: &str = "Mozilla/5.0 (Linux; Android 14; SM-X200) Chrome/156";

/// A server whose first admin is `8 905 123-45-67`.
async fn with_admin() -> (TestApp, tempfile::TempDir) {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    create_admin(
        &crate::database::config(data.clone()).await,
        "8 905 123-45-67",
        "Анна Петрова",
        PasswordSource::Given(PASSWORD.into()),
    )
    .await
    .expect("created");
    (TestApp::start_on(data).await, temp)
}

async fn login(app: &TestApp, login: &str, password: &str) -> (StatusCode, Value) {
    let response = app
        .client
        .post(format!("http://{}/api/v1/auth/login", app.addr))
        .header("user-agent", TABLET)
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .expect("answered");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = app.client.get(format!("http://{}/api/v1{path}", app.addr));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, path: &str, token: &str) -> StatusCode {
    app.client
        .post(format!("http://{}/api/v1{path}", app.addr))
        .bearer_auth(token)
        .send()
        .await
        .expect("answered")
        .status()
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn the_first_admin_signs_in_however_the_phone_is_typed_and_out_again() {
    let (app, _temp) = with_admin().await;
    let (status, signed_in) = login(&app, "+7 (905) 123 45 67", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    let token = signed_in["token"].as_str().expect("a token").to_owned();
    assert_eq!(
        signed_in["me"],
        json!({"id": 1, "name": "Анна Петрова", "login": "+79051234567",
               "grants": [{"role": "admin", "scope": "city"}]})
    );
    let (status, me) = get(&app, "/auth/me", Some(&token)).await;
    assert_eq!(
        (status, &me["name"]),
        (StatusCode::OK, &json!("Анна Петрова"))
    );

    let (status, body) = get(&app, "/auth/me", None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "not_signed_in")
    );
    assert_eq!(body["error"]["message"], "Войдите в приложение");

    assert_eq!(
        post(&app, "/auth/logout", &token).await,
        StatusCode::NO_CONTENT
    );
    let (status, body) = get(&app, "/auth/me", Some(&token)).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "session_ended")
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_get_the_same_answer() {
    let (app, _temp) = with_admin().await;
    let wrong = login(&app, "89051234567", "не тот пароль").await;
    let unknown = login(&app, "nobody@example.ru", PASSWORD).await;
    let garbage = login(&app, "!!!", PASSWORD).await;
    for (status, body) in [&wrong, &unknown, &garbage] {
        assert_eq!(*status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body["error"],
            json!({"code": "wrong_credentials", "message": "Неверный логин или пароль"})
        );
    }
}

#[tokio::test]
async fn repeated_failures_slow_a_new_device_down_even_with_the_right_password() {
    let (app, _temp) = with_admin().await;
    for _ in 0..5 {
        assert_eq!(
            login(&app, "89051234567", "не тот пароль").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let response = app
        .client
        .post(format!("http://{}/api/v1/auth/login", app.addr))
        .json(&json!({ "login": "89051234567", "password": PASSWORD }))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=15).contains(&wait), "the first delay: {wait} s");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(code(&body), "too_many_attempts");
    assert_eq!(
        body["error"]["message"],
        format!("Слишком много неудачных попыток. Попробуйте через {wait} с.")
    );
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_person() {
    let (app, _temp) = with_admin().await;
    let phone = login(&app, "89051234567", PASSWORD).await.1["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let tablet = login(&app, "89051234567", PASSWORD).await.1["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let (status, list) = get(&app, "/auth/sessions", Some(&tablet)).await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(list[0]["device"], TABLET);
    assert!(
        !list.iter().any(|s| s.to_string().contains(&tablet)),
        "no token is listed"
    );

    assert_eq!(
        post(&app, "/auth/sessions/end-all", &phone).await,
        StatusCode::NO_CONTENT
    );
    for token in [&phone, &tablet] {
        let (status, body) = get(&app, "/auth/me", Some(token)).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNAUTHORIZED, "session_ended")
        );
    }
}

#[tokio::test]
async fn an_expired_session_asks_to_sign_in_again() {
    let (app, temp) = with_admin().await;
    let db = crate::database::open(temp.path().join("data")).await;
    let (token, hash) = new_token().expect("random");
    assert_eq!(hash, token_hash(&token));
    let now = chrono::Utc::now().timestamp_millis();
    db.start_session(
        UserId(1),
        &hash,
        "",
        "старый телефон",
        now - 10_000,
        now - 1,
    )
    .await
    .expect("stored");
    let (status, body) = get(&app, "/auth/me", Some(&token)).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "session_ended")
    );
}

#[tokio::test]
async fn the_first_admin_needs_a_good_password_and_a_free_login() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    let short = create_admin(
        &crate::database::config(data.clone()).await,
        "anna@mail.ru",
        "Анна",
        PasswordSource::Given("короткий".into()),
    )
    .await
    .expect_err("refused");
    assert_eq!(short.to_string(), "password: Пароль не короче 10 символов");
    let bad_login = create_admin(
        &crate::database::config(data.clone()).await,
        "анна",
        "Анна",
        PasswordSource::Given(PASSWORD.into()),
    )
    .await
    .expect_err("refused");
    assert!(matches!(
        bad_login,
        CommandError::Invalid { field: "login", .. }
    ));
    create_admin(
        &crate::database::config(data.clone()).await,
        "anna@mail.ru",
        "Анна",
        PasswordSource::Given(PASSWORD.into()),
    )
    .await
    .expect("created");
    let again = create_admin(
        &crate::database::config(data.clone()).await,
        "Anna@Mail.ru",
        "Анна",
        PasswordSource::Given(PASSWORD.into()),
    )
    .await
    .expect_err("refused");
    assert!(matches!(again, CommandError::LoginTaken(_)));
}

#[tokio::test]
async fn a_scripted_install_creates_the_first_admin_from_the_environment() {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = crate::database::server_command(temp.path())
        .await
        .arg("create-admin")
        .env("DVOR_ADMIN_LOGIN", "admin@kemerovo.example")
        .env("DVOR_ADMIN_NAME", "Администратор")
        .env("DVOR_ADMIN_PASSWORD", PASSWORD)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "administrator admin@kemerovo.example created (user 1)"
    );
}
