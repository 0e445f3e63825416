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
    /// An error about the request as a whole.
    pub fn new(status: StatusCode, code: ErrorCode) -> Self {
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
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: first.code,
            limit: first.limit,
            field: Some(first.field.to_string()),
            retry_after_secs: None,
        }
    }
}

impl ApiError {
    /// 503 `server_busy`: a limit of the server was reached; the client waits a second and
    /// tries again.
    pub fn busy() -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::ServerBusy).with_retry_after(1)
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        if error.is_busy() {
            tracing::warn!(%error, "the database was busy");
            return Self::busy();
        }
        tracing::error!(%error, "storage failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: protocol::ApiError {
                code: self.code,
                message: (strings(Lang::Ru).error)(self.code, self.limit),
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
