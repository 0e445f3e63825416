//! What an activity counts: participants, bags of rubbish, area cleaned, … Each activity kind
//! declares which measures it has (see [`crate::kinds::KindSpec`]); forms and checks are
//! generated from those declarations.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A quantity an activity records. The wire name is [`Measure::key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Measure {
    /// People who took part.
    Participants,
    /// Bags of rubbish collected.
    Bags,
    /// Area cleaned, square metres.
    AreaM2,
    /// Shrubs planted.
    Shrubs,
    /// Trees planted.
    Trees,
    /// Flower beds laid out.
    FlowerBeds,
    /// Flower seedlings planted (roots).
    Seedlings,
    /// Yards improved.
    Yards,
    /// Building entrances decorated or improved.
    Entrances,
    /// Balconies and windows decorated.
    Balconies,
    /// Snow towns built.
    SnowTowns,
    /// Snow figures made.
    SnowFigures,
    /// Citizens seen at a consultation session.
    CitizensSeen,
    /// Members of a club.
    Members,
    /// Media items published.
    Items,
    /// Recyclables collected, kilograms.
    RecyclablesKg,
    /// Parcels sent.
    Parcels,
}

/// Every measure with its wire name, in display order.
const KEYS: [(Measure, &str); 17] = [
    (Measure::Participants, "participants"),
    (Measure::Bags, "bags"),
    (Measure::AreaM2, "area_m2"),
    (Measure::Shrubs, "shrubs"),
    (Measure::Trees, "trees"),
    (Measure::FlowerBeds, "flower_beds"),
    (Measure::Seedlings, "seedlings"),
    (Measure::Yards, "yards"),
    (Measure::Entrances, "entrances"),
    (Measure::Balconies, "balconies"),
    (Measure::SnowTowns, "snow_towns"),
    (Measure::SnowFigures, "snow_figures"),
    (Measure::CitizensSeen, "citizens_seen"),
    (Measure::Members, "members"),
    (Measure::Items, "items"),
    (Measure::RecyclablesKg, "recyclables_kg"),
    (Measure::Parcels, "parcels"),
];

impl Measure {
    /// Every measure, in display order.
    pub fn all() -> impl Iterator<Item = Measure> {
        KEYS.iter().map(|(measure, _)| *measure)
    }

    /// The wire and form name.
    pub fn key(self) -> &'static str {
        KEYS[self as usize].1
    }
}

impl FromStr for Measure {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Measure::all().find(|m| m.key() == s).ok_or(())
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A non-negative whole number of something. Validation bounds it per measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Count(u32);

impl Count {
    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl From<u32> for Count {
    fn from(n: u32) -> Self {
        Self(n)
    }
}

/// The measures of one activity, at most one value each.
pub type Measures = BTreeMap<Measure, Count>;

/// How one kind of activity uses a measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeasureSpec {
    /// Which measure.
    pub measure: Measure,
    /// Whether a record of the kind must have it.
    pub required: bool,
    /// The smallest accepted value.
    pub min: u32,
    /// The largest accepted value: far above any real activity, low enough to catch a typo
    /// with extra zeros before it lands in the city's totals.
    pub max: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_measure_has_its_own_key_in_its_place() {
        for (i, (measure, key)) in KEYS.iter().enumerate() {
            assert_eq!(*measure as usize, i, "{key} is out of place");
            assert_eq!(key.parse::<Measure>(), Ok(*measure));
        }
    }
}
