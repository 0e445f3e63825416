//! `/sites/:id`: a site with its place, the work done there, newest first, and every photo of
//! it and of that work.

use dvor_core::access::Action;
use dvor_core::photo::PhotoRef;
use dvor_core::record::{AuthorId, RecordKind};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::account::Account;
use crate::components::activity_card::ActivityCard;
use crate::components::flash::FlashMessage;
use crate::components::photo_view::PhotoImage;
use crate::components::sync_badge::SyncBadge;
use crate::i18n::t;
use crate::pages::not_found::NotFound;
use crate::records::{Records, delete, read_rest_when};
use crate::store::LocalSite;

/// The site page.
#[component]
pub fn SitePage() -> impl IntoView {
    let params = use_params_map();
    let records = expect_context::<Records>();
    let found = Memo::new(move |_| {
        let id = params.read().get("id")?;
        records.sites.with(|sites| {
            sites
                .iter()
                .find(|s| s.record.id.to_string() == id)
                .cloned()
        })
    });
    move || match found.get() {
        Some(site) => view! { <SiteDetails site /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn SiteDetails(site: LocalSite) -> impl IntoView {
    let t = t();
    let records = expect_context::<Records>();
    let account = expect_context::<Account>();
    let LocalSite {
        record,
        author,
        state,
        ..
    } = site;
    let (id, owner) = (record.id, record.owner);
    let own = account
        .session
        .with_untracked(|s| s.as_ref().map(|s| AuthorId::user(s.me.id)))
        .is_some_and(|me| me == author);
    let may_edit = move || account.may(Action::Edit { own }, owner);
    let may_log = move || account.may(Action::Log, owner);
    read_rest_when(|| true);
    let history = Memo::new(move |_| {
        records.list.with(|list| {
            list.iter()
                .filter(|a| a.record.site == Some(id))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // The site's own photos, then those of its work, newest work first.
    let site_photos = record.photos.clone();
    let site_name = record.name.to_string();
    let gallery = move || {
        let mut all: Vec<PhotoRef> = site_photos.clone();
        history.with(|work| all.extend(work.iter().flat_map(|a| a.record.photos.iter().copied())));
        all
    };
    let location = record
        .location
        .map(|l| (t.sites.location_shown)(l.point.lat(), l.point.lon(), l.accuracy_m))
        .unwrap_or_else(|| t.sites.no_location.to_owned());
    let on_map = dvor_core::map::sites::position(&record).map(|point| {
        let view = dvor_core::map::link::MapView {
            centre: Some(point),
            zoom: Some(17),
            ..Default::default()
        };
        let query: Vec<String> = view
            .to_query()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        view! { <a class="button" href=format!("/map?{}", query.join("&"))>{t.sites.map_show_on_map}</a> }
    });
    view! {
        <section class="page site-page">
            <FlashMessage />
            <div class="card-head">
                <h1>{record.name.to_string()}</h1>
                <SyncBadge state=state photos=record.photos.clone() />
            </div>
            <p class="card-place">
                {(t.common.site_kind_name)(record.site_kind)} " · "
                <span class="card-committee">{move || account.owner_name(owner)}</span>
            </p>
            {record.address.as_ref().map(|a| view! { <p>{a.to_string()}</p> })}
            <p class="location-text" data-testid="site-location">{location}</p>
            <div class="actions">
                {on_map}
                <Show when=may_log>
                    <a class="button primary" href=format!("/new?site={id}")>{t.sites.log_here}</a>
                </Show>
                <Show when=may_edit>
                    <a class="button" href=format!("/sites/{id}/edit")>{t.common.edit}</a>
                    <button type="button" class="button danger" on:click=move |_| delete(id, RecordKind::Site, owner)>{t.common.delete}</button>
                </Show>
            </div>
            <h2>{t.sites.gallery}</h2>
            // The picture names the site and the moment; the caption under it is for the eye only,
            // or a screen reader would say the moment twice.
            <ul class="thumbs gallery">
                <For
                    each=gallery
                    key=|photo| photo.hash
                    children=move |photo| view! {
                        <li>
                            <PhotoImage hash=photo.hash alt=(t.sites.photo_alt)(&site_name, (t.common.photo_tag)(photo.tag)) />
                            <span class="thumb-tag" aria-hidden="true">{(t.common.photo_tag)(photo.tag)}</span>
                        </li>
                    }
                />
            </ul>
            <h2>{t.sites.site_history}</h2>
            <Show
                when=move || history.with(|h| !h.is_empty())
                fallback=move || view! { <p class="hint">{t.sites.site_no_history}</p> }
            >
                <ul class="cards">
                    <For each=move || history.get() key=|record| record.key() children=|record| view! { <ActivityCard record /> } />
                </ul>
            </Show>
        </section>
    }
}
