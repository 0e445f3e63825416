//! Downloading the map of a person's area for use with no network: which areas they may take
//! (their committees', centres', districts' or the city's), what each weighs, the download
//! with its progress, and what the device has kept.

use std::collections::BTreeMap;

use dvor_core::access::Scope;
use dvor_core::map::area::{AreaPlan, MAX_TILES, WANTED_ZOOM, area_of};
use dvor_core::map::settings::MapSettings;
use dvor_core::map::sites::position;
use dvor_core::reference::District;
use dvor_core::reference::owner_entry;
use js_sys::{Array, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::bindings;
use crate::i18n::t;
use crate::prefs;
use crate::store::LocalSite;

const KEY: &str = "dvor.map.areas";

/// An area a person may download.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaChoice {
    /// Names the area's tiles on the device.
    pub key: String,
    /// The committee, centre, district or city, as the person reads it.
    pub name: String,
    /// Its tiles, or `None` when it has no located site to download around.
    pub plan: Option<AreaPlan>,
}

/// A download the device keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptArea {
    /// Tiles kept.
    pub tiles: u32,
    /// Their weight, in bytes.
    pub bytes: u64,
    /// When it finished, in ms since the epoch.
    pub at_ms: u64,
}

/// The areas of the person's roles, once each.
pub fn choices(
    scopes: impl IntoIterator<Item = Scope>,
    districts: &[District],
    sites: &[LocalSite],
    settings: &MapSettings,
) -> Vec<AreaChoice> {
    let located: Vec<_> = sites
        .iter()
        .filter_map(|local| {
            let site = &local.record;
            Some((owner_entry(districts, site.owner)?.place, position(site)?))
        })
        .collect();
    let wanted = WANTED_ZOOM.min(settings.max_zoom);
    let mut seen = Vec::new();
    scopes
        .into_iter()
        .filter(|scope| {
            let new = !seen.contains(scope);
            seen.push(*scope);
            new
        })
        .map(|scope| AreaChoice {
            key: scope_key(scope),
            name: scope_name(scope, districts),
            plan: area_of(scope, located.iter().copied())
                .and_then(|bounds| AreaPlan::fit(bounds, wanted, MAX_TILES)),
        })
        .collect()
}

fn scope_key(scope: Scope) -> String {
    match scope {
        Scope::Committee(id) => format!("committee-{}", id.0),
        Scope::Centre(id) => format!("centre-{}", id.0),
        Scope::District(id) => format!("district-{}", id.0),
        Scope::City => "city".to_owned(),
    }
}

fn scope_name(scope: Scope, districts: &[District]) -> String {
    let t = t();
    let owner = |owner| owner_entry(districts, owner).map(|entry| entry.name);
    match scope {
        Scope::Committee(id) => owner(dvor_core::access::Owner::Committee(id)),
        Scope::Centre(id) => owner(dvor_core::access::Owner::Centre(id)),
        Scope::District(id) => districts
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name.clone()),
        Scope::City => Some(t.map.map_whole_city.to_owned()),
    }
    .unwrap_or_else(|| t.map.map_unknown_area.to_owned())
}

/// The downloads the device keeps, by area key.
pub fn kept() -> BTreeMap<String, KeptArea> {
    prefs::read(KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn keep(all: &BTreeMap<String, KeptArea>) {
    if let Ok(text) = serde_json::to_string(all) {
        prefs::write(KEY, &text);
    }
}

/// Downloads `choice`'s tiles from `settings`' server, telling `progress(done, total, bytes)`
/// tile by tile; `signal` cancels. What was kept of the area before stays until this finishes.
pub async fn download(
    choice: &AreaChoice,
    settings: &MapSettings,
    progress: impl Fn(u32, u32, u64) + 'static,
    signal: &web_sys::AbortSignal,
    now_ms: u64,
) -> Result<KeptArea, String> {
    let plan = choice
        .plan
        .ok_or_else(|| t().map.map_area_empty.to_owned())?;
    let urls: Array = plan
        .tiles()
        .map(|tile| JsValue::from(settings.tiles.url(tile)))
        .collect();
    let listener =
        Closure::<dyn FnMut(f64, f64, f64)>::new(move |done: f64, total: f64, bytes: f64| {
            progress(done as u32, total as u32, bytes as u64)
        });
    let result = JsFuture::from(bindings::download(
        &choice.key,
        &urls,
        listener.as_ref().unchecked_ref(),
        signal,
    ))
    .await;
    drop(listener);
    let done = result.map_err(|_| {
        if signal.aborted() {
            t().map.map_download_cancelled.to_owned()
        } else {
            t().map.map_download_failed.to_owned()
        }
    })?;
    let number = |name: &str| {
        Reflect::get(&done, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    let area = KeptArea {
        tiles: number("tiles") as u32,
        bytes: number("bytes") as u64,
        at_ms: now_ms,
    };
    let mut all = kept();
    all.insert(choice.key.clone(), area);
    keep(&all);
    Ok(area)
}

/// Removes every kept tile, downloaded or seen.
pub async fn forget() -> Result<(), String> {
    JsFuture::from(bindings::forget())
        .await
        .map_err(|_| t().map.map_forget_failed.to_owned())?;
    keep(&BTreeMap::new());
    Ok(())
}
