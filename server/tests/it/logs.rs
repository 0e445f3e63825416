//! The server's log as a log collector reads it: JSON lines, one per request with the id the
//! answer carries, and nothing of a request's secrets.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Process, TestApp};

/// The log's JSON lines until one satisfies `wanted`, for at most ten seconds; all of them.
fn lines_until(process: &Process, wanted: impl Fn(&Value) -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if let Ok(line) = process.log.recv_timeout(Duration::from_millis(200)) {
            let parsed: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
            let found = wanted(&parsed);
            seen.push(line);
            if found {
                return seen;
            }
        }
    }
    panic!("no such line in {seen:#?}");
}

#[tokio::test]
async fn a_request_is_one_json_line_with_its_id_and_none_of_its_secrets() {
    let app = TestApp::start().await;
    let server = Process::start(&app, &["--log-format", "json"]).await;
    for line in &server.said {
        let parsed: Value = serde_json::from_str(line).expect("start-up lines are JSON too");
        assert!(
            parsed["timestamp"].is_string() && parsed["level"].is_string(),
            "{line}"
        );
    }
    let answer = reqwest::Client::new()
        .get(format!(
            "http://{}/api/v1/auth/me?code=SECRET-IN-QUERY",
            server.addr
        ))
        .bearer_auth("SECRET-TOKEN")
        .header("dvor-protocol", "3")
        .send()
        .await
        .expect("answered");
    let status = answer.status().as_u16();
    let id = answer.headers()["x-request-id"]
        .to_str()
        .expect("an id")
        .to_owned();
    let lines = lines_until(&server, |line| line["span"]["id"] == id.as_str());
    let line: Value = serde_json::from_str(lines.last().expect("a line")).expect("JSON");
    assert_eq!(line["message"], "answered", "{line}");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["path"], "/api/v1/auth/me");
    assert_eq!(line["status"], status);
    assert!(line["ms"].is_number(), "{line}");
    for line in &lines {
        assert!(!line.contains("SECRET"), "a secret reached the log: {line}");
    }

    // Each answer has an id of its own.
    let again = reqwest::Client::new()
        .get(format!("http://{}/api/v1/health", server.addr))
        .send()
        .await
        .expect("answered");
    assert_ne!(again.headers()["x-request-id"], id.as_str());
}
