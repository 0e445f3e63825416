//! Activities: what volunteers and centre staff log. The kinds and what each counts are data
//! ([`KindSpec`] in `kinds.rs`), so the form, the checks and later the reports all read one
//! declaration.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Owner;
use crate::date::Date;
use crate::error::{ErrorCode, Field, FieldError, ValidationErrors};
use crate::id::RecordId;
pub use crate::kinds::{ActivityKind, AddressNeed, KindSpec};
use crate::measure::{Count, Measure, Measures};
use crate::photo::{PhotoRef, photo_values, validate_photos};
use crate::record::Envelope;
use crate::text::{Address, BoundedText};
use crate::values::{Reader, keep};

/// The name of a record of a titled kind (a club).
pub type Title = BoundedText<120>;

/// Record fields named `measures.<measure>` hold the counts.
const MEASURE_PREFIX: &str = "measures.";

/// The earliest year an activity may be dated: the yard contest, the oldest of the works the
/// report counts, began in 1998.
pub const EARLIEST_YEAR: i32 = 1998;

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
    /// Its name, for kinds that are named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Title>,
    /// The record it belongs to (a club meeting's club), for kinds that are parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<RecordId>,
    /// The site it was done at, if it was done at one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<RecordId>,
    /// Where it happened; for kinds that require a place, there unless the site gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_address: Option<Address>,
    /// The named action, campaign, direction, theme or nomination (a wire name the kind
    /// declares); always there for kinds that have them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// A youth movement event (only kinds that ask).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub youth: bool,
    /// What it counted.
    pub measures: Measures,
    /// Its photos, in gallery order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRef>,
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
    /// Free text; blank for none.
    #[serde(default)]
    pub title: String,
    /// The id of the record it belongs to.
    #[serde(default)]
    pub part_of: Option<String>,
    /// The id of a site, if the activity was done at one.
    #[serde(default)]
    pub site: Option<String>,
    /// Free text; blank for none.
    #[serde(default)]
    pub site_address: String,
    /// One of the kind's variants, by wire name.
    #[serde(default)]
    pub variant: Option<String>,
    /// A youth movement event.
    #[serde(default)]
    pub youth: bool,
    /// Values by [`Measure::key`].
    #[serde(default)]
    pub measures: BTreeMap<String, i64>,
    /// The photos.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
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
        let spec = kind.map(ActivityKind::spec);
        let owner = keep(&mut errors, validate_owner(self.owner, spec));
        let title = spec.and_then(|spec| keep(&mut errors, validate_title(&self.title, spec)));
        let part_of = spec
            .and_then(|spec| keep(&mut errors, validate_part_of(self.part_of.as_deref(), spec)));
        let site = match &self.site {
            None => Some(None),
            Some(site) => keep(
                &mut errors,
                site.parse::<RecordId>()
                    .map(Some)
                    .map_err(|_| FieldError::new(Field::Site, ErrorCode::InvalidId)),
            ),
        };
        let required = spec.is_some_and(|s| s.address.required(self.site.is_some()));
        let site_address = keep(&mut errors, validate_address(&self.site_address, required));
        let photos = keep(&mut errors, validate_photos(&self.photos));
        let variant = spec
            .and_then(|spec| keep(&mut errors, validate_variant(self.variant.as_deref(), spec)));
        if self.youth && spec.is_some_and(|spec| !spec.youth) {
            errors.push(FieldError::new(Field::Youth, ErrorCode::UnknownField));
        }
        let measures = spec.map(|spec| validate_measures(spec, &self.measures, &mut errors));
        match (id, kind, date, owner, site, site_address, measures, photos) {
            (
                Some(id),
                Some(kind),
                Some(date),
                Some(owner),
                Some(site),
                Some(site_address),
                Some(measures),
                Some(photos),
            ) if errors.is_empty() => Ok(Activity {
                id,
                kind,
                date,
                owner,
                title: title.flatten(),
                part_of: part_of.flatten(),
                site,
                site_address,
                variant: variant.flatten(),
                youth: self.youth,
                measures,
                photos,
            }),
            _ => ValidationErrors::check(errors)
                .map(|()| unreachable!("a missing value always records an error")),
        }
    }
}

impl Activity {
    /// The values a record of this activity holds: every field but the id and the owner, which
    /// are the record's own, the variant and the youth flag where the kind has them, each
    /// measure of its kind as `measures.<measure>` and each photo as `photos.<hash>`. What is
    /// left empty is written as null, so clearing it is a change like any other.
    pub fn values(&self) -> BTreeMap<String, Value> {
        let spec = self.kind.spec();
        let mut values = BTreeMap::new();
        for (name, value) in [
            ("kind", Value::from(self.kind.key())),
            ("date", Value::from(self.date.to_string())),
            ("site", Value::from(self.site.map(|s| s.to_string()))),
            (
                "site_address",
                self.site_address
                    .as_ref()
                    .map_or(Value::Null, |a| Value::from(a.as_str())),
            ),
        ] {
            values.insert(name.to_owned(), value);
        }
        if !spec.variants.is_empty() {
            values.insert("variant".to_owned(), Value::from(self.variant.clone()));
        }
        if spec.titled {
            values.insert(
                "title".to_owned(),
                Value::from(self.title.as_ref().map(|t| t.to_string())),
            );
        }
        if spec.part_of.is_some() {
            values.insert(
                "part_of".to_owned(),
                Value::from(self.part_of.map(|p| p.to_string())),
            );
        }
        if spec.youth {
            values.insert("youth".to_owned(), Value::from(self.youth));
        }
        // Each measure is a field of its own, so two people counting different things at once
        // both keep their count.
        for spec in self.kind.spec().measures {
            let count = self.measures.get(&spec.measure);
            values.insert(
                format!("{MEASURE_PREFIX}{}", spec.measure.key()),
                count.map_or(Value::Null, |c| Value::from(c.get())),
            );
        }
        values.extend(photo_values(&[], &self.photos));
        values
    }

