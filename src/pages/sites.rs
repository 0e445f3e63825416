//! `/sites`: the sites on the device, by name, with the button that adds one.

use leptos::prelude::*;

use crate::components::flash::FlashMessage;
use crate::components::site_card::SiteCard;
use crate::i18n::t;
use crate::records::Records;

/// The list of sites.
#[component]
pub fn SitesPage() -> impl IntoView {
    let t = t();
    let records = expect_context::<Records>();
    view! {
        <section class="page">
            <FlashMessage />
            <div class="actions">
                <a class="button primary" href="/sites/new">{t.common.new_site}</a>
            </div>
            <h1>{t.common.sites_title}</h1>
            <Show
                when=move || records.sites.with(|s| !s.is_empty())
                fallback=move || view! {
                    <div class="empty">
                        <p>{t.sites.no_sites}</p>
                        <p class="hint">{t.sites.sites_hint}</p>
                    </div>
                }
            >
                <ul class="cards">
                    <For
                        each=move || records.sites.get()
                        key=|site| site.key()
                        children=|record| view! { <SiteCard record /> }
                    />
                </ul>
            </Show>
        </section>
    }
}
