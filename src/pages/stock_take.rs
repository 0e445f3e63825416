//! `/inventory/count`: the stock-take — a sheet that prints cleanly for counting on paper, and
//! the counts typed back, each difference saved as a correction to the ledger.

use std::collections::BTreeMap;

use dvor_core::access::Owner;
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{Field, FieldError};
use dvor_core::id::RecordId;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::account::Account;
use crate::clock::today;
use crate::components::count_input::CountInput;
use crate::components::form_field::error_of;
use crate::i18n::t;
use crate::inventory::{Inventory, KeptPlace, fresh_id, href, movement_edit, save_then_back};

/// The stock-take screen.
#[component]
pub fn StockTakePage() -> impl IntoView {
    view! { <KeptPlace screen=|owner| view! { <StockTake owner /> } /> }
}

/// The field of what was counted of `item`, also its input's id.
fn count_field(item: RecordId) -> Field {
    Field::Other(format!("count-{item}"))
}

#[component]
fn StockTake(owner: Owner) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    let navigate = use_navigate();
    let counted: RwSignal<BTreeMap<RecordId, String>> = RwSignal::new(BTreeMap::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let lines = Memo::new(move |_| inventory.stock(owner));
    let print = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Vec::new();
        let mut corrections = Vec::new();
        for line in lines.get_untracked() {
            let item = line.item.id;
            let typed = counted
                .with_untracked(|c| c.get(&item).cloned())
                .unwrap_or_default();
            match parse_typed_count(&typed) {
                Ok(None) => {}
                Ok(Some(n)) => {
                    let id = match fresh_id() {
                        Ok(id) => id,
                        Err(message) => return inventory.error.set(Some(message)),
                    };
                    let n = u32::try_from(n).unwrap_or(u32::MAX);
                    corrections.extend(
                        inventory
                            .ledger
                            .with_untracked(|ledger| ledger.count(id, item, owner, n)),
                    );
                }
                Err(code) => found.push(FieldError::new(count_field(item), code)),
            }
        }
        errors.set(found.clone());
        if found.is_empty() {
            let done = (t.desk.inv_counted_done)(corrections.len());
            let edits = corrections.iter().map(movement_edit).collect();
            save_then_back(edits, ("/inventory", owner), done, navigate.clone());
        }
    };
    view! {
        <section class="page inventory stock-take">
            <p class="no-print"><a href=href("/inventory", owner)>{"← "}{t.common.inv_title}</a></p>
            <h1>{t.common.inv_count}{" — "}{account.owner_name(owner)}</h1>
            <p class="print-only">{(t.desk.inv_sheet_date)(&t.date(today()))}</p>
            <p class="hint no-print">{t.desk.inv_count_hint}</p>
            <form class="form" on:submit=submit novalidate>
                <table class="stock sheet">
                    <thead>
                        <tr>
                            <th>{t.common.inv_item_col}</th>
                            <th class="num">{t.desk.inv_shown}</th>
                            <th class="num">{t.desk.inv_counted}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || lines.get().into_iter().map(|line| {
                            let item = line.item.id;
                            let field = count_field(item);
                            let error = error_of(errors, field.clone());
                            view! {
                                <tr class:invalid=move || error.with(Option::is_some)>
                                    <td><label for=field.to_string()>{line.item.name.as_str().to_owned()}</label>{format!(", {}", line.item.unit.as_str())}</td>
                                    <td class="num">{line.stock.available}</td>
                                    <td class="num"><CountInput id=field.to_string() key=item typed=counted error /></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions no-print">
                    <button type="button" class="button" on:click=print>{t.desk.inv_print}</button>
                    <button type="submit" class="button primary">{t.desk.inv_save_count}</button>
                </div>
            </form>
        </section>
    }
}
