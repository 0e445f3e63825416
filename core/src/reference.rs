//! The city's territorial structure: districts, and the committees and centres in each. An
//! admin loads it from a file (`dvor-server import-reference`) or, later, edits it in the app;
//! both go through [`Reference::check`].

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::access::{CentreId, CommitteeId, DistrictId, Owner, Place, Scope};
use crate::error::ErrorCode;
use crate::text::BoundedText;

/// A district's, committee's or centre's name.
pub type Name = BoundedText<120>;

/// The structure as an import file gives it: names only; the server numbers them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The districts, each with what lies in it.
    pub districts: Vec<DistrictEntry>,
}

/// One district and what lies in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictEntry {
    /// The district's name.
    pub name: String,
    /// Its neighbourhood committees.
    #[serde(default)]
    pub committees: Vec<String>,
    /// Its community centres.
    #[serde(default)]
    pub centres: Vec<String>,
}

/// A district as `GET /api/v1/reference` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct District {
    /// The server's id.
    pub id: DistrictId,
    /// Its name.
    pub name: String,
    /// Its committees, by name.
    pub committees: Vec<Named<CommitteeId>>,
    /// Its centres, by name.
    pub centres: Vec<Named<CentreId>>,
}

/// An id and a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Named<Id> {
    /// The server's id.
    pub id: Id,
    /// The name.
    pub name: String,
}

/// A committee or a centre as a person picks it: who keeps the record, where that lies, and
/// its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerEntry {
    /// The committee or centre.
    pub owner: Owner,
    /// Where it lies.
    pub place: Place,
    /// Its name.
    pub name: String,
}

/// The committee or centre `owner` in `districts`, if they have it.
pub fn owner_entry(districts: &[District], owner: Owner) -> Option<OwnerEntry> {
    districts.iter().find_map(|district| {
        let name = match owner {
            Owner::Committee(id) => &district.committees.iter().find(|c| c.id == id)?.name,
            Owner::Centre(id) => &district.centres.iter().find(|c| c.id == id)?.name,
        };
        Some(OwnerEntry {
            owner,
            place: owner.place(district.id),
            name: name.clone(),
        })
    })
}

/// The name of the place `scope` names in `districts`: a committee's, a centre's or a
/// district's; `None` for the city, or for a place they do not have.
pub fn scope_name(districts: &[District], scope: Scope) -> Option<String> {
    match scope {
        Scope::Committee(id) => owner_entry(districts, Owner::Committee(id)).map(|e| e.name),
        Scope::Centre(id) => owner_entry(districts, Owner::Centre(id)).map(|e| e.name),
        Scope::District(id) => districts
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name.clone()),
        Scope::City => None,
    }
}

/// Every committee and centre of `districts`, committees first, in the server's order.
pub fn owners(districts: &[District]) -> Vec<OwnerEntry> {
    let entry = |owner: Owner, district: DistrictId, name: &str| OwnerEntry {
        owner,
        place: owner.place(district),
        name: name.to_owned(),
    };
    let committees = districts.iter().flat_map(|d| {
        d.committees
            .iter()
            .map(|c| entry(Owner::Committee(c.id), d.id, &c.name))
    });
    let centres = districts.iter().flat_map(|d| {
        d.centres
            .iter()
            .map(|c| entry(Owner::Centre(c.id), d.id, &c.name))
    });
    committees.chain(centres).collect()
}

/// `POST /api/v1/reference/districts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDistrict {
    /// Its name (checked as a [`Name`]).
    pub name: String,
}

/// `POST /api/v1/reference/committees` and `…/centres`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPart {
    /// The district it lies in.
    pub district: DistrictId,
    /// Its name (checked as a [`Name`]).
    pub name: String,
}

/// What is wrong with a reference file, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// Not JSON of the expected shape.
    #[error("not a reference file: {0}")]
    Shape(String),
    /// A name breaks the text rules.
    #[error("{place}: {code:?}")]
    Name {
        /// Where, e.g. `district 2, committee 3` (counting from 1).
        place: String,
        /// Which rule.
        code: ErrorCode,
    },
    /// The same name twice where names must differ.
    #[error("{place}: «{name}» appears twice")]
    Duplicate {
        /// Where the second one is.
        place: String,
        /// The name.
        name: String,
    },
}

