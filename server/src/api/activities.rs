//! `POST /api/v1/activities` (store one, idempotent by id) and
//! `GET /api/v1/activities?after=&limit=` (pages in server order).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use dvor_core::activity::{Activity, ActivityInput};
use dvor_core::error::ErrorCode;
use dvor_core::protocol::{ActivityPage, MAX_PAGE_LIMIT};
use serde::Deserialize;

use crate::db::activities::Stored;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery};
use crate::server::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/activities", get(list).post(create))
}

/// 201 when stored now, 200 when the same activity was stored before (a retry), 409 when the
/// id belongs to a different activity.
async fn create(
    State(state): State<AppState>,
    AppJson(input): AppJson<ActivityInput>,
) -> Result<(StatusCode, Json<Activity>), ApiError> {
    let activity = input.validate(Utc::now().date_naive().into())?;
    match state.db.insert_activity(&activity).await? {
        Stored::Created => Ok((StatusCode::CREATED, Json(activity))),
        Stored::AlreadyStored => Ok((StatusCode::OK, Json(activity))),
        Stored::Conflict => {
            Err(ApiError::new(StatusCode::CONFLICT, ErrorCode::IdConflict).with_field("id"))
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    #[serde(default)]
    after: u64,
    limit: Option<u32>,
}

async fn list(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<Json<ActivityPage>, ApiError> {
    let limit = query.limit.unwrap_or(MAX_PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadQuery).with_field("limit"));
    }
    Ok(Json(state.db.activities_after(query.after, limit).await?))
}
