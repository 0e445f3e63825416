//! `/inventory/loans/:id`: one loan — who borrowed (for the desk's people), what is still out,
//! taking back all or part, and the same borrower's other loans.

use std::collections::BTreeMap;

use dvor_core::access::{Action, Owner};
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::inventory::desk::{LoanLine, loan_lines, local_time};
use dvor_core::inventory::ledger::MovementKind;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::account::Account;
use crate::clock::today;
use crate::components::flash::Flash;
use crate::i18n::t;
use crate::inventory::{Inventory, href, movement, save_all};
use crate::pages::inventory::{LoanCard, borrower_text};
use crate::pages::not_found::NotFound;

/// The loan page.
#[component]
pub fn LoanPage() -> impl IntoView {
    let params = use_params_map();
    let inventory = expect_context::<Inventory>();
    inventory.follow();
    let found = Memo::new(move |_| {
        let id: RecordId = params.read().get("id")?.parse().ok()?;
        let loan = inventory.loans().into_iter().find(|l| l.id == id)?;
        loan_lines(
            std::slice::from_ref(&loan),
            &inventory.ledger(),
            loan.place,
            today(),
        )
        .pop()
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
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let owner: Owner = line.loan.place;
    let keeps = account.may(Action::ManageInventory, owner);
    let sees = account.may(Action::SeeBorrowers, owner);
    let loan_id = line.loan.id;
    let out: Vec<(RecordId, i64)> = line.out.iter().copied().filter(|(_, n)| *n > 0).collect();
    let back: RwSignal<BTreeMap<RecordId, String>> =
        RwSignal::new(out.iter().map(|(item, n)| (*item, n.to_string())).collect());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let phone = line.loan.borrower.as_ref().map(|b| b.phone.clone());
    let others = Memo::new(move |_| {
        let Some(phone) = phone.clone() else {
            return Vec::new();
        };
        loan_lines(&inventory.loans(), &inventory.ledger(), owner, today())
            .into_iter()
            .filter(|l| {
                l.loan.id != loan_id && l.loan.borrower.as_ref().is_some_and(|b| b.phone == phone)
            })
            .collect::<Vec<_>>()
    });
    let out_for_submit = out.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ledger = inventory.ledger();
        let mut found = Vec::new();
        let mut edits = Vec::new();
        for (item, _) in &out_for_submit {
            let field = Field::Other(format!("return-{item}"));
            let typed = back
                .with_untracked(|b| b.get(item).cloned())
                .unwrap_or_default();
            match parse_typed_count(&typed) {
                Ok(None) | Ok(Some(0)) => {}
                Ok(Some(n)) => {
                    let n = u32::try_from(n).unwrap_or(u32::MAX);
                    let made = movement(*item, owner, MovementKind::Returned { loan: loan_id }, n);
                    match made {
                        Ok(edit) => {
                            let check = dvor_core::inventory::ledger::Movement {
                                id: edit.id,
                                item: *item,
                                place: owner,
                                kind: MovementKind::Returned { loan: loan_id },
                                quantity: n,
                            };
                            match ledger.check_return(&check) {
                                Ok(()) => edits.push(edit),
                                Err(error) => found.push(FieldError {
                                    field: field.clone(),
                                    ..error
                                }),
                            }
                        }
                        Err(message) => {
                            inventory.error.set(Some(message));
                            return;
                        }
                    }
                }
                Err(code) => found.push(FieldError::new(field, code)),
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
                    flash.set(t.inv_returned_done);
                    navigate(&href("/inventory", owner), Default::default());
                }
                Err(message) => inventory.error.set(Some(message)),
            }
        });
    };
    let item_name = move |item: RecordId| {
        inventory
            .item(item)
            .map(|i| i.name.as_str().to_owned())
            .unwrap_or_default()
    };
    view! {
        <section class="page inventory">
            <p><a href=href("/inventory", owner)>{"← "}{t.inv_title}</a></p>
            <h1>{(t.inv_loan_title)(&local_time(loan_id.unix_ms()))}</h1>
            <p class="who">{borrower_text(&line, sees)}</p>
            <p class="meta" class:overdue=line.overdue>
                {(t.inv_due)(&line.loan.due.to_string())}
                {line.overdue.then(|| view! { <span class="flag danger">{t.inv_overdue}</span> })}
            </p>
            <Show when=move || line.settled>
                <p class="flag ok">{t.inv_settled}</p>
            </Show>
            {(keeps && !out.is_empty()).then(|| view! {
                <form class="form" on:submit=submit novalidate>
                    <ul class="lend-lines">
                        {out.iter().map(|(item, n)| {
                            let item = *item;
                            let id = format!("return-{item}");
                            let error = Signal::derive(move || errors.with(|e| {
                                e.iter().find(|e| e.field == Field::Other(format!("return-{item}"))).map(|e| t.field_error(e))
                            }));
                            view! {
                                <li class="field" class:invalid=move || error.with(Option::is_some)>
                                    <label for=id.clone()>
                                        {item_name(item)}
                                        <span class="hint">{format!(" ({})", (t.inv_out)(*n))}</span>
                                    </label>
                                    <input
                                        id=id
                                        type="text"
                                        inputmode="numeric"
                                        autocomplete="off"
                                        prop:value=move || back.with(|b| b.get(&item).cloned().unwrap_or_default())
                                        on:input=move |ev| back.update(|b| { b.insert(item, event_target_value(&ev)); })
                                    />
                                    {move || error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <button type="submit" class="button primary big">{t.inv_return}</button>
                </form>
            })}
            <Show when=move || others.with(|o| !o.is_empty())>
                <h2>{t.inv_borrower_history}</h2>
                <ul class="cards loans">
                    {move || others.get().into_iter().map(|line| view! { <LoanCard line owner sees_borrowers=sees /> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}
