//! Which activities a list shows: by kind, committee or centre, district, site, period, the
//! report figure they count towards and typed text. The device filters what it holds with it,
//! and a report's figure links to the list of its records with the terms in the address.

use crate::access::{DistrictId, Owner};
use crate::activity::{Activity, ActivityKind};
use crate::date::Date;
use crate::i18n::Strings;
use crate::id::RecordId;
use crate::report::figures::FigureSpec;

/// What a person asks the list to show; the default shows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// Only this kind.
    pub kind: Option<ActivityKind>,
    /// Only records kept by this committee or centre.
    pub owner: Option<Owner>,
    /// Only records kept in this district.
    pub district: Option<DistrictId>,
    /// Only work done at this site.
    pub site: Option<RecordId>,
    /// Only activities the report's figure counts.
    pub figure: Option<&'static FigureSpec>,
    /// Only activities on or after this day.
    pub from: Option<Date>,
    /// Only activities on or before this day.
    pub to: Option<Date>,
    /// Words that must each appear, in any case, in the address, the committee's or centre's
    /// name, the kind's name or the variant's name.
    pub text: String,
}

/// The committee or centre keeping an activity, as a list knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keeper<'a> {
    /// Its name.
    pub name: &'a str,
    /// The district it lies in, if known.
    pub district: Option<DistrictId>,
}

impl ActivityFilter {
    /// Whether the filter asks for anything.
    pub fn is_empty(&self) -> bool {
        self.kind.is_none()
            && self.owner.is_none()
            && self.district.is_none()
            && self.site.is_none()
            && self.figure.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.text.trim().is_empty()
    }

    /// Whether `activity`, kept by `keeper`, is shown; `strings` name kinds and variants as the
    /// person reads them.
    pub fn shows(&self, activity: &Activity, keeper: Keeper<'_>, strings: &Strings) -> bool {
        let on_terms = self.kind.is_none_or(|kind| kind == activity.kind)
            && self.owner.is_none_or(|owner| owner == activity.owner)
            && self.district.is_none_or(|d| keeper.district == Some(d))
            && self.site.is_none_or(|site| activity.site == Some(site))
            && self.figure.is_none_or(|f| {
                f.takes(activity.kind, activity.variant.as_deref(), activity.youth)
            })
            && self.from.is_none_or(|from| activity.date >= from)
            && self.to.is_none_or(|to| activity.date <= to);
        on_terms && self.matches_text(activity, keeper.name, strings)
    }

