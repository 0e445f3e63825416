//! Where a site is: «Я здесь» takes the point from GPS with its accuracy shown — at once, for a
//! site made on the spot — or the person places it on the map; a point outside the city is kept
//! only when the person ticks that it is right.

use dvor_core::geo::{CITY_BOUNDS, Location};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::location_picker::LocationPicker;
use crate::geolocation::locate;
use crate::i18n::t;

/// The location field.
#[component]
pub fn LocationField(
    /// The point, if there is one.
    location: RwSignal<Option<Location>>,
    /// The error to show, if any.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
    /// Whether to ask for the point as the field opens, when it has none: the person is at the
    /// site, making it while logging work there.
    #[prop(optional)]
    at_once: bool,
) -> impl IntoView {
    let t = t();
    let locating = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let locate_me = move || {
        locating.set(true);
        failure.set(None);
        spawn_local(async move {
            match locate().await {
                Ok(found) => location.set(Some(found)),
                Err(reason) => failure.set(Some((t.sites.location_failed)(&reason))),
            }
            locating.set(false);
        });
    };
    if at_once && location.with_untracked(Option::is_none) {
        locate_me();
    }
    let outside = move || location.with(|l| l.is_some_and(|l| !CITY_BOUNDS.contains(l.point)));
    let shown = move || match location.get() {
        Some(l) => (t.sites.location_shown)(l.point.lat(), l.point.lon(), l.accuracy_m),
        None => t.sites.no_location.to_owned(),
    };
    view! {
        <fieldset class="field location" class:invalid=move || error.with(Option::is_some) id="location">
            <legend>{t.sites.field_location}</legend>
            <p class="location-text" data-testid="location">{shown}</p>
            <div class="photo-buttons">
                <button type="button" class="button" disabled=move || locating.get() on:click=move |_| locate_me()>
                    {move || if locating.get() { t.sites.locating } else { t.sites.locate_me }}
                </button>
                <Show when=move || location.with(Option::is_some)>
                    <button type="button" class="button" on:click=move |_| location.set(None)>{t.sites.clear_location}</button>
                </Show>
            </div>
            <LocationPicker location />
            <Show when=outside>
                <div class="field check">
                    <input
                        id="outside_city"
                        type="checkbox"
                        prop:checked=move || location.with(|l| l.is_some_and(|l| l.outside_city))
                        on:change=move |ev| {
                            let confirmed = event_target_checked(&ev);
                            location.update(|l| if let Some(l) = l { l.outside_city = confirmed });
                        }
                    />
                    <label for="outside_city">{t.sites.confirm_outside_city}</label>
                </div>
            </Show>
            {move || failure.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
            {move || error.get().map(|message| view! { <p class="field-error">{message}</p> })}
        </fieldset>
    }
}
