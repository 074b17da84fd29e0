//! Sealing at rest: XChaCha20-Poly1305 with a random nonce per write.
//!
//! A sealed value is `b"HXE1" || nonce (24 bytes) || ciphertext || tag (16 bytes)`. The
//! associated data names what the value is (a blob's name, or a column and package id), so a
//! sealed value moved to another place fails to open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::Error;

const MAGIC: &[u8; 4] = b"HXE1";
const NONCE: usize = 24;
const TAG: usize = 16;
/// Bytes a sealed value adds to its plaintext.
pub(crate) const OVERHEAD: u64 = (MAGIC.len() + NONCE + TAG) as u64;

/// The host's key, ready to seal and open.
pub(crate) struct Cipher(XChaCha20Poly1305);

impl Cipher {
    pub(crate) fn new(key: &[u8; 32]) -> Cipher {
        Cipher(XChaCha20Poly1305::new(Key::from_slice(key)))
    }

    /// Encrypts `msg` under a fresh random nonce, binding `aad`.
    pub(crate) fn seal(&self, aad: &[u8], msg: &[u8]) -> Result<Vec<u8>, Error> {
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(|e| Error::storage("random", e))?;
        let sealed = self
            .0
            .encrypt(XNonce::from_slice(&nonce), Payload { msg, aad })
            .map_err(|_| Error::Storage { op: "encrypt".into(), reason: "encryption failed".into() })?;
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts a value from [`Cipher::seal`]; anything else, or the wrong `aad`, is
    /// [`Error::OutboxCorrupt`] naming `what`.
    pub(crate) fn open(&self, aad: &[u8], data: &[u8], what: &str) -> Result<Vec<u8>, Error> {
        let corrupt = |why: &str| Error::OutboxCorrupt { reason: format!("{what}: {why}") };
        if data.len() < MAGIC.len() + NONCE + TAG {
            return Err(corrupt("too short to be sealed"));
        }
        if &data[..MAGIC.len()] != MAGIC {
            return Err(corrupt("not sealed with this format"));
        }
        let (nonce, sealed) = data[MAGIC.len()..].split_at(NONCE);
        self.0
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
            .map_err(|_| corrupt("authentication failed"))
    }
}

/// Associated data for a blob: binds the blob to its content-addressed name.
pub(crate) fn blob_aad(sha256: &str) -> Vec<u8> {
    format!("hexin-outbox/v1/blob/{sha256}").into_bytes()
}

/// Associated data for a sensitive column of one package.
pub(crate) fn column_aad(column: &str, id: &str) -> Vec<u8> {
    format!("hexin-outbox/v1/{column}/{id}").into_bytes()
}

/// Associated data for a file's upload URL.
pub(crate) fn upload_aad(id: &str, name: &str) -> Vec<u8> {
    format!("hexin-outbox/v1/upload/{id}/{name}").into_bytes()
}

/// Associated data of the key-check record.
pub(crate) const KEY_CHECK_AAD: &[u8] = b"hexin-outbox/v1/key-check";
/// The plaintext of the key-check record.
pub(crate) const KEY_CHECK_PLAINTEXT: &[u8] = b"hexin outbox key check";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let c = Cipher::new(&[7; 32]);
        let a = c.seal(b"aad-a", b"hello").unwrap();
        assert_eq!(a.len() as u64, 5 + OVERHEAD);
        assert_eq!(c.open(b"aad-a", &a, "x").unwrap(), b"hello");
        // A fresh nonce each time.
        assert_ne!(c.seal(b"aad-a", b"hello").unwrap(), a);
        // Wrong associated data, wrong key, truncation and a flipped bit all fail typed.
        for bad in [
            c.open(b"aad-b", &a, "x"),
            Cipher::new(&[8; 32]).open(b"aad-a", &a, "x"),
            c.open(b"aad-a", &a[..a.len() - 1], "x"),
            c.open(b"aad-a", &a[..10], "x"),
            c.open(b"aad-a", &[a[..20].to_vec(), vec![a[20] ^ 1], a[21..].to_vec()].concat(), "x"),
            c.open(b"aad-a", b"XXXX0123456789012345678901234567890123456789", "x"),
        ] {
            assert!(matches!(bad, Err(Error::OutboxCorrupt { .. })), "{bad:?}");
        }
    }
}
