//! `/inventory/lend`: lending one or more items to a borrower — a name and a phone, the least the
//! desk needs — due back by a date that defaults to this place's usual loan length.

use std::collections::BTreeMap;

use dvor_core::access::Owner;
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{ErrorCode, Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::inventory::desk::check_takes;
use dvor_core::inventory::item::ItemKind;
use dvor_core::inventory::ledger::MovementKind;
use dvor_core::inventory::loan::LoanInput;
use dvor_core::record::RecordKind;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::clock::today;
use crate::components::count_input::CountInput;
use crate::components::form_field::{FormField, InputKind, error_of, focus};
use crate::i18n::t;
use crate::inventory::{
    Inventory, KeptPlace, fresh_id, href, movement, new_record, save_then_back,
};

/// Where a device keeps a place's usual loan length, in days.
fn days_key(place: Owner) -> String {
    format!("dvor.loan-days.{}", place.key())
}

/// The field of the count of `item` to lend, also its input's id.
fn line_field(item: RecordId) -> Field {
    Field::Other(format!("lend-{item}"))
}

/// The field of the whole list of items, for a lending without any.
fn items_field() -> Field {
    Field::Other("items".to_owned())
}

/// The lending form.
#[component]
pub fn LendPage() -> impl IntoView {
    view! { <KeptPlace screen=|owner| view! { <LendForm owner /> } /> }
}

#[component]
fn LendForm(owner: Owner) -> impl IntoView {
    let t = t();
    let inventory = expect_context::<Inventory>();
    let navigate = use_navigate();
    let usual_days: u32 = crate::prefs::read(&days_key(owner))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let days = RwSignal::new(usual_days.to_string());
    let due = RwSignal::new(today().plus_days(usual_days).to_string());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let wanted: RwSignal<BTreeMap<RecordId, String>> = RwSignal::new(BTreeMap::new());
    let lines = Memo::new(move |_| {
        inventory
            .stock(owner)
            .into_iter()
            .filter(|l| l.item.kind == ItemKind::Durable)
            .collect::<Vec<_>>()
    });
    Effect::new(move || {
        if let Ok(n) = days.get().trim().parse::<u32>() {
            due.set(today().plus_days(n).to_string());
            crate::prefs::write(&days_key(owner), &n.to_string());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let loan_id = match fresh_id() {
            Ok(id) => id,
            Err(message) => return inventory.error.set(Some(message)),
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
            let field = line_field(line.item.id);
            match parse_typed_count(&typed) {
                Ok(None | Some(0)) => {}
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
            found.push(FieldError::new(items_field(), ErrorCode::Required));
        }
        errors.set(found.clone());
        let (Some(loan), true) = (loan, found.is_empty()) else {
            if let Some(first) = found.first() {
                focus(&first.field.to_string());
            }
            return;
        };
        let mut edits = vec![new_record(RecordKind::Loan, loan.id, owner, loan.values())];
        for (item, n) in taken {
            match movement(item, owner, MovementKind::Lent { loan: loan.id }, n) {
                Ok(edit) => edits.push(edit),
                Err(message) => return inventory.error.set(Some(message)),
            }
        }
        save_then_back(
            edits,
            ("/inventory/loans", owner),
            t.desk.inv_lent_done.to_owned(),
            navigate.clone(),
        );
    };
    view! {
        <section class="page inventory">
            <p><a href=href("/inventory/loans", owner)>{"← "}{t.common.inv_loans_out}</a></p>
            <h1>{t.desk.inv_lend_title}</h1>
            <form class="form" on:submit=submit novalidate>
                <FormField id="name" label=t.desk.inv_borrower_name value=name kind=InputKind::Name error=error_of(errors, Field::Name) />
                <FormField id="phone" label=t.desk.inv_borrower_phone value=phone error=error_of(errors, Field::Other("phone".to_owned())) />
                <FormField id="days" label=t.desk.inv_default_days value=days kind=InputKind::Count />
                <FormField id="date" label=t.desk.inv_due_date value=due kind=InputKind::Date error=error_of(errors, Field::Date) />
                <h2>{t.desk.inv_what}</h2>
                {move || errors.with(|e| e.iter().any(|e| e.field == items_field()))
                    .then(|| view! { <p class="field-error" role="alert">{t.desk.inv_nothing_chosen}</p> })}
                <Show
                    when=move || lines.with(|l| l.iter().any(|l| l.stock.available > 0))
                    fallback=move || view! { <p class="empty">{t.desk.inv_nothing_to_lend}</p> }
                >
                    <ul class="lend-lines">
                        {move || lines.get().into_iter().filter(|l| l.stock.available > 0).map(|line| {
                            let item = line.item.id;
                            let field = line_field(item);
                            let error = error_of(errors, field.clone());
                            view! {
                                <li class="field" class:invalid=move || error.with(Option::is_some)>
                                    <label for=field.to_string()>
                                        {line.item.name.as_str().to_owned()}
                                        <span class="hint">{format!(" ({}: {})", t.common.inv_available, line.stock.available)}</span>
                                    </label>
                                    <CountInput id=field.to_string() key=item typed=wanted error placeholder="0" />
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </Show>
                {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="button primary big">{t.common.inv_lend}</button>
            </form>
        </section>
    }
}
