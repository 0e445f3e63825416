//! `/map`: the sites on a map, coloured by kind and clustered (points at one spot spread out
//! when their cluster is opened), narrowed by the filter panel, with a popup per site and an
//! optional heat layer of work done; the view and the filter live in the address, so a link
//! shows the same map. Areas can be kept for use with no network.

use std::collections::HashMap;

use dvor_core::access::{DistrictId, Owner};
use dvor_core::geo::Point;
use dvor_core::id::RecordId;
use dvor_core::map::link::MapView;
use dvor_core::map::settings::MapSettings;
use dvor_core::map::sites::{SiteSummary, position};
use dvor_core::reference::owners;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::account::Account;
use crate::components::area_downloads::AreaDownloads;
use crate::components::map_filters::{MapFilterFields, MapFilters, MapLegend};
use crate::components::photo_view::PhotoImage;
use crate::i18n::t;
use crate::map::bindings;
use crate::map::leaflet::{LeafletMap, Listener, TileState, labels, mount, with_map};
use crate::records::{Records, read_rest_when};

/// A site as the map draws it.
#[derive(Serialize)]
struct MapSite {
    id: String,
    name: String,
    kind: &'static str,
    lat: f64,
    lng: f64,
    outline: Option<Vec<[f64; 2]>>,
}

