//! What any route of the API may refuse, answered alike and described alike: the layers in
//! front of the handlers (a body declared too large, a body that stops arriving), axum's own
//! refusals (a path that does not parse, a method the path does not take), a busy server —
//! each answered in the API's error envelope, and each listed in the OpenAPI document for
//! every operation it can befall, so generated clients and the server agree.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dvor_core::error::ErrorCode;
use dvor_core::photo::MAX_BLOB_BYTES;
use utoipa::Modify;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

use crate::error::ApiError;

/// Puts every refusal that is not yet in the envelope into it, and marks every answer that
/// says nothing of caching `no-store`: API answers are personal (a person's records, their
/// sessions), and a shared computer's cache or a proxy must keep none of them.
pub async fn envelope(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
        response = refusal(status).into_response();
        if let Some(retry_after) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after);
        }
    }
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The envelope for a refusal made before any handler spoke.
fn refusal(status: StatusCode) -> ApiError {
    let code = match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::REQUEST_TIMEOUT => ErrorCode::RequestTimeout,
        StatusCode::PAYLOAD_TOO_LARGE => {
            return ApiError::with_status(status, ErrorCode::BodyTooLarge)
                .with_limit(i64::try_from(MAX_BLOB_BYTES).unwrap_or(i64::MAX));
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::ServerBusy,
        status if status.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    };
    ApiError::with_status(status, code)
}

/// Adds to every operation of the document the refusals it can meet without being listed by
/// its handler: any request can be unreadable (400), fail (500) or find the server busy (503);
/// one with a body can send it too slowly (408), too large (413), of the wrong type (415) or
/// with wrong values (422); one that needs a session can come without (401).
pub struct Refusals;

impl Modify for Refusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
                &mut item.options,
                &mut item.trace,
            ]
            .into_iter()
            .flatten()
            {
                describe(operation);
            }
        }
    }
}

fn describe(operation: &mut Operation) {
    let mut refusals = vec![
        (
            "400",
            "The request cannot be read: a path, query or header the API does not take",
        ),
        ("500", "The server failed; the request may be retried"),
        (
            "503",
            "The server is at a limit: try again as `Retry-After` says",
        ),
    ];
    if operation.request_body.is_some() {
        refusals.extend([
            ("408", "The body stopped arriving"),
            ("413", "The body is larger than the server takes"),
            ("415", "The body is not of the type the operation takes"),
            ("422", "A value of the body is wrong; `field` names it"),
        ]);
    }
    if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
        refusals.push(("401", "No session, or it ended: sign in"));
    }
    for (status, description) in refusals {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| {
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build()
                    .into()
            });
    }
}
