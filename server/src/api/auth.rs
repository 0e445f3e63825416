//! `/api/v1/auth`: signing in and out, who is signed in, and their sessions.

use std::net::IpAddr;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use dvor_core::account::{
    LoginRequest, Me, PasswordChange, PasswordReset, RESET_CODE_HOURS, ResetCode, ResetCodeRequest,
    SESSION_DAYS, SessionSummary, SignedIn, UserId,
};
use dvor_core::audit::AuditAct;
use dvor_core::error::ErrorCode;
use dvor_core::login::{Login, check_password};
use dvor_core::protocol::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::hasher::Refused;
use crate::auth::throttle::{Attempt, Braked, Subject};
use crate::auth::{AuthError, code_hash, decoy_hash, device_key_hash, new_code, new_token};
use crate::db::audit::Noted;
use crate::error::ApiError;
use crate::extract::{AppJson, ClientAddress, Person, Session, UserAgent};
use crate::metrics::SignInFailure;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(sessions))
        .routes(routes!(end_all))
        .routes(routes!(change_password))
        .routes(routes!(create_reset_code))
        .routes(routes!(reset_password))
}

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, description = "Signed in: the session's token and the person", body = SignedIn),
        (status = 401, description = "Wrong login or password", body = ErrorBody),
        (status = 429, description = "Too many attempts: wait as `Retry-After` says", body = ErrorBody),
        (status = 503, description = "Too many passwords being checked: try again as `Retry-After` says", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    UserAgent(device): UserAgent,
    AppJson(request): AppJson<LoginRequest>,
) -> Result<Welcome, ApiError> {
    let user = authenticate(
        &state,
        address,
        &request.login,
        request.password,
        Device::Key(request.device_key.as_deref()),
    )
    .await?;
    tracing::info!(user = user.0, "signed in");
    sign_in(&state, user, &device).await
}

/// Where a password is being checked from: a device that shows its key, or a session.
#[derive(Clone, Copy)]
pub(super) enum Device<'a> {
    /// A device's key as the request carried it (or none): it is a known device if the
    /// account has signed in with it before, and becomes one when this attempt succeeds.
    Key(Option<&'a str>),
    /// A signed-in session (its token's hash): its own device by definition.
    Session(&'a str),
}

/// Checks `password` for the account `typed` names, braked per address and account (or
/// known device) before any hashing, and with the hashing bounded: every path that checks a
/// password comes through here. An unknown login costs the same hash as a wrong password
/// and answers the same 401.
pub(super) async fn authenticate(
    state: &AppState,
    address: IpAddr,
    typed: &str,
    password: String,
    device: Device<'_>,
) -> Result<UserId, ApiError> {
    let login = Login::parse(typed);
    // What is typed is counted even when it is not a login, so garbage cannot probe freely.
    let account = login
        .as_ref()
        .map_or_else(|_| typed.trim().to_owned(), |l| l.as_str().to_owned());
    let known = match &login {
        Ok(login) => state.db.credentials(login).await?,
        Err(_) => None,
    };
    let offered_key = match device {
        Device::Key(key) => device_key_hash(key),
        Device::Session(_) => None,
    };
    let known_device = match (device, &known, &offered_key) {
        (Device::Session(session), ..) => Some(session.to_owned()),
        (Device::Key(_), Some((user, _)), Some(key))
            if state.db.is_known_device(*user, key).await? =>
        {
            Some(key.clone())
        }
        _ => None,
    };
    let attempt = state
        .throttle
        .begin(
            Subject::Account {
                login: &account,
                known_device: known_device.as_deref(),
            },
            address,
        )
        .await
        .map_err(|braked| {
            state.metrics.sign_in_failed(SignInFailure::Braked);
            too_many_attempts(braked)
        })?;
    let stored = known
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |(_, hash)| hash.clone());
    let (attempt, matches) = checked(attempt, state.hasher.verify(password, stored).await).await?;
    let Some((user, _)) = known.filter(|_| matches) else {
        attempt.failed().await;
        state.metrics.sign_in_failed(SignInFailure::Wrong);
        return Err(ApiError::new(ErrorCode::WrongCredentials));
    };
    attempt.succeeded().await;
    if let Some(key) = offered_key {
        state
            .db
            .remember_device(user, &key, Utc::now().timestamp_millis())
            .await?;
    }
    Ok(user)
}

/// The hasher's answer for an attempt under way: a refusal gives the attempt back (nothing
/// was checked) and becomes the API's 503 or 500.
pub(super) async fn checked<T>(
    attempt: Attempt,
    answer: Result<T, Refused>,
) -> Result<(Attempt, T), ApiError> {
    match answer {
        Ok(value) => Ok((attempt, value)),
        Err(refused) => {
            attempt.not_checked().await;
            Err(refused_error(refused))
        }
    }
}

