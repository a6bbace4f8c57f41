//! Staff passwords and session secrets: Argon2id password hashes as PHC strings (the
//! `argon2` crate's defaults, which are OWASP's m=19 MiB, t=2, p=1), generated
//! passwords, and the random tokens of sessions with the hash they are stored under.
//!
//! Hashing and verifying take tens of milliseconds of CPU on purpose, so they run on
//! the blocking pool, never on the async workers.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// Fewest characters of a staff password.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Most characters of a staff password.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Characters of a generated password.
pub const GENERATED_PASSWORD_CHARS: usize = 24;

/// The alphabet of generated passwords: letters and digits that cannot be mistaken
/// for one another when read aloud or copied by hand (no `0 O o 1 l I`).
const PASSWORD_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

/// Random bytes of a session token or CSRF token (256 bits).
const TOKEN_BYTES: usize = 32;

/// The hash an unknown email's sign-in is verified against (of a password nobody
/// knows, with the default parameters), so a sign-in takes as long whether or not the
/// email has an account.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2lnbi1pbi10aW1pbmctc2FsdA$2n0Yx0fTj1q2o9tXl6G2kQJ5bq8yGm8h1X4H0mJq9Yw";

/// Why a password could not be set or checked.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Too short or too long.
    #[error("a staff password must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")]
    Length,
    /// Hashing failed (it does not for valid parameters) or its task was lost.
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Refuses a password outside [`MIN_PASSWORD_CHARS`]..=[`MAX_PASSWORD_CHARS`]
/// characters.
pub fn check_password(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        Ok(())
    } else {
        Err(PasswordError::Length)
    }
}

/// The Argon2id PHC string of `password` with a fresh salt, after [`check_password`].
pub async fn hash_password(password: String) -> Result<String, PasswordError> {
    check_password(&password)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| PasswordError::Hash(error.to_string()))
    })
    .await
    .map_err(|error| PasswordError::Hash(error.to_string()))?
}

/// Whether `password` matches the PHC string `hash`. Without a hash (no such account)
/// the password is verified against a dummy hash all the same and `false` returned, so
/// the time taken does not tell whether the account exists. An unreadable stored hash
/// never matches.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    let known = hash.is_some();
    let verified = tokio::task::spawn_blocking(move || {
        let stored = hash.as_deref().unwrap_or(DUMMY_HASH);
        match PasswordHash::new(stored) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(error) => {
                tracing::error!(%error, "a stored staff password hash is not readable");
                false
            }
        }
    })
    .await
    .unwrap_or(false);
    known && verified
}

/// A strong random password of [`GENERATED_PASSWORD_CHARS`] characters (about 139
/// bits), for accounts created without one.
pub fn generate_password() -> String {
    let mut rng = OsRng;
    (0..GENERATED_PASSWORD_CHARS)
        .map(|_| char::from(PASSWORD_ALPHABET[rng.gen_range(0..PASSWORD_ALPHABET.len())]))
        .collect()
}

/// A random token (a session's cookie or CSRF token): 256 bits as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The SHA-256 (hex) a session token is stored under; the token itself never is.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_must_be_12_to_256_characters() {
        assert!(check_password("short-pass1").is_err());
        assert!(check_password("twelve-chars").is_ok());
        // Characters, not bytes: twelve CJK characters are enough.
        assert!(check_password("一二三四五六七八九十百千").is_ok());
        assert!(check_password(&"x".repeat(256)).is_ok());
        assert!(check_password(&"x".repeat(257)).is_err());
    }

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery".into(), Some(hash.clone())).await);
        assert!(!verify_password("correct horse battery!".into(), Some(hash)).await);
        assert!(!verify_password("anything at all".into(), None).await);
        assert!(!verify_password("anything at all".into(), Some("not a hash".into())).await);
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let parsed = PasswordHash::new(DUMMY_HASH).unwrap();
        let params = argon2::Params::try_from(&parsed).unwrap();
        assert_eq!(parsed.algorithm, argon2::Algorithm::Argon2id.ident());
        let default = argon2::Params::default();
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (default.m_cost(), default.t_cost(), default.p_cost())
        );
        assert_eq!(parsed.hash.map(|hash| hash.len()), Some(32));
    }

    #[test]
    fn generated_passwords_and_tokens_are_random_and_valid() {
        let first = generate_password();
        assert_eq!(first.chars().count(), GENERATED_PASSWORD_CHARS);
        assert!(check_password(&first).is_ok());
        assert_ne!(first, generate_password());
        let token = random_token();
        assert_eq!(token.len(), 2 * TOKEN_BYTES);
        assert_ne!(token, random_token());
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(token_hash(&token), token);
    }
}
