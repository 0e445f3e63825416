//! `GET /api/v1/map`: where devices fetch the map's tiles; `GET /api/v1/tiles/{z}/{x}/{y}`:
//! tiles of the configured MBTiles file. Both are open to anyone, as a tile server is: a map
//! of the city tells nothing the city does not show.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dvor_core::error::ErrorCode;
use dvor_core::map::settings::MapSettings;
use dvor_core::map::tiles::Tile;
use dvor_core::protocol::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::AppState;

/// How long browsers and proxies keep a tile: a city's map changes seldom.
const TILE_MAX_AGE: &str = "public, max-age=604800";

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(settings))
        .routes(routes!(tile))
}

#[utoipa::path(get, path = "/map", tag = "map",
    responses((status = 200, description = "Where the map's tiles come from, their credit and deepest zoom", body = MapSettings)))]
async fn settings(State(state): State<AppState>) -> Json<MapSettings> {
    Json(state.map.as_ref().clone())
}

#[utoipa::path(get, path = "/tiles/{z}/{x}/{y}", tag = "map",
    params(("z" = u32, Path, description = "Zoom"), ("x" = u32, Path, description = "Column"), ("y" = u32, Path, description = "Row from the north (XYZ)")),
    responses((status = 200, description = "The tile from the server's MBTiles file", content(("image/png"), ("image/jpeg"), ("image/webp"))),
        (status = 400, description = "Impossible coordinates", body = ErrorBody),
        (status = 404, description = "No such tile, or no MBTiles file", body = ErrorBody)))]
async fn tile(
    State(state): State<AppState>,
    Path((z, x, y)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let number = |text: &str| text.parse::<u32>().ok();
    let tile = match (number(&z), number(&x), number(&y)) {
        (Some(z), Some(x), Some(y)) => Tile::new(z, x, y),
        _ => None,
    }
    .ok_or_else(|| ApiError::new(ErrorCode::InvalidTile))?;
    let not_found = || ApiError::new(ErrorCode::NotFound);
    let mbtiles = state.tiles.as_ref().ok_or_else(not_found)?;
    let bytes = mbtiles.tile(tile).await?.ok_or_else(not_found)?;
    Ok((
        [
            (header::CONTENT_TYPE, mbtiles.content_type),
            (header::CACHE_CONTROL, TILE_MAX_AGE),
        ],
        bytes,
    )
        .into_response())
}
