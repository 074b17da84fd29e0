//! The SQLite schema, its migrations and the queries the outbox runs.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction};

use super::{PackageState, StoredFile};
use crate::count;
use crate::Error;

/// Schema migrations; migration `i` takes `PRAGMA user_version` from `i` to `i + 1`.
///
/// Add new steps at the end, never edit old ones.
const MIGRATIONS: &[&str] = &[
    // 1: packages, their files, and outbox-wide records.
    "CREATE TABLE meta (
        key TEXT PRIMARY KEY NOT NULL,
        value BLOB
    );
    CREATE TABLE packages (
        id TEXT PRIMARY KEY NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('draft', 'sealed', 'uploading', 'committed')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        committed_at INTEGER,
        wiped_at INTEGER,
        draft BLOB,
        manifest BLOB
    );
    CREATE TABLE files (
        package_id TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL CHECK (bytes >= 0),
        PRIMARY KEY (package_id, name)
    );
    CREATE INDEX files_by_blob ON files (sha256);",
    // 2: each file's tus upload URL and the offset the server last confirmed.
    "ALTER TABLE files ADD COLUMN upload_url TEXT;
    ALTER TABLE files ADD COLUMN confirmed_offset INTEGER NOT NULL DEFAULT 0;",
    // 3: the application id that marks an outbox database; the SHA-256 of each package's
    // manifest, kept after the wipe; the upload URL as a value sealed like the draft (the
    // `upload_url` column stays empty from here on; `Outbox::open` moves older values over).
    "PRAGMA application_id = 1213747010;
    ALTER TABLE packages ADD COLUMN manifest_sha256 BLOB;
    ALTER TABLE files ADD COLUMN upload BLOB;",
];

/// `PRAGMA application_id` of an outbox database: `HXOB`.
pub(crate) const APPLICATION_ID: i32 = i32::from_be_bytes(*b"HXOB");

/// The `meta` record every outbox database has held since schema 1, and its value.
pub(crate) const FORMAT: &str = "format";
pub(crate) const FORMAT_VALUE: &[u8] = b"hexin-outbox";

/// Maps an SQLite error: a damaged database file is [`Error::OutboxCorrupt`], anything else
/// [`Error::Storage`].
/// The first column of every row `sql` selects, as text.
fn strings<C: FromIterator<String>>(conn: &Connection, op: &str, sql: &str, params: impl rusqlite::Params) -> Result<C, Error> {
    let mut stmt = conn.prepare(sql).map_err(|e| sql_err(op, e))?;
    let rows = stmt.query_map(params, |r| r.get(0)).map_err(|e| sql_err(op, e))?;
    rows.collect::<Result<C, _>>().map_err(|e| sql_err(op, e))
}

pub(crate) fn sql_err(op: &str, e: rusqlite::Error) -> Error {
    let corrupt = match &e {
        rusqlite::Error::SqliteFailure(f, _) => matches!(f.code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase),
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => true,
        _ => false,
    };
    if corrupt {
        Error::OutboxCorrupt { reason: format!("database: {op}: {e}") }
    } else {
        Error::storage(op, e)
    }
}

/// Creates the database, private to the owner, and its schema; `init` runs inside the first
/// migration's transaction.
pub(crate) fn create(path: &Path, init: impl FnOnce(&Transaction) -> Result<(), Error>) -> Result<Connection, Error> {
    super::dir::private_file(path)?;
    prepare(connect(path)?, Some(init))
}

/// Opens an existing database, once it is known to be an outbox's: it carries
/// [`APPLICATION_ID`], or it is one written before application ids (schema 1 or 2 with the
/// `format` record). Anything else, an empty file included, is [`Error::OutboxCorrupt`], found
/// before anything is written to it.
pub(crate) fn open_existing(path: &Path) -> Result<Connection, Error> {
    let conn = connect(path)?;
    let pragma = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0)).map_err(|e| sql_err(name, e));
    let (id, version) = (pragma("application_id")?, pragma("user_version")?);
    // Any failure to read the record means it cannot be shown to be an outbox's.
    let legacy = id == 0 && (1..=2).contains(&version) && meta_get(&conn, FORMAT).ok().flatten().as_deref() == Some(FORMAT_VALUE);
    if id != i64::from(APPLICATION_ID) && !legacy {
        let what = if version == 0 { "empty" } else { "not an outbox database" };
        return Err(Error::OutboxCorrupt { reason: format!("database: {what}") });
    }
    prepare(conn, None::<fn(&Transaction) -> Result<(), Error>>)
}

