//! The client of the server's HTTP API (`/api/v1`), over the browser's `fetch`.

use dvor_core::account::{
    AuthorName, DeviceTrace, ErasureRequest, Invite, InvitePreview, InvitePreviewRequest,
    InviteRequest, JoinRequest, LoginRequest, Me, PasswordChange, PasswordReset, ResetCode,
    ResetCodeRequest, SessionSummary, SignedIn, UserId,
};
use dvor_core::audit::AuditPage;
use dvor_core::error::ErrorCode;
use dvor_core::export::ExportFile;
use dvor_core::map::settings::MapSettings;
use dvor_core::photo::BlobHash;
use dvor_core::protocol::{
    API_VERSION, ApiError, ErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION, PullPage, PushRequest,
    PushResponse,
};
use dvor_core::reference::{District, NewDistrict, NewPart};
use dvor_core::report::ReportAnswer;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::t;

/// How a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiFailure {
    /// No answer: offline, server down, connection dropped. Worth retrying.
    #[error("{}", t().common.server_unreachable)]
    Unreachable,
    /// The server refused the request for a reason of its own, which sending it again will not
    /// change.
    #[error("{}", .0.message)]
    Refused(ApiError),
    /// The server is at a limit (too many passwords being checked, the database busy) and
    /// said so in its envelope. Worth retrying after a moment.
    #[error("{}", .0.message)]
    Busy(ApiError),
    /// The server failed or answered something unexpected. Worth retrying.
    #[error("{}", (t().common.server_status)(*.0))]
    Server(u16),
}

impl ApiFailure {
    /// Whether the server no longer takes the session: the person must sign in again.
    pub fn is_session_over(&self) -> bool {
        matches!(self, Self::Refused(e) if matches!(e.code, ErrorCode::NotSignedIn | ErrorCode::SessionEnded))
    }
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
    pub async fn push(&self, token: &str, push: &PushRequest) -> Result<PushResponse, ApiFailure> {
        let request = synced(Request::post(&self.url("/sync/push")), token);
        send(request.json(push)).await
    }

    /// The records the person may read changed on the server after `after`.
    pub async fn pull(&self, token: &str, after: u64, limit: u32) -> Result<PullPage, ApiFailure> {
        let url = self.url(&format!("/sync/pull?after={after}&limit={limit}"));
        send(synced(Request::get(&url), token).build()).await
    }

    /// Signs in with a login and a password.
    pub async fn sign_in(&self, login: &LoginRequest) -> Result<SignedIn, ApiFailure> {
        send(Request::post(&self.url("/auth/login")).json(login)).await
    }

    /// Joins with an invite: a new account, or one more role for an existing one.
    pub async fn join(&self, join: &JoinRequest) -> Result<SignedIn, ApiFailure> {
        send(Request::post(&self.url("/invites/join")).json(join)).await
    }

    /// What the invite with `code` is for.
    pub async fn preview_invite(&self, code: &str) -> Result<InvitePreview, ApiFailure> {
        let request = InvitePreviewRequest {
            code: code.to_owned(),
        };
        send(Request::post(&self.url("/invites/preview")).json(&request)).await
    }

    /// Sets a new password with a reset code and signs in.
    pub async fn reset_password(&self, reset: &PasswordReset) -> Result<SignedIn, ApiFailure> {
        send(Request::post(&self.url("/auth/reset")).json(reset)).await
    }

    /// Changes the person's password; their other sessions end.
    pub async fn change_password(
        &self,
        token: &str,
        change: &PasswordChange,
    ) -> Result<(), ApiFailure> {
        respond(signed(Request::post(&self.url("/auth/password")), token).json(change))
            .await
            .map(drop)
    }

    /// A reset code for a person in the asker's scope who forgot their password.
    pub async fn reset_code(
        &self,
        token: &str,
        request: &ResetCodeRequest,
    ) -> Result<ResetCode, ApiFailure> {
        send(signed(Request::post(&self.url("/auth/reset-codes")), token).json(request)).await
    }

    /// Ends this session on the server.
    pub async fn sign_out(&self, token: &str) -> Result<(), ApiFailure> {
        respond(signed(Request::post(&self.url("/auth/logout")), token).build())
            .await
            .map(drop)
    }

    /// Who the session's person is now, with their roles.
    pub async fn me(&self, token: &str) -> Result<Me, ApiFailure> {
        send(signed(Request::get(&self.url("/auth/me")), token).build()).await
    }

