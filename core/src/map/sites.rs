//! Which sites the map shows and what it says of each: a site's latest work and what its work
//! in a period counted, and the filter a coordinator narrows the map with.

use std::collections::{BTreeMap, HashMap};

use crate::access::{DistrictId, Owner};
use crate::activity::{Activity, ActivityKind};
use crate::date::Date;
use crate::geo::Point;
use crate::id::RecordId;
use crate::measure::Measure;
use crate::photo::{PhotoRef, PhotoTag};
use crate::site::{Site, SiteKind};

/// What the map narrows its sites by; the default shows every site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteFilter {
    /// Only sites of this district.
    pub district: Option<DistrictId>,
    /// Only sites of this committee or centre.
    pub owner: Option<Owner>,
    /// Only sites of this kind.
    pub site_kind: Option<SiteKind>,
    /// Only sites with work of this kind (in the period, if one is set); also the kind
    /// "no work since" looks for.
    pub activity_kind: Option<ActivityKind>,
    /// Only sites with work on or after this day.
    pub from: Option<Date>,
    /// Only sites with work on or before this day.
    pub to: Option<Date>,
    /// Only sites with no work on or after this day: the ones forgotten.
    pub idle_since: Option<Date>,
}

/// What the map tells of one site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteSummary {
    /// The day and kind of the latest work there (of the filter's kind, at any time).
    pub last: Option<(Date, ActivityKind)>,
    /// How many activities there fall in the filter's kind and period.
    pub in_period: u32,
    /// What those activities counted, measure by measure.
    pub totals: BTreeMap<Measure, u64>,
    /// A photo of the latest work there that has one, with its day — an «after» photo when
    /// there is one: the site's picture when it has none of its own.
    pub photo: Option<(Date, PhotoRef)>,
}

/// Where the map puts `site`: its point, else the middle of its outline's corners.
pub fn position(site: &Site) -> Option<Point> {
    if let Some(location) = site.location {
        return Some(location.point);
    }
    let outline = site.outline.as_ref().filter(|o| !o.is_empty())?;
    let n = outline.len() as i64;
    let mean = |coordinate: fn(&Point) -> i32| {
        (outline
            .iter()
            .map(|p| i64::from(coordinate(p)))
            .sum::<i64>()
            / n) as i32
    };
    Some(Point {
        lat_e6: mean(|p| p.lat_e6),
        lon_e6: mean(|p| p.lon_e6),
    })
}

impl SiteFilter {
    /// Whether an activity's kind is the one asked for.
    fn kind_matches(&self, activity: &Activity) -> bool {
        self.activity_kind.is_none_or(|kind| kind == activity.kind)
    }

    /// Whether an activity's day is in the period asked for.
    fn in_period(&self, activity: &Activity) -> bool {
        self.from.is_none_or(|from| activity.date >= from)
            && self.to.is_none_or(|to| activity.date <= to)
    }

    /// Whether the filter asks about the work done at sites.
    fn asks_for_work(&self) -> bool {
        self.activity_kind.is_some() || self.has_period()
    }

    /// Whether the filter narrows work to a period.
    pub fn has_period(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// The summary of every site with work of the filter's kind among `activities`.
    pub fn summarize<'a>(
        &self,
        activities: impl IntoIterator<Item = &'a Activity>,
    ) -> HashMap<RecordId, SiteSummary> {
        let mut summaries: HashMap<RecordId, SiteSummary> = HashMap::new();
        for activity in activities {
            let Some(site) = activity.site else { continue };
            if !self.kind_matches(activity) {
                continue;
            }
            let summary = summaries.entry(site).or_default();
            if summary.last.is_none_or(|(date, _)| activity.date > date) {
                summary.last = Some((activity.date, activity.kind));
            }
            let photos = &activity.photos;
            let shown = photos
                .iter()
                .find(|p| p.tag == PhotoTag::After)
                .or(photos.first());
            if let Some(photo) = shown
                && summary.photo.is_none_or(|(date, _)| activity.date > date)
            {
                summary.photo = Some((activity.date, *photo));
            }
            if self.in_period(activity) {
                summary.in_period += 1;
                for (measure, count) in &activity.measures {
                    *summary.totals.entry(*measure).or_default() += u64::from(count.get());
                }
            }
        }
        summaries
    }