/// Opens the file without creating it.
fn connect(path: &Path) -> Result<Connection, Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags).map_err(|e| sql_err("open", e))
}

/// Sets WAL mode with full fsync and brings the schema up to date. `init` runs inside the first
/// migration's transaction; without it, a database at version 0 is not an outbox's.
fn prepare(mut conn: Connection, init: Option<impl FnOnce(&Transaction) -> Result<(), Error>>) -> Result<Connection, Error> {
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| sql_err("journal_mode", e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Storage { op: "journal_mode".into(), reason: format!("SQLite kept journal mode {mode}") });
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;")
        .map_err(|e| sql_err("pragma", e))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| sql_err("user_version", e))?;
    let known = MIGRATIONS.len() as i64;
    if !(0..=known).contains(&version) {
        return Err(Error::OutboxCorrupt {
            reason: format!("schema version {version} is not one this build knows (up to {known})"),
        });
    }
    if version == 0 && init.is_none() {
        return Err(Error::OutboxCorrupt { reason: "database: empty".into() });
    }
    let mut init = init;
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction().map_err(|e| sql_err("migrate", e))?;
        tx.execute_batch(sql).map_err(|e| sql_err("migrate", e))?;
        if step == 0 {
            if let Some(init) = init.take() {
                init(&tx)?;
            }
        }
        tx.pragma_update(None, "user_version", step as i64 + 1).map_err(|e| sql_err("migrate", e))?;
        tx.commit().map_err(|e| sql_err("migrate", e))?;
    }
    Ok(conn)
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>, Error> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get::<_, Option<Vec<u8>>>(0))
        .optional()
        .map(Option::flatten)
        .map_err(|e| sql_err("read_meta", e))
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &[u8]) -> Result<(), Error> {
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![key, value])
        .map(drop)
        .map_err(|e| sql_err("write_meta", e))
}

/// One package's row, without its files.
pub(crate) struct Package {
    pub(crate) id: String,
    pub(crate) state: PackageState,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

fn state_of(raw: &str) -> Result<PackageState, Error> {
    PackageState::parse(raw).ok_or_else(|| Error::OutboxCorrupt { reason: "database: a package has an unknown state".into() })
}

pub(crate) fn package(conn: &Connection, id: &str) -> Result<Option<Package>, Error> {
    let row = conn
        .query_row("SELECT state, created_at, updated_at FROM packages WHERE id = ?1", [id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        })
        .optional()
        .map_err(|e| sql_err("read_package", e))?;
    row.map(|(state, created_at, updated_at)| {
        Ok(Package { id: id.to_owned(), state: state_of(&state)?, created_at, updated_at })
    })
    .transpose()
}

pub(crate) fn packages(conn: &Connection) -> Result<Vec<Package>, Error> {
    let mut stmt = conn
        .prepare("SELECT id, state, created_at, updated_at FROM packages ORDER BY created_at, rowid")
        .map_err(|e| sql_err("list", e))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)))
        .map_err(|e| sql_err("list", e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| sql_err("list", e))?;
    rows.into_iter()
        .map(|(id, state, created_at, updated_at)| Ok(Package { id, state: state_of(&state)?, created_at, updated_at }))
        .collect()
}

pub(crate) fn insert_package(conn: &Connection, id: &str, state: PackageState, now: i64, draft: Option<&[u8]>) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO packages (id, state, created_at, updated_at, draft) VALUES (?1, ?2, ?3, ?3, ?4)",
        params![id, state.as_str(), now, draft],
    )
    .map(drop)
    .map_err(|e| sql_err("insert_package", e))
}

pub(crate) fn set_draft(conn: &Connection, id: &str, draft: &[u8], now: i64) -> Result<(), Error> {
    conn.execute("UPDATE packages SET draft = ?2, updated_at = ?3 WHERE id = ?1", params![id, draft, now])
        .map(drop)
        .map_err(|e| sql_err("update_draft", e))
}

pub(crate) fn touch(conn: &Connection, id: &str, now: i64) -> Result<(), Error> {
    conn.execute("UPDATE packages SET updated_at = ?2 WHERE id = ?1", params![id, now])
        .map(drop)
        .map_err(|e| sql_err("touch", e))
}

/// Marks a package sealed with its manifest and the manifest's SHA-256 (both as stored).
pub(crate) fn seal(conn: &Connection, id: &str, manifest: &[u8], manifest_sha256: &[u8], now: i64) -> Result<(), Error> {
    conn.execute(
        "UPDATE packages SET state = 'sealed', manifest = ?2, manifest_sha256 = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, manifest, manifest_sha256, now],
    )
    .map(drop)
    .map_err(|e| sql_err("seal", e))
}

