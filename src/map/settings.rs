//! The server's map settings (`GET /api/v1/map`) as this device last heard them, so a map
//! opens with no network over the tiles it kept.

use dvor_core::map::settings::MapSettings;

use crate::api::Api;
use crate::prefs;

const KEY: &str = "dvor.map.settings";

fn kept() -> Option<MapSettings> {
    prefs::read(KEY).and_then(|text| serde_json::from_str(&text).ok())
}

/// The settings a map is drawn with: those kept, asking the server again for the next map;
/// asked for first on a device that has none (OpenStreetMap's if the server cannot be
/// reached either).
pub async fn current(api: &Api) -> MapSettings {
    match kept() {
        Some(settings) => {
            let api = api.clone();
            leptos::task::spawn_local(async move {
                ask(&api).await;
            });
            settings
        }
        None => ask(api).await.unwrap_or_default(),
    }
}

async fn ask(api: &Api) -> Option<MapSettings> {
    let settings = api.map_settings().await.ok()?;
    if let Ok(text) = serde_json::to_string(&settings) {
        prefs::write(KEY, &text);
    }
    Some(settings)
}
