//! Passwords, session tokens, codes and the brake on guessing.
//!
//! Passwords are hashed with argon2id at the parameters OWASP recommends (19 MiB, 2 passes)
//! on a bounded pool ([`hasher`]); session tokens are 32 random bytes, and the database keeps
//! only their SHA-256, as it does of invite and reset codes. Failed attempts are braked by
//! [`throttle`].

pub mod hasher;
pub mod password;
pub mod throttle;

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

/// A new invite or password reset code, `XXXX-XXXX-XXXX` (60 random bits), and the hash the
/// database keeps.
pub fn new_code() -> Result<(String, String), AuthError> {
    let bits = u64::from_be_bytes(random_bytes::<8>()?);
    let symbols: String = (0..dvor_core::account::CODE_SYMBOLS)
        .map(|i| char::from(CODE_ALPHABET[((bits >> (i * 5)) & 31) as usize]))
        .collect();
    let code = format!("{}-{}-{}", &symbols[..4], &symbols[4..8], &symbols[8..]);
    let hash = code_hash(&code);
    Ok((code, hash))
}

/// The hash of a code as typed: case, spaces and dashes do not matter, and the letters
/// people mistake for digits (O, I, L) are read as them.
pub fn code_hash(typed: &str) -> String {
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

/// The hash of a device key ([`dvor_core::account::DEVICE_KEY_HEX`] hex digits), as the
/// database keeps it; `None` for anything else a client sends in its place.
pub fn device_key_hash(key: Option<&str>) -> Option<String> {
    key.filter(|k| {
        k.len() == dvor_core::account::DEVICE_KEY_HEX && k.bytes().all(|b| b.is_ascii_hexdigit())
    })
    .map(|k| token_hash(&k.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoy_hash_parses_and_matches_nothing_typed() {
        let mut memory = password::default_blocks();
        assert!(!password::verify("", decoy_hash(), &mut memory).expect("parses"));
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
        let (code, hash) = new_code().expect("random");
        assert_eq!(code.len(), 14);
        assert!(
            code.chars()
                .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8)))
        );
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(code_hash(&typed), hash);
        assert_eq!(code_hash("0O1I-L"), code_hash("00111"));
        assert_ne!(new_code().expect("random").0, code);
    }

    #[test]
    fn only_a_well_formed_device_key_is_hashed() {
        let key = "ab".repeat(32);
        assert_eq!(device_key_hash(Some(&key)), Some(token_hash(&key)));
        assert_eq!(
            device_key_hash(Some(&key.to_uppercase())),
            Some(token_hash(&key))
        );
        assert_eq!(device_key_hash(Some("abc")), None);
        assert_eq!(device_key_hash(Some(&"zz".repeat(32))), None);
        assert_eq!(device_key_hash(None), None);
    }
}