    /// Whether the map shows `site`, which lies in `district`, whose work is `summary`.
    pub fn shows(
        &self,
        site: &Site,
        district: Option<DistrictId>,
        summary: Option<&SiteSummary>,
    ) -> bool {
        let on_terms = self.district.is_none_or(|d| district == Some(d))
            && self.owner.is_none_or(|o| o == site.owner)
            && self.site_kind.is_none_or(|k| k == site.site_kind);
        let worked = !self.asks_for_work() || summary.is_some_and(|s| s.in_period > 0);
        let idle = self.idle_since.is_none_or(|since| {
            summary
                .and_then(|s| s.last)
                .is_none_or(|(date, _)| date < since)
        });
        on_terms && worked && idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::CommitteeId;
    use crate::measure::Count;
    use crate::site::SiteName;
    use proptest::prelude::*;

    fn id(n: u128) -> RecordId {
        format!("019a0000-0000-7000-8000-{n:012x}")
            .parse()
            .expect("id")
    }

    fn date(text: &str) -> Date {
        text.parse().expect("date")
    }

    fn site(n: u128, kind: SiteKind, committee: u32) -> Site {
        Site {
            id: id(n),
            name: SiteName::parse("Двор").expect("name"),
            site_kind: kind,
            owner: Owner::Committee(CommitteeId(committee)),
            address: None,
            location: None,
            outline: None,
            photos: Vec::new(),
        }
    }

    fn work(n: u128, site: u128, kind: ActivityKind, day: &str, bags: u32) -> Activity {
        Activity {
            id: id(1_000 + n),
            kind,
            date: date(day),
            owner: Owner::Committee(CommitteeId(1)),
            title: None,
            part_of: None,
            site: Some(id(site)),
            site_address: None,
            variant: None,
            youth: false,
            measures: [(Measure::Bags, Count::from(bags))].into_iter().collect(),
            photos: Vec::new(),
        }
    }

    #[test]
    fn a_period_counts_its_work_and_the_latest_work_is_kept_whatever_the_period() {
        let activities = [
            work(1, 1, ActivityKind::CleanupDay, "2026-05-01", 10),
            work(2, 1, ActivityKind::CleanupDay, "2026-09-01", 5),
            work(3, 1, ActivityKind::BeautificationAction, "2026-06-01", 0),
            work(4, 2, ActivityKind::CleanupDay, "2025-05-01", 7),
        ];
        let filter = SiteFilter {
            activity_kind: Some(ActivityKind::CleanupDay),
            from: Some(date("2026-01-01")),
            to: Some(date("2026-06-30")),
            ..SiteFilter::default()
        };
        let summaries = filter.summarize(&activities);
        let first = &summaries[&id(1)];
        assert_eq!(first.in_period, 1);
        assert_eq!(first.totals[&Measure::Bags], 10);
        assert_eq!(
            first.last,
            Some((date("2026-09-01"), ActivityKind::CleanupDay))
        );
        assert_eq!(summaries[&id(2)].in_period, 0);
        assert!(filter.shows(&site(1, SiteKind::Yard, 1), None, Some(first)));
        assert!(!filter.shows(&site(2, SiteKind::Yard, 1), None, summaries.get(&id(2))));
        assert!(!filter.shows(&site(3, SiteKind::Yard, 1), None, None));
    }

    #[test]
    fn a_site_without_photos_shows_the_after_photo_of_its_latest_work_with_photos() {
        let photo = |tag, n: u8| PhotoRef {
            tag,
            hash: crate::photo::BlobHash::from_digest([n; 32]),
            thumb: crate::photo::BlobHash::from_digest([n + 100; 32]),
        };
        let mut older = work(1, 1, ActivityKind::CleanupDay, "2026-05-01", 1);
        older.photos = vec![photo(PhotoTag::After, 1)];
        let mut latest = work(2, 1, ActivityKind::CleanupDay, "2026-06-01", 1);
        latest.photos = vec![photo(PhotoTag::Before, 2), photo(PhotoTag::After, 3)];
        let unpictured = work(3, 1, ActivityKind::CleanupDay, "2026-07-01", 1);
        let summaries = SiteFilter::default().summarize(&[older, unpictured, latest]);
        assert_eq!(
            summaries[&id(1)].photo,
            Some((date("2026-06-01"), photo(PhotoTag::After, 3)))
        );
    }

    #[test]
    fn idle_sites_are_those_without_work_since_the_day() {
        let activities = [
            work(1, 1, ActivityKind::CleanupDay, "2026-05-01", 1),
            work(2, 2, ActivityKind::CleanupDay, "2025-05-01", 1),
        ];
        let filter = SiteFilter {
            idle_since: Some(date("2026-01-01")),
            ..SiteFilter::default()
        };
        let summaries = filter.summarize(&activities);
        assert!(!filter.shows(&site(1, SiteKind::Yard, 1), None, summaries.get(&id(1))));
        assert!(filter.shows(&site(2, SiteKind::Yard, 1), None, summaries.get(&id(2))));
        assert!(filter.shows(&site(3, SiteKind::Yard, 1), None, summaries.get(&id(3))));
    }

    #[test]
    fn a_site_is_put_at_its_point_or_amid_its_outline() {
        let mut yard = site(1, SiteKind::Yard, 1);
        assert_eq!(position(&yard), None);
        let corner = |lat_e6, lon_e6| Point { lat_e6, lon_e6 };
        yard.outline = Some(vec![
            corner(0, 0),
            corner(0, 30),
            corner(30, 30),
            corner(30, 0),
        ]);
        assert_eq!(position(&yard), Some(corner(15, 15)));
        let point = corner(55_350_000, 86_080_000);
        yard.location = Some(crate::geo::Location {
            point,
            accuracy_m: None,
            outside_city: false,
        });
        assert_eq!(position(&yard), Some(point));
    }

    #[test]
    fn places_and_kinds_narrow_the_sites() {
        let yard = site(1, SiteKind::Yard, 1);
        let bed = site(2, SiteKind::FlowerBed, 2);
        let by_kind = SiteFilter {
            site_kind: Some(SiteKind::FlowerBed),
            ..SiteFilter::default()
        };
        assert!(!by_kind.shows(&yard, None, None) && by_kind.shows(&bed, None, None));
        let by_owner = SiteFilter {
            owner: Some(Owner::Committee(CommitteeId(1))),
            ..SiteFilter::default()
        };
        assert!(by_owner.shows(&yard, None, None) && !by_owner.shows(&bed, None, None));
        let by_district = SiteFilter {
            district: Some(DistrictId(4)),
            ..SiteFilter::default()
        };
        assert!(by_district.shows(&yard, Some(DistrictId(4)), None));
        assert!(!by_district.shows(&yard, Some(DistrictId(5)), None));
        assert!(!by_district.shows(&yard, None, None));
        assert!(SiteFilter::default().shows(&yard, None, None));
    }

    proptest! {
        #[test]
        fn totals_are_the_sum_of_the_period_whatever_the_order(
            work_done in prop::collection::vec((1u128..5, 0u32..40, 0u32..100), 0..60),
            from in 0u32..40,
        ) {
            let start = date("2026-01-01");
            let activities: Vec<Activity> = work_done.iter().enumerate().map(|(n, (site, day, bags))| {
                let mut a = work(n as u128, *site, ActivityKind::CleanupDay, "2026-01-01", *bags);
                a.date = start.plus_days(*day);
                a
            }).collect();
            let filter = SiteFilter { from: Some(start.plus_days(from)), ..SiteFilter::default() };
            let forward = filter.summarize(&activities);
            let backward = filter.summarize(activities.iter().rev());
            prop_assert_eq!(&forward, &backward);
            for site in 1u128..5 {
                let expected: u64 = work_done.iter()
                    .filter(|(s, day, _)| *s == site && *day >= from)
                    .map(|(_, _, bags)| u64::from(*bags)).sum();
                let got = forward.get(&id(site)).and_then(|s| s.totals.get(&Measure::Bags)).copied().unwrap_or(0);
                prop_assert_eq!(got, expected);
            }
        }
    }
}