pub(crate) fn set_state(conn: &Connection, id: &str, state: PackageState, now: i64) -> Result<(), Error> {
    let committed_at = (state == PackageState::Committed).then_some(now);
    conn.execute(
        "UPDATE packages SET state = ?2, updated_at = ?3, committed_at = COALESCE(?4, committed_at) WHERE id = ?1",
        params![id, state.as_str(), now, committed_at],
    )
    .map(drop)
    .map_err(|e| sql_err("set_state", e))
}

/// Deletes a package's files, draft and manifest (its manifest's SHA-256 stays, so a package
/// is known after its wipe); returns the blob names its files used.
pub(crate) fn wipe(conn: &Connection, id: &str, now: i64) -> Result<Vec<String>, Error> {
    let old = delete_files(conn, id)?;
    conn.execute("UPDATE packages SET draft = NULL, manifest = NULL, wiped_at = ?2 WHERE id = ?1", params![id, now])
        .map_err(|e| sql_err("wipe", e))?;
    Ok(old)
}

/// Committed packages whose files are still kept and that were committed at or before `cutoff`.
pub(crate) fn expired(conn: &Connection, cutoff: i64) -> Result<Vec<String>, Error> {
    strings(conn, "expired", "SELECT id FROM packages WHERE state = 'committed' AND wiped_at IS NULL AND committed_at <= ?1", [cutoff])
}

pub(crate) fn delete_package(conn: &Connection, id: &str) -> Result<Vec<String>, Error> {
    let old = delete_files(conn, id)?;
    conn.execute("DELETE FROM packages WHERE id = ?1", [id]).map_err(|e| sql_err("purge", e))?;
    Ok(old)
}

/// A sensitive column's stored bytes; `None` when the package is absent or the column empty.
pub(crate) fn column(conn: &Connection, id: &str, column: Column) -> Result<Option<Vec<u8>>, Error> {
    let sql = match column {
        Column::Draft => "SELECT draft FROM packages WHERE id = ?1",
        Column::Manifest => "SELECT manifest FROM packages WHERE id = ?1",
        Column::ManifestSha256 => "SELECT manifest_sha256 FROM packages WHERE id = ?1",
    };
    conn.query_row(sql, [id], |r| r.get::<_, Option<Vec<u8>>>(0))
        .optional()
        .map(Option::flatten)
        .map_err(|e| sql_err("read_package", e))
}

/// The sensitive columns of a package, sealed at rest when the outbox has a key.
#[derive(Clone, Copy)]
pub(crate) enum Column {
    Draft,
    Manifest,
    /// The manifest's SHA-256 as lowercase hex.
    ManifestSha256,
}

impl Column {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Column::Draft => "draft",
            Column::Manifest => "manifest",
            Column::ManifestSha256 => "manifest_sha256",
        }
    }
}

/// Sealed packages of schema 2 and older, whose manifest's SHA-256 is not recorded yet.
pub(crate) fn unhashed_manifests(conn: &Connection) -> Result<Vec<String>, Error> {
    strings(conn, "upgrade", "SELECT id FROM packages WHERE manifest_sha256 IS NULL AND manifest IS NOT NULL", [])
}

pub(crate) fn set_manifest_sha256(conn: &Connection, id: &str, stored: &[u8]) -> Result<(), Error> {
    conn.execute("UPDATE packages SET manifest_sha256 = ?2 WHERE id = ?1", params![id, stored])
        .map(drop)
        .map_err(|e| sql_err("upgrade", e))
}

