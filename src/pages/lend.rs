//! `/inventory/lend`: lending one or more items to a borrower — a name and a phone, the least the
//! desk needs — due back by a date that defaults to this place's usual loan length.

use std::collections::BTreeMap;

use dvor_core::access::{Action, Owner};
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{ErrorCode, Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::inventory::desk::{check_takes, stock_lines};
use dvor_core::inventory::item::ItemKind;
use dvor_core::inventory::ledger::MovementKind;
use dvor_core::inventory::loan::LoanInput;
use dvor_core::record::RecordKind;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::account::Account;
use crate::clock::{new_record_id, today};
use crate::components::flash::Flash;
use crate::components::form_field::{FormField, InputKind, error_of, focus};
use crate::i18n::t;
use crate::inventory::{Inventory, chosen_place, href, movement, new_record, save_all};

/// Where a device keeps a place's usual loan length, in days.
fn days_key(place: Owner) -> String {
    format!("dvor.loan-days.{}", place.key())
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The lending form.
#[component]
pub fn LendPage() -> impl IntoView {
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    inventory.follow();
    let place = chosen_place(&account);
    move || {
        place
            .get()
            .filter(|p| account.may(Action::ManageInventory, *p))
            .map(|owner| view! { <LendForm owner /> })
    }
}

#[component]
fn LendForm(owner: Owner) -> impl IntoView {
    let t = t();
    let inventory = expect_context::<Inventory>();
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let usual_days: u32 = local_storage()
        .and_then(|s| s.get_item(&days_key(owner)).ok().flatten())
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let days = RwSignal::new(usual_days.to_string());
    let due = RwSignal::new(today().plus_days(usual_days).to_string());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let wanted: RwSignal<BTreeMap<RecordId, String>> = RwSignal::new(BTreeMap::new());
    let lines = Memo::new(move |_| {
        stock_lines(&inventory.items(), &inventory.ledger(), owner)
            .into_iter()
            .filter(|l| l.item.kind == ItemKind::Durable)
            .collect::<Vec<_>>()
    });
    Effect::new(move || {
        if let Ok(n) = days.get().trim().parse::<u32>() {
            due.set(today().plus_days(n).to_string());
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(&days_key(owner), &n.to_string());
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(loan_id) = new_record_id() else {
            return;
        };
        let input = LoanInput {
            id: loan_id.to_string(),
            place: Some(owner),
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            due: due.get_untracked(),
        };
        let mut found = Vec::new();
        let loan = input
            .validate(today())
            .map_err(|e| found.extend(e.all().iter().cloned()))
            .ok();
        let mut taken = Vec::new();
        for line in lines.get_untracked() {
            let typed = wanted
                .with_untracked(|w| w.get(&line.item.id).cloned())
                .unwrap_or_default();
            let field = Field::Other(format!("lend-{}", line.item.id));
            match parse_typed_count(&typed) {
                Ok(None) | Ok(Some(0)) => {}
                Ok(Some(n)) => {
                    let n = u32::try_from(n).unwrap_or(u32::MAX);
                    match check_takes(line.stock, n) {
                        Ok(()) => taken.push((line.item.id, n)),
                        Err(error) => found.push(FieldError { field, ..error }),
                    }
                }
                Err(code) => found.push(FieldError::new(field, code)),
            }
        }
        if taken.is_empty() && found.is_empty() {
            found.push(FieldError::new(
                Field::Other("items".to_owned()),
                ErrorCode::Required,
            ));
        }
        errors.set(found.clone());
        let (Some(loan), true) = (loan, found.is_empty()) else {
            if let Some(first) = found.first() {
                focus(&field_id(&first.field));
            }
            return;
        };
        let mut edits = vec![new_record(RecordKind::Loan, loan.id, owner, loan.values())];
        for (item, n) in taken {
            match movement(item, owner, MovementKind::Lent { loan: loan.id }, n) {
                Ok(edit) => edits.push(edit),
                Err(message) => {
                    inventory.error.set(Some(message));
                    return;
                }
            }
        }
        let save = save_all(edits);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match save.await {
                Ok(()) => {
                    flash.set(t.inv_lent_done);
                    navigate(&href("/inventory", owner), Default::default());
                }
                Err(message) => inventory.error.set(Some(message)),
            }
        });
    };
    let line_error = move |item: RecordId| {
        Signal::derive(move || {
            errors.with(|e| {
                e.iter()
                    .find(|e| e.field == Field::Other(format!("lend-{item}")))
                    .map(|e| t.field_error(e))
            })
        })
    };
    view! {
        <section class="page inventory">
            <p><a href=href("/inventory", owner)>{"← "}{t.inv_title}</a></p>
            <h1>{t.inv_lend_title}</h1>
            <form class="form" on:submit=submit novalidate>
                <FormField id="name" label=t.inv_borrower_name value=name kind=InputKind::Name error=error_of(errors, Field::Name) />
                <FormField id="phone" label=t.inv_borrower_phone value=phone error=error_of(errors, Field::Other("phone".to_owned())) />
                <FormField id="days" label=t.inv_default_days value=days kind=InputKind::Count />
                <FormField id="date" label=t.inv_due_date value=due kind=InputKind::Date error=error_of(errors, Field::Date) />
                <h2>{t.inv_what}</h2>
                {move || errors.with(|e| e.iter().any(|e| e.field == Field::Other("items".to_owned())))
                    .then(|| view! { <p class="field-error" role="alert">{t.inv_nothing_chosen}</p> })}
                <Show
                    when=move || lines.with(|l| l.iter().any(|l| l.stock.available > 0))
                    fallback=move || view! { <p class="empty">{t.inv_nothing_to_lend}</p> }
                >
                    <ul class="lend-lines">
                        {move || lines.get().into_iter().filter(|l| l.stock.available > 0).map(|line| {
                            let item = line.item.id;
                            let id = format!("lend-{item}");
                            let error = line_error(item);
                            view! {
                                <li class="field" class:invalid=move || error.with(Option::is_some)>
                                    <label for=id.clone()>
                                        {line.item.name.as_str().to_owned()}
                                        <span class="hint">{format!(" ({}: {})", t.inv_available, line.stock.available)}</span>
                                    </label>
                                    <input
                                        id=id
                                        type="text"
                                        inputmode="numeric"
                                        autocomplete="off"
                                        placeholder="0"
                                        prop:value=move || wanted.with(|w| w.get(&item).cloned().unwrap_or_default())
                                        on:input=move |ev| wanted.update(|w| { w.insert(item, event_target_value(&ev)); })
                                    />
                                    {move || error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </Show>
                {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="button primary big">{t.inv_lend}</button>
            </form>
        </section>
    }
}

/// The id of the input a field's error belongs to.
fn field_id(field: &Field) -> String {
    match field {
        Field::Name => "name".to_owned(),
        Field::Date => "date".to_owned(),
        other => other.to_string(),
    }
}
