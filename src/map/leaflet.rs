//! A Leaflet map owned by a screen: made over an element, told what to show, and removed with
//! every listener when the screen goes.

use std::any::Any;

use dvor_core::map::settings::MapSettings;
use js_sys::Function;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::bindings::{self, MapHandle};
use crate::api::Api;
use crate::i18n::t;

/// Where a screen keeps its map: dropped, and so removed, with the screen.
pub type MapSlot = StoredValue<Option<LeafletMap>, LocalStorage>;

/// Makes a screen's map once `container` is on the page: loads the map code and the settings,
/// makes the map with `make`, keeps it in the slot it returns and calls `ready` with the
/// settings; a failure is set in `failure`, in the person's words.
pub fn mount(
    container: NodeRef<leptos::html::Div>,
    failure: RwSignal<Option<String>>,
    make: impl Fn(&web_sys::HtmlDivElement, &MapSettings) -> Option<LeafletMap> + 'static,
    ready: impl Fn(MapSettings) + 'static,
) -> MapSlot {
    let slot: MapSlot = StoredValue::new_local(None);
    let api = expect_context::<Api>();
    let make = std::rc::Rc::new(make);
    let ready = std::rc::Rc::new(ready);
    let started = StoredValue::new(false);
    Effect::new(move || {
        let Some(element) = container.get() else {
            return;
        };
        if started.get_value() {
            return;
        }
        started.set_value(true);
        let (api, make, ready) = (api.clone(), make.clone(), ready.clone());
        spawn_local(async move {
            if let Err(message) = super::assets::load().await {
                failure.set(Some(message));
                return;
            }
            let settings = super::settings::current(&api).await;
            match make(&element, &settings) {
                // The screen may have gone while the map loaded: then the map goes too.
                Some(map) => {
                    if slot.try_set_value(Some(map)).is_none() {
                        ready(settings);
                    }
                }
                None => failure.set(Some(t().map.map_unavailable.to_owned())),
            }
        });
    });
    on_cleanup(move || slot.set_value(None));
    slot
}

/// The words of a map's own controls, as `dvorMap` reads them.
pub fn labels() -> String {
    let t = t();
    serde_json::json!({
        "zoom_in": t.map.map_zoom_in,
        "zoom_out": t.map.map_zoom_out,
        "close": t.map.map_close,
        "pin": t.map.map_pin,
    })
    .to_string()
}

/// Calls `f` with the map in `slot`, if it is made.
pub fn with_map(slot: MapSlot, f: impl FnOnce(&MapHandle)) {
    slot.with_value(|map| {
        if let Some(map) = map {
            f(map.handle());
        }
    });
}

/// A map and the callbacks it calls; dropping it removes the map.
pub struct LeafletMap {
    handle: MapHandle,
    // Kept alive for as long as the map may call them.
    _listeners: Vec<Box<dyn Any>>,
}

/// A callback the map calls.
pub struct Listener {
    function: Function,
    closure: Box<dyn Any>,
}

impl Listener {
    /// Wraps `closure` (a `Closure<dyn FnMut(…)>`) for the map.
    pub fn new<T: ?Sized + 'static>(closure: Closure<T>) -> Self {
        Self {
            function: closure.as_ref().unchecked_ref::<Function>().clone(),
            closure: Box::new(closure),
        }
    }

    /// The JS function.
    pub fn function(&self) -> &Function {
        &self.function
    }
}

impl LeafletMap {
    /// A map made by `make` from the `listeners` it is given; `None` if Leaflet threw.
    pub fn new(
        listeners: Vec<Listener>,
        make: impl FnOnce(&[Listener]) -> Result<MapHandle, JsValue>,
    ) -> Option<Self> {
        match make(&listeners) {
            Ok(handle) => Some(Self {
                handle,
                _listeners: listeners.into_iter().map(|l| l.closure).collect(),
            }),
            Err(error) => {
                web_sys::console::error_2(&"map failed".into(), &error);
                None
            }
        }
    }

    /// The map, for the bindings.
    pub fn handle(&self) -> &MapHandle {
        &self.handle
    }
}

impl Drop for LeafletMap {
    fn drop(&mut self) {
        bindings::destroy(&self.handle);
    }
}

/// How the street map under a map is doing, as its last round of tiles went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TileState {
    /// Every tile came.
    #[default]
    Shown,
    /// Some came, some could not (no network, not kept).
    Partly,
    /// None came: the map shows its layers on a plain background.
    Missing,
}

impl TileState {
    /// The state after `loaded` tiles came and `failed` did not.
    pub fn of(loaded: f64, failed: f64) -> Self {
        match (loaded > 0.0, failed > 0.0) {
            (_, false) => TileState::Shown,
            (true, true) => TileState::Partly,
            (false, true) => TileState::Missing,
        }
    }

    /// The listener a map tells how its tiles went, kept in `state`.
    pub fn listener(state: RwSignal<TileState>) -> Listener {
        Listener::new(Closure::<dyn FnMut(f64, f64)>::new(
            move |loaded: f64, failed: f64| state.set(TileState::of(loaded, failed)),
        ))
    }

    /// What to tell the person, if anything.
    pub fn notice(self) -> Option<&'static str> {
        match self {
            TileState::Shown => None,
            TileState::Partly => Some(crate::i18n::t().map.map_some_tiles),
            TileState::Missing => Some(crate::i18n::t().map.map_no_tiles),
        }
    }
}
