//! Beautification sites: the yards, flower beds and grounds where work is done again and
//! again, each with its place and photos; activities link to them, which gives a site its
//! history. A site belongs to a committee or centre, and so to a district, like any record.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Owner;
use crate::error::{ErrorCode, Field, FieldError, ValidationErrors};
use crate::geo::{Location, Point, validate_outline};
use crate::id::RecordId;
use crate::photo::{PhotoRef, photo_values, validate_photos};
use crate::record::Envelope;
use crate::text::Address;
use crate::text::BoundedText;
use crate::values::{Reader, keep};

/// A site's name, as people call it: «Двор на Весенней, 5», «Клумба у школы № 12».
pub type SiteName = BoundedText<120>;

/// What kind of place a site is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// A yard of blocks of flats.
    Yard,
    /// A flower bed.
    FlowerBed,
    /// A square, park or other public space.
    PublicSpace,
    /// A school's sports ground.
    SchoolSportsGround,
    /// A riverbank.
    Riverbank,
    /// A building's entrance.
    Entrance,
    /// Anything else.
    Other,
}

impl SiteKind {
    /// Every kind, in menu order.
    pub const ALL: [SiteKind; 7] = [
        SiteKind::Yard,
        SiteKind::FlowerBed,
        SiteKind::PublicSpace,
        SiteKind::SchoolSportsGround,
        SiteKind::Riverbank,
        SiteKind::Entrance,
        SiteKind::Other,
    ];

    /// The wire name.
    pub fn key(self) -> &'static str {
        match self {
            SiteKind::Yard => "yard",
            SiteKind::FlowerBed => "flower_bed",
            SiteKind::PublicSpace => "public_space",
            SiteKind::SchoolSportsGround => "school_sports_ground",
            SiteKind::Riverbank => "riverbank",
            SiteKind::Entrance => "entrance",
            SiteKind::Other => "other",
        }
    }
}

impl FromStr for SiteKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.key() == s).ok_or(())
    }
}

/// Names of a site record's fields other than its photos.
const FIELDS: [&str; 5] = ["name", "site_kind", "address", "location", "outline"];

/// A validated site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Made on the device that created the record.
    pub id: RecordId,
    /// What people call it.
    pub name: SiteName,
    /// What kind of place it is.
    pub site_kind: SiteKind,
    /// The committee or centre that looks after it.
    pub owner: Owner,
    /// Its address, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Where it is, if known; a site has an address, a location or both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Its outline, if drawn on a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outline: Option<Vec<Point>>,
    /// Its photos, in gallery order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRef>,
}

/// A site as it arrives from a form or over the wire, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    /// A UUIDv7 in text form.
    pub id: String,
    /// Free text.
    pub name: String,
    /// A [`SiteKind::key`].
    pub site_kind: String,
    /// Chosen from the committees and centres the person may log for.
    #[serde(default)]
    pub owner: Option<Owner>,
    /// Free text; blank for none.
    #[serde(default)]
    pub address: String,
    /// From GPS or a map.
    #[serde(default)]
    pub location: Option<Location>,
    /// Drawn on a map.
    #[serde(default)]
    pub outline: Option<Vec<Point>>,
    /// The photos.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
}

impl SiteInput {
    /// Checks every field and returns the validated site, or every error found.
    pub fn validate(&self) -> Result<Site, ValidationErrors> {
        let mut errors = Vec::new();
        let id = keep(
            &mut errors,
            self.id
                .parse::<RecordId>()
                .map_err(|_| FieldError::new(Field::Id, ErrorCode::InvalidId)),
        );
        let name = keep(&mut errors, SiteName::parse_field(&self.name, Field::Name));
        let site_kind = keep(
            &mut errors,
            self.site_kind
                .parse::<SiteKind>()
                .map_err(|()| FieldError::new(Field::SiteKind, ErrorCode::UnknownSiteKind)),
        );
        let owner = keep(
            &mut errors,
            self.owner
                .ok_or_else(|| FieldError::new(Field::Owner, ErrorCode::Required)),
        );
        let address = if self.address.trim().is_empty() {
            Some(None)
        } else {
            keep(
                &mut errors,
                Address::parse_field(&self.address, Field::SiteAddress).map(Some),
            )
        };
        let location = match self.location {
            None => Some(None),
            Some(location) => keep(&mut errors, location.validate().map(Some)),
        };
        let outline = match &self.outline {
            None => Some(None),
            Some(points) => keep(&mut errors, validate_outline(points).map(Some)),
        };
        let photos = keep(&mut errors, validate_photos(&self.photos));
        if matches!((&address, &location), (Some(None), Some(None))) {
            errors.push(FieldError::new(Field::SiteAddress, ErrorCode::NoPlace));
        }
        match (
            id, name, site_kind, owner, address, location, outline, photos,
        ) {
            (
                Some(id),
                Some(name),
                Some(site_kind),
                Some(owner),
                Some(address),
                Some(location),
                Some(outline),
                Some(photos),
            ) if errors.is_empty() => Ok(Site {
                id,
                name,
                site_kind,
                owner,
                address,
                location,
                outline,
                photos,
            }),
            _ => ValidationErrors::check(errors)
                .map(|()| unreachable!("a missing value always records an error")),
        }
    }
}

impl From<&Site> for SiteInput {
    fn from(site: &Site) -> Self {
        Self {
            id: site.id.to_string(),
            name: site.name.to_string(),
            site_kind: site.site_kind.key().to_owned(),
            owner: Some(site.owner),
            address: site
                .address
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            location: site.location,
            outline: site.outline.clone(),
            photos: site.photos.clone(),
        }
    }
}

