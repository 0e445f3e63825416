//! The city's annual report from records. Each figure is declared once ([`figures::FIGURES`]):
//! which activities it takes and what it counts. The server's SQL groups activities into
//! [`tally::TallyRow`]s (a device does the same with what it holds, offline); the figures, their
//! breakdowns by place and the trend by month are computed from those rows here, so every side
//! shows the same numbers.

pub mod figures;
pub mod tally;
pub mod totals;

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// `GET /api/v1/report`: the tally of a period for the person's scope, as the server's SQL
/// grouped it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAnswer {
    /// The first day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2025-05-16"))]
    pub from: Date,
    /// The last day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2025-05-16"))]
    pub to: Date,
    /// The groups of activities.
    pub rows: Vec<tally::TallyRow>,
    /// The rental desks' loans by desk and month.
    #[serde(default)]
    pub loans: Vec<tally::LoanRow>,
}
