//! `/inventory/count`: the stock-take — a sheet that prints cleanly for counting on paper, and
//! the counts typed back, each difference saved as a correction to the ledger.

use std::collections::BTreeMap;

use dvor_core::access::{Action, Owner};
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::inventory::desk::stock_lines;
use dvor_core::record::RecordKind;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::account::Account;
use crate::clock::{new_record_id, today};
use crate::components::flash::Flash;
use crate::i18n::t;
use crate::inventory::{Inventory, chosen_place, href, new_record, save_all};

/// The stock-take screen.
#[component]
pub fn StockTakePage() -> impl IntoView {
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    inventory.follow();
    let place = chosen_place(&account);
    move || {
        place
            .get()
            .filter(|p| account.may(Action::ManageInventory, *p))
            .map(|owner| view! { <StockTake owner /> })
    }
}

#[component]
fn StockTake(owner: Owner) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let counted: RwSignal<BTreeMap<RecordId, String>> = RwSignal::new(BTreeMap::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let lines = Memo::new(move |_| stock_lines(&inventory.items(), &inventory.ledger(), owner));
    let print = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ledger = inventory.ledger();
        let mut found = Vec::new();
        let mut edits = Vec::new();
        for line in lines.get_untracked() {
            let item = line.item.id;
            let typed = counted
                .with_untracked(|c| c.get(&item).cloned())
                .unwrap_or_default();
            match parse_typed_count(&typed) {
                Ok(None) => {}
                Ok(Some(n)) => {
                    let Ok(id) = new_record_id() else { return };
                    let n = u32::try_from(n).unwrap_or(u32::MAX);
                    if let Some(correction) = ledger.count(id, item, owner, n) {
                        edits.push(new_record(
                            RecordKind::Movement,
                            id,
                            owner,
                            correction.values(),
                        ));
                    }
                }
                Err(code) => {
                    found.push(FieldError::new(Field::Other(format!("count-{item}")), code))
                }
            }
        }
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        let corrections = edits.len();
        let save = save_all(edits);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match save.await {
                Ok(()) => {
                    flash.set((t.inv_counted_done)(corrections));
                    navigate(&href("/inventory", owner), Default::default());
                }
                Err(message) => inventory.error.set(Some(message)),
            }
        });
    };
    view! {
        <section class="page inventory stock-take">
            <p class="no-print"><a href=href("/inventory", owner)>{"← "}{t.inv_title}</a></p>
            <h1>{t.inv_count}{" — "}{account.owner_name(owner)}</h1>
            <p class="print-only">{(t.inv_sheet_date)(&today().to_string())}</p>
            <p class="hint no-print">{t.inv_count_hint}</p>
            <form class="form" on:submit=submit novalidate>
                <table class="stock sheet">
                    <thead>
                        <tr>
                            <th>{t.inv_item_col}</th>
                            <th class="num">{t.inv_shown}</th>
                            <th class="num">{t.inv_counted}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || lines.get().into_iter().map(|line| {
                            let item = line.item.id;
                            let id = format!("count-{item}");
                            let error = Signal::derive(move || errors.with(|e| {
                                e.iter().find(|e| e.field == Field::Other(format!("count-{item}"))).map(|e| t.field_error(e))
                            }));
                            view! {
                                <tr class:invalid=move || error.with(Option::is_some)>
                                    <td><label for=id.clone()>{line.item.name.as_str().to_owned()}</label>{format!(", {}", line.item.unit.as_str())}</td>
                                    <td class="num">{line.stock.available}</td>
                                    <td class="num">
                                        <input
                                            id=id
                                            type="text"
                                            inputmode="numeric"
                                            autocomplete="off"
                                            prop:value=move || counted.with(|c| c.get(&item).cloned().unwrap_or_default())
                                            on:input=move |ev| counted.update(|c| { c.insert(item, event_target_value(&ev)); })
                                        />
                                        {move || error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions no-print">
                    <button type="button" class="button" on:click=print>{t.inv_print}</button>
                    <button type="submit" class="button primary">{t.inv_save_count}</button>
                </div>
            </form>
        </section>
    }
}
