//! The SHA-256 of a value's JSON, hashed as serde_json writes it rather than held: what the
//! audit chain links entries with and what makes a report's file identifier.

use sha2::{Digest, Sha256};

/// A SHA-256 that serde_json writes into.
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// SHA-256 of `value` serialised as compact JSON.
///
/// # Errors
/// When `value` cannot be serialised (a map with non-string keys, a failing `Serialize`).
pub fn json_sha256<T: serde::Serialize + ?Sized>(value: &T) -> Result<[u8; 32], serde_json::Error> {
    let mut h = Hashing(Sha256::new());
    serde_json::to_writer(&mut h, value)?;
    Ok(h.0.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_is_the_hash_of_the_json_bytes() {
        let v = serde_json::json!({"a": [1, "ạ"]});
        let bytes = serde_json::to_vec(&v).unwrap_or_default();
        let expected: [u8; 32] = Sha256::digest(&bytes).into();
        assert_eq!(json_sha256(&v).ok(), Some(expected));
    }
}
