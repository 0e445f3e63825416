//! A loan as the desk's lists show it, and its borrower as the person may see them.

use dvor_core::access::Owner;
use dvor_core::inventory::desk::LoanLine;
use dvor_core::login::display_phone;
use leptos::prelude::*;

use crate::i18n::t;
use crate::inventory::{Inventory, href};

/// A loan on the desk's list: who, what is out, when due.
#[component]
pub fn LoanCard(line: LoanLine, owner: Owner, sees_borrowers: bool) -> impl IntoView {
    let t = t();
    let inventory = expect_context::<Inventory>();
    let who = borrower_text(&line, sees_borrowers);
    let out: Vec<String> = line
        .out
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(item, n)| {
            inventory
                .item(*item)
                .map(|i| format!("{} — {n} {}", i.name.as_str(), i.unit.as_str()))
                .unwrap_or_else(|| (t.desk.inv_out)(*n))
        })
        .collect();
    let link = href(&format!("/inventory/loans/{}", line.loan.id), owner);
    view! {
        <li class="card loan" class:overdue=line.overdue>
            <a href=link class="who">{who}</a>
            <p>{out.join(", ")}</p>
            <p class="meta">
                {(t.desk.inv_due)(&t.date(line.loan.due))}
                {line.overdue.then(|| view! { <span class="flag danger">{t.desk.inv_overdue}</span> })}
                {line.settled.then(|| view! { <span class="flag ok">{t.desk.inv_settled}</span> })}
            </p>
        </li>
    }
}

/// The borrower as the person may see them.
pub fn borrower_text(line: &LoanLine, sees_borrowers: bool) -> String {
    match (&line.loan.borrower, sees_borrowers) {
        (Some(b), _) => format!("{}, {}", b.name.as_str(), display_phone(&b.phone)),
        (None, true) => t().desk.inv_erased_borrower.to_owned(),
        (None, false) => t().desk.inv_hidden_borrower.to_owned(),
    }
}
