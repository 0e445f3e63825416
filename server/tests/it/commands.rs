//! The admin commands as a city's IT person runs them: `dvor-server setup` checks every input
//! before it writes anything.

use std::path::Path;
use std::process::{Output, Stdio};

/// `dvor-server --data-dir DIR setup` with the first administrator from the environment.
async fn setup(data_dir: &Path, password: &str) -> Output {
    crate::database::server_command(data_dir)
        .await
        .arg("setup")
        .env("DVOR_ADMIN_LOGIN", "+79051112233")
        .env("DVOR_ADMIN_NAME", "Анна Админова")
        .env("DVOR_ADMIN_PASSWORD", password)
        .env("RUST_LOG", "off")
        .stdin(Stdio::null())
        .output()
        .expect("dvor-server runs")
}

/// Whether the server in `data_dir` has districts, and anyone with an account.
async fn prepared(data_dir: &Path) -> (bool, bool) {
    let db = crate::database::open(data_dir.to_path_buf()).await;
    let found = (
        db.has_districts().await.expect("read"),
        db.has_users().await.expect("read"),
    );
    db.close().await;
    found
}

#[tokio::test]
async fn setup_refuses_a_short_password_before_it_writes_anything() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data_dir = temp.path().join("data");

    let refused = setup(&data_dir, "короткий").await;
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("password"), "{said}");
    assert_eq!(
        prepared(&data_dir).await,
        (false, false),
        "no districts loaded, nobody made: the server is as it was"
    );

    let done = setup(&data_dir, "субботник в мае").await;
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(said.contains("loaded the reference data"), "{said}");
    assert!(
        said.contains("administrator +79051112233 created"),
        "{said}"
    );
    assert_eq!(prepared(&data_dir).await, (true, true));

    let again = setup(&data_dir, "субботник в мае").await;
    assert!(again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stdout).trim().is_empty(),
        "a prepared server is left alone"
    );
}
