//! `POST /api/v1/sync/push` (apply mutations, each at most once, each only if the person may
//! make it) and `GET /api/v1/sync/pull?after=&limit=` (changed records the person may read, in
//! server order). Both need a session.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use dvor_core::error::ErrorCode;
use dvor_core::protocol::ErrorBody;
use dvor_core::protocol::{
    MAX_PAGE_LIMIT, MAX_PUSH_BATCH, Outcome, PullPage, PushRequest, PushResponse,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::records::millis;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, ClientProtocol, Person, Session};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push))
        .routes(routes!(pull))
}

/// 200 with one outcome per mutation; a refused mutation is an outcome, not an error status,
/// so the mutations after it are applied.
#[utoipa::path(post, path = "/sync/push", tag = "sync", request_body = PushRequest, security(("session" = [])),
    params(("dvor-protocol" = u32, Header, description = "The client's sync protocol version")),
    responses((status = 200, description = "One outcome per mutation, in order: applied, or refused with the reason; a mutation sent again gets its first answer", body = PushResponse),
        (status = 400, description = "Too many mutations, or a malformed body", body = ErrorBody),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 426, description = "The client's protocol is too old", body = ErrorBody)))]
async fn push(
    State(state): State<AppState>,
    _protocol: ClientProtocol,
    session: Session,
    Person(person): Person,
    AppJson(request): AppJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if request.mutations.len() > MAX_PUSH_BATCH {
        return Err(ApiError::new(ErrorCode::BadQuery).with_field("mutations"));
    }
    let now = Utc::now();
    let user = person.id.0;
    let mutations = request.mutations.len();
    let results = state
        .db
        .push(person, session.token_hash, request.mutations, now)
        .await?;
    state.metrics.pushed(&results);
    let applied = results
        .iter()
        .filter(|r| r.outcome == Outcome::Applied)
        .count();
    // Every device pushes every few seconds: at info level this was most of the log.
    tracing::debug!(user, mutations, applied, "push");
    Ok(Json(PushResponse {
        results,
        server_time_ms: millis(now),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PageQuery {
    /// The cursor: the last page's `cursor`, 0 at first.
    #[serde(default)]
    after: u64,
    /// At most this many records.
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/sync/pull", tag = "sync", params(PageQuery, ("dvor-protocol" = u32, Header, description = "The client's sync protocol version")), security(("session" = [])),
    responses((status = 200, description = "The records the person may read changed after the cursor, in the server's order", body = PullPage),
        (status = 400, description = "A bad cursor or limit", body = ErrorBody),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 426, description = "The client's protocol is too old", body = ErrorBody)))]
async fn pull(
    State(state): State<AppState>,
    _protocol: ClientProtocol,
    Person(person): Person,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<Json<PullPage>, ApiError> {
    let limit = query.limit.unwrap_or(MAX_PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(ApiError::new(ErrorCode::BadQuery).with_field("limit"));
    }
    let page = state
        .db
        .pull(&person, query.after, limit, Utc::now())
        .await?;
    state.metrics.pulled();
    Ok(Json(page))
}
