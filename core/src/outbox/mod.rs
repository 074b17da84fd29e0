//! A durable on-device store for submission packages, waiting to be uploaded.
//!
//! # On-disk layout
//!
//! Everything lives in the directory the host names (mode `0700`; every file in it `0600`, set
//! explicitly whatever the umask):
//!
//! ```text
//! DIR/outbox.hexin        the marker: "hexin outbox\n", written when the outbox is created
//! DIR/outbox.lock         held with an exclusive lock while an Outbox is open
//! DIR/outbox.sqlite3      packages, their file lists, drafts and manifests (WAL, synchronous=FULL)
//! DIR/outbox.sqlite3-wal  SQLite's write-ahead log (and -shm), while open
//! DIR/blobs/<sha256>      one file per distinct content; the name is the SHA-256 hex of the plaintext
//! DIR/blobs/.tmp-<hex>    a blob being written (16 hex digits); never left behind after an open
//! ```
//!
//! The database has a `packages` table (id, state, timestamps, draft, manifest and the
//! manifest's SHA-256), a `files` table keyed by `(package_id, name)` pointing at a blob by its
//! hash, with each file's upload mark (tus URL and confirmed offset), and a `meta` table with
//! the key-check record. The schema version is `PRAGMA user_version`; migrations only append.
//!
//! # Recognizing an outbox
//!
//! An outbox is recognized by what it wrote itself: the marker file and the database's
//! `PRAGMA application_id` (`HXOB`). [`Outbox::open`] looks before it writes anything: a missing
//! or empty directory becomes an outbox; a directory holding anything else without a marker or
//! an outbox database is [`Error::OutboxForeign`] and stays untouched (a mistyped path to a
//! photo folder loses nothing). A database that is not an outbox's, an empty file included, or
//! a marked outbox whose database is gone while blobs remain, is [`Error::OutboxCorrupt`], and
//! nothing is swept. An outbox written before markers (schema 1 or 2, with its `format`
//! record) is recognized, gets its marker and application id, and has its permissions tightened.
//!
//! # Crash safety
//!
//! Every change is ordered so that killing the process at any instant leaves a consistent
//! outbox:
//!
//! 1. A blob is written whole before anything refers to it: a temporary file in `blobs/` is
//!    written and fsynced, renamed to its hash, and the directory is fsynced.
//! 2. Then one SQLite transaction changes the rows (add or replace a file, seal a package with
//!    its whole file set and manifest or a draft in place with its manifest, change state,
//!    wipe, purge). SQLite's WAL with
//!    `synchronous=FULL` makes the transaction all-or-nothing and durable.
//! 3. Only after that commit are blobs that no row refers to any more deleted.
//!
//! A crash between the steps leaves only unreferenced blobs or temporary files, which the
//! sweep at [`Outbox::open`] (and [`Outbox::sweep`]) deletes. The sweep deletes only what the
//! outbox wrote: files named as its temporary files, and unreferenced files named as blobs
//! whose content proves it (it hashes to the name, or opens with the key; one over 64 MiB is
//! not read, and kept). Any other file in `blobs/` is left alone. So after any reopen every file
//! row has its blob, every blob is referenced, no temporary file remains, and a package is
//! either fully sealed (manifest and all files) or not sealed at all. Identical content is
//! stored once and a blob is deleted only when no package refers to it; all operations on one
//! `Outbox` are serialized, and the lock file keeps other processes out.
//!
//! # One package per id
//!
//! A sealed package's manifest SHA-256 is kept after the wipe, so [`Outbox::holds`] tells the
//! same package (same id, same manifest) from another under the same id
//! ([`Error::PackageConflict`]): a package id is never taken for one stored or delivered.
//!
//! # Encryption at rest
//!
//! With [`OutboxConfig::key`], blobs and the sensitive values (draft, manifest, the manifest's
//! SHA-256, each file's upload URL) are sealed with XChaCha20-Poly1305 under a fresh random
//! 24-byte nonce per write: `b"HXE1" || nonce || ciphertext || tag`. The associated data binds
//! a blob to its name (`hexin-outbox/v1/blob/<sha256>`), a column to its package
//! (`hexin-outbox/v1/<draft|manifest|manifest_sha256>/<id>`) and an upload URL to its file
//! (`hexin-outbox/v1/upload/<id>/<name>`), so sealed values cannot be swapped. A key-check
//! record sealed at creation tells a wrong key ([`Error::OutboxKeyMismatch`]) from damage.
//! Stored in the clear: package ids, file names, sizes, states, timestamps, the plaintext
//! SHA-256 of each file and each upload's confirmed offset; ids and names must not carry
//! personal data. An upload URL with credentials (`user:pass@`) is never stored, with a key or
//! without ([`Error::InvalidEndpoint`]). An outbox is encrypted or not for life, decided when it
//! is created.
//!
//! # Errors
//!
//! A malformed package id or file name (the package rule, [`manifest::is_safe_file_name`]) is
//! [`Error::InvalidArgument`] (a host bug, not damage). A damaged database or blob is [`Error::OutboxCorrupt`]; failing
//! I/O is [`Error::Storage`]. Nothing here panics on what it reads from disk, and nothing logs.

mod blobs;
mod crypto;
mod db;
mod dir;

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::ErrorKind;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;
use zeroize::Zeroize;
use serde::{Deserialize, Serialize};

