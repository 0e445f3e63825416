//! `/api/v1/blobs/{hash}`: photos, put and read by the SHA-256 of their bytes. A put is
//! idempotent: the same photo sent twice (a retry after a lost answer) is stored once.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dvor_core::access::{Action, scopes_for};
use dvor_core::error::ErrorCode;
use dvor_core::photo::{BlobHash, IMAGE_TYPES, MAX_BLOB_BYTES, image_type};
use dvor_core::protocol::BlobStored;
use dvor_core::protocol::ErrorBody;
use sha2::{Digest, Sha256};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::blobs::{BlobError, Put};
use crate::error::ApiError;
use crate::extract::{Person, body_refused};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(put_blob, get_blob))
        .layer(DefaultBodyLimit::max(MAX_BLOB_BYTES))
}

/// Stores a photo whose declared type, first bytes, size and hash all agree.
#[utoipa::path(put, path = "/blobs/{hash}", tag = "sync", security(("session" = [])),
    params(("hash" = String, Path, description = "The SHA-256 of the bytes, in hex")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A JPEG, PNG or WebP photo"),
    responses((status = 200, description = "Stored before", body = BlobStored), (status = 201, description = "Stored", body = BlobStored),
        (status = 400, description = "The hash, type or bytes disagree", body = ErrorBody),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 413, description = "Too large", body = ErrorBody)))]
async fn put_blob(
    State(state): State<AppState>,
    Person(person): Person,
    Path(hash): Path<String>,
    headers: axum::http::HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<BlobStored>), ApiError> {
    if scopes_for(&person.grants, Action::Log).next().is_none() {
        return Err(ApiError::new(ErrorCode::Forbidden));
    }
    let hash = parse_hash(&hash)?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    if !IMAGE_TYPES
        .iter()
        .any(|mime| declared.as_deref() == Some(*mime))
    {
        return Err(unsupported());
    }
    let bytes = body.map_err(|rejection| {
        body_refused(&rejection, MAX_BLOB_BYTES, ErrorCode::UnsupportedImage)
    })?;
    if image_type(&bytes) != declared.as_deref() {
        return Err(unsupported());
    }
    if BlobHash::from_digest(Sha256::digest(&bytes).into()) != hash {
        return Err(ApiError::new(ErrorCode::WrongHash));
    }
    let put = state
        .blobs
        .put(hash, &bytes)
        .await
        .map_err(storage_failed)?;
    tracing::info!(%hash, bytes = bytes.len(), new = put == Put::Stored, "blob put");
    let status = match put {
        Put::Stored => {
            state.metrics.photo_stored(bytes.len());
            StatusCode::CREATED
        }
        Put::AlreadyThere => StatusCode::OK,
    };
    Ok((
        status,
        Json(BlobStored {
            hash,
            size: bytes.len() as u64,
        }),
    ))
}

/// A photo, to any signed-in person: its name is the hash of its bytes, which only a record
/// the person can read tells them.
#[utoipa::path(get, path = "/blobs/{hash}", tag = "sync", security(("session" = [])),
    params(("hash" = String, Path, description = "The SHA-256 of the bytes, in hex")),
    responses((status = 200, description = "The photo", content(("image/jpeg"), ("image/png"), ("image/webp"))),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 404, description = "No such photo", body = ErrorBody)))]
async fn get_blob(
    State(state): State<AppState>,
    Person(_): Person,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    let hash = parse_hash(&hash)?;
    let bytes = state
        .blobs
        .get(hash)
        .await
        .map_err(storage_failed)?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let mime = image_type(&bytes).unwrap_or("application/octet-stream");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    // The bytes under a hash never change.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(response)
}

fn parse_hash(raw: &str) -> Result<BlobHash, ApiError> {
    raw.parse()
        .map_err(|code| ApiError::new(code).with_field("hash"))
}

fn unsupported() -> ApiError {
    ApiError::new(ErrorCode::UnsupportedImage)
}

fn storage_failed(error: BlobError) -> ApiError {
    tracing::error!(%error, "blob storage failed");
    ApiError::new(ErrorCode::Internal)
}
