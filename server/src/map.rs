//! What devices are told about the map, from the configuration and the MBTiles file.

use dvor_core::map::settings::{MapSettings, OSM_MAX_ZOOM};
use dvor_core::map::tiles::TileTemplate;

use crate::config::Config;
use crate::db::mbtiles::MbTiles;

/// Where this server serves tiles from an MBTiles file.
pub const LOCAL_TILES: &str = "/api/v1/tiles/{z}/{x}/{y}";

/// The map settings of a server configured as `config`, serving `mbtiles` if it has a file.
pub fn settings(config: &Config, mbtiles: Option<&MbTiles>) -> MapSettings {
    let defaults = MapSettings::default();
    let local = TileTemplate::parse(LOCAL_TILES).ok();
    let tiles = config
        .tile_url
        .clone()
        .or_else(|| mbtiles.and(local.clone()))
        .unwrap_or_else(|| defaults.tiles.clone());
    // What the file says of itself holds only when devices are sent to it.
    let from_file = mbtiles.filter(|_| Some(&tiles) == local.as_ref());
    let is_osm = tiles == defaults.tiles;
    let attribution = config
        .tile_attribution
        .clone()
        .or_else(|| from_file.and_then(|f| f.attribution.clone()))
        .or_else(|| is_osm.then(|| defaults.attribution.clone()))
        .unwrap_or_default();
    MapSettings {
        tiles,
        attribution,
        max_zoom: from_file.and_then(|f| f.max_zoom).unwrap_or(OSM_MAX_ZOOM),
        average_tile_bytes: from_file
            .and_then(|f| f.average_bytes)
            .filter(|bytes| *bytes > 0)
            .unwrap_or(defaults.average_tile_bytes),
    }
}
