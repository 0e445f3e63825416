//! One log line per request, when it is answered: its id (sent back as `X-Request-Id` too, so a
//! person's report of a failure finds its line), method, path, status and time taken, also
//! counted in the metrics by the route's template (`metrics.rs`). Nothing
//! else of a request is logged — no query string, no header, no body — so no session token,
//! password, invite code or borrower's phone can reach the log. Whatever is logged while the
//! request is handled carries its id.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::metrics::Metrics;

/// The header that carries a request's id back to the client.
pub const REQUEST_ID: &str = "x-request-id";

/// Hands out request ids: a random prefix for the process, so two processes behind one load
/// balancer never give the same, and a count.
#[derive(Debug)]
pub struct RequestIds {
    prefix: u32,
    next: AtomicU64,
}

impl RequestIds {
    /// Ids for a process just started.
    pub fn new() -> Self {
        Self {
            // Without randomness the ids still count; only two processes could then meet.
            prefix: getrandom::u32().unwrap_or_default(),
            next: AtomicU64::new(1),
        }
    }

    fn next(&self) -> String {
        format!(
            "{:08x}-{:x}",
            self.prefix,
            self.next.fetch_add(1, Ordering::Relaxed)
        )
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        Self::new()
    }
}

/// What the middleware needs: the ids it hands out and the metrics it counts in.
#[derive(Debug)]
pub struct RequestLog {
    /// The ids.
    pub ids: RequestIds,
    /// The metrics.
    pub metrics: Arc<Metrics>,
}

/// The middleware: the request handled inside its span, then its line and its count.
pub async fn log(State(log): State<Arc<RequestLog>>, request: Request, next: Next) -> Response {
    let id = log.ids.next();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let span = tracing::info_span!("request", id = %id);
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    let ms = elapsed * 1000.0;
    tracing::info!(parent: &span, %method, %path, status, ms, "answered");
    let route = match response.extensions().get::<MatchedPath>() {
        Some(route) => route.as_str(),
        None if path.starts_with("/api/") => "(no route)",
        None => "(app files)",
    };
    log.metrics.request(route, method.as_str(), status, elapsed);
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// Puts the route a request matched on its answer, where [`log`], which runs before routing,
/// finds it: a `route_layer` of the API.
pub async fn name_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}
