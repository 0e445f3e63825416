//! The list's search and filters: words to find, and a panel narrowing by kind, committee or
//! centre, site, period and sync state. The terms are `dvor_core::filter::ActivityFilter`; the sync
//! state is the device's own.

use dvor_core::access::Owner;
use dvor_core::activity::ActivityKind;
use dvor_core::filter::ActivityFilter;
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
    site: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    state: RwSignal<String>,
}

/// The sync states a person can filter by, by the select's value.
const STATES: [&str; 3] = ["pending", "synced", "rejected"];

impl RecordsFilter {
    /// Nothing typed or chosen.
    pub fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            kind: RwSignal::new(String::new()),
            owner: RwSignal::new(String::new()),
            site: RwSignal::new(String::new()),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            state: RwSignal::new(String::new()),
        }
    }

    /// The terms, read reactively.
    fn terms(&self) -> ActivityFilter {
        ActivityFilter {
            kind: self.kind.with(|k| k.parse().ok()),
            owner: self.owner.with(|o| Owner::from_key(o)),
            site: self.site.with(|s| s.parse().ok()),
            from: self.from.with(|d| d.parse().ok()),
            to: self.to.with(|d| d.parse().ok()),
            text: self.text.get(),
        }
    }

    /// Whether anything is typed or chosen.
    pub fn is_active(&self) -> bool {
        !self.terms().is_empty() || self.state.with(|s| !s.is_empty())
    }

    /// The positions in `list` of the records the filter shows.
    pub fn positions(&self, list: &[LocalActivity], account: Account) -> Vec<usize> {
        let terms = self.terms();
        let state = self.state.get();
        // Named once here, not per record: a device may hold thousands.
        let names = account.owner_names();
        list.iter()
            .enumerate()
            .filter(|(_, local)| {
                let owner = local.record.owner;
                let name = names
                    .get(&owner)
                    .cloned()
                    .unwrap_or_else(|| (t().unknown_owner)(owner));
                state_matches(&state, &local.state) && terms.shows(&local.record, &name, t())
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn clear(&self) {
        for field in [
            self.text, self.kind, self.owner, self.site, self.from, self.to, self.state,
        ] {
            field.set(String::new());
        }
    }
}

impl Default for RecordsFilter {
    fn default() -> Self {
        Self::new()
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
            .map(|k| (k.key().to_owned(), (t.kind_name)(k).to_owned()))
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
    let states = Signal::stored(
        STATES
            .iter()
            .zip([t.badge_unsynced, t.badge_synced, t.badge_rejected])
            .map(|(value, name)| ((*value).to_owned(), name.to_owned()))
            .collect::<Vec<_>>(),
    );
    view! {
        <div class="filters">
            <FormField id="search" label=t.search value=filter.text placeholder=t.search_hint />
            <details>
                <summary>{t.filters}</summary>
                <SelectField id="filter-kind" label=t.field_kind value=filter.kind options=kinds />
                <SelectField id="filter-owner" label=t.field_committee value=filter.owner options=owners />
                <SelectField id="filter-site" label=t.field_site value=filter.site options=sites />
                <div class="period">
                    <FormField id="filter-from" label=t.field_from value=filter.from kind=InputKind::Date />
                    <FormField id="filter-to" label=t.field_to value=filter.to kind=InputKind::Date />
                </div>
                <SelectField id="filter-state" label=t.field_state value=filter.state options=states />
            </details>
            <Show when=move || filter.is_active()>
                <button type="button" class="button small" on:click=move |_| filter.clear()>{t.reset_filters}</button>
            </Show>
        </div>
    }
}
