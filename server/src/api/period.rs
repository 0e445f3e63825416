//! `?from=…&to=…[&district=…][&owner=committee:N|centre:N]`: the period and place a report or
//! an export is asked for.

use dvor_core::access::{DistrictId, Owner};
use dvor_core::date::Date;
use dvor_core::error::ErrorCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::report::TallyQuery;
use crate::error::ApiError;

/// The query as it arrives.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct PeriodQuery {
    /// The first day, `YYYY-MM-DD`.
    #[param(value_type = String, format = Date)]
    from: Date,
    /// The last day, `YYYY-MM-DD`.
    #[param(value_type = String, format = Date)]
    to: Date,
    /// Only this district, by id.
    district: Option<u32>,
    /// Only this committee or centre: `committee:N` or `centre:N`.
    owner: Option<String>,
}

impl PeriodQuery {
    /// The query checked: a period that ends no earlier than it begins, an owner that exists
    /// as a key.
    pub(super) fn checked(&self) -> Result<TallyQuery, ApiError> {
        let bad = |field: &str| ApiError::new(ErrorCode::BadQuery).with_field(field);
        if self.from > self.to {
            return Err(bad("to"));
        }
        let owner = match &self.owner {
            Some(key) => Some(Owner::from_key(key).ok_or_else(|| bad("owner"))?),
            None => None,
        };
        Ok(TallyQuery {
            from: self.from,
            to: self.to,
            district: self.district.map(DistrictId),
            owner,
        })
    }
}
