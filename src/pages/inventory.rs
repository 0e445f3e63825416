//! The desk's two screens, each over the place chosen: `/inventory`, the stock — available,
//! lent out, in repair, with the over-lending and low-stock flags — with the desk's actions and
//! the ledger's export; `/inventory/loans`, the loans out now, overdue ones first.

use std::collections::HashMap;

use dvor_core::access::{Action, Owner};
use dvor_core::export::Names;
use dvor_core::export::tables::ledger_csv;
use dvor_core::inventory::desk::LoanLine;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::account::Account;
use crate::clock::today;
use crate::components::flash::FlashMessage;
use crate::components::loan_card::LoanCard;
use crate::files::download;
use crate::i18n::t;
use crate::inventory::{Inventory, chosen_place, href, places, remember_place};

/// `/inventory`.
#[component]
pub fn InventoryPage() -> impl IntoView {
    view! { <DeskScreen shows=Shows::Stock /> }
}

/// `/inventory/loans`.
#[component]
pub fn LoansPage() -> impl IntoView {
    view! { <DeskScreen shows=Shows::Loans /> }
}

/// Which of the desk's screens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shows {
    Stock,
    Loans,
}

/// The chosen place's screen, with the choice of place where the person has several.
#[component]
fn DeskScreen(shows: Shows) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    inventory.follow();
    let place = chosen_place(&account);
    let path = match shows {
        Shows::Stock => "/inventory",
        Shows::Loans => "/inventory/loans",
    };
    let title = match shows {
        Shows::Stock => t.common.inv_title,
        Shows::Loans => t.common.inv_loans_out,
    };
    view! {
        <section class="page inventory">
            <FlashMessage />
            <h1>{title}</h1>
            <Show
                when=move || place.get().is_some()
                fallback=move || view! { <p class="empty">{t.common.inv_no_places}</p> }
            >
                <PlaceChoice path place />
                {move || place.get().map(|owner| match shows {
                    Shows::Stock => view! { <Stock owner /> }.into_any(),
                    Shows::Loans => view! { <Loans owner /> }.into_any(),
                })}
            </Show>
        </section>
    }
}

/// The choice of place, for a person with more than one; choosing opens `path` there.
#[component]
fn PlaceChoice(path: &'static str, place: Memo<Option<Owner>>) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let choices = move || {
        places(&account)
            .into_iter()
            .map(|p| (p.owner.key(), p.name))
            .collect::<Vec<_>>()
    };
    let navigate = use_navigate();
    let choose = move |ev| {
        if let Some(owner) = Owner::from_key(&event_target_value(&ev)) {
            remember_place(owner);
            navigate(&href(path, owner), Default::default());
        }
    };
    (choices().len() > 1).then(|| {
        view! {
            <div class="field">
                <label for="inv-place">{t.common.inv_place}</label>
                <select id="inv-place" on:change=choose>
                    {move || {
                        let chosen = place.get().map(Owner::key);
                        choices()
                            .into_iter()
                            .map(|(key, name)| {
                                let selected = chosen.as_deref() == Some(key.as_str());
                                view! { <option value=key selected=selected>{name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
        }
    })
}

/// The stock of `owner`, with the desk's actions.
#[component]
fn Stock(owner: Owner) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    let keeps = account.may(Action::ManageInventory, owner);
    let lines = Memo::new(move |_| inventory.stock(owner));
    let export = move |_| {
        let items: HashMap<_, _> = inventory
            .items()
            .into_iter()
            .map(|i| (i.id, i.name.as_str().to_owned()))
            .collect();
        let places = account.owner_names();
        let csv = inventory.ledger.with_untracked(|ledger| {
            ledger_csv(
                ledger.movements().filter(|m| m.place == owner),
                &Names {
                    items,
                    owners: places,
                    ..Names::default()
                },
                t,
            )
        });
        if let Err(error) = download(&format!("ledger-{}.csv", today()), "text/csv", &csv) {
            inventory.error.set(Some(error));
        }
    };
    view! {
        <div class="actions">
            {keeps.then(|| view! {
                <a class="button primary" href=href("/inventory/lend", owner)>{t.common.inv_lend}</a>
                <a class="button" href=href("/inventory/add", owner)>{t.common.inv_add}</a>
                <a class="button" href=href("/inventory/count", owner)>{t.common.inv_count}</a>
            })}
            <button type="button" class="button" on:click=export>{t.common.inv_export}</button>
        </div>
        {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <h2>{t.common.inv_stock}</h2>
        <Show
            when=move || lines.with(|l| !l.is_empty()) || !inventory.loaded.get()
            fallback=move || view! { <p class="empty">{t.common.inv_empty}</p> }
        >
            <table class="stock">
                <thead>
                    <tr>
                        <th>{t.common.inv_item_col}</th>
                        <th class="num">{t.common.inv_available}</th>
                        <th class="num">{t.common.inv_lent_col}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || lines.get().into_iter().map(|line| {
                        let over = line.stock.over_lent();
                        let link = href(&format!("/inventory/items/{}", line.item.id), owner);
                        view! {
                            <tr class:over=over class:low=line.low>
                                <td>
                                    <a href=link>{line.item.name.as_str().to_owned()}</a>
                                    <span class="unit">{format!(" {}", line.item.unit.as_str())}</span>
                                    {over.then(|| view! { <span class="flag danger">{t.common.inv_over_lent}</span> })}
                                    {line.low.then(|| view! { <span class="flag warn">{t.common.inv_low}</span> })}
                                    {line.in_repair().then(|| view! { <span class="flag">{t.common.inv_in_repair}</span> })}
                                </td>
                                <td class="num available">{line.stock.available}</td>
                                <td class="num lent">{line.stock.lent}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <Show when=move || lines.with(|l| l.iter().any(|l| l.stock.over_lent()))>
                <p class="hint">{t.common.inv_over_lent_hint}</p>
            </Show>
        </Show>
    }
}

/// The loans out now at `owner`, overdue ones first.
#[component]
fn Loans(owner: Owner) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    let keeps = account.may(Action::ManageInventory, owner);
    let sees_borrowers = account.may(Action::SeeBorrowers, owner);
    let loans = Memo::new(move |_| {
        let mut out: Vec<LoanLine> = inventory
            .loan_lines(owner)
            .into_iter()
            .filter(|line| !line.settled)
            .collect();
        out.sort_by_key(|line| !line.overdue);
        out
    });
    view! {
        {keeps.then(|| view! {
            <div class="actions">
                <a class="button primary" href=href("/inventory/lend", owner)>{t.common.inv_lend}</a>
            </div>
        })}
        {move || inventory.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <Show
            when=move || loans.with(|l| !l.is_empty())
            fallback=move || view! { <p class="empty">{t.common.inv_no_loans_out}</p> }
        >
            <ul class="cards loans">
                {move || loans.get().into_iter().map(|line| view! {
                    <LoanCard line owner sees_borrowers />
                }).collect_view()}
            </ul>
        </Show>
    }
}
