//! The outbox against real SQLite and real files: lifecycle, deduplication, retention, the
//! storage cap, locking, keys, encryption at rest, damage, and SIGKILL at random moments.

use std::collections::{BTreeMap, HashSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, fs};

use hexin_core::outbox::{Outbox, OutboxConfig, PackageState, PackageSummary, Retention, UploadMark};
use hexin_core::{Code, Error};

/// SplitMix64, enough randomness for sizes, delays and content.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 8);
        while out.len() < len {
            out.extend_from_slice(&self.next().to_le_bytes());
        }
        out.truncate(len);
        out
    }
}

fn time_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
}

const KEY: [u8; 32] = [0x42; 32];

fn config(key: Option<[u8; 32]>) -> OutboxConfig {
    OutboxConfig { key, ..OutboxConfig::default() }
}

fn open(dir: &Path, key: Option<[u8; 32]>) -> Outbox {
    Outbox::open(dir, config(key)).expect("open outbox")
}

/// Names in `DIR/blobs`.
fn blob_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir.join("blobs")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every regular file under `dir`, recursively.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn photo(rng: &mut Rng, len: usize) -> Vec<u8> {
    rng.bytes(len)
}

#[test]
fn lifecycle_from_draft_to_committed_and_purged() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), None);
    let mut rng = Rng(1);
    let (front, back, retake) = (photo(&mut rng, 20_000), photo(&mut rng, 30_000), photo(&mut rng, 25_000));

    ob.create_draft("pkg-1", br#"{"subject":"a"}"#).unwrap();
    assert!(matches!(ob.create_draft("pkg-1", b"{}"), Err(Error::InvalidState { .. })));
    ob.update_draft("pkg-1", br#"{"subject":"b"}"#).unwrap();
    assert_eq!(ob.draft("pkg-1").unwrap(), br#"{"subject":"b"}"#);
    assert_eq!(ob.manifest("pkg-1").unwrap(), None);

    let stored = ob.put_file("pkg-1", "front.jpg", &front).unwrap();
    assert_eq!(stored.bytes, 20_000);
    assert_eq!(stored.sha256, hexin_core::hash::sha256_hex(&front));
    ob.put_file("pkg-1", "back.jpg", &back).unwrap();
    // A retake replaces the file and its old blob goes.
    ob.put_file("pkg-1", "front.jpg", &retake).unwrap();
    assert_eq!(ob.read_file("pkg-1", "front.jpg").unwrap(), retake);
    assert_eq!(blob_names(tmp.path()).len(), 2);
    ob.remove_file("pkg-1", "back.jpg").unwrap();
    ob.remove_file("pkg-1", "back.jpg").unwrap(); // already gone: fine
    assert_eq!(blob_names(tmp.path()).len(), 1);

    let list = ob.list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].state, list[0].bytes, list[0].files.len()), (PackageState::Draft, 25_000, 1));

    // Not sealed yet: no upload.
    assert!(matches!(ob.set_state("pkg-1", PackageState::Uploading), Err(Error::InvalidState { .. })));
    ob.seal("pkg-1", br#"{"manifest":1}"#, &[("front.jpg", &front), ("back.jpg", &back)]).unwrap();
    let p = ob.get("pkg-1").unwrap();
    assert_eq!(p.state, PackageState::Sealed);
    assert_eq!(p.files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["back.jpg", "front.jpg"]);
    assert_eq!(p.bytes, 50_000);
    assert_eq!(ob.manifest("pkg-1").unwrap().unwrap(), br#"{"manifest":1}"#);
    assert_eq!(ob.read_file("pkg-1", "front.jpg").unwrap(), front);
    assert_eq!(blob_names(tmp.path()).len(), 2, "the retake's blob is no longer referenced");
    for sealed_only in [
        ob.put_file("pkg-1", "x.jpg", b"x").map(drop),
        ob.remove_file("pkg-1", "front.jpg"),
        ob.update_draft("pkg-1", b"{}"),
        ob.seal("pkg-1", b"{}", &[]),
        ob.set_state("pkg-1", PackageState::Committed),
        ob.set_state("pkg-1", PackageState::Draft),
    ] {
        let err = sealed_only.unwrap_err();
        assert_eq!(err.code(), Code::InvalidState, "{err}");
    }

    ob.set_state("pkg-1", PackageState::Uploading).unwrap();
    ob.set_state("pkg-1", PackageState::Sealed).unwrap(); // paused
    ob.set_state("pkg-1", PackageState::Uploading).unwrap();
    assert!(matches!(ob.set_state("pkg-1", PackageState::Uploading), Err(Error::InvalidState { .. })));
    ob.set_state("pkg-1", PackageState::Committed).unwrap();

    // WipeOnCommit: listed, but files, draft and manifest are gone.
    let p = ob.get("pkg-1").unwrap();
    assert_eq!((p.state, p.bytes, p.files.len()), (PackageState::Committed, 0, 0));
    assert!(blob_names(tmp.path()).is_empty());
    assert_eq!(ob.draft("pkg-1").unwrap(), b"");
    assert_eq!(ob.manifest("pkg-1").unwrap(), None);
    assert!(matches!(ob.set_state("pkg-1", PackageState::Sealed), Err(Error::InvalidState { .. })));

    ob.purge("pkg-1").unwrap();
    assert!(ob.list().unwrap().is_empty());
    for gone in [ob.purge("pkg-1"), ob.draft("pkg-1").map(drop), ob.set_state("pkg-1", PackageState::Uploading)] {
        assert!(matches!(gone, Err(Error::PackageNotFound { ref id }) if id == "pkg-1"), "{gone:?}");
    }

    // Sealing a package that does not exist creates it without a draft.
    ob.seal("direct", b"{}", &[("a.jpg", &front)]).unwrap();
    assert_eq!(ob.draft("direct").unwrap(), b"");
    assert_eq!(ob.get("direct").unwrap().state, PackageState::Sealed);
}

#[test]
fn identical_content_is_stored_once_and_kept_while_referenced() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), Some(KEY));
    let same = Rng(2).bytes(40_000);
    ob.create_draft("a", b"{}").unwrap();
    ob.create_draft("b", b"{}").unwrap();
    ob.put_file("a", "license.jpg", &same).unwrap();
    ob.put_file("b", "license.jpg", &same).unwrap();
    ob.put_file("b", "copy.jpg", &same).unwrap();
    assert_eq!(blob_names(tmp.path()).len(), 1);
    ob.purge("a").unwrap();
    assert_eq!(blob_names(tmp.path()).len(), 1);
    ob.remove_file("b", "license.jpg").unwrap();
    assert_eq!(ob.read_file("b", "copy.jpg").unwrap(), same);
    // Sealing with the same content keeps the blob; the old row goes, the content stays.
    ob.seal("b", b"{}", &[("renamed.jpg", &same)]).unwrap();
    assert_eq!(blob_names(tmp.path()).len(), 1);
    assert_eq!(ob.read_file("b", "renamed.jpg").unwrap(), same);
    ob.purge("b").unwrap();
    assert!(blob_names(tmp.path()).is_empty());
}

