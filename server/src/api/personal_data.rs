//! A person's rights over their own data (152-ФЗ): `GET /auth/my-data` (everything the server
//! holds about them), `POST /auth/erasure-request` (asking for their account's erasure), and
//! for the city's admins `GET /accounts/erasure-requests` and `POST /accounts/{id}/erase`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use dvor_core::access::{Action, may_citywide};
use dvor_core::account::{ErasureRequest, Me, MyData, UserId};
use dvor_core::audit::AuditAct;
use dvor_core::error::ErrorCode;
use dvor_core::protocol::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::decoy_hash;
use crate::db::audit::Noted;
use crate::error::ApiError;
use crate::extract::{ClientAddress, Person, Session};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_data))
        .routes(routes!(request_erasure))
        .routes(routes!(erasure_requests))
        .routes(routes!(erase))
}

#[utoipa::path(get, path = "/auth/my-data", tag = "auth", security(("session" = [])),
    responses((status = 200, description = "Everything the server holds about the person: account, agreement, sessions, the records they made (without borrowers), their acts in the audit log", body = MyData),
        (status = 401, description = "No session", body = ErrorBody)))]
async fn my_data(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<MyData>, ApiError> {
    let db = &state.db;
    let me = db
        .me(session.user)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::SessionEnded))?;
    let consent = db.consent(session.user).await?;
    let now = Utc::now().timestamp_millis();
    Ok(Json(MyData {
        me,
        consented_at_ms: consent.consented_at_ms,
        erasure_requested_at_ms: consent.erasure_requested_at_ms,
        sessions: db.sessions(session.user, &session.token_hash, now).await?,
        records: db.records_by(session.user).await?,
        acts: db.acts_of(session.user).await?,
    }))
}

#[utoipa::path(post, path = "/auth/erasure-request", tag = "auth", security(("session" = [])),
    responses((status = 204, description = "The request is noted for an admin to carry out"),
        (status = 401, description = "No session", body = ErrorBody)))]
async fn request_erasure(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
) -> Result<StatusCode, ApiError> {
    state
        .db
        .request_erasure(session.user, Utc::now().timestamp_millis())
        .await?;
    state
        .note(Noted {
            actor: Some(session.user),
            address: Some(address),
            place: None,
            act: AuditAct::ErasureRequested,
        })
        .await;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/accounts/erasure-requests", tag = "auth", security(("session" = [])),
    responses((status = 200, description = "Who asked for their account's erasure and is not yet erased, oldest first", body = Vec<ErasureRequest>),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 403, description = "Only the city's admins erase accounts", body = ErrorBody)))]
async fn erasure_requests(
    State(state): State<AppState>,
    Person(person): Person,
) -> Result<Json<Vec<ErasureRequest>>, ApiError> {
    may_erase(&person)?;
    Ok(Json(state.db.erasure_requests().await?))
}

#[utoipa::path(post, path = "/accounts/{id}/erase", tag = "auth", security(("session" = [])),
    params(("id" = u32, Path, description = "The account")),
    responses((status = 204, description = "The name and login are gone, and every session, role and device; the records stay with their author id"),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 403, description = "Only the city's admins erase accounts", body = ErrorBody),
        (status = 404, description = "No such account asked for its erasure", body = ErrorBody)))]
async fn erase(
    State(state): State<AppState>,
    Person(admin): Person,
    ClientAddress(address): ClientAddress,
    Path(id): Path<u32>,
) -> Result<StatusCode, ApiError> {
    may_erase(&admin)?;
    let person = UserId(id);
    if !state
        .db
        .erase_account(person, decoy_hash(), Utc::now().timestamp_millis())
        .await?
    {
        return Err(ApiError::new(ErrorCode::NotFound));
    }
    tracing::info!(
        by = admin.id.0,
        user = id,
        "account erased at its owner's request"
    );
    state
        .note(Noted {
            actor: Some(admin.id),
            address: Some(address),
            place: None,
            act: AuditAct::AccountErased { person },
        })
        .await;
    Ok(StatusCode::NO_CONTENT)
}

fn may_erase(person: &Me) -> Result<(), ApiError> {
    if may_citywide(&person.grants, Action::EraseAccounts) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::Forbidden))
    }
}
