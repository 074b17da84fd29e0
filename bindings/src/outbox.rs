//! The on-device outbox.

use std::sync::Arc;

use hexin_core::outbox::{OutboxConfig, PackageSummary};
use hexin_core::Error;

use crate::path::{unsigned_arg, FilePath};
use crate::runtime::guard;

/// Packages kept on the device until delivered: crash-safe SQLite, encrypted with the host's key.
///
/// Every call reads or writes SQLite on the caller's thread: quick, but disk work, so call it
/// off the main thread (Kotlin `Dispatchers.IO`, a Swift background task).
#[derive(uniffi::Object)]
pub struct Outbox(pub(crate) Arc<hexin_core::outbox::Outbox>);

/// How an outbox keeps packages; every field has a default.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct OutboxOptions {
    /// Cap on the stored files' bytes (`OutboxFull` beyond it); default 500 MB.
    #[uniffi(default = None)]
    pub max_bytes: Option<i64>,
    /// Keep a delivered package's files this many days; by default they are wiped at commit.
    #[uniffi(default = None)]
    pub keep_days: Option<i32>,
}

#[uniffi::export]
impl Outbox {
    /// Opens (or creates) the outbox in `dir`. `key`: 32 bytes from the platform keystore to
    /// encrypt it at rest (wiped from this copy after use), or none for plaintext; fixed when
    /// the outbox is created (`OutboxKeyMismatch` when another key opens it).
    #[uniffi::constructor(default(options = None))]
    pub fn new(dir: FilePath, key: Option<Vec<u8>>, options: Option<OutboxOptions>) -> Result<Arc<Outbox>, Error> {
        guard(|| {
            let options = options.unwrap_or_default();
            let mut key = key;
            let max_bytes = options.max_bytes.map(|b| unsigned_arg("max_bytes", b)).transpose()?;
            let keep_days = options.keep_days.map(|d| unsigned_arg("keep_days", d)).transpose()?;
            let config = OutboxConfig::new(key.as_deref_mut(), max_bytes, keep_days)?;
            Ok(Arc::new(Outbox(Arc::new(hexin_core::outbox::Outbox::open(dir.as_ref(), config)?))))
        })
    }

    /// Every package, oldest first.
    pub fn list(&self) -> Result<Vec<PackageSummary>, Error> {
        guard(|| self.0.list())
    }

    pub fn get(&self, id: String) -> Result<PackageSummary, Error> {
        guard(|| self.0.get(&id))
    }

    /// Deletes a package and its files from the device (`Uploader.abandon` also ends its
    /// uploads on the server).
    pub fn purge(&self, id: String) -> Result<(), Error> {
        guard(|| self.0.purge(&id))
    }

    /// Writes a sealed package's manifest and files into `dir` (created, must be empty).
    pub fn export(&self, id: String, dir: FilePath) -> Result<(), Error> {
        guard(|| self.0.export(&id, dir.as_ref()))
    }
}