    /// Checks a record's current values as a save does and returns the activity they make.
    pub fn from_record(record: &Envelope, today: Date) -> Result<Activity, ValidationErrors> {
        let mut reader = Reader::new(record.values());
        let mut input = ActivityInput {
            id: record.id.to_string(),
            kind: reader.text("kind", Field::Kind).unwrap_or_default(),
            date: reader.text("date", Field::Date).unwrap_or_default(),
            owner: Some(record.owner),
            title: reader.text("title", Field::Title).unwrap_or_default(),
            part_of: reader.text("part_of", Field::PartOf),
            site: reader.text("site", Field::Site),
            site_address: reader
                .text("site_address", Field::SiteAddress)
                .unwrap_or_default(),
            variant: reader.text("variant", Field::Variant),
            youth: reader.flag("youth", Field::Youth),
            measures: BTreeMap::new(),
            photos: reader.photos(),
        };
        for (measure, value) in reader.prefixed(MEASURE_PREFIX) {
            match value.as_i64() {
                Some(n) => {
                    input.measures.insert(measure, n);
                }
                None => reader.errors.push(FieldError::new(
                    Field::Other(format!("{MEASURE_PREFIX}{measure}")),
                    ErrorCode::WrongType,
                )),
            }
        }
        ValidationErrors::check(reader.finish())?;
        input.validate(today)
    }

    /// Reads back a record that passed [`Activity::from_record`] when it was stored, without
    /// the checks that depend on the day; `None` if it does not hold an activity.
    pub fn from_stored(record: &Envelope) -> Option<Activity> {
        Activity::from_record(record, Date::MAX).ok()
    }
}

impl From<&Activity> for ActivityInput {
    fn from(activity: &Activity) -> Self {
        Self {
            id: activity.id.to_string(),
            kind: activity.kind.key().to_owned(),
            date: activity.date.to_string(),
            owner: Some(activity.owner),
            title: activity
                .title
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            part_of: activity.part_of.map(|p| p.to_string()),
            site: activity.site.map(|s| s.to_string()),
            site_address: activity
                .site_address
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            variant: activity.variant.clone(),
            youth: activity.youth,
            measures: activity
                .measures
                .iter()
                .map(|(m, c)| (m.key().to_owned(), i64::from(c.get())))
                .collect(),
            photos: activity.photos.clone(),
        }
    }
}

/// The owner, who must be one that keeps records of the kind (when the kind is known).
fn validate_owner(owner: Option<Owner>, spec: Option<&KindSpec>) -> Result<Owner, FieldError> {
    let owner = owner.ok_or_else(|| FieldError::new(Field::Owner, ErrorCode::Required))?;
    if spec.is_some_and(|spec| !spec.kept_by.allows(owner)) {
        return Err(FieldError::new(Field::Owner, ErrorCode::CentresOnly));
    }
    Ok(owner)
}

/// The address, blank allowed unless `required`.
fn validate_address(raw: &str, required: bool) -> Result<Option<Address>, FieldError> {
    if raw.trim().is_empty() && !required {
        return Ok(None);
    }
    Address::parse_field(raw, Field::SiteAddress).map(Some)
}

/// The name: required of a titled kind, refused of any other.
fn validate_title(raw: &str, spec: &KindSpec) -> Result<Option<Title>, FieldError> {
    match (spec.titled, raw.trim().is_empty()) {
        (true, _) => Title::parse_field(raw, Field::Title).map(Some),
        (false, true) => Ok(None),
        (false, false) => Err(FieldError::new(Field::Title, ErrorCode::UnknownField)),
    }
}

/// The record a part belongs to: required of a part, refused of any other kind.
fn validate_part_of(raw: Option<&str>, spec: &KindSpec) -> Result<Option<RecordId>, FieldError> {
    match (spec.part_of, raw) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(FieldError::new(Field::PartOf, ErrorCode::UnknownField)),
        (Some(_), None) => Err(FieldError::new(Field::PartOf, ErrorCode::Required)),
        (Some(_), Some(id)) => id
            .parse::<RecordId>()
            .map(Some)
            .map_err(|_| FieldError::new(Field::PartOf, ErrorCode::InvalidId)),
    }
}

/// The variant: one the kind declares, required when it declares any.
fn validate_variant(raw: Option<&str>, spec: &KindSpec) -> Result<Option<String>, FieldError> {
    match raw {
        None if spec.variants.is_empty() => Ok(None),
        None => Err(FieldError::new(Field::Variant, ErrorCode::Required)),
        Some(variant) if spec.variants.contains(&variant) => Ok(Some(variant.to_owned())),
        Some(_) => Err(FieldError::new(Field::Variant, ErrorCode::UnknownVariant)),
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
    let counted_before = errors.len();
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
    let nothing_counted = measures.values().all(|count| count.get() == 0);
    if spec.needs_a_count && errors.len() == counted_before && nothing_counted {
        // Shown beside the first of the measures, where the person starts counting.
        if let Some(first) = spec.measures.first() {
            errors.push(FieldError::new(
                Field::Measure(first.measure),
                ErrorCode::NothingCounted,
            ));
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
