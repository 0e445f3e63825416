//! The list of activities on the device, with the buttons that log new ones.

use dvor_core::filter::ActivityFilter;
use dvor_core::nav::Destination;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::account::Account;
use crate::components::activity_card::ActivityCard;
use crate::components::flash::FlashMessage;
use crate::components::install_offer::InstallOffer;
use crate::components::keeping_notice::KeepingNotice;
use crate::components::records_filter::{FilterBar, RecordsFilter};
use crate::i18n::t;
use crate::records::{Records, read_rest_when};
use crate::sync::SyncStatus;

/// How many cards the list shows at first and adds on each «Показать ещё»: a phone draws a
/// screenful at once, not the thousands a committee's device may hold.
const PAGE: usize = 50;

/// The home screen.
#[component]
pub fn RecordsPage() -> impl IntoView {
    let records = expect_context::<Records>();
    let status = expect_context::<SyncStatus>();
    let t = t();
    let shown = RwSignal::new(PAGE);
    let account = expect_context::<Account>();
    // A report's figure links here with the terms of its records in the address.
    let linked = use_query_map().with_untracked(|q| {
        ActivityFilter::from_query(q.latest_values().map(|(k, v)| (k.as_ref(), v)))
    });
    let filter = RecordsFilter::new(&linked);
    // The positions of the records the search and filters let through; `None` when nothing is
    // asked, so the usual list costs no pass over thousands of records.
    let found = Memo::new(move |_| {
        filter
            .is_active()
            .then(|| records.list.with(|list| filter.positions(list, account)))
    });
    // The first screen is read alone; a search, a filter or «Показать ещё» needs the rest.
    read_rest_when(move || filter.is_active() || shown.get() > PAGE);
    let count = move || {
        found
            .with(|f| f.as_ref().map(Vec::len))
            .unwrap_or_else(|| records.total.get().max(records.list.with(Vec::len)))
    };
    let visible = move || {
        let limit = shown.get();
        records.list.with(|list| match &*found.read() {
            None => list.iter().take(limit).cloned().collect::<Vec<_>>(),
            Some(positions) => positions
                .iter()
                .take(limit)
                .map(|&i| list[i].clone())
                .collect(),
        })
    };
    let more = move || {
        let all = count();
        // What is on screen: fewer than asked while the rest of the list is still being read.
        let read = found
            .with(|f| f.as_ref().map(Vec::len))
            .unwrap_or_else(|| records.list.with(Vec::len));
        let showing = shown.get().min(all).min(read);
        (showing < all).then(|| {
            view! {
                <div class="more">
                    <p class="hint">{(t.records.records_shown)(showing, all)}</p>
                    <button class="button" on:click=move |_| shown.update(|n| *n += PAGE)>{t.records.show_more}</button>
                </div>
            }
        })
    };
    // A memo, so the list below is built once and then only updated card by card. While a first
    // pull runs, "no records yet" would not be true for long.
    let nothing_yet =
        Memo::new(move |_| records.list.with(Vec::is_empty) && status.pull.with(Option::is_none));
    // One tap for the kind logged last here (or the first the person may log), one more for any
    // other.
    let usual = move || {
        let loggable = account.kinds_to_log();
        let last = records
            .list
            .with(|list| list.first().map(|r| r.record.kind));
        last.filter(|kind| loggable.contains(kind))
            .or_else(|| loggable.first().copied())
    };
    // The floating button repeats the kind; the form picks the site logged last. Any other
    // kind is one more tap: the bar's «Добавить», or a link here when the bar has no room.
    let log_again = move || {
        usual().map(|kind| {
            view! {
                <a class="fab" href=format!("/new/{}", kind.key()) aria-label=(t.records.log_kind)(kind)>
                    <span aria-hidden="true">"+"</span>
                    {t.shell.log_again}
                </a>
            }
        })
    };
    let other_kind = move || {
        (!account.tabs().bar.contains(&Destination::Log) && usual().is_some())
            .then(|| view! { <a class="button small" href="/new">{t.records.other_kind}</a> })
    };
    view! {
        <section class="page">
            <FlashMessage />
            <div class="page-head">
                <h1>{t.records.records_title}</h1>
                {other_kind}
            </div>
            <KeepingNotice />
            <InstallOffer />
            <Show when=move || !nothing_yet.get()>
                <FilterBar filter />
            </Show>
            {move || records.error.get().map(|e| view! { <p class="error" role="alert">{(t.common.storage_unavailable)(&e)}</p> })}
            {move || {
                if nothing_yet.get() {
                    view! {
                        <div class="empty">
                            <p>{t.records.no_records}</p>
                            <p class="hint">{t.records.records_hint}</p>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <Show when=move || count() == 0>
                            <p class="hint" role="status">{t.records.nothing_found}</p>
                        </Show>
                        <ul class="cards">
                            <For
                                each=visible
                                key=|record| record.key()
                                children=|record| view! { <ActivityCard record /> }
                            />
                        </ul>
                        {more}
                    }
                        .into_any()
                }
            }}
            {log_again}
        </section>
    }
}
