//! The client of the server's HTTP API (`/api/v1`), over the browser's `fetch`.

use dvor_core::activity::Activity;
use dvor_core::protocol::{API_VERSION, ActivityPage, ApiError, ErrorBody};
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

    /// Sends an activity. Sending the same activity twice is harmless: the server stores it once.
    pub async fn create_activity(&self, activity: &Activity) -> Result<(), ApiFailure> {
        let request = Request::post(&format!("{}/activities", self.base))
            .json(activity)
            .map_err(|_| ApiFailure::Unreachable)?;
        check(request.send().await).await.map(drop)
    }

    /// The activities the server stored after `after`.
    pub async fn activities_after(
        &self,
        after: u64,
        limit: u32,
    ) -> Result<ActivityPage, ApiFailure> {
        let request = Request::get(&format!(
            "{}/activities?after={after}&limit={limit}",
            self.base
        ));
        check(request.send().await)
            .await?
            .json()
            .await
            .map_err(|_| ApiFailure::Unreachable)
    }
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
