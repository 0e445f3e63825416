//! Extractors whose rejections are [`ApiError`]s, so even a malformed request gets the API's
//! error envelope with a Russian message and the field at fault.

use std::net::IpAddr;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use chrono::Utc;
use dvor_core::account::{AUTHORIZATION, Me, UserId};
use dvor_core::error::ErrorCode;
use dvor_core::protocol::{MAX_BODY_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_HEADER};
use serde::de::DeserializeOwned;

use crate::auth::token_hash;
use crate::db::accounts::SessionState;
use crate::error::ApiError;
use crate::state::AppState;

/// A JSON body.
#[derive(Debug, Clone)]
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::new(ErrorCode::UnsupportedMediaType));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            body_refused(&rejection, MAX_BODY_BYTES, ErrorCode::MalformedJson)
        })?;
        parse_json(&bytes).map(AppJson)
    }
}

/// Why a body could not be read, as the API's error: larger than `limit` (413), stopped
/// arriving (408, see `listen::Timeouts`), or else broken off (400 `otherwise`).
pub fn body_refused(rejection: &BytesRejection, limit: usize, otherwise: ErrorCode) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(ErrorCode::BodyTooLarge)
            .with_limit(i64::try_from(limit).unwrap_or(i64::MAX));
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
    while let Some(error) = cause {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return ApiError::new(ErrorCode::RequestTimeout);
        }
        cause = error.source();
    }
    ApiError::with_status(StatusCode::BAD_REQUEST, otherwise)
}

/// Parses JSON, reporting the path of the value at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(json_error)?;
    deserializer
        .end()
        .map_err(|_| ApiError::new(ErrorCode::MalformedJson))?;
    Ok(value)
}

fn json_error(error: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = error.path().to_string();
    let inner = error.inner();
    if !inner.is_data() {
        return ApiError::new(ErrorCode::MalformedJson);
    }
    // The path ends at an unknown key, but at the parent of a missing one, which serde names
    // only in its message, as `name`.
    let message = inner.to_string();
    let (code, field) = if message.starts_with("unknown field") {
        (ErrorCode::UnknownField, path)
    } else if message.starts_with("missing field") {
        let name = message.split('`').nth(1).unwrap_or_default();
        (
            ErrorCode::MissingField,
            if path == "." {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            },
        )
    } else {
        (ErrorCode::WrongType, path)
    };
    ApiError::invalid(code, field)
}

/// Query parameters.
#[derive(Debug, Clone)]
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| AppQuery(value))
            .map_err(|_| ApiError::new(ErrorCode::BadQuery))
    }
}

/// The client's sync protocol version ([`PROTOCOL_HEADER`]), required on sync requests. A client
/// too old for this server is told to update rather than served messages it would misread.
#[derive(Debug, Clone, Copy)]
pub struct ClientProtocol(pub u32);

impl<S: Send + Sync> FromRequestParts<S> for ClientProtocol {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let version = parts
            .headers
            .get(PROTOCOL_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(0);
        if version < MIN_PROTOCOL_VERSION {
            return Err(ApiError::new(ErrorCode::UpdateRequired));
        }
        Ok(Self(version))
    }
}

/// The signed-in person making the request, from `Authorization: Bearer <token>`. No token is
/// 401 `not_signed_in`; an expired, ended or unknown one 401 `session_ended`, so the device
/// asks the person to sign in again and keeps what it has not sent.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who.
    pub user: UserId,
    /// The hash of the token: which session.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // A handler that takes the session and the person asks once.
        if let Some(session) = parts.extensions.get::<Self>() {
            return Ok(session.clone());
        }
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
        let token_hash = token_hash(token);
        match state
            .db
            .session(&token_hash, Utc::now().timestamp_millis())
            .await?
        {
            SessionState::Active(user) => {
                let session = Self { user, token_hash };
                parts.extensions.insert(session.clone());
                Ok(session)
            }
            SessionState::Ended | SessionState::Unknown => {
                Err(ApiError::new(ErrorCode::SessionEnded))
            }
        }
    }
}

/// A signed-in person with their roles, for the endpoints that decide by them.
#[derive(Debug, Clone)]
pub struct Person(pub Me);

impl FromRequestParts<AppState> for Person {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await?;
        // A session outliving its person (removed meanwhile) ends with them.
        state
            .db
            .me(session.user)
            .await?
            .map(Self)
            .ok_or_else(|| ApiError::new(ErrorCode::SessionEnded))
    }
}

/// The address the request came from, for counting failed sign-ins: the peer's, or behind a
/// trusted proxy the one it forwarded for (set by the listener, `listen.rs`); unspecified when
/// the router runs without the listener (in unit tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Self>()
            .copied()
            .unwrap_or(Self(IpAddr::from([0, 0, 0, 0]))))
    }
}

/// The longest device name kept, in characters.
const MAX_DEVICE_CHARS: usize = 200;

/// The browser's name for itself (`User-Agent`), shown in the list of a person's sessions;
/// empty when absent.
#[derive(Debug, Clone)]
pub struct UserAgent(pub String);

impl<S: Send + Sync> FromRequestParts<S> for UserAgent {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_DEVICE_CHARS)
                .collect(),
        ))
    }
}
