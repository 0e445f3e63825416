//! An MBTiles file (a SQLite database of map tiles, rows numbered from the south) opened read
//! only, for a city that serves its own map or whose server has no internet.

use std::path::Path;

use dvor_core::map::tiles::Tile;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use crate::db::DbError;

/// An open MBTiles file and what its metadata says.
#[derive(Clone, Debug)]
pub struct MbTiles {
    pool: SqlitePool,
    /// The media type of its tiles.
    pub content_type: &'static str,
    /// The deepest zoom it holds, if it says.
    pub max_zoom: Option<u8>,
    /// The credit its maker asks for, if given.
    pub attribution: Option<String>,
    /// What a tile weighs on average, if it holds any.
    pub average_bytes: Option<u32>,
}

impl MbTiles {
    /// Opens the file at `path`, which must exist, and reads its metadata.
    pub async fn open(path: &Path) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::new().filename(path).read_only(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| DbError::Open {
                location: path.display().to_string(),
                source,
            })?;
        let metadata: Vec<(String, String)> = sqlx::query_as("SELECT name, value FROM metadata")
            .fetch_all(&pool)
            .await?;
        let value = |key: &str| {
            metadata
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.trim().to_owned())
        };
        let content_type = match value("format").as_deref() {
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("webp") => "image/webp",
            Some("pbf") => "application/x-protobuf",
            _ => "image/png",
        };
        let average: Option<f64> = sqlx::query_scalar("SELECT AVG(LENGTH(tile_data)) FROM tiles")
            .fetch_one(&pool)
            .await?;
        Ok(Self {
            pool,
            content_type,
            max_zoom: value("maxzoom").and_then(|z| z.parse().ok()),
            attribution: value("attribution").filter(|a| !a.is_empty()),
            average_bytes: average.map(|a| a.round() as u32),
        })
    }

    /// The bytes of `tile`, if the file has it.
    pub async fn tile(&self, tile: Tile) -> Result<Option<Vec<u8>>, DbError> {
        let row = sqlx::query(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
        )
        .bind(i64::from(tile.z))
        .bind(i64::from(tile.x))
        .bind(i64::from(tile.tms_row()))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| row.get::<Vec<u8>, _>(0)))
    }
}
