//! Map tiles as slippy maps number them (`z/x/y`, Web Mercator, y from the north), and the URL
//! templates they are fetched by.

use std::fmt;

use crate::geo::Point;

/// The deepest zoom a tile may have: far past any street map, and small enough that a tile's
/// column and row fit a `u32`.
pub const MAX_ZOOM: u8 = 22;

/// The latitude Web Mercator stops at, north and south.
const MERCATOR_LIMIT: f64 = 85.051_128_78;

/// One tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tile {
    /// Zoom level: the world is 2^z tiles across.
    pub z: u8,
    /// Column, from the west.
    pub x: u32,
    /// Row, from the north.
    pub y: u32,
}

impl Tile {
    /// The tile `z/x/y`, if there is one.
    pub fn new(z: u32, x: u32, y: u32) -> Option<Tile> {
        let z = u8::try_from(z).ok().filter(|z| *z <= MAX_ZOOM)?;
        let side = 1u32 << z;
        (x < side && y < side).then_some(Tile { z, x, y })
    }

    /// The tile at zoom `z` (at most [`MAX_ZOOM`]) that holds `point`; points beyond
    /// Mercator's reach fall in the edge row.
    pub fn containing(point: Point, z: u8) -> Tile {
        let z = z.min(MAX_ZOOM);
        let (x, y) = world_fraction(point);
        let side = f64::from(1u32 << z);
        let index =
            |fraction: f64| ((fraction * side).floor().max(0.0) as u32).min((1u32 << z) - 1);
        Tile {
            z,
            x: index(x),
            y: index(y),
        }
    }

    /// The row as MBTiles files number it (TMS: from the south).
    pub fn tms_row(self) -> u32 {
        (1u32 << self.z) - 1 - self.y
    }

    /// The north-west and south-east corners, in degrees (latitude, longitude).
    pub fn corners(self) -> ((f64, f64), (f64, f64)) {
        let side = f64::from(1u32 << self.z);
        let corner = |x: u32, y: u32| {
            let lon = f64::from(x) / side * 360.0 - 180.0;
            let n = std::f64::consts::PI * (1.0 - 2.0 * f64::from(y) / side);
            (n.sinh().atan().to_degrees(), lon)
        };
        (corner(self.x, self.y), corner(self.x + 1, self.y + 1))
    }
}

impl fmt::Display for Tile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

/// Where `point` lies across and down the Mercator world, each from 0 to 1.
fn world_fraction(point: Point) -> (f64, f64) {
    let lat = point
        .lat()
        .clamp(-MERCATOR_LIMIT, MERCATOR_LIMIT)
        .to_radians();
    let x = (point.lon() + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0))
}

/// A tile URL template: `https://tile.openstreetmap.org/{z}/{x}/{y}.png`, or a path on this
/// server such as `/api/v1/tiles/{z}/{x}/{y}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TileTemplate(String);

/// Why a tile URL template was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Neither `http(s)://…` nor a path beginning with `/`.
    #[error("a tile URL must begin with https://, http:// or /")]
    NotAUrl,
    /// `{z}`, `{x}` or `{y}` is missing or appears twice.
    #[error("a tile URL must hold each of {{z}}, {{x}} and {{y}} once")]
    Placeholders,
    /// Some other `{…}`, such as Leaflet's `{s}`: every device must build one URL per tile, or
    /// a tile kept for offline use would not be found again.
    #[error("a tile URL may hold no placeholder but {{z}}, {{x}} and {{y}}")]
    OtherPlaceholder,
}

