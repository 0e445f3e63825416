//! The built PWA. Every path that is not a file gets `index.html`, so deep links such as
//! `/new/cleanup_day` open the app.
//!
//! Files are sent as the build compressed them (`.br`, else `.gz`, by `Accept-Encoding`),
//! never compressed again per request. A file whose name carries its content's hash (Trunk's
//! `-0123456789abcdef` before the extension) never changes under that name: a browser keeps it
//! a year without asking. Every other file (`index.html`, `sw.js`, the manifest, the icons)
//! may change at any release: the browser asks each time, and its weak ETag — the length and
//! modification time of the uncompressed file, read at each request, so a `dist/` replaced
//! under a running server is never answered with an old tag — turns an unchanged one into a
//! 304 with no body.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

use crate::state::AppState;

/// How long a hashed file may be kept without asking.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Routes serving `dir` for every path no other route takes.
pub fn router(dir: &Path) -> Router<AppState> {
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(dir.join("index.html"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    let root: Arc<Path> = Arc::from(dir);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let root = Arc::clone(&root);
            async move { caching(&root, request, next).await }
        }))
}

/// Sets the cache policy and validator of a file's answer, and answers 304 when the browser's
/// copy is current.
async fn caching(root: &Path, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let hashed = is_hashed(&path);
    let tag = if hashed {
        None
    } else {
        etag(root, &path).await
    };
    let current = !hashed
        && tag.as_ref().is_some_and(|tag| {
            request
                .headers()
                .get_all(header::IF_NONE_MATCH)
                .iter()
                .any(|sent| sent == tag)
        });
    let mut response = if current {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        next.run(request).await
    };
    let found = response.status().is_success();
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if hashed && found {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    } else {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        if let Some(tag) = tag {
            headers.insert(header::ETAG, tag);
        }
    }
    response
}

/// Whether the file named by `path` carries its content's hash: `name-<16 hex>.ext` (as Trunk
/// names styles and `cargo xtask` the wasm, its chunks and their scripts) or
/// `name-<16 hex>_bg.wasm` (as Trunk names a wasm it builds itself).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(prefix, hash)| {
        !prefix.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The weak ETag of the file `path` names under `root` — or of `index.html`, which answers
/// every path that is no file — from its length and modification time.
async fn etag(root: &Path, path: &str) -> Option<HeaderValue> {
    let relative = path.trim_start_matches('/');
    let safe = !relative
        .split('/')
        .any(|part| part == ".." || part.starts_with('.'));
    let candidate: PathBuf = root.join(relative);
    let metadata = match tokio::fs::metadata(&candidate).await {
        Ok(metadata) if safe && metadata.is_file() => metadata,
        _ => tokio::fs::metadata(root.join("index.html")).await.ok()?,
    };
    let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    HeaderValue::from_str(&format!(
        "W/\"{:x}-{:x}\"",
        metadata.len(),
        modified.as_nanos()
    ))
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_told_from_the_rest() {
        for hashed in [
            "/dvor-7c5399cd417cf535.js",
            "/dvor-7c5399cd417cf535_bg.wasm",
            "/main-390916cd7154d33f.css",
            "/dvor-6af62bb29c626205.wasm",
            "/split-22f39135c54de64a.js",
            "/split_desk-9f4e28b6b44f0408.wasm",
            "/chunk_15-7efca3c466fd2647.wasm",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/index.html",
            "/sw.js",
            "/manifest.webmanifest",
            "/icons/icon-192.png",
            "/map/leaflet.js",
            "/tile-cache.js",
            "/new/cleanup_day",
            "/records-2025.js",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }
}
