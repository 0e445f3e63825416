//! `/api/v1/device`: what the server holds from this browser, for a device whose own storage
//! was erased. A sign-in gives the browser a random mark in a cookie that scripts can neither
//! read nor erase (so a browser clearing "site data written by scripts" keeps it), scoped to
//! this path; the session keeps the mark's hash with what the device pushed. Signing out
//! removes the mark.

use axum::Json;
use axum::extract::State;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dvor_core::account::DeviceTrace;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::token_hash;
use crate::error::ApiError;
use crate::state::AppState;

const COOKIE_NAME: &str = "dvor_device";
const COOKIE_PATH: &str = "/api/v1/device";
/// The longest a browser keeps a cookie (Chromium caps at 400 days).
const COOKIE_DAYS: u32 = 400;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(trace))
}

/// The `Set-Cookie` that gives the browser `mark`.
pub(super) fn mark_cookie(mark: &str) -> [(axum::http::HeaderName, String); 1] {
    let max_age = u64::from(COOKIE_DAYS) * 24 * 60 * 60;
    [(
        SET_COOKIE,
        format!(
            "{COOKIE_NAME}={mark}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Strict"
        ),
    )]
}

/// The `Set-Cookie` that takes the mark away.
pub(super) fn mark_removed() -> [(axum::http::HeaderName, HeaderValue); 1] {
    [(
        SET_COOKIE,
        HeaderValue::from_static(
            "dvor_device=; Path=/api/v1/device; Max-Age=0; HttpOnly; SameSite=Strict",
        ),
    )]
}

/// The mark the request's cookies carry, if any.
fn mark(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE_NAME && !value.is_empty())
        .map(|(_, value)| value)
}

#[utoipa::path(get, path = "/device", tag = "auth",
    responses((status = 200, description = "What the server holds from this browser's last session", body = DeviceTrace),
        (status = 204, description = "Nothing: this browser has no mark, or one the server does not know")))]
async fn trace(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(mark) = mark(&headers) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    Ok(match state.db.device_trace(&token_hash(mark)).await? {
        Some(trace) => Json(trace).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; dvor_device=abc; b=2"),
        );
        assert_eq!(mark(&headers), Some("abc"));
        headers.insert(COOKIE, HeaderValue::from_static("dvor_device="));
        assert_eq!(mark(&headers), None);
        assert_eq!(mark(&HeaderMap::new()), None);
    }

    #[test]
    fn the_removal_names_the_same_cookie_and_path() {
        let [(_, removal)] = mark_removed();
        let [(_, given)] = mark_cookie("x");
        let removal = removal.to_str().expect("ascii");
        assert!(removal.starts_with(&format!("{COOKIE_NAME}=;")));
        assert!(removal.contains(&format!("Path={COOKIE_PATH};")));
        assert!(given.contains(&format!("Path={COOKIE_PATH};")));
    }
}
