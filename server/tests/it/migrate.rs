//! `dvor-server migrate --to`: a city moved from its SQLite file to PostgreSQL, as its IT
//! department would, and then served from there. Only on the tests' PostgreSQL pass (the
//! source is SQLite on either).

use std::path::Path;
use std::process::{Command, Output};

use dvor_core::protocol::{Outcome, PushResponse};
use dvor_server::config::Config;
use dvor_server::db::Db;
use serde_json::{Value, json};

use crate::util::{TestApp, admin_signs_in, creation, join, now_ms, prepare_city};

/// A city on SQLite in `data`: Kemerovo's districts, a committee, its admin and a volunteer,
/// 120 subbotniks; the server stopped. The admin's and the volunteer's session tokens.
async fn seeded_city(data: &Path) -> (String, String, PushResponse, Snapshot) {
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
const PHOTO: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8];

fn photo_hash() -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(PHOTO))
}

/// `dvor-server --data-dir DATA migrate --to` the database of `target`, into its bucket if it
/// has one.
fn migrate(data: &Path, target: &Config) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dvor-server"));
    command
        .arg("--data-dir")
        .arg(data)
        .env_remove("DVOR_DATABASE_URL")
        .env_remove("DVOR_S3_BUCKET")
        .env("RUST_LOG", "warn")
        .args(["migrate", "--to"])
        .arg(target.database_url.as_deref().expect("PostgreSQL"));
    if let (Some(bucket), Some(endpoint)) = (&target.s3_bucket, &target.s3_endpoint) {
        command
            .env("DVOR_S3_BUCKET", bucket)
            .env("DVOR_S3_ENDPOINT", endpoint)
            .env("DVOR_S3_PREFIX", &target.s3_prefix);
    }
    command.output().expect("runs")
}

/// The configuration of the moved city: the data directory `data`, the database and bucket
/// the tests give `elsewhere`.
async fn moved_to(data: &Path, elsewhere: &Path) -> Config {
    let mut config = crate::database::config(elsewhere.to_path_buf()).await;
    config.data_dir = data.to_path_buf();
    config
}

#[tokio::test]
async fn a_seeded_city_moves_to_postgres_whole_and_is_served_from_there() {
    if crate::database::postgres().is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    let (admin, volunteer, retried, before) = seeded_city(&data).await;
    let target = moved_to(&data, &temp.path().join("moved")).await;
    let moved = migrate(&data, &target);
    assert!(moved.status.success(), "{moved:?}");
    let said = String::from_utf8_lossy(&moved.stdout);
    assert!(said.contains("120 record(s) compared, all equal"), "{said}");
    let photos = usize::from(target.s3_bucket.is_some());
    assert!(
        said.contains(&format!("{photos} photo(s) copied to the bucket")),
        "{said}"
    );

    let mut app = TestApp::start_in(target.clone()).await;
    app.token = Some(admin.clone());
    assert_eq!(
        Snapshot::of(&app).await,
        before,
        "records, report and sessions moved"
    );
    // A mutation seen before gets its first answer again: the outcomes moved too.
    let now = now_ms();
    assert_eq!(
        app.push(&[creation(0, now, 99)]).await.results,
        retried.results
    );
    assert!(matches!(retried.results[0].outcome, Outcome::Applied));
    // The volunteer's session moved; the admin's password still signs them in.
    let me = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&volunteer)
        .send()
        .await
        .expect("answered");
    assert_eq!(me.status(), reqwest::StatusCode::OK);
    admin_signs_in(&app).await;
    let photo = app
        .client
        .get(app.url(&format!("/api/v1/blobs/{}", photo_hash())))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("answered");
    assert_eq!(photo.status(), reqwest::StatusCode::OK);
    assert_eq!(photo.bytes().await.expect("bytes").as_ref(), PHOTO);
    // New ids go on after the copied ones.
    let next = add_committee(&app, &admin, "Рудник").await;
    assert_eq!(next["id"], 2, "{next}");
    app.stop().await;

    let again = migrate(&data, &target);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("the target database is not empty"),
        "{again:?}"
    );
}

#[tokio::test]
async fn a_copy_that_does_not_read_back_as_the_source_is_refused_and_undone() {
    if crate::database::postgres().is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    seeded_city(&data).await;
    let target = moved_to(&data, &temp.path().join("moved")).await;
    let db = Db::open(&target.database()).await.expect("schema made");
    db.close().await;
    // The target changes one record on its way in, as a faulty copy would.
    let pool = crate::database::connect(&target).await;
    for statement in [
        "CREATE FUNCTION damage() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.seq = 7 THEN NEW.state := NEW.state || ' '; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER damage BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION damage()",
    ] {
        sqlx::query(statement)
            .execute(&pool)
            .await
            .expect("trigger");
    }
    let refused = migrate(&data, &target);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("the copy differs from the source: record"),
        "{said}"
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records")
        .fetch_one(&pool)
        .await
        .expect("counted");
    assert_eq!(left, 0, "nothing of the copy is kept");
    pool.close().await;
}

async fn add_committee(app: &TestApp, admin: &str, name: &str) -> Value {
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
struct Snapshot {
    records: Vec<dvor_core::record::Envelope>,
    report: Value,
    sessions: usize,
    reference: Value,
}

impl Snapshot {
    async fn of(app: &TestApp) -> Self {
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
