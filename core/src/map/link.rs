//! What a map's address keeps, so a coordinator can share exactly what they see: the view
//! (centre and zoom), the filter and the heat layer, as the query of `/map?…`.

use crate::access::{DistrictId, Owner};
use crate::geo::Point;
use crate::map::sites::SiteFilter;
use crate::map::tiles::MAX_ZOOM;

/// A map as its link describes it; anything missing or unreadable in a link is left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapView {
    /// The centre of the view; unset, the map fits the sites shown.
    pub centre: Option<Point>,
    /// The zoom of the view.
    pub zoom: Option<u8>,
    /// Which sites are shown.
    pub filter: SiteFilter,
    /// Whether the density of work is drawn over the map.
    pub heat: bool,
}

impl MapView {
    /// The view a link's query pairs describe.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> MapView {
        let mut view = MapView::default();
        let filter = &mut view.filter;
        for (key, value) in pairs {
            match key {
                "at" => {
                    view.centre = value.split_once(',').and_then(|(lat, lon)| {
                        Point::from_degrees(lat.parse().ok()?, lon.parse().ok()?)
                    })
                }
                "z" => view.zoom = value.parse().ok().filter(|z| *z <= MAX_ZOOM),
                "district" => filter.district = value.parse().ok().map(DistrictId),
                "owner" => filter.owner = Owner::from_key(value),
                "site_kind" => filter.site_kind = value.parse().ok(),
                "kind" => filter.activity_kind = value.parse().ok(),
                "from" => filter.from = value.parse().ok(),
                "to" => filter.to = value.parse().ok(),
                "idle" => filter.idle_since = value.parse().ok(),
                "heat" => view.heat = value == "1",
                _ => {}
            }
        }
        view
    }

    /// The query pairs of the view's link, in a fixed order.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let f = &self.filter;
        let centre = self
            .centre
            .map(|p| format!("{:.6},{:.6}", p.lat(), p.lon()));
        [
            ("at", centre),
            ("z", self.zoom.map(|z| z.to_string())),
            ("district", f.district.map(|d| d.0.to_string())),
            ("owner", f.owner.map(Owner::key)),
            ("site_kind", f.site_kind.map(|k| k.key().to_owned())),
            ("kind", f.activity_kind.map(|k| k.key().to_owned())),
            ("from", f.from.map(|d| d.to_string())),
            ("to", f.to.map(|d| d.to_string())),
            ("idle", f.idle_since.map(|d| d.to_string())),
            ("heat", self.heat.then(|| "1".to_owned())),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key, value?)))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CentreId, CommitteeId};
    use crate::activity::ActivityKind;
    use crate::date::Date;
    use crate::site::SiteKind;
    use proptest::prelude::*;

    #[test]
    fn a_link_reads_back_and_nonsense_is_left_out() {
        let view = MapView::from_query([
            ("at", "55.354700,86.087300"),
            ("z", "15"),
            ("owner", "committee:3"),
            ("kind", "cleanup_day"),
            ("idle", "2026-01-01"),
            ("heat", "1"),
            ("site_kind", "volcano"),
            ("from", "вчера"),
            ("z", "99"),
            ("utm_source", "x"),
        ]);
        assert_eq!(view.centre, Point::from_degrees(55.3547, 86.0873));
        assert_eq!(
            view.zoom, None,
            "the later, impossible zoom replaces the first"
        );
        assert_eq!(view.filter.owner, Some(Owner::Committee(CommitteeId(3))));
        assert_eq!(view.filter.activity_kind, Some(ActivityKind::CleanupDay));
        assert_eq!(view.filter.site_kind, None);
        assert_eq!(view.filter.from, None);
        assert!(view.heat);
        assert_eq!(MapView::from_query([("at", "91,0")]).centre, None);
    }

    fn views() -> impl Strategy<Value = MapView> {
        let point = (-90_000_000i32..=90_000_000, -180_000_000i32..=180_000_000)
            .prop_map(|(lat_e6, lon_e6)| Point { lat_e6, lon_e6 });
        let date =
            (0u32..20_000).prop_map(|d| Date::from_ymd(2000, 1, 1).expect("date").plus_days(d));
        let owner = prop_oneof![
            (1u32..100).prop_map(|n| Owner::Committee(CommitteeId(n))),
            (1u32..100).prop_map(|n| Owner::Centre(CentreId(n))),
        ];
        (
            (
                proptest::option::of(point),
                proptest::option::of(0u8..=MAX_ZOOM),
                any::<bool>(),
            ),
            (
                proptest::option::of((1u32..50).prop_map(DistrictId)),
                proptest::option::of(owner),
                proptest::option::of(prop::sample::select(SiteKind::ALL.to_vec())),
                proptest::option::of(prop::sample::select(
                    ActivityKind::all().collect::<Vec<_>>(),
                )),
            ),
            (
                proptest::option::of(date.clone()),
                proptest::option::of(date.clone()),
                proptest::option::of(date),
            ),
        )
            .prop_map(
                |(
                    (centre, zoom, heat),
                    (district, owner, site_kind, activity_kind),
                    (from, to, idle_since),
                )| MapView {
                    centre,
                    zoom,
                    heat,
                    filter: SiteFilter {
                        district,
                        owner,
                        site_kind,
                        activity_kind,
                        from,
                        to,
                        idle_since,
                    },
                },
            )
    }

    proptest! {
        #[test]
        fn every_view_survives_its_link(view in views()) {
            let query = view.to_query();
            let back = MapView::from_query(query.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert_eq!(back, view);
        }
    }
}
