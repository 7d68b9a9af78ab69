//! Identity: argon2id password hashing, run off the async threads with bounded concurrency so
//! a burst of logins cannot starve request handling or exhaust memory (each hash takes 19 MiB);
//! the secrets behind sessions and API tokens, and the login throttle's rule.
//!
//! Nothing here touches the database: storing and checking sessions and tokens is the job of
//! `db` and `actions::auth`. A secret is shown once and only its SHA-256 is stored, so the
//! lookup by hash is the comparison (no secret is ever compared byte by byte).

pub mod password;
pub mod session;
pub mod throttle;
pub mod token;

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, encoded as 43 characters of unpadded base64url
/// (A-Z, a-z, 0-9, '-', '_'), so the secret can travel in a cookie or a header unescaped.
pub fn random_secret() -> Result<String> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("the OS gave no random bytes: {e}")))?;
    Ok(base64url(&bytes))
}

/// The SHA-256 of `secret` in lower-case hex: what the database stores and looks up.
#[must_use]
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// True if `s` has the shape [`random_secret`] makes, so malformed input is turned away
/// without a database round trip.
#[must_use]
pub fn is_secret_shaped(s: &str) -> bool {
    s.len() == SECRET_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Length of an encoded secret: 32 bytes in base64url without padding.
pub const SECRET_LEN: usize = 43;

/// Unpadded base64url (RFC 4648 §5); a few lines are cheaper than another dependency.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // A chunk of k bytes carries 8k bits: k + 1 characters of 6 bits each.
        for i in 0..=chunk.len() {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base64url_matches_the_rfc_vectors() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn secrets_are_43_url_safe_characters_and_differ() {
        let a = random_secret().unwrap();
        let b = random_secret().unwrap();
        assert!(is_secret_shaped(&a), "{a}");
        assert_ne!(a, b);
        assert_eq!(secret_hash(&a).len(), 64);
        assert!(!is_secret_shaped("short"));
    }
}
