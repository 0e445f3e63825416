//! Loans: items lent from a centre's desk to a borrower — the least the centre needs to get them
//! back, a name and a phone number — due back by a date. The borrower's details are kept only
//! as long as needed: a set number of days after everything has come back they are erased,
//! and the movements, which never name anyone, stay.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Owner;
use crate::date::Date;
use crate::error::{ErrorCode, Field, FieldError, ValidationErrors};
use crate::id::RecordId;
use crate::inventory::ledger::Ledger;
use crate::login::Login;
use crate::record::Envelope;
use crate::text::BoundedText;
use crate::values::{Reader, keep};

/// A borrower's name, as they give it.
pub type BorrowerName = BoundedText<100>;

/// How many days after full return a borrower's details are erased, unless a centre sets
/// otherwise.
pub const DEFAULT_KEEP_DAYS: u32 = 30;

/// Who borrowed: kept until erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Borrower {
    /// Their name.
    pub name: BorrowerName,
    /// Their phone number, canonical (`+7…`).
    pub phone: String,
}

/// A validated loan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loan {
    /// Made on the device that lent.
    pub id: RecordId,
    /// The centre or committee that lent.
    pub place: Owner,
    /// Who borrowed; `None` once erased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub borrower: Option<Borrower>,
    /// When everything is due back.
    pub due: Date,
}

/// A loan as it arrives from a form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanInput {
    /// A UUIDv7 in text form.
    pub id: String,
    /// Where it is lent from.
    #[serde(default)]
    pub place: Option<Owner>,
    /// Free text.
    pub name: String,
    /// A phone number as typed.
    pub phone: String,
    /// `YYYY-MM-DD`.
    pub due: String,
}

impl LoanInput {
    /// Checks every field; `today` is the lender's date, which a due date may not precede.
    pub fn validate(&self, today: Date) -> Result<Loan, ValidationErrors> {
        self.check(Some(today), false)
    }

    /// Checks every field; a due date only against `not_before` when given (a stored loan may
    /// well be past due), the borrower only when not `erased`.
    fn check(&self, not_before: Option<Date>, erased: bool) -> Result<Loan, ValidationErrors> {
        let mut errors = Vec::new();
        let id = keep(
            &mut errors,
            self.id
                .parse::<RecordId>()
                .map_err(|_| FieldError::new(Field::Id, ErrorCode::InvalidId)),
        );
        let place = keep(
            &mut errors,
            self.place
                .ok_or_else(|| FieldError::new(Field::Owner, ErrorCode::Required)),
        );
        let borrower = if erased {
            Some(None)
        } else {
            let name = keep(
                &mut errors,
                BorrowerName::parse_field(&self.name, Field::Name),
            );
            let phone_field = || Field::Other("phone".to_owned());
            let phone = keep(
                &mut errors,
                match Login::parse(&self.phone) {
                    Ok(Login::Phone(phone)) => Ok(phone),
                    _ if self.phone.trim().is_empty() => {
                        Err(FieldError::new(phone_field(), ErrorCode::Required))
                    }
                    _ => Err(FieldError::new(phone_field(), ErrorCode::InvalidPhone)),
                },
            );
            name.zip(phone)
                .map(|(name, phone)| Some(Borrower { name, phone }))
        };
        let due = keep(
            &mut errors,
            match self.due.trim().parse::<Date>() {
                Ok(due) if not_before.is_some_and(|day| due < day) => {
                    Err(FieldError::new(Field::Date, ErrorCode::DateInPast))
                }
                Ok(due) => Ok(due),
                Err(_) => Err(FieldError::new(Field::Date, ErrorCode::InvalidDate)),
            },
        );
        match (id, place, borrower, due) {
            (Some(id), Some(place), Some(borrower), Some(due)) if errors.is_empty() => Ok(Loan {
                id,
                place,
                borrower,
                due,
            }),
            _ => ValidationErrors::check(errors)
                .map(|()| unreachable!("a missing value always records an error")),
        }
    }
}

/// The names of a loan record's fields; the first two are the borrower's, nulled on erasure.
pub const FIELDS: [&str; 3] = ["name", "phone", "due"];

