//! The on-device outbox.

use std::path::Path;
use std::sync::Arc;

use hexin_core::outbox::{OutboxConfig, PackageSummary};
use hexin_core::Error;

use crate::runtime::guard;

/// Packages kept on the device until delivered: crash-safe SQLite, encrypted with the host's key.
#[derive(uniffi::Object)]
pub struct Outbox(pub(crate) Arc<hexin_core::outbox::Outbox>);

#[uniffi::export]
impl Outbox {
    /// Opens (or creates) the outbox in `dir`. `key`: 32 bytes from the platform keystore to
    /// encrypt it at rest (wiped from this copy after use), or none for plaintext; fixed when
    /// the outbox is created. `max_bytes`: cap on stored files (default 500 MB). `keep_days`:
    /// keep a committed package's files this many days; by default they are wiped at commit.
    #[uniffi::constructor]
    pub fn new(dir: String, key: Option<Vec<u8>>, max_bytes: Option<u64>, keep_days: Option<u32>) -> Result<Arc<Outbox>, Error> {
        guard(|| {
            let mut key = key;
            let config = OutboxConfig::new(key.as_deref_mut(), max_bytes, keep_days)?;
            Ok(Arc::new(Outbox(Arc::new(hexin_core::outbox::Outbox::open(Path::new(&dir), config)?))))
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
    pub fn export(&self, id: String, dir: String) -> Result<(), Error> {
        guard(|| self.0.export(&id, Path::new(&dir)))
    }
}