#[test]
fn keep_days_wipes_at_the_first_sweep_after_expiry() {
    let tmp = tempfile::tempdir().unwrap();
    let keep = |days| OutboxConfig { retention: Retention::KeepDays(days), ..config(Some(KEY)) };
    let content = Rng(3).bytes(10_000);
    {
        let ob = Outbox::open(tmp.path(), keep(1)).unwrap();
        ob.seal("p", b"{\"m\":1}", &[("a.jpg", &content)]).unwrap();
        ob.set_state("p", PackageState::Uploading).unwrap();
        ob.set_state("p", PackageState::Committed).unwrap();
        assert_eq!(ob.get("p").unwrap().files.len(), 1, "kept for a day");
    }
    {
        let ob = Outbox::open(tmp.path(), keep(1)).unwrap();
        assert_eq!(ob.read_file("p", "a.jpg").unwrap(), content, "still within the day");
    }
    // Two days pass.
    let db = rusqlite::Connection::open(tmp.path().join("outbox.sqlite3")).unwrap();
    db.execute("UPDATE packages SET committed_at = committed_at - 2 * 86400", []).unwrap();
    drop(db);
    let ob = Outbox::open(tmp.path(), keep(1)).unwrap();
    let p = ob.get("p").unwrap();
    assert_eq!((p.state, p.bytes, p.files.len()), (PackageState::Committed, 0, 0));
    assert_eq!(ob.manifest("p").unwrap(), None);
    assert!(blob_names(tmp.path()).is_empty());
    drop(ob);

    // KeepDays(0) wipes at the next sweep, without reopening.
    let ob = Outbox::open(tmp.path(), keep(0)).unwrap();
    ob.seal("q", b"{}", &[("a.jpg", &content)]).unwrap();
    ob.set_state("q", PackageState::Uploading).unwrap();
    ob.set_state("q", PackageState::Committed).unwrap();
    assert_eq!(ob.get("q").unwrap().files.len(), 1);
    ob.sweep().unwrap();
    assert_eq!(ob.get("q").unwrap().files.len(), 0);
    assert!(blob_names(tmp.path()).is_empty());
}

#[test]
fn storage_cap_refuses_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = Outbox::open(tmp.path(), OutboxConfig { max_bytes: 100_000, ..config(None) }).unwrap();
    let mut rng = Rng(4);
    let (a, b) = (rng.bytes(60_000), rng.bytes(60_000));
    ob.create_draft("p", b"{}").unwrap();
    ob.put_file("p", "a.jpg", &a).unwrap();
    let err = ob.put_file("p", "b.jpg", &b).unwrap_err();
    assert_eq!(err, Error::OutboxFull { bytes: 120_000, limit: 100_000 });
    assert_eq!(err.measured_and_limit(), Some((120_000.0, 100_000.0)));
    assert_eq!(blob_names(tmp.path()).len(), 1, "no half-written blob");
    assert!(blob_names(tmp.path()).iter().all(|n| !n.starts_with(".tmp")));
    assert_eq!(ob.get("p").unwrap().files.len(), 1);
    // Identical content adds nothing on disk, so it fits.
    ob.put_file("p", "a-copy.jpg", &a).unwrap();
    // Sealing past the cap leaves the draft as it was.
    assert!(matches!(ob.seal("p", b"{}", &[("a.jpg", &a), ("b.jpg", &b)]), Err(Error::OutboxFull { .. })));
    let p = ob.get("p").unwrap();
    assert_eq!((p.state, p.files.len()), (PackageState::Draft, 2));
    assert_eq!(ob.manifest("p").unwrap(), None);
    assert_eq!(blob_names(tmp.path()).len(), 1);
    drop(ob);

    // Encrypted blobs are counted as stored: plaintext plus 44 bytes each.
    let tmp = tempfile::tempdir().unwrap();
    let ob = Outbox::open(tmp.path(), OutboxConfig { max_bytes: 100_000, ..config(Some(KEY)) }).unwrap();
    ob.create_draft("p", b"{}").unwrap();
    ob.put_file("p", "a.jpg", &a).unwrap();
    assert_eq!(ob.put_file("p", "b.jpg", &b).unwrap_err(), Error::OutboxFull { bytes: 120_088, limit: 100_000 });
}

#[test]
fn a_second_open_is_locked_out() {
    let tmp = tempfile::tempdir().unwrap();
    let first = open(tmp.path(), None);
    let err = Outbox::open(tmp.path(), config(None)).unwrap_err();
    assert_eq!(err.code(), Code::OutboxLocked);
    drop(first);
    open(tmp.path(), None);
}

#[test]
fn keys_are_checked_at_open() {
    let tmp = tempfile::tempdir().unwrap();
    drop(open(tmp.path(), Some(KEY)));
    assert_eq!(Outbox::open(tmp.path(), config(None)).unwrap_err(), Error::OutboxKeyRequired);
    let wrong = Outbox::open(tmp.path(), config(Some([0x43; 32]))).unwrap_err();
    assert_eq!(wrong.code(), Code::OutboxKeyMismatch);
    open(tmp.path(), Some(KEY));

    let plain = tempfile::tempdir().unwrap();
    drop(open(plain.path(), None));
    match Outbox::open(plain.path(), config(Some(KEY))).unwrap_err() {
        Error::OutboxKeyMismatch { reason } => assert!(reason.contains("not encrypted"), "{reason}"),
        other => panic!("{other:?}"),
    }
    // The key never shows in Debug output.
    assert!(!format!("{:?}", config(Some(KEY))).contains("66"));
}

