//! Password rules and argon2id hashing.
//!
//! Passwords are 12 to 128 characters with no composition rules (NIST SP 800-63B). Hashing
//! runs on Tokio's blocking pool behind a semaphore; verifying an unknown user still hashes
//! against a dummy so both answers take the same time.

use crate::error::{Error, Result};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

/// At most this many hashes at once; each holds 19 MiB for about 20 ms.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(4));

pub fn check_rules(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(Error::invalid(
            "password",
            "password_too_short",
            format!("the password must have at least {MIN_LEN} characters (it has {n})"),
        ));
    }
    if n > MAX_LEN {
        return Err(Error::invalid(
            "password",
            "password_too_long",
            format!("the password may have at most {MAX_LEN} characters"),
        ));
    }
    Ok(())
}

fn hash_blocking(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

/// Hashes a password that passed [`check_rules`].
pub async fn hash(password: String) -> Result<String> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
}

/// A hash of a random password, verified against when the user does not exist.
static DUMMY: LazyLock<String> = LazyLock::new(|| hash_blocking(&generate()).unwrap_or_default());

/// Checks `password` against `phc`; with `None` it burns the same time and says no.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let stored = phc.unwrap_or_else(|| DUMMY.clone());
        let ok = PasswordHash::new(&stored).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        });
        known && ok
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))
}

/// A random password of 20 characters from an alphabet without look-alikes (0/O, 1/l/I).
/// Bytes past the largest multiple of the alphabet's size are drawn again, so every character
/// is equally likely. Returns an empty string only if the OS has no entropy source.
#[must_use]
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let limit = 256 - 256 % ALPHABET.len();
    let mut out = String::with_capacity(20);
    let mut buf = [0_u8; 32];
    while out.len() < 20 {
        if getrandom::fill(&mut buf).is_err() {
            return String::new();
        }
        for b in buf.iter().map(|b| usize::from(*b)).filter(|b| *b < limit) {
            if out.len() < 20 {
                out.push(char::from(ALPHABET[b % ALPHABET.len()]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_fail() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse battery".into(), Some(h)).await.unwrap());
        assert!(!verify("anything at all".into(), None).await.unwrap());
    }

    #[test]
    fn rules_count_characters_not_bytes() {
        assert!(check_rules("short").is_err());
        assert!(check_rules("mật khẩu dài đủ").is_ok());
        assert!(check_rules(&"x".repeat(129)).is_err());
        assert_eq!(generate().len(), 20);
    }
}
