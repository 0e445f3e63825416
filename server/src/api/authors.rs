//! `/api/v1/authors`: who made the records a person may read, by name, so a chair's or a
//! coordinator's cards say which volunteer logged the work.

use axum::Json;
use axum::extract::State;
use dvor_core::account::AuthorName;
use dvor_core::protocol::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::Person;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(authors))
}

#[utoipa::path(get, path = "/authors", tag = "sync", security(("session" = [])),
    responses((status = 200, description = "The names of the authors of the records the person may read", body = Vec<AuthorName>),
        (status = 401, description = "No session", body = ErrorBody)))]
async fn authors(
    State(state): State<AppState>,
    Person(me): Person,
) -> Result<Json<Vec<AuthorName>>, ApiError> {
    Ok(Json(state.db.author_names(&me).await?))
}
