//! The figures of the report, as the city's annual report gives them, each declared as which
//! activities it takes and what it counts.

use serde::{Deserialize, Serialize};

use crate::activity::ActivityKind;
use crate::measure::Measure;

/// A part of the report, in the order the city's report tells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Cultural and mass events, youth ones among them, and neighbourhood campaigns.
    Events,
    /// The «Лето» summer programme, by direction.
    Summer,
    /// Subbotniks and beautification actions and what they did.
    Beautification,
    /// The yard contest and «Снежный калейдоскоп».
    Contests,
    /// The community centres' events, consultations and clubs.
    Centres,
    /// Media items.
    Media,
}

impl Section {
    /// Every section, in report order.
    pub const ALL: [Section; 6] = [
        Section::Events,
        Section::Summer,
        Section::Beautification,
        Section::Contests,
        Section::Centres,
        Section::Media,
    ];
}

/// What a figure counts among the activities it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// How many activities.
    Records,
    /// The sum of a measure.
    Sum(Measure),
    /// How many loans the rental desks made: not activities, so the figure takes none.
    Loans,
}

/// Which activities a figure takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Take {
    /// Of these kinds.
    pub kinds: &'static [ActivityKind],
    /// Only those naming this variant (a «Лето» direction).
    pub variant: Option<&'static str>,
    /// Only youth movement events.
    pub youth: bool,
}

/// One figure: a stable key (for links and exports), its section, what it takes and counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FigureSpec {
    /// The stable key.
    pub key: &'static str,
    /// Where in the report it stands.
    pub section: Section,
    /// The activities it takes.
    pub take: Take,
    /// What it counts.
    pub count: Count,
}

const fn of(kinds: &'static [ActivityKind]) -> Take {
    Take {
        kinds,
        variant: None,
        youth: false,
    }
}

const fn direction(variant: &'static str) -> Take {
    Take {
        kinds: &[ActivityKind::SummerEvent],
        variant: Some(variant),
        youth: false,
    }
}

const fn figure(key: &'static str, section: Section, take: Take, count: Count) -> FigureSpec {
    FigureSpec {
        key,
        section,
        take,
        count,
    }
}

use ActivityKind as K;
use Count::{Records, Sum};
use Measure as M;
use Section as S;

const CULTURAL: &[ActivityKind] = &[K::CulturalEvent];
const CAMPAIGNS: &[ActivityKind] = &[K::NeighbourhoodCampaign];
const SUMMER: &[ActivityKind] = &[K::SummerEvent];
const BEAUTIFICATION: &[ActivityKind] = &[K::CleanupDay, K::BeautificationAction];
const ACTIONS: &[ActivityKind] = &[K::BeautificationAction];
const CLEANUPS: &[ActivityKind] = &[K::CleanupDay];
const YARD_CONTEST: &[ActivityKind] = &[K::YardContestWork];
const WINTER_CONTEST: &[ActivityKind] = &[K::WinterContestWork];
const CENTRE: &[ActivityKind] = &[K::CentreEvent];
const CONSULTATIONS: &[ActivityKind] = &[K::Consultation];
const CLUBS: &[ActivityKind] = &[K::Club];
const MEDIA: &[ActivityKind] = &[K::MediaItem];
const YOUTH: Take = Take {
    kinds: CULTURAL,
    variant: None,
    youth: true,
};

