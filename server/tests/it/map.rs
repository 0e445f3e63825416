//! The map over real HTTP: settings from the configuration, and tiles read from an MBTiles file
//! the test writes.

use std::path::Path;

use crate::util::TestApp;
use dvor_core::map::settings::MapSettings;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// Tiles the file holds: (z, x, y from the north, bytes).
const TILES: [(u32, u32, u32, &[u8]); 2] = [(0, 0, 0, b"world"), (15, 24219, 10307, b"theatre")];

/// Writes an MBTiles file with `TILES`, rows numbered from the south as the format wants.
async fn write_mbtiles(path: &Path) {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let pool = SqlitePoolOptions::new()
        .connect_with(options)
        .await
        .expect("creates");
    for statement in [
        "CREATE TABLE metadata (name TEXT, value TEXT)",
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)",
        "INSERT INTO metadata VALUES ('format', 'png'), ('maxzoom', '15'), ('attribution', '© Кемерово')",
    ] {
        sqlx::query(statement).execute(&pool).await.expect("schema");
    }
    for (z, x, y, bytes) in TILES {
        sqlx::query("INSERT INTO tiles VALUES (?, ?, ?, ?)")
            .bind(z)
            .bind(x)
            .bind((1u32 << z) - 1 - y)
            .bind(bytes)
            .execute(&pool)
            .await
            .expect("tile");
    }
    pool.close().await;
}

async fn with_mbtiles() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("kemerovo.mbtiles");
    write_mbtiles(&file).await;
    let app = TestApp::start_configured(|config| config.mbtiles = Some(file)).await;
    (app, dir)
}

/// What the server tells devices about the map.
async fn map_settings(app: &TestApp) -> MapSettings {
    app.client
        .get(app.url("/api/v1/map"))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("settings")
}

#[tokio::test]
async fn tiles_are_read_from_the_mbtiles_file_by_their_row_from_the_north() {
    let (app, _dir) = with_mbtiles().await;
    for (z, x, y, bytes) in TILES {
        let response = app
            .client
            .get(app.url(&format!("/api/v1/tiles/{z}/{x}/{y}")))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 200, "{z}/{x}/{y}");
        assert_eq!(response.headers()["content-type"], "image/png");
        assert!(
            response.headers()["cache-control"]
                .to_str()
                .expect("text")
                .contains("max-age")
        );
        assert_eq!(response.bytes().await.expect("body").as_ref(), bytes);
    }
}

#[tokio::test]
async fn a_missing_tile_is_404_and_impossible_coordinates_are_400() {
    let (app, _dir) = with_mbtiles().await;
    let status = |path: String| {
        let request = app.client.get(app.url(&path)).send();
        async move { request.await.expect("answers").status().as_u16() }
    };
    assert_eq!(status("/api/v1/tiles/15/24219/10308".into()).await, 404);
    assert_eq!(status("/api/v1/tiles/1/0/1".into()).await, 404);
    for bad in [
        "1/2/0",
        "0/0/1",
        "23/0/0",
        "a/0/0",
        "1/-1/0",
        "1/0/0.png",
        "99999999999/0/0",
    ] {
        let response = app
            .client
            .get(app.url(&format!("/api/v1/tiles/{bad}")))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 400, "{bad}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "invalid_tile", "{bad}");
    }
}

#[tokio::test]
async fn devices_are_sent_to_the_file_with_its_credit_zoom_and_tile_weight() {
    let (app, _dir) = with_mbtiles().await;
    let settings = map_settings(&app).await;
    assert_eq!(settings.tiles.as_str(), "/api/v1/tiles/{z}/{x}/{y}");
    assert_eq!(settings.attribution, "© Кемерово");
    assert_eq!(settings.max_zoom, 15);
    assert_eq!(settings.average_tile_bytes, 6, "(5 + 7) / 2 bytes");
}

#[tokio::test]
async fn without_a_file_the_map_is_openstreetmap_and_no_tile_is_served() {
    let app = TestApp::start().await;
    let response = app
        .client
        .get(app.url("/api/v1/map"))
        .send()
        .await
        .expect("answers");
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        policy.contains("img-src 'self' data: blob: https://tile.openstreetmap.org;"),
        "{policy}"
    );
    let settings: MapSettings = response.json().await.expect("settings");
    assert_eq!(settings, MapSettings::default());
    let tile = app
        .client
        .get(app.url("/api/v1/tiles/0/0/0"))
        .send()
        .await
        .expect("answers");
    assert_eq!(tile.status(), 404);
}

#[tokio::test]
async fn another_tile_server_is_named_with_its_own_credit() {
    let app = TestApp::start_configured(|config| {
        config.tile_url = dvor_core::map::tiles::TileTemplate::parse(
            "https://tiles.kemerovo.example/{z}/{x}/{y}.png",
        )
        .ok();
        config.tile_attribution = Some("© Администрация".into());
    })
    .await;
    let settings = map_settings(&app).await;
    assert_eq!(
        settings.tiles.as_str(),
        "https://tiles.kemerovo.example/{z}/{x}/{y}.png"
    );
    assert_eq!(settings.attribution, "© Администрация");
}
