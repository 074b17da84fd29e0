//! What a tus server supports, and the checksum hexin sends it.

use std::io::{Read, Write};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use sha2::{Digest, Sha256};

/// What a tus server says it supports, from its `OPTIONS` response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCaps {
    /// The preferred protocol version (first of `Tus-Version`).
    pub version: String,
    /// `Tus-Extension`, e.g. `creation`, `creation-with-upload`, `checksum`, `termination`.
    pub extensions: Vec<String>,
    /// `Tus-Max-Size`, the largest upload the server accepts.
    pub max_size: Option<u64>,
    /// `Tus-Checksum-Algorithm`.
    pub checksum_algorithms: Vec<String>,
}

impl ServerCaps {
    /// Whether the server lists `extension`.
    pub fn supports(&self, extension: &str) -> bool {
        self.extensions.iter().any(|e| e == extension)
    }

    /// The algorithm for PATCH bodies' `Upload-Checksum`: SHA-256 when offered, else SHA-1.
    pub(super) fn checksum(&self) -> Option<Checksum> {
        let offers = |name: &str| self.checksum_algorithms.iter().any(|a| a.eq_ignore_ascii_case(name));
        if !self.supports("checksum") {
            None
        } else if offers("sha256") {
            Some(Checksum::Sha256)
        } else if offers("sha1") {
            Some(Checksum::Sha1)
        } else {
            None
        }
    }
}

/// A checksum extension algorithm hexin sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Checksum {
    Sha256,
    Sha1,
}

impl Checksum {
    /// The `Upload-Checksum` header value for the bytes `chunk` yields.
    pub(super) fn header(self, mut chunk: impl Read) -> std::io::Result<String> {
        fn digest<D: Digest + Write>(mut hasher: D, chunk: &mut impl Read) -> std::io::Result<String> {
            std::io::copy(chunk, &mut hasher)?;
            Ok(BASE64.encode(hasher.finalize()))
        }
        Ok(match self {
            Checksum::Sha256 => format!("sha256 {}", digest(Sha256::new(), &mut chunk)?),
            Checksum::Sha1 => format!("sha1 {}", digest(sha1::Sha1::new(), &mut chunk)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        let caps = ServerCaps {
            version: "1.0.0".into(),
            extensions: vec!["creation".into(), "checksum".into()],
            max_size: None,
            checksum_algorithms: vec!["sha1".into(), "SHA256".into()],
        };
        assert_eq!(caps.checksum(), Some(Checksum::Sha256));
        let sha1_only = ServerCaps { checksum_algorithms: vec!["sha1".into(), "md5".into()], ..caps.clone() };
        assert_eq!(sha1_only.checksum(), Some(Checksum::Sha1));
        let none = ServerCaps { extensions: vec!["creation".into()], ..caps };
        assert_eq!(none.checksum(), None);
        // RFC 3174's "abc": a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d.
        assert_eq!(Checksum::Sha1.header(&b"abc"[..]).unwrap(), "sha1 qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
        assert_eq!(
            Checksum::Sha256.header(&b"abc"[..]).unwrap(),
            "sha256 ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }
}