#[test]
fn sealed_columns_cannot_be_swapped_between_packages() {
    let tmp = tempfile::tempdir().unwrap();
    {
        let ob = open(tmp.path(), Some(KEY));
        ob.create_draft("a", br#"{"who":"a"}"#).unwrap();
        ob.create_draft("b", br#"{"who":"b"}"#).unwrap();
    }
    let db = rusqlite::Connection::open(tmp.path().join("outbox.sqlite3")).unwrap();
    db.execute("UPDATE packages SET draft = (SELECT draft FROM packages WHERE id = 'a') WHERE id = 'b'", []).unwrap();
    drop(db);
    let ob = open(tmp.path(), Some(KEY));
    assert_eq!(ob.draft("a").unwrap(), br#"{"who":"a"}"#);
    assert_eq!(ob.draft("b").unwrap_err().code(), Code::OutboxCorrupt);
}

/// Stores a draft, a photo and an upload URL holding marker strings and looks for them in
/// every file of the outbox, while open (WAL) and after closing.
fn markers_visible(key: Option<[u8; 32]>) -> (bool, bool, bool) {
    const DRAFT_MARKER: &[u8] = b"ZHANG-SAN-110101199001011234";
    const PHOTO_MARKER: &[u8] = b"PHOTO-MARKER-7f3a9c";
    const URL_MARKER: &str = "UPLOAD-URL-MARKER-41c7";
    let tmp = tempfile::tempdir().unwrap();
    let mut photo = Rng(5).bytes(30_000);
    photo[10_000..10_000 + PHOTO_MARKER.len()].copy_from_slice(PHOTO_MARKER);
    let draft = [br#"{"subject":{"name":""#.as_slice(), DRAFT_MARKER, br#""}}"#].concat();
    let scan = |seen: &mut (bool, bool, bool)| {
        for path in all_files(tmp.path()) {
            let bytes = fs::read(&path).unwrap();
            seen.0 |= contains(&bytes, DRAFT_MARKER);
            seen.1 |= contains(&bytes, PHOTO_MARKER);
            seen.2 |= contains(&bytes, URL_MARKER.as_bytes());
        }
    };
    let mut seen = (false, false, false);
    let mark = UploadMark { url: format!("http://127.0.0.1:1/files/{URL_MARKER}"), offset: 7 };
    let ob = open(tmp.path(), key);
    ob.create_draft("p", &draft).unwrap();
    let stored = ob.put_file("p", "front.jpg", &photo).unwrap();
    ob.seal("q", &draft, &[("front.jpg", &photo)]).unwrap();
    assert!(ob.set_upload_mark("q", "front.jpg", &stored.sha256, &mark).unwrap());
    assert!(tmp.path().join("outbox.sqlite3-wal").exists());
    scan(&mut seen);
    drop(ob);
    scan(&mut seen);
    let ob = open(tmp.path(), key);
    assert_eq!(ob.draft("p").unwrap(), draft);
    assert_eq!(ob.read_file("q", "front.jpg").unwrap(), photo);
    assert_eq!(ob.upload_mark("q", "front.jpg").unwrap(), Some(mark));
    seen
}

#[test]
fn encryption_at_rest_hides_drafts_photos_and_upload_urls() {
    assert_eq!(markers_visible(None), (true, true, true), "without a key the markers are on disk, so the scan works");
    assert_eq!(markers_visible(Some(KEY)), (false, false, false), "with a key no marker may be on disk");
}

#[test]
fn damaged_blobs_are_typed_errors() {
    for key in [None, Some(KEY)] {
        let tmp = tempfile::tempdir().unwrap();
        let ob = open(tmp.path(), key);
        let mut rng = Rng(6);
        let files: Vec<Vec<u8>> = (0..5).map(|_| rng.bytes(20_000)).collect();
        ob.create_draft("p", b"{}").unwrap();
        let mut paths = vec![];
        for (i, f) in files.iter().enumerate() {
            let stored = ob.put_file("p", &format!("{i}.jpg"), f).unwrap();
            paths.push(tmp.path().join("blobs").join(&stored.sha256));
        }
        let original0 = fs::read(&paths[0]).unwrap();
        let len = original0.len();
        // Truncated, garbage of the right length, a flipped byte, missing, and (same length)
        // another blob's content.
        fs::write(&paths[0], &fs::read(&paths[0]).unwrap()[..len / 2]).unwrap();
        fs::write(&paths[1], rng.bytes(len)).unwrap();
        let mut flipped = fs::read(&paths[2]).unwrap();
        flipped[len - 100] ^= 0x01;
        fs::write(&paths[2], flipped).unwrap();
        fs::remove_file(&paths[3]).unwrap();
        fs::write(&paths[4], &original0).unwrap();
        for i in 0..5 {
            let err = ob.read_file("p", &format!("{i}.jpg")).unwrap_err();
            assert_eq!(err.code(), Code::OutboxCorrupt, "file {i}, key {}: {err}", key.is_some());
        }
        let dest = tempfile::tempdir().unwrap();
        ob.seal("q", b"{}", &[]).unwrap();
        ob.export("q", dest.path()).unwrap();
        ob.set_state("q", PackageState::Uploading).unwrap();
        drop(ob);
        // Reopening with damaged blobs works; the damage stays a typed error.
        let ob = open(tmp.path(), key);
        assert_eq!(ob.read_file("p", "3.jpg").unwrap_err().code(), Code::OutboxCorrupt);
    }
}

#[test]
fn a_damaged_database_is_a_typed_error() {
    // Garbage, and garbage behind a valid SQLite header.
    for prefix in [&b""[..], b"SQLite format 3\0"] {
        let tmp = tempfile::tempdir().unwrap();
        let mut bytes = prefix.to_vec();
        bytes.extend(Rng(7).bytes(16_384));
        fs::write(tmp.path().join("outbox.sqlite3"), bytes).unwrap();
        let err = Outbox::open(tmp.path(), config(None)).unwrap_err();
        assert!(matches!(err.code(), Code::OutboxCorrupt | Code::StorageError), "{err}");
    }
    // A real outbox cut short at several points: a typed error or a usable outbox, never a panic.
    let tmp = tempfile::tempdir().unwrap();
    {
        let ob = open(tmp.path(), Some(KEY));
        for i in 0..30 {
            ob.create_draft(&format!("p{i}"), &Rng(i).bytes(3_000)).unwrap();
        }
    }
    let db = fs::read(tmp.path().join("outbox.sqlite3")).unwrap();
    for cut in [100, 4_096, 5_000, db.len() / 2, db.len() - 1] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("outbox.sqlite3"), &db[..cut]).unwrap();
        match Outbox::open(dir.path(), config(Some(KEY))) {
            Err(err) => assert!(
                matches!(err.code(), Code::OutboxCorrupt | Code::StorageError | Code::OutboxKeyRequired),
                "cut {cut}: {err}"
            ),
            Ok(ob) => {
                if let Ok(list) = ob.list() {
                    for p in list {
                        let _ = ob.draft(&p.id);
                    }
                }
            }
        }
    }
}

#[test]
fn a_newer_schema_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    drop(open(tmp.path(), None));
    let db = rusqlite::Connection::open(tmp.path().join("outbox.sqlite3")).unwrap();
    db.pragma_update(None, "user_version", 99).unwrap();
    drop(db);
    assert_eq!(Outbox::open(tmp.path(), config(None)).unwrap_err().code(), Code::OutboxCorrupt);
}

#[test]
fn upload_marks_follow_the_content() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), Some(KEY));
    let mut rng = Rng(9);
    let (front, back, retake) = (photo(&mut rng, 20_000), photo(&mut rng, 30_000), photo(&mut rng, 25_000));
    let mark = |offset| UploadMark { url: "http://127.0.0.1:1/files/abc".into(), offset };
    ob.create_draft("p", b"{}").unwrap();
    let f = ob.put_file("p", "front.jpg", &front).unwrap();
    let b = ob.put_file("p", "back.jpg", &back).unwrap();
    assert_eq!(ob.upload_mark("p", "front.jpg").unwrap(), None);
    // Uploaded early, from the draft.
    assert!(ob.set_upload_mark("p", "front.jpg", &f.sha256, &mark(20_000)).unwrap());
    assert!(ob.set_upload_mark("p", "back.jpg", &b.sha256, &mark(4_096)).unwrap());
    // A mark for content the file no longer has is dropped.
    assert!(!ob.set_upload_mark("p", "front.jpg", &b.sha256, &mark(1)).unwrap());
    assert_eq!(ob.upload_mark("p", "front.jpg").unwrap(), Some(mark(20_000)));
    // A retake starts its upload over.
    ob.put_file("p", "back.jpg", &retake).unwrap();
    assert_eq!(ob.upload_mark("p", "back.jpg").unwrap(), None);
    // Sealing keeps the marks of unchanged content only.
    ob.seal("p", b"manifest", &[("front.jpg", &front), ("back.jpg", &back)]).unwrap();
    assert_eq!(ob.upload_mark("p", "front.jpg").unwrap(), Some(mark(20_000)));
    assert_eq!(ob.upload_mark("p", "back.jpg").unwrap(), None);
    ob.set_state("p", PackageState::Uploading).unwrap();
    assert!(ob.set_upload_mark("p", "back.jpg", &b.sha256, &mark(30_000)).unwrap());
    drop(ob);
    // Marks survive a reopen; a committed package takes none.
    let ob = open(tmp.path(), Some(KEY));
    assert_eq!(ob.upload_mark("p", "back.jpg").unwrap(), Some(mark(30_000)));
    ob.set_state("p", PackageState::Committed).unwrap();
    assert!(matches!(ob.set_upload_mark("p", "back.jpg", &b.sha256, &mark(1)), Err(Error::InvalidState { .. })));
}

