//! `/api/v1/invites`: a chair, a centre's staff or an admin invites people to a role; a
//! newcomer joins with the code (or a person with an account takes on one more role).

use std::net::IpAddr;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dvor_core::access::{Action, Grant, may, may_citywide};
use dvor_core::account::{
    Invite, InvitePreview, InvitePreviewRequest, InviteRequest, JoinRequest, MAX_INVITE_DAYS,
    MAX_INVITE_USES, Me, SignedIn,
};
use dvor_core::audit::AuditAct;
use dvor_core::error::ErrorCode;
use dvor_core::login::Login;
use dvor_core::protocol::ErrorBody;
use dvor_core::reference::scope_name;
use dvor_core::text::BoundedText;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Device, authenticate, internal, new_password_hash, sign_in, too_many_attempts};
use crate::auth::throttle::{Attempt, Subject};
use crate::auth::{code_hash, device_key_hash, new_code};
use crate::db::accounts::{Joiner, NewUser, Redeemed};
use crate::db::audit::Noted;
use crate::db::reference::ScopeWhere;
use crate::error::ApiError;
use crate::extract::{AppJson, ClientAddress, Person, UserAgent};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(join))
        .routes(routes!(preview))
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[utoipa::path(post, path = "/invites", tag = "auth", request_body = InviteRequest, security(("session" = [])),
    responses((status = 201, description = "The invite, with its code shown this once", body = Invite),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 403, description = "The person may not invite to this role and place", body = ErrorBody),
        (status = 422, description = "Bad uses, days or grant", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    Person(inviter): Person,
    ClientAddress(address): ClientAddress,
    AppJson(request): AppJson<InviteRequest>,
) -> Result<(StatusCode, Json<Invite>), ApiError> {
    for (field, value, max) in [
        ("uses", request.uses, MAX_INVITE_USES),
        ("days", request.days, MAX_INVITE_DAYS),
    ] {
        if value == 0 {
            return Err(invalid(ErrorCode::TooSmall, field).with_limit(1));
        }
        if value > max {
            return Err(invalid(ErrorCode::TooLarge, field).with_limit(i64::from(max)));
        }
    }
    let grant = request.grant;
    match may_invite(&state, &inviter, &grant).await? {
        None => return Err(invalid(ErrorCode::NotFound, "grant.scope")),
        Some(false) => return Err(ApiError::new(ErrorCode::Forbidden)),
        Some(true) => {}
    }
    let (code, code_hash) = new_code().map_err(|e| internal(&e.to_string()))?;
    let now = Utc::now().timestamp_millis();
    let expires_at_ms = now + i64::from(request.days) * DAY_MS;
    state
        .db
        .create_invite(
            &code_hash,
            &grant,
            inviter.id,
            now,
            expires_at_ms,
            request.uses,
        )
        .await?;
    tracing::info!(by = inviter.id.0, role = ?grant.role(), "invite made");
    state
        .note(Noted {
            actor: Some(inviter.id),
            address: Some(address),
            place: super::audit::place_of(&state, grant.scope()).await?,
            act: AuditAct::InviteMade {
                grant,
                uses: request.uses,
                days: request.days,
            },
        })
        .await;
    Ok((
        StatusCode::CREATED,
        Json(Invite {
            link: format!("/join#{code}"),
            code,
            expires_at_ms,
            uses_left: request.uses,
        }),
    ))
}

/// Whether `inviter` may invite someone to `grant`; `None` when its place does not exist.
pub(super) async fn may_invite(
    state: &AppState,
    inviter: &Me,
    grant: &Grant,
) -> Result<Option<bool>, ApiError> {
    let action = Action::Invite(grant.role());
    Ok(match state.db.place_of(grant.scope()).await? {
        ScopeWhere::Unknown => None,
        ScopeWhere::City => Some(may_citywide(&inviter.grants, action)),
        ScopeWhere::At(place) => Some(may(&inviter.grants, action, place)),
    })
}

/// The open invite under `code` — its grant and closing time — with the code's hash and the
/// attempt begun on it. Codes are guessed like passwords: asking about one is braked per code
/// and per address, and a wrong one counts.
async fn braked_invite(
    state: &AppState,
    code: &str,
    address: IpAddr,
) -> Result<(String, Attempt, (Grant, i64)), ApiError> {
    let code_hash = code_hash(code);
    let attempt = state
        .throttle
        .begin(Subject::Code(&code_hash), address)
        .await
        .map_err(too_many_attempts)?;
    match state
        .db
        .open_invite(&code_hash, Utc::now().timestamp_millis())
        .await?
    {
        Some(open) => Ok((code_hash, attempt, open)),
        None => {
            attempt.failed().await;
            Err(invite_invalid())
        }
    }
}

/// A code that opens no invite (none, used up or expired).
fn invite_invalid() -> ApiError {
    ApiError::new(ErrorCode::InviteInvalid).with_field("code")
}

#[utoipa::path(post, path = "/invites/preview", tag = "auth", request_body = InvitePreviewRequest,
    responses((status = 200, description = "What the invite is for", body = InvitePreview),
        (status = 404, description = "No such invite, or it is used up or expired", body = ErrorBody),
        (status = 429, description = "Too many attempts with this code or from this address: wait as `Retry-After` says", body = ErrorBody)))]
