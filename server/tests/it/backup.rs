//! `dvor-server backup` and `restore`, and the copies `--backup-every` takes: the restore
//! drill a city's admin runs — a city copied while devices push, put back elsewhere, and equal
//! to the first once the devices sent what the copy missed — and the copies refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::time::Duration;

use dvor_server::config::Config;
use tempfile::TempDir;

use crate::seeded::{PHOTO, Snapshot, assert_people_and_photo, photo_hash, seeded_city};
use crate::util::{TestApp, creation, mutation, now_ms};

/// `dvor-server --data-dir DATA` with `args`, as an admin runs it.
fn dvor_server(data: &Path, args: &[&str], more: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dvor-server"))
        .arg("--data-dir")
        .arg(data)
        .env_remove("DVOR_DATABASE_URL")
        .env_remove("DVOR_S3_BUCKET")
        .env("RUST_LOG", "warn")
        .args(args)
        .args(more)
        .output()
        .expect("runs")
}

/// The seeded city in a temporary directory's `data`, on the tests' SQLite pass only (backups
/// copy the SQLite file): the directory to keep, the data directory, the admin's and the
/// volunteer's tokens.
async fn seeded_sqlite_city() -> Option<(TempDir, PathBuf, String, String)> {
    if crate::database::postgres().is_some() {
        return None;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    let (admin, volunteer, _, _) = seeded_city(&data).await;
    Some((temp, data, admin, volunteer))
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn a_city_copied_while_devices_push_restores_elsewhere_and_equals_it_once_they_resend() {
    let Some((temp, data, admin, volunteer)) = seeded_sqlite_city().await else {
        return;
    };
    let mut app = TestApp::start_in(Config::in_dir(data.clone())).await;
    app.token = Some(admin.clone());
    let app = Arc::new(app);

    // A device pushes one subbotnik after another, before, during and after the copy.
    let pushed = Arc::new(AtomicU16::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn({
        let (app, pushed, stop) = (app.clone(), pushed.clone(), stop.clone());
        async move {
            while !stop.load(Ordering::Relaxed) {
                let n = 1_000 + pushed.load(Ordering::Relaxed);
                app.push_applied(&[creation(n, now_ms(), 3)]).await;
                pushed.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    while pushed.load(Ordering::Relaxed) < 20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let acknowledged_before = pushed.load(Ordering::Relaxed);
    let copy = temp.path().join("copy");
    let backup = {
        let (data, copy) = (data.clone(), copy.clone());
        tokio::task::spawn_blocking(move || dvor_server(&data, &["backup", "--to"], &[&copy]))
            .await
            .expect("ran")
    };
    assert!(backup.status.success(), "{}", said(&backup));
    assert!(
        said(&backup).contains("copied the city as of"),
        "{}",
        said(&backup)
    );
    let during = pushed.load(Ordering::Relaxed);
    while pushed.load(Ordering::Relaxed) < during + 20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    writer.await.expect("the device pushed");
    let source = Snapshot::of(&app).await;

    let restored_dir = temp.path().join("restored");
    let restore = dvor_server(&restored_dir, &["restore", "--from"], &[&copy]);
    assert!(restore.status.success(), "{}", said(&restore));
    assert!(said(&restore).contains("1 photo(s)"), "{}", said(&restore));
    let again = dvor_server(&restored_dir, &["restore", "--from"], &[&copy]);
    assert!(!again.status.success());
    assert!(
        said(&again).contains("is restored into an empty data directory"),
        "{}",
        said(&again)
    );

    let mut restored = TestApp::start_in(Config::in_dir(restored_dir.clone())).await;
    restored.token = Some(admin.clone());
    let copied = restored.pull_all().await;
    let in_source =
        |record: &dvor_core::record::Envelope| source.records.iter().any(|r| r == record);
    assert!(
        copied.iter().all(in_source),
        "every copied record is the source's, unchanged"
    );
    let seeded = 120;
    assert!(
        copied.len() >= seeded + usize::from(acknowledged_before),
        "{} record(s) copied; {} acknowledged before the copy began",
        copied.len(),
        seeded + usize::from(acknowledged_before)
    );
    assert!(
        copied.len() < source.records.len(),
        "the device pushed after the copy too"
    );

    // The device sends again what the restored server lacks; then the two are one city, the
    // report's tallies included.
    let missing: Vec<_> = source
        .records
        .iter()
        .filter(|record| !copied.iter().any(|c| c.id == record.id))
        .zip(0..)
        .map(|(record, n)| mutation(2, n, record.clone()))
        .collect();
    restored.push_applied(&missing).await;
    let mut after = Snapshot::of(&restored).await;
    // Devices that synced with the source see that the restored server is another history.
    assert!(after.lineage.is_some() && source.lineage.is_some());
    assert_ne!(after.lineage, source.lineage);
    after.lineage.clone_from(&source.lineage);
    assert_eq!(after, source);

    // The accounts, their sessions and the photo came back with it.
    assert_people_and_photo(&restored, &admin, &volunteer).await;
    restored.stop().await;
    if let Ok(app) = Arc::try_unwrap(app) {
        app.stop().await;
    }
}

#[tokio::test]
async fn a_damaged_copy_is_refused_and_leaves_the_data_directory_empty() {
    let Some((temp, data, ..)) = seeded_sqlite_city().await else {
        return;
    };
    let copy = temp.path().join("copy");
    let backup = dvor_server(&data, &["backup", "--to"], &[&copy]);
    assert!(backup.status.success(), "{}", said(&backup));
    let into_itself = dvor_server(&data, &["backup", "--to"], &[&copy]);
    assert!(
        said(&into_itself).contains("is not empty"),
        "{}",
        said(&into_itself)
    );

    // A photo that no longer hashes to its name.
    let hash = photo_hash();
    let photo = copy.join("blobs").join(&hash[..2]).join(&hash);
    std::fs::write(&photo, b"not the photo").expect("damaged");
    let restored = temp.path().join("restored");
    let refused = dvor_server(&restored, &["restore", "--from"], &[&copy]);
    assert!(!refused.status.success());
    assert!(said(&refused).contains("is damaged"), "{}", said(&refused));
    assert!(
        !restored.join("dvor.sqlite3").exists(),
        "nothing restored is kept"
    );
    assert!(!restored.join("blobs").exists(), "nothing restored is kept");
    std::fs::write(&photo, PHOTO).expect("mended");

    // A database that is not the one the manifest fingerprints.
    let database = copy.join("dvor.sqlite3");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", database.display()))
        .await
        .expect("opened");
    sqlx::query("UPDATE records SET state = state || ' ' WHERE seq = 7")
        .execute(&pool)
        .await
        .expect("changed");
    pool.close().await;
    let refused = dvor_server(&restored, &["restore", "--from"], &[&copy]);
    assert!(
        said(&refused).contains("the backup differs from its manifest: table records"),
        "{}",
        said(&refused)
    );
    let nothing = dvor_server(&restored, &["restore", "--from"], &[temp.path()]);
    assert!(
        said(&nothing).contains("holds no complete backup"),
        "{}",
        said(&nothing)
    );
    let no_city = dvor_server(
        &temp.path().join("none"),
        &["backup", "--to"],
        &[&temp.path().join("c2")],
    );
    assert!(
        said(&no_city).contains("there is no city to back up"),
        "{}",
        said(&no_city)
    );
}

#[tokio::test]
async fn the_running_server_takes_copies_on_schedule_and_keeps_the_newest() {
    let Some((temp, data, ..)) = seeded_sqlite_city().await else {
        return;
    };
    let copies = temp.path().join("copies");
    let mut config = Config::in_dir(data);
    config.backup_every = Some(Duration::from_secs(1));
    config.backup_keep = 2;
    config.backup_dir = Some(copies.clone());
    let app = TestApp::start_in(config).await;
    let complete = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&copies)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.path().join("manifest.json").is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    // Copies are taken until a third one has made the first go.
    let mut seen = std::collections::BTreeSet::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let names = loop {
        let names = complete();
        seen.extend(names.iter().cloned());
        if seen.len() >= 3 && names.len() == 2 {
            break names;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "copies seen: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    app.stop().await;
    assert!(names.iter().all(|n| n.starts_with("dvor-")), "{names:?}");
    assert_eq!(
        seen.iter().rev().take(2).rev().collect::<Vec<_>>(),
        names.iter().collect::<Vec<_>>(),
        "the newest two are kept"
    );
    let newest = copies.join(&names[1]);
    let restore = dvor_server(
        &temp.path().join("restored"),
        &["restore", "--from"],
        &[&newest],
    );
    assert!(restore.status.success(), "{}", said(&restore));
}

#[tokio::test]
async fn a_city_on_postgres_is_told_to_use_its_own_tools() {
    let Some(url) = crate::database::postgres() else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp dir");
    let refused = Command::new(env!("CARGO_BIN_EXE_dvor-server"))
        .arg("--data-dir")
        .arg(temp.path())
        .args(["--database-url", &url, "backup", "--to"])
        .arg(temp.path().join("copy"))
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    assert!(said(&refused).contains("pg_dump"), "{}", said(&refused));
}

#[test]
fn a_period_of_nothing_or_nonsense_is_refused_before_anything_starts() {
    let temp = tempfile::tempdir().expect("temp dir");
    for (period, told) in [("0s", "longer than zero"), ("daily", "e.g. 6h or 1day")] {
        let refused = dvor_server(temp.path(), &["--backup-every", period, "setup"], &[]);
        assert_eq!(refused.status.code(), Some(2), "{}", said(&refused));
        assert!(said(&refused).contains(told), "{}", said(&refused));
    }
}