/// Turns an outbox into what an older build wrote: schema `version` (1 or 2), no application
/// id, no marker file, files readable by everyone (as under umask 022).
fn downgrade(dir: &Path, version: u32) {
    let db = rusqlite::Connection::open(dir.join("outbox.sqlite3")).unwrap();
    db.execute_batch("ALTER TABLE packages DROP COLUMN manifest_sha256; ALTER TABLE files DROP COLUMN upload; PRAGMA application_id = 0;").unwrap();
    if version == 1 {
        db.execute_batch("ALTER TABLE files DROP COLUMN upload_url; ALTER TABLE files DROP COLUMN confirmed_offset;").unwrap();
    }
    db.pragma_update(None, "user_version", version).unwrap();
    drop(db);
    fs::remove_file(dir.join("outbox.hexin")).unwrap();
    for path in all_files(dir) {
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(dir.join("blobs"), fs::Permissions::from_mode(0o755)).unwrap();
}

/// An outbox written before upload marks existed (schema 1) is migrated at open.
#[test]
fn a_schema_1_outbox_is_migrated() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), None);
    ob.create_draft("old", b"{}").unwrap();
    let f = ob.put_file("old", "a.jpg", b"jpeg").unwrap();
    drop(ob);
    downgrade(tmp.path(), 1);
    let ob = open(tmp.path(), None);
    assert_eq!(ob.read_file("old", "a.jpg").unwrap(), b"jpeg");
    assert!(ob.set_upload_mark("old", "a.jpg", &f.sha256, &UploadMark { url: "http://127.0.0.1:1/files/u".into(), offset: 4 }).unwrap());
}

/// An encrypted outbox as the build before markers left it (schema 2, its upload URL stored as
/// text, no manifest hash, world-readable files) opens: it gets its marker and application id,
/// its URL sealed and gone from every file, its manifest hash, and private permissions.
#[test]
fn an_outbox_from_before_markers_is_migrated() {
    let _umask = Umask::set(0o022);
    const URL: &str = "http://127.0.0.1:1/files/LEGACY-URL-5e1f";
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), Some(KEY));
    ob.seal("p", b"manifest-p", &[("a.jpg", b"jpeg")]).unwrap();
    let sha = ob.get("p").unwrap().files[0].sha256.clone();
    drop(ob);
    downgrade(tmp.path(), 2);
    let db = rusqlite::Connection::open(tmp.path().join("outbox.sqlite3")).unwrap();
    db.execute("UPDATE files SET upload_url = ?1, confirmed_offset = 2", [URL]).unwrap();
    drop(db);
    assert!(all_files(tmp.path()).iter().any(|p| contains(&fs::read(p).unwrap(), URL.as_bytes())), "the fixture holds the URL");

    let ob = open(tmp.path(), Some(KEY));
    assert_eq!(ob.upload_mark("p", "a.jpg").unwrap(), Some(UploadMark { url: URL.into(), offset: 2 }));
    assert_eq!(ob.holds("p", b"manifest-p").unwrap(), Some(PackageState::Sealed));
    assert_eq!(ob.read_file("p", "a.jpg").unwrap(), b"jpeg");
    assert!(ob.set_upload_mark("p", "a.jpg", &sha, &UploadMark { url: URL.into(), offset: 3 }).unwrap());
    assert_eq!(fs::read(tmp.path().join("outbox.hexin")).unwrap(), b"hexin outbox\n");
    assert_private(tmp.path());
    drop(ob);
    for path in all_files(tmp.path()) {
        assert!(!contains(&fs::read(&path).unwrap(), URL.as_bytes()), "{} holds the URL in the clear", path.display());
    }
    let db = rusqlite::Connection::open(tmp.path().join("outbox.sqlite3")).unwrap();
    assert_eq!(db.query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0)).unwrap(), i32::from_be_bytes(*b"HXOB"));
}

/// Sets the process umask for a test (nextest runs each test in its own process).
struct Umask(libc::mode_t);

impl Umask {
    fn set(mask: libc::mode_t) -> Umask {
        Umask(unsafe { libc::umask(mask) })
    }
}

