//! The outbox directory: recognizing it before anything in it is touched, and keeping its files
//! private to the user the app runs as.
//!
//! An outbox is recognized by what it wrote itself: the marker file and the database's
//! `PRAGMA application_id` (see [`super::db`]). [`claim`] looks before it writes: a missing or
//! empty directory becomes an outbox; one holding the marker or an outbox database is opened;
//! anything else is [`Error::OutboxForeign`] and gets not even a lock file.
//!
//! Permissions are set explicitly, whatever the umask: the directories `0700`, every file
//! `0600`. SQLite gives its `-wal` and `-shm` files the database file's mode.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{ErrorKind, Write};
use std::path::Path;

use super::{BLOB_DIR, DB_FILE, LOCK_FILE};
use crate::Error;

/// The marker file's name inside the outbox directory.
pub const MARKER_FILE: &str = "outbox.hexin";
/// The marker file's whole content.
const MARKER: &[u8] = b"hexin outbox\n";

/// What [`claim`] found in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// Nothing yet: at most a lock file, an empty `blobs/` or a partly written marker from an
    /// interrupted creation.
    Empty,
    /// The marker: an outbox, with or without its database yet.
    Marked,
    /// No marker, but a database file: an outbox from before markers, or damage.
    Unmarked,
}

/// Locks `dir` for this process and says what is in it; a directory that is not an outbox is
/// refused before anything is written to it.
pub(crate) fn claim(dir: &Path) -> Result<(File, Found), Error> {
    let foreign = || Error::OutboxForeign { path: dir.display().to_string() };
    look(dir)?.ok_or_else(foreign)?;
    private_dir(dir)?;
    let lock = private_file(&dir.join(LOCK_FILE))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(Error::OutboxLocked { path: dir.display().to_string() }),
        Err(TryLockError::Error(e)) => return Err(Error::storage("lock", e)),
    }
    // Again under the lock: another process may have created the outbox meanwhile.
    let found = look(dir)?.ok_or_else(foreign)?;
    Ok((lock, found))
}

/// What `dir` holds; `None` when it holds anything but outbox files.
fn look(dir: &Path) -> Result<Option<Found>, Error> {
    let entries = match fs::read_dir(dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Some(Found::Empty)),
        entries => entries.map_err(|e| Error::storage("open", e))?,
    };
    let (mut marked, mut db, mut other) = (false, false, false);
    for entry in entries {
        let entry = entry.map_err(|e| Error::storage("open", e))?;
        match entry.file_name().to_str() {
            Some(LOCK_FILE) => {}
            // An empty `blobs/`: an earlier build made it first when creating an outbox.
            Some(BLOB_DIR) if fs::read_dir(entry.path()).is_ok_and(|mut d| d.next().is_none()) => {}
            Some(DB_FILE) => db = true,
            Some(MARKER_FILE) => match marker_state(&entry.path())? {
                Some(true) => marked = true,
                Some(false) => {}
                None => other = true,
            },
            _ => other = true,
        }
    }
    Ok(match (marked, db, other) {
        (true, _, _) => Some(Found::Marked),
        (false, true, _) => Some(Found::Unmarked),
        (false, false, false) => Some(Found::Empty),
        (false, false, true) => None,
    })
}

/// `Some(true)` for a whole marker, `Some(false)` for one cut short while being written, `None`
/// for a file of that name hexin did not write.
fn marker_state(path: &Path) -> Result<Option<bool>, Error> {
    match crate::input::read(path, MARKER.len() as u64) {
        Ok(bytes) if bytes == MARKER => Ok(Some(true)),
        Ok(bytes) if MARKER.starts_with(&bytes) => Ok(Some(false)),
        Ok(_) | Err(Error::InputTooLarge { .. } | Error::NotAFile { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes the marker. Not atomic on purpose: a temporary file left by a crash would make the
/// directory look foreign, while a marker cut short counts as none and is written again.
pub(crate) fn mark(dir: &Path) -> Result<(), Error> {
    let path = dir.join(MARKER_FILE);
    let mut file = OpenOptions::new().write(true).create(true).truncate(true).open(&path).map_err(|e| Error::storage("mark", e))?;
    make_private(&file)?;
    file.write_all(MARKER).and_then(|()| file.sync_all()).map_err(|e| Error::storage("mark", e))?;
    sync_dir(dir)
}

/// Creates `path` as a directory if needed (with its parents) and makes it `0700`.
pub(crate) fn private_dir(path: &Path) -> Result<(), Error> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(|e| Error::storage("create_dir", e))?;
    set_mode(path, 0o700)
}

/// Opens `path` for reading and writing, creating it if needed, and makes it `0600`.
pub(crate) fn private_file(path: &Path) -> Result<File, Error> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(|e| Error::storage("open", e))?;
    make_private(&file)?;
    Ok(file)
}

/// Makes an open file `0600`, on the handle.
pub(crate) fn make_private(file: &File) -> Result<(), Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600)).map_err(|e| Error::storage("chmod", e))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Tightens an outbox written before permissions were set: the directories `0700`, the
/// database files `0600` (blob files are tightened by the sweep).
pub(crate) fn tighten(dir: &Path) -> Result<(), Error> {
    set_mode(dir, 0o700)?;
    set_mode(&dir.join(BLOB_DIR), 0o700)?;
    let (wal, shm) = (format!("{DB_FILE}-wal"), format!("{DB_FILE}-shm"));
    for name in [DB_FILE, &wal, &shm, LOCK_FILE, MARKER_FILE] {
        let path = dir.join(name);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => set_mode(&path, 0o600)?,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(Error::storage("chmod", e)),
        }
    }
    Ok(())
}

/// Sets `path`'s permission bits, unless they already are `mode`.
pub(crate) fn set_mode(path: &Path, mode: u32) -> Result<(), Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(path).map_err(|e| Error::storage("chmod", e))?;
        if meta.permissions().mode() & 0o7777 != mode {
            fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(|e| Error::storage("chmod", e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Makes directory entries (creations, renames) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), Error> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::storage("sync_dir", e))
}