/// A hasher's refusal as the API's error.
pub(super) fn refused_error(refused: Refused) -> ApiError {
    match refused {
        Refused::Busy => ApiError::busy(),
        Refused::Failed(error) => internal(&error.to_string()),
    }
}

/// Whether `password` passes the rules for a new password of `login`; the error names
/// `field`.
pub(super) fn password_rules(password: &str, login: &Login, field: &str) -> Result<(), ApiError> {
    check_password(password, login).map_err(|(code, limit)| {
        let error = ApiError::invalid(code, field);
        match limit {
            Some(limit) => error.with_limit(limit),
            None => error,
        }
    })
}

/// A new password's hash, after the rules for a new password.
pub(super) async fn new_password_hash(
    state: &AppState,
    password: String,
    login: &Login,
    field: &str,
) -> Result<String, ApiError> {
    password_rules(&password, login, field)?;
    state.hasher.hash(password).await.map_err(refused_error)
}

#[utoipa::path(post, path = "/auth/password", tag = "auth", request_body = PasswordChange, security(("session" = [])),
    responses((status = 204, description = "Changed; the person's other sessions ended"),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 422, description = "The current password is wrong, or the new one breaks a rule", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords: wait as `Retry-After` says", body = ErrorBody),
        (status = 503, description = "Too many passwords being checked: try again as `Retry-After` says", body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
    Person(me): Person,
    AppJson(request): AppJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let login = Login::parse(&me.login).map_err(|_| internal("a stored login does not parse"))?;
    // The new one is checked first: a rule broken costs no hash and no attempt.
    password_rules(&request.new_password, &login, "new_password")?;
    authenticate(
        &state,
        address,
        &me.login,
        request.current_password,
        Device::Session(&session.token_hash),
    )
    .await
    .map_err(|error| {
        if error.code() == ErrorCode::WrongCredentials {
            ApiError::invalid(ErrorCode::WrongPassword, "current_password")
        } else {
            error
        }
    })?;
    let hash = state
        .hasher
        .hash(request.new_password)
        .await
        .map_err(refused_error)?;
    state
        .db
        .set_password(
            me.id,
            &hash,
            Some(&session.token_hash),
            Utc::now().timestamp_millis(),
        )
        .await?;
    tracing::info!(user = me.id.0, "password changed; other sessions ended");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/auth/reset-codes", tag = "auth", request_body = ResetCodeRequest, security(("session" = [])),
    responses((status = 201, description = "The code, shown this once", body = ResetCode),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 403, description = "No such person in the asker's scope (which of the two is not told)", body = ErrorBody),
        (status = 422, description = "Not a phone number or an e-mail address", body = ErrorBody)))]
async fn create_reset_code(
    State(state): State<AppState>,
    Person(issuer): Person,
    ClientAddress(address): ClientAddress,
    AppJson(request): AppJson<ResetCodeRequest>,
) -> Result<(StatusCode, Json<ResetCode>), ApiError> {
    let login = Login::parse(&request.login).map_err(|code| ApiError::invalid(code, "login"))?;
    let forbidden = || ApiError::new(ErrorCode::Forbidden);
    let person = state
        .db
        .person_by_login(&login)
        .await?
        .ok_or_else(forbidden)?;
    if !may_reset(&state, &issuer, &person).await? {
        return Err(forbidden());
    }
    let (code, hash) = new_code().map_err(|e| internal(&e.to_string()))?;
    let now = Utc::now().timestamp_millis();
    let expires_at_ms = now + RESET_CODE_HOURS * 60 * 60 * 1000;
    state
        .db
        .create_reset(&hash, person.id, issuer.id, now, expires_at_ms)
        .await?;
    tracing::info!(
        by = issuer.id.0,
        user = person.id.0,
        "password reset code made"
    );
    state
        .note(Noted {
            actor: Some(issuer.id),
            address: Some(address),
            place: None,
            act: AuditAct::ResetCodeMade { person: person.id },
        })
        .await;
    Ok((
        StatusCode::CREATED,
        Json(ResetCode {
            code,
            expires_at_ms,
        }),
    ))
}

/// Whether `issuer` may reset the password of `person`: only when they could have invited
/// them to every role they hold, so a chair can help a volunteer of their committee but not
/// an admin who also volunteers there.
async fn may_reset(state: &AppState, issuer: &Me, person: &Me) -> Result<bool, ApiError> {
    if person.grants.is_empty() {
        return Ok(false);
    }
    for grant in &person.grants {
        if !super::invites::may_invite(state, issuer, grant)
            .await?
            .unwrap_or(false)
        {
            return Ok(false);
        }
    }
    Ok(true)
}

