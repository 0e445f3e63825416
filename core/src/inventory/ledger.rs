//! The ledger: every change to stock is a movement — received, lent, returned, issued, written
//! off, transferred, or a stock-take's correction — made once and never edited (a mistake is
//! reversed by another movement). Stock is their sum, so it is the same on every device that
//! holds the same movements, whatever order they arrived in and however often: movements are
//! counted once each, by id.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Owner;
use crate::error::{ErrorCode, Field, FieldError, ValidationErrors};
use crate::id::RecordId;
use crate::inventory::item::MAX_QUANTITY;
use crate::record::Envelope;
use crate::values::Reader;

/// Why an item was written off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteOffReason {
    /// Утерян.
    Lost,
    /// Сломан.
    Broken,
    /// Износился.
    WornOut,
}

/// What a movement does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Came in: bought, donated, found.
    Received,
    /// Lent on `loan`.
    Lent {
        /// The loan.
        loan: RecordId,
    },
    /// Came back from `loan`.
    Returned {
        /// The loan.
        loan: RecordId,
    },
    /// A consumable given out, perhaps for a logged activity (40 bags at a clean-up day).
    Issued {
        /// The activity it went to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        activity: Option<RecordId>,
    },
    /// Gone for good.
    WrittenOff {
        /// Why.
        reason: WriteOffReason,
    },
    /// Sent from the movement's place to `to`, where an [`MovementKind::Arrived`] movement of
    /// the same transfer adds it: each half is kept where its stock changes, so each place's
    /// people see their own half.
    Transferred {
        /// Where it went.
        to: Owner,
    },
    /// Came from another place by a transfer.
    Arrived {
        /// Where it came from.
        from: Owner,
    },
    /// A stock-take found `counted` where the device showed a different number: the movement's
    /// quantity is the difference, `more` saying whether there were more than shown.
    Counted {
        /// What the count found.
        counted: u32,
        /// Whether the count found more than the device showed (else fewer).
        more: bool,
    },
}

impl MovementKind {
    /// The other end of a transfer.
    pub fn other_place(self) -> Option<Owner> {
        match self {
            MovementKind::Transferred { to: other } | MovementKind::Arrived { from: other } => {
                Some(other)
            }
            _ => None,
        }
    }

    /// The loan a lending or a return belongs to.
    pub fn loan(self) -> Option<RecordId> {
        match self {
            MovementKind::Lent { loan } | MovementKind::Returned { loan } => Some(loan),
            _ => None,
        }
    }

    /// Reads the kind of the movement `record` holds, if it holds one.
    pub fn of(record: &Envelope) -> Option<MovementKind> {
        let field = record.fields.get(FIELDS[1])?;
        serde_json::from_value(field.value.clone()).ok()
    }
}

/// One movement of one item at one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Movement {
    /// Made on the device that recorded it.
    pub id: RecordId,
    /// The item moved.
    pub item: RecordId,
    /// Where: the centre or committee whose stock it changes.
    pub place: Owner,
    /// What happened.
    pub kind: MovementKind,
    /// How many, always above zero.
    pub quantity: u32,
}

/// The names of a movement record's fields.
const FIELDS: [&str; 3] = ["item", "movement", "quantity"];

impl Movement {
    /// The values a record of this movement holds; the place is the record's owner.
    pub fn values(&self) -> BTreeMap<String, Value> {
        BTreeMap::from([
            (FIELDS[0].to_owned(), Value::from(self.item.to_string())),
            (
                FIELDS[1].to_owned(),
                serde_json::to_value(self.kind).unwrap_or(Value::Null),
            ),
            (FIELDS[2].to_owned(), Value::from(self.quantity)),
        ])
    }

    /// Reads back a record that passed [`Movement::from_record`] when it was stored.
    pub fn from_stored(record: &Envelope) -> Option<Movement> {
        Movement::from_record(record).ok()
    }