impl Reference {
    /// Reads and checks a reference file.
    pub fn from_json(text: &str) -> Result<Self, ReferenceError> {
        let mut reference: Self =
            serde_json::from_str(text).map_err(|e| ReferenceError::Shape(e.to_string()))?;
        reference.check()?;
        Ok(reference)
    }

    /// Checks every name (not blank, at most 120 characters, no control characters) and trims
    /// it; checks that district names differ, and that committee names, and centre names,
    /// differ within a district.
    pub fn check(&mut self) -> Result<(), ReferenceError> {
        let mut districts = HashSet::new();
        for (d, district) in self.districts.iter_mut().enumerate() {
            let place = format!("district {}", d + 1);
            unique(&mut districts, &mut district.name, &place)?;
            for (kind, names) in [
                ("committee", &mut district.committees),
                ("centre", &mut district.centres),
            ] {
                let mut seen = HashSet::new();
                for (i, name) in names.iter_mut().enumerate() {
                    unique(&mut seen, name, &format!("{place}, {kind} {}", i + 1))?;
                }
            }
        }
        Ok(())
    }
}

/// Checks and trims `name`, and checks that `seen` does not hold it yet.
fn unique(
    seen: &mut HashSet<String>,
    name: &mut String,
    place: &str,
) -> Result<(), ReferenceError> {
    let checked = Name::parse(name).map_err(|code| ReferenceError::Name {
        place: place.to_owned(),
        code,
    })?;
    *name = checked.as_str().to_owned();
    if seen.insert(name.clone()) {
        Ok(())
    } else {
        Err(ReferenceError::Duplicate {
            place: place.to_owned(),
            name: name.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_is_found_in_its_district_and_listed_once() {
        fn named<Id>(id: Id, name: &str) -> Named<Id> {
            Named {
                id,
                name: name.to_owned(),
            }
        }
        let districts = [
            District {
                id: DistrictId(1),
                name: "Рудничный".to_owned(),
                committees: vec![named(CommitteeId(1), "Рудник")],
                centres: vec![],
            },
            District {
                id: DistrictId(2),
                name: "Кедровка".to_owned(),
                committees: vec![named(CommitteeId(2), "Лидер")],
                centres: vec![named(CentreId(1), "ЦРН")],
            },
        ];
        let centre = Owner::Centre(CentreId(1));
        let found = owner_entry(&districts, centre).expect("there");
        assert_eq!(
            (found.place.district, found.name.as_str()),
            (DistrictId(2), "ЦРН")
        );
        assert_eq!(owner_entry(&districts, Owner::Centre(CentreId(2))), None);
        let all: Vec<Owner> = owners(&districts).into_iter().map(|e| e.owner).collect();
        assert_eq!(
            all,
            [
                Owner::Committee(CommitteeId(1)),
                Owner::Committee(CommitteeId(2)),
                centre
            ]
        );
    }

    #[test]
    fn a_file_of_districts_committees_and_centres_reads() {
        let text = r#"{"districts": [
            {"name": "Рудничный", "committees": ["Рудник", "Забойщик"], "centres": ["ЦРН «Рудничный»"]},
            {"name": "Кедровка"}
        ]}"#;
        let reference = Reference::from_json(text).expect("valid");
        assert_eq!(reference.districts.len(), 2);
        assert!(reference.districts[1].committees.is_empty());
    }

    #[test]
    fn bad_names_and_repeats_are_found_where_they_are() {
        let blank = r#"{"districts": [{"name": "Центральный", "committees": ["Центр", "  "]}]}"#;
        assert_eq!(
            Reference::from_json(blank),
            Err(ReferenceError::Name {
                place: "district 1, committee 2".into(),
                code: ErrorCode::Required
            })
        );
        let twice = r#"{"districts": [{"name": "Ленинский"}, {"name": " Ленинский"}]}"#;
        assert_eq!(
            Reference::from_json(twice),
            Err(ReferenceError::Duplicate {
                place: "district 2".into(),
                name: "Ленинский".into()
            })
        );
        let unknown = r#"{"districts": [{"name": "Заводский", "chairs": []}]}"#;
        assert!(matches!(
            Reference::from_json(unknown),
            Err(ReferenceError::Shape(_))
        ));
    }
}