#[utoipa::path(post, path = "/auth/reset", tag = "auth", request_body = PasswordReset,
    responses((status = 200, description = "The new password set, every other session ended, and signed in", body = SignedIn),
        (status = 404, description = "No such code for this login, or it expired or was used", body = ErrorBody),
        (status = 422, description = "A bad login or new password", body = ErrorBody),
        (status = 429, description = "Too many wrong codes: wait as `Retry-After` says", body = ErrorBody),
        (status = 503, description = "Too many passwords being hashed: try again as `Retry-After` says", body = ErrorBody)))]
async fn reset_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    UserAgent(device): UserAgent,
    AppJson(request): AppJson<PasswordReset>,
) -> Result<Welcome, ApiError> {
    let invalid = |code, field: &str| ApiError::invalid(code, field);
    let login = Login::parse(&request.login).map_err(|code| invalid(code, "login"))?;
    let hash = code_hash(&request.code);
    let attempt = state
        .throttle
        .begin(Subject::Code(&hash), address)
        .await
        .map_err(too_many_attempts)?;
    let now = Utc::now().timestamp_millis();
    let code_invalid = || ApiError::new(ErrorCode::ResetCodeInvalid).with_field("code");
    if !state.db.reset_is_open(&hash, &login, now).await? {
        attempt.failed().await;
        return Err(code_invalid());
    }
    let password_hash =
        match new_password_hash(&state, request.new_password, &login, "new_password").await {
            Ok(password_hash) => password_hash,
            Err(error) => {
                attempt.not_checked().await;
                return Err(error);
            }
        };
    let Some(user) = state
        .db
        .redeem_reset(&hash, &login, &password_hash, now)
        .await?
    else {
        attempt.failed().await;
        return Err(code_invalid());
    };
    attempt.succeeded().await;
    if let Some(key) = device_key_hash(request.device_key.as_deref()) {
        state.db.remember_device(user, &key, now).await?;
    }
    tracing::info!(
        user = user.0,
        "password reset with a code; every session ended"
    );
    state
        .note(Noted {
            actor: Some(user),
            address: Some(address),
            place: None,
            act: AuditAct::PasswordReset,
        })
        .await;
    sign_in(&state, user, &device).await
}

/// Starts a session for `user` on `device` and says who signed in.
pub(super) async fn sign_in(
    state: &AppState,
    user: UserId,
    device: &str,
) -> Result<Welcome, ApiError> {
    let fresh = || new_token().map_err(|e: AuthError| internal(&e.to_string()));
    let (token, token_hash) = fresh()?;
    let (mark, mark_hash) = fresh()?;
    let now = Utc::now().timestamp_millis();
    let expires_at_ms = now + SESSION_DAYS * 24 * 60 * 60 * 1000;
    state
        .db
        .start_session(user, &token_hash, &mark_hash, device, now, expires_at_ms)
        .await?;
    let me = state
        .db
        .me(user)
        .await?
        .ok_or_else(|| internal("a signed-in user vanished"))?;
    Ok(Welcome {
        signed_in: SignedIn {
            token,
            expires_at_ms,
            me,
        },
        mark,
    })
}

/// A new session's answer: the session, and the browser's mark (`device.rs`) as a cookie.
pub(super) struct Welcome {
    signed_in: SignedIn,
    mark: String,
}

impl IntoResponse for Welcome {
    fn into_response(self) -> Response {
        (super::device::mark_cookie(&self.mark), Json(self.signed_in)).into_response()
    }
}

/// 429 with the wait in whole seconds, in the message and in `Retry-After`; or the storage's
/// failure.
pub(super) fn too_many_attempts(braked: Braked) -> ApiError {
    let wait = match braked {
        Braked::Wait(wait) => wait,
        Braked::Storage(error) => return error.into(),
    };
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    ApiError::new(ErrorCode::TooManyAttempts)
        .with_limit(i64::try_from(seconds).unwrap_or(i64::MAX))
        .with_retry_after(seconds)
}

#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("session" = [])),
    responses((status = 204, description = "This session ended"), (status = 401, description = "No session", body = ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    session: Session,
) -> Result<impl IntoResponse, ApiError> {
    state
        .db
        .end_session(&session.token_hash, Utc::now().timestamp_millis())
        .await?;
    Ok((super::device::mark_removed(), StatusCode::NO_CONTENT))
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
async fn end_all(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
) -> Result<StatusCode, ApiError> {
    let ended = state
        .db
        .end_all_sessions(session.user, Utc::now().timestamp_millis())
        .await?;
    tracing::info!(user = session.user.0, ended, "signed out everywhere");
    state
        .note(Noted {
            actor: Some(session.user),
            address: Some(address),
            place: None,
            act: AuditAct::SessionsEnded { sessions: ended },
        })
        .await;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn internal(reason: &str) -> ApiError {
    tracing::error!(reason, "sign-in failed");
    ApiError::new(ErrorCode::Internal)
}
