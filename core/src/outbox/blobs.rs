//! Content-addressed blob files, written atomically.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use super::dir::{set_mode, sync_dir};
use crate::hash::{hex, is_hex};
use crate::input;
use crate::Error;

/// Prefix of temporary files, followed by 16 lowercase hex digits; the sweep deletes any it finds.
const TEMP_PREFIX: &str = ".tmp-";

/// Whether `name` is a blob name: 64 lowercase hex digits.
pub(crate) fn is_blob_name(name: &str) -> bool {
    is_hex(name, 64)
}

/// Whether `name` is the name of a temporary file [`write_atomic`] makes.
fn is_temp_name(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX).is_some_and(|suffix| is_hex(suffix, 16))
}


/// The `blobs/` directory.
pub(crate) struct Blobs {
    dir: PathBuf,
}

impl Blobs {
    pub(crate) fn new(dir: PathBuf) -> Blobs {
        Blobs { dir }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Whether a blob of this name is on disk.
    pub(crate) fn exists(&self, name: &str) -> Result<bool, Error> {
        match fs::symlink_metadata(self.path(name)) {
            Ok(m) => Ok(m.is_file()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::storage("stat_blob", e)),
        }
    }

    /// Writes a blob atomically unless one of this name is already there (identical content).
    pub(crate) fn write(&self, name: &str, data: &[u8]) -> Result<(), Error> {
        if self.exists(name)? {
            return Ok(());
        }
        write_atomic(&self.dir, name, data)
    }

    /// Reads a blob, insisting on the size the database expects.
    pub(crate) fn read(&self, name: &str, expected_len: u64) -> Result<Vec<u8>, Error> {
        let path = self.path(name);
        let corrupt = |why: String| Error::OutboxCorrupt { reason: format!("blob {name}: {why}") };
        // Opened without following a link or blocking, checked and read on one handle.
        let data = match input::read(&path, expected_len) {
            Ok(data) => data,
            Err(Error::NotAFile { .. }) => return Err(corrupt("not a regular file".into())),
            Err(Error::InputTooLarge { bytes, .. }) => return Err(corrupt(format!("{bytes} bytes on disk, expected {expected_len}"))),
            Err(e) if input::is_not_found(&e) => return Err(corrupt("missing".into())),
            Err(e) => return Err(e),
        };
        if data.len() as u64 != expected_len {
            return Err(corrupt(format!("{} bytes on disk, expected {expected_len}", data.len())));
        }
        Ok(data)
    }

    /// Deletes a blob; one already gone is fine.
    pub(crate) fn remove(&self, name: &str) -> Result<(), Error> {
        match fs::remove_file(self.path(name)) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(Error::storage("remove_blob", e)),
            _ => Ok(()),
        }
    }

    /// Bytes of the blobs and temporary files in the directory, as stored on disk.
    pub(crate) fn usage(&self) -> Result<u64, Error> {
        let mut total = 0u64;
        for entry in fs::read_dir(&self.dir).map_err(|e| Error::storage("list_blobs", e))? {
            let entry = entry.map_err(|e| Error::storage("list_blobs", e))?;
            if !entry.file_name().to_str().is_some_and(|n| is_blob_name(n) || is_temp_name(n)) {
                continue;
            }
            match entry.metadata() {
                Ok(m) if m.is_file() => total = total.saturating_add(m.len()),
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(Error::storage("stat_blob", e)),
            }
        }
        Ok(total)
    }

    /// Deletes temporary files, and blobs not in `referenced` that `wrote` confirms the outbox
    /// wrote; makes the blobs it keeps `0600`. Any other file (a photo someone put here) and
    /// any subdirectory is left alone.
    pub(crate) fn sweep(&self, referenced: &HashSet<String>, wrote: impl Fn(&str) -> bool) -> Result<(), Error> {
        let mut removed = 0;
        for entry in fs::read_dir(&self.dir).map_err(|e| Error::storage("list_blobs", e))? {
            let entry = entry.map_err(|e| Error::storage("list_blobs", e))?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else { continue };
            let is_file = entry.file_type().map_err(|e| Error::storage("list_blobs", e))?.is_file();
            if !is_file || !(is_temp_name(&name) || is_blob_name(&name)) {
                continue;
            }
            if is_temp_name(&name) || (!referenced.contains(&name) && wrote(&name)) {
                match fs::remove_file(entry.path()) {
                    Err(e) if e.kind() != ErrorKind::NotFound => return Err(Error::storage("sweep", e)),
                    _ => removed += 1,
                }
            } else {
                set_mode(&entry.path(), 0o600)?;
            }
        }
        if removed > 0 {
            log::info!("outbox: the sweep deleted {removed} temporary or unreferenced files");
            sync_dir(&self.dir)?;
        }
        Ok(())
    }
}

/// Writes `dir/name` so that it either has all of `data` or does not exist: a temporary file
/// in the same directory, `0600` whatever the umask, is written and fsynced, renamed over
/// `name`, and the directory is fsynced so the rename itself is durable.
pub(crate) fn write_atomic(dir: &Path, name: &str, data: &[u8]) -> Result<(), Error> {
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(|e| Error::storage("random", e))?;
    let temp = dir.join(format!("{TEMP_PREFIX}{}", hex(&suffix)));
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        #[cfg(unix)]
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        file.write_all(data)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, dir.join(name))
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(Error::storage("write_file", e));
    }
    sync_dir(dir)
}

