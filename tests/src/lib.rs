//! End-to-end test harness for hexin uploads: a real tus 1.0.0 server ([`TusServer`], Node's
//! `@tus/server` with a FileStore) and a loopback HTTP/1.1 proxy that injects faults
//! ([`FaultProxy`]), and a fake tus server that breaks the protocol on purpose
//! ([`MisbehavingServer`]). See `tests/README.md`.

mod misbehaving;
mod proxy;
mod server;

use std::fs::File;
use std::io;
use std::net::TcpListener;
use std::path::Path;

use sha2::{Digest, Sha256};

pub use misbehaving::{MisbehavingServer, Misbehaviour, Received};
pub use proxy::{FaultProxy, LoggedRequest};
pub use server::{StoredUpload, TusServer};

/// SHA-256 of a file's bytes, lowercase hex.
///
/// # Panics
/// If the file cannot be read.
pub fn sha256_file(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    let digest = File::open(path)
        .and_then(|mut file| {
            let mut hasher = Sha256::new();
            io::copy(&mut file, &mut hasher)?;
            Ok(hasher.finalize())
        })
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    hex(&digest)
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A loopback port that was free a moment ago.
///
/// # Panics
/// If no loopback port can be bound.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|e| panic!("no free loopback port: {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
