//! The HTTP API's requests and errors over real HTTP on 127.0.0.1 against a real SQLite file.
//! What sync does with the records is in `sync.rs`.

use crate::util::{TestApp, change, mutation, now_ms, record, signed_in_city, subbotnik_values};
use dvor_core::protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION, PushRequest};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn push_body(mutations: usize) -> Value {
    let mutations = (0..mutations as u64)
        .map(|n| {
            mutation(
                1,
                n,
                change(
                    record(1),
                    1,
                    now_ms(),
                    n as u16,
                    subbotnik_values(3),
                    Some(false),
                ),
            )
        })
        .collect();
    serde_json::to_value(PushRequest { mutations }).expect("json")
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
        json!({ "version": env!("CARGO_PKG_VERSION"), "database": "ok", "serving": "ready" })
    );
}

#[tokio::test]
async fn a_process_told_to_stop_says_it_is_draining_while_it_still_answers() {
    let mut app = TestApp::start_configured(|config| config.drain_secs = 2).await;
    app.tell_to_stop();
    let mut seen = None;
    for _ in 0..100 {
        let response = app
            .client
            .get(app.url("/api/v1/health"))
            .send()
            .await
            .expect("still answering while draining");
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            seen = Some(response.json::<Value>().await.expect("json"));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        seen.expect("health said so"),
        json!({ "version": env!("CARGO_PKG_VERSION"), "database": "ok", "serving": "draining" })
    );
}

