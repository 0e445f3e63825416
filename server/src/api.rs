//! `/api/v1`: one router per resource, merged here, each handler described for the OpenAPI
//! document served at `/api/v1/openapi.json` — generated from the same routes, so it cannot
//! list a path the server does not have or miss one it has.

mod audit;
mod auth;
mod authors;
mod blobs;
mod device;
mod export;
mod health;
mod invites;
mod map;
mod period;
mod personal_data;
mod reference;
mod refusals;
mod report;
mod sync;

use axum::Router;
use axum::http::header;
use axum::middleware;
use axum::routing::get;
use dvor_core::error::ErrorCode;
use dvor_core::photo::MAX_BLOB_BYTES;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Двор",
        description = "The API of Двор, the records of Kemerovo's neighbourhood self-government \
                       (ТОС) and community centres (ЦРН): activities, sites, inventory, the report \
                       and its exports. Every person sees only the places their roles cover. \
                       Errors are `{\"error\": {\"code\", \"message\", \"field\"}}` with a message \
                       in Russian."
    ),
    servers((url = "/api/v1")),
    modifiers(&SessionToken),
    tags(
        (name = "auth", description = "Signing in, sessions and invites"),
        (name = "sync", description = "Records and photos between devices and the server"),
        (name = "report", description = "The annual report's figures and the exports"),
        (name = "reference", description = "Districts, committees and centres"),
        (name = "map", description = "Map settings and tiles"),
        (name = "audit", description = "The audit log of administrative acts"),
        (name = "server", description = "Health")
    )
)]
struct ApiDoc;

/// The session token from `POST /auth/login`, sent as `Authorization: Bearer …`.
struct SessionToken;

impl Modify for SessionToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's routes, to be nested under `/api/v1`, with `/openapi.json` describing them; a
/// body idle for `body_idle_timeout` is cut off.
pub fn router(body_idle_timeout: std::time::Duration) -> Router<AppState> {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(audit::router())
        .merge(auth::router())
        .merge(authors::router())
        .merge(blobs::router())
        .merge(device::router())
        .merge(export::router())
        .merge(health::router())
        .merge(invites::router())
        .merge(map::router())
        .merge(personal_data::router())
        .merge(reference::router())
        .merge(report::router())
        .merge(sync::router())
        .split_for_parts();
    // After the routes are in: the document's own modifiers run before.
    let mut openapi = openapi;
    refusals::Refusals.modify(&mut openapi);
    let document = openapi.to_json().unwrap_or_else(|error| {
        tracing::error!(%error, "the OpenAPI document does not serialise");
        String::from("{}")
    });
    router
        .route(
            "/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], document) }),
        )
        .fallback(|| async { ApiError::new(ErrorCode::NotFound) })
        // A body that stops arriving is cut off; one declared larger than any route takes is
        // refused before a byte of it is read.
        .layer(RequestBodyTimeoutLayer::new(body_idle_timeout))
        .layer(RequestBodyLimitLayer::new(MAX_BLOB_BYTES))
        .layer(middleware::from_fn(refusals::envelope))
        .layer(compression())
}

/// Answers compressed on the fly for clients that accept it: JSON (pull pages, the report, the
/// OpenAPI document), CSV and GeoJSON exports as they stream — a pull page of 500 records is a
/// tenth of its size with brotli. Not XLSX (a zip already) nor photos and tiles (images), nor
/// answers too small to gain. Brotli at quality 4 costs about as much CPU as gzip's default.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(4))
        .compress_when(SizeAbove::new(1024).and(NotForContentType::IMAGES).and(
            NotForContentType::new(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ))
}
