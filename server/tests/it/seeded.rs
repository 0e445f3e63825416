//! A seeded city for the tests that move or copy one whole (`migrate`, `backup`): its
//! records, accounts, sessions and a photo, and what its people see of it.

use std::path::Path;

use dvor_core::protocol::PushResponse;
use dvor_server::config::Config;
use serde_json::{Value, json};

use crate::util::{TestApp, admin_signs_in, creation, join, now_ms, prepare_city};

/// A city on SQLite in `data`: Kemerovo's districts, a committee, its admin and a volunteer,
/// 120 subbotniks; the server stopped. The admin's and the volunteer's session tokens.
pub async fn seeded_city(data: &Path) -> (String, String, PushResponse, Snapshot) {
    let sqlite = Config::in_dir(data.to_path_buf());
    std::fs::create_dir_all(data).expect("data dir");
    prepare_city(
        &sqlite,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("reference/kemerovo.json"),
    )
    .await;
    let mut app = TestApp::start_in(sqlite).await;
    let admin = admin_signs_in(&app).await;
    app.token = Some(admin.clone());
    let committee = add_committee(&app, &admin, "Забойщик").await;
    assert_eq!(committee["id"], 1, "{committee}");
    let volunteer = join(
        &app,
        &admin,
        json!({"role": "volunteer", "scope": {"committee": 1}}),
        "volunteer@example.ru",
    )
    .await;
    let now = now_ms();
    app.push_applied(
        &(0..120)
            .map(|n| creation(n, now, u32::from(n % 7) + 1))
            .collect::<Vec<_>>(),
    )
    .await;
    let retried = app.push(&[creation(0, now, 99)]).await;
    let stored = app
        .client
        .put(app.url(&format!("/api/v1/blobs/{}", photo_hash())))
        .bearer_auth(&admin)
        .header("content-type", "image/jpeg")
        .body(PHOTO.to_vec())
        .send()
        .await
        .expect("answered");
    assert_eq!(stored.status(), reqwest::StatusCode::CREATED);
    let before = Snapshot::of(&app).await;
    app.stop().await;
    (admin, volunteer.token, retried, before)
}

/// A photo of the seeded city.
pub const PHOTO: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8];

pub fn photo_hash() -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(PHOTO))
}

/// Checks that `app` holds the seeded city's people and photo: the volunteer's session still
/// works, the admin's password signs them in, the photo reads back whole.
pub async fn assert_people_and_photo(app: &TestApp, admin: &str, volunteer: &str) {
    let me = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(volunteer)
        .send()
        .await
        .expect("answered");
    assert_eq!(me.status(), reqwest::StatusCode::OK);
    admin_signs_in(app).await;
    let photo = app
        .client
        .get(app.url(&format!("/api/v1/blobs/{}", photo_hash())))
        .bearer_auth(admin)
        .send()
        .await
        .expect("answered");
    assert_eq!(photo.status(), reqwest::StatusCode::OK);
    assert_eq!(photo.bytes().await.expect("bytes").as_ref(), PHOTO);
}

pub async fn add_committee(app: &TestApp, admin: &str, name: &str) -> Value {
    app.client
        .post(app.url("/api/v1/reference/committees"))
        .bearer_auth(admin)
        .json(&json!({"district": 1, "name": name}))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON")
}

/// What a city's people see: every record, the year's report, the admin's sessions.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub records: Vec<dvor_core::record::Envelope>,
    /// Which history the server holds: a device that sees it change starts over.
    pub lineage: Option<dvor_core::lineage::Lineage>,
    report: Value,
    sessions: usize,
    reference: Value,
}

impl Snapshot {
    pub async fn of(app: &TestApp) -> Self {
        let get = |path: &str| {
            app.client
                .get(app.url(path))
                .bearer_auth(app.token.as_deref().unwrap_or_default())
                .send()
        };
        let json = |response: reqwest::Response| async move {
            assert_eq!(response.status(), reqwest::StatusCode::OK);
            response.json::<Value>().await.expect("JSON")
        };
        let sessions = json(get("/api/v1/auth/sessions").await.expect("answered")).await;
        Self {
            records: app.pull_all().await,
            lineage: app.pull(0, 1).await.lineage,
            report: json(
                get("/api/v1/report?from=2000-01-01&to=2030-12-31")
                    .await
                    .expect("answered"),
            )
            .await,
            sessions: sessions.as_array().map_or(0, Vec::len),
            reference: json(get("/api/v1/reference").await.expect("answered")).await,
        }
    }
}
