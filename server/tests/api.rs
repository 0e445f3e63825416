//! The HTTP API over real HTTP on 127.0.0.1 against a real SQLite file.

mod util;

use reqwest::StatusCode;
use serde_json::{Value, json};
use util::TestApp;

fn subbotnik(id: &str) -> Value {
    json!({
        "id": id,
        "kind": "cleanup_day",
        "date": "2024-05-18",
        "committee": "Рудник",
        "site_address": "ул. Стахановская, 27",
        "measures": { "participants": 25, "bags": 40 }
    })
}

const ID_A: &str = "019a0000-0000-7000-8000-000000000001";
const ID_B: &str = "019a0000-0000-7000-8000-000000000002";
const ID_C: &str = "019a0000-0000-7000-8000-000000000003";

async fn post(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/api/v1/activities"))
        .json(body)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.expect("json body"))
}

async fn list(app: &TestApp, query: &str) -> Value {
    let response = app
        .client
        .get(app.url(&format!("/api/v1/activities{query}")))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json body")
}

#[tokio::test]
async fn health_reports_version_and_database() {
    let app = TestApp::start().await;
    let response = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body,
        json!({ "version": env!("CARGO_PKG_VERSION"), "database": "ok" })
    );
}

#[tokio::test]
async fn a_created_activity_is_listed_with_its_values() {
    let app = TestApp::start().await;
    let (status, body) = post(&app, &subbotnik(ID_A)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body, subbotnik(ID_A));
    assert_eq!(
        list(&app, "").await,
        json!({ "items": [subbotnik(ID_A)], "cursor": 1, "has_more": false, "remaining": 0 })
    );
}

