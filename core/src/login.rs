//! How people sign in: a phone number or an e-mail address, kept in one canonical form so the
//! same person is found however they type it, and the rules a new password must pass.

use std::fmt;

use crate::error::ErrorCode;

/// The shortest password accepted, in characters. Length is what makes a password hard to
/// guess; there are no rules about kinds of characters (NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest, in characters: enough for any passphrase, and a bound on hashing work.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// The longest e-mail address (RFC 5321).
const MAX_EMAIL_CHARS: usize = 254;

/// A person's sign-in name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Login {
    /// A Russian mobile or landline number as `+7` and ten digits.
    Phone(String),
    /// An e-mail address in lower case.
    Email(String),
}

impl Login {
    /// Reads what a person typed: `8 (905) 123-45-67`, `+7 905 1234567` and `79051234567` are
    /// one phone; `Anna@Mail.ru` and `anna@mail.ru` one address.
    pub fn parse(typed: &str) -> Result<Self, ErrorCode> {
        let typed = typed.trim();
        if typed.contains('@') {
            return email(typed).map(Self::Email);
        }
        phone(typed).map(Self::Phone)
    }

    /// The canonical text, as stored and compared.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Phone(text) | Self::Email(text) => text,
        }
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn phone(typed: &str) -> Result<String, ErrorCode> {
    let mut digits = String::with_capacity(12);
    for (i, c) in typed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '(' | ')' => {}
            _ => return Err(ErrorCode::InvalidLogin),
        }
    }
    let national = match (digits.len(), digits.chars().next()) {
        (11, Some('7' | '8')) => &digits[1..],
        (10, Some('9')) if !typed.starts_with('+') => &digits[..],
        _ => return Err(ErrorCode::InvalidLogin),
    };
    if typed.starts_with('+') && !digits.starts_with('7') {
        return Err(ErrorCode::InvalidLogin);
    }
    Ok(format!("+7{national}"))
}

fn email(typed: &str) -> Result<String, ErrorCode> {
    let (local, domain) = typed.rsplit_once('@').ok_or(ErrorCode::InvalidLogin)?;
    let well_formed = !local.is_empty()
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && typed.chars().count() <= MAX_EMAIL_CHARS
        && !typed.chars().any(|c| c.is_whitespace() || c.is_control());
    if well_formed {
        Ok(typed.to_lowercase())
    } else {
        Err(ErrorCode::InvalidLogin)
    }
}

/// Whether `password` may be set for `login`: long enough, not too long, and not the login
/// itself. The error's limit, where it has one, is the number of characters.
pub fn check_password(password: &str, login: &Login) -> Result<(), (ErrorCode, Option<i64>)> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err((ErrorCode::PasswordTooShort, Some(MIN_PASSWORD_CHARS as i64)));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err((ErrorCode::TooLong, Some(MAX_PASSWORD_CHARS as i64)));
    }
    let typed_login = Login::parse(password).ok();
    if typed_login.as_ref() == Some(login) || password.eq_ignore_ascii_case(login.as_str()) {
        return Err((ErrorCode::PasswordIsLogin, None));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_way_of_typing_a_phone_is_one_login() {
        for typed in [
            "8 (905) 123-45-67",
            "+7 905 123 45 67",
            "79051234567",
            "9051234567",
            " +7(905)1234567 ",
        ] {
            assert_eq!(
                Login::parse(typed),
                Ok(Login::Phone("+79051234567".into())),
                "{typed}"
            );
        }
    }

    #[test]
    fn what_is_not_a_phone_or_an_address_is_refused() {
        for typed in [
            "",
            "12345",
            "+1 202 555 0100",
            "8905123456",
            "905-123-45-67x",
            "anna@",
            "@mail.ru",
            "anna@mail",
            "an na@mail.ru",
            "anna@mail.ru.",
        ] {
            assert_eq!(Login::parse(typed), Err(ErrorCode::InvalidLogin), "{typed}");
        }
    }

    #[test]
    fn an_address_is_found_whatever_its_case() {
        assert_eq!(
            Login::parse(" Anna.Petrova@Mail.RU "),
            Ok(Login::Email("anna.petrova@mail.ru".into()))
        );
    }

    #[test]
    fn a_password_must_be_long_and_not_the_login() {
        let phone = Login::parse("89051234567").expect("a phone");
        assert_eq!(
            check_password("короткий", &phone),
            Err((ErrorCode::PasswordTooShort, Some(10)))
        );
        assert_eq!(
            check_password("8 905 123-45-67", &phone),
            Err((ErrorCode::PasswordIsLogin, None))
        );
        let email = Login::parse("anna@mail.ru").expect("an address");
        assert_eq!(
            check_password("ANNA@mail.ru", &email),
            Err((ErrorCode::PasswordIsLogin, None))
        );
        assert_eq!(
            check_password(&"я".repeat(129), &email),
            Err((ErrorCode::TooLong, Some(128)))
        );
        assert_eq!(check_password("субботник в мае", &email), Ok(()));
    }

    proptest! {
        /// A login read back from its canonical text is the same login.
        #[test]
        fn canonical_logins_read_back_as_themselves(digits in "9[0-9]{9}", local in "[a-z][a-z0-9.]{0,20}") {
            for typed in [format!("8{digits}"), format!("{local}@example.ru")] {
                let login = Login::parse(&typed).expect("valid");
                prop_assert_eq!(Login::parse(login.as_str()), Ok(login.clone()));
            }
        }
    }
}
