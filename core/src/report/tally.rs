//! Activities grouped for the report: one row per kind, variant, youth flag, committee or centre
//! and month, with how many there were and what they counted. The server's SQL returns these
//! rows for a period and scope; a device computes them from what it holds with [`tally`].

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access::{DistrictId, Owner};
use crate::activity::{Activity, ActivityKind};
use crate::date::Date;
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
    pub month: Month,
}

/// One group of activities and what they counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