    /// Checks a record's current values and returns the movement they make.
    pub fn from_record(record: &Envelope) -> Result<Movement, ValidationErrors> {
        let other = |name: &str| Field::Other(name.to_owned());
        let mut reader = Reader::new(record.values());
        let item = reader.typed::<RecordId>(FIELDS[0], other(FIELDS[0]));
        let kind = reader.typed::<MovementKind>(FIELDS[1], Field::Kind);
        let quantity = reader.typed::<u32>(FIELDS[2], other(FIELDS[2]));
        let mut errors = reader.finish();
        match (item, kind, quantity) {
            (Some(item), Some(kind), Some(quantity)) if errors.is_empty() => {
                let movement = Movement {
                    id: record.id,
                    item,
                    place: record.owner,
                    kind,
                    quantity,
                };
                validate_movement(&movement)?;
                Ok(movement)
            }
            _ => {
                if errors.is_empty() {
                    let absent = [
                        (item.is_none(), other(FIELDS[0])),
                        (kind.is_none(), Field::Kind),
                        (quantity.is_none(), other(FIELDS[2])),
                    ];
                    errors.extend(
                        absent
                            .into_iter()
                            .filter(|(absent, _)| *absent)
                            .map(|(_, field)| FieldError::new(field, ErrorCode::Required)),
                    );
                }
                ValidationErrors::check(errors)
                    .map(|()| unreachable!("an absent value was recorded just above"))
            }
        }
    }
}

/// One item's stock at one place.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stock {
    /// On the shelf: may fall below zero when two devices lent the last one offline, which the
    /// screens flag for a person to settle, never clamp.
    pub available: i64,
    /// Out on loans.
    pub lent: i64,
}

impl Stock {
    /// Whether more went out than there was: «выдано больше, чем есть».
    pub fn over_lent(&self) -> bool {
        self.available < 0
    }
}

/// Checks a movement's own values (not what the ledger holds): a quantity above zero and
/// plausible, a transfer to another place, a count that matches its difference's direction.
pub fn validate_movement(movement: &Movement) -> Result<(), FieldError> {
    let quantity = || Field::Other("quantity".to_owned());
    if movement.quantity == 0 {
        return Err(FieldError::with_limit(quantity(), ErrorCode::TooSmall, 1));
    }
    if movement.quantity > MAX_QUANTITY {
        return Err(FieldError::with_limit(
            quantity(),
            ErrorCode::TooLarge,
            i64::from(MAX_QUANTITY),
        ));
    }
    match movement.kind {
        MovementKind::Transferred { to: other } | MovementKind::Arrived { from: other }
            if other == movement.place =>
        {
            Err(FieldError::new(
                Field::Other("to".to_owned()),
                ErrorCode::SamePlace,
            ))
        }
        MovementKind::Counted { counted, .. } if counted > MAX_QUANTITY => {
            Err(FieldError::with_limit(
                Field::Other("counted".to_owned()),
                ErrorCode::TooLarge,
                i64::from(MAX_QUANTITY),
            ))
        }
        _ => Ok(()),
    }
}