#[tokio::test]
async fn a_retried_create_is_stored_once() {
    let app = TestApp::start().await;
    assert_eq!(post(&app, &subbotnik(ID_A)).await.0, StatusCode::CREATED);
    let (status, body) = post(&app, &subbotnik(ID_A)).await;
    assert_eq!(status, StatusCode::OK, "a retry is acknowledged as success");
    assert_eq!(body, subbotnik(ID_A));
    assert_eq!(
        list(&app, "").await["items"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn an_id_reused_for_different_contents_is_refused_and_nothing_changes() {
    let app = TestApp::start().await;
    post(&app, &subbotnik(ID_A)).await;
    let mut other = subbotnik(ID_A);
    other["measures"]["bags"] = json!(41);
    let (status, body) = post(&app, &other).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "id_conflict");
    assert_eq!(body["error"]["field"], "id");
    assert_eq!(list(&app, "").await["items"], json!([subbotnik(ID_A)]));
}

#[tokio::test]
async fn pages_follow_the_cursor_and_say_when_more_follow() {
    let app = TestApp::start().await;
    for id in [ID_A, ID_B, ID_C] {
        post(&app, &subbotnik(id)).await;
    }
    let first = list(&app, "?limit=2").await;
    assert_eq!(first["items"], json!([subbotnik(ID_A), subbotnik(ID_B)]));
    assert_eq!(
        (
            first["cursor"].clone(),
            first["has_more"].clone(),
            first["remaining"].clone()
        ),
        (json!(2), json!(true), json!(1))
    );
    let second = list(&app, "?after=2&limit=2").await;
    assert_eq!(
        second,
        json!({ "items": [subbotnik(ID_C)], "cursor": 3, "has_more": false, "remaining": 0 })
    );
    let exact = list(&app, "?after=1&limit=2").await;
    assert_eq!(
        exact["has_more"],
        json!(false),
        "a full last page does not claim more"
    );
    assert_eq!(
        list(&app, "?after=3").await,
        json!({ "items": [], "cursor": 3, "has_more": false, "remaining": 0 })
    );
}

#[tokio::test]
async fn records_survive_a_restart() {
    let app = TestApp::start().await;
    post(&app, &subbotnik(ID_A)).await;
    let app = app.restart().await;
    assert_eq!(list(&app, "").await["items"], json!([subbotnik(ID_A)]));
}

#[tokio::test]
async fn bad_input_gets_a_russian_error_on_its_field_and_writes_nothing() {
    let app = TestApp::start().await;
    let with = |edit: fn(&mut Value)| {
        let mut body = subbotnik(ID_A);
        edit(&mut body);
        body.to_string()
    };
    // (case, body, content type, status, code, field, message)
    type Case = (
        &'static str,
        String,
        &'static str,
        StatusCode,
        &'static str,
        Option<&'static str>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "malformed",
            "{\"id\": ".into(),
            "application/json",
            StatusCode::BAD_REQUEST,
            "malformed_json",
            None,
            "Тело запроса не является корректным JSON",
        ),
        (
            "trailing garbage",
            format!("{} x", subbotnik(ID_A)),
            "application/json",
            StatusCode::BAD_REQUEST,
            "malformed_json",
            None,
            "Тело запроса не является корректным JSON",
        ),
        (
            "wrong type",
            with(|b| b["measures"]["participants"] = json!("двадцать")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_type",
            Some("measures.participants"),
            "Неверный тип значения",
        ),
        (
            "fraction",
            with(|b| b["measures"]["bags"] = json!(1.5)),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_type",
            Some("measures.bags"),
            "Неверный тип значения",
        ),
        (
            "unknown field",
            with(|b| b["colour"] = json!(1)),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_field",
            Some("colour"),
            "Неизвестное поле",
        ),
        (
            "missing field",
            with(|b| {
                b.as_object_mut().map(|o| o.remove("date"));
            }),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_field",
            Some("date"),
            "Не хватает обязательного поля",
        ),
        (
            "negative",
            with(|b| b["measures"]["bags"] = json!(-3)),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "negative",
            Some("measures.bags"),
            "Число не может быть отрицательным",
        ),
        (
            "empty committee",
            with(|b| b["committee"] = json!("   ")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "required",
            Some("committee"),
            "Заполните это поле",
        ),
        (
            "future date",
            with(|b| b["date"] = json!("2999-01-01")),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "date_in_future",
            Some("date"),
            "Дата не может быть в будущем",
        ),
        (
            "not json",
            subbotnik(ID_A).to_string(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            None,
            "Ожидается JSON (Content-Type: application/json)",
        ),
        (
            "too large",
            with(|b| b["site_address"] = json!("д".repeat(70_000))),
            "application/json",
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            None,
            "Запрос слишком большой: больше 65\u{202F}536 байт",
        ),
    ];
    for (name, body, content_type, status, code, field, message) in cases {
        let response = app
            .client
            .post(app.url("/api/v1/activities"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), status, "{name}");
        let body: Value = response.json().await.expect("a JSON error body");
        let mut expected = json!({ "error": { "code": code, "message": message } });
        if let Some(field) = field {
            expected["error"]["field"] = json!(field);
        }
        assert_eq!(body, expected, "{name}");
    }
    assert_eq!(
        list(&app, "").await["items"],
        json!([]),
        "nothing was half written"
    );
}

#[tokio::test]
async fn bad_queries_and_unknown_paths_get_the_error_envelope() {
    let app = TestApp::start().await;
    for (path, status, code) in [
        (
            "/api/v1/activities?limit=0",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/v1/activities?limit=501",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/v1/activities?after=-1",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let response = app.client.get(app.url(path)).send().await.expect("request");
        assert_eq!(response.status(), status, "{path}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], code, "{path}");
    }
}

#[tokio::test]
async fn the_web_app_is_served_with_deep_links_falling_back_to_index() {
    let dist = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Двор</title>",
    )
    .expect("write");
    std::fs::write(dist.path().join("sw.js"), "// worker").expect("write");
    let app = TestApp::start_with_static(dist.path().to_path_buf()).await;
    for (path, expected) in [
        ("/", "Двор"),
        ("/new/cleanup_day", "Двор"),
        ("/sw.js", "// worker"),
    ] {
        let response = app.client.get(app.url(path)).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            response.text().await.expect("text").contains(expected),
            "{path}"
        );
    }
    let api = app
        .client
        .get(app.url("/api/v1/unknown"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        api.status(),
        StatusCode::NOT_FOUND,
        "the API does not fall back to the app"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sends_of_one_record_store_it_once() {
    let app = TestApp::start().await;
    let url = app.url("/api/v1/activities");
    let sends: Vec<_> = (0..16)
        .map(|_| {
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&subbotnik(ID_A))
                    .send()
                    .await
                    .expect("request")
                    .status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for send in sends {
        statuses.push(send.await.expect("task"));
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(list(&app, "").await["items"], json!([subbotnik(ID_A)]));
}

#[tokio::test]
async fn paging_while_others_write_returns_every_record_exactly_once() {
    let app = TestApp::start().await;
    let id = |n: u32| format!("019a0000-0000-7000-8000-{n:012}");
    for n in 0..7 {
        post(&app, &subbotnik(&id(n))).await;
    }
    let (mut seen, mut cursor, mut written) = (Vec::new(), 0, 7);
    loop {
        let page = list(&app, &format!("?after={cursor}&limit=3")).await;
        for item in page["items"].as_array().expect("items") {
            seen.push(item["id"].as_str().expect("id").to_owned());
        }
        cursor = page["cursor"].as_u64().expect("cursor");
        if written < 12 {
            // Someone else writes between our pages.
            post(&app, &subbotnik(&id(written))).await;
            written += 1;
        } else if page["has_more"] == json!(false) {
            break;
        }
    }
    assert_eq!(seen, (0..written).map(id).collect::<Vec<_>>());
}