impl Drop for Umask {
    fn drop(&mut self) {
        unsafe { libc::umask(self.0) };
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// The outbox directories are 0700 and every file in them 0600.
fn assert_private(dir: &Path) {
    assert_eq!(mode(dir), 0o700, "{}", dir.display());
    assert_eq!(mode(&dir.join("blobs")), 0o700);
    let files = all_files(dir);
    for name in ["outbox.sqlite3", "outbox.sqlite3-wal", "outbox.sqlite3-shm", "outbox.lock", "outbox.hexin"] {
        assert!(files.contains(&dir.join(name)), "{name} missing");
    }
    for path in files {
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}

/// Under umask 022, which would leave files world-readable, every outbox file is private.
#[test]
fn outbox_files_are_private_whatever_the_umask() {
    let _umask = Umask::set(0o022);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new").join("outbox");
    let ob = open(&dir, Some(KEY));
    ob.create_draft("p", b"{}").unwrap();
    ob.put_file("p", "a.jpg", &Rng(3).bytes(1_000)).unwrap();
    ob.seal("q", b"m", &[("b.jpg", b"b")]).unwrap();
    let dest = tmp.path().join("export");
    ob.export("q", &dest).unwrap();
    assert_private(&dir);
    assert_eq!(mode(&dest.join("b.jpg")), 0o600);
}

/// A directory that is not an outbox (a mistyped path full of the user's photos) is refused
/// before anything in it is written, even when it has a `blobs` folder.
#[test]
fn a_directory_of_photos_is_foreign_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let photos = tmp.path();
    fs::write(photos.join("IMG_0001.jpg"), b"\xff\xd8 holiday").unwrap();
    fs::create_dir(photos.join("blobs")).unwrap();
    fs::write(photos.join("blobs").join("IMG_0002.jpg"), b"\xff\xd8 birthday").unwrap();
    fs::write(photos.join("blobs").join("ab".repeat(32)), b"a file named like a hash").unwrap();
    let before = tree(photos);
    for key in [None, Some(KEY)] {
        let err = Outbox::open(photos, config(key)).unwrap_err();
        assert_eq!(err.code(), Code::OutboxForeign, "{err}");
        assert_eq!(tree(photos), before, "nothing added, changed or removed");
    }
    // A file merely named like the marker does not make it an outbox.
    fs::write(photos.join("outbox.hexin"), b"my notes").unwrap();
    assert_eq!(Outbox::open(photos, config(None)).unwrap_err().code(), Code::OutboxForeign);
    // An empty `blobs/` and a lock file (an interrupted creation) are no obstacle.
    let fresh = tempfile::tempdir().unwrap();
    fs::create_dir(fresh.path().join("blobs")).unwrap();
    fs::write(fresh.path().join("outbox.lock"), b"").unwrap();
    open(fresh.path(), None);
}

/// An empty or damaged database (a 0-byte `outbox.sqlite3`) next to files is `outbox_corrupt`,
/// and nothing is swept: with or without a marker beside it.
#[test]
fn an_empty_database_is_corrupt_and_nothing_is_swept() {
    for marked in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("outbox.sqlite3"), b"").unwrap();
        if marked {
            fs::write(dir.join("outbox.hexin"), b"hexin outbox\n").unwrap();
        }
        fs::create_dir(dir.join("blobs")).unwrap();
        fs::write(dir.join("blobs").join("IMG_0001.jpg"), b"\xff\xd8 holiday").unwrap();
        let orphan = Rng(4).bytes(2_000);
        fs::write(dir.join("blobs").join(hexin_core::hash::sha256_hex(&orphan)), &orphan).unwrap();
        fs::write(dir.join("blobs").join(".tmp-0123456789abcdef"), b"half").unwrap();
        let before = tree(dir);
        let err = Outbox::open(dir, config(None)).unwrap_err();
        assert_eq!(err.code(), Code::OutboxCorrupt, "marked {marked}: {err}");
        let mut after = tree(dir);
        after.remove(Path::new("outbox.lock"));
        assert_eq!(after, before, "marked {marked}: nothing swept or written");
    }
    // An outbox whose database is gone while blobs remain is damaged, not new.
    let tmp = tempfile::tempdir().unwrap();
    {
        let ob = open(tmp.path(), None);
        ob.seal("p", b"m", &[("a.jpg", b"a")]).unwrap();
    }
    for name in ["outbox.sqlite3", "outbox.sqlite3-wal", "outbox.sqlite3-shm"] {
        let _ = fs::remove_file(tmp.path().join(name));
    }
    assert_eq!(Outbox::open(tmp.path(), config(None)).unwrap_err().code(), Code::OutboxCorrupt);
    assert_eq!(blob_names(tmp.path()).len(), 1);
}

/// Every file under `dir` by relative path with its content (directories as "dir").
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut map = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let rel = path.strip_prefix(dir).unwrap().to_path_buf();
        if path.is_dir() {
            map.insert(rel.clone(), b"dir".to_vec());
            map.extend(tree(&path).into_iter().map(|(k, v)| (rel.join(k), v)));
        } else {
            map.insert(rel, fs::read(&path).unwrap());
        }
    }
    map
}

/// The sweep deletes temporary files and the orphan blobs the outbox wrote; a photo put in
/// `blobs/`, a file merely named like a hash and a subdirectory are kept.
#[test]
fn open_sweeps_only_what_the_outbox_wrote() {
    for key in [None, Some(KEY)] {
        let tmp = tempfile::tempdir().unwrap();
        let kept = Rng(8).bytes(5_000);
        let (sha, orphan) = {
            let ob = open(tmp.path(), key);
            ob.create_draft("p", b"{}").unwrap();
            let sha = ob.put_file("p", "a.jpg", &kept).unwrap().sha256;
            // An orphan the outbox wrote: a blob whose transaction never happened.
            let orphan = ob.put_file("p", "b.jpg", b"orphan").unwrap().sha256;
            let bytes = fs::read(tmp.path().join("blobs").join(&orphan)).unwrap();
            ob.remove_file("p", "b.jpg").unwrap();
            fs::write(tmp.path().join("blobs").join(&orphan), bytes).unwrap();
            (sha, orphan)
        };
        let blobs = tmp.path().join("blobs");
        fs::write(blobs.join(".tmp-0123456789abcdef"), b"half a photo").unwrap();
        fs::write(blobs.join("ab".repeat(32)), b"named like a blob, not one").unwrap();
        fs::write(blobs.join("holiday.jpg"), b"the user's photo").unwrap();
        fs::write(blobs.join(".tmp-mine"), b"not hexin's temporary name").unwrap();
        fs::create_dir(blobs.join("album")).unwrap();
        assert!(blob_names(tmp.path()).contains(&orphan));
        let ob = open(tmp.path(), key);
        let mut expected = vec![".tmp-mine".to_owned(), "ab".repeat(32), "album".into(), "holiday.jpg".into(), sha.clone()];
        expected.sort();
        assert_eq!(blob_names(tmp.path()), expected, "key {}", key.is_some());
        assert_eq!(ob.read_file("p", "a.jpg").unwrap(), kept);
        assert_eq!(fs::read(blobs.join("holiday.jpg")).unwrap(), b"the user's photo");
    }
}

