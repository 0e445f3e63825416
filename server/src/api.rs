//! `/api/v1`: one router per resource, merged here.

mod auth;
mod blobs;
mod export;
mod health;
mod invites;
mod map;
mod period;
mod reference;
mod report;
mod sync;

use axum::Router;
use axum::http::StatusCode;
use dvor_core::error::ErrorCode;

use crate::error::ApiError;
use crate::server::AppState;

/// The API's routes, to be nested under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(blobs::router())
        .merge(export::router())
        .merge(health::router())
        .merge(invites::router())
        .merge(map::router())
        .merge(reference::router())
        .merge(report::router())
        .merge(sync::router())
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound) })
}
