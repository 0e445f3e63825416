//! Prometheus metrics on their own address, read after a scripted session: each named, and
//! counting what the session did.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::util::{Process, change, mutation, now_ms, record, signed_in_city, subbotnik_values};

/// The samples of the metrics page at `addr`: each series (name and labels as written) and
/// its value.
async fn scrape(addr: SocketAddr) -> BTreeMap<String, f64> {
    let response = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("answered");
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let text = response.text().await.expect("text");
    assert!(text.trim_end().ends_with("# EOF"), "OpenMetrics: {text}");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            Some((series.to_owned(), value.parse().ok()?))
        })
        .collect()
}

fn value(samples: &BTreeMap<String, f64>, series: &str) -> f64 {
    *samples
        .get(series)
        .unwrap_or_else(|| panic!("no {series} in {samples:#?}"))
}

#[tokio::test]
async fn metrics_are_named_and_count_a_scripted_session() {
    let city = signed_in_city().await;
    let server = Process::start(&city, &["--metrics-addr", "127.0.0.1:0"]).await;
    let metrics: SocketAddr = server
        .said
        .iter()
        .find_map(|line| {
            let (_, rest) = line.split_once("metrics on http://")?;
            rest.split('/').next()?.parse().ok()
        })
        .unwrap_or_else(|| panic!("the server names the metrics' address: {:?}", server.said));
    let app = city.at(server.addr);

    // Not on the app's own address.
    let on_app = reqwest::get(app.url("/metrics")).await.expect("answered");
    assert!(
        !on_app
            .text()
            .await
            .expect("text")
            .contains("dvor_http_requests")
    );

    let now = now_ms();
    let mut negative = subbotnik_values(0);
    negative.insert("measures.bags".into(), json!(-3));
    app.push(&[
        mutation(
            1,
            1,
            change(record(1), 1, now, 0, subbotnik_values(4), Some(false)),
        ),
        mutation(1, 2, change(record(2), 1, now, 0, negative, Some(false))),
    ])
    .await;
    app.pull(0, 100).await;
    let photo = {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.resize(10_000, 7);
        bytes
    };
    let stored = app
        .client
        .put(app.url(&format!(
            "/api/v1/blobs/{}",
            hex::encode(Sha256::digest(&photo))
        )))
        .header("content-type", "image/jpeg")
        .bearer_auth(app.token.as_deref().expect("signed in"))
        .body(photo)
        .send()
        .await
        .expect("answered");
    assert_eq!(stored.status(), reqwest::StatusCode::CREATED);
    let wrong = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": "nobody@example.ru", "password": "не тот пароль"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(wrong.status(), reqwest::StatusCode::UNAUTHORIZED);

    let samples = scrape(metrics).await;
    assert_eq!(
        value(
            &samples,
            r#"dvor_sync_mutations_total{outcome="applied",reason=""}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &samples,
            r#"dvor_sync_mutations_total{outcome="refused",reason="negative"}"#
        ),
        1.0
    );
    assert_eq!(value(&samples, "dvor_sync_pull_pages_total"), 1.0);
    assert_eq!(value(&samples, "dvor_photos_stored_total"), 1.0);
    assert_eq!(value(&samples, "dvor_photo_bytes_stored_total"), 10_000.0);
    assert_eq!(
        value(
            &samples,
            r#"dvor_sign_in_failures_total{reason="wrong_credentials"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &samples,
            r#"dvor_http_requests_total{route="/api/v1/sync/push",method="POST",status="200"}"#
        ),
        1.0
    );
    // One series per route, not per photo.
    assert_eq!(
        value(
            &samples,
            r#"dvor_http_requests_total{route="/api/v1/blobs/{hash}",method="PUT",status="201"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &samples,
            r#"dvor_http_request_duration_seconds_count{route="/api/v1/sync/pull",method="GET"}"#
        ),
        1.0
    );
    assert!(value(&samples, "dvor_sessions_open") >= 1.0);
    assert!(value(&samples, "dvor_database_size_bytes") > 0.0);
    assert_eq!(
        value(
            &samples,
            r#"dvor_background_jobs_total{job="erase_borrowers",result="ok"}"#
        ),
        1.0,
        "the erasure ran once as the server started"
    );
}