impl Loan {
    /// The values a record of this loan holds; the place is the record's owner.
    pub fn values(&self) -> BTreeMap<String, Value> {
        let (name, phone) = self
            .borrower
            .as_ref()
            .map_or((Value::Null, Value::Null), |b| {
                (Value::from(b.name.as_str()), Value::from(b.phone.as_str()))
            });
        BTreeMap::from([
            (FIELDS[0].to_owned(), name),
            (FIELDS[1].to_owned(), phone),
            (FIELDS[2].to_owned(), Value::from(self.due.to_string())),
        ])
    }

    /// The values that erase the borrower from a loan's record.
    pub fn erasure() -> BTreeMap<String, Value> {
        FIELDS[..2]
            .iter()
            .map(|name| ((*name).to_owned(), Value::Null))
            .collect()
    }

    /// Checks a record's current values and returns the loan they make: one without a name
    /// and phone is an erased loan (or one read by someone who may not see borrowers).
    pub fn from_record(record: &Envelope) -> Result<Loan, ValidationErrors> {
        let mut reader = Reader::new(record.values());
        let name = reader.text(FIELDS[0], Field::Name);
        let phone = reader.text(FIELDS[1], Field::Other(FIELDS[1].to_owned()));
        let due = reader.text(FIELDS[2], Field::Date).unwrap_or_default();
        ValidationErrors::check(reader.finish())?;
        let erased = name.is_none() && phone.is_none();
        LoanInput {
            id: record.id.to_string(),
            place: Some(record.owner),
            name: name.unwrap_or_default(),
            phone: phone.unwrap_or_default(),
            due,
        }
        .check(None, erased)
    }

    /// Reads back a record that passed [`Loan::from_record`] when it was stored.
    pub fn from_stored(record: &Envelope) -> Option<Loan> {
        Loan::from_record(record).ok()
    }

    /// Whether the loan is overdue on `today` while something is still out.
    pub fn overdue(&self, today: Date, settled: bool) -> bool {
        !settled && today > self.due
    }
}

/// Whether a borrower's details are due for erasure on `today`: `keep_days` after the day the
/// last item came back.
pub fn erase_due(settled_on: Option<Date>, today: Date, keep_days: u32) -> bool {
    settled_on.is_some_and(|day| day.plus_days(keep_days) <= today)
}

