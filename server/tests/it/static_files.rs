//! The built app and the API on the wire, over real HTTP: files sent as the build compressed
//! them by `Accept-Encoding`, hashed files kept a year, the rest revalidated by ETag (304 when
//! unchanged), and API answers compressed on the fly where it pays — never an XLSX or a photo.

use std::path::Path;

use crate::util::{TestApp, change, city_with_admin, mutation, now_ms, record, subbotnik_values};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::json;

const GLUE: &str = "/dvor-0123456789abcdef.js";
const WASM: &str = "/dvor-0123456789abcdef.wasm";
/// A chunk of screens fetched on first use (xtask/src/wasm.rs names them so).
const CHUNK: &str = "/split_desk-fedcba9876543210.wasm";

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliCompress(
        &mut &bytes[..],
        &mut out,
        &brotli::enc::BrotliEncoderParams::default(),
    )
    .expect("compressed");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("brotli");
    out
}

/// A dist/ as the build leaves it: each file with a `.br` beside it, the glue also a `.gz`.
fn dist(dir: &Path) {
    let files: [(&str, Vec<u8>); 5] = [
        (
            "/index.html",
            "<!doctype html><title>Двор</title>".repeat(20).into_bytes(),
        ),
        ("/sw.js", "// worker\n".repeat(200).into_bytes()),
        (
            GLUE,
            "export default function init() {}\n"
                .repeat(300)
                .into_bytes(),
        ),
        (WASM, [0u8, 97, 115, 109, 1, 0, 0, 0].repeat(500)),
        (CHUNK, [0u8, 97, 115, 109, 1, 0, 0, 0].repeat(50)),
    ];
    for (path, bytes) in files {
        let file = dir.join(path.trim_start_matches('/'));
        std::fs::write(&file, &bytes).expect("written");
        std::fs::write(format!("{}.br", file.display()), brotli(&bytes)).expect("written");
    }
    std::fs::write(dir.join("dvor-0123456789abcdef.js.gz"), b"gzip bytes").expect("written");
}

async fn get(
    app: &TestApp,
    path: &str,
    encodings: &str,
    validator: Option<&str>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = app
        .client
        .get(app.url(path))
        .header("accept-encoding", encodings);
    if let Some(tag) = validator {
        request = request.header("if-none-match", tag);
    }
    let response = request.send().await.expect("answered");
    let (status, headers) = (response.status(), response.headers().clone());
    (
        status,
        headers,
        response.bytes().await.expect("a body").to_vec(),
    )
}

#[tokio::test]
async fn files_go_as_the_build_compressed_them_and_are_cached_by_their_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    dist(dir.path());
    let app = TestApp::start_with_static(dir.path().to_path_buf()).await;
    for path in [GLUE, WASM, CHUNK] {
        let (status, headers, body) = get(&app, path, "gzip, deflate, br", None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers["content-encoding"], "br", "{path}");
        assert_eq!(headers["vary"], "accept-encoding", "{path}");
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{path}"
        );
        let original = std::fs::read(dir.path().join(path.trim_start_matches('/'))).expect("read");
        assert_eq!(unbrotli(&body), original, "{path}");
    }
    let (_, headers, body) = get(&app, GLUE, "gzip", None).await;
    assert_eq!(
        (headers["content-encoding"].to_str().ok(), body.as_slice()),
        (Some("gzip"), &b"gzip bytes"[..])
    );
    let (_, headers, body) = get(&app, WASM, "identity", None).await;
    assert!(!headers.contains_key("content-encoding"));
    assert_eq!(
        body.len(),
        4000,
        "uncompressed for a client that takes none"
    );

    for path in ["/index.html", "/sw.js", "/new/cleanup_day"] {
        let (status, headers, _) = get(&app, path, "br", None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers["cache-control"], "no-cache", "{path}");
        assert_eq!(headers["content-encoding"], "br", "{path}");
        let tag = headers["etag"].to_str().expect("ASCII").to_owned();
        assert!(tag.starts_with("W/\""), "{path}: {tag}");
        let (status, headers, body) = get(&app, path, "br", Some(&tag)).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(body.is_empty(), "{path}");
        assert_eq!(headers["etag"], tag.as_str(), "{path}");
        let (status, ..) = get(&app, path, "br", Some("W/\"another\"")).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{path}: a changed file is sent again"
        );
    }
    let (_, index, _) = get(&app, "/index.html", "br", None).await;
    let (_, deep_link, _) = get(&app, "/new/cleanup_day", "br", None).await;
    assert_eq!(index["etag"], deep_link["etag"], "a deep link is the shell");
}

#[tokio::test]
async fn api_answers_are_compressed_where_it_pays_and_never_a_workbook() {
    let (mut app, admin, _temp) = city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик"], "centres": []}
    ]))
    .await;
    app.token = Some(admin.clone());
    let mutations: Vec<_> = (0..200u16)
        .map(|n| {
            mutation(
                1,
                u64::from(n),
                change(
                    record(n),
                    1,
                    now_ms() - 10_000,
                    n,
                    subbotnik_values(u32::from(n)),
                    Some(false),
                ),
            )
        })
        .collect();
    app.push_applied(&mutations).await;
    let pull = |encoding: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let response = app
                .client
                .get(app.url("/api/v1/sync/pull?after=0&limit=500"))
                .bearer_auth(admin)
                .header(
                    dvor_core::protocol::PROTOCOL_HEADER,
                    dvor_core::protocol::PROTOCOL_VERSION.to_string(),
                )
                .header("accept-encoding", encoding)
                .send()
                .await
                .expect("answered");
            let headers = response.headers().clone();
            (headers, response.bytes().await.expect("a body").to_vec())
        }
    };
    let (plain_headers, plain) = pull("identity").await;
    assert!(!plain_headers.contains_key("content-encoding"));
    let (headers, compressed) = pull("br").await;
    assert_eq!(headers["content-encoding"], "br");
    let page = |bytes: &[u8]| {
        let mut page: serde_json::Value = serde_json::from_slice(bytes).expect("a page");
        page.as_object_mut()
            .expect("an object")
            .remove("server_time_ms");
        page
    };
    assert!(
        page(&unbrotli(&compressed)) == page(&plain),
        "the same page"
    );
    assert!(
        compressed.len() * 5 < plain.len(),
        "{} of {} bytes",
        compressed.len(),
        plain.len()
    );

    let xlsx = app
        .client
        .get(app.url("/api/v1/export/activities.xlsx?from=2024-01-01&to=2024-12-31"))
        .bearer_auth(&admin)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .expect("answered");
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(
        !xlsx.headers().contains_key("content-encoding"),
        "a zip is not compressed again"
    );
    assert!(
        xlsx.headers().contains_key("content-length"),
        "its length drives the progress bar"
    );
    let csv = app
        .client
        .get(app.url("/api/v1/export/activities.csv?from=2024-01-01&to=2024-12-31"))
        .bearer_auth(&admin)
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("answered");
    assert_eq!(csv.headers()["content-encoding"], "br");
    assert_eq!(
        csv.headers()["dvor-rows"],
        "200",
        "the row count still comes first"
    );
    let text =
        String::from_utf8(unbrotli(&csv.bytes().await.expect("the whole file"))).expect("UTF-8");
    assert_eq!(
        text.trim_end().lines().count(),
        201,
        "the headings and every row"
    );
}
