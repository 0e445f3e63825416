//! `/install`: installing the app on this device and on the others.

use leptos::prelude::*;

use crate::components::install_guide::InstallGuide;
use crate::i18n::t;
use crate::install::Install;

#[component]
pub fn InstallPage() -> impl IntoView {
    let t = t();
    let install = expect_context::<Install>();
    // Opening the guide answers the one-time offer.
    install.offer_answered();
    view! {
        <section class="page">
            <h1>{t.keeping.install_title}</h1>
            <p class="hint">{t.keeping.install_intro}</p>
            <Show when=move || install.installed.get()>
                <p class="notice done" role="status">{t.keeping.installed_already}</p>
            </Show>
            <InstallGuide />
        </section>
    }
}
