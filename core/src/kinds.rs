//! The kinds of activity the city's report counts, as data: one [`KindSpec`] each in
//! [`KINDS`], declaring what the kind asks for and counts. The form, the checks and the
//! reports read these declarations; nothing else lists what a kind has.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access::Owner;
use crate::measure::{Measure, MeasureSpec};

/// A kind of activity. The wire name is [`ActivityKind::key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActivityKind {
    /// Субботник: a clean-up day.
    CleanupDay,
    /// Акция по благоустройству: planting and laying out («Сад памяти», «Городские цветы», …).
    BeautificationAction,
    /// Акция по месту жительства: a named neighbourhood campaign («Окна Победы», …).
    NeighbourhoodCampaign,
    /// Культурно-массовое мероприятие, youth movement events among them.
    CulturalEvent,
    /// An event of the summer programme «Лето», in one of its four directions.
    SummerEvent,
    /// A centre's themed, festive or sports event.
    CentreEvent,
    /// A centre's consultation session with citizens.
    Consultation,
    /// A club or interest group of a centre, with its members.
    Club,
    /// One meeting of a club, with those who came.
    ClubSession,
    /// A work in the winter contest «Снежный калейдоскоп».
    WinterContestWork,
    /// A work in the yard contest «Любимому городу — красивый дом и двор».
    YardContestWork,
    /// A piece in the media about the committees' and centres' work.
    MediaItem,
}

/// Who keeps records of a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeptBy {
    /// Committees and centres alike.
    Anyone,
    /// Centres only: their events, consultations and clubs.
    Centres,
}

impl KeptBy {
    /// Whether `owner` may keep records of the kind.
    pub fn allows(self, owner: Owner) -> bool {
        match self {
            KeptBy::Anyone => true,
            KeptBy::Centres => matches!(owner, Owner::Centre(_)),
        }
    }
}

/// Whether a record of the kind must name a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressNeed {
    /// Work done at a site: the address is required.
    Required,
    /// An event or a publication: the place may be given.
    Optional,
}

impl AddressNeed {
    /// Whether a record must be given an address, `with_site` or not: a site gives the place,
    /// so an address is then never required. The form marks the field by this, and validation
    /// checks by it.
    pub fn required(self, with_site: bool) -> bool {
        self == AddressNeed::Required && !with_site
    }
}

/// What a kind of activity asks for and counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindSpec {
    /// The kind declared.
    pub kind: ActivityKind,
    /// The wire and URL name.
    pub key: &'static str,
    /// Who keeps records of it.
    pub kept_by: KeptBy,
    /// The named variants one of which a record names (the action, campaign, direction, theme
    /// or nomination), by wire name; empty when the kind has none. Their names for people are
    /// in `i18n`.
    pub variants: &'static [&'static str],
    /// Whether it asks whether it was a youth movement event.
    pub youth: bool,
    /// Whether the address is required.
    pub address: AddressNeed,
    /// Whether a record is named (a club: «Умелые руки»), the name required.
    pub titled: bool,
    /// The kind of record one of this kind belongs to (a club's meeting, its club), which a
    /// record must name; `None` for kinds that stand alone.
    pub part_of: Option<ActivityKind>,
    /// Whether at least one measure must be above zero (contest works count different things).
    pub needs_a_count: bool,
    /// Its measures, in form order.
    pub measures: &'static [MeasureSpec],
}

const fn count(measure: Measure, required: bool, min: u32, max: u32) -> MeasureSpec {
    MeasureSpec {
        measure,
        required,
        min,
        max,
    }
}

/// Participants of an event of up to `max` people.
const fn participants(max: u32) -> MeasureSpec {
    count(Measure::Participants, true, 1, max)
}