use crate::count;
use crate::date::unix_now;
use crate::hash::sha256_hex;
use crate::package::manifest::{self, is_safe_file_name};
use crate::package::verify;
use crate::Error;
use blobs::Blobs;
use crypto::Cipher;
use db::{Column, StoredMark};
use dir::Found;

pub use dir::MARKER_FILE;

/// The database file's name inside the outbox directory.
pub const DB_FILE: &str = "outbox.sqlite3";
/// The blob directory's name inside the outbox directory.
pub const BLOB_DIR: &str = "blobs";
/// The lock file's name inside the outbox directory.
pub const LOCK_FILE: &str = "outbox.lock";
/// The file name [`Outbox::export`] gives the manifest; reserved, so no material may use it.
/// The largest unreferenced blob the sweep reads to confirm the outbox wrote it (and then
/// deletes it); a larger one is kept. Bounds the sweep's memory.
const ORPHAN_CHECK_LIMIT: u64 = 64 * 1024 * 1024;

/// How an outbox is opened.
#[derive(Clone)]
pub struct OutboxConfig {
    /// A 256-bit key to encrypt everything sensitive at rest; `None` stores it in the clear.
    /// Wiped from memory when the config is dropped, and the outbox's own copy when the outbox
    /// is (copies the host made are the host's to wipe).
    pub key: Option<[u8; 32]>,
    /// Cap on the bytes the blobs take on disk; default 500 MB.
    pub max_bytes: u64,
    /// What happens to a package's files once it is committed.
    pub retention: Retention,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig { key: None, max_bytes: 500_000_000, retention: Retention::WipeOnCommit }
    }
}

impl OutboxConfig {
    /// A config from a host's arguments: `key` must be 32 bytes (else
    /// [`Error::InvalidArgument`] named `key`) and is wiped from `key` either way; `max_bytes`
    /// and `keep_days` ([`Retention::KeepDays`]) default as in [`OutboxConfig::default`].
    pub fn new(key: Option<&mut [u8]>, max_bytes: Option<u64>, keep_days: Option<u32>) -> Result<OutboxConfig, Error> {
        let mut config = OutboxConfig::default();
        if let Some(key) = key {
            let fixed: Result<[u8; 32], _> = (&*key).try_into();
            key.zeroize();
            let reason = "must be 32 bytes".to_string();
            config.key = Some(fixed.map_err(|_| Error::InvalidArgument { name: "key".into(), reason })?);
        }
        config.max_bytes = max_bytes.unwrap_or(config.max_bytes);
        config.retention = keep_days.map_or(config.retention, Retention::KeepDays);
        Ok(config)
    }
}

impl Drop for OutboxConfig {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl std::fmt::Debug for OutboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxConfig")
            .field("key", &self.key.map(|_| "<redacted>"))
            .field("max_bytes", &self.max_bytes)
            .field("retention", &self.retention)
            .finish()
    }
}

/// When a committed package's personal data (files, draft, manifest) is wiped. The package
/// itself stays listed, with no files, until [`Outbox::purge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// In the same transaction that marks it committed.
    WipeOnCommit,
    /// At the first open or [`Outbox::sweep`] at least this many days after the commit.
    KeepDays(u32),
}

/// Where a package is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum PackageState {
    /// Being assembled: the draft and files can change.
    Draft,
    /// Manifest and files fixed, waiting to upload.
    Sealed,
    /// Upload in progress.
    Uploading,
    /// The server has confirmed it.
    Committed,
}

impl PackageState {
    /// The lowercase form, as in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PackageState::Draft => "draft",
            PackageState::Sealed => "sealed",
            PackageState::Uploading => "uploading",
            PackageState::Committed => "committed",
        }
    }

    fn parse(s: &str) -> Option<PackageState> {
        Some(match s {
            "draft" => PackageState::Draft,
            "sealed" => PackageState::Sealed,
            "uploading" => PackageState::Uploading,
            "committed" => PackageState::Committed,
            _ => return None,
        })
    }
}

impl std::fmt::Display for PackageState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One file of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StoredFile {
    /// The file's name in the package.
    pub name: String,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    /// Size of the content (not of the encrypted blob).
    pub bytes: i64,
}

impl StoredFile {
    /// `bytes` unsigned. Never negative: the outbox makes a `StoredFile` from a length, or reads
    /// it from the index as a `u64` (a negative size there is `outbox_corrupt`).
    pub(crate) fn size(&self) -> u64 {
        self.bytes.unsigned_abs()
    }
}

/// The files' sizes added up, saturating: the sizes come from the index on disk.
pub(crate) fn total_size(files: &[StoredFile]) -> u64 {
    files.iter().fold(0, |total, f| total.saturating_add(f.size()))
}

/// A package's files as the outbox's index records them, for [`crate::package::seal::seal_stored`]:
/// sizes and hashes from the rows, without reading the blobs (each is checked against its
/// hash whenever it is read or uploaded).
impl verify::Files for Vec<StoredFile> {
    fn names(&self) -> Result<Vec<String>, String> {
        Ok(self.iter().map(|f| f.name.clone()).collect())
    }

    fn measure(&self, name: &str, expected_size: u64) -> Result<Option<(u64, String)>, String> {
        let measured = |f: &StoredFile| (f.size(), if f.size() == expected_size { f.sha256.clone() } else { String::new() });
        Ok(self.iter().find(|f| f.name == name).map(measured))
    }
}