/// Upload URLs of schema 2 and older, stored as text: (package id, file name, URL).
pub(crate) fn plain_upload_urls(conn: &Connection) -> Result<Vec<(String, String, String)>, Error> {
    let mut stmt = conn
        .prepare("SELECT package_id, name, upload_url FROM files WHERE upload_url IS NOT NULL")
        .map_err(|e| sql_err("upgrade", e))?;
    let urls = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(|e| sql_err("upgrade", e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| sql_err("upgrade", e));
    urls
}

/// Moves one file's upload URL from the text column into `upload`, as stored.
pub(crate) fn move_upload_url(conn: &Connection, id: &str, name: &str, stored: &[u8]) -> Result<(), Error> {
    conn.execute("UPDATE files SET upload = ?3, upload_url = NULL WHERE package_id = ?1 AND name = ?2", params![id, name, stored])
        .map(drop)
        .map_err(|e| sql_err("upgrade", e))
}

pub(crate) fn files(conn: &Connection, id: &str) -> Result<Vec<StoredFile>, Error> {
    let mut stmt = conn
        .prepare("SELECT name, sha256, bytes FROM files WHERE package_id = ?1 ORDER BY name")
        .map_err(|e| sql_err("list_files", e))?;
    let files = stmt
        .query_map([id], |r| Ok(StoredFile { name: r.get(0)?, sha256: r.get(1)?, bytes: count::signed(r.get::<_, u64>(2)?) }))
        .map_err(|e| sql_err("list_files", e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| sql_err("list_files", e));
    files
}

pub(crate) fn file(conn: &Connection, id: &str, name: &str) -> Result<Option<StoredFile>, Error> {
    conn.query_row("SELECT name, sha256, bytes FROM files WHERE package_id = ?1 AND name = ?2", [id, name], |r| {
        Ok(StoredFile { name: r.get(0)?, sha256: r.get(1)?, bytes: count::signed(r.get::<_, u64>(2)?) })
    })
    .optional()
    .map_err(|e| sql_err("read_file", e))
}

/// Adds or replaces one file row; returns the blob name of the row it replaced.
pub(crate) fn put_file(conn: &Connection, id: &str, file: &StoredFile) -> Result<Option<String>, Error> {
    let old = delete_file(conn, id, &file.name)?;
    conn.execute(
        "INSERT INTO files (package_id, name, sha256, bytes) VALUES (?1, ?2, ?3, ?4)",
        params![id, file.name, file.sha256, file.bytes],
    )
    .map_err(|e| sql_err("put_file", e))?;
    Ok(old)
}

/// Deletes one file row; returns its blob name if there was one.
pub(crate) fn delete_file(conn: &Connection, id: &str, name: &str) -> Result<Option<String>, Error> {
    conn.query_row("DELETE FROM files WHERE package_id = ?1 AND name = ?2 RETURNING sha256", [id, name], |r| r.get(0))
        .optional()
        .map_err(|e| sql_err("remove_file", e))
}

/// Deletes all of a package's file rows; returns their blob names.
pub(crate) fn delete_files(conn: &Connection, id: &str) -> Result<Vec<String>, Error> {
    strings(conn, "remove_files", "DELETE FROM files WHERE package_id = ?1 RETURNING sha256", [id])
}

/// An upload mark as stored: the URL (sealed when the outbox has a key) and the offset.
pub(crate) struct StoredMark {
    pub(crate) upload: Vec<u8>,
    pub(crate) offset: u64,
}

/// Every file's upload mark, by (name, sha256): kept across a seal that keeps the content.
pub(crate) fn upload_marks(conn: &Connection, id: &str) -> Result<Vec<(String, String, StoredMark)>, Error> {
    let mut stmt = conn
        .prepare("SELECT name, sha256, upload, confirmed_offset FROM files WHERE package_id = ?1 AND upload IS NOT NULL")
        .map_err(|e| sql_err("upload_marks", e))?;
    let marks = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, StoredMark { upload: r.get(2)?, offset: r.get(3)? })))
        .map_err(|e| sql_err("upload_marks", e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| sql_err("upload_marks", e));
    marks
}

pub(crate) fn upload_mark(conn: &Connection, id: &str, name: &str) -> Result<Option<StoredMark>, Error> {
    conn.query_row(
        "SELECT upload, confirmed_offset FROM files WHERE package_id = ?1 AND name = ?2 AND upload IS NOT NULL",
        [id, name],
        |r| Ok(StoredMark { upload: r.get(0)?, offset: r.get(1)? }),
    )
    .optional()
    .map_err(|e| sql_err("upload_mark", e))
}

/// Records a file's upload mark if the row still holds `sha256`; returns whether it did.
pub(crate) fn set_upload_mark(conn: &Connection, id: &str, name: &str, sha256: &str, mark: &StoredMark) -> Result<bool, Error> {
    conn.execute(
        "UPDATE files SET upload = ?4, confirmed_offset = ?5 WHERE package_id = ?1 AND name = ?2 AND sha256 = ?3",
        params![id, name, sha256, mark.upload, mark.offset],
    )
    .map(|n| n == 1)
    .map_err(|e| sql_err("set_upload_mark", e))
}

pub(crate) fn is_referenced(conn: &Connection, sha256: &str) -> Result<bool, Error> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = ?1)", [sha256], |r| r.get(0))
        .map_err(|e| sql_err("gc", e))
}

pub(crate) fn referenced(conn: &Connection) -> Result<HashSet<String>, Error> {
    strings(conn, "gc", "SELECT DISTINCT sha256 FROM files", [])
}
