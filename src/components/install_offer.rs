//! The one-time offer to install the app, on the records screen after a person's first saved
//! record on a device where it is not installed (`crate::install`).

use leptos::prelude::*;

use crate::i18n::t;
use crate::install::Install;

#[component]
pub fn InstallOffer() -> impl IntoView {
    let t = t();
    let install = expect_context::<Install>();
    view! {
        <Show when=move || install.offer_due.get() && !install.installed.get()>
            <section class="panel install-offer" aria-labelledby="install-offer-title">
                <h2 id="install-offer-title">{t.keeping.offer_title}</h2>
                <p>{t.keeping.offer_text}</p>
                <div class="actions">
                    <a class="button primary small" href="/install">{t.keeping.how_to_install}</a>
                    <button type="button" class="button small" on:click=move |_| install.offer_answered()>
                        {t.keeping.offer_later}
                    </button>
                </div>
            </section>
        </Show>
    }
}