/// Where [`Outbox::content`] says a file's content is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The blob file of a plaintext outbox, whose bytes are the content; not yet checked
    /// against `sha256`.
    Blob { path: std::path::PathBuf, sha256: String },
    /// The content of an encrypted blob, decrypted and checked against its SHA-256.
    Decrypted(Vec<u8>),
}

/// Where one file's upload stands: its tus URL and the offset the server last confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadMark {
    pub url: String,
    pub offset: u64,
}

/// A package as [`Outbox::list`] shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PackageSummary {
    pub id: String,
    pub state: PackageState,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// Sorted by name; empty once wiped after commit.
    pub files: Vec<StoredFile>,
    /// Sum of the files' sizes.
    pub bytes: i64,
}

/// An open outbox. All methods take `&self` and are serialized internally.
pub struct Outbox {
    conn: Mutex<Connection>,
    blobs: Blobs,
    cipher: Option<Cipher>,
    max_bytes: u64,
    retention: Retention,
    _lock: File,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").field("encrypted", &self.cipher.is_some()).finish_non_exhaustive()
    }
}

const KEY_CHECK: &str = "key_check";

impl Outbox {
    /// Opens (creating if needed) the outbox in `dir`, locks it against other processes
    /// ([`Error::OutboxLocked`]), checks the key ([`Error::OutboxKeyRequired`],
    /// [`Error::OutboxKeyMismatch`]) and runs [`Outbox::sweep`].
    ///
    /// `dir` must be missing, empty, or an outbox: a directory holding anything else is
    /// [`Error::OutboxForeign`], and a database that is not an outbox's (an empty file
    /// included) is [`Error::OutboxCorrupt`]; either way nothing in `dir` is changed or swept.
    pub fn open(dir: &Path, config: OutboxConfig) -> Result<Outbox, Error> {
        let (lock, found) = dir::claim(dir)?;
        let db_path = dir.join(DB_FILE);
        let cipher = config.key.as_ref().map(Cipher::new);
        let has_db = fs::symlink_metadata(&db_path).map(|_| true).or_else(|e| match e.kind() {
            ErrorKind::NotFound => Ok(false),
            _ => Err(Error::storage("open", e)),
        })?;
        if found == Found::Marked && !has_db && dir_has_entries(&dir.join(BLOB_DIR))? {
            return Err(Error::OutboxCorrupt { reason: "database: missing, while blobs remain".into() });
        }
        if found == Found::Empty {
            dir::mark(dir)?;
        }
        dir::private_dir(&dir.join(BLOB_DIR))?;
        let conn = if has_db {
            db::open_existing(&db_path)?
        } else {
            db::create(&db_path, |tx| {
                db::meta_set(tx, db::FORMAT, db::FORMAT_VALUE)?;
                if let Some(cipher) = &cipher {
                    db::meta_set(tx, KEY_CHECK, &cipher.seal(crypto::KEY_CHECK_AAD, crypto::KEY_CHECK_PLAINTEXT)?)?;
                }
                Ok(())
            })?
        };
        if found == Found::Unmarked {
            dir::mark(dir)?;
        }
        dir::tighten(dir)?;
        match (db::meta_get(&conn, KEY_CHECK)?, &cipher) {
            (Some(_), None) => return Err(Error::OutboxKeyRequired),
            (None, Some(_)) => {
                return Err(Error::OutboxKeyMismatch { reason: "a key was given but the outbox is not encrypted".into() })
            }
            (Some(check), Some(cipher)) => {
                let opened = cipher.open(crypto::KEY_CHECK_AAD, &check, "key check");
                if opened.as_deref().ok() != Some(crypto::KEY_CHECK_PLAINTEXT) {
                    return Err(Error::OutboxKeyMismatch { reason: "the key does not open this outbox".into() });
                }
            }
            (None, None) => {}
        }
        let outbox = Outbox {
            conn: Mutex::new(conn),
            blobs: Blobs::new(dir.join(BLOB_DIR)),
            cipher,
            max_bytes: config.max_bytes,
            retention: config.retention,
            _lock: lock,
        };
        outbox.upgrade()?;
        outbox.sweep()?;
        Ok(outbox)
    }

    /// Applies [`Retention::KeepDays`] to committed packages, then deletes temporary files and
    /// the blobs no package refers to that this outbox wrote (their content hashes to their
    /// name, or opens with the outbox's key). [`Outbox::open`] runs it; long-lived hosts may
    /// call it now and then.
    pub fn sweep(&self) -> Result<(), Error> {
        let mut conn = self.lock();
        if let Retention::KeepDays(days) = self.retention {
            let now = unix_now();
            let cutoff = now.saturating_sub(i64::from(days) * 86_400);
            let tx = conn.transaction().map_err(|e| db::sql_err("sweep", e))?;
            for id in db::expired(&tx, cutoff)? {
                log::info!("outbox: package {id} kept {days} days after delivery; its files are wiped");
                db::wipe(&tx, &id, now)?;
            }
            tx.commit().map_err(|e| db::sql_err("sweep", e))?;
        }
        let referenced = db::referenced(&conn)?;
        self.blobs.sweep(&referenced, |name| self.wrote(name))
    }

