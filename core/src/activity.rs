//! Activities: what volunteers and centre staff log. The kinds and what each counts are data
//! ([`KindSpec`]), so the form, the checks and later the reports all read one declaration.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Owner;
use crate::date::Date;
use crate::error::{ErrorCode, Field, FieldError, ValidationErrors};
use crate::id::RecordId;
use crate::measure::{Count, Measure, MeasureSpec, Measures};
use crate::record::Envelope;
use crate::text::BoundedText;

/// A kind of activity. The wire name is [`ActivityKind::key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// Субботник: a clean-up day.
    CleanupDay,
}

/// What a kind of activity records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindSpec {
    /// The kind declared.
    pub kind: ActivityKind,
    /// Its measures, in form order.
    pub measures: &'static [MeasureSpec],
}

const CLEANUP_DAY: KindSpec = KindSpec {
    kind: ActivityKind::CleanupDay,
    measures: &[
        MeasureSpec {
            measure: Measure::Participants,
            required: true,
            min: 1,
            max: 10_000,
        },
        MeasureSpec {
            measure: Measure::Bags,
            required: true,
            min: 0,
            max: 100_000,
        },
        MeasureSpec {
            measure: Measure::AreaM2,
            required: false,
            min: 0,
            max: 10_000_000,
        },
    ],
};

impl ActivityKind {
    /// Every kind, in menu order.
    pub const ALL: [ActivityKind; 1] = [ActivityKind::CleanupDay];

    /// The wire and URL name.
    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::CleanupDay => "cleanup_day",
        }
    }

    /// What this kind records.
    pub fn spec(self) -> &'static KindSpec {
        match self {
            ActivityKind::CleanupDay => &CLEANUP_DAY,
        }
    }
}

impl FromStr for ActivityKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActivityKind::ALL
            .into_iter()
            .find(|k| k.key() == s)
            .ok_or(())
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A postal address or a description of a place.
pub type Address = BoundedText<300>;

/// Record fields named `measures.<measure>` hold the counts.
const MEASURE_PREFIX: &str = "measures.";

/// The earliest year an activity may be dated: older paper records are not backfilled here.
pub const EARLIEST_YEAR: i32 = 2000;

/// A validated activity: every value in it has passed [`ActivityInput::validate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Made on the device that created the record.
    pub id: RecordId,
    /// What happened.
    pub kind: ActivityKind,
    /// The day it happened.
    pub date: Date,
    /// The committee or centre that held it, which keeps the record.
    pub owner: Owner,
    /// Where it happened.
    pub site_address: Address,
    /// What it counted.
    pub measures: Measures,
}

/// An activity as it arrives from a form or over the wire, before validation. Loosely typed on
/// purpose, so every mistake in it becomes a [`FieldError`] with a code rather than a parse
/// failure. Serialising an [`Activity`] gives a valid input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    /// A UUIDv7 in text form.
    pub id: String,
    /// An [`ActivityKind::key`].
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Chosen from the committees and centres the person may log for.
    #[serde(default)]
    pub owner: Option<Owner>,
    /// Free text.
    pub site_address: String,
    /// Values by [`Measure::key`].
    #[serde(default)]
    pub measures: BTreeMap<String, i64>,
}

impl ActivityInput {
    /// Checks every field against the rules of its kind and returns the validated activity, or
    /// every error found. `today` is the caller's current date; activities may be dated up to
    /// one day after it, because the device and the server may sit in different time zones.
    pub fn validate(&self, today: Date) -> Result<Activity, ValidationErrors> {
        let mut errors = Vec::new();
        let id = keep(
            &mut errors,
            self.id
                .parse::<RecordId>()
                .map_err(|_| FieldError::new(Field::Id, ErrorCode::InvalidId)),
        );
        let kind = keep(
            &mut errors,
            self.kind
                .parse::<ActivityKind>()
                .map_err(|()| FieldError::new(Field::Kind, ErrorCode::UnknownKind)),
        );
        let date = keep(&mut errors, validate_date(&self.date, today));
        let owner = keep(
            &mut errors,
            self.owner
                .ok_or_else(|| FieldError::new(Field::Owner, ErrorCode::Required)),
        );
        let site_address = keep(
            &mut errors,
            validate_text::<300>(Field::SiteAddress, &self.site_address),
        );
        let measures = kind.map(|kind| validate_measures(kind.spec(), &self.measures, &mut errors));
        match (id, kind, date, owner, site_address, measures) {
            (Some(id), Some(kind), Some(date), Some(owner), Some(site_address), Some(measures))
                if errors.is_empty() =>
            {
                Ok(Activity {
                    id,
                    kind,
                    date,
                    owner,
                    site_address,
                    measures,
                })
            }
            _ => ValidationErrors::check(errors)
                .map(|()| unreachable!("a missing value always records an error")),
        }
    }
}

impl Activity {
    /// The values a record of this activity holds: every field but the id and the owner, which
    /// are the record's own, and each measure of its kind as `measures.<measure>`.
    pub fn values(&self) -> BTreeMap<String, Value> {
        let mut values = BTreeMap::new();
        for (name, value) in [
            ("kind", Value::from(self.kind.key())),
            ("date", Value::from(self.date.to_string())),
            ("site_address", Value::from(self.site_address.as_str())),
        ] {
            values.insert(name.to_owned(), value);
        }
        // Each measure is a field of its own, so two people counting different things at once
        // both keep their count; a measure left empty is written as null, so clearing it is a
        // change like any other.
        for spec in self.kind.spec().measures {
            let count = self.measures.get(&spec.measure);
            values.insert(
                format!("{MEASURE_PREFIX}{}", spec.measure.key()),
                count.map_or(Value::Null, |c| Value::from(c.get())),
            );
        }
        values
    }

