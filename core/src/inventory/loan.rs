//! Loans: items lent from a centre's desk to a borrower — the least the centre needs to get them
//! back, a name and a phone number — due back by a date. The borrower's details are kept only
//! as long as needed: a set number of days after everything has come back they are erased,
//! and the movements, which never name anyone, stay.

use serde::{Deserialize, Serialize};

use crate::access::Owner;
use crate::date::Date;
use crate::error::{ErrorCode, Field, FieldError, ValidationErrors};
use crate::id::RecordId;
use crate::login::Login;
use crate::text::BoundedText;
use crate::values::keep;

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
        let due = keep(
            &mut errors,
            match self.due.trim().parse::<Date>() {
                Ok(due) if due < today => Err(FieldError::new(Field::Date, ErrorCode::DateInPast)),
                Ok(due) => Ok(due),
                Err(_) => Err(FieldError::new(Field::Date, ErrorCode::InvalidDate)),
            },
        );
        match (id, place, name, phone, due) {
            (Some(id), Some(place), Some(name), Some(phone), Some(due)) if errors.is_empty() => {
                Ok(Loan {
                    id,
                    place,
                    borrower: Some(Borrower { name, phone }),
                    due,
                })
            }
            _ => ValidationErrors::check(errors)
                .map(|()| unreachable!("a missing value always records an error")),
        }
    }
}

impl Loan {
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
}
