//! `GET /api/v1/export/{dataset}.{format}?from=…&to=…[&district=…][&owner=…]`: activities,
//! sites, the inventory ledger or the report as a file, within where the person may export
//! (coordinators their district, admins the city). CSV and GeoJSON stream as they are read and
//! say their row count in `dvor-rows`; a workbook is sent whole with its length.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dvor_core::access::{Action, scopes_for};
use dvor_core::account::Me;
use dvor_core::audit::AuditAct;
use dvor_core::error::ErrorCode;
use dvor_core::export::tables::report_tables;
use dvor_core::export::{Dataset, ExportFile, Format, Names};
use dvor_core::i18n::{Lang, strings};
use dvor_core::id::RecordId;
use dvor_core::inventory::item::Item;
use dvor_core::protocol::{EXPORT_ROWS_HEADER, ErrorBody};
use dvor_core::record::{Envelope, RecordKind};
use dvor_core::report::totals::Totals;
use dvor_core::site::Site;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::period::PeriodQuery;
use crate::db::Db;
use crate::db::audit::Noted;
use crate::db::report::TallyQuery;
use crate::error::ApiError;
use crate::export::{ExportError, Records, Shape, streamed, workbook_of_feed, workbook_of_tables};
use crate::extract::{AppQuery, ClientAddress, Person};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

impl From<ExportError> for ApiError {
    fn from(error: ExportError) -> Self {
        tracing::error!(%error, "export failed");
        ApiError::new(ErrorCode::Internal)
    }
}

#[utoipa::path(get, path = "/export/{file}", tag = "report", security(("session" = [])),
    params(("file" = String, Path, description = "`activities`, `sites` or `ledger` with `.xlsx` or `.csv`; `sites.geojson`; `report.xlsx`"), PeriodQuery),
    responses((status = 200, description = "The file, within where the person may export (coordinators their district, admins the city). CSV and GeoJSON stream and give their row count in the `dvor-rows` header.",
            content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"), ("application/geo+json"))),
        (status = 400, description = "A bad request", body = ErrorBody), (status = 401, description = "No session, or an ended one", body = ErrorBody),
        (status = 403, description = "The person may export nowhere", body = ErrorBody),
        (status = 404, description = "No such file", body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    Person(person): Person,
    ClientAddress(address): ClientAddress,
    Path(file): Path<String>,
    AppQuery(query): AppQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let file: ExportFile = file
        .parse()
        .map_err(|()| ApiError::new(ErrorCode::NotFound))?;
    let query = query.checked()?;
    if scopes_for(&person.grants, Action::Export).next().is_none() {
        return Err(ApiError::new(ErrorCode::Forbidden));
    }
    state
        .note(Noted {
            actor: Some(person.id),
            address: Some(address),
            place: super::audit::only_place(&state, &person, Action::Export).await?,
            act: AuditAct::ExportDownloaded {
                file: format!("{}.{}", file.dataset.key(), file.format.extension()),
                from: query.from,
                to: query.to,
            },
        })
        .await;
    let t = strings(Lang::Ru);
    let db = &state.db;
    let mut names = Names::of_city(&db.reference().await?);
    let name = file.file_name(query.from, query.to);
    let records = match file.dataset {
        Dataset::Report => {
            let rows = db.tally(&person, Action::Export, query).await?;
            let loans = db.loan_tally(&person, Action::Export, query).await?;
            let totals = Totals::of(&rows, &loans);
            let bytes = workbook_of_tables(report_tables(&totals, &names, t)).await?;
            return Ok(attachment(file.format, &name, None, Body::from(bytes)));
        }
        Dataset::Activities => {
            names.sites = named(db, &person, RecordKind::Site, query, |r| {
                Site::from_stored(r).map(|site| (site.id, site.name.as_str().to_owned()))
            })
            .await?;
            Records::Activities
        }
        Dataset::Sites => Records::Sites,
        Dataset::Ledger => {
            names.items = named(db, &person, RecordKind::Item, query, |r| {
                Item::from_stored(r).map(|item| (item.id, item.name.as_str().to_owned()))
            })
            .await?;
            Records::Ledger
        }
    };
    let work = match records {
        Records::Sites => db.site_work(&person, query).await?,
        Records::Activities | Records::Ledger => HashMap::new(),
    };
    let feed = match records {
        Records::Activities => db.export_activities(&person, query).await?,
        Records::Sites => db.export_records(&person, RecordKind::Site, query).await?,
        Records::Ledger => {
            db.export_records(&person, RecordKind::Movement, query)
                .await?
        }
    };
    let shape = Shape {
        records,
        names,
        work,
        t,
    };
    if file.format.streams() {
        let rows = feed.count;
        Ok(attachment(
            file.format,
            &name,
            Some(rows),
            streamed(feed, shape, file.format),
        ))
    } else {
        let bytes = workbook_of_feed(feed, shape).await?;
        Ok(attachment(file.format, &name, None, Body::from(bytes)))
    }
}

/// The names of the records of `kind` the person may export in the query's place, by id, as
/// `name_of` reads them: the sites an activity names, the items a movement moves.
async fn named(
    db: &Db,
    person: &Me,
    kind: RecordKind,
    query: TallyQuery,
    name_of: impl Fn(&Envelope) -> Option<(RecordId, String)>,
) -> Result<HashMap<RecordId, String>, ApiError> {
    let records = db.export_records(person, kind, query).await?.all().await?;
    Ok(records.iter().filter_map(name_of).collect())
}

/// The file as a download named `name`, with its row count when it streams.
pub(super) fn attachment(format: Format, name: &str, rows: Option<u64>, body: Body) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(rows) = rows {
        headers.insert(EXPORT_ROWS_HEADER, HeaderValue::from(rows));
    }
    response
}