    /// Whether the blob file `name` is one this outbox wrote. One it cannot read, or larger
    /// than [`ORPHAN_CHECK_LIMIT`], counts as not: keeping a file is always safe.
    fn wrote(&self, name: &str) -> bool {
        let Ok(data) = crate::input::read(&self.blobs.path(name), ORPHAN_CHECK_LIMIT) else { return false };
        match &self.cipher {
            Some(c) => c.open(&crypto::blob_aad(name), &data, name).is_ok(),
            None => sha256_hex(&data) == name,
        }
    }

    /// Creates a package in state draft. `draft` is the host's opaque document (it holds
    /// personal data and is encrypted at rest when there is a key). An existing id is
    /// [`Error::InvalidState`].
    pub fn create_draft(&self, id: &str, draft: &[u8]) -> Result<(), Error> {
        check_id(id)?;
        let conn = self.lock();
        if let Some(p) = db::package(&conn, id)? {
            return Err(invalid(&p, "create_draft"));
        }
        let stored = self.seal_column(Column::Draft, id, draft)?;
        db::insert_package(&conn, id, PackageState::Draft, unix_now(), Some(&stored))
    }

    /// Replaces the draft document of a package in state draft.
    pub fn update_draft(&self, id: &str, draft: &[u8]) -> Result<(), Error> {
        check_id(id)?;
        let conn = self.lock();
        let p = self.package_in(&conn, id, &[PackageState::Draft], "update_draft")?;
        let stored = self.seal_column(Column::Draft, &p.id, draft)?;
        db::set_draft(&conn, id, &stored, unix_now())
    }

    /// Stores a file in a package in state draft, replacing one of the same name (a retake).
    /// [`Error::OutboxFull`] if the new blob would take the blobs past the cap; then nothing
    /// is written.
    pub fn put_file(&self, id: &str, name: &str, bytes: &[u8]) -> Result<StoredFile, Error> {
        check_id(id)?;
        check_name(name)?;
        let mut conn = self.lock();
        self.package_in(&conn, id, &[PackageState::Draft], "put_file")?;
        let file = StoredFile { name: name.to_owned(), sha256: sha256_hex(bytes), bytes: count::signed(bytes.len()) };
        let written = self.write_blobs(&[(&file.sha256, bytes)])?;
        let result = (|| {
            let tx = conn.transaction().map_err(|e| db::sql_err("put_file", e))?;
            let old = db::put_file(&tx, id, &file)?;
            db::touch(&tx, id, unix_now())?;
            tx.commit().map_err(|e| db::sql_err("put_file", e))?;
            Ok(old)
        })();
        match result {
            Ok(old) => {
                self.collect(&conn, old.iter().filter(|s| **s != file.sha256));
                Ok(file)
            }
            Err(e) => {
                self.collect(&conn, written.iter());
                Err(e)
            }
        }
    }

    /// Removes a file from a package in state draft; a name it does not have is not an error.
    pub fn remove_file(&self, id: &str, name: &str) -> Result<(), Error> {
        check_id(id)?;
        check_name(name)?;
        let mut conn = self.lock();
        self.package_in(&conn, id, &[PackageState::Draft], "remove_file")?;
        let tx = conn.transaction().map_err(|e| db::sql_err("remove_file", e))?;
        let old = db::delete_file(&tx, id, name)?;
        if old.is_some() {
            db::touch(&tx, id, unix_now())?;
        }
        tx.commit().map_err(|e| db::sql_err("remove_file", e))?;
        self.collect(&conn, old.iter());
        Ok(())
    }

    /// Seals a package: in one transaction, replaces its whole file set with `files`, stores
    /// `manifest`, and sets state sealed. The package must be a draft or not exist yet (then it
    /// is created without a draft document). [`Error::OutboxFull`] leaves it unchanged.
    pub fn seal(&self, id: &str, manifest: &[u8], files: &[(&str, &[u8])]) -> Result<(), Error> {
        check_id(id)?;
        let mut stored = Vec::with_capacity(files.len());
        for (name, bytes) in files {
            check_name(name)?;
            if stored.iter().any(|f: &StoredFile| f.name == *name) {
                return Err(Error::InvalidArgument { name: "file_name".into(), reason: format!("{name:?} appears twice") });
            }
            stored.push(StoredFile { name: (*name).to_owned(), sha256: sha256_hex(bytes), bytes: count::signed(bytes.len()) });
        }
        let mut conn = self.lock();
        let existing = db::package(&conn, id)?;
        if let Some(p) = &existing {
            if p.state != PackageState::Draft {
                return Err(invalid(p, "seal"));
            }
        }
        let manifest_sha256 = self.seal_column(Column::ManifestSha256, id, sha256_hex(manifest).as_bytes())?;
        let manifest = self.seal_column(Column::Manifest, id, manifest)?;
        let contents: Vec<(&str, &[u8])> = stored.iter().zip(files).map(|(f, (_, b))| (f.sha256.as_str(), *b)).collect();
        let written = self.write_blobs(&contents)?;
        let result = (|| {
            let now = unix_now();
            let tx = conn.transaction().map_err(|e| db::sql_err("seal", e))?;
            if existing.is_none() {
                db::insert_package(&tx, id, PackageState::Draft, now, None)?;
            }
            // Files uploaded early (from the draft) keep their uploads if their content stays.
            let marks = db::upload_marks(&tx, id)?;
            let old = db::delete_files(&tx, id)?;
            for file in &stored {
                db::put_file(&tx, id, file)?;
            }
            for (name, sha256, mark) in &marks {
                db::set_upload_mark(&tx, id, name, sha256, mark)?;
            }
            db::seal(&tx, id, &manifest, &manifest_sha256, now)?;
            tx.commit().map_err(|e| db::sql_err("seal", e))?;
            Ok(old)
        })();
        match result {
            Ok(old) => {
                self.collect(&conn, old.iter().filter(|s| !stored.iter().any(|f| &f.sha256 == *s)));
                Ok(())
            }
            Err(e) => {
                self.collect(&conn, written.iter());
                Err(e)
            }
        }
    }

