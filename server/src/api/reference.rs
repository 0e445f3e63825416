//! `GET /api/v1/reference`: the city's districts with their committees and centres, for the
//! forms and filters of every screen.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use crate::db::reference::District;
use crate::error::ApiError;
use crate::server::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/reference", get(reference))
}

async fn reference(State(state): State<AppState>) -> Result<Json<Vec<District>>, ApiError> {
    Ok(Json(state.db.reference().await?))
}
