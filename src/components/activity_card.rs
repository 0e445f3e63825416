//! One activity in the list.

use leptos::prelude::*;

use dvor_core::access::Action;
use dvor_core::id::RecordId;
use dvor_core::record::{AuthorId, RecordKind};
use leptos::task::spawn_local;

use crate::account::Account;
use crate::components::photo_view::PhotoImage;
use crate::components::sync_badge::SyncBadge;
use crate::dialog::confirmed;
use crate::i18n::t;
use crate::records::{Records, delete};
use crate::store::StoreHandle;
use crate::store::{LocalActivity, SyncState};

/// A card with the activity's kind, date, place, counts and sync state.
#[component]
pub fn ActivityCard(record: LocalActivity) -> impl IntoView {
    let t = t();
    let LocalActivity {
        record: activity,
        author: record_author,
        state,
        ..
    } = record;
    let badge = view! { <SyncBadge state=state.clone() photos=activity.photos.clone() /> };
    let id = activity.id;
    let owner = activity.owner;
    let account = expect_context::<Account>();
    let own = account
        .session
        .with_untracked(|s| s.as_ref().map(|s| AuthorId::user(s.me.id)))
        .is_some_and(|me| me == record_author);
    // Who logged it, when it was someone else and their name is known here.
    let logged_by = {
        let author = record_author.clone();
        move || {
            (!own)
                .then(|| account.authors.with(|names| names.get(&author).cloned()))
                .flatten()
                .map(|name| view! { <p class="card-author">{(t.records.logged_by)(&name)}</p> })
        }
    };
    // Reactive: the reference data that places the record may arrive after the card is drawn.
    // A memo, so the buttons are drawn again only when the answer changes: the account and the
    // reference data are read again after every sync, and a button rebuilt under a finger
    // loses the tap.
    let may_edit = Memo::new(move |_| account.may(Action::Edit { own }, owner));
    let actions = move || {
        match &state {
        SyncState::Rejected { message, .. } => view! {
            <p class="card-error" role="alert">{message.clone()}</p>
            <div class="card-actions">
                <a class="button small" href=format!("/fix/{id}")>{t.records.fix}</a>
                <button type="button" class="button small danger" on:click=move |_| discard(id)>{t.records.discard}</button>
            </div>
        }
        .into_any(),
        _ if may_edit.get() => view! {
            <div class="card-actions">
                <a class="button small" href=format!("/edit/{id}")>{t.common.edit}</a>
                <button type="button" class="button small danger" on:click=move |_| delete(id, RecordKind::Activity, owner)>{t.common.delete}</button>
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
                    {(t.common.measure_label)(*measure)} ": " <strong>{(t.common.number)(i64::from(count.get()))}</strong> " "
                    {(t.common.measure_unit)(*measure)}
                </li>
            }
        })
        .collect_view();
    let date = activity.date;
    let records = expect_context::<Records>();
    let site = activity.site.map(|site| {
        let name = move || {
            records.sites.with(|sites| {
                sites.iter().find(|s| s.record.id == site).map_or_else(
                    || t.records.site_unknown.to_owned(),
                    |s| s.record.name.to_string(),
                )
            })
        };
        view! { " · " <a class="card-site" href=format!("/sites/{site}")>{name}</a> }
    });
    // A club's meeting shows its club's name, once the club is in the list.
    let whole = activity.part_of.map(|whole| {
        move || {
            records.list.with(|list| {
                list.iter()
                    .find(|a| a.record.id == whole)
                    .and_then(|a| a.record.title.as_ref())
                    .map(|title| format!(" · «{title}»"))
            })
        }
    });
    let thumbs = (!activity.photos.is_empty()).then(|| {
        let thumbs = activity
            .photos
            .iter()
            .map(|photo| view! { <li><PhotoImage hash=photo.thumb alt=(t.common.photo_tag)(photo.tag) /></li> })
            .collect_view();
        view! { <ul class="thumbs small">{thumbs}</ul> }
    });
    view! {
        <li class="card" data-id=activity.id.to_string()>
            <div class="card-head">
                <span class="card-kind">
                    {(t.common.kind_name)(activity.kind)}
                    {activity.variant.as_deref().and_then(t.common.variant_name).map(|name| format!(" · {name}"))}
                    {activity.youth.then(|| format!(" · {}", t.records.youth_mark))}
                    {activity.title.as_ref().map(|title| format!(" «{title}»"))}
                    {whole}
                </span>
                {badge}
            </div>
            <p class="card-date">{t.date(date)}</p>
            <p class="card-place">
                <span class="card-committee">{move || account.owner_name(owner)}</span>
                {site}
                {activity.site_address.map(|address| view! { " · " <span>{address.to_string()}</span> })}
            </p>
            {logged_by}
            <ul class="card-measures">{measures}</ul>
            {thumbs}
            {actions}
        </li>
    }
}

/// Drops the refused changes of a record after the person confirms.
fn discard(id: RecordId) {
    if !confirmed(t().records.discard_confirm) {
        return;
    }
    let store = expect_context::<StoreHandle>();
    let records = expect_context::<Records>();
    spawn_local(async move {
        let discarded = match store.discard_rejected(id).await {
            Ok(()) => records.refresh(&store, id).await,
            Err(error) => Err(error),
        };
        if let Err(error) = discarded {
            records.error.set(Some(error.to_string()));
        }
    });
}
