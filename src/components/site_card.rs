//! A site in a list: its name (to its page), kind, keeper, address, a photo and sync state.

use leptos::prelude::*;

use crate::account::Account;
use crate::components::photo_view::PhotoImage;
use crate::components::sync_badge::SyncBadge;
use crate::i18n::t;
use crate::store::LocalSite;

/// A card of a site.
#[component]
pub fn SiteCard(record: LocalSite) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let site = record.record;
    let owner = site.owner;
    let cover = site.photos.first().map(|photo| {
        view! { <PhotoImage hash=photo.thumb alt=site.name.to_string() class="cover" /> }
    });
    view! {
        <li class="card site-card" data-id=site.id.to_string()>
            {cover}
            <div class="card-head">
                <a class="card-kind" href=format!("/sites/{}", site.id)>{site.name.to_string()}</a>
                <SyncBadge state=record.state.clone() photos=site.photos.clone() />
            </div>
            <p class="card-place">
                {(t.common.site_kind_name)(site.site_kind)} " · "
                <span class="card-committee">{move || account.owner_name(owner)}</span>
                {site.address.map(|address| view! { " · " <span>{address.to_string()}</span> })}
            </p>
        </li>
    }
}