/// The movements a device or the server holds, each once by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    movements: BTreeMap<RecordId, Movement>,
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `movement`; one already held (a second delivery) changes nothing.
    pub fn add(&mut self, movement: Movement) {
        self.movements.entry(movement.id).or_insert(movement);
    }

    /// Every movement, in id order (the order they were made in).
    pub fn movements(&self) -> impl Iterator<Item = &Movement> {
        self.movements.values()
    }

    /// The stock of every item at every place that has seen a movement of it.
    pub fn stock(&self) -> HashMap<(RecordId, Owner), Stock> {
        let mut stock: HashMap<(RecordId, Owner), Stock> = HashMap::new();
        for m in self.movements.values() {
            let n = i64::from(m.quantity);
            let here = stock.entry((m.item, m.place)).or_default();
            match m.kind {
                MovementKind::Received | MovementKind::Arrived { .. } => here.available += n,
                MovementKind::Lent { .. } => {
                    here.available -= n;
                    here.lent += n;
                }
                MovementKind::Returned { .. } => {
                    here.available += n;
                    here.lent -= n;
                }
                MovementKind::Issued { .. } | MovementKind::WrittenOff { .. } => {
                    here.available -= n;
                }
                MovementKind::Counted { more: true, .. } => here.available += n,
                MovementKind::Counted { more: false, .. } => here.available -= n,
                MovementKind::Transferred { .. } => here.available -= n,
            }
        }
        stock
    }

    /// One item's stock at one place.
    pub fn stock_of(&self, item: RecordId, place: Owner) -> Stock {
        self.stock()
            .get(&(item, place))
            .copied()
            .unwrap_or_default()
    }

    /// How many of `item` are still out on `loan`.
    pub fn outstanding(&self, loan: RecordId, item: RecordId) -> i64 {
        self.movements
            .values()
            .filter(|m| m.item == item)
            .map(|m| match m.kind {
                MovementKind::Lent { loan: l } if l == loan => i64::from(m.quantity),
                MovementKind::Returned { loan: l } if l == loan => -i64::from(m.quantity),
                _ => 0,
            })
            .sum()
    }

    /// Whether everything lent on `loan` has come back.
    pub fn settled(&self, loan: RecordId) -> bool {
        let mut items: Vec<RecordId> = self
            .movements
            .values()
            .filter(|m| matches!(m.kind, MovementKind::Lent { loan: l } if l == loan))
            .map(|m| m.item)
            .collect();
        items.dedup();
        items.iter().all(|item| self.outstanding(loan, *item) <= 0)
    }

    /// When everything lent on `loan` had come back, in Unix milliseconds (the time the last
    /// return was made); `None` while anything is out or when nothing was lent on it.
    pub fn settled_at(&self, loan: RecordId) -> Option<u64> {
        let mut lent = false;
        let mut last_return = None;
        for m in self.movements.values() {
            match m.kind {
                MovementKind::Lent { loan: l } if l == loan => lent = true,
                MovementKind::Returned { loan: l } if l == loan => {
                    last_return = Some(m.id.unix_ms())
                }
                _ => {}
            }
        }
        (lent && self.settled(loan))
            .then_some(last_return)
            .flatten()
    }

    /// Checks a return against what the ledger shows out on its loan: no more comes back than
    /// went out. Other movements need no ledger to be checked.
    pub fn check_return(&self, movement: &Movement) -> Result<(), FieldError> {
        if let MovementKind::Returned { loan } = movement.kind {
            let out = self.outstanding(loan, movement.item);
            if i64::from(movement.quantity) > out {
                return Err(FieldError::with_limit(
                    Field::Other("quantity".to_owned()),
                    ErrorCode::ReturnsMoreThanLent,
                    out.max(0),
                ));
            }
        }
        Ok(())
    }

    /// The stock-take movement that records `counted` of `item` at `place` against what this
    /// ledger shows; `None` when the count agrees.
    pub fn count(
        &self,
        id: RecordId,
        item: RecordId,
        place: Owner,
        counted: u32,
    ) -> Option<Movement> {
        let shown = self.stock_of(item, place).available;
        let difference = i64::from(counted) - shown;
        let quantity = u32::try_from(difference.unsigned_abs()).ok()?;
        (difference != 0).then_some(Movement {
            id,
            item,
            place,
            kind: MovementKind::Counted {
                counted,
                more: difference > 0,
            },
            quantity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CentreId, CommitteeId};
    use proptest::prelude::*;

    const CENTRE: Owner = Owner::Centre(CentreId(1));
    const COMMITTEE: Owner = Owner::Committee(CommitteeId(1));

    fn id(n: u16) -> RecordId {
        let [a, b] = n.to_be_bytes();
        RecordId::from_parts(1_764_028_800_000, [a, b, 0, 0, 0, 0, 0, 0, 0, 1])
    }

    fn ball() -> RecordId {
        id(60_000)
    }

    fn movement(n: u16, kind: MovementKind, quantity: u32) -> Movement {
        Movement {
            id: id(n),
            item: ball(),
            place: CENTRE,
            kind,
            quantity,
        }
    }

    #[test]
    fn lending_and_returning_move_stock_between_shelf_and_loans() {
        let loan = id(1_000);
        let mut ledger = Ledger::new();
        ledger.add(movement(1, MovementKind::Received, 5));
        ledger.add(movement(2, MovementKind::Lent { loan }, 3));
        ledger.add(movement(3, MovementKind::Returned { loan }, 2));
        assert_eq!(
            ledger.stock_of(ball(), CENTRE),
            Stock {
                available: 4,
                lent: 1
            }
        );
        assert_eq!(ledger.outstanding(loan, ball()), 1);
        assert!(!ledger.settled(loan));
        assert_eq!(ledger.settled_at(loan), None);
        ledger.add(movement(4, MovementKind::Returned { loan }, 1));
        assert!(ledger.settled(loan));
        assert_eq!(ledger.settled_at(loan), Some(id(4).unix_ms()));
    }

    #[test]
    fn a_movement_round_trips_through_its_record_and_a_bad_one_is_refused() {
        use crate::account::UserId;
        use crate::hlc::{Hlc, NodeId};
        use crate::record::{AuthorId, RecordKind};
        let record = |m: &Movement, values: BTreeMap<String, Value>| {
            Envelope::change(
                m.id,
                RecordKind::Movement,
                AuthorId::user(UserId(1)),
                m.place,
                Hlc::new(1, 0, NodeId::from_bits(1)),
                values,
                Some(false),
            )
        };
        let lent = movement(1, MovementKind::Lent { loan: id(1_000) }, 2);
        assert_eq!(
            Movement::from_record(&record(&lent, lent.values())),
            Ok(lent)
        );
        let mut none = lent.values();
        none.insert("quantity".to_owned(), Value::from(0));
        none.remove("item");
        let codes: Vec<(String, ErrorCode)> = Movement::from_record(&record(&lent, none))
            .expect_err("refused")
            .all()
            .iter()
            .map(|e| (e.field.to_string(), e.code))
            .collect();
        assert_eq!(codes, [("item".to_owned(), ErrorCode::Required)]);
        let mut zero = lent.values();
        zero.insert("quantity".to_owned(), Value::from(0));
        assert_eq!(
            Movement::from_record(&record(&lent, zero)).map_err(|e| e.first().code),
            Err(ErrorCode::TooSmall)
        );
    }

    #[test]
    fn a_return_never_exceeds_its_loan() {
        let loan = id(1_000);
        let mut ledger = Ledger::new();
        ledger.add(movement(1, MovementKind::Received, 5));
        ledger.add(movement(2, MovementKind::Lent { loan }, 2));
        let too_many = movement(3, MovementKind::Returned { loan }, 3);
        assert_eq!(
            ledger
                .check_return(&too_many)
                .map_err(|e| (e.code, e.limit)),
            Err((ErrorCode::ReturnsMoreThanLent, Some(2)))
        );
        assert!(
            ledger
                .check_return(&movement(4, MovementKind::Returned { loan }, 2))
                .is_ok()
        );
    }

    #[test]
    fn two_devices_lending_the_last_ball_offline_both_stand_and_show_the_over_lending() {
        let mut ledger = Ledger::new();
        ledger.add(movement(1, MovementKind::Received, 1));
        ledger.add(movement(2, MovementKind::Lent { loan: id(1_000) }, 1));
        ledger.add(movement(3, MovementKind::Lent { loan: id(1_001) }, 1));
        let stock = ledger.stock_of(ball(), CENTRE);
        assert_eq!(
            stock,
            Stock {
                available: -1,
                lent: 2
            }
        );
        assert!(stock.over_lent());
        let fix = ledger
            .count(id(4), ball(), CENTRE, 0)
            .expect("a difference");
        assert_eq!(
            fix.kind,
            MovementKind::Counted {
                counted: 0,
                more: true
            }
        );
        ledger.add(fix);
        assert!(!ledger.stock_of(ball(), CENTRE).over_lent());
    }

    #[test]
    fn a_transfer_moves_stock_between_places_and_a_count_records_the_difference() {
        let mut ledger = Ledger::new();
        ledger.add(movement(1, MovementKind::Received, 10));
        ledger.add(movement(2, MovementKind::Transferred { to: COMMITTEE }, 4));
        assert_eq!(ledger.stock_of(ball(), COMMITTEE).available, 0);
        ledger.add(Movement {
            place: COMMITTEE,
            ..movement(3, MovementKind::Arrived { from: CENTRE }, 4)
        });
        assert_eq!(ledger.stock_of(ball(), CENTRE).available, 6);
        assert_eq!(ledger.stock_of(ball(), COMMITTEE).available, 4);
        assert_eq!(
            ledger.count(id(4), ball(), CENTRE, 6),
            None,
            "the count agrees"
        );
        let short = ledger.count(id(4), ball(), CENTRE, 5).expect("one missing");
        assert_eq!(
            (short.kind, short.quantity),
            (
                MovementKind::Counted {
                    counted: 5,
                    more: false
                },
                1
            )
        );
    }

    #[test]
    fn movements_are_whole_positive_and_go_somewhere_else() {
        let codes = |m: Movement| validate_movement(&m).map_err(|e| e.code);
        assert_eq!(
            codes(movement(1, MovementKind::Received, 0)),
            Err(ErrorCode::TooSmall)
        );
        assert_eq!(
            codes(movement(1, MovementKind::Received, MAX_QUANTITY + 1)),
            Err(ErrorCode::TooLarge)
        );
        assert_eq!(
            codes(movement(1, MovementKind::Transferred { to: CENTRE }, 1)),
            Err(ErrorCode::SamePlace)
        );
        assert_eq!(
            codes(movement(1, MovementKind::Transferred { to: COMMITTEE }, 1)),
            Ok(())
        );
    }

    fn arb_movement() -> impl Strategy<Value = Movement> {
        let place = prop_oneof![Just(CENTRE), Just(COMMITTEE)];
        let loan = (0u16..3).prop_map(|n| id(1_000 + n));
        let kind = prop_oneof![
            Just(MovementKind::Received),
            loan.clone().prop_map(|loan| MovementKind::Lent { loan }),
            loan.prop_map(|loan| MovementKind::Returned { loan }),
            Just(MovementKind::Issued { activity: None }),
            Just(MovementKind::WrittenOff {
                reason: WriteOffReason::Broken
            }),
            place
                .clone()
                .prop_map(|to| MovementKind::Transferred { to }),
            place
                .clone()
                .prop_map(|from| MovementKind::Arrived { from }),
            (0u32..20, any::<bool>())
                .prop_map(|(counted, more)| MovementKind::Counted { counted, more }),
        ];
        (0u16..2, place, kind, 1u32..20).prop_map(|(item, place, kind, quantity)| Movement {
            id: id(0),
            item: id(50_000 + item),
            place,
            kind,
            quantity,
        })
    }

    /// Movements with distinct ids, as devices make them.
    fn movements() -> impl Strategy<Value = Vec<Movement>> {
        prop::collection::vec(arb_movement(), 0..40).prop_map(|mut all| {
            for (n, m) in all.iter_mut().enumerate() {
                m.id = id(n as u16);
            }
            all
        })
    }

    proptest! {
        /// Devices receive the same movements in any order, some of them twice: their stock is
        /// the same, and is the sum over the distinct movements.
        #[test]
        fn stock_is_the_ledger_sum_whatever_the_order_and_the_duplicates(
            movements in movements(),
            shuffle in prop::collection::vec(any::<prop::sample::Index>(), 0..60),
        ) {
            let mut once = Ledger::new();
            for m in &movements {
                once.add(*m);
            }
            let mut delivered: Vec<Movement> = movements.clone();
            for pick in &shuffle {
                if !movements.is_empty() {
                    delivered.push(movements[pick.index(movements.len())]);
                }
            }
            let len = delivered.len();
            for (i, pick) in shuffle.iter().enumerate() {
                if len > 0 {
                    delivered.swap(i % len, pick.index(len));
                }
            }
            let mut twice = Ledger::new();
            for m in delivered {
                twice.add(m);
            }
            prop_assert_eq!(once.stock(), twice.stock());
            // The sum: everything that came to a place, less everything that left it.
            let total: i64 = once.stock().values().map(|s| s.available + s.lent).sum();
            let expected: i64 = once
                .movements()
                .map(|m| match m.kind {
                    MovementKind::Received
                    | MovementKind::Arrived { .. }
                    | MovementKind::Counted { more: true, .. } => i64::from(m.quantity),
                    MovementKind::Issued { .. }
                    | MovementKind::WrittenOff { .. }
                    | MovementKind::Transferred { .. }
                    | MovementKind::Counted { more: false, .. } => -i64::from(m.quantity),
                    MovementKind::Lent { .. } | MovementKind::Returned { .. } => 0,
                })
                .sum();
            prop_assert_eq!(total, expected);
        }

        /// A return the ledger accepts never takes a loan below nothing out.
        #[test]
        fn accepted_returns_never_exceed_their_loans(movements in movements()) {
            let mut ledger = Ledger::new();
            for m in movements {
                if ledger.check_return(&m).is_ok() {
                    ledger.add(m);
                }
            }
            for m in ledger.movements() {
                if let MovementKind::Lent { loan } | MovementKind::Returned { loan } = m.kind {
                    prop_assert!(ledger.outstanding(loan, m.item) >= 0);
                }
            }
        }
    }
}
