//! One activity in the list.

use leptos::prelude::*;

use dvor_core::access::{Action, Owner};
use dvor_core::id::RecordId;
use dvor_core::record::{AuthorId, RecordKind};
use leptos::task::spawn_local;

use crate::account::Account;
use crate::app::StoreHandle;
use crate::components::flash::Flash;
use crate::i18n::t;
use crate::records::{Records, save_edit};
use crate::store::{Edit, LocalActivity, SyncState};

/// A card with the activity's kind, date, place, counts and sync state.
#[component]
pub fn ActivityCard(record: LocalActivity) -> impl IntoView {
    let t = t();
    let LocalActivity {
        activity,
        author: record_author,
        state,
        ..
    } = record;
    let (badge_class, badge) = match &state {
        SyncState::Synced => ("badge synced", t.badge_synced),
        SyncState::Pending => ("badge unsynced", t.badge_unsynced),
        SyncState::Rejected { .. } => ("badge rejected", t.badge_rejected),
    };
    let id = activity.id;
    let owner = activity.owner;
    let account = expect_context::<Account>();
    let own = account
        .session
        .with_untracked(|s| s.as_ref().map(|s| AuthorId::user(s.me.id)))
        .is_some_and(|me| me == record_author);
    // Reactive: the reference data that places the record may arrive after the card is drawn.
    let may_edit = move || account.may(Action::Edit { own }, owner);
    let actions = move || {
        match &state {
        SyncState::Rejected { message, .. } => view! {
            <p class="card-error" role="alert">{message.clone()}</p>
            <div class="card-actions">
                <a class="button small" href=format!("/fix/{id}")>{t.fix}</a>
                <button type="button" class="button small danger" on:click=move |_| discard(id)>{t.discard}</button>
            </div>
        }
        .into_any(),
        _ if may_edit() => view! {
            <div class="card-actions">
                <a class="button small" href=format!("/edit/{id}")>{t.edit}</a>
                <button type="button" class="button small danger" on:click=move |_| delete(id, owner)>{t.delete}</button>
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    }
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
                <span class="card-kind">
                    {(t.kind_name)(activity.kind)}
                    {activity.variant.as_deref().and_then(t.variant_name).map(|name| format!(" · {name}"))}
                    {activity.youth.then(|| format!(" · {}", t.youth_mark))}
                </span>
                <span class=badge_class>{badge}</span>
            </div>
            <p class="card-date">{(t.date_long)(date.year(), date.month(), date.day())}</p>
            <p class="card-place">
                <span class="card-committee">{move || account.owner_name(owner)}</span>
                {activity.site_address.map(|address| view! { " · " <span>{address.to_string()}</span> })}
            </p>
            <ul class="card-measures">{measures}</ul>
            {actions}
        </li>
    }
}

/// Drops the refused changes of a record after the person confirms.
fn discard(id: RecordId) {
    if !confirmed(t().discard_confirm) {
        return;
    }
    let store = expect_context::<StoreHandle>();
    let records = expect_context::<Records>();
    spawn_local(async move {
        if let Err(error) = store.discard_rejected(id).await {
            records.error.set(Some(error.to_string()));
        }
        records.reload(&store).await;
    });
}

/// Deletes a record, here and, once synced, everywhere, after the person confirms.
fn delete(id: RecordId, owner: Owner) {
    if !confirmed(t().delete_confirm) {
        return;
    }
    let records = expect_context::<Records>();
    let flash = expect_context::<Flash>();
    let edit = Edit {
        id,
        kind: RecordKind::Activity,
        owner,
        values: Default::default(),
        deleted: Some(true),
    };
    let saved = save_edit(edit, false);
    spawn_local(async move {
        match saved.await {
            Ok(()) => flash.set(t().deleted_on_device),
            Err(message) => records.error.set(Some(message)),
        }
    });
}

fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