#[tokio::test]
async fn bad_requests_get_a_russian_error_on_their_field_and_write_nothing() {
    let app = signed_in_city().await;
    let token = app.token.clone().unwrap_or_default();
    let with = |edit: fn(&mut Value)| {
        let mut body = push_body(1);
        edit(&mut body);
        body.to_string()
    };
    let protocol = PROTOCOL_VERSION.to_string();
    // (case, body, content type, protocol, status, code, field, message)
    type Case = (
        &'static str,
        String,
        &'static str,
        Option<&'static str>,
        StatusCode,
        &'static str,
        Option<&'static str>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "malformed",
            "{\"mutations\": ".into(),
            "application/json",
            None,
            StatusCode::BAD_REQUEST,
            "malformed_json",
            None,
            "Тело запроса не является корректным JSON",
        ),
        (
            "trailing garbage",
            format!("{} x", push_body(1)),
            "application/json",
            None,
            StatusCode::BAD_REQUEST,
            "malformed_json",
            None,
            "Тело запроса не является корректным JSON",
        ),
        (
            "bad timestamp",
            with(|b| b["mutations"][0]["change"]["fields"]["date"]["hlc"] = json!("вчера")),
            "application/json",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_type",
            Some("mutations[0].change.fields.date.hlc"),
            "Неверный тип значения",
        ),
        (
            "unknown field",
            with(|b| b["mutations"][0]["change"]["colour"] = json!(1)),
            "application/json",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_field",
            Some("mutations[0].change.colour"),
            "Неизвестное поле",
        ),
        (
            "missing mutation id",
            with(|b| {
                b["mutations"][0]
                    .as_object_mut()
                    .map(|o| o.remove("mutation_id"));
            }),
            "application/json",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_field",
            Some("mutations[0].mutation_id"),
            "Не хватает обязательного поля",
        ),
        (
            "not json",
            push_body(1).to_string(),
            "text/plain",
            None,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            None,
            "Ожидается JSON (Content-Type: application/json)",
        ),
        (
            "too large",
            with(|b| {
                b["mutations"][0]["change"]["fields"]["site_address"]["value"] =
                    json!("д".repeat(600_000))
            }),
            "application/json",
            None,
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            None,
            "Запрос слишком большой: больше 1\u{202F}048\u{202F}576 байт",
        ),
        (
            "too many mutations",
            push_body(501).to_string(),
            "application/json",
            None,
            StatusCode::BAD_REQUEST,
            "bad_query",
            Some("mutations"),
            "Неверные параметры запроса",
        ),
        (
            "no protocol version",
            push_body(1).to_string(),
            "application/json",
            Some(""),
            StatusCode::UPGRADE_REQUIRED,
            "update_required",
            None,
            "Приложение устарело: обновите его (закройте и откройте снова), чтобы синхронизировать",
        ),
        (
            "old protocol version",
            push_body(1).to_string(),
            "application/json",
            Some("1"),
            StatusCode::UPGRADE_REQUIRED,
            "update_required",
            None,
            "Приложение устарело: обновите его (закройте и откройте снова), чтобы синхронизировать",
        ),
    ];
    for (name, body, content_type, version, status, code, field, message) in cases {
        let response = app
            .client
            .post(app.url("/api/v1/sync/push"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .header(PROTOCOL_HEADER, version.unwrap_or(&protocol))
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
    assert_eq!(app.pull_all().await, vec![], "nothing was half written");
}

#[tokio::test]
async fn bad_queries_and_unknown_paths_get_the_error_envelope() {
    let app = signed_in_city().await;
    let token = app.token.clone().unwrap_or_default();
    for (path, status, code) in [
        (
            "/api/v1/sync/pull?limit=0",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/v1/sync/pull?limit=501",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/v1/sync/pull?after=-1",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        ("/api/v1/activities", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let response = app
            .client
            .get(app.url(path))
            .bearer_auth(&token)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), status, "{path}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], code, "{path}");
    }
    let old = app
        .client
        .get(app.url("/api/v1/sync/pull"))
        .send()
        .await
        .expect("request");
    assert_eq!(old.status(), StatusCode::UPGRADE_REQUIRED);
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

#[tokio::test]
async fn every_response_forbids_inline_code_but_the_apps_own_framing_and_sniffing() {
    let dist = tempfile::tempdir().expect("temp dir");
    let start = "import init from '/dvor.js'; await init();";
    std::fs::write(
        dist.path().join("index.html"),
        format!("<!doctype html><title>Двор</title><script type=module>{start}</script>"),
    )
    .expect("write");
    let app = TestApp::start_with_static(dist.path().to_path_buf()).await;
    let digest = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(start.as_bytes()))
    };
    for path in ["/", "/new/cleanup_day", "/api/v1/health", "/api/v1/unknown"] {
        let response = app.client.get(app.url(path)).send().await.expect("request");
        let headers = response.headers();
        let policy = headers["content-security-policy"].to_str().expect("ASCII");
        assert!(
            policy.starts_with(&format!(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}'; style-src 'self';"
            )),
            "{path}: {policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
    }
}

/// Every `$ref` in `value`.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => found.push(target.clone()),
                    _ => refs(value, found),
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_resolves() {
    let app = TestApp::start().await;
    let response = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let document: Value = response.json().await.expect("JSON");
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1"))
    );
    assert_eq!(document["servers"][0]["url"], "/api/v1");
    let mut operations: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    operations.sort();
    assert_eq!(
        operations,
        [
            "GET /accounts/erasure-requests",
            "GET /audit",
            "GET /audit/export.csv",
            "GET /auth/me",
            "GET /auth/my-data",
            "GET /auth/sessions",
            "GET /authors",
            "GET /blobs/{hash}",
            "GET /device",
            "GET /export/{file}",
            "GET /health",
            "GET /map",
            "GET /reference",
            "GET /report",
            "GET /sync/pull",
            "GET /tiles/{z}/{x}/{y}",
            "POST /accounts/{id}/erase",
            "POST /auth/erasure-request",
            "POST /auth/login",
            "POST /auth/logout",
            "POST /auth/password",
            "POST /auth/reset",
            "POST /auth/reset-codes",
            "POST /auth/sessions/end-all",
            "POST /invites",
            "POST /invites/join",
            "POST /invites/preview",
            "POST /reference/centres",
            "POST /reference/committees",
            "POST /reference/districts",
            "POST /sync/push",
            "PUT /blobs/{hash}",
        ]
    );
    for operation in &operations {
        let (method, path) = operation.split_once(' ').expect("method and path");
        let path = path
            .replace("{hash}", &"0".repeat(64))
            .replace("{file}", "report.xlsx")
            .replace("{z}/{x}/{y}", "0/0/0");
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let answer = app
            .client
            .request(method, app.url(&format!("/api/v1{path}")))
            .send()
            .await
            .expect("answers");
        // No tile file is configured, so only a tile may be missing; anything else answering
        // 404 would be the fallback: a path described but not routed.
        let status = answer.status();
        assert!(
            status != StatusCode::NOT_FOUND || path.starts_with("/tiles/"),
            "{operation}: {status}"
        );
    }
    let mut found = Vec::new();
    refs(&document, &mut found);
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("schemas");
    for target in &found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("a schema reference: {target}"));
        assert!(schemas.contains_key(name), "{target} is described");
    }
    for name in [
        "ReportAnswer",
        "TallyRow",
        "LoanRow",
        "Envelope",
        "PullPage",
        "PushRequest",
        "ErrorBody",
        "Owner",
    ] {
        assert!(schemas.contains_key(name), "{name}");
    }
    assert_eq!(
        document["components"]["securitySchemes"]["session"]["scheme"],
        "bearer"
    );
    let export = &document["paths"]["/export/{file}"]["get"];
    let parameters: Vec<&str> = export["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(parameters, ["file", "from", "to", "district", "owner"]);
}
