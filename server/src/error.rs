//! The API's error: a status, a stable code, a Russian message and the field at fault, always
//! as `{ "error": { "code", "message", "field" } }`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dvor_core::error::{ErrorCode, ValidationErrors};
use dvor_core::i18n::{Lang, strings};
use dvor_core::protocol::{self, ErrorBody};

use crate::db::DbError;

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    limit: Option<i64>,
    field: Option<String>,
    retry_after_secs: Option<u64>,
}

impl ApiError {
    /// An error about the request as a whole, with the status its code takes ([`status_of`]).
    pub fn new(code: ErrorCode) -> Self {
        Self::with_status(status_of(code), code)
    }

    /// 422: the value of `field` in the request is wrong in the way `code` says — also when
    /// the code alone would take another status (a district that is not found, named in a
    /// body, is a wrong value, not a missing page).
    pub fn invalid(code: ErrorCode, field: impl Into<String>) -> Self {
        Self::with_status(StatusCode::UNPROCESSABLE_ENTITY, code).with_field(field)
    }

    /// A refusal made before any handler (by the framework, or by an extractor for a body
    /// broken off), keeping the status it chose.
    pub(crate) fn with_status(status: StatusCode, code: ErrorCode) -> Self {
        Self {
            status,
            code,
            limit: None,
            field: None,
            retry_after_secs: None,
        }
    }

    /// Tells the client when to try again (`Retry-After`).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    /// Names the field at fault (a JSON path).
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Names the bound that was crossed.
    pub fn with_limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The reason.
    pub fn code(&self) -> ErrorCode {
        self.code
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        let first = errors.first();
        let error = Self::invalid(first.code, first.field.to_string());
        match first.limit {
            Some(limit) => error.with_limit(limit),
            None => error,
        }
    }
}

/// The HTTP status of each error code: the one place a code meets a status. Every code not
/// named is a rule a value broke (too long, out of range, not a date…): 422.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        // A photo's name in an address that is no hash; a photo field of a record that is
        // wrong is a value's fault like any other (422, through `invalid`).
        ErrorCode::BadQuery
        | ErrorCode::InvalidTile
        | ErrorCode::InvalidPhoto
        | ErrorCode::MalformedJson
        | ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::NotSignedIn | ErrorCode::SessionEnded | ErrorCode::WrongCredentials => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound | ErrorCode::InviteInvalid | ErrorCode::ResetCodeInvalid => {
            StatusCode::NOT_FOUND
        }
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        ErrorCode::LoginTaken | ErrorCode::NameTaken => StatusCode::CONFLICT,
        ErrorCode::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedImage | ErrorCode::UnsupportedMediaType => {
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        }
        ErrorCode::UpdateRequired => StatusCode::UPGRADE_REQUIRED,
        ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::ServerBusy => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl ApiError {
    /// 503 `server_busy`: a limit of the server was reached; the client waits a second and
    /// tries again.
    pub fn busy() -> Self {
        Self::new(ErrorCode::ServerBusy).with_retry_after(1)
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        if error.is_busy() {
            tracing::warn!(%error, "the database was busy");
            return Self::busy();
        }
        tracing::error!(%error, "storage failed");
        Self::new(ErrorCode::Internal)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: protocol::ApiError {
                code: self.code,
                message: (strings(Lang::Ru).common.error)(self.code, self.limit),
                field: self.field,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_takes_its_status_and_a_wrong_value_is_422_whatever_its_code() {
        assert_eq!(
            ApiError::new(ErrorCode::NotFound).status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            ApiError::invalid(ErrorCode::NotFound, "district").status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            ApiError::new(ErrorCode::TooLong).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(ApiError::busy().status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
