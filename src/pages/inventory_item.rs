//! `/inventory/items/:id`: one item at a place — its stock, its condition and low-stock
//! threshold, the movements a person records by hand (received, issued, written off, sent to
//! another place), and its history.

use dvor_core::access::{Action, Owner};
use dvor_core::activity::parse_typed_count;
use dvor_core::error::{ErrorCode, Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::inventory::desk::check_takes;
use dvor_core::inventory::item::{Condition, Item, ItemKind};
use dvor_core::inventory::ledger::{MovementKind, WriteOffReason};
use dvor_core::record::RecordKind;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::account::Account;
use crate::components::flash::FlashMessage;
use crate::components::form_field::{FormField, InputKind, SelectField, error_of};
use crate::i18n::t;
use crate::inventory::{Inventory, fresh_id, href, movement, new_record, save_all};
use crate::pages::not_found::NotFound;
use crate::store::Edit;

/// The item page.
#[component]
pub fn InventoryItemPage() -> impl IntoView {
    let params = use_params_map();
    let inventory = expect_context::<Inventory>();
    inventory.follow();
    let found = Memo::new(move |_| {
        let id: RecordId = params.read().get("id")?.parse().ok()?;
        inventory.item(id)
    });
    move || match found.get() {
        Some(item) => view! { <ItemDetails item /> }.into_any(),
        None if !inventory.loaded.get() => ().into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

/// What a person records by hand on the item page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Doing {
    Receive,
    Issue,
    WriteOff,
    Transfer,
}

impl Doing {
    const ALL: [Doing; 4] = [
        Doing::Receive,
        Doing::Issue,
        Doing::WriteOff,
        Doing::Transfer,
    ];

    fn key(self) -> &'static str {
        match self {
            Doing::Receive => "receive",
            Doing::Issue => "issue",
            Doing::WriteOff => "write_off",
            Doing::Transfer => "transfer",
        }
    }

    fn label(self) -> &'static str {
        let t = t();
        match self {
            Doing::Receive => t.common.inv_do_receive,
            Doing::Issue => t.common.inv_do_issue,
            Doing::WriteOff => t.common.inv_do_write_off,
            Doing::Transfer => t.common.inv_do_transfer,
        }
    }
}

const REASONS: [WriteOffReason; 3] = [
    WriteOffReason::Lost,
    WriteOffReason::Broken,
    WriteOffReason::WornOut,
];

