//! Accounts on the wire: signing in, who is signed in, their sessions.

use serde::{Deserialize, Serialize};

use crate::access::Grant;
use crate::record::AuthorId;

/// A person's id on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserId(pub u32);

/// How long a session lasts: a device stays usable offline this long after signing in.
pub const SESSION_DAYS: i64 = 30;

/// The header that carries a session token (`Authorization: Bearer <token>`): never a cookie
/// (the app has no cross-site pages to protect from) and never a URL.
pub const AUTHORIZATION: &str = "authorization";

/// `POST /api/v1/auth/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// A phone number or an e-mail address, as typed.
    pub login: String,
    /// The password.
    pub password: String,
    /// The device's own random key ([`DEVICE_KEY_HEX`] hex digits), kept by the browser
    /// across sign-outs. A person's failed attempts from devices where they have signed in
    /// before are braked apart from everyone else's, so a stranger guessing their password
    /// cannot lock them out of their own phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

/// The length of a device key in hex digits (32 random bytes).
pub const DEVICE_KEY_HEX: usize = 64;

/// `POST /api/v1/auth/password`: a signed-in person changes their password. Their other
/// sessions end; the one asking stays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The password now, checked like a sign-in's.
    pub current_password: String,
    /// The new one, under the rules of a new password.
    pub new_password: String,
}

/// `POST /api/v1/auth/reset-codes`: a chair, a centre's staff or an admin asks for a one-time
/// code with which a person in their scope who forgot their password sets a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetCodeRequest {
    /// The person's phone number or e-mail address.
    pub login: String,
}

/// How long a password reset code stays valid, in hours.
pub const RESET_CODE_HOURS: i64 = 24;

/// A reset code just made: shown once to the one who asked, kept only as a hash; a newer
/// code for the same person replaces it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetCode {
    /// The code to pass on to the person.
    pub code: String,
    /// When it stops working, ms since the epoch.
    pub expires_at_ms: i64,
}

/// `POST /api/v1/auth/reset`: a person sets a new password with a reset code and is signed in;
/// every other session of theirs ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    /// The code, as typed (spaces, dashes and case do not matter).
    pub code: String,
    /// Their phone number or e-mail address: the code works only for the person it was made
    /// for.
    pub login: String,
    /// The new password.
    pub new_password: String,
    /// As in [`LoginRequest::device_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

/// A person as the app shows them, with what they may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// `GET /api/v1/device`: what the server holds from the browser asking, found by the mark it
/// was given at its last sign-in — for a device whose own storage was erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceTrace {
    /// When someone last signed in on it, ms since the epoch.
    pub signed_in_at_ms: i64,
    /// When the server last took changes from it, if ever.
    pub last_push_at_ms: Option<i64>,
    /// How many of its changes the server took in that session.
    pub pushed: u64,
}

/// The most people one invite may bring in.
pub const MAX_INVITE_USES: u32 = 50;
/// The longest an invite may stay open, in days.
pub const MAX_INVITE_DAYS: u32 = 30;

/// `POST /api/v1/invites`: who may join, as what, how many times, for how long.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    /// The role and scope the newcomers get.
    pub grant: Grant,
    /// How many people may use it (1 to [`MAX_INVITE_USES`]).
    pub uses: u32,
    /// For how many days it stays open (1 to [`MAX_INVITE_DAYS`]).
    pub days: u32,
}

/// `GET /api/v1/authors`: the name of a person who made records the asker may read, so a
/// card can say who logged the work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorName {
    /// The author, as records name them.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "user:1"))]
    pub author: AuthorId,
    /// The person's name.
    pub name: String,
}

/// The symbols of an invite or reset code, not counting the dashes between its groups.
pub const CODE_SYMBOLS: usize = 12;

/// Whether `typed` has as many symbols as a code (spaces and dashes aside): only then is it
/// worth asking the server about, since every ask at a wrong code counts as a guess.
pub fn code_is_complete(typed: &str) -> bool {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .count()
        == CODE_SYMBOLS
}

/// `POST /api/v1/invites/preview`: what an invite is for, asked with its code before joining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePreviewRequest {
    /// The code, as typed or taken from the link.
    pub code: String,
}

/// What an open invite is for, so the join screen can say it before anyone types a password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePreview {
    /// The role and where it is held.
    pub grant: Grant,
    /// The name of that place; `None` for the whole city.
    pub place: Option<String>,
    /// When the invite closes, ms since the epoch.
    pub expires_at_ms: i64,
}

/// An invite just made: the code is shown once and kept only as a hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    /// The code to type or share.
    pub code: String,
    /// The link that opens the app with the code filled in: the code rides in the fragment,
    /// which browsers never send, so it stays out of every server and proxy log.
    pub link: String,
    /// When it closes, ms since the epoch.
    pub expires_at_ms: i64,
    /// How many people may still use it.
    pub uses_left: u32,
}

/// `POST /api/v1/invites/join`: a newcomer, or someone who already has an account and takes
/// on one more role (then `name` is ignored and `password` must be theirs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    /// The invite code, as typed (spaces and dashes are ignored, case too).
    pub code: String,
    /// Their name.
    pub name: String,
    /// A phone number or an e-mail address.
    pub login: String,
    /// Their new password, or their password if they have an account.
    pub password: String,
    /// As in [`LoginRequest::device_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// That they read the notice of what is kept about them and why, and agree to it: without
    /// it nobody joins.
    #[serde(default)]
    pub consent: bool,
}

/// `GET /api/v1/auth/my-data`: everything the server holds about the person asking, for them
/// to download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyData {
    /// Their account.
    pub me: Me,
    /// When they agreed to the notice at joining (ms since the epoch); `None` for an account
    /// made before the notice existed, or the first admin's, made on the server.
    pub consented_at_ms: Option<i64>,
    /// When they asked for their account's erasure, if they did.
    pub erasure_requested_at_ms: Option<i64>,
    /// Their sessions.
    pub sessions: Vec<SessionSummary>,
    /// The records they made, as the server holds them (borrowers' names and phones left out:
    /// those are the borrowers' data, not theirs).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub records: Vec<crate::record::Envelope>,
    /// What the audit log notes they did.
    pub acts: Vec<crate::audit::AuditEntry>,
}

/// A person who asked for their account's erasure, for an admin to carry out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErasureRequest {
    /// Their account.
    pub id: UserId,
    /// Their name.
    pub name: String,
    /// Their login.
    pub login: String,
    /// When they asked (ms since the epoch).
    pub requested_at_ms: i64,
}
