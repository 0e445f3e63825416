//! Downloading a map area for use with no network: the box around a place's sites and which
//! tiles of it, at which zooms, fit the limit of one download.

use crate::access::{Place, Scope};
use crate::geo::{Bounds, CITY_BOUNDS, Point};
use crate::map::tiles::Tile;

/// The most tiles one download takes: about 40 MB of street map, a district's sites down to
/// the zoom at which houses are told apart, within what a phone's storage gives a web app.
pub const MAX_TILES: u32 = 3_000;

/// The zoom a download starts at: the whole city on a phone's screen.
pub const MIN_ZOOM: u8 = 10;

/// The zoom downloads try to reach: every house and path of a yard.
pub const WANTED_ZOOM: u8 = 17;

/// How far past the outermost sites an area reaches, in microdegrees (about 550 m north–south
/// and 320 m east–west at Kemerovo's latitude): the streets leading to a site are on the map too.
const MARGIN_E6: i32 = 5_000;

/// The box holding `points`, widened by a margin; `None` without points.
pub fn around(points: impl IntoIterator<Item = Point>) -> Option<Bounds> {
    let mut points = points.into_iter();
    let first = points.next()?;
    let start = Bounds {
        south: first.lat_e6,
        north: first.lat_e6,
        west: first.lon_e6,
        east: first.lon_e6,
    };
    let b = points.fold(start, |b, p| Bounds {
        south: b.south.min(p.lat_e6),
        north: b.north.max(p.lat_e6),
        west: b.west.min(p.lon_e6),
        east: b.east.max(p.lon_e6),
    });
    Some(Bounds {
        south: (b.south - MARGIN_E6).max(-85_000_000),
        north: (b.north + MARGIN_E6).min(85_000_000),
        west: (b.west - MARGIN_E6).max(-180_000_000),
        east: (b.east + MARGIN_E6).min(180_000_000),
    })
}

/// The box to download for `scope`: the whole city for a city-wide scope, else the box around
/// the sites (`(place, position)`) the scope covers; `None` when it covers none.
pub fn area_of(scope: Scope, sites: impl IntoIterator<Item = (Place, Point)>) -> Option<Bounds> {
    match scope {
        Scope::City => Some(CITY_BOUNDS),
        _ => around(
            sites
                .into_iter()
                .filter(|(place, _)| scope.covers(*place))
                .map(|(_, point)| point),
        ),
    }
}

/// The tiles of one download: a box at zooms `min_zoom..=max_zoom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AreaPlan {
    /// The box.
    pub bounds: Bounds,
    /// The first zoom.
    pub min_zoom: u8,
    /// The last zoom.
    pub max_zoom: u8,
    /// How many tiles that is.
    pub tiles: u32,
}

impl AreaPlan {
    /// The plan for `bounds` from [`MIN_ZOOM`] as deep towards `wanted_zoom` as `limit` tiles
    /// allow; `None` when even the first zoom alone needs more.
    pub fn fit(bounds: Bounds, wanted_zoom: u8, limit: u32) -> Option<AreaPlan> {
        let mut tiles = 0u32;
        let mut plan = None;
        for z in MIN_ZOOM..=wanted_zoom.max(MIN_ZOOM) {
            tiles = tiles.checked_add(count_at(bounds, z))?;
            if tiles > limit {
                break;
            }
            plan = Some(AreaPlan {
                bounds,
                min_zoom: MIN_ZOOM,
                max_zoom: z,
                tiles,
            });
        }
        plan
    }

    /// Every tile of the plan, zoom by zoom, row by row.
    pub fn tiles(self) -> impl Iterator<Item = Tile> {
        (self.min_zoom..=self.max_zoom).flat_map(move |z| {
            let (nw, se) = corners_at(self.bounds, z);
            (nw.y..=se.y).flat_map(move |y| (nw.x..=se.x).map(move |x| Tile { z, x, y }))
        })
    }

    /// About how many bytes the tiles weigh, at `average` bytes a tile.
    pub fn bytes(self, average: u32) -> u64 {
        u64::from(self.tiles) * u64::from(average)
    }
}

/// How many tiles cover `bounds` at zoom `z`.
pub fn count_at(bounds: Bounds, z: u8) -> u32 {
    let (nw, se) = corners_at(bounds, z);
    (se.x - nw.x + 1).saturating_mul(se.y - nw.y + 1)
}

