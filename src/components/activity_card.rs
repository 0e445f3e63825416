//! One activity in the list.

use leptos::prelude::*;

use crate::i18n::t;
use crate::store::{LocalActivity, SyncState};

/// A card with the activity's kind, date, place, counts and sync state.
#[component]
pub fn ActivityCard(record: LocalActivity) -> impl IntoView {
    let t = t();
    let LocalActivity { activity, state } = record;
    let (badge_class, badge) = match &state {
        SyncState::Synced => ("badge synced", t.badge_synced),
        SyncState::Pending | SyncState::Rejected { .. } => ("badge unsynced", t.badge_unsynced),
    };
    let rejection = match state {
        SyncState::Rejected { message, .. } => {
            Some(view! { <p class="card-error" role="alert">{message}</p> })
        }
        _ => None,
    };
    let measures = activity
        .measures
        .iter()
        .map(|(measure, count)| {
            view! {
                <li>
                    {(t.measure_label)(*measure)} ": " <strong>{(t.number)(i64::from(count.get()))}</strong> " "
                    {(t.measure_unit)(*measure)}
                </li>
            }
        })
        .collect_view();
    let date = activity.date;
    view! {
        <li class="card" data-id=activity.id.to_string()>
            <div class="card-head">
                <span class="card-kind">{(t.kind_name)(activity.kind)}</span>
                <span class=badge_class>{badge}</span>
            </div>
            <p class="card-date">{(t.date_long)(date.year(), date.month(), date.day())}</p>
            <p class="card-place">
                <span class="card-committee">{activity.committee.to_string()}</span>
                " · "
                <span>{activity.site_address.to_string()}</span>
            </p>
            <ul class="card-measures">{measures}</ul>
            {rejection}
        </li>
    }
}
