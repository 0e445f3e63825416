//! Photos over real HTTP on 127.0.0.1, kept in the server's data directory (or, on the tests'
//! second pass, in an S3 bucket): a put is idempotent, and a blob whose hash, type or size is
//! wrong is refused with a 4xx.

use crate::util::{TestApp, signed_in_city};
use dvor_server::blobs::{BlobStore, S3Blobs};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The first bytes of a JPEG, then filler: the server checks the type by them, not more.
fn jpeg(filler: u8, len: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.resize(len, filler);
    bytes
}

fn hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn put(app: &TestApp, name: &str, mime: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let mut request = app
        .client
        .put(app.url(&format!("/api/v1/blobs/{name}")))
        .header("content-type", mime)
        .body(body);
    if let Some(token) = &app.token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_photo_is_stored_once_under_its_hash_and_read_back() {
    let app = signed_in_city().await;
    let photo = jpeg(7, 50_000);
    let name = hash(&photo);
    let (status, body) = put(&app, &name, "image/jpeg", photo.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["hash"], name.as_str());
    assert_eq!(body["size"], 50_000);
    let (again, _) = put(&app, &name, "image/jpeg", photo.clone()).await;
    assert_eq!(again, StatusCode::OK, "a retried upload changes nothing");

    let config = crate::database::config(app.data_dir().to_path_buf()).await;
    match config.s3() {
        None => {
            let stored = app.data_dir().join("blobs").join(&name[..2]).join(&name);
            assert_eq!(std::fs::read(&stored).expect("on disk"), photo);
            let leftovers = std::fs::read_dir(stored.parent().expect("dir"))
                .expect("dir")
                .count();
            assert_eq!(leftovers, 1, "no temporary file is left behind");
        }
        Some(bucket) => {
            let stored = S3Blobs::new(&bucket)
                .expect("the bucket")
                .get(name.parse().expect("a hash"))
                .await
                .expect("read");
            assert_eq!(stored, Some(photo.clone()), "in the bucket");
            assert!(!app.data_dir().join("blobs").exists(), "not on disk");
        }
    }

    let response = app
        .client
        .get(app.url(&format!("/api/v1/blobs/{name}")))
        .bearer_auth(app.token.as_deref().expect("signed in"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(
        response.bytes().await.expect("bytes").as_ref(),
        photo.as_slice()
    );
}

#[tokio::test]
async fn wrong_hash_type_or_size_is_refused_with_its_reason() {
    let app = signed_in_city().await;
    let photo = jpeg(1, 1_000);
    let cases = [
        (
            "bytes that do not match the hash",
            hash(&jpeg(2, 1_000)),
            "image/jpeg",
            photo.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_hash",
        ),
        (
            "a type the server does not keep",
            hash(&photo),
            "text/html",
            photo.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_image",
        ),
        (
            "bytes that are not the declared type",
            hash(b"<html>not a photo</html>"),
            "image/jpeg",
            b"<html>not a photo</html>".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_image",
        ),
        (
            "a blob over 4 MiB",
            hash(&jpeg(3, 4 * 1024 * 1024 + 1)),
            "image/jpeg",
            jpeg(3, 4 * 1024 * 1024 + 1),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
        (
            "a name that is not a hash",
            "photo.jpg".to_owned(),
            "image/jpeg",
            photo.clone(),
            StatusCode::BAD_REQUEST,
            "invalid_photo",
        ),
    ];
    for (case, name, mime, body, status, code) in cases {
        let (got, answer) = put(&app, &name, mime, body).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{case}"
        );
    }
    let blobs = app.data_dir().join("blobs");
    let stored = std::fs::read_dir(&blobs).map_or(0, |dirs| dirs.count());
    assert_eq!(stored, 0, "nothing refused is kept");

    let missing = app
        .client
        .get(app.url(&format!("/api/v1/blobs/{}", hash(b"never sent"))))
        .bearer_auth(app.token.as_deref().expect("signed in"))
        .send()
        .await
        .expect("answered");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn photos_need_a_session() {
    let mut app = signed_in_city().await;
    let photo = jpeg(5, 100);
    app.token = None;
    let (status, body) = put(&app, &hash(&photo), "image/jpeg", photo.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("not_signed_in"))
    );
    let read = app
        .client
        .get(app.url(&format!("/api/v1/blobs/{}", hash(&photo))))
        .send()
        .await
        .expect("answered");
    assert_eq!(read.status(), StatusCode::UNAUTHORIZED);
}
