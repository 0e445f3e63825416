//! `/api/v1/reference`: the city's districts with their committees and centres, for the forms
//! and filters of every screen; an admin adds to them.

use std::net::IpAddr;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dvor_core::access::{Action, CentreId, CommitteeId, DistrictId, Place, may_citywide};
use dvor_core::audit::{AuditAct, ReferencePart};
use dvor_core::error::ErrorCode;
use dvor_core::protocol::ErrorBody;
use dvor_core::reference::{District, Name, Named, NewDistrict, NewPart};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::audit::Noted;
use crate::db::reference::{Added, Part};
use crate::error::ApiError;
use crate::extract::{AppJson, ClientAddress, Person};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reference))
        .routes(routes!(add_district))
        .routes(routes!(add_committee))
        .routes(routes!(add_centre))
}

#[utoipa::path(get, path = "/reference", tag = "reference",
    responses((status = 200, description = "The districts with their committees and centres", body = Vec<District>)))]
async fn reference(State(state): State<AppState>) -> Result<Json<Vec<District>>, ApiError> {
    Ok(Json(state.db.reference().await?))
}

type Created = (StatusCode, Json<Named<u32>>);

#[utoipa::path(post, path = "/reference/districts", tag = "reference", request_body = NewDistrict, security(("session" = [])),
    responses((status = 201, description = "The district added", body = Named<u32>),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 403, description = "Only a city admin changes the reference", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "A bad name", body = ErrorBody)))]
async fn add_district(
    State(state): State<AppState>,
    person: Person,
    ClientAddress(address): ClientAddress,
    AppJson(new): AppJson<NewDistrict>,
) -> Result<Created, ApiError> {
    allowed(&person)?;
    let name = checked(&new.name)?;
    let added = state.db.add_district(name.as_str()).await?;
    if let Added::Created(id) = added {
        let place = Place {
            district: DistrictId(id),
            committee: None,
            centre: None,
        };
        noted(
            &state,
            &person,
            address,
            place,
            ReferencePart::District,
            id,
            &name,
        )
        .await;
    }
    created(added, name.as_str())
}

#[utoipa::path(post, path = "/reference/committees", tag = "reference", request_body = NewPart, security(("session" = [])),
    responses((status = 201, description = "The committee added", body = Named<u32>),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 403, description = "Only a city admin changes the reference", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "A bad name or district", body = ErrorBody)))]
async fn add_committee(
    state: State<AppState>,
    person: Person,
    address: ClientAddress,
    new: AppJson<NewPart>,
) -> Result<Created, ApiError> {
    add_part(state, person, address, new, Part::Committees).await
}

#[utoipa::path(post, path = "/reference/centres", tag = "reference", request_body = NewPart, security(("session" = [])),
    responses((status = 201, description = "The centre added", body = Named<u32>),
        (status = 401, description = "No session", body = ErrorBody),
        (status = 403, description = "Only a city admin changes the reference", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "A bad name or district", body = ErrorBody)))]
async fn add_centre(
    state: State<AppState>,
    person: Person,
    address: ClientAddress,
    new: AppJson<NewPart>,
) -> Result<Created, ApiError> {
    add_part(state, person, address, new, Part::Centres).await
}

async fn add_part(
    State(state): State<AppState>,
    person: Person,
    ClientAddress(address): ClientAddress,
    AppJson(new): AppJson<NewPart>,
    part: Part,
) -> Result<Created, ApiError> {
    allowed(&person)?;
    let name = checked(&new.name)?;
    let added = state.db.add_part(part, new.district, name.as_str()).await?;
    if let Added::Created(id) = added {
        let (place, noted_part) = match part {
            Part::Committees => (
                Place {
                    district: new.district,
                    committee: Some(CommitteeId(id)),
                    centre: None,
                },
                ReferencePart::Committee,
            ),
            Part::Centres => (
                Place {
                    district: new.district,
                    committee: None,
                    centre: Some(CentreId(id)),
                },
                ReferencePart::Centre,
            ),
        };
        noted(&state, &person, address, place, noted_part, id, &name).await;
    }
    created(added, name.as_str())
}

/// Notes in the audit log that `person` added `name` to the reference data.
async fn noted(
    state: &AppState,
    Person(person): &Person,
    address: IpAddr,
    place: Place,
    part: ReferencePart,
    id: u32,
    name: &Name,
) {
    state
        .note(Noted {
            actor: Some(person.id),
            address: Some(address),
            place: Some(place),
            act: AuditAct::ReferenceAdded {
                part,
                id,
                name: name.as_str().to_owned(),
            },
        })
        .await;
}

/// The reference data is the city's: only a city-wide grant may change it.
fn allowed(Person(me): &Person) -> Result<(), ApiError> {
    if may_citywide(&me.grants, Action::ManageReference) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorCode::Forbidden))
    }
}

fn checked(name: &str) -> Result<Name, ApiError> {
    Name::parse(name)
        .map_err(|code| ApiError::invalid(code, "name").with_limit(Name::MAX_CHARS as i64))
}

fn created(added: Added, name: &str) -> Result<Created, ApiError> {
    match added {
        Added::Created(id) => Ok((
            StatusCode::CREATED,
            Json(Named {
                id,
                name: name.to_owned(),
            }),
        )),
        Added::Taken => Err(ApiError::new(ErrorCode::NameTaken).with_field("name")),
        Added::NoDistrict => Err(ApiError::invalid(ErrorCode::NotFound, "district")),
    }
}
