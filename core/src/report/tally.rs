//! Activities grouped for the report: one row per kind, variant, youth flag, committee or centre
//! and month, with how many there were and what they counted. The server's SQL returns these
//! rows for a period and scope; a device computes them from what it holds with [`tally`]. The
//! rental desks' loans, which are not activities, are grouped by desk and month alike
//! ([`loan_tally`]).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access::{DistrictId, Owner};
use crate::activity::{Activity, ActivityKind};
use crate::date::Date;
use crate::date::local_date;
use crate::id::RecordId;
use crate::measure::Measure;

/// A calendar month, `YYYY-MM` as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    /// The year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// The month `date` lies in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date::from_ymd(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        (28..=31)
            .rev()
            .find_map(|day| Date::from_ymd(self.year, self.month, day))
            .unwrap_or(Date::MAX)
    }

    /// The month after.
    pub fn next(self) -> Month {
        Month::of(self.last_day().next_day())
    }
}

/// How a period splits for a report: the whole months it covers, read from a monthly tally,
/// and the days at either end outside them, read day by day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodParts {
    /// The first and last whole month, if the period covers any.
    pub months: Option<(Month, Month)>,
    /// The stretches of days outside whole months (at most two), first and last day each.
    pub days: Vec<(Date, Date)>,
}

impl PeriodParts {
    /// The parts of the period from `from` to `to`, both included.
    pub fn of(from: Date, to: Date) -> PeriodParts {
        if from > to {
            return PeriodParts {
                months: None,
                days: Vec::new(),
            };
        }
        let first = if from == Month::of(from).first_day() {
            Month::of(from)
        } else {
            Month::of(from).next()
        };
        let last_whole = |month: Month| month.last_day() <= to;
        let mut months = None;
        let mut month = first;
        while month.first_day() <= to && last_whole(month) {
            months = Some((first, month));
            month = month.next();
        }
        let days = match months {
            Some((first, last)) => [
                (from, first.first_day()),
                (last.last_day().next_day(), to.next_day()),
            ]
            .into_iter()
            .filter(|(start, end)| start < end)
            .map(|(start, end)| (start, previous(end)))
            .collect(),
            None => vec![(from, to)],
        };
        PeriodParts { months, days }
    }
}

/// The day before `date` (which is never the first day there is here).
fn previous(date: Date) -> Date {
    let month = Month::of(date);
    if date == month.first_day() {
        let before = Month {
            year: if month.month == 1 {
                month.year - 1
            } else {
                month.year
            },
            month: if month.month == 1 {
                12
            } else {
                month.month - 1
            },
        };
        before.last_day()
    } else {
        Date::from_ymd(date.year(), date.month(), date.day() - 1).unwrap_or(date)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (year, month) = text.split_once('-').ok_or_else(|| text.to_owned())?;
        let year = year.parse().map_err(|_| text.to_owned())?;
        let month = month.parse().map_err(|_| text.to_owned())?;
        Date::from_ymd(year, month, 1)
            .map(Month::of)
            .filter(|_| text.len() == 7)
            .ok_or_else(|| text.to_owned())
    }
}

impl TryFrom<String> for Month {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Month> for String {
    fn from(month: Month) -> Self {
        month.to_string()
    }
}

/// What the rows of a group have in common.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    /// The kind of activity.
    pub kind: ActivityKind,
    /// The variant named, if the kind has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Youth movement events.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub youth: bool,
    /// The committee or centre that held them.
    pub owner: Owner,
    /// The district it lies in.
    pub district: DistrictId,
    /// The month they were held in.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2025-05"))]
    pub month: Month,
}

/// One group of activities and what they counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TallyRow {
    /// What they have in common.
    #[serde(flatten)]
    pub group: Group,
    /// How many activities.
    pub records: u64,
    /// The sums of their measures; a measure none of them counted is left out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sums: BTreeMap<Measure, u64>,
}

/// The loans a committee's or centre's rental desk made in a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanRow {
    /// The desk's committee or centre.
    pub owner: Owner,
    /// The district it lies in.
    pub district: DistrictId,
    /// The month.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2025-05"))]
    pub month: Month,
    /// How many loans.
    pub loans: u64,
}