/// The loans among `loans` whose borrowers are due for erasure on `today`, by what `ledger`
/// shows came back; loans already erased are left out.
pub fn loans_to_erase<'a>(
    ledger: &Ledger,
    loans: impl IntoIterator<Item = &'a Loan>,
    today: Date,
    keep_days: u32,
) -> Vec<RecordId> {
    loans
        .into_iter()
        .filter(|loan| loan.borrower.is_some())
        .filter(|loan| {
            let settled_on = ledger.settled_at(loan.id).and_then(Date::from_unix_ms);
            erase_due(settled_on, today, keep_days)
        })
        .map(|loan| loan.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::CentreId;

    fn today() -> Date {
        Date::from_ymd(2026, 11, 25).expect("a date")
    }

    fn input() -> LoanInput {
        LoanInput {
            id: RecordId::from_parts(1_764_028_800_000, [8; 10]).to_string(),
            place: Some(Owner::Centre(CentreId(1))),
            name: "Иван Петров".to_owned(),
            phone: "8 (905) 123-45-67".to_owned(),
            due: "2026-11-25".to_owned(),
        }
    }

    #[test]
    fn a_loan_keeps_the_borrower_and_a_due_date_not_in_the_past() {
        let loan = input().validate(today()).expect("valid");
        assert_eq!(
            loan.borrower.map(|b| b.phone),
            Some("+79051234567".to_owned())
        );
        let late = LoanInput {
            due: "2026-11-24".to_owned(),
            phone: "12".to_owned(),
            name: String::new(),
            ..input()
        };
        let codes: Vec<ErrorCode> = late
            .validate(today())
            .expect_err("invalid")
            .all()
            .iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(
            codes,
            [
                ErrorCode::Required,
                ErrorCode::InvalidPhone,
                ErrorCode::DateInPast
            ]
        );
    }

    /// The record of `loan` as made, and as it is once the erasure is merged into it.
    fn made_and_erased(loan: &Loan) -> (Envelope, Envelope) {
        use crate::account::UserId;
        use crate::hlc::{Hlc, NodeId};
        use crate::record::{AuthorId, RecordKind};
        let change = |wall: u64, values, deleted| {
            Envelope::change(
                loan.id,
                RecordKind::Loan,
                AuthorId::user(UserId(1)),
                loan.place,
                Hlc::new(wall, 0, NodeId::from_bits(wall)),
                values,
                deleted,
            )
        };
        let made = change(1, loan.values(), Some(false));
        let erased = made
            .merged(&change(2, Loan::erasure(), None))
            .expect("same record");
        (made, erased)
    }

    #[test]
    fn a_loan_round_trips_through_its_record_before_and_after_erasure() {
        let loan = input().validate(today()).expect("valid");
        let (record, erased) = made_and_erased(&loan);
        assert_eq!(Loan::from_record(&record), Ok(loan.clone()));
        assert_eq!(
            Loan::from_record(&erased),
            Ok(Loan {
                borrower: None,
                ..loan
            })
        );
    }

    #[test]
    fn a_loan_is_overdue_after_its_day_while_anything_is_out() {
        let loan = input().validate(today()).expect("valid");
        let tomorrow = today().plus_days(1);
        assert!(!loan.overdue(today(), false));
        assert!(loan.overdue(tomorrow, false));
        assert!(!loan.overdue(tomorrow, true));
    }

    #[test]
    fn borrowers_are_erased_the_set_number_of_days_after_full_return() {
        let returned = today();
        assert!(!erase_due(None, today().plus_days(400), DEFAULT_KEEP_DAYS));
        assert!(!erase_due(
            Some(returned),
            returned.plus_days(29),
            DEFAULT_KEEP_DAYS
        ));
        assert!(erase_due(
            Some(returned),
            returned.plus_days(30),
            DEFAULT_KEEP_DAYS
        ));
    }

    mod erasure {
        use super::*;
        use crate::inventory::ledger::{Movement, MovementKind};
        use proptest::prelude::*;

        const DAY_MS: u64 = 86_400_000;
        const START_MS: u64 = 1_764_028_800_000;

        fn loan(n: u8) -> Loan {
            LoanInput {
                id: RecordId::from_parts(START_MS, [n; 10]).to_string(),
                ..input()
            }
            .validate(today())
            .expect("valid")
        }

        /// (loan, day, returned, quantity): a movement on one of three loans on a day.
        fn movements() -> impl Strategy<Value = Vec<(u8, u64, bool, u32)>> {
            prop::collection::vec((0u8..3, 0u64..90, any::<bool>(), 1u32..3), 0..20)
        }

        proptest! {
            /// Exactly the loans settled at least `keep` days ago lose their borrower, and the
            /// erased records still read back, with every count the ledger shows unchanged.
            #[test]
            fn erasure_takes_exactly_the_long_settled_borrowers_and_keeps_the_counts(
                made in movements(),
                today_offset in 0u64..120,
                keep in 0u32..60,
            ) {
                let ball = RecordId::from_parts(START_MS, [200; 10]);
                let loans: Vec<Loan> = (0..3).map(loan).collect();
                let mut ledger = Ledger::new();
                for (n, (which, day, returned, quantity)) in made.iter().enumerate() {
                    let loan = loans[usize::from(*which)].id;
                    let movement = Movement {
                        id: RecordId::from_parts(
                            START_MS + day * DAY_MS + n as u64,
                            [1, 0, 0, 0, 0, 0, 0, 0, 0, n as u8],
                        ),
                        item: ball,
                        place: Owner::Centre(CentreId(1)),
                        kind: if *returned {
                            MovementKind::Returned { loan }
                        } else {
                            MovementKind::Lent { loan }
                        },
                        quantity: *quantity,
                    };
                    if ledger.check_return(&movement).is_ok() {
                        ledger.add(movement);
                    }
                }
                let today = Date::from_unix_ms(START_MS + today_offset * DAY_MS).expect("a day");
                let erased = loans_to_erase(&ledger, &loans, today, keep);
                for loan in &loans {
                    let settled_on = ledger.settled_at(loan.id).and_then(Date::from_unix_ms);
                    let due = settled_on.is_some_and(|day| day.plus_days(keep) <= today);
                    prop_assert_eq!(erased.contains(&loan.id), due);
                }
                let stock = ledger.stock();
                for loan in loans.iter().filter(|l| erased.contains(&l.id)) {
                    let (_, record) = made_and_erased(loan);
                    let read = Loan::from_record(&record).expect("an erased loan reads back");
                    prop_assert!(read.borrower.is_none());
                    prop_assert!(loans_to_erase(&ledger, [&read], today, keep).is_empty());
                }
                prop_assert_eq!(ledger.stock(), stock);
            }
        }
    }
}
