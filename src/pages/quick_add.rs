//! `/inventory/add`: setting up a desk in minutes — the common items with how many there are
//! (each becomes an item and its first receipt), or an item of one's own.

use std::collections::BTreeMap;

use dvor_core::access::Owner;
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{Field, FieldError};
use dvor_core::inventory::item::{COMMON_ITEMS, ItemInput, ItemKind};
use dvor_core::inventory::ledger::MovementKind;
use dvor_core::record::RecordKind;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::count_input::CountInput;
use crate::components::form_field::{FormField, InputKind, SelectField, error_of};
use crate::i18n::t;
use crate::inventory::{
    Inventory, KeptPlace, fresh_id, href, movement, new_record, save_then_back,
};
use crate::store::Edit;

/// The quick-add screen.
#[component]
pub fn QuickAddPage() -> impl IntoView {
    view! { <KeptPlace screen=|owner| view! { <QuickAdd owner /> } /> }
}

/// The field of how many there are of the `n`-th common item, also its input's id.
fn common_field(n: usize) -> Field {
    Field::Other(format!("common-{n}"))
}

/// The field of how many there are of one's own item.
fn own_count_field() -> Field {
    Field::Other("item-count".to_owned())
}

/// An item to add, how many there are as typed, and the field that count is typed in.
struct NewItem {
    input: ItemInput,
    count: String,
    count_field: Field,
}

#[component]
fn QuickAdd(owner: Owner) -> impl IntoView {
    let t = t();
    let inventory = expect_context::<Inventory>();
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
        .map(|k| (k.key().to_owned(), (t.common.inv_kind_name)(k).to_owned()))
        .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut wanted = Vec::new();
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
                    count_field: common_field(n),
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
                    ..ItemInput::default()
                },
                count: initial.get_untracked(),
                count_field: own_count_field(),
            });
        }
        let mut found = Vec::new();
        let mut edits: Vec<Edit> = Vec::new();
        let added = wanted.len();
        for new in wanted {
            let id = match fresh_id() {
                Ok(id) => id,
                Err(message) => return inventory.error.set(Some(message)),
            };
            let item = ItemInput {
                id: id.to_string(),
                owner: Some(owner),
                ..new.input
            };
            let item = match item.validate() {
                Ok(item) => item,
                Err(e) => {
                    found.extend(e.all().iter().cloned());
                    continue;
                }
            };
            edits.push(new_record(RecordKind::Item, id, owner, item.values()));
            match parse_typed_count(&new.count) {
                Ok(None | Some(0)) => {}
                Ok(Some(n)) => {
                    let n = u32::try_from(n).unwrap_or(u32::MAX);
                    match movement(id, owner, MovementKind::Received, n) {
                        Ok(edit) => edits.push(edit),
                        Err(message) => return inventory.error.set(Some(message)),
                    }
                }
                Err(code) => found.push(FieldError::new(new.count_field, code)),
            }
        }
        errors.set(found.clone());
        if found.is_empty() && !edits.is_empty() {
            save_then_back(
                edits,
                ("/inventory", owner),
                (t.desk.inv_added)(added),
                navigate.clone(),
            );
        }
    };
    view! {
        <section class="page inventory">
            <p><a href=href("/inventory", owner)>{"← "}{t.common.inv_title}</a></p>
            <h1>{t.desk.inv_add_title}</h1>
            <form class="form" on:submit=submit novalidate>
                <h2>{t.desk.inv_common}</h2>
                <p class="hint">{t.desk.inv_common_hint}</p>
                <ul class="lend-lines">
                    {COMMON_ITEMS.into_iter().enumerate().map(|(n, (item_name, _, item_unit, _))| {
                        let field = common_field(n);
                        let error = error_of(errors, field.clone());
                        view! {
                            <li class="field" class:invalid=move || error.with(Option::is_some)>
                                <label for=field.to_string()>{item_name}<span class="hint">{format!(", {item_unit}")}</span></label>
                                <CountInput id=field.to_string() key=n typed=counts error placeholder="0" />
                            </li>
                        }
                    }).collect_view()}
                </ul>
                // One's own item is optional as a whole; once it has a name, the fields that
                // validation asks of every item are required of it too, and look so.
                <fieldset class="field own-item">
                    <legend>{t.desk.inv_custom}<span class="optional">{format!(" ({})", t.records.optional)}</span></legend>
                <FormField id="item-name" label=t.desk.inv_name value=name error=error_of(errors, Field::Name) />
                <FormField id="item-category" label=t.desk.inv_category value=category error=error_of(errors, Field::Other("category".to_owned())) />
                <FormField id="item-unit" label=t.desk.inv_unit value=unit error=error_of(errors, Field::Other("unit".to_owned())) />
                <SelectField id="item-kind" label=t.desk.inv_kind value=kind options=Signal::derive(move || kinds.clone()) />
                <FormField id="item-number" label=t.desk.inv_number value=number optional=true error=error_of(errors, Field::Other("inventory_number".to_owned())) />
                <FormField id="item-count" label=t.desk.inv_initial value=initial kind=InputKind::Count optional=true error=error_of(errors, own_count_field()) />
                </fieldset>
                {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="button primary big">{t.common.inv_add}</button>
            </form>
        </section>
    }
}