/// The rows of `loans` (each an id, whose time is when it was made, with its desk and the
/// district that lies in) made in Kemerovo from `from` to `to`, both included, in order.
pub fn loan_tally(
    loans: impl IntoIterator<Item = (RecordId, Owner, DistrictId)>,
    from: Date,
    to: Date,
) -> Vec<LoanRow> {
    let mut groups: BTreeMap<(Owner, DistrictId, Month), u64> = BTreeMap::new();
    for (id, owner, district) in loans {
        let day = local_date(id.unix_ms());
        if day >= from && day <= to {
            *groups.entry((owner, district, Month::of(day))).or_default() += 1;
        }
    }
    groups
        .into_iter()
        .map(|((owner, district, month), loans)| LoanRow {
            owner,
            district,
            month,
            loans,
        })
        .collect()
}

/// The rows of `activities` (each with the district its committee or centre lies in) held
/// from `from` to `to`, both included, in group order.
pub fn tally<'a>(
    activities: impl IntoIterator<Item = (&'a Activity, DistrictId)>,
    from: Date,
    to: Date,
) -> Vec<TallyRow> {
    let mut groups: BTreeMap<Group, TallyRow> = BTreeMap::new();
    for (activity, district) in activities {
        if activity.date < from || activity.date > to {
            continue;
        }
        let group = Group {
            kind: activity.kind,
            variant: activity.variant.clone(),
            youth: activity.youth,
            owner: activity.owner,
            district,
            month: Month::of(activity.date),
        };
        let row = groups.entry(group.clone()).or_insert_with(|| TallyRow {
            group,
            records: 0,
            sums: BTreeMap::new(),
        });
        row.records += 1;
        for (measure, count) in &activity.measures {
            *row.sums.entry(*measure).or_default() += u64::from(count.get());
        }
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> Date {
        text.parse().expect("date")
    }

    #[test]
    fn a_period_splits_into_whole_months_and_the_days_around_them() {
        let parts = PeriodParts::of(day("2025-01-15"), day("2025-04-10"));
        assert_eq!(
            parts.months,
            Some((
                "2025-02".parse().expect("month"),
                "2025-03".parse().expect("month")
            ))
        );
        assert_eq!(
            parts.days,
            vec![
                (day("2025-01-15"), day("2025-01-31")),
                (day("2025-04-01"), day("2025-04-10"))
            ]
        );
        let year = PeriodParts::of(day("2024-01-01"), day("2024-12-31"));
        assert_eq!(year.days, vec![]);
        assert_eq!(
            PeriodParts::of(day("2024-02-03"), day("2024-02-20")).months,
            None
        );
        assert_eq!(
            PeriodParts::of(day("2024-02-01"), day("2024-02-29")).days,
            vec![]
        );
        assert_eq!(
            PeriodParts::of(day("2024-03-01"), day("2024-02-29")),
            PeriodParts {
                months: None,
                days: vec![]
            }
        );
    }

    proptest! {
        #[test]
        fn the_parts_cover_every_day_of_the_period_once(start in 0u32..3_000, length in 0u32..800) {
            let from = day("2020-01-01").plus_days(start);
            let to = from.plus_days(length);
            let parts = PeriodParts::of(from, to);
            let mut covered = Vec::new();
            if let Some((first, last)) = parts.months {
                let mut month = first;
                loop {
                    let mut d = month.first_day();
                    while d <= month.last_day() { covered.push(d); d = d.next_day(); }
                    if month == last { break; }
                    month = month.next();
                }
            }
            for (a, b) in &parts.days {
                let mut d = *a;
                while d <= *b { covered.push(d); d = d.next_day(); }
            }
            covered.sort();
            let mut expected = Vec::new();
            let mut d = from;
            while d <= to { expected.push(d); d = d.next_day(); }
            prop_assert_eq!(covered, expected);
        }
    }

    #[test]
    fn months_read_back_and_nonsense_does_not() {
        let may = Month {
            year: 2026,
            month: 5,
        };
        assert_eq!(may.to_string(), "2026-05");
        assert_eq!("2026-05".parse(), Ok(may));
        for bad in ["2026-13", "2026-5", "2026", "май", "2026-05-01"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        assert_eq!(
            serde_json::to_string(&may).expect("serialises"),
            "\"2026-05\""
        );
    }
}