/// Package ids name one package: the same id with another manifest is a conflict, before and
/// after the committed package is wiped; the same manifest is recognized.
#[test]
fn same_id_other_manifest_is_a_conflict() {
    for key in [None, Some(KEY)] {
        let tmp = tempfile::tempdir().unwrap();
        let ob = open(tmp.path(), key);
        assert_eq!(ob.holds("p", b"manifest A").unwrap(), None);
        ob.seal("p", b"manifest A", &[("a.jpg", b"a")]).unwrap();
        assert_eq!(ob.holds("p", b"manifest A").unwrap(), Some(PackageState::Sealed));
        assert_eq!(ob.holds("p", b"manifest B").unwrap_err().code(), Code::PackageConflict);
        ob.set_state("p", PackageState::Uploading).unwrap();
        ob.set_state("p", PackageState::Committed).unwrap();
        assert_eq!(ob.manifest("p").unwrap(), None, "wiped");
        assert_eq!(ob.holds("p", b"manifest A").unwrap(), Some(PackageState::Committed));
        let err = ob.holds("p", b"manifest B").unwrap_err();
        assert!(matches!(err, Error::PackageConflict { ref id, .. } if id == "p"), "{err}");
        ob.create_draft("d", b"{}").unwrap();
        assert_eq!(ob.holds("d", b"manifest A").unwrap_err().code(), Code::PackageConflict);
    }
}

/// An upload URL with credentials is never stored, nor one that is not a URL.
#[test]
fn upload_urls_with_credentials_are_never_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), None);
    let f = ob.seal("p", b"m", &[("a.jpg", b"a")]).map(|()| ob.get("p").unwrap().files[0].sha256.clone()).unwrap();
    for url in ["http://user:secret@127.0.0.1:1/files/x", "http://user@127.0.0.1:1/files/x", "/files/x", ""] {
        let err = ob.set_upload_mark("p", "a.jpg", &f, &UploadMark { url: url.into(), offset: 0 }).unwrap_err();
        assert_eq!(err.code(), Code::InvalidEndpoint, "{url}");
    }
    assert_eq!(ob.upload_mark("p", "a.jpg").unwrap(), None);
    drop(ob);
    for path in all_files(tmp.path()) {
        assert!(!contains(&fs::read(&path).unwrap(), b"secret"), "{}", path.display());
    }
}

#[test]
fn export_writes_a_package_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), Some(KEY));
    let mut rng = Rng(9);
    let (a, b) = (rng.bytes(12_345), rng.bytes(54_321));
    ob.create_draft("p", b"{}").unwrap();
    assert_eq!(ob.export("p", &tmp.path().join("nope")).unwrap_err().code(), Code::InvalidState);
    ob.seal("p", br#"{"v":1}"#, &[("id_front.jpg", &a), ("license.jpg", &b)]).unwrap();
    let out = tmp.path().join("export").join("p");
    ob.export("p", &out).unwrap();
    let mut names: Vec<String> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["id_front.jpg", "license.jpg", "manifest.json"]);
    assert_eq!(fs::read(out.join("manifest.json")).unwrap(), br#"{"v":1}"#);
    assert_eq!(fs::read(out.join("id_front.jpg")).unwrap(), a);
    assert_eq!(fs::read(out.join("license.jpg")).unwrap(), b);
}

#[test]
fn bad_ids_and_names_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), None);
    for id in ["", "../x", "a b", &"x".repeat(65)] {
        let err = ob.create_draft(id, b"{}").unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "package_id"), "{err}");
    }
    ob.create_draft("p", b"{}").unwrap();
    for file in ["", "..", "../etc/passwd", "a/b", "a\\b", "nul\0", "manifest.json", ".hidden", "身份证.jpg", &"n".repeat(129)] {
        let err = ob.put_file("p", file, b"x").unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "file_name"), "{file:?}: {err}");
        assert_eq!(err.code(), Code::InvalidArgument);
    }
    let dup = ob.seal("p", b"{}", &[("a.jpg", b"1"), ("a.jpg", b"2")]).unwrap_err();
    assert!(matches!(dup, Error::InvalidArgument { ref name, .. } if name == "file_name"));
    assert!(blob_names(tmp.path()).is_empty());
}

// ---- import ------------------------------------------------------------------------------------

/// The individual specimen sealed and written to `dir`, as `hexin seal` does.
fn sealed_example(dir: &Path) -> hexin_core::package::seal::Package {
    let package = hexin_testing::specimens::individual_package(&hexin_core::package::seal::Sealing::new().unwrap());
    package.write_to(dir).unwrap();
    package
}

/// The files of a package directory by name.
fn package_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir).unwrap().map(|e| e.unwrap()).map(|e| (e.file_name().into_string().unwrap(), fs::read(e.path()).unwrap())).collect()
}

#[test]
fn a_sealed_package_imports_exports_and_imports_again_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let sealed = tmp.path().join("sealed");
    let package = sealed_example(&sealed);
    let id = package.manifest.package_id.clone();
    let ob = open(&tmp.path().join("a"), Some(KEY));
    assert_eq!(ob.import(&sealed).unwrap(), (id.clone(), PackageState::Sealed));
    assert_eq!(ob.manifest(&id).unwrap().unwrap(), package.manifest_bytes);
    for (name, bytes) in &package.files {
        assert_eq!(&ob.read_file(&id, name).unwrap(), bytes, "{name}");
    }

    let exported = tmp.path().join("exported");
    ob.export(&id, &exported).unwrap();
    assert_eq!(package_files(&exported), package_files(&sealed));
    let other = open(&tmp.path().join("b"), None);
    assert_eq!(other.import(&exported).unwrap(), (id.clone(), PackageState::Sealed));
    let (a, b) = (ob.get(&id).unwrap(), other.get(&id).unwrap());
    assert_eq!((a.files, a.bytes), (b.files, b.bytes));

    // Imported again: found as it is (delivered, here), not stored twice.
    ob.set_state(&id, PackageState::Uploading).unwrap();
    ob.set_state(&id, PackageState::Committed).unwrap();
    assert_eq!(ob.import(&sealed).unwrap(), (id.clone(), PackageState::Committed));
    assert_eq!(ob.list().unwrap().len(), 1);

    // A draft under the package's id is another package.
    let third = open(&tmp.path().join("c"), None);
    third.create_draft(&id, b"{}").unwrap();
    assert_eq!(third.import(&sealed).unwrap_err().code(), Code::PackageConflict);
}