    /// Seals a draft in place, its files already stored: in one transaction, drops the files
    /// not in `files`, stores `manifest` and sets state sealed; no blob is read or written, and
    /// upload marks stay. `files` are the files the manifest lists, each as the package must
    /// hold it (name, SHA-256, size; see the [`verify::Files`] impl for stored files): one it
    /// holds otherwise, or not at all, is [`Error::InvalidArgument`] and changes nothing.
    pub fn seal_in_place(&self, id: &str, manifest: &[u8], files: &[StoredFile]) -> Result<(), Error> {
        check_id(id)?;
        let mut conn = self.lock();
        self.package_in(&conn, id, &[PackageState::Draft], "seal")?;
        let manifest_sha256 = self.seal_column(Column::ManifestSha256, id, sha256_hex(manifest).as_bytes())?;
        let manifest = self.seal_column(Column::Manifest, id, manifest)?;
        let tx = conn.transaction().map_err(|e| db::sql_err("seal", e))?;
        let held = db::files(&tx, id)?;
        if let Some(f) = files.iter().find(|f| !held.contains(f)) {
            let reason = format!("package {id} does not hold {:?} with SHA-256 {} and {} bytes", f.name, f.sha256, f.bytes);
            return Err(Error::InvalidArgument { name: "files".into(), reason });
        }
        let mut old = vec![];
        for extra in held.iter().filter(|h| !files.contains(h)) {
            old.extend(db::delete_file(&tx, id, &extra.name)?);
        }
        db::seal(&tx, id, &manifest, &manifest_sha256, unix_now())?;
        tx.commit().map_err(|e| db::sql_err("seal", e))?;
        self.collect(&conn, old.iter());
        Ok(())
    }

    /// Whether the outbox holds package `id` sealed with exactly this manifest: its state if
    /// so (committed ones included, after their wipe), `None` if it holds no package `id`.
    /// Another package under the same id (another manifest, or a draft) is
    /// [`Error::PackageConflict`], so it is never taken for one already stored or delivered.
    pub fn holds(&self, id: &str, manifest: &[u8]) -> Result<Option<PackageState>, Error> {
        check_id(id)?;
        let conn = self.lock();
        let Some(p) = db::package(&conn, id)? else { return Ok(None) };
        let conflict = |reason: &str| Error::PackageConflict { id: id.to_owned(), reason: reason.to_owned() };
        let stored = db::column(&conn, id, Column::ManifestSha256)?
            .map(|stored| self.open_column(Column::ManifestSha256, id, stored))
            .transpose()?;
        match stored {
            Some(sha) if sha == sha256_hex(manifest).as_bytes() => Ok(Some(p.state)),
            Some(_) => Err(conflict("the outbox holds a package with another manifest under this id")),
            None if p.state == PackageState::Draft => Err(conflict("the outbox holds a draft under this id")),
            None => Err(conflict("the outbox holds a package under this id whose manifest it no longer has")),
        }
    }

    /// The upload mark of a file, if its upload has begun.
    pub fn upload_mark(&self, id: &str, name: &str) -> Result<Option<UploadMark>, Error> {
        check_id(id)?;
        check_name(name)?;
        let stored = db::upload_mark(&self.lock(), id, name)?;
        stored.map(|s| self.open_mark(id, name, s)).transpose()
    }

    /// Records where a file's upload stands, in a package not yet committed. `sha256` names the
    /// content uploaded: if the file was retaken meanwhile, the mark is dropped and `false`
    /// returned. The URL is sealed at rest when the outbox has a key; one that is not an
    /// absolute URL, or that carries credentials (`user:pass@`), is never stored
    /// ([`Error::InvalidEndpoint`]).
    pub fn set_upload_mark(&self, id: &str, name: &str, sha256: &str, mark: &UploadMark) -> Result<bool, Error> {
        check_id(id)?;
        check_name(name)?;
        check_upload_url(&mark.url)?;
        let upload = self.seal_url(id, name, &mark.url)?;
        let conn = self.lock();
        use PackageState::*;
        self.package_in(&conn, id, &[Draft, Sealed, Uploading], "set_upload_mark")?;
        db::set_upload_mark(&conn, id, name, sha256, &StoredMark { upload, offset: mark.offset })
    }

