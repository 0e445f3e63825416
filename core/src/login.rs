//! How people sign in: a phone number or an e-mail address, kept in one canonical form so the
//! same person is found however they type it, and the rules a new password must pass.
//!
//! Two logins that look the same to a person must be one login or be refused: otherwise a
//! newcomer could join as a chair's look-alike. So a login is folded as NFKC would fold the
//! characters it may hold (full-width forms to ASCII), invisible characters are refused, and
//! each part of an e-mail address (the local part, every domain label) is written in one
//! script, Latin or Cyrillic — `anna@mail.ru` with a Cyrillic «а» is refused, not a second
//! account. The characters allowed are an allow-list, so nothing NFKC would change is left
//! unfolded, and the web client does not carry Unicode's normalisation tables.

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
        let folded = fold_width(typed);
        let typed = folded.trim();
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

/// A phone as people write it: `+7 905 222-33-44` for a canonical Russian number, anything
/// else as it is.
pub fn display_phone(phone: &str) -> String {
    let digits = phone
        .strip_prefix("+7")
        .filter(|rest| rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()));
    match digits {
        Some(d) => format!("+7 {} {}-{}-{}", &d[..3], &d[3..6], &d[6..8], &d[8..]),
        None => phone.to_owned(),
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

/// NFKC's folding of the full-width forms (U+FF01–U+FF5E) and the ideographic space to ASCII:
/// the only characters it changes that a login may otherwise hold.
fn fold_width(typed: &str) -> String {
    typed
        .chars()
        .map(|c| match u32::from(c) {
            0x3000 => ' ',
            code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn email(typed: &str) -> Result<String, ErrorCode> {
    let lower = typed.to_lowercase();
    let (local, domain) = lower.rsplit_once('@').ok_or(ErrorCode::InvalidLogin)?;
    let well_formed = !local.is_empty()
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && lower.chars().count() <= MAX_EMAIL_CHARS;
    if !well_formed {
        return Err(ErrorCode::InvalidLogin);
    }
    if !lower.chars().all(|c| c == '@' || email_char(c).is_some()) {
        return Err(ErrorCode::InvalidLogin);
    }
    if std::iter::once(local)
        .chain(domain.split('.'))
        .any(|part| !one_script(part))
    {
        return Err(ErrorCode::MixedScripts);
    }
    Ok(lower)
}

/// The scripts whose letters an e-mail address may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
}

/// What a lower-case character of an e-mail address is: `Some(None)` for a digit or the
/// punctuation RFC 5322 allows, `Some(Some(script))` for a letter, `None` for anything else
/// (spaces, invisible and control characters, combining marks, other scripts' letters).
fn email_char(c: char) -> Option<Option<Script>> {
    match c {
        'a'..='z' => Some(Some(Script::Latin)),
        // The Russian alphabet with «ё» and the Cyrillic letters of the other languages of
        // Russia that have a precomposed form (Ukrainian, Tatar, Bashkir, …).
        '\u{0430}'..='\u{045F}' | '\u{0460}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => {
            Some(Some(Script::Cyrillic))
        }
        '0'..='9'
        | '.'
        | '-'
        | '_'
        | '+'
        | '!'
        | '#'
        | '$'
        | '%'
        | '&'
        | '\''
        | '*'
        | '/'
        | '='
        | '?'
        | '^'
        | '`'
        | '{'
        | '|'
        | '}'
        | '~' => Some(None),
        _ => None,
    }
}

/// Whether the letters of `part` are all of one script.
fn one_script(part: &str) -> bool {
    let mut scripts = part.chars().filter_map(|c| email_char(c).flatten());
    let first = scripts.next();
    scripts.all(|script| Some(script) == first)
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

    #[test]
    fn a_russian_phone_is_shown_in_groups_and_anything_else_as_it_is() {
        assert_eq!(display_phone("+79052223344"), "+7 905 222-33-44");
        assert_eq!(display_phone("+7905222334"), "+7905222334");
        assert_eq!(display_phone("anna@mail.ru"), "anna@mail.ru");
        let typed = Login::parse("8 (905) 222-33-44").expect("a phone");
        assert_eq!(display_phone(typed.as_str()), "+7 905 222-33-44");
    }
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
            "an\u{200B}na@mail.ru",
            "anna\u{00AD}@mail.ru",
            "anna@mail.ru\u{202E}",
            "ann\u{0301}a@mail.ru",
            "ανna@mail.ru",
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

    #[test]
    fn look_alike_addresses_are_refused_or_folded_into_one() {
        for typed in ["аnna@mail.ru", "anna@mаil.ru", "sаsha.с@yandex.ru"] {
            assert_eq!(Login::parse(typed), Err(ErrorCode::MixedScripts), "{typed}");
        }
        assert_eq!(
            Login::parse("Ａｎｎａ＠ｍａｉｌ．ｒｕ"),
            Ok(Login::Email("anna@mail.ru".into()))
        );
        assert_eq!(
            Login::parse("＋７ ９０５ １２３ ４５ ６７"),
            Ok(Login::Phone("+79051234567".into()))
        );
        assert_eq!(
            Login::parse("Анна@Почта.рф"),
            Ok(Login::Email("анна@почта.рф".into())),
            "a whole address in Cyrillic is one script per part"
        );
        assert_eq!(
            Login::parse("anna@почта.рф"),
            Ok(Login::Email("anna@почта.рф".into()))
        );
    }

    /// Letters a look-alike is made of: Latin, Cyrillic and Greek ones that resemble each
    /// other, and characters a person does not see.
    fn tricky_char() -> impl Strategy<Value = char> {
        prop::sample::select(vec![
            'a', 'c', 'e', 'o', 'p', 'x', 'y', 'а', 'с', 'е', 'о', 'р', 'х', 'у', 'α', 'ο',
            '\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{202E}', '\u{0301}',
            'Ａ', '．', '1', '.', '-',
        ])
    }

    proptest! {
        /// Whatever is typed, a login that is accepted holds no invisible character, is
        /// unchanged by a second reading, and mixes no scripts within a part of an address.
        #[test]
        fn accepted_logins_are_canonical_and_unambiguous(
            local in prop::collection::vec(tricky_char(), 1..12),
            domain in prop::collection::vec(tricky_char(), 1..8),
        ) {
            let typed = format!("{}@{}.ru", local.iter().collect::<String>(), domain.iter().collect::<String>());
            if let Ok(login) = Login::parse(&typed) {
                let text = login.as_str();
                prop_assert!(text.chars().all(|c| c == '@' || email_char(c).is_some()), "{text:?}");
                prop_assert_eq!(Login::parse(text), Ok(login.clone()));
                let (local, domain) = text.rsplit_once('@').expect("an address");
                prop_assert!(one_script(local));
                prop_assert!(domain.split('.').all(one_script));
            }
        }

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