    /// The terms a link's query pairs give; anything unreadable is left out.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ActivityFilter {
        let mut filter = ActivityFilter::default();
        for (key, value) in pairs {
            match key {
                "kind" => filter.kind = value.parse().ok(),
                "owner" => filter.owner = Owner::from_key(value),
                "district" => filter.district = value.parse().ok().map(DistrictId),
                "site" => filter.site = value.parse().ok(),
                "figure" => filter.figure = FigureSpec::by_key(value),
                "from" => filter.from = value.parse().ok(),
                "to" => filter.to = value.parse().ok(),
                "q" => filter.text = value.to_owned(),
                _ => {}
            }
        }
        filter
    }

    /// The query pairs of a link to the list with these terms, in a fixed order.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        [
            ("kind", self.kind.map(|k| k.key().to_owned())),
            ("owner", self.owner.map(Owner::key)),
            ("district", self.district.map(|d| d.0.to_string())),
            ("site", self.site.map(|s| s.to_string())),
            ("figure", self.figure.map(|f| f.key.to_owned())),
            ("from", self.from.map(|d| d.to_string())),
            ("to", self.to.map(|d| d.to_string())),
            ("q", Some(self.text.clone()).filter(|t| !t.is_empty())),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key, value?)))
        .collect()
    }

    fn matches_text(&self, activity: &Activity, owner_name: &str, strings: &Strings) -> bool {
        let words: Vec<String> = self
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return true;
        }
        let mut haystack = [
            activity
                .site_address
                .as_ref()
                .map(|a| a.as_str())
                .unwrap_or_default(),
            owner_name,
            (strings.common.kind_name)(activity.kind),
            activity
                .variant
                .as_deref()
                .and_then(strings.common.variant_name)
                .unwrap_or_default(),
            activity
                .title
                .as_ref()
                .map(|t| t.as_str())
                .unwrap_or_default(),
        ]
        .join(" ")
        .to_lowercase();
        // «ё» and «е» are one letter to most people typing.
        haystack = haystack.replace('ё', "е");
        words
            .iter()
            .all(|word| haystack.contains(&word.replace('ё', "е")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CentreId, CommitteeId};
    use crate::activity::ActivityInput;
    use crate::i18n::{Lang, strings};
    use crate::id::RecordId;
    use proptest::prelude::*;

    fn activity(kind: ActivityKind, date: &str, address: &str, variant: Option<&str>) -> Activity {
        let spec = kind.spec();
        let owner = match spec.kept_by {
            crate::kinds::KeptBy::Anyone => Owner::Committee(CommitteeId(1)),
            crate::kinds::KeptBy::Centres => Owner::Centre(CentreId(1)),
        };
        ActivityInput {
            id: RecordId::from_parts(1_764_028_800_000, [1; 10]).to_string(),
            kind: kind.key().to_owned(),
            date: date.to_owned(),
            owner: Some(owner),
            site_address: address.to_owned(),
            variant: variant.map(str::to_owned),
            youth: false,
            measures: spec
                .measures
                .iter()
                .map(|m| (m.measure.key().to_owned(), i64::from(m.min.max(1))))
                .collect(),
            ..ActivityInput::default()
        }
        .validate(Date::from_ymd(2026, 11, 25).expect("date"))
        .expect("valid")
    }

    const RUDNIK: Keeper<'static> = Keeper {
        name: "Рудник",
        district: Some(DistrictId(1)),
    };

    fn date(text: &str) -> Option<Date> {
        text.parse().ok()
    }

    #[test]
    fn the_empty_filter_shows_everything() {
        let t = strings(Lang::Ru);
        let filter = ActivityFilter::default();
        assert!(filter.is_empty());
        assert!(filter.shows(
            &activity(ActivityKind::CleanupDay, "2026-05-16", "двор", None),
            RUDNIK,
            t
        ));
        let blank = ActivityFilter {
            text: "  ".to_owned(),
            ..ActivityFilter::default()
        };
        assert!(blank.is_empty());
    }

    #[test]
    fn a_site_shows_only_the_work_done_there() {
        let t = strings(Lang::Ru);
        let yard = RecordId::from_parts(1_764_028_700_000, [7; 10]);
        let mut there = activity(ActivityKind::CleanupDay, "2026-05-16", "двор", None);
        there.site = Some(yard);
        let elsewhere = activity(ActivityKind::CleanupDay, "2026-05-16", "двор", None);
        let at_yard = ActivityFilter {
            site: Some(yard),
            ..ActivityFilter::default()
        };
        assert!(!at_yard.is_empty());
        assert!(at_yard.shows(&there, RUDNIK, t));
        assert!(!at_yard.shows(&elsewhere, RUDNIK, t));
    }

    #[test]
    fn kind_owner_and_period_narrow_the_list() {
        let t = strings(Lang::Ru);
        let subbotnik = activity(ActivityKind::CleanupDay, "2026-05-16", "двор", None);
        let by_kind = ActivityFilter {
            kind: Some(ActivityKind::Club),
            ..ActivityFilter::default()
        };
        assert!(!by_kind.shows(&subbotnik, RUDNIK, t));
        let by_owner = ActivityFilter {
            owner: Some(Owner::Committee(CommitteeId(2))),
            ..ActivityFilter::default()
        };
        assert!(!by_owner.shows(&subbotnik, RUDNIK, t));
        let may = ActivityFilter {
            from: date("2026-05-01"),
            to: date("2026-05-31"),
            ..ActivityFilter::default()
        };
        assert!(may.shows(&subbotnik, RUDNIK, t));
        let june = ActivityFilter {
            from: date("2026-06-01"),
            ..ActivityFilter::default()
        };
        assert!(!june.shows(&subbotnik, RUDNIK, t));
        let until_may_16 = ActivityFilter {
            to: date("2026-05-16"),
            ..ActivityFilter::default()
        };
        assert!(
            until_may_16.shows(&subbotnik, RUDNIK, t),
            "both ends are included"
        );
    }

    #[test]
    fn every_typed_word_must_appear_in_any_case_and_with_e_for_yo() {
        let t = strings(Lang::Ru);
        let action = activity(
            ActivityKind::BeautificationAction,
            "2026-05-16",
            "ул. Весенняя, 3",
            Some("garden_of_memory"),
        );
        let shows = |text: &str| {
            ActivityFilter {
                text: text.to_owned(),
                ..ActivityFilter::default()
            }
            .shows(
                &action,
                Keeper {
                    name: "Шахтёрский уголок",
                    district: None,
                },
                t,
            )
        };
        assert!(shows("весенняя"));
        assert!(shows("САД памяти"));
        assert!(shows("шахтерский весенняя"));
        assert!(shows("благоустройству"));
        assert!(!shows("весенняя рудник"));
    }

    #[test]
    fn a_figure_and_a_district_narrow_to_the_records_behind_the_figure() {
        let t = strings(Lang::Ru);
        let subbotnik = activity(ActivityKind::CleanupDay, "2026-05-16", "двор", None);
        let action = activity(
            ActivityKind::BeautificationAction,
            "2026-05-16",
            "двор",
            Some("city_flowers"),
        );
        let bags = ActivityFilter {
            figure: FigureSpec::by_key("bags"),
            ..ActivityFilter::default()
        };
        assert!(bags.shows(&subbotnik, RUDNIK, t));
        assert!(
            !bags.shows(&action, RUDNIK, t),
            "only subbotniks count bags"
        );
        let actions = ActivityFilter {
            figure: FigureSpec::by_key("beautification_actions"),
            district: Some(DistrictId(1)),
            ..ActivityFilter::default()
        };
        assert!(actions.shows(&subbotnik, RUDNIK, t));
        assert!(actions.shows(&action, RUDNIK, t));
        let elsewhere = Keeper {
            district: Some(DistrictId(2)),
            ..RUDNIK
        };
        assert!(!actions.shows(&action, elsewhere, t));
    }

    fn filters() -> impl Strategy<Value = ActivityFilter> {
        let figures = crate::report::figures::FIGURES;
        (
            prop::option::of(prop::sample::select(
                ActivityKind::all().collect::<Vec<_>>(),
            )),
            prop::option::of((1u32..99).prop_map(|id| Owner::Committee(CommitteeId(id)))),
            prop::option::of((1u32..99).prop_map(DistrictId)),
            prop::option::of(
                any::<[u8; 10]>().prop_map(|r| RecordId::from_parts(1_764_028_700_000, r)),
            ),
            prop::option::of(prop::sample::select(figures.iter().collect::<Vec<_>>())),
            prop::option::of(
                (0u32..20_000)
                    .prop_map(|d| Date::from_ymd(2000, 1, 1).expect("a day").plus_days(d)),
            ),
            prop::option::of(
                (0u32..20_000)
                    .prop_map(|d| Date::from_ymd(2000, 1, 1).expect("a day").plus_days(d)),
            ),
            "[а-яa-z &=?%]{0,12}",
        )
            .prop_map(|(kind, owner, district, site, figure, from, to, text)| {
                ActivityFilter {
                    kind,
                    owner,
                    district,
                    site,
                    figure,
                    from,
                    to,
                    text,
                }
            })
    }

    proptest! {
        #[test]
        fn every_filter_survives_its_link(filter in filters()) {
            let query = filter.to_query();
            let read = ActivityFilter::from_query(query.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert_eq!(read, filter);
        }
    }
}