impl TileTemplate {
    /// Checks a template.
    pub fn parse(text: &str) -> Result<TileTemplate, TemplateError> {
        let text = text.trim();
        if !(text.starts_with("https://") || text.starts_with("http://") || text.starts_with('/')) {
            return Err(TemplateError::NotAUrl);
        }
        if ["{z}", "{x}", "{y}"]
            .iter()
            .any(|p| text.matches(p).count() != 1)
        {
            return Err(TemplateError::Placeholders);
        }
        if text.matches('{').count() != 3 || text.matches('}').count() != 3 {
            return Err(TemplateError::OtherPlaceholder);
        }
        Ok(TileTemplate(text.to_owned()))
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL of `tile`.
    pub fn url(&self, tile: Tile) -> String {
        self.0
            .replace("{z}", &tile.z.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{y}", &tile.y.to_string())
    }

    /// The origin (`https://host[:port]`) of a template on another server; `None` for tiles
    /// of this one.
    pub fn origin(&self) -> Option<&str> {
        let rest = self
            .0
            .strip_prefix("https://")
            .or_else(|| self.0.strip_prefix("http://"))?;
        let host_end = rest.find('/').unwrap_or(rest.len());
        Some(&self.0[..self.0.len() - rest.len() + host_end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn point(lat: f64, lon: f64) -> Point {
        Point::from_degrees(lat, lon).expect("on the globe")
    }

    #[test]
    fn kemerovo_centre_lies_in_its_known_tile() {
        // Sovetsky prospekt by the drama theatre; the tile as the OSM wiki's formula
        // (x = ⌊(lon + 180) / 360 · 2^z⌋, y = ⌊(1 − asinh(tan φ) / π) / 2 · 2^z⌋) gives it.
        let tile = Tile::containing(point(55.3547, 86.0873), 15);
        assert_eq!((tile.x, tile.y), (24219, 10307));
        assert_eq!(tile.tms_row(), (1 << 15) - 1 - 10307);
    }

    #[test]
    fn tiles_outside_the_world_do_not_exist() {
        assert!(Tile::new(0, 0, 0).is_some());
        assert!(Tile::new(1, 2, 0).is_none());
        assert!(Tile::new(3, 0, 8).is_none());
        assert!(Tile::new(23, 0, 0).is_none());
        assert!(Tile::new(300, 0, 0).is_none());
        assert!(Tile::new(22, (1 << 22) - 1, (1 << 22) - 1).is_some());
    }

    #[test]
    fn templates_need_each_placeholder_once_and_nothing_else() {
        let osm =
            TileTemplate::parse("https://tile.openstreetmap.org/{z}/{x}/{y}.png").expect("valid");
        assert_eq!(
            osm.url(Tile { z: 3, x: 5, y: 2 }),
            "https://tile.openstreetmap.org/3/5/2.png"
        );
        assert_eq!(osm.origin(), Some("https://tile.openstreetmap.org"));
        let local = TileTemplate::parse("/api/v1/tiles/{z}/{x}/{y}").expect("valid");
        assert_eq!(local.origin(), None);
        assert_eq!(
            TileTemplate::parse("http://tiles:8000/{z}/{x}/{y}")
                .map(|t| t.origin().map(str::to_owned)),
            Ok(Some("http://tiles:8000".to_owned()))
        );
        assert_eq!(
            TileTemplate::parse("tiles/{z}/{x}/{y}"),
            Err(TemplateError::NotAUrl)
        );
        assert_eq!(
            TileTemplate::parse("/t/{z}/{x}"),
            Err(TemplateError::Placeholders)
        );
        assert_eq!(
            TileTemplate::parse("https://{s}.tile.osm.org/{z}/{x}/{y}.png"),
            Err(TemplateError::OtherPlaceholder)
        );
    }

    proptest! {
        #[test]
        fn the_containing_tile_holds_the_point(
            lat in -85.0f64..85.0, lon in -180.0f64..179.999, z in 0u8..=MAX_ZOOM,
        ) {
            let p = point(lat, lon);
            let tile = Tile::containing(p, z);
            prop_assert!(Tile::new(u32::from(tile.z), tile.x, tile.y).is_some());
            let ((north, west), (south, east)) = tile.corners();
            let slack = 1e-6;
            prop_assert!(p.lat() <= north + slack && p.lat() >= south - slack, "{lat} in {north}..{south}");
            prop_assert!(p.lon() >= west - slack && p.lon() <= east + slack, "{lon} in {west}..{east}");
        }

        #[test]
        fn a_tile_has_one_url_and_back(z in 0u8..=MAX_ZOOM, x in any::<u32>(), y in any::<u32>()) {
            let side = 1u32 << z;
            let tile = Tile { z, x: x % side, y: y % side };
            let url = TileTemplate::parse("/api/v1/tiles/{z}/{x}/{y}").expect("valid").url(tile);
            let parts: Vec<u32> = url.trim_start_matches("/api/v1/tiles/").split('/')
                .map(|p| p.parse().expect("number")).collect();
            prop_assert_eq!(Tile::new(parts[0], parts[1], parts[2]), Some(tile));
        }
    }
}
