//! API tokens for machine clients: `al_` followed by a 43-character secret. The prefix makes a
//! leaked token easy to recognise (secret scanners, logs); the first [`PREFIX_LEN`]
//! characters are stored in clear so a person can tell their tokens apart.

use super::{is_secret_shaped, random_secret, secret_hash};
use crate::error::Result;

pub const TOKEN_PREFIX: &str = "al_";

/// How many leading characters of a token are kept in clear (`al_` and 7 of the secret,
/// about 42 bits: enough to tell tokens apart, far too few to guess the rest).
pub const PREFIX_LEN: usize = 10;

/// A freshly made token: the secret is shown once, the hash and prefix are stored.
#[derive(Debug, Clone)]
pub struct Minted {
    pub secret: String,
    pub hash: String,
    pub prefix: String,
}

pub fn mint() -> Result<Minted> {
    let secret = format!("{TOKEN_PREFIX}{}", random_secret()?);
    Ok(Minted {
        hash: secret_hash(&secret),
        prefix: secret[..PREFIX_LEN].to_string(),
        secret,
    })
}

/// True if `s` looks like a token [`mint`] makes (checked before any database lookup).
#[must_use]
pub fn is_token_shaped(s: &str) -> bool {
    s.strip_prefix(TOKEN_PREFIX).is_some_and(is_secret_shaped)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tokens_have_their_shape() {
        let t = mint().unwrap();
        assert_eq!(t.secret.len(), 46);
        assert!(is_token_shaped(&t.secret));
        assert!(t.secret.starts_with(&t.prefix));
        assert_eq!(t.prefix.len(), PREFIX_LEN);
        assert_eq!(t.hash, secret_hash(&t.secret));
        assert!(!is_token_shaped(&t.secret[3..]));
    }
}