    /// The names of the authors of the records the person may read.
    pub async fn authors(&self, token: &str) -> Result<Vec<AuthorName>, ApiFailure> {
        send(signed(Request::get(&self.url("/authors")), token).build()).await
    }

    /// The person's sessions.
    pub async fn sessions(&self, token: &str) -> Result<Vec<SessionSummary>, ApiFailure> {
        send(signed(Request::get(&self.url("/auth/sessions")), token).build()).await
    }

    /// The report's grouped activities; `query` is `from=…&to=…` with an optional `district`
    /// or `owner`.
    pub async fn report(&self, token: &str, query: &str) -> Result<ReportAnswer, ApiFailure> {
        send(signed(Request::get(&self.url(&format!("/report?{query}"))), token).build()).await
    }

    /// Starts downloading an export: the answer once its headers arrive, its body still to
    /// read. `signal` stops it.
    pub async fn export(
        &self,
        token: &str,
        file: ExportFile,
        query: &str,
        signal: &web_sys::AbortSignal,
    ) -> Result<Response, ApiFailure> {
        respond(
            signed(
                Request::get(&self.url(&format!("/export/{file}?{query}"))),
                token,
            )
            .abort_signal(Some(signal))
            .build(),
        )
        .await
    }

    /// A page of the audit log, newest first; `query` is `kind=…&before=…`, either optional.
    pub async fn audit(&self, token: &str, query: &str) -> Result<AuditPage, ApiFailure> {
        send(signed(Request::get(&self.url(&format!("/audit?{query}"))), token).build()).await
    }

    /// The audit log as CSV, of the kind `query` names if it does.
    pub async fn audit_csv(&self, token: &str, query: &str) -> Result<String, ApiFailure> {
        let path = format!("/audit/export.csv?{query}");
        respond(signed(Request::get(&self.url(&path)), token).build())
            .await?
            .text()
            .await
            .map_err(|_| ApiFailure::Unreachable)
    }

    /// Everything the server holds about the person, as the JSON it sends.
    pub async fn my_data(&self, token: &str) -> Result<String, ApiFailure> {
        respond(signed(Request::get(&self.url("/auth/my-data")), token).build())
            .await?
            .text()
            .await
            .map_err(|_| ApiFailure::Unreachable)
    }

    /// Asks for the person's account to be erased.
    pub async fn request_erasure(&self, token: &str) -> Result<(), ApiFailure> {
        respond(signed(Request::post(&self.url("/auth/erasure-request")), token).build())
            .await
            .map(drop)
    }

    /// Who asked for their account's erasure (for admins).
    pub async fn erasure_requests(&self, token: &str) -> Result<Vec<ErasureRequest>, ApiFailure> {
        send(signed(Request::get(&self.url("/accounts/erasure-requests")), token).build()).await
    }

    /// Erases the account of `person`, who asked for it (for admins).
    pub async fn erase_account(&self, token: &str, person: UserId) -> Result<(), ApiFailure> {
        let path = format!("/accounts/{}/erase", person.0);
        respond(signed(Request::post(&self.url(&path)), token).build())
            .await
            .map(drop)
    }

    /// Ends every session of the person, this one included.
    pub async fn end_all_sessions(&self, token: &str) -> Result<(), ApiFailure> {
        respond(signed(Request::post(&self.url("/auth/sessions/end-all")), token).build())
            .await
            .map(drop)
    }

    /// Makes an invite.
    pub async fn invite(&self, token: &str, invite: &InviteRequest) -> Result<Invite, ApiFailure> {
        send(signed(Request::post(&self.url("/invites")), token).json(invite)).await
    }

    /// The city's districts, committees and centres.
    pub async fn reference(&self) -> Result<Vec<District>, ApiFailure> {
        send(Request::get(&self.url("/reference")).build()).await
    }

    /// What the server holds from this browser, found by the mark its cookie carries.
    pub async fn device_trace(&self) -> Result<DeviceTrace, ApiFailure> {
        send(Request::get(&self.url("/device")).build()).await
    }

    /// Where the map's tiles come from.
    pub async fn map_settings(&self) -> Result<MapSettings, ApiFailure> {
        send(Request::get(&self.url("/map")).build()).await
    }

    /// Adds a district (admins).
    pub async fn add_district(&self, token: &str, new: &NewDistrict) -> Result<(), ApiFailure> {
        self.add("/reference/districts", token, new).await
    }

