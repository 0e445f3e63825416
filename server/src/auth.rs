//! Passwords, session tokens and the brake on guessing.
//!
//! Passwords are hashed with argon2id at the parameters OWASP recommends (19 MiB, 2 passes);
//! session tokens are 32 random bytes, and the database keeps only their SHA-256. Failed
//! sign-ins are counted per account and per address; past the limit, sign-in is refused for
//! a while even with the right password.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};

/// Why a secret could not be made or checked.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The system's random source failed.
    #[error("no randomness: {0}")]
    Random(String),
    /// Hashing failed, or a stored hash does not parse.
    #[error("password hash: {0}")]
    Hash(String),
}

fn random_bytes<const N: usize>() -> Result<[u8; N], AuthError> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).map_err(|e| AuthError::Random(e.to_string()))?;
    Ok(bytes)
}

/// The argon2id hash of `password` with a fresh salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| AuthError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// Whether `password` matches `stored` (a PHC string).
pub fn verify_password(password: &str, stored: &str) -> Result<bool, AuthError> {
    let parsed = PasswordHash::new(stored).map_err(|e| AuthError::Hash(e.to_string()))?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

/// A hash to check a password against when the login is unknown, so that an unknown login
/// takes as long to refuse as a wrong password and does not give itself away.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$X3wA0mJ0m6iH0YVxJ3f4bJ6bZTq1mJkq8c4C9yJc0Vw"
}

/// A new session token (hex of 32 random bytes) and the hash the database keeps of it.
pub fn new_token() -> Result<(String, String), AuthError> {
    let token = hex::encode(random_bytes::<32>()?);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Crockford's base32: no I, L, O or U, so a code read aloud or typed on a phone is not misread.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new invite code, `XXXX-XXXX-XXXX` (60 random bits), and the hash the database keeps.
pub fn new_invite_code() -> Result<(String, String), AuthError> {
    let bits = u64::from_be_bytes(random_bytes::<8>()?);
    let symbols: String = (0..12)
        .map(|i| char::from(CODE_ALPHABET[((bits >> (i * 5)) & 31) as usize]))
        .collect();
    let code = format!("{}-{}-{}", &symbols[..4], &symbols[4..8], &symbols[8..]);
    let hash = invite_code_hash(&code);
    Ok((code, hash))
}

/// The hash of an invite code as typed: case, spaces and dashes do not matter, and the letters
/// people mistake for digits (O, I, L) are read as them.
pub fn invite_code_hash(typed: &str) -> String {
    let canonical: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Failed sign-ins in a sliding window, per account and per address.
#[derive(Clone, Debug)]
pub struct SignInBrake {
    inner: Arc<Mutex<HashMap<Key, VecDeque<Instant>>>>,
    window: Duration,
    per_account: usize,
    per_address: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

impl Default for SignInBrake {
    /// 5 failures per account and 20 per address in 15 minutes.
    fn default() -> Self {
        Self::new(Duration::from_secs(15 * 60), 5, 20)
    }
}

impl SignInBrake {
    /// A brake allowing `per_account` and `per_address` failures per `window`.
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        Self {
            inner: Arc::default(),
            window,
            per_account,
            per_address,
        }
    }

    /// How long `account` from `address` must wait before trying again; `None` if it may try.
    pub fn wait(&self, account: &str, address: IpAddr, now: Instant) -> Option<Duration> {
        let mut failures = self.lock();
        [
            (Key::Account(account.to_owned()), self.per_account),
            (Key::Address(address), self.per_address),
        ]
        .into_iter()
        .filter_map(|(key, limit)| {
            let times = failures.get_mut(&key)?;
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                times.pop_front();
            }
            (times.len() >= limit)
                .then(|| {
                    times
                        .front()
                        .map(|first| self.window - now.duration_since(*first))
                })
                .flatten()
        })
        .max()
    }

    /// Counts a failed sign-in.
    pub fn failed(&self, account: &str, address: IpAddr, now: Instant) {
        let mut failures = self.lock();
        for key in [Key::Account(account.to_owned()), Key::Address(address)] {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// Forgets an account's failures after it signed in.
    pub fn succeeded(&self, account: &str) {
        self.lock().remove(&Key::Account(account.to_owned()));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, VecDeque<Instant>>> {
        // A panic while holding the lock leaves only counters behind: keep using them.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let hash = hash_password("субботник в мае").expect("hashed");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("субботник в мае", &hash).expect("parses"));
        assert!(!verify_password("субботник в июне", &hash).expect("parses"));
        assert_ne!(
            hash,
            hash_password("субботник в мае").expect("hashed"),
            "salted"
        );
    }

    #[test]
    fn the_decoy_hash_parses_and_matches_nothing_typed() {
        assert!(!verify_password("", decoy_hash()).expect("parses"));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (token, hash) = new_token().expect("random");
        assert_eq!(token.len(), 64);
        assert_eq!(hash, token_hash(&token));
        assert_ne!(hash, token);
        assert_ne!(new_token().expect("random").0, token);
    }

    #[test]
    fn an_invite_code_is_found_however_it_is_typed() {
        let (code, hash) = new_invite_code().expect("random");
        assert_eq!(code.len(), 14);
        assert!(
            code.chars()
                .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8)))
        );
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(invite_code_hash(&typed), hash);
        assert_eq!(invite_code_hash("0O1I-L"), invite_code_hash("00111"));
        assert_ne!(new_invite_code().expect("random").0, code);
    }

    #[test]
    fn failures_past_the_limit_make_an_account_wait_out_the_window() {
        let brake = SignInBrake::new(Duration::from_secs(60), 2, 10);
        let address = IpAddr::from([127, 0, 0, 1]);
        let start = Instant::now();
        assert_eq!(brake.wait("+79051234567", address, start), None);
        brake.failed("+79051234567", address, start);
        brake.failed("+79051234567", address, start + Duration::from_secs(10));
        let later = start + Duration::from_secs(20);
        assert_eq!(
            brake.wait("+79051234567", address, later),
            Some(Duration::from_secs(40))
        );
        assert_eq!(
            brake.wait("anna@mail.ru", address, later),
            None,
            "other accounts may try"
        );
        assert_eq!(
            brake.wait("+79051234567", address, start + Duration::from_secs(61)),
            None
        );
    }

    #[test]
    fn many_accounts_tried_from_one_address_stop_that_address() {
        let brake = SignInBrake::new(Duration::from_secs(60), 5, 3);
        let address = IpAddr::from([10, 0, 0, 7]);
        let now = Instant::now();
        for account in ["a@x.ru", "b@x.ru", "c@x.ru"] {
            brake.failed(account, address, now);
        }
        assert!(brake.wait("d@x.ru", address, now).is_some());
        assert_eq!(brake.wait("d@x.ru", IpAddr::from([10, 0, 0, 8]), now), None);
    }
}