impl Site {
    /// The values a record of this site holds: every field but the id and the owner, empty
    /// ones as null, and each photo as a field of its own.
    pub fn values(&self) -> BTreeMap<String, Value> {
        let mut values = BTreeMap::new();
        values.insert("name".to_owned(), Value::from(self.name.as_str()));
        values.insert("site_kind".to_owned(), Value::from(self.site_kind.key()));
        values.insert(
            "address".to_owned(),
            self.address
                .as_ref()
                .map_or(Value::Null, |a| Value::from(a.as_str())),
        );
        values.insert(
            "location".to_owned(),
            serde_json::to_value(self.location).unwrap_or(Value::Null),
        );
        values.insert(
            "outline".to_owned(),
            serde_json::to_value(&self.outline).unwrap_or(Value::Null),
        );
        values.extend(photo_values(&[], &self.photos));
        values
    }

    /// Checks a record's current values as a save does and returns the site they make.
    pub fn from_record(record: &Envelope) -> Result<Site, ValidationErrors> {
        let mut reader = Reader::new(record.values());
        let name = reader.text(FIELDS[0], Field::Name).unwrap_or_default();
        let site_kind = reader.text(FIELDS[1], Field::SiteKind).unwrap_or_default();
        let address = reader
            .text(FIELDS[2], Field::SiteAddress)
            .unwrap_or_default();
        let location = reader.typed(FIELDS[3], Field::Location);
        let outline = reader.typed(FIELDS[4], Field::Outline);
        let photos = reader.photos();
        ValidationErrors::check(reader.finish())?;
        SiteInput {
            id: record.id.to_string(),
            name,
            site_kind,
            owner: Some(record.owner),
            address,
            location,
            outline,
            photos,
        }
        .validate()
    }

    /// Reads back a record that passed [`Site::from_record`] when it was stored; `None` if it
    /// does not hold a site.
    pub fn from_stored(record: &Envelope) -> Option<Site> {
        Site::from_record(record).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::CommitteeId;
    use crate::account::UserId;
    use crate::geo::Point;
    use crate::hlc::{Hlc, NodeId};
    use crate::photo::{BlobHash, PhotoTag};
    use crate::record::{AuthorId, RecordKind};

    fn input() -> SiteInput {
        SiteInput {
            id: RecordId::from_parts(1_764_028_800_000, [3; 10]).to_string(),
            name: "Двор на Весенней, 5".to_owned(),
            site_kind: "yard".to_owned(),
            owner: Some(Owner::Committee(CommitteeId(1))),
            address: "ул. Весенняя, 5".to_owned(),
            location: Some(Location {
                point: Point {
                    lat_e6: 55_356_000,
                    lon_e6: 86_081_000,
                },
                accuracy_m: Some(8),
                outside_city: false,
            }),
            outline: Some(vec![
                Point {
                    lat_e6: 55_356_000,
                    lon_e6: 86_081_000
                };
                4
            ]),
            photos: vec![PhotoRef {
                tag: PhotoTag::Before,
                hash: BlobHash::from_digest([1; 32]),
                thumb: BlobHash::from_digest([2; 32]),
            }],
        }
    }

    fn codes(input: &SiteInput) -> Vec<(String, ErrorCode)> {
        match input.validate() {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .all()
                .iter()
                .map(|e| (e.field.to_string(), e.code))
                .collect(),
        }
    }

    #[test]
    fn a_site_round_trips_through_a_record() {
        let site = input().validate().expect("valid");
        let record = Envelope::change(
            site.id,
            RecordKind::Site,
            AuthorId::user(UserId(1)),
            site.owner,
            Hlc::new(1, 0, NodeId::from_bits(1)),
            site.values(),
            Some(false),
        );
        assert_eq!(Site::from_record(&record), Ok(site.clone()));
        assert_eq!(SiteInput::from(&site).validate(), Ok(site));
    }

    #[test]
    fn a_site_needs_a_name_a_kind_and_an_address_or_a_location() {
        let nameless = SiteInput {
            name: "  ".to_owned(),
            site_kind: "castle".to_owned(),
            ..input()
        };
        assert_eq!(
            codes(&nameless),
            [
                ("name".to_owned(), ErrorCode::Required),
                ("site_kind".to_owned(), ErrorCode::UnknownSiteKind)
            ]
        );
        let nowhere = SiteInput {
            address: String::new(),
            location: None,
            ..input()
        };
        assert_eq!(
            codes(&nowhere),
            [("site_address".to_owned(), ErrorCode::NoPlace)]
        );
        let by_address_alone = SiteInput {
            location: None,
            ..input()
        };
        assert!(by_address_alone.validate().is_ok());
    }

    #[test]
    fn a_location_outside_the_city_needs_confirmation() {
        let mut far = input();
        far.location = far.location.map(|l| Location {
            point: Point {
                lat_e6: 55_030_000,
                lon_e6: 82_920_000,
            },
            ..l
        });
        assert_eq!(
            codes(&far),
            [("location".to_owned(), ErrorCode::OutsideCity)]
        );
        far.location = far.location.map(|l| Location {
            outside_city: true,
            ..l
        });
        assert!(far.validate().is_ok());
    }

    #[test]
    fn a_record_with_a_field_a_site_does_not_have_is_refused() {
        let site = input().validate().expect("valid");
        let mut values = site.values();
        values.insert("date".to_owned(), Value::from("2026-05-01"));
        let record = Envelope::change(
            site.id,
            RecordKind::Site,
            AuthorId::user(UserId(1)),
            site.owner,
            Hlc::new(1, 0, NodeId::from_bits(1)),
            values,
            None,
        );
        let errors = Site::from_record(&record).expect_err("refused");
        assert_eq!(errors.first().code, ErrorCode::UnknownField);
    }
}
