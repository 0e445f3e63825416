//! `GET /api/v1/report?from=…&to=…[&district=…][&owner=committee:N|centre:N]`: the activities
//! of a period grouped for the report (`dvor_core::report`), and the rental desks' loans, within
//! what the person may read.

use axum::Json;
use axum::extract::State;
use dvor_core::access::Action;
use dvor_core::protocol::ErrorBody;
use dvor_core::report::ReportAnswer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::period::PeriodQuery;
use crate::error::ApiError;
use crate::extract::{AppQuery, Person};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report))
}

#[utoipa::path(get, path = "/report", tag = "report", params(PeriodQuery), security(("session" = [])),
    responses((status = 200, description = "The activities of the period grouped for the report, and the rental desks' loans, within what the person may read", body = ReportAnswer),
        (status = 400, description = "A bad request", body = ErrorBody), (status = 401, description = "No session, or an ended one", body = ErrorBody)))]
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
