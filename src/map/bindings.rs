//! The functions of `public/map/dvor-map.js` (`window.dvorMap`) and `public/tile-cache.js`
//! (`window.dvorTiles`), callable once [`super::assets::load`] has loaded them. Data cross as
//! JSON text.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A map or a location picker made by `dvorMap`.
    #[derive(Clone)]
    pub type MapHandle;

    /// A map of sites in `element` over the tiles of `settings`, its controls named by
    /// `labels` (see [`super::leaflet::labels`]), at `view` (`{lat, lng, zoom}` or `null`).
    #[wasm_bindgen(catch, js_namespace = dvorMap, js_name = create)]
    pub fn create_map(
        element: &web_sys::HtmlElement,
        settings: &str,
        labels: &str,
        view: &str,
        on_move: &Function,
        on_site: &Function,
        on_tiles: &Function,
    ) -> Result<MapHandle, JsValue>;

    /// Shows `sites` (`[{id, name, kind, lat, lng, outline}]`), fitting the view to them if
    /// `fit`.
    #[wasm_bindgen(js_namespace = dvorMap, js_name = setSites)]
    pub fn set_sites(handle: &MapHandle, sites: &str, fit: bool);

    /// Opens a popup holding `element` over site `id`.
    #[wasm_bindgen(js_namespace = dvorMap, js_name = openPopup)]
    pub fn open_popup(handle: &MapHandle, id: &str, element: &web_sys::HtmlElement);

    /// Draws `points` (`[[lat, lng, weight]]`) as heat, or takes the heat away (`null`).
    #[wasm_bindgen(js_namespace = dvorMap, js_name = setHeat)]
    pub fn set_heat(handle: &MapHandle, points: &str);

    /// A location picker in `element`, its pin at `point` (`{lat, lng, accuracy}` or `null`).
    #[wasm_bindgen(catch, js_namespace = dvorMap, js_name = createPicker)]
    pub fn create_picker(
        element: &web_sys::HtmlElement,
        settings: &str,
        labels: &str,
        point: &str,
        on_pick: &Function,
        on_tiles: &Function,
    ) -> Result<MapHandle, JsValue>;

    /// Puts the picker's pin at a point with an accuracy circle (none if negative).
    #[wasm_bindgen(js_namespace = dvorMap, js_name = placePin)]
    pub fn place_pin(handle: &MapHandle, lat: f64, lng: f64, accuracy: f64, pan: bool);

    /// Takes the picker's pin away.
    #[wasm_bindgen(js_namespace = dvorMap, js_name = clearPin)]
    pub fn clear_pin(handle: &MapHandle);

    /// Fits the map to its box after the box changed size.
    #[wasm_bindgen(js_namespace = dvorMap)]
    pub fn resize(handle: &MapHandle);

    /// Removes the map and everything it listens to.
    #[wasm_bindgen(js_namespace = dvorMap)]
    pub fn destroy(handle: &MapHandle);

    /// Downloads tiles `urls` as area `name`; resolves to `{tiles, bytes}`.
    #[wasm_bindgen(js_namespace = dvorTiles)]
    pub fn download(
        name: &str,
        urls: &Array,
        on_progress: &Function,
        signal: &web_sys::AbortSignal,
    ) -> Promise;

    /// Removes every kept tile.
    #[wasm_bindgen(js_namespace = dvorTiles)]
    pub fn forget() -> Promise;
}
