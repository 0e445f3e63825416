//! Accounts on the wire: signing in, who is signed in, their sessions.

use serde::{Deserialize, Serialize};

use crate::access::Grant;

/// A person's id on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub u32);

/// How long a session lasts: a device stays usable offline this long after signing in.
pub const SESSION_DAYS: i64 = 30;

/// The header that carries a session token (`Authorization: Bearer <token>`): never a cookie
/// (the app has no cross-site pages to protect from) and never a URL.
pub const AUTHORIZATION: &str = "authorization";

/// `POST /api/v1/auth/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// A phone number or an e-mail address, as typed.
    pub login: String,
    /// The password.
    pub password: String,
}

/// A person as the app shows them, with what they may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// Their id.
    pub id: UserId,
    /// Their name.
    pub name: String,
    /// Their sign-in name, canonical.
    pub login: String,
    /// Their roles and where they hold them.
    pub grants: Vec<Grant>,
}

/// The answer to a successful sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    /// The session's token, to be sent as `Authorization: Bearer <token>`. The server keeps
    /// only its hash.
    pub token: String,
    /// When the session ends, ms since the epoch.
    pub expires_at_ms: i64,
    /// Who signed in.
    pub me: Me,
}

/// One of a person's sessions, as "my devices" lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// When it began, ms since the epoch.
    pub created_at_ms: i64,
    /// When it ends, ms since the epoch.
    pub expires_at_ms: i64,
    /// The browser that signed in, as it named itself.
    pub device: String,
    /// Whether it is the session asking.
    pub current: bool,
}