/// Every kind, in menu order; `KINDS[kind as usize]` declares `kind`.
pub const KINDS: [KindSpec; 12] = [
    KindSpec {
        kind: ActivityKind::CleanupDay,
        key: "cleanup_day",
        kept_by: KeptBy::Anyone,
        variants: &[],
        youth: false,
        address: AddressNeed::Required,
        titled: false,
        part_of: None,
        needs_a_count: false,
        measures: &[
            participants(10_000),
            count(Measure::Bags, true, 0, 100_000),
            count(Measure::AreaM2, false, 0, 10_000_000),
        ],
    },
    KindSpec {
        kind: ActivityKind::BeautificationAction,
        key: "beautification_action",
        kept_by: KeptBy::Anyone,
        variants: &["garden_of_memory", "city_flowers", "family_tree", "other"],
        youth: false,
        address: AddressNeed::Required,
        titled: false,
        part_of: None,
        needs_a_count: false,
        measures: &[
            participants(10_000),
            count(Measure::Shrubs, false, 0, 10_000),
            count(Measure::Trees, false, 0, 10_000),
            count(Measure::FlowerBeds, false, 0, 10_000),
            count(Measure::Seedlings, false, 0, 1_000_000),
            count(Measure::Yards, false, 0, 1_000),
        ],
    },
    KindSpec {
        kind: ActivityKind::NeighbourhoodCampaign,
        key: "neighbourhood_campaign",
        kept_by: KeptBy::Anyone,
        variants: &[
            "all_on_skis",
            "windows_of_victory",
            "sing_in_the_yard",
            "i_draw_russia",
            "collect_and_recycle",
            "feed_the_birds",
            "clean_walls",
            "earth_hour",
            "proud_of_you",
            "say_thank_you",
            "clean_banks",
            "remember_heroes",
            "parcel_for_a_soldier",
            "we_are_with_you",
            "other",
        ],
        youth: false,
        address: AddressNeed::Optional,
        titled: false,
        part_of: None,
        needs_a_count: false,
        measures: &[
            participants(100_000),
            count(Measure::RecyclablesKg, false, 0, 1_000_000),
            count(Measure::Parcels, false, 0, 100_000),
        ],
    },
    KindSpec {
        kind: ActivityKind::CulturalEvent,
        key: "cultural_event",
        kept_by: KeptBy::Anyone,
        variants: &[],
        youth: true,
        address: AddressNeed::Optional,
        titled: false,
        part_of: None,
        needs_a_count: false,
        measures: &[participants(100_000)],
    },
    KindSpec {
        kind: ActivityKind::SummerEvent,
        key: "summer_event",
        kept_by: KeptBy::Anyone,
        variants: &["civic_patriotic", "sports", "creative", "ecological"],
        youth: false,
        address: AddressNeed::Optional,
        titled: false,
        part_of: None,
        needs_a_count: false,
        measures: &[participants(10_000)],
    },
    KindSpec {
        kind: ActivityKind::CentreEvent,
        key: "centre_event",
        kept_by: KeptBy::Centres,
        variants: &["thematic", "festive", "sports"],
        youth: false,
        address: AddressNeed::Optional,
        titled: false,
        part_of: None,
        needs_a_count: false,
        measures: &[participants(10_000)],
    },
    KindSpec {
        kind: ActivityKind::Consultation,
        key: "consultation",
        kept_by: KeptBy::Centres,
        variants: &[],
        youth: false,
        address: AddressNeed::Optional,
        titled: false,
        part_of: None,
        needs_a_count: false,
        measures: &[count(Measure::CitizensSeen, true, 0, 1_000)],
    },
    KindSpec {
        kind: ActivityKind::Club,
        key: "club",
        kept_by: KeptBy::Centres,
        variants: &[],
        youth: false,
        address: AddressNeed::Optional,
        titled: true,
        part_of: None,
        needs_a_count: false,
        measures: &[count(Measure::Members, true, 1, 1_000)],
    },
    KindSpec {
        kind: ActivityKind::ClubSession,
        key: "club_session",
        kept_by: KeptBy::Centres,
        variants: &[],
        youth: false,
        address: AddressNeed::Optional,
        titled: false,
        part_of: Some(ActivityKind::Club),
        needs_a_count: false,
        measures: &[participants(1_000)],
    },
    KindSpec {
        kind: ActivityKind::WinterContestWork,
        key: "winter_contest_work",
        kept_by: KeptBy::Anyone,
        variants: &[],
        youth: false,
        address: AddressNeed::Required,
        titled: false,
        part_of: None,
        needs_a_count: true,
        measures: &[
            count(Measure::SnowTowns, false, 0, 1_000),
            count(Measure::SnowFigures, false, 0, 10_000),
            count(Measure::Entrances, false, 0, 10_000),
            count(Measure::Balconies, false, 0, 100_000),
        ],
    },
    KindSpec {
        kind: ActivityKind::YardContestWork,
        key: "yard_contest_work",
        kept_by: KeptBy::Anyone,
        variants: &[
            "my_yard_1",
            "my_yard_2",
            "dream_entrance_1",
            "dream_entrance_2",
            "blooming_balcony",
            "shcheglovsky_yard",
        ],
        youth: false,
        address: AddressNeed::Required,
        titled: false,
        part_of: None,
        needs_a_count: true,
        measures: &[
            count(Measure::Yards, false, 0, 1_000),
            count(Measure::Entrances, false, 0, 10_000),
            count(Measure::Balconies, false, 0, 100_000),
            count(Measure::FlowerBeds, false, 0, 10_000),
        ],
    },
    KindSpec {
        kind: ActivityKind::MediaItem,
        key: "media_item",
        kept_by: KeptBy::Anyone,
        variants: &[],
        youth: false,
        address: AddressNeed::Optional,
        titled: false,
        part_of: None,
        needs_a_count: false,
        measures: &[count(Measure::Items, true, 1, 1_000)],
    },
];

