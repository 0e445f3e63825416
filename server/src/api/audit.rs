//! `/api/v1/audit`: the audit log, a page at a time or as CSV, within what the reader may see
//! (admins the city's, coordinators their district's); and the places acts are noted under.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use dvor_core::access::{Action, Place, Scope, scopes_for};
use dvor_core::account::Me;
use dvor_core::audit::{AuditKind, AuditPage, MAX_AUDIT_PAGE, table};
use dvor_core::error::ErrorCode;
use dvor_core::export::Format;
use dvor_core::export::csv::document;
use dvor_core::i18n::{Lang, strings};
use dvor_core::protocol::ErrorBody;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::export::attachment;
use crate::db::reference::ScopeWhere;
use crate::error::ApiError;
use crate::extract::{AppQuery, Person};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(log))
        .routes(routes!(download))
}

/// Which entries.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct LogQuery {
    /// Only acts of this kind: `invite_made`, `export_downloaded`…
    kind: Option<String>,
    /// Only entries older than this one (the `next` of the page before).
    before: Option<u64>,
    /// At most this many, 1–200 (200 when absent).
    limit: Option<u32>,
}

impl LogQuery {
    fn kind(&self) -> Result<Option<AuditKind>, ApiError> {
        self.kind
            .as_deref()
            .map(|kind| {
                kind.parse()
                    .map_err(|()| ApiError::new(ErrorCode::BadQuery).with_field("kind"))
            })
            .transpose()
    }
}

#[utoipa::path(get, path = "/audit", tag = "audit", params(LogQuery), security(("session" = [])),
    responses((status = 200, description = "The entries the person may read, newest first", body = AuditPage),
        (status = 400, description = "A bad request or kind", body = ErrorBody), (status = 401, description = "No session, or an ended one", body = ErrorBody),
        (status = 403, description = "The person may read the log nowhere", body = ErrorBody),
        (status = 422, description = "A bad limit", body = ErrorBody)))]
async fn log(
    State(state): State<AppState>,
    Person(person): Person,
    AppQuery(query): AppQuery<LogQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    may_read(&person)?;
    let limit = query.limit.unwrap_or(MAX_AUDIT_PAGE);
    if !(1..=MAX_AUDIT_PAGE).contains(&limit) {
        let code = if limit == 0 {
            ErrorCode::TooSmall
        } else {
            ErrorCode::TooLarge
        };
        return Err(ApiError::invalid(code, "limit").with_limit(i64::from(MAX_AUDIT_PAGE)));
    }
    let page = state
        .db
        .audit(&person, query.kind()?, query.before, limit)
        .await?;
    Ok(Json(page))
}

#[utoipa::path(get, path = "/audit/export.csv", tag = "audit", params(LogQuery), security(("session" = [])),
    responses((status = 200, description = "Every entry the person may read (of the kind asked), newest first, as CSV", content_type = "text/csv"),
        (status = 400, description = "A bad request or kind", body = ErrorBody), (status = 401, description = "No session, or an ended one", body = ErrorBody),
        (status = 403, description = "The person may read the log nowhere", body = ErrorBody)))]
async fn download(
    State(state): State<AppState>,
    Person(person): Person,
    AppQuery(query): AppQuery<LogQuery>,
) -> Result<Response, ApiError> {
    may_read(&person)?;
    let kind = query.kind()?;
    let mut entries = Vec::new();
    let mut before = query.before;
    loop {
        let page = state
            .db
            .audit(&person, kind, before, MAX_AUDIT_PAGE)
            .await?;
        entries.extend(page.entries);
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    let t = strings(Lang::Ru);
    let csv = document(&table(&entries, &state.db.reference().await?, t));
    let rows = u64::try_from(entries.len()).unwrap_or(u64::MAX);
    Ok(attachment(
        Format::Csv,
        "audit-log.csv",
        Some(rows),
        Body::from(csv),
    ))
}

fn may_read(person: &Me) -> Result<(), ApiError> {
    match scopes_for(&person.grants, Action::ReadAudit).next() {
        Some(_) => Ok(()),
        None => Err(ApiError::new(ErrorCode::Forbidden)),
    }
}

/// Where `scope` lies, for noting an act about it: `None` for the whole city (or a place
/// that does not exist).
pub(super) async fn place_of(state: &AppState, scope: Scope) -> Result<Option<Place>, ApiError> {
    Ok(match state.db.place_of(scope).await? {
        ScopeWhere::At(place) => Some(place),
        ScopeWhere::City | ScopeWhere::Unknown => None,
    })
}

/// The place an act `person` did as `action` lies in: the one place they may do it, or the
/// whole city's when they may do it city-wide or in several places.
pub(super) async fn only_place(
    state: &AppState,
    person: &Me,
    action: Action,
) -> Result<Option<Place>, ApiError> {
    let mut scopes = scopes_for(&person.grants, action);
    match (scopes.next(), scopes.next()) {
        (Some(scope), None) => place_of(state, scope).await,
        _ => Ok(None),
    }
}
