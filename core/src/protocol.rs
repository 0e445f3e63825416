//! The messages of the HTTP API (`/api/v1`), shared by the client and the server.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::id::MutationId;
use crate::lineage::Lineage;
use crate::record::Envelope;

/// The version of the API, part of every path (`/api/v1`).
pub const API_VERSION: u32 = 1;

/// The version of the sync protocol this build speaks, sent by the client in
/// [`PROTOCOL_HEADER`] with every sync request. The server answers an older one with
/// [`ErrorCode::UpdateRequired`] rather than guess what its messages mean.
pub const PROTOCOL_VERSION: u32 = 3;

/// The oldest client protocol the server still serves.
pub const MIN_PROTOCOL_VERSION: u32 = 3;

/// The request header that carries the client's [`PROTOCOL_VERSION`].
pub const PROTOCOL_HEADER: &str = "dvor-protocol";

/// The header in which a streamed export (CSV, GeoJSON) says how many rows it holds, so the
/// download can show its progress.
pub const EXPORT_ROWS_HEADER: &str = "dvor-rows";

/// The largest request body the server reads, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The most changes a pull page holds.
pub const MAX_PAGE_LIMIT: u32 = 500;

/// The most mutations a push may carry.
pub const MAX_PUSH_BATCH: usize = 500;

/// `GET /api/v1/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// The server's version (its crate version).
    pub version: String,
    /// The database's state.
    pub database: DatabaseStatus,
    /// Whether the process takes new work or is stopping.
    pub serving: Serving,
}

/// Whether a server process takes new work: what a load balancer routes by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Serving {
    /// It takes requests.
    Ready,
    /// It was told to stop: it finishes what it has and answers for a short while, so the
    /// load balancer sees it going before it goes.
    Draining,
}

/// Whether the server can reach its database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DatabaseStatus {
    /// It answered a query.
    Ok,
    /// It did not.
    Unavailable,
}

/// One change a device made, as it is pushed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    /// Made with the change; the server applies each id at most once.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "019a0000-ae00-7000-8000-000000000001"))]
    pub mutation_id: MutationId,
    /// The fields it writes, stamped.
    pub change: Envelope,
}

/// `POST /api/v1/sync/push`: mutations in the order the device made them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    /// At most [`MAX_PUSH_BATCH`].
    pub mutations: Vec<Mutation>,
}

/// The answer to a push: one outcome per mutation, in the request's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// The outcomes.
    pub results: Vec<MutationResult>,
    /// The server's clock (ms since the epoch), so a device can stamp by it.
    pub server_time_ms: u64,
}

/// What became of one mutation. The same mutation pushed again gets the same outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    /// Which mutation.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "019a0000-ae00-7000-8000-000000000001"))]
    pub mutation_id: MutationId,
    /// What became of it.
    pub outcome: Outcome,
}

/// Applied, or refused for good: `"applied"` or `{"rejected": {"code", "message", "field"}}`.
/// (Externally tagged on purpose: a tag inside the object would make every client buffer it.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// Merged into the server's record (possibly changing nothing, if newer writes won).
    Applied,
    /// Not applied, and applying it again will not help: the person must fix or discard it.
    Rejected {
        /// Stable, for programs.
        code: ErrorCode,
        /// For people, in Russian.
        message: String,
        /// The field at fault, when one is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
}

/// One page of `GET /api/v1/sync/pull?after=<cursor>&limit=<n>`: the records that changed after
/// `after`, each in its whole current state, in the order of their last change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullPage {
    /// The records.
    pub changes: Vec<Envelope>,
    /// Pass this as `after` for the next page. A server sequence number, never a time.
    pub cursor: u64,
    /// Whether another page follows; explicit, so a full last page does not loop.
    pub has_more: bool,
    /// How many records follow this page, for showing progress.
    pub remaining: u64,
    /// The server's clock (ms since the epoch), so a device can stamp by it.
    pub server_time_ms: u64,
    /// Which history of records the server holds; a new one after a restore from a backup, so
    /// a device whose cursor belongs to the old one starts over. Absent from older servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "4f1c9a0e2b7d48c5a6e3f0918d2c7b5a"))]
    pub lineage: Option<Lineage>,
}

/// The answer to a photo put: the blob the server holds now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlobStored {
    /// Its name.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "sha256 in hex"))]
    pub hash: crate::photo::BlobHash,
    /// Its size in bytes.
    pub size: u64,
}

/// The body of every error response: `{ "error": { "code", "message", "field" } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ApiError,
}

/// What went wrong with a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Stable, for programs.
    pub code: ErrorCode,
    /// For people, in Russian.
    pub message: String,
    /// The JSON path of the field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
