//! The client of the server's HTTP API (`/api/v1`), over the browser's `fetch`.

use dvor_core::protocol::{
    API_VERSION, ApiError, ErrorBody, Mutation, PROTOCOL_HEADER, PROTOCOL_VERSION, PullPage,
    PushRequest, PushResponse,
};
use gloo_net::http::{Request, Response};

use crate::i18n::t;

/// How a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiFailure {
    /// No answer: offline, server down, connection dropped. Worth retrying.
    #[error("{}", t().server_unreachable)]
    Unreachable,
    /// The server refused the request for a reason of its own, which sending it again will not
    /// change.
    #[error("{}", .0.message)]
    Refused(ApiError),
    /// The server failed or answered something unexpected. Worth retrying.
    #[error("{}", (t().server_status)(*.0))]
    Server(u16),
}

/// The API under a base URL; by default the server that served this page.
#[derive(Clone, Debug)]
pub struct Api {
    base: String,
}

impl Default for Api {
    fn default() -> Self {
        Self::new("")
    }
}

impl Api {
    /// The API at `origin` (e.g. `http://127.0.0.1:8080`); `""` is the page's own origin.
    pub fn new(origin: &str) -> Self {
        Self {
            base: format!("{origin}/api/v{API_VERSION}"),
        }
    }

    /// Pushes changes; each comes back applied or refused. Pushing the same changes again is
    /// harmless: the server applies each at most once and repeats its answers.
    pub async fn push(&self, mutations: &[Mutation]) -> Result<PushResponse, ApiFailure> {
        let request = Request::post(&format!("{}/sync/push", self.base))
            .header(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
            .json(&PushRequest {
                mutations: mutations.to_vec(),
            })
            .map_err(|_| ApiFailure::Unreachable)?;
        read(check(request.send().await).await?).await
    }

    /// The records changed on the server after `after`.
    pub async fn pull(&self, after: u64, limit: u32) -> Result<PullPage, ApiFailure> {
        let request = Request::get(&format!(
            "{}/sync/pull?after={after}&limit={limit}",
            self.base
        ))
        .header(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string());
        read(check(request.send().await).await?).await
    }
}

/// A body that does not parse came from something other than our server (a captive portal, a
/// proxy) or was cut off: worth retrying.
async fn read<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    response
        .json()
        .await
        .map_err(|_| ApiFailure::Server(response.status()))
}

/// Turns a non-success answer into a failure: a 4xx with the API's error body is a refusal;
/// the rest (5xx, 429, a proxy's error page) is a failure worth retrying.
async fn check(response: Result<Response, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let response = response.map_err(|_| ApiFailure::Unreachable)?;
    let status = response.status();
    if response.ok() {
        return Ok(response);
    }
    if (400..500).contains(&status)
        && status != 429
        && let Ok(body) = response.json::<ErrorBody>().await
    {
        return Err(ApiFailure::Refused(body.error));
    }
    Err(ApiFailure::Server(status))
}