    /// Moves a package along: sealed → uploading, uploading → sealed (paused), uploading →
    /// committed. Anything else is [`Error::InvalidState`]. Committing applies the retention.
    pub fn set_state(&self, id: &str, state: PackageState) -> Result<(), Error> {
        use PackageState::*;
        check_id(id)?;
        let mut conn = self.lock();
        let p = db::package(&conn, id)?.ok_or_else(|| Error::PackageNotFound { id: id.to_owned() })?;
        if !matches!((p.state, state), (Sealed, Uploading) | (Uploading, Sealed) | (Uploading, Committed)) {
            return Err(invalid(&p, &format!("set_state({state})")));
        }
        let now = unix_now();
        let tx = conn.transaction().map_err(|e| db::sql_err("set_state", e))?;
        db::set_state(&tx, id, state, now)?;
        let old = if state == Committed && self.retention == Retention::WipeOnCommit {
            db::wipe(&tx, id, now)?
        } else {
            vec![]
        };
        tx.commit().map_err(|e| db::sql_err("set_state", e))?;
        self.collect(&conn, old.iter());
        Ok(())
    }

    /// Every package, oldest first.
    pub fn list(&self) -> Result<Vec<PackageSummary>, Error> {
        let conn = self.lock();
        db::packages(&conn)?
            .into_iter()
            .map(|p| {
                let files = db::files(&conn, &p.id)?;
                let bytes = count::signed(total_size(&files));
                Ok(PackageSummary { id: p.id, state: p.state, created_at: p.created_at, updated_at: p.updated_at, files, bytes })
            })
            .collect()
    }

    /// One package's summary.
    pub fn get(&self, id: &str) -> Result<PackageSummary, Error> {
        check_id(id)?;
        let conn = self.lock();
        let p = db::package(&conn, id)?.ok_or_else(|| Error::PackageNotFound { id: id.to_owned() })?;
        let files = db::files(&conn, id)?;
        let bytes = count::signed(total_size(&files));
        Ok(PackageSummary { id: p.id, state: p.state, created_at: p.created_at, updated_at: p.updated_at, files, bytes })
    }

    /// The draft document; empty if the package was sealed without one or has been wiped.
    pub fn draft(&self, id: &str) -> Result<Vec<u8>, Error> {
        Ok(self.read_column(Column::Draft, id)?.unwrap_or_default())
    }

    /// The manifest, once sealed (and until wiped after commit).
    pub fn manifest(&self, id: &str) -> Result<Option<Vec<u8>>, Error> {
        self.read_column(Column::Manifest, id)
    }

    /// A file's content, decrypted and checked against its SHA-256 ([`Error::OutboxCorrupt`]
    /// if the blob is missing, damaged or swapped). A name the package does not have is
    /// [`Error::Storage`] with `op: "read_file"`.
    pub fn read_file(&self, id: &str, name: &str) -> Result<Vec<u8>, Error> {
        let conn = self.lock();
        self.read_blob(&file_row(&conn, id, name)?)
    }

    /// Where an upload reads a file's content from. In a plaintext outbox that is the blob
    /// file itself, streamed by the reader, which must check it against `sha256` (a blob is
    /// written once under its hash and never rewritten, but the disk may have damaged it). In an
    /// encrypted outbox a blob is one AEAD message, so the file is decrypted whole into memory
    /// and checked here: one file's size per upload in flight (a capture is at most the
    /// policy's `output_max_bytes`, 2 MB by default; an imported file at most the outbox's
    /// `max_bytes`). A name the package does not have is [`Error::Storage`] with
    /// `op: "read_file"`.
    pub fn content(&self, id: &str, name: &str) -> Result<Content, Error> {
        let conn = self.lock();
        let file = file_row(&conn, id, name)?;
        match &self.cipher {
            Some(_) => Ok(Content::Decrypted(self.read_blob(&file)?)),
            None if blobs::is_blob_name(&file.sha256) => Ok(Content::Blob { path: self.blobs.path(&file.sha256), sha256: file.sha256 }),
            None => Err(Error::OutboxCorrupt { reason: format!("file {:?} has a malformed hash", file.name) }),
        }
    }

    /// Writes the package as a directory: every file under its name, then `manifest.json`
    /// (last, so a directory with a manifest is complete). Each is written atomically. A
    /// package without a manifest (a draft, or wiped) is [`Error::InvalidState`].
    pub fn export(&self, id: &str, dir: &Path) -> Result<(), Error> {
        check_id(id)?;
        let conn = self.lock();
        let p = db::package(&conn, id)?.ok_or_else(|| Error::PackageNotFound { id: id.to_owned() })?;
        let manifest = match db::column(&conn, id, Column::Manifest)? {
            Some(stored) => self.open_column(Column::Manifest, id, stored)?,
            None => return Err(invalid(&p, "export")),
        };
        fs::create_dir_all(dir).map_err(|e| Error::storage("export", e))?;
        for file in db::files(&conn, id)? {
            let bytes = self.read_blob(&file)?;
            blobs::write_atomic(dir, &file.name, &bytes)?;
        }
        blobs::write_atomic(dir, manifest::FILE_NAME, &manifest)
    }

