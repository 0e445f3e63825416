//! A site's place on a map: a pin to drag, or to drop with a tap, and a GPS fix shown with its
//! accuracy circle. It writes the same location «Я здесь» does.

use dvor_core::geo::{Location, Point};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::i18n::t;
use crate::map::bindings;
use crate::map::leaflet::{LeafletMap, Listener, TileState, labels, mount, with_map};

/// The picker over `location`.
#[component]
pub fn LocationPicker(location: RwSignal<Option<Location>>) -> impl IntoView {
    let t = t();
    let container = NodeRef::<leptos::html::Div>::new();
    let failure = RwSignal::new(None::<String>);
    let tiles = RwSignal::new(TileState::Shown);
    let ready = RwSignal::new(false);
    // Whether the location last changed on the map itself, which shows it already.
    let from_map = StoredValue::new(false);
    let map = mount(
        container,
        failure,
        move |element, settings| {
            let on_pick = Closure::<dyn FnMut(f64, f64)>::new(move |lat: f64, lng: f64| {
                let Some(point) = Point::from_degrees(lat, lng) else {
                    return;
                };
                from_map.set_value(true);
                // A point of the person's choosing: no GPS accuracy, and any earlier
                // confirmation of a point outside the city is asked again.
                location.set(Some(Location {
                    point,
                    accuracy_m: None,
                    outside_city: false,
                }));
            });
            let settings = serde_json::to_string(settings).ok()?;
            let start = pin_json(location.get_untracked());
            LeafletMap::new(
                vec![Listener::new(on_pick), TileState::listener(tiles)],
                |l| {
                    bindings::create_picker(
                        element,
                        &settings,
                        &labels(),
                        &start,
                        l[0].function(),
                        l[1].function(),
                    )
                },
            )
        },
        move |_| ready.set(true),
    );
    Effect::new(move || {
        let current = location.get();
        if !ready.get() || std::mem::take(&mut *from_map.write_value()) {
            return;
        }
        with_map(map, |handle| match current {
            Some(l) => bindings::place_pin(
                handle,
                l.point.lat(),
                l.point.lon(),
                l.accuracy_m.map_or(-1.0, f64::from),
                true,
            ),
            None => bindings::clear_pin(handle),
        });
    });
    view! {
        <div class="map picker" node_ref=container data-testid="location-picker"></div>
        <p class="hint">{t.map.map_picker_hint}</p>
        {move || tiles.get().notice().map(|text| view! { <p class="notice map-notice">{text}</p> })}
        {move || failure.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
    }
}

/// The picker's starting pin, as `dvorMap.createPicker` reads it.
fn pin_json(location: Option<Location>) -> String {
    match location {
        Some(l) => format!(
            r#"{{"lat":{},"lng":{},"accuracy":{}}}"#,
            l.point.lat(),
            l.point.lon(),
            l.accuracy_m.map_or(-1.0, f64::from)
        ),
        None => "null".to_owned(),
    }
}