    /// Adds a committee (`centre` false) or a centre to a district (admins).
    pub async fn add_part(
        &self,
        token: &str,
        centre: bool,
        new: &NewPart,
    ) -> Result<(), ApiFailure> {
        let path = if centre {
            "/reference/centres"
        } else {
            "/reference/committees"
        };
        self.add(path, token, new).await
    }

    async fn add(&self, path: &str, token: &str, body: &impl Serialize) -> Result<(), ApiFailure> {
        respond(signed(Request::post(&self.url(path)), token).json(body))
            .await
            .map(drop)
    }

    /// The photo or thumbnail `hash`.
    pub async fn blob(&self, token: &str, hash: BlobHash) -> Result<web_sys::Blob, ApiFailure> {
        let request = signed(Request::get(&self.url(&format!("/blobs/{hash}"))), token).build();
        let response = respond(request).await?;
        let status = response.status();
        let mime = response.headers().get("content-type").unwrap_or_default();
        let bytes = response
            .binary()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&mime);
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(|_| ApiFailure::Server(status))
    }

    /// Sends photo `hash`, calling `on_progress` with the bytes sent and the bytes in all as
    /// they go. Sending a photo the server has already is harmless. (`fetch` tells nothing of
    /// an upload's progress, so this one request goes by `XMLHttpRequest`.)
    pub async fn put_blob(
        &self,
        token: &str,
        hash: BlobHash,
        blob: &web_sys::Blob,
        on_progress: impl Fn(f64, f64) + 'static,
    ) -> Result<(), ApiFailure> {
        let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ApiFailure::Unreachable)?;
        let prepared = xhr
            .open("PUT", &self.url(&format!("/blobs/{hash}")))
            .and_then(|()| xhr.set_request_header("authorization", &format!("Bearer {token}")))
            .and_then(|()| xhr.set_request_header("content-type", &blob.type_()));
        prepared.map_err(|_| ApiFailure::Unreachable)?;
        let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
            move |event: web_sys::ProgressEvent| on_progress(event.loaded(), event.total()),
        );
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        let done = js_sys::Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
        xhr.send_with_opt_blob(Some(blob))
            .map_err(|_| ApiFailure::Unreachable)?;
        let _ = JsFuture::from(done).await;
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(None);
        }
        drop(progress);
        let status = xhr.status().unwrap_or(0);
        match status {
            0 => Err(ApiFailure::Unreachable),
            200..=299 => Ok(()),
            400..=499 => {
                let body = xhr.response_text().ok().flatten().unwrap_or_default();
                Err(serde_json::from_str::<ErrorBody>(&body)
                    .map_or(ApiFailure::Server(status), |body| {
                        ApiFailure::Refused(body.error)
                    }))
            }
            _ => Err(ApiFailure::Server(status)),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// The request with the person's session.
fn signed(request: RequestBuilder, token: &str) -> RequestBuilder {
    request.header("authorization", &format!("Bearer {token}"))
}

/// A sync request: signed, with the protocol this build speaks.
fn synced(request: RequestBuilder, token: &str) -> RequestBuilder {
    signed(request, token).header(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
}

/// Sends `request` and reads the answer's JSON.
async fn send<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiFailure> {
    read(respond(request).await?).await
}

/// Sends `request`; the answer if it is a success.
async fn respond(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let request = request.map_err(|_| ApiFailure::Unreachable)?;
    check(request.send().await).await
}

/// A body that does not parse came from something other than our server (a captive portal, a
/// proxy) or was cut off: worth retrying.
async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    response
        .json()
        .await
        .map_err(|_| ApiFailure::Server(response.status()))
}

/// Turns a non-success answer into a failure: a 4xx with the API's error body is a refusal (a
/// 429 too: only passwords and codes are braked, and the message says how long to wait); a 503
/// with it says the server is busy, in its words; the rest (5xx, a proxy's error page) is a
/// failure worth retrying.
async fn check(response: Result<Response, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let response = response.map_err(|_| ApiFailure::Unreachable)?;
    let status = response.status();
    if response.ok() {
        return Ok(response);
    }
    let envelope = (400..500).contains(&status) || status == 503;
    if envelope && let Ok(body) = response.json::<ErrorBody>().await {
        return Err(if status == 503 {
            ApiFailure::Busy(body.error)
        } else {
            ApiFailure::Refused(body.error)
        });
    }
    Err(ApiFailure::Server(status))
}
