//! `GET /api/v1/report?from=…&to=…[&district=…][&owner=committee:N|centre:N]`: the activities
//! of a period grouped for the report (`dvor_core::report`), within what the person may read.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use dvor_core::access::{DistrictId, Owner};
use dvor_core::date::Date;
use dvor_core::error::ErrorCode;
use dvor_core::report::ReportAnswer;
use serde::Deserialize;

use crate::db::report::TallyQuery;
use crate::error::ApiError;
use crate::extract::{AppQuery, Person};
use crate::server::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/report", get(report))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportQuery {
    from: Date,
    to: Date,
    district: Option<u32>,
    owner: Option<String>,
}

async fn report(
    State(state): State<AppState>,
    Person(person): Person,
    AppQuery(query): AppQuery<ReportQuery>,
) -> Result<Json<ReportAnswer>, ApiError> {
    let bad =
        |field: &str| ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadQuery).with_field(field);
    if query.from > query.to {
        return Err(bad("to"));
    }
    let owner = match &query.owner {
        Some(key) => Some(Owner::from_key(key).ok_or_else(|| bad("owner"))?),
        None => None,
    };
    let tally = TallyQuery {
        from: query.from,
        to: query.to,
        district: query.district.map(DistrictId),
        owner,
    };
    Ok(Json(ReportAnswer {
        from: query.from,
        to: query.to,
        rows: state.db.tally(&person, tally).await?,
    }))
}