/// The map screen.
#[component]
pub fn MapPage() -> impl IntoView {
    let t = t();
    let records = expect_context::<Records>();
    let account = expect_context::<Account>();
    // Summaries need every activity, not only the first screen's.
    read_rest_when(|| true);
    let linked = use_query_map()
        .with_untracked(|q| MapView::from_query(q.latest_values().map(|(k, v)| (k.as_ref(), v))));
    let fields = MapFilterFields::new(&linked.filter, linked.heat);
    let filter = Memo::new(move |_| fields.filter());
    let at = RwSignal::new((linked.centre, linked.zoom));
    let navigate = use_navigate();
    Effect::new(move || {
        let (centre, zoom) = at.get();
        let view = MapView {
            centre,
            zoom,
            filter: filter.get(),
            heat: fields.heat.get(),
        };
        let query: Vec<String> = view
            .to_query()
            .into_iter()
            .map(|(key, value)| format!("{key}={}", js_sys::encode_uri_component(&value)))
            .collect();
        navigate(
            &format!("/map?{}", query.join("&")),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });

    let districts: Memo<HashMap<Owner, DistrictId>> = Memo::new(move |_| {
        account.reference.with(|d| {
            owners(d)
                .into_iter()
                .map(|entry| (entry.owner, entry.place.district))
                .collect()
        })
    });
    let summaries: Memo<HashMap<RecordId, SiteSummary>> = Memo::new(move |_| {
        filter.with(|f| {
            records
                .list
                .with(|list| f.summarize(list.iter().map(|l| &l.record)))
        })
    });
    // The sites shown, with where the map puts them.
    let shown = Memo::new(move |_| {
        let filter = filter.get();
        records.sites.with(|sites| {
            summaries.with(|summaries| {
                districts.with(|districts| {
                    sites
                        .iter()
                        .filter(|l| {
                            let site = &l.record;
                            filter.shows(
                                site,
                                districts.get(&site.owner).copied(),
                                summaries.get(&site.id),
                            )
                        })
                        .filter_map(|l| Some((l.record.clone(), position(&l.record)?)))
                        .collect::<Vec<_>>()
                })
            })
        })
    });
    let unplaced = Memo::new(move |_| {
        records.sites.with(|sites| {
            sites
                .iter()
                .filter(|l| position(&l.record).is_none())
                .count()
        })
    });

    let container = NodeRef::<leptos::html::Div>::new();
    let popup = NodeRef::<leptos::html::Div>::new();
    let ready = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let tiles = RwSignal::new(TileState::Shown);
    let selected = RwSignal::new(None::<RecordId>);
    let settings = RwSignal::new(None::<MapSettings>);
    let view = linked.centre.zip(linked.zoom);
    let map = mount(
        container,
        failure,
        move |element, current| make_map(element, current, view, at, tiles, selected, popup),
        move |current| {
            settings.set(Some(current));
            ready.set(true);
        },
    );
    let fitted = StoredValue::new(linked.centre.is_some());
    // What the map was last given: the same sites again would only rebuild its clusters.
    let given = StoredValue::new(String::new());
    Effect::new(move || {
        if !ready.get() {
            return;
        }
        let sites: Vec<MapSite> = shown.with(|shown| shown.iter().map(map_site).collect());
        let json = serde_json::to_string(&sites).unwrap_or_else(|_| "[]".to_owned());
        if given.with_value(|g| *g == json) {
            return;
        }
        given.set_value(json.clone());
        let fit = !fitted.get_value() && !sites.is_empty();
        fitted.set_value(fitted.get_value() || fit);
        with_map(map, |handle| bindings::set_sites(handle, &json, fit));
    });
    Effect::new(move || {
        if !ready.get() {
            return;
        }
        let points = fields.heat.get().then(|| {
            shown.with(|shown| {
                summaries.with(|summaries| {
                    shown
                        .iter()
                        .filter_map(|(site, point)| {
                            let works = summaries.get(&site.id)?.in_period;
                            (works > 0).then(|| [point.lat(), point.lon(), f64::from(works)])
                        })
                        .collect::<Vec<_>>()
                })
            })
        });
        let json = serde_json::to_string(&points).unwrap_or_else(|_| "null".to_owned());
        with_map(map, |handle| bindings::set_heat(handle, &json));
    });

    view! {
        <section class="page map-page">
            <h1>{t.map.map_title}</h1>
            <MapFilters fields />
            {move || failure.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
            {move || tiles.get().notice().map(|text| view! { <p class="notice map-notice" role="status">{text}</p> })}
            <p class="map-count" data-testid="map-count" role="status">
                {move || (t.map.map_shown)(shown.with(Vec::len), records.sites.with(Vec::len))}
                {move || match unplaced.get() {
                    0 => None,
                    n => Some(format!(" · {}", (t.map.map_unplaced)(n))),
                }}
            </p>
            <div class="map" node_ref=container data-testid="map">
                <Show when=move || !ready.get() && failure.with(Option::is_none)>
                    <p class="map-loading">{t.map.map_loading}</p>
                </Show>
            </div>
            <MapLegend />
            {move || settings.get().map(|settings| view! { <AreaDownloads settings /> })}
            <div class="popup-host" hidden>
                <div class="site-popup" node_ref=popup>
                    {move || selected.get().map(|id| view! { <SitePopup id summaries period=filter.with(|f| f.has_period()) /> })}
                </div>
            </div>
        </section>
    }
}

/// Makes the map with its listeners.
fn make_map(
    element: &web_sys::HtmlDivElement,
    settings: &MapSettings,
    view: Option<(Point, u8)>,
    at: RwSignal<(Option<Point>, Option<u8>)>,
    tiles: RwSignal<TileState>,
    selected: RwSignal<Option<RecordId>>,
    popup: NodeRef<leptos::html::Div>,
) -> Option<LeafletMap> {
    let settings_json = serde_json::to_string(settings).ok()?;
    let view_json = match view {
        Some((centre, zoom)) => format!(
            r#"{{"lat":{},"lng":{},"zoom":{zoom}}}"#,
            centre.lat(),
            centre.lon()
        ),
        None => "null".to_owned(),
    };
    let on_move = Closure::<dyn FnMut(f64, f64, f64)>::new(move |lat: f64, lng: f64, zoom: f64| {
        at.set((Point::from_degrees(lat, lng), Some(zoom as u8)));
    });
    // The map's handle, for the popup: known once the map is made, after its listeners are.
    let handle_slot = std::rc::Rc::new(std::cell::RefCell::new(None::<bindings::MapHandle>));
    let slot = handle_slot.clone();
    let on_site = Closure::<dyn FnMut(String)>::new(move |id: String| {
        let Ok(id) = id.parse::<RecordId>() else {
            return;
        };
        selected.set(Some(id));
        // Once the popup's contents are drawn for this site.
        let slot = slot.clone();
        request_animation_frame(move || {
            if let (Some(element), Some(handle)) = (popup.get_untracked(), slot.borrow().as_ref()) {
                bindings::open_popup(handle, &id.to_string(), &element);
            }
        });
    });
    let made = LeafletMap::new(
        vec![
            Listener::new(on_move),
            Listener::new(on_site),
            TileState::listener(tiles),
        ],
        |l| {
            bindings::create_map(
                element,
                &settings_json,
                &labels(),
                &view_json,
                l[0].function(),
                l[1].function(),
                l[2].function(),
            )
        },
    )?;
    handle_slot.replace(Some(made.handle().clone()));
    Some(made)
}

fn map_site((site, point): &(dvor_core::site::Site, Point)) -> MapSite {
    MapSite {
        id: site.id.to_string(),
        name: site.name.to_string(),
        kind: site.site_kind.key(),
        lat: point.lat(),
        lng: point.lon(),
        outline: site
            .outline
            .as_ref()
            .map(|corners| corners.iter().map(|p| [p.lat(), p.lon()]).collect()),
    }
}

/// What a site's popup says: name (to its page), kind, latest work, the period's work and a
/// photo — its own, else one of its latest work.
#[component]
fn SitePopup(
    id: RecordId,
    summaries: Memo<HashMap<RecordId, SiteSummary>>,
    /// Whether the filter narrows work to a period.
    period: bool,
) -> impl IntoView {
    let t = t();
    let records = expect_context::<Records>();
    let site = records.sites.with_untracked(|sites| {
        sites
            .iter()
            .find(|l| l.record.id == id)
            .map(|l| l.record.clone())
    });
    let Some(site) = site else {
        return ().into_any();
    };
    let summary = summaries
        .with_untracked(|s| s.get(&id).cloned())
        .unwrap_or_default();
    let last = match summary.last {
        Some((date, kind)) => (t.map.map_last_work)(&t.date(date), (t.common.kind_name)(kind)),
        None => t.map.map_never_worked.to_owned(),
    };
    let totals: Vec<String> = summary
        .totals
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(measure, n)| {
            format!(
                "{}: {}",
                (t.common.measure_label)(*measure),
                (t.common.number)(*n as i64)
            )
        })
        .collect();
    let photo = site
        .photos
        .first()
        .copied()
        .or(summary.photo.map(|(_, p)| p))
        .map(|photo| {
            view! { <PhotoImage hash=photo.thumb alt=site.name.to_string() class="popup-photo" /> }
        });
    view! {
        {photo}
        <a class="popup-name" href=format!("/sites/{id}")>{site.name.to_string()}</a>
        <p class="popup-kind">{(t.common.site_kind_name)(site.site_kind)}</p>
        <p class="popup-last">{last}</p>
        <p class="popup-works">{(t.map.map_works)(summary.in_period, period)}</p>
        {(!totals.is_empty()).then(|| view! {
            <ul class="popup-totals">{totals.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
        })}
        <a class="button small" href=format!("/sites/{id}")>{t.map.map_open_site}</a>
    }
    .into_any()
}