#[component]
fn ItemDetails(item: Item) -> impl IntoView {
    let t = t();
    let owner = item.owner;
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    let keeps = account.may(Action::ManageInventory, owner);
    let id = item.id;
    let stock = Memo::new(move |_| inventory.ledger.with(|l| l.stock_of(id, owner)));
    let history = Memo::new(move |_| {
        let mut moves: Vec<_> = inventory.ledger.with(|ledger| {
            ledger
                .movements()
                .filter(|m| m.item == id && m.place == owner)
                .copied()
                .collect()
        });
        moves.reverse();
        moves
    });
    let names = StoredValue::new(account.owner_names());
    let place_name = move |o: Owner| {
        names
            .with_value(|n| n.get(&o).cloned())
            .unwrap_or_else(|| (t.common.unknown_owner)(o))
    };
    let describe = move |kind: MovementKind| match kind.other_place() {
        Some(other) => format!(
            "{} — {}",
            (t.common.inv_movement_name)(kind),
            place_name(other)
        ),
        None => (t.common.inv_movement_name)(kind),
    };
    view! {
        <section class="page inventory">
            <FlashMessage />
            <p><a href=href("/inventory", owner)>{"← "}{t.common.inv_title}</a></p>
            <h1>{item.name.as_str().to_owned()}</h1>
            <p class="meta">
                {format!("{} · {} · {}", item.category.as_str(), (t.common.inv_kind_name)(item.kind), item.unit.as_str())}
                {item.inventory_number.as_ref().map(|n| format!(" · № {}", n.as_str()))}
            </p>
            <table class="stock">
                <tbody>
                    <tr class:over=move || stock.get().over_lent()>
                        <th>{t.common.inv_available}</th>
                        <td class="num available">{move || stock.get().available}</td>
                    </tr>
                    <tr>
                        <th>{t.common.inv_lent_col}</th>
                        <td class="num lent">{move || stock.get().lent}</td>
                    </tr>
                </tbody>
            </table>
            <Show when=move || stock.get().over_lent()>
                <p class="flag danger">{t.common.inv_over_lent}</p>
                <p class="hint">{t.common.inv_over_lent_hint}</p>
            </Show>
            {keeps.then(|| view! {
                <MovementForm item=item.clone() owner stock />
                <ItemSettings item=item.clone() />
            })}
            <h2>{t.common.inv_history}</h2>
            <Show
                when=move || history.with(|h| !h.is_empty())
                fallback=move || view! { <p class="empty">{t.common.inv_no_history}</p> }
            >
                <table class="history">
                    <tbody>
                        {move || history.get().into_iter().map(|m| view! {
                            <tr>
                                <td>{t.date_time(m.id.unix_ms())}</td>
                                <td>{describe(m.kind)}</td>
                                <td class="num">{m.quantity}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

#[component]
fn MovementForm(
    item: Item,
    owner: Owner,
    stock: Memo<dvor_core::inventory::ledger::Stock>,
) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let inventory = expect_context::<Inventory>();
    let doing = RwSignal::new(Doing::Receive.key().to_owned());
    let quantity = RwSignal::new(String::new());
    let reason = RwSignal::new(format!("{:?}", WriteOffReason::Lost));
    let to = RwSignal::new(String::new());
    let activity = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    // The place's latest work, for consumables issued to it (40 bags at a clean-up day).
    let records = expect_context::<crate::records::Records>();
    let activities = Signal::derive(move || {
        records.list.with(|list| {
            list.iter()
                .filter(|a| a.record.owner == owner)
                .take(20)
                .map(|a| {
                    let label = format!(
                        "{} — {}",
                        a.record.date,
                        (t.common.kind_name)(a.record.kind)
                    );
                    (a.record.id.to_string(), label)
                })
                .collect::<Vec<_>>()
        })
    });
    let saved = RwSignal::new(None::<&'static str>);
    let kinds: Vec<(String, String)> = Doing::ALL
        .into_iter()
        .filter(|d| *d != Doing::Issue || item.kind == ItemKind::Consumable)
        .map(|d| (d.key().to_owned(), d.label().to_owned()))
        .collect();
    let reasons: Vec<(String, String)> = REASONS
        .into_iter()
        .map(|r| (format!("{r:?}"), (t.common.inv_reason_name)(r).to_owned()))
        .collect();
    let destinations: Vec<(String, String)> = account
        .owners_for(Action::ManageInventory)
        .into_iter()
        .filter(|p| p.owner != owner)
        .map(|p| (p.owner.key(), p.name))
        .collect();
    let chosen = move || {
        Doing::ALL
            .into_iter()
            .find(|d| doing.with(|k| k == d.key()))
    };
    let item_for_submit = item.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let Some(doing) = chosen() else { return };
        let quantity_field = || Field::Other("quantity".to_owned());
        let n = match parse_typed_count(&quantity.get_untracked()) {
            Ok(Some(n)) if n >= 1 => u32::try_from(n).unwrap_or(u32::MAX),
            Ok(_) => {
                errors.set(vec![FieldError::with_limit(
                    quantity_field(),
                    ErrorCode::TooSmall,
                    1,
                )]);
                return;
            }
            Err(code) => {
                errors.set(vec![FieldError::new(quantity_field(), code)]);
                return;
            }
        };
        if doing != Doing::Receive
            && let Err(error) = check_takes(stock.get_untracked(), n)
        {
            errors.set(vec![error]);
            return;
        }
        let edits = match doing {
            Doing::Receive => {
                movement(item_for_submit.id, owner, MovementKind::Received, n).map(|e| vec![e])
            }
            Doing::Issue => movement(
                item_for_submit.id,
                owner,
                MovementKind::Issued { activity: None },
                n,
            )
            .map(|e| vec![e]),
            Doing::WriteOff => {
                let reason = REASONS
                    .into_iter()
                    .find(|r| reason.with_untracked(|k| *k == format!("{r:?}")))
                    .unwrap_or(WriteOffReason::Lost);
                movement(
                    item_for_submit.id,
                    owner,
                    MovementKind::WrittenOff { reason },
                    n,
                )
                .map(|e| vec![e])
            }
            Doing::Transfer => match Owner::from_key(&to.get_untracked()) {
                Some(to) => transfer(&item_for_submit, owner, to, n, &inventory),
                None => {
                    errors.set(vec![FieldError::new(
                        Field::Other("to".to_owned()),
                        ErrorCode::Required,
                    )]);
                    return;
                }
            },
        };
        let edits = match edits {
            Ok(edits) => edits,
            Err(message) => {
                inventory.error.set(Some(message));
                return;
            }
        };
        errors.set(Vec::new());
        let save = save_all(edits);
        leptos::task::spawn_local(async move {
            match save.await {
                Ok(()) => {
                    quantity.set(String::new());
                    saved.set(Some(t.common.inv_recorded));
                }
                Err(message) => inventory.error.set(Some(message)),
            }
        });
    };
    view! {
        <form class="form movement" on:submit=submit novalidate>
            <SelectField id="inv-action" label=t.common.inv_action value=doing options=Signal::derive(move || kinds.clone()) />
            <FormField id="quantity" label=t.common.inv_quantity value=quantity kind=InputKind::Count error=error_of(errors, Field::Other("quantity".to_owned())) />
            <Show when=move || chosen() == Some(Doing::Issue)>
                <SelectField id="inv-activity" label=t.common.inv_for_activity value=activity options=activities none=t.common.inv_no_activity />
            </Show>
            <Show when=move || chosen() == Some(Doing::WriteOff)>
                <SelectField id="inv-reason" label=t.common.inv_reason value=reason options=Signal::derive({ let r = reasons.clone(); move || r.clone() }) />
            </Show>
            <Show when=move || chosen() == Some(Doing::Transfer)>
                <SelectField id="inv-to" label=t.common.inv_to value=to options=Signal::derive({ let d = destinations.clone(); move || d.clone() }) error=error_of(errors, Field::Other("to".to_owned())) />
            </Show>
            <button type="submit" class="button primary">{t.common.inv_record}</button>
            {move || saved.get().map(|m| view! { <p class="flash" role="status">{m}</p> })}
        </form>
    }
}

/// A transfer of `n` of `item` from `from` to `to`: sent here, arrived there, where the item is
/// kept under its own record — the one of the same name and unit the place has, or a new one —
/// so the people of each place see their half.
fn transfer(
    item: &Item,
    from: Owner,
    to: Owner,
    n: u32,
    inventory: &Inventory,
) -> Result<Vec<Edit>, String> {
    let same = |other: &Item| {
        other.owner == to
            && other.name.as_str().to_lowercase() == item.name.as_str().to_lowercase()
            && other.unit == item.unit
    };
    let mut edits = vec![movement(
        item.id,
        from,
        MovementKind::Transferred { to },
        n,
    )?];
    let there = match inventory.items().into_iter().find(same) {
        Some(there) => there.id,
        None => {
            let id = fresh_id()?;
            let copy = Item {
                id,
                owner: to,
                ..item.clone()
            };
            edits.push(new_record(RecordKind::Item, id, to, copy.values()));
            id
        }
    };
    edits.push(movement(there, to, MovementKind::Arrived { from }, n)?);
    Ok(edits)
}

#[component]
fn ItemSettings(item: Item) -> impl IntoView {
    let t = t();
    let inventory = expect_context::<Inventory>();
    let condition = RwSignal::new(format!("{:?}", item.condition));
    let low = RwSignal::new(item.low_stock.map(|n| n.to_string()).unwrap_or_default());
    let saved = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let conditions: Vec<(String, String)> = [
        Condition::Good,
        Condition::NeedsRepair,
        Condition::WrittenOff,
    ]
    .into_iter()
    .map(|c| {
        (
            format!("{c:?}"),
            (t.common.inv_condition_name)(c).to_owned(),
        )
    })
    .collect();
    let consumable = item.kind == ItemKind::Consumable;
    let base = item.values();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let condition = [
            Condition::Good,
            Condition::NeedsRepair,
            Condition::WrittenOff,
        ]
        .into_iter()
        .find(|c| condition.with_untracked(|k| *k == format!("{c:?}")))
        .unwrap_or_default();
        let low_stock = match parse_typed_count(&low.get_untracked()) {
            Ok(n) => n.and_then(|n| u32::try_from(n).ok()),
            Err(code) => {
                error.set(Some((t.common.error)(code, None)));
                return;
            }
        };
        let changed = Item {
            condition,
            low_stock: low_stock.filter(|_| consumable),
            ..item.clone()
        };
        error.set(None);
        let edit = Edit::from_form(
            item.id,
            RecordKind::Item,
            item.owner,
            changed.values(),
            Some(&base),
        );
        let save = save_all(vec![edit]);
        leptos::task::spawn_local(async move {
            match save.await {
                Ok(()) => saved.set(Some(t.common.inv_recorded)),
                Err(message) => inventory.error.set(Some(message)),
            }
        });
    };
    view! {
        <form class="form settings" on:submit=submit novalidate>
            <h2>{t.common.inv_item_settings}</h2>
            <SelectField id="inv-condition" label=t.common.inv_condition_col value=condition options=Signal::derive(move || conditions.clone()) />
            {consumable.then(|| view! {
                <FormField id="low-stock" label=t.common.inv_low_stock value=low kind=InputKind::Count optional=true error=Signal::derive(move || error.get()) />
            })}
            <button type="submit" class="button">{t.common.inv_save}</button>
            {move || saved.get().map(|m| view! { <p class="flash" role="status">{m}</p> })}
        </form>
    }
}
