//! The list's search and filters: words to find, and a panel narrowing by kind, committee or
//! centre, district, site, period, report figure and sync state. The terms are
//! `dvor_core::filter::ActivityFilter` (a report's figure links here with them in the address);
//! the sync state is the device's own.

use std::collections::HashMap;

use dvor_core::access::{DistrictId, Owner};
use dvor_core::activity::ActivityKind;
use dvor_core::filter::{ActivityFilter, Keeper};
use dvor_core::reference::owners;
use dvor_core::report::figures::{FIGURES, FigureSpec};
use leptos::prelude::*;

use crate::account::Account;
use crate::components::form_field::{FormField, InputKind, SelectField};
use crate::i18n::t;
use crate::records::Records;
use crate::store::{LocalActivity, SyncState};

/// What the person typed and chose, as the form's fields hold it.
#[derive(Clone, Copy, Debug)]
pub struct RecordsFilter {
    text: RwSignal<String>,
    kind: RwSignal<String>,
    owner: RwSignal<String>,
    district: RwSignal<String>,
    site: RwSignal<String>,
    figure: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    state: RwSignal<String>,
}

/// The sync states a person can filter by, by the select's value.
const STATES: [&str; 3] = ["pending", "synced", "rejected"];

impl RecordsFilter {
    /// The fields holding `terms` (nothing typed or chosen for the default).
    pub fn new(terms: &ActivityFilter) -> Self {
        let field = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
        Self {
            text: RwSignal::new(terms.text.clone()),
            kind: field(terms.kind.map(|k| k.key().to_owned())),
            owner: field(terms.owner.map(Owner::key)),
            district: field(terms.district.map(|d| d.0.to_string())),
            site: field(terms.site.map(|s| s.to_string())),
            figure: field(terms.figure.map(|f| f.key.to_owned())),
            from: field(terms.from.map(|d| d.to_string())),
            to: field(terms.to.map(|d| d.to_string())),
            state: RwSignal::new(String::new()),
        }
    }

    /// The terms, read reactively.
    fn terms(&self) -> ActivityFilter {
        ActivityFilter {
            kind: self.kind.with(|k| k.parse().ok()),
            owner: self.owner.with(|o| Owner::from_key(o)),
            district: self.district.with(|d| d.parse().ok().map(DistrictId)),
            site: self.site.with(|s| s.parse().ok()),
            figure: self.figure.with(|f| FigureSpec::by_key(f)),
            from: self.from.with(|d| d.parse().ok()),
            to: self.to.with(|d| d.parse().ok()),
            text: self.text.get(),
        }
    }

    /// Whether anything is typed or chosen.
    pub fn is_active(&self) -> bool {
        !self.terms().is_empty() || self.state.with(|s| !s.is_empty())
    }

    /// Whether anything is typed or chosen, read without tracking.
    fn is_active_untracked(&self) -> bool {
        untrack(|| self.is_active())
    }

    /// The positions in `list` of the records the filter shows.
    pub fn positions(&self, list: &[LocalActivity], account: Account) -> Vec<usize> {
        let terms = self.terms();
        let state = self.state.get();
        // Named and placed once here, not per record: a device may hold thousands.
        let names = account.owner_names();
        let districts: HashMap<Owner, DistrictId> = account.reference.with(|d| {
            owners(d)
                .into_iter()
                .map(|e| (e.owner, e.place.district))
                .collect()
        });
        list.iter()
            .enumerate()
            .filter(|(_, local)| {
                let owner = local.record.owner;
                let name = names
                    .get(&owner)
                    .cloned()
                    .unwrap_or_else(|| (t().common.unknown_owner)(owner));
                let keeper = Keeper {
                    name: &name,
                    district: districts.get(&owner).copied(),
                };
                state_matches(&state, &local.state) && terms.shows(&local.record, keeper, t())
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn clear(&self) {
        for field in [
            self.text,
            self.kind,
            self.owner,
            self.district,
            self.site,
            self.figure,
            self.from,
            self.to,
            self.state,
        ] {
            field.set(String::new());
        }
    }
}

impl Default for RecordsFilter {
    fn default() -> Self {
        Self::new(&ActivityFilter::default())
    }
}

fn state_matches(wanted: &str, state: &SyncState) -> bool {
    matches!(
        (wanted, state),
        ("", _)
            | ("pending", SyncState::Pending)
            | ("synced", SyncState::Synced)
            | ("rejected", SyncState::Rejected { .. })
    )
}

/// The search field and the filter panel.
#[component]
pub fn FilterBar(filter: RecordsFilter) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let kinds = Signal::stored(
        ActivityKind::all()
            .map(|k| (k.key().to_owned(), (t.common.kind_name)(k).to_owned()))
            .collect::<Vec<_>>(),
    );
    let owners = Signal::derive(move || {
        account
            .owners()
            .into_iter()
            .map(|entry| (entry.owner.key(), entry.name))
            .collect::<Vec<_>>()
    });
    let records = expect_context::<Records>();
    let sites = Signal::derive(move || {
        records.sites.with(|sites| {
            sites
                .iter()
                .map(|s| (s.record.id.to_string(), s.record.name.to_string()))
                .collect::<Vec<_>>()
        })
    });
    let districts = Signal::derive(move || account.district_choices());
    let figures = Signal::stored(
        FIGURES
            .iter()
            .filter(|f| f.counts_activities())
            .map(|f| (f.key.to_owned(), (t.common.report_figure)(f.key).to_owned()))
            .collect::<Vec<_>>(),
    );
    // Opened by a link with terms (a report's figure), the panel shows them.
    let open = filter.is_active_untracked();
    let states = Signal::stored(
        STATES
            .iter()
            .zip([
                t.common.badge_unsynced,
                t.common.badge_synced,
                t.common.badge_rejected,
            ])
            .map(|(value, name)| ((*value).to_owned(), name.to_owned()))
            .collect::<Vec<_>>(),
    );
    view! {
        <div class="filters">
            <FormField id="search" label=t.records.search value=filter.text placeholder=t.records.search_hint />
            <details open=open>
                <summary>{t.common.filters}</summary>
                <SelectField id="filter-figure" label=t.common.report_figure_choice value=filter.figure options=figures />
                <SelectField id="filter-kind" label=t.records.field_kind value=filter.kind options=kinds />
                <SelectField id="filter-district" label=t.common.field_district value=filter.district options=districts />
                <SelectField id="filter-owner" label=t.common.field_committee value=filter.owner options=owners />
                <SelectField id="filter-site" label=t.common.field_site value=filter.site options=sites />
                <div class="period">
                    <FormField id="filter-from" label=t.common.field_from value=filter.from kind=InputKind::Date />
                    <FormField id="filter-to" label=t.common.field_to value=filter.to kind=InputKind::Date />
                </div>
                <SelectField id="filter-state" label=t.records.field_state value=filter.state options=states />
            </details>
            <Show when=move || filter.is_active()>
                <button type="button" class="button small" on:click=move |_| filter.clear()>{t.common.reset_filters}</button>
            </Show>
        </div>
    }
}