    /// Takes a package directory (`manifest.json` and its files, as [`export`](Self::export)
    /// writes them) into the outbox as a sealed package, ready to deliver; returns its id and
    /// state. Each file is read once, bounded and never through a symlink
    /// ([`load_dir`](crate::package::verify::load_dir)): what was verified is what is stored. A
    /// package that does not verify is [`Error::SealRefused`] with every problem, and nothing is
    /// stored. A package the outbox already holds with this very manifest is left as it is, its
    /// state returned (committed when delivered earlier); another package under the same id is
    /// [`Error::PackageConflict`].
    pub fn import(&self, dir: &Path) -> Result<(String, PackageState), Error> {
        use crate::package::verify::{load_dir, Options, Verification};
        let (verification, package) = load_dir(dir, &Options::default());
        let id = match verification {
            Verification { package_id: Some(id), problems, .. } if problems.is_empty() => id,
            Verification { problems, .. } => return Err(Error::SealRefused { problems }),
        };
        if let Some(state) = self.holds(&id, &package.manifest)? {
            return Ok((id, state));
        }
        let files: Vec<(&str, &[u8])> = package.files.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
        self.seal(&id, &package.manifest, &files)?;
        Ok((id, PackageState::Sealed))
    }

    /// Deletes a package in any state, and the blobs no other package uses.
    pub fn purge(&self, id: &str) -> Result<(), Error> {
        check_id(id)?;
        let mut conn = self.lock();
        db::package(&conn, id)?.ok_or_else(|| Error::PackageNotFound { id: id.to_owned() })?;
        let tx = conn.transaction().map_err(|e| db::sql_err("purge", e))?;
        let old = db::delete_package(&tx, id)?;
        tx.commit().map_err(|e| db::sql_err("purge", e))?;
        self.collect(&conn, old.iter());
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic cannot leave a transaction open (rusqlite rolls back on drop), so a poisoned
        // lock still guards a usable connection.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn package_in(&self, conn: &Connection, id: &str, states: &[PackageState], action: &str) -> Result<db::Package, Error> {
        let p = db::package(conn, id)?.ok_or_else(|| Error::PackageNotFound { id: id.to_owned() })?;
        if !states.contains(&p.state) {
            return Err(invalid(&p, action));
        }
        Ok(p)
    }

    fn stored_len(&self, plain: u64) -> u64 {
        plain + if self.cipher.is_some() { crypto::OVERHEAD } else { 0 }
    }

    /// Checks the cap, then writes each distinct blob not yet on disk. Returns the names it
    /// wrote, so a failed transaction can collect them.
    fn write_blobs(&self, contents: &[(&str, &[u8])]) -> Result<Vec<String>, Error> {
        let mut new: HashMap<&str, &[u8]> = HashMap::new();
        for &(sha, bytes) in contents {
            if !new.contains_key(sha) && !self.blobs.exists(sha)? {
                new.insert(sha, bytes);
            }
        }
        let adding: u64 = new.values().map(|b| self.stored_len(b.len() as u64)).sum();
        let total = self.blobs.usage()?.saturating_add(adding);
        if adding > 0 && total > self.max_bytes {
            return Err(Error::OutboxFull { bytes: count::signed(total), limit: count::signed(self.max_bytes) });
        }
        let mut written: Vec<String> = Vec::with_capacity(new.len());
        for (sha, bytes) in new {
            let result = match &self.cipher {
                Some(c) => c.seal(&crypto::blob_aad(sha), bytes).and_then(|sealed| self.blobs.write(sha, &sealed)),
                None => self.blobs.write(sha, bytes),
            };
            if let Err(e) = result {
                for done in &written {
                    let _ = self.blobs.remove(done);
                }
                return Err(e);
            }
            written.push(sha.to_owned());
        }
        Ok(written)
    }