    /// Checks a record's current values as a save does and returns the activity they make.
    pub fn from_record(record: &Envelope, today: Date) -> Result<Activity, ValidationErrors> {
        let values = record.values();
        let mut errors = Vec::new();
        let mut text = |name: &str, field: Field| match values.get(name) {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                errors.push(FieldError::new(field, ErrorCode::WrongType));
                String::new()
            }
        };
        let mut input = ActivityInput {
            id: record.id.to_string(),
            kind: text("kind", Field::Kind),
            date: text("date", Field::Date),
            owner: Some(record.owner),
            site_address: text("site_address", Field::SiteAddress),
            measures: BTreeMap::new(),
        };
        for (name, value) in &values {
            if ["kind", "date", "site_address"].contains(&name.as_str()) {
                continue;
            }
            match (name.strip_prefix(MEASURE_PREFIX), value) {
                (Some(_), Value::Null) => {}
                (Some(measure), value) => match value.as_i64() {
                    Some(n) => {
                        input.measures.insert(measure.to_owned(), n);
                    }
                    None => errors.push(FieldError::new(
                        Field::Other(name.clone()),
                        ErrorCode::WrongType,
                    )),
                },
                (None, _) => errors.push(FieldError::new(
                    Field::Other(name.clone()),
                    ErrorCode::UnknownField,
                )),
            }
        }
        ValidationErrors::check(errors)?;
        input.validate(today)
    }

    /// Reads back a record that passed [`Activity::from_record`] when it was stored, without
    /// the checks that depend on the day; `None` if it does not hold an activity.
    pub fn from_stored(record: &Envelope) -> Option<Activity> {
        Activity::from_record(record, Date::MAX).ok()
    }
}

fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

fn validate_text<const MAX: usize>(
    field: Field,
    raw: &str,
) -> Result<BoundedText<MAX>, FieldError> {
    BoundedText::<MAX>::parse(raw).map_err(|code| match code {
        ErrorCode::TooLong => FieldError::with_limit(field, code, MAX as i64),
        _ => FieldError::new(field, code),
    })
}

impl From<&Activity> for ActivityInput {
    fn from(activity: &Activity) -> Self {
        Self {
            id: activity.id.to_string(),
            kind: activity.kind.key().to_owned(),
            date: activity.date.to_string(),
            owner: Some(activity.owner),
            site_address: activity.site_address.to_string(),
            measures: activity
                .measures
                .iter()
                .map(|(m, c)| (m.key().to_owned(), i64::from(c.get())))
                .collect(),
        }
    }
}

fn validate_date(raw: &str, today: Date) -> Result<Date, FieldError> {
    let date = raw
        .trim()
        .parse::<Date>()
        .map_err(|_| FieldError::new(Field::Date, ErrorCode::InvalidDate))?;
    if date.year() < EARLIEST_YEAR {
        Err(FieldError::with_limit(
            Field::Date,
            ErrorCode::DateTooEarly,
            i64::from(EARLIEST_YEAR),
        ))
    } else if date > today.next_day() {
        Err(FieldError::new(Field::Date, ErrorCode::DateInFuture))
    } else {
        Ok(date)
    }
}

fn validate_measures(
    spec: &KindSpec,
    raw: &BTreeMap<String, i64>,
    errors: &mut Vec<FieldError>,
) -> Measures {
    for key in raw.keys() {
        match key.parse::<Measure>() {
            Err(()) => errors.push(FieldError::new(
                Field::Other(format!("measures.{key}")),
                ErrorCode::UnknownMeasure,
            )),
            Ok(m) if !spec.measures.iter().any(|s| s.measure == m) => {
                errors.push(FieldError::new(
                    Field::Measure(m),
                    ErrorCode::MeasureNotAllowed,
                ));
            }
            Ok(_) => {}
        }
    }
    let mut measures = Measures::new();
    for s in spec.measures {
        let field = Field::Measure(s.measure);
        match raw.get(s.measure.key()) {
            None if s.required => errors.push(FieldError::new(field, ErrorCode::Required)),
            None => {}
            Some(&n) if n < 0 => errors.push(FieldError::new(field, ErrorCode::Negative)),
            Some(&n) if n < i64::from(s.min) => {
                errors.push(FieldError::with_limit(
                    field,
                    ErrorCode::TooSmall,
                    i64::from(s.min),
                ));
            }
            Some(&n) => match u32::try_from(n) {
                Ok(n) if n <= s.max => {
                    measures.insert(s.measure, Count::from(n));
                }
                _ => errors.push(FieldError::with_limit(
                    field,
                    ErrorCode::TooLarge,
                    i64::from(s.max),
                )),
            },
        }
    }
    measures
}

/// Reads a count typed into a form: digits, optionally surrounded by spaces and with spaces
/// between thousands ("1 200"). Blank text is `None` (the field was left empty).
pub fn parse_typed_count(raw: &str) -> Result<Option<i64>, ErrorCode> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    let (negative, magnitude) = match digits.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, digits.as_str()),
    };
    if magnitude.is_empty() || !magnitude.chars().all(|c| c.is_ascii_digit()) {
        return Err(ErrorCode::NotANumber);
    }
    let value = magnitude.parse::<i64>().unwrap_or(i64::MAX);
    Ok(Some(if negative { -value } else { value }))
}
