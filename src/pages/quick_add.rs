//! `/inventory/add`: setting up a desk in minutes — the common items with how many there are
//! (each becomes an item and its first receipt), or an item of one's own.

use std::collections::BTreeMap;

use dvor_core::access::{Action, Owner};
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{Field, FieldError};
use dvor_core::inventory::item::{COMMON_ITEMS, Condition, ItemInput, ItemKind};
use dvor_core::inventory::ledger::MovementKind;
use dvor_core::record::RecordKind;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::account::Account;
use crate::clock::new_record_id;
use crate::components::flash::Flash;
use crate::components::form_field::{FormField, InputKind, SelectField, error_of};
use crate::i18n::t;
use crate::inventory::{Inventory, chosen_place, href, movement, new_record, save_all};
use crate::store::Edit;

/// The quick-add screen.
#[component]
pub fn QuickAddPage() -> impl IntoView {
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    inventory.follow();
    let place = chosen_place(&account);
    move || {
        place
            .get()
            .filter(|p| account.may(Action::ManageInventory, *p))
            .map(|owner| view! { <QuickAdd owner /> })
    }
}

/// An item to add and how many there are.
struct NewItem {
    input: ItemInput,
    count: String,
}

#[component]
fn QuickAdd(owner: Owner) -> impl IntoView {
    let t = t();
    let inventory = expect_context::<Inventory>();
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let counts: RwSignal<BTreeMap<usize, String>> = RwSignal::new(BTreeMap::new());
    let name = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let unit = RwSignal::new("шт.".to_owned());
    let kind = RwSignal::new(ItemKind::Durable.key().to_owned());
    let number = RwSignal::new(String::new());
    let initial = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let kinds: Vec<(String, String)> = ItemKind::ALL
        .into_iter()
        .map(|k| (k.key().to_owned(), (t.inv_kind_name)(k).to_owned()))
        .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut wanted = Vec::new();
        let mut found = Vec::new();
        for (n, (item_name, item_category, item_unit, item_kind)) in
            COMMON_ITEMS.into_iter().enumerate()
        {
            let typed = counts
                .with_untracked(|c| c.get(&n).cloned())
                .unwrap_or_default();
            if !typed.trim().is_empty() {
                wanted.push(NewItem {
                    input: ItemInput {
                        name: item_name.to_owned(),
                        category: item_category.to_owned(),
                        unit: item_unit.to_owned(),
                        kind: item_kind.key().to_owned(),
                        ..ItemInput::default()
                    },
                    count: typed,
                });
            }
        }
        if !name.with_untracked(|n| n.trim().is_empty()) {
            wanted.push(NewItem {
                input: ItemInput {
                    name: name.get_untracked(),
                    category: category.get_untracked(),
                    unit: unit.get_untracked(),
                    kind: kind.get_untracked(),
                    inventory_number: number.get_untracked(),
                    condition: Condition::Good,
                    ..ItemInput::default()
                },
                count: initial.get_untracked(),
            });
        }
        let mut edits: Vec<Edit> = Vec::new();
        let added = wanted.len();
        for new in wanted {
            let Ok(id) = new_record_id() else { return };
            let item = match (ItemInput {
                id: id.to_string(),
                owner: Some(owner),
                ..new.input
            })
            .validate()
            {
                Ok(item) => item,
                Err(e) => {
                    found.extend(e.all().iter().cloned());
                    continue;
                }
            };
            edits.push(new_record(RecordKind::Item, id, owner, item.values()));
            match parse_typed_count(&new.count) {
                Ok(Some(n)) if n > 0 => match movement(
                    id,
                    owner,
                    MovementKind::Received,
                    u32::try_from(n).unwrap_or(u32::MAX),
                ) {
                    Ok(edit) => edits.push(edit),
                    Err(message) => {
                        inventory.error.set(Some(message));
                        return;
                    }
                },
                Ok(_) => {}
                Err(code) => found.push(FieldError::new(Field::Other("count".to_owned()), code)),
            }
        }
        errors.set(found.clone());
        if !found.is_empty() || edits.is_empty() {
            return;
        }
        let save = save_all(edits);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match save.await {
                Ok(()) => {
                    flash.set((t.inv_added)(added));
                    navigate(&href("/inventory", owner), Default::default());
                }
                Err(message) => inventory.error.set(Some(message)),
            }
        });
    };
    view! {
        <section class="page inventory">
            <p><a href=href("/inventory", owner)>{"← "}{t.inv_title}</a></p>
            <h1>{t.inv_add_title}</h1>
            <form class="form" on:submit=submit novalidate>
                <h2>{t.inv_common}</h2>
                <p class="hint">{t.inv_common_hint}</p>
                <ul class="lend-lines">
                    {COMMON_ITEMS.into_iter().enumerate().map(|(n, (item_name, _, item_unit, _))| {
                        let id = format!("common-{n}");
                        view! {
                            <li class="field">
                                <label for=id.clone()>{item_name}<span class="hint">{format!(", {item_unit}")}</span></label>
                                <input
                                    id=id
                                    type="text"
                                    inputmode="numeric"
                                    autocomplete="off"
                                    placeholder="0"
                                    on:input=move |ev| counts.update(|c| { c.insert(n, event_target_value(&ev)); })
                                />
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <h2>{t.inv_custom}</h2>
                <FormField id="item-name" label=t.inv_name value=name optional=true error=error_of(errors, Field::Name) />
                <FormField id="item-category" label=t.inv_category value=category error=error_of(errors, Field::Other("category".to_owned())) />
                <FormField id="item-unit" label=t.inv_unit value=unit error=error_of(errors, Field::Other("unit".to_owned())) />
                <SelectField id="item-kind" label=t.inv_kind value=kind options=Signal::derive(move || kinds.clone()) />
                <FormField id="item-number" label=t.inv_number value=number optional=true error=error_of(errors, Field::Other("inventory_number".to_owned())) />
                <FormField id="item-count" label=t.inv_initial value=initial kind=InputKind::Count optional=true error=error_of(errors, Field::Other("count".to_owned())) />
                {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="button primary big">{t.inv_add}</button>
            </form>
        </section>
    }
}