fn corners_at(bounds: Bounds, z: u8) -> (Tile, Tile) {
    let nw = Point {
        lat_e6: bounds.north,
        lon_e6: bounds.west,
    };
    let se = Point {
        lat_e6: bounds.south,
        lon_e6: bounds.east,
    };
    (Tile::containing(nw, z), Tile::containing(se, z))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_whole_city_fits_a_download_at_a_shallower_zoom() {
        let plan = AreaPlan::fit(CITY_BOUNDS, WANTED_ZOOM, MAX_TILES).expect("fits");
        assert!(plan.tiles <= MAX_TILES);
        assert!(plan.max_zoom < WANTED_ZOOM, "{plan:?}");
        assert!(plan.max_zoom >= 14, "{plan:?}");
        assert_eq!(plan.tiles().count() as u32, plan.tiles);
    }

    #[test]
    fn a_yard_is_downloaded_to_the_wanted_zoom() {
        let yard = Point::from_degrees(55.3547, 86.0873).expect("point");
        let plan =
            AreaPlan::fit(around([yard]).expect("box"), WANTED_ZOOM, MAX_TILES).expect("fits");
        assert_eq!((plan.min_zoom, plan.max_zoom), (MIN_ZOOM, WANTED_ZOOM));
        assert_eq!(plan.bytes(15_000), u64::from(plan.tiles) * 15_000);
    }

    #[test]
    fn an_area_holds_the_sites_of_its_scope_only() {
        use crate::access::{CommitteeId, DistrictId, Owner};
        let near = Point::from_degrees(55.35, 86.08).expect("point");
        let far = Point::from_degrees(55.45, 86.25).expect("point");
        let ours = Owner::Committee(CommitteeId(1)).place(DistrictId(1));
        let theirs = Owner::Committee(CommitteeId(2)).place(DistrictId(1));
        let sites = [(ours, near), (theirs, far)];
        let committee = area_of(Scope::Committee(CommitteeId(1)), sites).expect("box");
        assert!(committee.contains(near) && !committee.contains(far));
        let district = area_of(Scope::District(DistrictId(1)), sites).expect("box");
        assert!(district.contains(near) && district.contains(far));
        assert_eq!(area_of(Scope::District(DistrictId(2)), sites), None);
        assert_eq!(area_of(Scope::City, []), Some(CITY_BOUNDS));
    }

    #[test]
    fn nothing_fits_a_limit_below_the_first_zoom() {
        assert_eq!(AreaPlan::fit(CITY_BOUNDS, WANTED_ZOOM, 1), None);
        assert_eq!(around(std::iter::empty()), None);
    }

    fn points() -> impl Strategy<Value = Vec<Point>> {
        prop::collection::vec(
            (55_250_000i32..55_500_000, 85_900_000i32..86_300_000)
                .prop_map(|(lat_e6, lon_e6)| Point { lat_e6, lon_e6 }),
            1..40,
        )
    }

    proptest! {
        #[test]
        fn a_plan_keeps_to_its_limit_and_covers_every_site(
            sites in points(), limit in 1u32..6_000, wanted in MIN_ZOOM..=19u8,
        ) {
            let bounds = around(sites.iter().copied()).expect("box");
            prop_assert!(sites.iter().all(|p| bounds.contains(*p)));
            if let Some(plan) = AreaPlan::fit(bounds, wanted, limit) {
                prop_assert!(plan.tiles <= limit);
                prop_assert!(plan.max_zoom <= wanted);
                let tiles: std::collections::HashSet<Tile> = plan.tiles().collect();
                prop_assert_eq!(tiles.len() as u32, plan.tiles);
                for site in &sites {
                    for z in plan.min_zoom..=plan.max_zoom {
                        prop_assert!(tiles.contains(&Tile::containing(*site, z)));
                    }
                }
                // One zoom deeper would break the limit, unless the wanted zoom is reached.
                if plan.max_zoom < wanted {
                    prop_assert!(plan.tiles + count_at(bounds, plan.max_zoom + 1) > limit);
                }
            } else {
                prop_assert!(count_at(bounds, MIN_ZOOM) > limit);
            }
        }
    }
}
