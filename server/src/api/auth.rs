//! `/api/v1/auth`: signing in and out, who is signed in, and their sessions.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dvor_core::account::{LoginRequest, Me, SESSION_DAYS, SessionSummary, SignedIn, UserId};
use dvor_core::error::ErrorCode;
use dvor_core::login::Login;
use dvor_core::protocol::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{AuthError, decoy_hash, new_token, verify_password};
use crate::error::ApiError;
use crate::extract::{AppJson, ClientAddress, Person, Session, UserAgent};
use crate::server::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(sessions))
        .routes(routes!(end_all))
}

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, description = "Signed in: the session's token and the person", body = SignedIn),
        (status = 401, description = "Wrong login or password", body = ErrorBody),
        (status = 429, description = "Too many attempts: wait as `Retry-After` says", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    UserAgent(device): UserAgent,
    AppJson(request): AppJson<LoginRequest>,
) -> Result<Json<SignedIn>, ApiError> {
    // What is typed is counted even when it is not a login, so garbage cannot probe freely.
    let login = Login::parse(&request.login);
    let account = login.as_ref().map_or_else(
        |_| request.login.trim().to_owned(),
        |l| l.as_str().to_owned(),
    );
    if let Some(wait) = state.brake.wait(&account, address, Instant::now()) {
        return Err(too_many_attempts(wait));
    }
    let known = match &login {
        Ok(login) => state.db.credentials(login).await?,
        Err(_) => None,
    };
    let password = request.password;
    let stored = known
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |(_, hash)| hash.clone());
    // argon2 takes tens of milliseconds of CPU: off the async workers.
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .map_err(|e| internal(&e.to_string()))?
        .map_err(|e| internal(&e.to_string()))?;
    let Some((user, _)) = known.filter(|_| matches) else {
        state.brake.failed(&account, address, Instant::now());
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::WrongCredentials,
        ));
    };
    state.brake.succeeded(&account);
    tracing::info!(user = user.0, "signed in");
    Ok(Json(sign_in(&state, user, &device).await?))
}

/// Starts a session for `user` on `device` and says who signed in.
pub(super) async fn sign_in(
    state: &AppState,
    user: UserId,
    device: &str,
) -> Result<SignedIn, ApiError> {
    let (token, token_hash) = new_token().map_err(|e: AuthError| internal(&e.to_string()))?;
    let now = Utc::now().timestamp_millis();
    let expires_at_ms = now + SESSION_DAYS * 24 * 60 * 60 * 1000;
    state
        .db
        .start_session(user, &token_hash, device, now, expires_at_ms)
        .await?;
    let me = state
        .db
        .me(user)
        .await?
        .ok_or_else(|| internal("a signed-in user vanished"))?;
    Ok(SignedIn {
        token,
        expires_at_ms,
        me,
    })
}

/// 429 with the wait in whole minutes in the message and in seconds in `Retry-After`.
pub(super) fn too_many_attempts(wait: Duration) -> ApiError {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyAttempts)
        .with_limit(i64::try_from(minutes).unwrap_or(i64::MAX))
        .with_retry_after(wait.as_secs().max(1))
}

#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("session" = [])),
    responses((status = 204, description = "This session ended"), (status = 401, description = "No session", body = ErrorBody)))]
async fn logout(State(state): State<AppState>, session: Session) -> Result<StatusCode, ApiError> {
    state
        .db
        .end_session(&session.token_hash, Utc::now().timestamp_millis())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("session" = [])),
    responses((status = 200, description = "Who is signed in, with their grants", body = Me), (status = 401, description = "No session", body = ErrorBody)))]
async fn me(Person(me): Person) -> Json<Me> {
    Json(me)
}

#[utoipa::path(get, path = "/auth/sessions", tag = "auth", security(("session" = [])),
    responses((status = 200, description = "The person's sessions", body = Vec<SessionSummary>), (status = 401, description = "No session", body = ErrorBody)))]
async fn sessions(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<SessionSummary>>, ApiError> {
    let now = Utc::now().timestamp_millis();
    Ok(Json(
        state
            .db
            .sessions(session.user, &session.token_hash, now)
            .await?,
    ))
}

#[utoipa::path(post, path = "/auth/sessions/end-all", tag = "auth", security(("session" = [])),
    responses((status = 204, description = "Every session of the person ended"), (status = 401, description = "No session", body = ErrorBody)))]
async fn end_all(State(state): State<AppState>, session: Session) -> Result<StatusCode, ApiError> {
    let ended = state
        .db
        .end_all_sessions(session.user, Utc::now().timestamp_millis())
        .await?;
    tracing::info!(user = session.user.0, ended, "signed out everywhere");
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn internal(reason: &str) -> ApiError {
    tracing::error!(reason, "sign-in failed");
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
}
