//! The map's filter panel — district, committee or centre, site kind, kind of work, period,
//! "no work since" and the heat layer — and the legend of the site kinds' colours.

use dvor_core::access::{DistrictId, Owner};
use dvor_core::activity::ActivityKind;
use dvor_core::map::sites::SiteFilter;
use dvor_core::site::SiteKind;
use leptos::prelude::*;

use crate::account::Account;
use crate::components::form_field::{CheckField, FormField, InputKind, SelectField};
use crate::i18n::t;

/// The filter as the panel's fields hold it.
#[derive(Clone, Copy, Debug)]
pub struct MapFilterFields {
    district: RwSignal<String>,
    owner: RwSignal<String>,
    site_kind: RwSignal<String>,
    kind: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    idle: RwSignal<String>,
    /// Whether the heat layer is on.
    pub heat: RwSignal<bool>,
}

impl MapFilterFields {
    /// Fields showing `filter`.
    pub fn new(filter: &SiteFilter, heat: bool) -> Self {
        let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
        Self {
            district: text(filter.district.map(|d| d.0.to_string())),
            owner: text(filter.owner.map(Owner::key)),
            site_kind: text(filter.site_kind.map(|k| k.key().to_owned())),
            kind: text(filter.activity_kind.map(|k| k.key().to_owned())),
            from: text(filter.from.map(|d| d.to_string())),
            to: text(filter.to.map(|d| d.to_string())),
            idle: text(filter.idle_since.map(|d| d.to_string())),
            heat: RwSignal::new(heat),
        }
    }

    /// The filter, read reactively.
    pub fn filter(&self) -> SiteFilter {
        SiteFilter {
            district: self.district.with(|d| d.parse().ok().map(DistrictId)),
            owner: self.owner.with(|o| Owner::from_key(o)),
            site_kind: self.site_kind.with(|k| k.parse().ok()),
            activity_kind: self.kind.with(|k| k.parse().ok()),
            from: self.from.with(|d| d.parse().ok()),
            to: self.to.with(|d| d.parse().ok()),
            idle_since: self.idle.with(|d| d.parse().ok()),
        }
    }

    fn clear(&self) {
        for field in [
            self.district,
            self.owner,
            self.site_kind,
            self.kind,
            self.from,
            self.to,
            self.idle,
        ] {
            field.set(String::new());
        }
        self.heat.set(false);
    }
}

/// The filter panel.
#[component]
pub fn MapFilters(fields: MapFilterFields) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let districts = Signal::derive(move || account.district_choices());
    // Only the district's committees and centres, once a district is chosen.
    let owners = Signal::derive(move || {
        account.owner_choices_in(fields.district.with(|d| d.parse().ok().map(DistrictId)))
    });
    let site_kinds = Signal::stored(
        SiteKind::ALL
            .iter()
            .map(|k| (k.key().to_owned(), (t.common.site_kind_name)(*k).to_owned()))
            .collect::<Vec<_>>(),
    );
    let kinds = Signal::stored(
        ActivityKind::all()
            .map(|k| (k.key().to_owned(), (t.common.kind_name)(k).to_owned()))
            .collect::<Vec<_>>(),
    );
    let active = move || fields.filter() != SiteFilter::default() || fields.heat.get();
    view! {
        <div class="filters map-filters">
            <details>
                <summary>{t.common.filters}</summary>
                <div class="filter-grid">
                    <SelectField id="map-district" label=t.common.field_district value=fields.district options=districts none=t.common.map_any />
                    <SelectField id="map-owner" label=t.common.field_committee value=fields.owner options=owners none=t.common.map_any />
                    <SelectField id="map-site-kind" label=t.common.field_site_kind value=fields.site_kind options=site_kinds none=t.common.map_any />
                    <SelectField id="map-kind" label=t.map.map_work_kind value=fields.kind options=kinds none=t.common.map_any />
                    <FormField id="map-from" label=t.common.field_from value=fields.from kind=InputKind::Date />
                    <FormField id="map-to" label=t.common.field_to value=fields.to kind=InputKind::Date />
                    <FormField id="map-idle" label=t.map.map_idle_since value=fields.idle kind=InputKind::Date />
                </div>
                <CheckField id="map-heat" label=t.map.map_heat value=fields.heat />
            </details>
            <Show when=active>
                <button type="button" class="button small" on:click=move |_| fields.clear()>{t.common.reset_filters}</button>
            </Show>
        </div>
    }
}

/// The colours of the site kinds.
#[component]
pub fn MapLegend() -> impl IntoView {
    let t = t();
    view! {
        <section class="legend" aria-label=t.map.map_legend>
            <h2 class="legend-title">{t.map.map_legend}</h2>
            <ul>
                {SiteKind::ALL
                    .iter()
                    .map(|kind| view! {
                        <li><span class=format!("dot pin-{}", kind.key()) aria-hidden="true"></span>{(t.common.site_kind_name)(*kind)}</li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
