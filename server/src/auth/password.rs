//! argon2id password hashes in PHC strings, computed in memory the caller owns, so that a
//! worker hashing one password after another reuses one block of memory instead of asking
//! the allocator for 19 MiB each time (which glibc keeps afterwards: the process grew by a
//! gigabyte under a sign-in flood).

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::AuthError;

/// The memory one hash at the default parameters fills: OWASP's 19 MiB.
pub fn default_blocks() -> Vec<Block> {
    vec![Block::default(); Params::default().block_count()]
}

/// The argon2id hash of `password` with a fresh salt, as a PHC string, at the default
/// parameters (19 MiB, 2 passes, one lane).
pub fn hash(password: &str, memory: &mut Vec<Block>) -> Result<String, AuthError> {
    let params = Params::default();
    let salt_bytes = super::random_bytes::<16>()?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(hash_error)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    fill(
        &params,
        Algorithm::Argon2id,
        Version::V0x13,
        password,
        &salt_bytes,
        &mut out,
        memory,
    )?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(hash_error)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(hash_error)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches `stored`, a PHC string of argon2 at any parameters; the
/// comparison takes the same time wherever the outputs differ.
pub fn verify(password: &str, stored: &str, memory: &mut Vec<Block>) -> Result<bool, AuthError> {
    let parsed = PasswordHash::new(stored).map_err(hash_error)?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(hash_error)?;
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)
        .map_err(hash_error)?;
    let params = Params::try_from(&parsed).map_err(hash_error)?;
    let expected = parsed
        .hash
        .ok_or_else(|| AuthError::Hash("a stored hash without its output".to_owned()))?;
    let mut salt_buffer = [0u8; 64];
    let salt = parsed
        .salt
        .ok_or_else(|| AuthError::Hash("a stored hash without its salt".to_owned()))?
        .decode_b64(&mut salt_buffer)
        .map_err(hash_error)?;
    let mut out = vec![0u8; expected.len()];
    fill(
        &params, algorithm, version, password, salt, &mut out, memory,
    )?;
    // Output's equality is constant-time.
    Ok(Output::new(&out).map_err(hash_error)? == expected)
}

/// Computes the hash into `out`, growing `memory` first if these parameters need more.
fn fill(
    params: &Params,
    algorithm: Algorithm,
    version: Version,
    password: &str,
    salt: &[u8],
    out: &mut [u8],
    memory: &mut Vec<Block>,
) -> Result<(), AuthError> {
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    Argon2::new(algorithm, version, params.clone())
        .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..blocks])
        .map_err(hash_error)
}

fn hash_error(error: impl std::fmt::Display) -> AuthError {
    AuthError::Hash(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let mut memory = default_blocks();
        let hashed = hash("субботник в мае", &mut memory).expect("hashed");
        assert!(hashed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("субботник в мае", &hashed, &mut memory).expect("parses"));
        assert!(!verify("субботник в июне", &hashed, &mut memory).expect("parses"));
        assert_ne!(
            hashed,
            hash("субботник в мае", &mut memory).expect("hashed"),
            "salted"
        );
    }

    #[test]
    fn hashes_agree_with_the_argon2_crate_both_ways() {
        let mut memory = default_blocks();
        let ours = hash("пароль для проверки", &mut memory).expect("hashed");
        let parsed = PasswordHash::new(&ours).expect("a PHC string");
        assert!(
            Argon2::default()
                .verify_password("пароль для проверки".as_bytes(), &parsed)
                .is_ok()
        );
        // A hash made by the crate at other parameters verifies, memory reused.
        let made = argon2::password_hash::PasswordHasher::hash_password(
            &Argon2::new(
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(1024, 1, 1, None).expect("params"),
            ),
            b"secret password",
            &SaltString::from_b64("c2FsdHNhbHRzYWx0c2FsdA").expect("salt"),
        )
        .expect("hashed")
        .to_string();
        assert!(verify("secret password", &made, &mut memory).expect("parses"));
        assert!(!verify("secret passwore", &made, &mut memory).expect("parses"));
    }
}