impl ActivityKind {
    /// Every kind, in menu order.
    pub fn all() -> impl Iterator<Item = ActivityKind> {
        KINDS.iter().map(|spec| spec.kind)
    }

    /// What this kind asks for and counts.
    pub fn spec(self) -> &'static KindSpec {
        &KINDS[self as usize]
    }

    /// The wire and URL name.
    pub fn key(self) -> &'static str {
        self.spec().key
    }
}

impl FromStr for ActivityKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActivityKind::all().find(|k| k.key() == s).ok_or(())
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_kind_is_declared_once_in_its_place() {
        for (i, spec) in KINDS.iter().enumerate() {
            assert_eq!(spec.kind as usize, i, "{} is out of place", spec.key);
            assert_eq!(spec.key.parse::<ActivityKind>(), Ok(spec.kind));
        }
        let keys: HashSet<_> = KINDS.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), KINDS.len(), "keys are unique");
    }

    #[test]
    fn every_declaration_is_valid() {
        for spec in &KINDS {
            assert!(!spec.measures.is_empty(), "{} counts something", spec.key);
            let measures: HashSet<_> = spec.measures.iter().map(|m| m.measure).collect();
            assert_eq!(
                measures.len(),
                spec.measures.len(),
                "{}: a measure twice",
                spec.key
            );
            for m in spec.measures {
                assert!(
                    m.min <= m.max,
                    "{}: {} has empty bounds",
                    spec.key,
                    m.measure
                );
            }
            let variants: HashSet<_> = spec.variants.iter().collect();
            assert_eq!(
                variants.len(),
                spec.variants.len(),
                "{}: a variant twice",
                spec.key
            );
            for variant in spec.variants {
                let valid = !variant.is_empty()
                    && variant
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                assert!(
                    valid,
                    "{}: variant {variant:?} is not a wire name",
                    spec.key
                );
            }
            // A part names what it belongs to by that record's title, and is kept where that is.
            if let Some(whole) = spec.part_of {
                assert!(whole.spec().titled, "{}: its whole has no name", spec.key);
                assert_eq!(whole.spec().kept_by, spec.kept_by, "{}", spec.key);
                assert!(
                    whole.spec().part_of.is_none(),
                    "{}: parts nest once",
                    spec.key
                );
            }
            // A kind whose every measure may be left empty must demand one, or a record could
            // count nothing at all.
            let any_required = spec.measures.iter().any(|m| m.required);
            assert!(
                any_required || spec.needs_a_count,
                "{} may count nothing",
                spec.key
            );
        }
    }

    #[test]
    fn centres_alone_keep_their_events_consultations_and_clubs() {
        use crate::access::{CentreId, CommitteeId};
        let committee = Owner::Committee(CommitteeId(1));
        let centre = Owner::Centre(CentreId(1));
        for kind in [
            ActivityKind::CentreEvent,
            ActivityKind::Consultation,
            ActivityKind::Club,
            ActivityKind::ClubSession,
        ] {
            assert!(!kind.spec().kept_by.allows(committee));
            assert!(kind.spec().kept_by.allows(centre));
        }
        assert!(ActivityKind::CleanupDay.spec().kept_by.allows(committee));
    }
}