#[test]
fn a_tampered_package_is_refused_and_nothing_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let sealed = tmp.path().join("sealed");
    let package = sealed_example(&sealed);
    let (name, original) = &package.files[1];
    let path = sealed.join(name);
    let ob = open(&tmp.path().join("ob"), None);
    let refusal = |ob: &Outbox| match ob.import(&sealed) {
        Err(Error::SealRefused { problems }) => problems.iter().map(|p| (p.code, p.at.clone())).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };

    let mut changed = original.clone();
    changed[original.len() / 2] ^= 1;
    fs::write(&path, &changed).unwrap();
    assert_eq!(refusal(&ob), [(Code::FileHashMismatch, name.clone())]);

    // The right bytes behind a symlink are not read.
    let outside = tmp.path().join("outside.jpg");
    fs::write(&outside, original).unwrap();
    fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink(&outside, &path).unwrap();
    assert_eq!(refusal(&ob), [(Code::FileMissing, name.clone())]);

    fs::remove_file(&path).unwrap();
    fs::write(sealed.join("extra.txt"), b"x").unwrap();
    assert_eq!(refusal(&ob), [(Code::FileExtra, "extra.txt".into()), (Code::FileMissing, name.clone())]);
    assert!(ob.list().unwrap().is_empty());
    assert!(blob_names(&tmp.path().join("ob")).is_empty());
}

/// Sealing in place records the manifest over the files already stored: a listed file the
/// package holds with other content (or not at all) changes nothing; files not listed go.
#[test]
fn seal_in_place_checks_the_stored_files() {
    let tmp = tempfile::tempdir().unwrap();
    let ob = open(tmp.path(), None);
    ob.create_draft("p", b"{}").unwrap();
    let a = ob.put_file("p", "a.jpg", b"aaa").unwrap();
    let b = ob.put_file("p", "b.jpg", b"bbb").unwrap();
    let wrong = hexin_core::outbox::StoredFile { sha256: b.sha256.clone(), ..a.clone() };
    let missing = hexin_core::outbox::StoredFile { name: "c.jpg".into(), ..a.clone() };
    for listed in [vec![wrong], vec![a.clone(), missing]] {
        let err = ob.seal_in_place("p", b"{}", &listed).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { ref name, .. } if name == "files"), "{err:?}");
        assert_eq!(ob.get("p").unwrap().state, PackageState::Draft);
        assert_eq!(ob.get("p").unwrap().files, [a.clone(), b.clone()]);
    }
    ob.seal_in_place("p", b"{\"m\":1}", std::slice::from_ref(&a)).unwrap();
    let p = ob.get("p").unwrap();
    assert_eq!((p.state, p.files), (PackageState::Sealed, vec![a.clone()]));
    assert_eq!(ob.manifest("p").unwrap().as_deref(), Some(&b"{\"m\":1}"[..]));
    assert_eq!(blob_names(tmp.path()), [a.sha256.clone()], "b's blob is collected");
    assert_eq!(ob.holds("p", b"{\"m\":1}").unwrap(), Some(PackageState::Sealed));
    let again = ob.seal_in_place("p", b"{}", std::slice::from_ref(&a)).unwrap_err();
    assert!(matches!(again, Error::InvalidState { .. }), "{again:?}");
}

// ---- SIGKILL at random moments ----------------------------------------------------------------

const WRITER_DIR: &str = "HEXIN_OUTBOX_WRITER_DIR";
const WRITER_KEY: &str = "HEXIN_OUTBOX_WRITER_KEY";
const WRITER_SEED: &str = "HEXIN_OUTBOX_WRITER_SEED";
const WRITER_TEST: &str = "outbox_writer";

fn writer_config(key: [u8; 32]) -> OutboxConfig {
    // A cap small enough that the writer meets it sometimes.
    OutboxConfig { key: Some(key), max_bytes: 12_000_000, retention: Retention::WipeOnCommit }
}

/// The manifest the writer seals: file name → SHA-256, so the checker can compare.
fn manifest_for(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let map: BTreeMap<&str, String> =
        files.iter().map(|(n, b)| (n.as_str(), hexin_core::hash::sha256_hex(b))).collect();
    serde_json::to_vec(&serde_json::json!({ "files": map })).unwrap()
}

