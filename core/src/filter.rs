//! Which activities a list shows: by kind, committee or centre, site, period and typed text. The
//! device filters what it holds with it; the server's reports will narrow by the same terms.

use crate::access::Owner;
use crate::activity::{Activity, ActivityKind};
use crate::date::Date;
use crate::i18n::Strings;
use crate::id::RecordId;

/// What a person asks the list to show; the default shows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// Only this kind.
    pub kind: Option<ActivityKind>,
    /// Only records kept by this committee or centre.
    pub owner: Option<Owner>,
    /// Only work done at this site.
    pub site: Option<RecordId>,
    /// Only activities on or after this day.
    pub from: Option<Date>,
    /// Only activities on or before this day.
    pub to: Option<Date>,
    /// Words that must each appear, in any case, in the address, the committee's or centre's
    /// name, the kind's name or the variant's name.
    pub text: String,
}

impl ActivityFilter {
    /// Whether the filter asks for anything.
    pub fn is_empty(&self) -> bool {
        self.kind.is_none()
            && self.owner.is_none()
            && self.site.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.text.trim().is_empty()
    }

    /// Whether `activity`, kept by the committee or centre called `owner_name`, is shown;
    /// `strings` name kinds and variants as the person reads them.
    pub fn shows(&self, activity: &Activity, owner_name: &str, strings: &Strings) -> bool {
        let on_terms = self.kind.is_none_or(|kind| kind == activity.kind)
            && self.owner.is_none_or(|owner| owner == activity.owner)
            && self.site.is_none_or(|site| activity.site == Some(site))
            && self.from.is_none_or(|from| activity.date >= from)
            && self.to.is_none_or(|to| activity.date <= to);
        on_terms && self.matches_text(activity, owner_name, strings)
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
            (strings.kind_name)(activity.kind),
            activity
                .variant
                .as_deref()
                .and_then(strings.variant_name)
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
            "Рудник",
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
        assert!(at_yard.shows(&there, "Рудник", t));
        assert!(!at_yard.shows(&elsewhere, "Рудник", t));
    }

    #[test]
    fn kind_owner_and_period_narrow_the_list() {
        let t = strings(Lang::Ru);
        let subbotnik = activity(ActivityKind::CleanupDay, "2026-05-16", "двор", None);
        let by_kind = ActivityFilter {
            kind: Some(ActivityKind::Club),
            ..ActivityFilter::default()
        };
        assert!(!by_kind.shows(&subbotnik, "Рудник", t));
        let by_owner = ActivityFilter {
            owner: Some(Owner::Committee(CommitteeId(2))),
            ..ActivityFilter::default()
        };
        assert!(!by_owner.shows(&subbotnik, "Рудник", t));
        let may = ActivityFilter {
            from: date("2026-05-01"),
            to: date("2026-05-31"),
            ..ActivityFilter::default()
        };
        assert!(may.shows(&subbotnik, "Рудник", t));
        let june = ActivityFilter {
            from: date("2026-06-01"),
            ..ActivityFilter::default()
        };
        assert!(!june.shows(&subbotnik, "Рудник", t));
        let until_may_16 = ActivityFilter {
            to: date("2026-05-16"),
            ..ActivityFilter::default()
        };
        assert!(
            until_may_16.shows(&subbotnik, "Рудник", t),
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
            .shows(&action, "Шахтёрский уголок", t)
        };
        assert!(shows("весенняя"));
        assert!(shows("САД памяти"));
        assert!(shows("шахтерский весенняя"));
        assert!(shows("благоустройству"));
        assert!(!shows("весенняя рудник"));
    }
}
