//! The browser's mark over real HTTP on 127.0.0.1 against a real SQLite file: given at sign-in,
//! telling a browser whose storage was erased what the server holds from it, taken away at
//! sign-out.

use crate::util::{
    ADMIN, PASSWORD, TestApp, change, mutation, now_ms, record, signed_in_city, subbotnik_values,
};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};

/// What `GET /api/v1/device` answers to a browser sending `cookie`.
async fn trace(app: &TestApp, cookie: Option<&str>) -> (StatusCode, Value) {
    let mut request = app.client.get(app.url("/api/v1/device"));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_browser_that_lost_its_storage_learns_what_the_server_holds_from_it() {
    let mut app = signed_in_city().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "login": ADMIN, "password": PASSWORD }))
        .send()
        .await
        .expect("answered");
    let given = response
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a mark is given")
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/device"] {
        assert!(given.contains(attribute), "{given}");
    }
    let cookie = given.split(';').next().expect("name=value").to_owned();
    let signed_in: Value = response.json().await.expect("JSON");
    app.token = signed_in["token"].as_str().map(str::to_owned);

    let (status, nothing_yet) = trace(&app, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(nothing_yet["pushed"], 0);
    assert_eq!(nothing_yet["last_push_at_ms"], Value::Null);

    let before = now_ms();
    let made = |n: u16| {
        mutation(
            1,
            u64::from(n),
            change(record(n), 1, now_ms(), n, subbotnik_values(3), Some(false)),
        )
    };
    let batch = [made(1), made(2)];
    app.push_applied(&batch).await;
    // A repeated push (its answer lost on the way) takes nothing more.
    app.push(&batch).await;
    let (status, pushed) = trace(&app, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(pushed["pushed"], 2);
    let last = pushed["last_push_at_ms"].as_u64().expect("a push time");
    assert!(last >= before, "{last} < {before}");

    for stranger in [None, Some("dvor_device=0123"), Some("other=1")] {
        assert_eq!(
            trace(&app, stranger).await.0,
            StatusCode::NO_CONTENT,
            "{stranger:?}"
        );
    }

    let signed_out = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(app.token.as_deref().expect("token"))
        .send()
        .await
        .expect("answered");
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    let removal = signed_out
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("the mark is taken away");
    assert!(
        removal.starts_with("dvor_device=;") && removal.contains("Max-Age=0"),
        "{removal}"
    );
}
