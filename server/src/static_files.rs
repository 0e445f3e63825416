//! The built PWA. Every path that is not a file gets `index.html`, so deep links such as
//! `/new/cleanup_day` open the app. Nothing is cached without revalidation: the service worker
//! does the caching, and a new `sw.js` must reach browsers at once.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::server::AppState;

/// Routes serving `dir` for every path no other route takes.
pub fn router(dir: &Path) -> Router<AppState> {
    let files = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}
