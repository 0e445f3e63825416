//! `/inventory/loans/:id`: one loan — who borrowed (for the desk's people), what is still out,
//! taking back all or part, and the same borrower's other loans.

use std::collections::BTreeMap;

use dvor_core::access::{Action, Owner};
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::inventory::desk::LoanLine;
use dvor_core::inventory::ledger::MovementKind;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::account::Account;
use crate::components::count_input::CountInput;
use crate::components::form_field::error_of;
use crate::components::loan_card::{LoanCard, borrower_text};
use crate::i18n::t;
use crate::inventory::{Inventory, href, movement_edit, new_movement, save_then_back};
use crate::pages::not_found::NotFound;

/// The field of the count of `item` coming back, also its input's id.
fn return_field(item: RecordId) -> Field {
    Field::Other(format!("return-{item}"))
}

/// The loan page.
#[component]
pub fn LoanPage() -> impl IntoView {
    let params = use_params_map();
    let inventory = expect_context::<Inventory>();
    inventory.follow();
    let found = Memo::new(move |_| {
        let id: RecordId = params.read().get("id")?.parse().ok()?;
        let place = inventory.loans().into_iter().find(|l| l.id == id)?.place;
        inventory
            .loan_lines(place)
            .into_iter()
            .find(|line| line.loan.id == id)
    });
    move || match found.get() {
        Some(line) => view! { <LoanDetails line /> }.into_any(),
        None if !inventory.loaded.get() => ().into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn LoanDetails(line: LoanLine) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    let navigate = use_navigate();
    let owner: Owner = line.loan.place;
    let keeps = account.may(Action::ManageInventory, owner);
    let sees = account.may(Action::SeeBorrowers, owner);
    let loan_id = line.loan.id;
    let out: Vec<(RecordId, i64)> = line.out.iter().copied().filter(|(_, n)| *n > 0).collect();
    // Empty until the person says what came back: a partial return types only that, and
    // «Вернуть всё» fills in everything still out.
    let back: RwSignal<BTreeMap<RecordId, String>> = RwSignal::new(BTreeMap::new());
    let nothing_typed = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let phone = line.loan.borrower.as_ref().map(|b| b.phone.clone());
    let others = Memo::new(move |_| {
        let Some(phone) = phone.clone() else {
            return Vec::new();
        };
        inventory
            .loan_lines(owner)
            .into_iter()
            .filter(|l| {
                l.loan.id != loan_id && l.loan.borrower.as_ref().is_some_and(|b| b.phone == phone)
            })
            .collect::<Vec<_>>()
    });
    let out_for_submit = out.clone();
    let accept = move || {
        let mut found = Vec::new();
        let mut returns = Vec::new();
        for (item, _) in &out_for_submit {
            let typed = back
                .with_untracked(|b| b.get(item).cloned())
                .unwrap_or_default();
            let n = match parse_typed_count(&typed) {
                Ok(None | Some(0)) => continue,
                Ok(Some(n)) => u32::try_from(n).unwrap_or(u32::MAX),
                Err(code) => {
                    found.push(FieldError::new(return_field(*item), code));
                    continue;
                }
            };
            match new_movement(*item, owner, MovementKind::Returned { loan: loan_id }, n) {
                Ok(returned) => match inventory
                    .ledger
                    .with_untracked(|ledger| ledger.check_return(&returned))
                {
                    Ok(()) => returns.push(returned),
                    Err(error) => found.push(FieldError {
                        field: return_field(*item),
                        ..error
                    }),
                },
                Err(message) => return inventory.error.set(Some(message)),
            }
        }
        errors.set(found.clone());
        nothing_typed.set(found.is_empty() && returns.is_empty());
        if found.is_empty() && !returns.is_empty() {
            let edits = returns.iter().map(movement_edit).collect();
            save_then_back(
                edits,
                ("/inventory/loans", owner),
                t.desk.inv_returned_done.to_owned(),
                navigate.clone(),
            );
        }
    };
    let submit = {
        let accept = accept.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            accept();
        }
    };
    let everything = out.clone();
    let return_all = move |_| {
        back.set(
            everything
                .iter()
                .map(|(item, n)| (*item, n.to_string()))
                .collect(),
        );
        accept();
    };
    let item_name = move |item: RecordId| {
        inventory
            .item(item)
            .map(|i| i.name.as_str().to_owned())
            .unwrap_or_default()
    };
    view! {
        <section class="page inventory">
            <p><a href=href("/inventory/loans", owner)>{"← "}{t.common.inv_loans_out}</a></p>
            <h1>{(t.desk.inv_loan_title)(&t.date_time(loan_id.unix_ms()))}</h1>
            <p class="who">{borrower_text(&line, sees)}</p>
            <p class="meta" class:overdue=line.overdue>
                {(t.desk.inv_due)(&t.date(line.loan.due))}
                {line.overdue.then(|| view! { <span class="flag danger">{t.desk.inv_overdue}</span> })}
            </p>
            <Show when=move || line.settled>
                <p class="flag ok">{t.desk.inv_settled}</p>
            </Show>
            {(keeps && !out.is_empty()).then(|| view! {
                <form class="form" on:submit=submit novalidate>
                    <ul class="lend-lines">
                        {out.iter().map(|(item, n)| {
                            let item = *item;
                            let field = return_field(item);
                            let error = error_of(errors, field.clone());
                            view! {
                                <li class="field" class:invalid=move || error.with(Option::is_some)>
                                    <label for=field.to_string()>
                                        {item_name(item)}
                                        <span class="hint">{format!(" ({})", (t.desk.inv_out)(*n))}</span>
                                    </label>
                                    <CountInput id=field.to_string() key=item typed=back error />
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <Show when=move || nothing_typed.get()>
                        <p class="form-error" role="alert">{t.desk.inv_return_nothing}</p>
                    </Show>
                    <div class="actions">
                        <button type="button" class="button primary big" on:click=return_all>{t.desk.inv_return_all}</button>
                        <button type="submit" class="button big">{t.desk.inv_return}</button>
                    </div>
                </form>
            })}
            <Show when=move || others.with(|o| !o.is_empty())>
                <h2>{t.desk.inv_borrower_history}</h2>
                <ul class="cards loans">
                    {move || others.get().into_iter().map(|line| view! { <LoanCard line owner sees_borrowers=sees /> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}
