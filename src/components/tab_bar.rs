//! The tab bar: the destinations a person's roles use most (`dvor_core::nav`), then the
//! account with the rest. At the bottom of a phone's screen, under the thumb; in the top bar
//! on a wide screen.

use dvor_core::nav::Destination;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::account::Account;
use crate::i18n::t;

/// The bar of the person signed in.
#[component]
pub fn TabBar() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let path = use_location().pathname;
    let bar = Memo::new(move |_| account.tabs().bar);
    let tab = move |href: &'static str,
                    label: &'static str,
                    icon: &'static str,
                    here: Signal<bool>| {
        view! {
            <a class="tab" href=href aria-current=move || here.get().then_some("page")>
                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true"><path d=icon /></svg>
                <span>{label}</span>
            </a>
        }
    };
    view! {
        <nav class="tabs" aria-label=t.shell.tabs_label>
            {move || {
                bar.get()
                    .into_iter()
                    .map(|d| {
                        let here = Signal::derive(move || path.with(|p| d.holds(p)));
                        tab(d.path(), (t.shell.destination)(d), icon(Some(d)), here)
                    })
                    .collect_view()
            }}
            {tab("/account", t.shell.more_nav, icon(None), Signal::derive(move || path.with(|p| p == "/account")))}
        </nav>
    }
}

/// A destination's icon as one SVG path on a 24-unit square, drawn by its stroke; the
/// account's for `None`.
pub fn icon(destination: Option<Destination>) -> &'static str {
    match destination {
        Some(Destination::Records) => "M4 6h16M4 12h16M4 18h10",
        Some(Destination::Log) => "M12 4v16M4 12h16",
        Some(Destination::Sites) => {
            "M12 21s-6-5.6-6-11a6 6 0 0 1 12 0c0 5.4-6 11-6 11zM12 8.5a1.5 1.5 0 1 0 0 3a1.5 1.5 0 1 0 0-3z"
        }
        Some(Destination::Map) => "M3 6l6-2 6 2 6-2v14l-6 2-6-2-6 2zM9 4v14M15 6v14",
        Some(Destination::Stock) => "M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10",
        Some(Destination::Loans) => "M4 8h14l-3-3M20 16H6l3 3",
        Some(Destination::Report) => "M5 20V11M12 20V4M19 20v-7",
        None => "M12 12a4 4 0 1 0 0-8a4 4 0 1 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6",
    }
}
