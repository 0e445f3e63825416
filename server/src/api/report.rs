//! `GET /api/v1/report?from=…&to=…[&district=…][&owner=committee:N|centre:N]`: the activities
//! of a period grouped for the report (`dvor_core::report`), and the rental desks' loans, within
//! what the person may read.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use dvor_core::access::Action;
use dvor_core::report::ReportAnswer;

use super::period::PeriodQuery;
use crate::error::ApiError;
use crate::extract::{AppQuery, Person};
use crate::server::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/report", get(report))
}

async fn report(
    State(state): State<AppState>,
    Person(person): Person,
    AppQuery(query): AppQuery<PeriodQuery>,
) -> Result<Json<ReportAnswer>, ApiError> {
    let query = query.checked()?;
    Ok(Json(ReportAnswer {
        from: query.from,
        to: query.to,
        rows: state.db.tally(&person, Action::Read, query).await?,
        loans: state.db.loan_tally(&person, Action::Read, query).await?,
    }))
}