    /// Deletes those of `names` that no file row refers to any more. Runs after a commit, so
    /// it cannot fail the operation: a blob it could not delete is an orphan the next sweep
    /// deletes.
    fn collect<'a>(&self, conn: &Connection, names: impl Iterator<Item = &'a String>) {
        for name in names {
            if let Ok(false) = db::is_referenced(conn, name) {
                let _ = self.blobs.remove(name);
            }
        }
    }

    fn read_blob(&self, file: &StoredFile) -> Result<Vec<u8>, Error> {
        if !blobs::is_blob_name(&file.sha256) {
            return Err(Error::OutboxCorrupt { reason: format!("file {:?} has a malformed hash", file.name) });
        }
        let data = self.blobs.read(&file.sha256, self.stored_len(file.size()))?;
        let plain = match &self.cipher {
            Some(c) => c.open(&crypto::blob_aad(&file.sha256), &data, &format!("blob {}", file.sha256))?,
            None => data,
        };
        if sha256_hex(&plain) != file.sha256 {
            return Err(Error::OutboxCorrupt { reason: format!("blob {}: content does not match its hash", file.sha256) });
        }
        Ok(plain)
    }

    /// Brings rows written before schema 3 up to it, in one transaction: upload URLs move into
    /// the `upload` column (sealed with a key), and sealed packages get their manifest's
    /// SHA-256. The write-ahead log is then checkpointed and truncated, so no old plaintext URL
    /// stays in it.
    fn upgrade(&self) -> Result<(), Error> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(|e| db::sql_err("upgrade", e))?;
        let urls = db::plain_upload_urls(&tx)?;
        for (id, name, url) in &urls {
            db::move_upload_url(&tx, id, name, &self.seal_url(id, name, url)?)?;
        }
        for id in db::unhashed_manifests(&tx)? {
            let stored = db::column(&tx, &id, Column::Manifest)?
                .ok_or_else(|| Error::OutboxCorrupt { reason: format!("manifest of {id}: vanished during the upgrade") })?;
            let manifest = self.open_column(Column::Manifest, &id, stored)?;
            db::set_manifest_sha256(&tx, &id, &self.seal_column(Column::ManifestSha256, &id, sha256_hex(&manifest).as_bytes())?)?;
        }
        tx.commit().map_err(|e| db::sql_err("upgrade", e))?;
        if !urls.is_empty() {
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").map_err(|e| db::sql_err("upgrade", e))?;
        }
        Ok(())
    }

    fn seal_url(&self, id: &str, name: &str, url: &str) -> Result<Vec<u8>, Error> {
        match &self.cipher {
            Some(c) => c.seal(&crypto::upload_aad(id, name), url.as_bytes()),
            None => Ok(url.as_bytes().to_vec()),
        }
    }

    fn open_mark(&self, id: &str, name: &str, stored: StoredMark) -> Result<UploadMark, Error> {
        let url = match &self.cipher {
            Some(c) => c.open(&crypto::upload_aad(id, name), &stored.upload, &format!("upload mark of {id}/{name}"))?,
            None => stored.upload,
        };
        let url = String::from_utf8(url).map_err(|_| Error::OutboxCorrupt { reason: format!("upload mark of {id}/{name}: not UTF-8") })?;
        Ok(UploadMark { url, offset: stored.offset })
    }

    fn seal_column(&self, column: Column, id: &str, value: &[u8]) -> Result<Vec<u8>, Error> {
        match &self.cipher {
            Some(c) => c.seal(&crypto::column_aad(column.as_str(), id), value),
            None => Ok(value.to_vec()),
        }
    }

    fn open_column(&self, column: Column, id: &str, stored: Vec<u8>) -> Result<Vec<u8>, Error> {
        match &self.cipher {
            Some(c) => c.open(&crypto::column_aad(column.as_str(), id), &stored, &format!("{} of {id}", column.as_str())),
            None => Ok(stored),
        }
    }

    fn read_column(&self, column: Column, id: &str) -> Result<Option<Vec<u8>>, Error> {
        check_id(id)?;
        let conn = self.lock();
        db::package(&conn, id)?.ok_or_else(|| Error::PackageNotFound { id: id.to_owned() })?;
        db::column(&conn, id, column)?.map(|stored| self.open_column(column, id, stored)).transpose()
    }
}

/// The row of file `name` of package `id`.
fn file_row(conn: &Connection, id: &str, name: &str) -> Result<StoredFile, Error> {
    check_id(id)?;
    check_name(name)?;
    db::package(conn, id)?.ok_or_else(|| Error::PackageNotFound { id: id.to_owned() })?;
    db::file(conn, id, name)?
        .ok_or_else(|| Error::Storage { op: "read_file".into(), reason: format!("package {id} has no file {name:?}") })
}

/// Whether `dir` exists and holds anything.
fn dir_has_entries(dir: &Path) -> Result<bool, Error> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::storage("open", e)),
    }
}

/// An upload URL the outbox may store: absolute, and without credentials.
fn check_upload_url(url: &str) -> Result<(), Error> {
    let parsed = url::Url::parse(url).map_err(|e| Error::InvalidEndpoint { reason: format!("upload URL: {e}") })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::InvalidEndpoint { reason: "the server gave an upload URL with credentials; hexin never stores them".into() });
    }
    Ok(())
}

fn invalid(p: &db::Package, action: &str) -> Error {
    Error::InvalidState { id: p.id.clone(), state: p.state.as_str().into(), action: action.into() }
}


/// A package id: 1 to 64 characters of `A-Z a-z 0-9 _ -`.
fn check_id(id: &str) -> Result<(), Error> {
    let ok = (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument { name: "package_id".into(), reason: "must be 1 to 64 characters of A-Z a-z 0-9 _ -".into() })
    }
}
/// A stored file's name: the same rule as a package's (see `manifest::is_safe_file_name`).
fn check_name(name: &str) -> Result<(), Error> {
    if is_safe_file_name(name) {
        Ok(())
    } else {
        Err(Error::InvalidArgument {
            name: "file_name".into(),
            reason: format!("{:?} is not 1 to 128 characters of A-Z a-z 0-9 - _ . (not starting or ending with a dot, not manifest.json)", crate::error::excerpt(name)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_validated() {
        for ok in ["a", "pkg_01-X", &"x".repeat(64)] {
            assert!(check_id(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "a/b", "é", "a.b", &"x".repeat(65)] {
            assert!(matches!(check_id(bad), Err(Error::InvalidArgument { ref name, .. }) if name == "package_id"), "{bad}");
        }
        for ok in ["id_front.jpg", "a", "id_card_front-2.jpg", &"n".repeat(128)] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        // The package's rule: the outbox keeps nothing a manifest or a server would refuse.
        let bad = ["", ".", "..", "a/b", "a\\b", "a\0b", "../x", "manifest.json", ".hidden", "身份证.jpg", "a b", &"n".repeat(129)];
        for bad in bad {
            assert!(matches!(check_name(bad), Err(Error::InvalidArgument { ref name, .. }) if name == "file_name"), "{bad}");
        }
    }

    #[test]
    fn state_strings_round_trip() {
        use PackageState::*;
        for s in [Draft, Sealed, Uploading, Committed] {
            assert_eq!(PackageState::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert_eq!(PackageState::parse("Sealed"), None);
    }
}
