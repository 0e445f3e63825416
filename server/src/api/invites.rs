//! `/api/v1/invites`: a chair, a centre's staff or an admin invites people to a role; a
//! newcomer joins with the code (or a person with an account takes on one more role).

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dvor_core::access::{Action, may, may_citywide};
use dvor_core::account::{
    Invite, InviteRequest, JoinRequest, MAX_INVITE_DAYS, MAX_INVITE_USES, SignedIn,
};
use dvor_core::error::ErrorCode;
use dvor_core::login::{Login, check_password};
use dvor_core::protocol::ErrorBody;
use dvor_core::text::BoundedText;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{internal, sign_in};
use crate::auth::{hash_password, invite_code_hash, new_invite_code, verify_password};
use crate::db::accounts::{Joiner, NewUser, Redeemed};
use crate::db::reference::ScopeWhere;
use crate::error::ApiError;
use crate::extract::{AppJson, ClientAddress, Person, UserAgent};
use crate::server::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(join))
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
    let allowed = match state.db.place_of(grant.scope()).await? {
        ScopeWhere::Unknown => {
            return Err(invalid(ErrorCode::NotFound, "grant.scope"));
        }
        ScopeWhere::City => may_citywide(&inviter.grants, Action::Invite(grant.role())),
        ScopeWhere::At(place) => may(&inviter.grants, Action::Invite(grant.role()), place),
    };
    if !allowed {
        return Err(ApiError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden));
    }
    let (code, code_hash) = new_invite_code().map_err(|e| internal(&e.to_string()))?;
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

#[utoipa::path(post, path = "/invites/join", tag = "auth", request_body = JoinRequest,
    responses((status = 201, description = "The account made (or the grant added) and signed in", body = SignedIn),
        (status = 404, description = "No such invite, or it is used up or expired", body = ErrorBody),
        (status = 422, description = "A bad name, login or password", body = ErrorBody)))]
async fn join(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    UserAgent(device): UserAgent,
    AppJson(request): AppJson<JoinRequest>,
) -> Result<(StatusCode, Json<SignedIn>), ApiError> {
    let code_hash = invite_code_hash(&request.code);
    // Codes are guessed like passwords: the same brake, per code and per address.
    let key = format!("invite {code_hash}");
    if let Some(wait) = state.brake.wait(&key, address, Instant::now()) {
        return Err(super::auth::too_many_attempts(wait));
    }
    let login = Login::parse(&request.login).map_err(|code| invalid(code, "login"))?;
    let name = BoundedText::<120>::parse(&request.name)
        .map_err(|code| invalid(code, "name").with_limit(120))?;
    let password = request.password;
    let known = state.db.credentials(&login).await?;
    let password_hash;
    let joiner = match known {
        Some((user, stored)) => {
            let typed = password.clone();
            let matches = tokio::task::spawn_blocking(move || verify_password(&typed, &stored))
                .await
                .map_err(|e| internal(&e.to_string()))?
                .map_err(|e| internal(&e.to_string()))?;
            if !matches {
                state.brake.failed(login.as_str(), address, Instant::now());
                return Err(
                    ApiError::new(StatusCode::CONFLICT, ErrorCode::LoginTaken).with_field("login")
                );
            }
            Joiner::Existing(user)
        }
        None => {
            check_password(&password, &login).map_err(|(code, limit)| {
                let error = invalid(code, "password");
                match limit {
                    Some(limit) => error.with_limit(limit),
                    None => error,
                }
            })?;
            let typed = password.clone();
            password_hash = tokio::task::spawn_blocking(move || hash_password(&typed))
                .await
                .map_err(|e| internal(&e.to_string()))?
                .map_err(|e| internal(&e.to_string()))?;
            Joiner::New(NewUser {
                login: &login,
                name: name.as_str(),
                password_hash: &password_hash,
                grants: &[],
            })
        }
    };
    let now = Utc::now();
    match state
        .db
        .redeem_invite(
            &code_hash,
            joiner,
            &now.to_rfc3339(),
            now.timestamp_millis(),
        )
        .await?
    {
        Redeemed::Joined(user) => {
            tracing::info!(user = user.0, "joined by invite");
            Ok((
                StatusCode::CREATED,
                Json(sign_in(&state, user, &device).await?),
            ))
        }
        Redeemed::Invalid => {
            state.brake.failed(&key, address, Instant::now());
            Err(ApiError::new(StatusCode::NOT_FOUND, ErrorCode::InviteInvalid).with_field("code"))
        }
        Redeemed::LoginTaken => {
            Err(ApiError::new(StatusCode::CONFLICT, ErrorCode::LoginTaken).with_field("login"))
        }
    }
}

fn invalid(code: ErrorCode, field: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code).with_field(field)
}
