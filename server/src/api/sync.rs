//! `POST /api/v1/sync/push` (apply mutations, each at most once, each only if the person may
//! make it) and `GET /api/v1/sync/pull?after=&limit=` (changed records the person may read, in
//! server order). Both need a session.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use dvor_core::error::ErrorCode;
use dvor_core::protocol::{
    MAX_PAGE_LIMIT, MAX_PUSH_BATCH, Outcome, PullPage, PushRequest, PushResponse,
};
use serde::Deserialize;

use crate::db::sync::millis;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, ClientProtocol, Person};
use crate::server::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/sync/push", post(push))
        .route("/sync/pull", get(pull))
}

/// 200 with one outcome per mutation; a refused mutation is an outcome, not an error status,
/// so the mutations after it are applied.
async fn push(
    State(state): State<AppState>,
    _protocol: ClientProtocol,
    Person(person): Person,
    AppJson(request): AppJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if request.mutations.len() > MAX_PUSH_BATCH {
        return Err(
            ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadQuery).with_field("mutations")
        );
    }
    let now = Utc::now();
    let results = state.db.push(&person, &request.mutations, now).await?;
    let applied = results
        .iter()
        .filter(|r| r.outcome == Outcome::Applied)
        .count();
    tracing::info!(
        user = person.id.0,
        mutations = request.mutations.len(),
        applied,
        "push"
    );
    Ok(Json(PushResponse {
        results,
        server_time_ms: millis(now),
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    #[serde(default)]
    after: u64,
    limit: Option<u32>,
}

async fn pull(
    State(state): State<AppState>,
    _protocol: ClientProtocol,
    Person(person): Person,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<Json<PullPage>, ApiError> {
    let limit = query.limit.unwrap_or(MAX_PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadQuery).with_field("limit"));
    }
    Ok(Json(
        state
            .db
            .pull(&person, query.after, limit, Utc::now())
            .await?,
    ))
}
