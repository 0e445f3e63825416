//! The messages of the HTTP API (`/api/v1`), shared by the client and the server.

use serde::{Deserialize, Serialize};

use crate::activity::Activity;
use crate::error::ErrorCode;

/// The version of this protocol, part of every API path (`/api/v1`).
pub const API_VERSION: u32 = 1;

/// The largest request body the server reads, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The most records a page of `GET /api/v1/activities` holds.
pub const MAX_PAGE_LIMIT: u32 = 500;

/// `GET /api/v1/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// The server's version (its crate version).
    pub version: String,
    /// The database's state.
    pub database: DatabaseStatus,
}

/// Whether the server can reach its database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseStatus {
    /// It answered a query.
    Ok,
    /// It did not.
    Unavailable,
}

/// One page of `GET /api/v1/activities?after=<cursor>&limit=<n>`: the activities the server
/// stored after `after`, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    /// The activities.
    pub items: Vec<Activity>,
    /// Pass this as `after` to get the next page. It is a server sequence number, never a time.
    pub cursor: u64,
    /// Whether another page follows; explicit, so a full last page does not loop.
    pub has_more: bool,
    /// How many activities follow this page, for showing progress.
    pub remaining: u64,
}

/// The body of every error response: `{ "error": { "code", "message", "field" } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ApiError,
}

/// What went wrong with a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable, for programs.
    pub code: ErrorCode,
    /// For people, in Russian.
    pub message: String,
    /// The JSON path of the field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
