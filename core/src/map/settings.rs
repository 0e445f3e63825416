//! What a server tells its devices about the map: where tiles come from and what they weigh.

use serde::{Deserialize, Serialize};

use crate::map::tiles::{TemplateError, TileTemplate};

/// OpenStreetMap's own tile server, the default for a city without one.
pub const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// The credit OpenStreetMap's licence asks for.
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";

/// The deepest zoom OpenStreetMap draws.
pub const OSM_MAX_ZOOM: u8 = 19;

/// What a street-map tile of a city weighs on average, for telling a download's size before
/// it starts when the tiles come from elsewhere.
pub const TYPICAL_TILE_BYTES: u32 = 15_000;

/// `GET /api/v1/map`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MapSettings {
    /// Where the tiles are.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"))]
    pub tiles: TileTemplate,
    /// The credit shown on the map, as plain text.
    pub attribution: String,
    /// The deepest zoom the tiles have; the map enlarges them past it.
    pub max_zoom: u8,
    /// What a tile weighs on average, in bytes.
    pub average_tile_bytes: u32,
}

impl Default for MapSettings {
    fn default() -> Self {
        Self {
            tiles: TileTemplate::parse(OSM_TILES).unwrap_or_else(|_| unreachable!("valid")),
            attribution: OSM_ATTRIBUTION.to_owned(),
            max_zoom: OSM_MAX_ZOOM,
            average_tile_bytes: TYPICAL_TILE_BYTES,
        }
    }
}

impl TryFrom<String> for TileTemplate {
    type Error = TemplateError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        TileTemplate::parse(&text)
    }
}

impl From<TileTemplate> for String {
    fn from(template: TileTemplate) -> Self {
        template.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_travel_as_json_and_bad_templates_do_not() {
        let settings = MapSettings::default();
        let json = serde_json::to_string(&settings).expect("serialises");
        assert!(json.contains(r#""tiles":"https://tile.openstreetmap.org/{z}/{x}/{y}.png""#));
        assert_eq!(
            serde_json::from_str::<MapSettings>(&json).ok(),
            Some(settings)
        );
        let bad = json.replace("{x}", "{s}");
        assert!(serde_json::from_str::<MapSettings>(&bad).is_err());
    }
}