/// Every figure, in report order.
#[rustfmt::skip]
pub const FIGURES: &[FigureSpec] = &[
    figure("cultural_events", S::Events, of(CULTURAL), Records),
    figure("youth_events", S::Events, YOUTH, Records),
    figure("cultural_participants", S::Events, of(CULTURAL), Sum(M::Participants)),
    figure("campaigns", S::Events, of(CAMPAIGNS), Records),
    figure("campaign_participants", S::Events, of(CAMPAIGNS), Sum(M::Participants)),
    figure("recyclables_kg", S::Events, of(CAMPAIGNS), Sum(M::RecyclablesKg)),
    figure("parcels", S::Events, of(CAMPAIGNS), Sum(M::Parcels)),
    figure("summer_events", S::Summer, of(SUMMER), Records),
    figure("summer_participants", S::Summer, of(SUMMER), Sum(M::Participants)),
    figure("summer_civic_patriotic", S::Summer, direction("civic_patriotic"), Records),
    figure("summer_civic_patriotic_participants", S::Summer, direction("civic_patriotic"), Sum(M::Participants)),
    figure("summer_sports", S::Summer, direction("sports"), Records),
    figure("summer_sports_participants", S::Summer, direction("sports"), Sum(M::Participants)),
    figure("summer_creative", S::Summer, direction("creative"), Records),
    figure("summer_creative_participants", S::Summer, direction("creative"), Sum(M::Participants)),
    figure("summer_ecological", S::Summer, direction("ecological"), Records),
    figure("summer_ecological_participants", S::Summer, direction("ecological"), Sum(M::Participants)),
    figure("beautification_actions", S::Beautification, of(BEAUTIFICATION), Records),
    figure("beautification_participants", S::Beautification, of(BEAUTIFICATION), Sum(M::Participants)),
    figure("yards", S::Beautification, of(ACTIONS), Sum(M::Yards)),
    figure("shrubs", S::Beautification, of(ACTIONS), Sum(M::Shrubs)),
    figure("trees", S::Beautification, of(ACTIONS), Sum(M::Trees)),
    figure("flower_beds", S::Beautification, of(ACTIONS), Sum(M::FlowerBeds)),
    figure("seedlings", S::Beautification, of(ACTIONS), Sum(M::Seedlings)),
    figure("area_m2", S::Beautification, of(CLEANUPS), Sum(M::AreaM2)),
    figure("bags", S::Beautification, of(CLEANUPS), Sum(M::Bags)),
    figure("yard_contest_works", S::Contests, of(YARD_CONTEST), Records),
    figure("contest_yards", S::Contests, of(YARD_CONTEST), Sum(M::Yards)),
    figure("contest_entrances", S::Contests, of(YARD_CONTEST), Sum(M::Entrances)),
    figure("contest_balconies", S::Contests, of(YARD_CONTEST), Sum(M::Balconies)),
    figure("contest_flower_beds", S::Contests, of(YARD_CONTEST), Sum(M::FlowerBeds)),
    figure("winter_contest_works", S::Contests, of(WINTER_CONTEST), Records),
    figure("snow_towns", S::Contests, of(WINTER_CONTEST), Sum(M::SnowTowns)),
    figure("snow_figures", S::Contests, of(WINTER_CONTEST), Sum(M::SnowFigures)),
    figure("winter_entrances", S::Contests, of(WINTER_CONTEST), Sum(M::Entrances)),
    figure("winter_balconies", S::Contests, of(WINTER_CONTEST), Sum(M::Balconies)),
    figure("centre_events", S::Centres, of(CENTRE), Records),
    figure("centre_participants", S::Centres, of(CENTRE), Sum(M::Participants)),
    figure("consultations", S::Centres, of(CONSULTATIONS), Records),
    figure("citizens_seen", S::Centres, of(CONSULTATIONS), Sum(M::CitizensSeen)),
    figure("clubs", S::Centres, of(CLUBS), Records),
    figure("club_members", S::Centres, of(CLUBS), Sum(M::Members)),
    figure("inventory_loans", S::Centres, of(&[]), Count::Loans),
    figure("media_items", S::Media, of(MEDIA), Sum(M::Items)),
];

impl FigureSpec {
    /// The figure with stable key `key`.
    pub fn by_key(key: &str) -> Option<&'static FigureSpec> {
        FIGURES.iter().find(|f| f.key == key)
    }

    /// Whether an activity of `kind`, naming `variant`, a youth event or not, is among those
    /// the figure takes.
    pub fn takes(&self, kind: ActivityKind, variant: Option<&str>, youth: bool) -> bool {
        self.take.kinds.contains(&kind)
            && self.take.variant.is_none_or(|v| variant == Some(v))
            && (!self.take.youth || youth)
    }

    /// Whether it counts activities, so a list of them stands behind it.
    pub fn counts_activities(&self) -> bool {
        self.count != Count::Loans
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_and_found() {
        let keys: HashSet<_> = FIGURES.iter().map(|f| f.key).collect();
        assert_eq!(keys.len(), FIGURES.len());
        assert_eq!(
            FigureSpec::by_key("bags").map(|f| f.count),
            Some(Sum(M::Bags))
        );
        assert!(FigureSpec::by_key("nonsense").is_none());
    }

    #[test]
    fn every_figure_counts_what_its_kinds_have() {
        for figure in FIGURES {
            for kind in figure.take.kinds {
                let spec = kind.spec();
                if let Sum(measure) = figure.count {
                    assert!(
                        spec.measures.iter().any(|m| m.measure == measure),
                        "{}: {kind} has no {measure}",
                        figure.key
                    );
                }
                if let Some(variant) = figure.take.variant {
                    assert!(
                        spec.variants.contains(&variant),
                        "{}: {variant}",
                        figure.key
                    );
                }
                assert!(!figure.take.youth || spec.youth, "{}", figure.key);
            }
        }
    }

    #[test]
    fn every_section_has_figures() {
        for section in Section::ALL {
            assert!(FIGURES.iter().any(|f| f.section == section), "{section:?}");
        }
    }
}
