//! What a desk's screens show, summed from the ledger: each item's stock at a place with its
//! warnings, and the loans with what is still out.

use std::collections::HashMap;

use crate::access::Owner;
use crate::date::Date;
use crate::error::{ErrorCode, Field, FieldError};
use crate::id::RecordId;
use crate::inventory::item::{Condition, Item, ItemKind};
use crate::inventory::ledger::{Ledger, MovementKind, Stock};
use crate::inventory::loan::Loan;

/// One line of a place's stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockLine {
    /// The item.
    pub item: Item,
    /// Its stock at the place.
    pub stock: Stock,
    /// A consumable at or below its threshold.
    pub low: bool,
}

impl StockLine {
    /// Whether the item is waiting for repair rather than ready to lend.
    pub fn in_repair(&self) -> bool {
        self.item.condition == Condition::NeedsRepair
    }
}

/// The stock of every item `place` keeps, by name.
pub fn stock_lines(items: &[Item], ledger: &Ledger, place: Owner) -> Vec<StockLine> {
    let stock = ledger.stock();
    let mut lines: Vec<StockLine> = items
        .iter()
        .filter(|item| item.owner == place)
        .map(|item| {
            let here = stock.get(&(item.id, place)).copied().unwrap_or_default();
            let low = item.kind == ItemKind::Consumable
                && item
                    .low_stock
                    .is_some_and(|threshold| here.available <= i64::from(threshold));
            StockLine {
                item: item.clone(),
                stock: here,
                low,
            }
        })
        .collect();
    lines.sort_by_key(|line| line.item.name.as_str().to_lowercase());
    lines
}

/// Checks, on the device that moves them, that `quantity` can leave a shelf holding `stock`:
/// a person is told at once. (Two devices may still each take the last one offline; the
/// ledger keeps both and the stock shows it — see [`crate::inventory::ledger::Stock`].)
pub fn check_takes(stock: Stock, quantity: u32) -> Result<(), FieldError> {
    if i64::from(quantity) > stock.available {
        Err(FieldError::with_limit(
            Field::Other("quantity".to_owned()),
            ErrorCode::NotInStock,
            stock.available.max(0),
        ))
    } else {
        Ok(())
    }
}

/// One loan with what is still out on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoanLine {
    /// The loan.
    pub loan: Loan,
    /// Each item lent on it with how many are still out, in the order they were lent.
    pub out: Vec<(RecordId, i64)>,
    /// Whether everything came back.
    pub settled: bool,
    /// Whether it is overdue today.
    pub overdue: bool,
}

/// The loans of `place`, the latest first.
pub fn loan_lines(loans: &[Loan], ledger: &Ledger, place: Owner, today: Date) -> Vec<LoanLine> {
    let mut items_of: HashMap<RecordId, Vec<RecordId>> = HashMap::new();
    for m in ledger.movements() {
        if let MovementKind::Lent { loan } = m.kind {
            let items = items_of.entry(loan).or_default();
            if !items.contains(&m.item) {
                items.push(m.item);
            }
        }
    }
    let mut lines: Vec<LoanLine> = loans
        .iter()
        .filter(|loan| loan.place == place)
        .map(|loan| {
            let out: Vec<(RecordId, i64)> = items_of
                .get(&loan.id)
                .map(|items| {
                    items
                        .iter()
                        .map(|item| (*item, ledger.outstanding(loan.id, *item)))
                        .collect()
                })
                .unwrap_or_default();
            let settled = out.iter().all(|(_, n)| *n <= 0);
            LoanLine {
                overdue: loan.overdue(today, settled),
                loan: loan.clone(),
                out,
                settled,
            }
        })
        .collect();
    lines.sort_by_key(|line| std::cmp::Reverse(line.loan.id));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::CentreId;
    use crate::inventory::item::ItemInput;
    use crate::inventory::ledger::Movement;
    use crate::inventory::loan::LoanInput;

    const CENTRE: Owner = Owner::Centre(CentreId(1));

    fn id(n: u8, ms: u64) -> RecordId {
        RecordId::from_parts(ms, [n; 10])
    }

    fn item(n: u8, name: &str, kind: &str, low_stock: Option<i64>) -> Item {
        ItemInput {
            id: id(n, 1_764_028_800_000).to_string(),
            name: name.to_owned(),
            category: "Разное".to_owned(),
            unit: "шт.".to_owned(),
            kind: kind.to_owned(),
            low_stock,
            owner: Some(CENTRE),
            ..ItemInput::default()
        }
        .validate()
        .expect("valid")
    }

    fn moved(n: u8, item: &Item, kind: MovementKind, quantity: u32) -> Movement {
        Movement {
            id: id(n, 1_764_028_800_000 + u64::from(n)),
            item: item.id,
            place: CENTRE,
            kind,
            quantity,
        }
    }

    #[test]
    fn a_desk_shows_stock_by_name_low_consumables_and_overdue_loans() {
        let today = Date::from_ymd(2026, 11, 25).expect("a date");
        let ball = item(1, "Мяч", "durable", None);
        let bags = item(2, "Мешки", "consumable", Some(10));
        let loan = LoanInput {
            id: id(3, 1_764_028_800_000).to_string(),
            place: Some(CENTRE),
            name: "Иван".to_owned(),
            phone: "89051234567".to_owned(),
            due: "2026-11-25".to_owned(),
        }
        .validate(today)
        .expect("valid");
        let mut ledger = Ledger::new();
        for m in [
            moved(10, &ball, MovementKind::Received, 2),
            moved(11, &bags, MovementKind::Received, 50),
            moved(12, &bags, MovementKind::Issued { activity: None }, 40),
            moved(13, &ball, MovementKind::Lent { loan: loan.id }, 2),
            moved(14, &ball, MovementKind::Returned { loan: loan.id }, 1),
        ] {
            ledger.add(m);
        }
        let lines = stock_lines(&[ball.clone(), bags.clone()], &ledger, CENTRE);
        let shown: Vec<(&str, i64, i64, bool)> = lines
            .iter()
            .map(|l| (l.item.name.as_str(), l.stock.available, l.stock.lent, l.low))
            .collect();
        assert_eq!(shown, [("Мешки", 10, 0, true), ("Мяч", 1, 1, false)]);
        let on_time = loan_lines(std::slice::from_ref(&loan), &ledger, CENTRE, today);
        assert_eq!(on_time[0].out, [(ball.id, 1)]);
        assert!(!on_time[0].settled && !on_time[0].overdue);
        let late = loan_lines(&[loan], &ledger, CENTRE, today.next_day());
        assert!(late[0].overdue);
        let ball_stock = lines[1].stock;
        assert!(check_takes(ball_stock, 1).is_ok());
        assert_eq!(
            check_takes(ball_stock, 2).map_err(|e| (e.code, e.limit)),
            Err((ErrorCode::NotInStock, Some(1)))
        );
    }
}
