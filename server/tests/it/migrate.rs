//! `dvor-server migrate --to`: a city moved from its SQLite file to PostgreSQL, as its IT
//! department would, and then served from there. Only on the tests' PostgreSQL pass (the
//! source is SQLite on either).

use std::path::Path;
use std::process::{Command, Output};

use dvor_core::protocol::Outcome;
use dvor_server::config::Config;
use dvor_server::db::Db;

use crate::seeded::{Snapshot, add_committee, assert_people_and_photo, seeded_city};
use crate::util::{TestApp, creation, now_ms};

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
        "records, report, sessions and the lineage moved: devices need not start over"
    );
    // A mutation seen before gets its first answer again: the outcomes moved too.
    let now = now_ms();
    assert_eq!(
        app.push(&[creation(0, now, 99)]).await.results,
        retried.results
    );
    assert!(matches!(retried.results[0].outcome, Outcome::Applied));
    // The volunteer's session moved; the admin's password still signs them in.
    assert_people_and_photo(&app, &admin, &volunteer).await;
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