/// What an invite is for, so the join screen names the role and place before anyone types a
/// password. Asking guesses a code as joining does, so it is braked the same way.
async fn preview(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    AppJson(request): AppJson<InvitePreviewRequest>,
) -> Result<Json<InvitePreview>, ApiError> {
    let (_, attempt, (grant, expires_at_ms)) =
        braked_invite(&state, &request.code, address).await?;
    // A preview proves the code, but is no reason to forget the code's earlier failures.
    attempt.not_checked().await;
    let place = scope_name(&state.db.reference().await?, grant.scope());
    Ok(Json(InvitePreview {
        grant,
        place,
        expires_at_ms,
    }))
}

#[utoipa::path(post, path = "/invites/join", tag = "auth", request_body = JoinRequest,
    responses((status = 201, description = "The account made (or the grant added) and signed in", body = SignedIn),
        (status = 404, description = "No such invite, or it is used up or expired", body = ErrorBody),
        (status = 409, description = "The login is someone else's (the password given is not its own)", body = ErrorBody),
        (status = 422, description = "A bad name, login or password, or no agreement to the notice (`consent_required`)", body = ErrorBody),
        (status = 429, description = "Too many attempts with this code, from this address or at this account: wait as `Retry-After` says", body = ErrorBody),
        (status = 503, description = "Too many passwords being checked: try again as `Retry-After` says", body = ErrorBody)))]
async fn join(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    UserAgent(device): UserAgent,
    AppJson(request): AppJson<JoinRequest>,
) -> Result<(StatusCode, super::auth::Welcome), ApiError> {
    if !request.consent {
        return Err(ApiError::new(ErrorCode::ConsentRequired).with_field("consent"));
    }
    let login = Login::parse(&request.login).map_err(|code| invalid(code, "login"))?;
    let name = BoundedText::<120>::parse(&request.name)
        .map_err(|code| invalid(code, "name").with_limit(120))?;
    // The code is checked before anything about the login is looked at, so without a valid
    // invite nothing is learnt of anyone's account.
    let (code_hash, attempt, (grant, _)) = braked_invite(&state, &request.code, address).await?;
    let password_hash;
    let joiner = match state.db.credentials(&login).await? {
        // Someone with an account takes on one more role: their password is checked as a
        // sign-in is, under the same brake. A wrong one also costs the code an attempt, so
        // an invite cannot be used to learn many logins.
        Some(_) => {
            let checked = authenticate(
                &state,
                address,
                login.as_str(),
                request.password,
                Device::Key(request.device_key.as_deref()),
            )
            .await;
            match checked {
                Ok(user) => Joiner::Existing(user),
                Err(error) if error.code() == ErrorCode::WrongCredentials => {
                    attempt.failed().await;
                    return Err(ApiError::new(ErrorCode::LoginTaken).with_field("login"));
                }
                Err(error) => {
                    attempt.not_checked().await;
                    return Err(error);
                }
            }
        }
        None => {
            password_hash =
                match new_password_hash(&state, request.password, &login, "password").await {
                    Ok(hash) => hash,
                    Err(error) => {
                        attempt.not_checked().await;
                        return Err(error);
                    }
                };
            Joiner::New(NewUser {
                login: &login,
                name: name.as_str(),
                password_hash: &password_hash,
                grants: &[],
            })
        }
    };
    let now = Utc::now();
    let redeemed = state
        .db
        .redeem_invite(
            &code_hash,
            joiner,
            &now.to_rfc3339(),
            now.timestamp_millis(),
        )
        .await?;
    match redeemed {
        Redeemed::Joined(user) => {
            attempt.succeeded().await;
            if let Some(key) = device_key_hash(request.device_key.as_deref()) {
                state
                    .db
                    .remember_device(user, &key, now.timestamp_millis())
                    .await?;
            }
            tracing::info!(user = user.0, "joined by invite");
            state
                .db
                .record_consent(user, now.timestamp_millis())
                .await?;
            state
                .note(Noted {
                    actor: Some(user),
                    address: Some(address),
                    place: super::audit::place_of(&state, grant.scope()).await?,
                    act: AuditAct::InviteUsed { grant },
                })
                .await;
            Ok((StatusCode::CREATED, sign_in(&state, user, &device).await?))
        }
        Redeemed::Invalid => {
            attempt.failed().await;
            Err(invite_invalid())
        }
        // Taken between the look-up and the insert: the newcomer chose a login someone else
        // just took.
        Redeemed::LoginTaken => {
            attempt.failed().await;
            Err(ApiError::new(ErrorCode::LoginTaken).with_field("login"))
        }
    }
}

fn invalid(code: ErrorCode, field: &str) -> ApiError {
    ApiError::invalid(code, field)
}