/// The child process of `sigkill_at_random_moments_leaves_outbox_consistent`: loops over the
/// whole API until killed. Does nothing when run without its environment.
#[test]
#[ignore = "run as a child process by sigkill_at_random_moments_leaves_outbox_consistent"]
fn outbox_writer() {
    let (Ok(dir), Ok(key), Ok(seed)) = (env::var(WRITER_DIR), env::var(WRITER_KEY), env::var(WRITER_SEED)) else {
        return;
    };
    let key: [u8; 32] = (0..32).map(|i| u8::from_str_radix(&key[2 * i..2 * i + 2], 16).unwrap()).collect::<Vec<_>>().try_into().unwrap();
    let seed: u64 = seed.parse().unwrap();
    let ob = Outbox::open(Path::new(&dir), writer_config(key)).expect("writer open");
    let mut rng = Rng(seed);
    let shared = Rng(99).bytes(50_000); // the same content in many packages
    let mut n = 0u64;
    loop {
        n += 1;
        let id = format!("w{seed}-{n}");
        let size = |rng: &mut Rng| rng.range(10_000, 1_000_000) as usize;
        let result: Result<(), Error> = (|| {
            let mut files: Vec<(String, Vec<u8>)> = vec![];
            for i in 0..rng.range(1, 4) {
                let bytes = if rng.chance(30) {
                    shared.clone()
                } else {
                    let s = size(&mut rng);
                    rng.bytes(s)
                };
                files.push((format!("m{i}.jpg"), bytes));
            }
            if rng.chance(20) {
                // Sealed straight away, with no draft.
                ob.seal(&id, &manifest_for(&files), &files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect::<Vec<_>>())?;
            } else {
                ob.create_draft(&id, format!(r#"{{"subject":"person {n}"}}"#).as_bytes())?;
                for (name, bytes) in &files {
                    ob.put_file(&id, name, bytes)?;
                }
                if rng.chance(40) {
                    let s = size(&mut rng);
                    files[0].1 = rng.bytes(s);
                    ob.put_file(&id, &files[0].0, &files[0].1)?; // retake
                }
                if files.len() > 1 && rng.chance(30) {
                    let (name, _) = files.pop().unwrap();
                    ob.remove_file(&id, &name)?;
                }
                ob.update_draft(&id, format!(r#"{{"subject":"person {n}","v":2}}"#).as_bytes())?;
                if rng.chance(20) {
                    return Ok(()); // left as a draft
                }
                // Seal in place with the drafted files, or with their bytes, sometimes plus one more.
                if rng.chance(40) {
                    ob.seal_in_place(&id, &manifest_for(&files), &ob.get(&id)?.files)?;
                } else {
                    if rng.chance(30) {
                        let s = size(&mut rng);
                        files.push(("extra.jpg".into(), rng.bytes(s)));
                    }
                    ob.seal(&id, &manifest_for(&files), &files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect::<Vec<_>>())?;
                }
            }
            if rng.chance(70) {
                ob.set_state(&id, PackageState::Uploading)?;
                if rng.chance(30) {
                    ob.set_state(&id, PackageState::Sealed)?;
                    ob.set_state(&id, PackageState::Uploading)?;
                }
                if rng.chance(70) {
                    ob.set_state(&id, PackageState::Committed)?;
                }
            }
            Ok(())
        })();
        match result {
            Ok(()) => {}
            Err(Error::OutboxFull { .. }) => {
                for p in ob.list().unwrap().iter().take(3) {
                    ob.purge(&p.id).unwrap();
                }
            }
            Err(e) => panic!("writer: {e}"),
        }
        let list = ob.list().unwrap();
        if list.len() > 8 {
            let victim = &list[rng.range(0, list.len() as u64) as usize];
            ob.purge(&victim.id).unwrap();
        }
    }
}

/// Reopens the outbox and checks the invariants; returns what it found.
fn check_consistent(dir: &Path, key: [u8; 32]) -> Vec<PackageSummary> {
    let ob = Outbox::open(dir, writer_config(key)).expect("reopen after kill");
    let list = ob.list().expect("list after kill");
    let referenced: HashSet<String> = list.iter().flat_map(|p| p.files.iter().map(|f| f.sha256.clone())).collect();
    let on_disk: HashSet<String> = blob_names(dir).into_iter().collect();
    assert_eq!(on_disk, referenced, "blobs on disk are exactly the referenced ones (no temp files, no orphans)");
    for p in &list {
        let draft = ob.draft(&p.id).expect("draft readable");
        if !draft.is_empty() {
            serde_json::from_slice::<serde_json::Value>(&draft).expect("draft is whole JSON");
        }
        for f in &p.files {
            // Decrypts and re-hashes: every blob is whole and under its own name.
            let bytes = ob.read_file(&p.id, &f.name).unwrap_or_else(|e| panic!("{} {}: {e}", p.id, f.name));
            assert_eq!(bytes.len() as i64, f.bytes);
        }
        assert_eq!(p.bytes, p.files.iter().map(|f| f.bytes).sum::<i64>());
        match p.state {
            PackageState::Draft => assert_eq!(ob.manifest(&p.id).unwrap(), None),
            PackageState::Sealed | PackageState::Uploading => {
                let manifest = ob.manifest(&p.id).unwrap().expect("a sealed package has its manifest");
                let manifest: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
                let listed: BTreeMap<String, String> = serde_json::from_value(manifest["files"].clone()).unwrap();
                let stored: BTreeMap<String, String> = p.files.iter().map(|f| (f.name.clone(), f.sha256.clone())).collect();
                assert_eq!(listed, stored, "{}: sealed with exactly its manifest's files", p.id);
            }
            PackageState::Committed => {
                assert!(p.files.is_empty() && p.bytes == 0, "wiped on commit");
                assert_eq!(ob.manifest(&p.id).unwrap(), None);
            }
        }
    }
    drop(ob);
    let db = rusqlite::Connection::open(dir.join("outbox.sqlite3")).unwrap();
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    list
}

#[test]
fn sigkill_at_random_moments_leaves_outbox_consistent() {
    const KILLS: u64 = 80;
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let key: [u8; 32] = Rng(time_seed()).bytes(32).try_into().unwrap();
    let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let exe = env::current_exe().unwrap();
    let mut rng = Rng(time_seed());
    let base_seed = rng.next() % 1_000_000;
    let (mut seen, mut states) = (HashSet::new(), BTreeMap::new());
    let mut checked = 0usize;
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["--exact", WRITER_TEST, "--ignored", "--nocapture", "--test-threads", "1"])
            .env(WRITER_DIR, tmp.path())
            .env(WRITER_KEY, &key_hex)
            .env(WRITER_SEED, (base_seed + round).to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.range(0, 200)));
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            panic!("round {round}: the writer stopped by itself ({status}): {err}");
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for p in check_consistent(tmp.path(), key) {
            checked += 1;
            *states.entry(p.state.as_str()).or_insert(0) += 1;
            seen.insert(p.id);
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{KILLS} kills in {elapsed:.1?}; {checked} package checks over {} distinct packages; states seen {states:?}",
        seen.len()
    );
    assert!(seen.len() >= 10, "the writer got too little done to test anything: {} packages", seen.len());
    assert!(states.contains_key("sealed") || states.contains_key("uploading") || states.contains_key("committed"));
}

/// A host's arguments: a 32-byte key is taken and wiped from the host's buffer, any other length
/// is refused (and wiped too); absent sizes and days keep the defaults.
#[test]
fn a_config_from_host_arguments() {
    let mut key = vec![5u8; 32];
    let config = OutboxConfig::new(Some(&mut key), Some(1_000), Some(3)).unwrap();
    assert_eq!((config.key, config.max_bytes, config.retention), (Some([5; 32]), 1_000, Retention::KeepDays(3)));
    assert_eq!(key, [0; 32]);
    let plain = OutboxConfig::new(None, None, None).unwrap();
    let default = OutboxConfig::default();
    assert_eq!((plain.key, plain.max_bytes, plain.retention), (None, default.max_bytes, default.retention));
    let mut short = vec![5u8; 16];
    let err = OutboxConfig::new(Some(&mut short), None, None).unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "key"), "{err:?}");
    assert_eq!((err.code(), short), (Code::InvalidArgument, vec![0; 16]));
}

/// File sizes in the index are outside input once on disk: sizes that add up past any integer
/// give a saturated total, and a negative one is `outbox_corrupt`, never a panic.
#[test]
fn sizes_from_a_tampered_index_neither_overflow_nor_go_negative() {
    let tmp = tempfile::tempdir().unwrap();
    open(tmp.path(), None).seal("p", b"{}", &[("a.jpg", b"a"), ("b.jpg", b"b"), ("c.jpg", b"c")]).unwrap();
    let db = rusqlite::Connection::open(tmp.path().join("outbox.sqlite3")).unwrap();
    db.execute("UPDATE files SET bytes = 9223372036854775807", []).unwrap();
    let ob = open(tmp.path(), None);
    assert_eq!(ob.get("p").unwrap().bytes, i64::MAX);
    assert_eq!(ob.list().unwrap()[0].bytes, i64::MAX);
    // The schema's CHECK refuses a negative size; a file edited by other means has none.
    db.execute_batch("PRAGMA ignore_check_constraints = ON; UPDATE files SET bytes = -1 WHERE name = 'b.jpg'").unwrap();
    assert_eq!(ob.get("p").unwrap_err().code(), Code::OutboxCorrupt);
    assert_eq!(ob.list().unwrap_err().code(), Code::OutboxCorrupt);
}
