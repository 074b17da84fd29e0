//! Outbox directories that are not what `--outbox` expects: a mistyped path full of photos, an
//! emptied database beside them, a stranger's file inside `blobs/`, and a package that shares
//! its id with one already delivered. Nothing the outbox did not write is ever deleted.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use hexin_core::outbox::{Outbox, OutboxConfig, PackageState};

use crate::harness::Case;

/// Every file under `dir` with its content, recursively.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut map = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            map.extend(tree(&path));
        } else {
            map.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    map
}

/// `--outbox` mistyped as a photo folder (the user's, outside, and one with a `blobs/` folder
/// of photos): refused as `outbox_foreign` by every command that opens an outbox, and nothing
/// in it is added, changed or removed.
#[test]
fn a_photo_folder_given_as_the_outbox_is_refused_untouched() {
    let case = Case::new();
    case.write("Pictures/IMG_0001.jpg", b"\xff\xd8 holiday");
    case.write("Pictures/blobs/IMG_0002.jpg", b"\xff\xd8 birthday");
    let before = tree(&case.path("Pictures"));
    let theirs = case.outside().join("photos");
    for photos in ["Pictures", theirs.to_str().unwrap()] {
        for args in [
            vec!["outbox", "list", "--outbox", photos],
            vec!["outbox", "resume", "--outbox", photos, "--endpoint", "http://127.0.0.1:9/files/"],
            vec!["outbox", "purge", "--outbox", photos, "--committed"],
        ] {
            case.hexin(&args).assert_refused(2, "outbox_foreign");
            case.assert_outside_unchanged();
            assert_eq!(tree(&case.path("Pictures")), before, "{args:?}");
        }
    }
}

/// A 0-byte `outbox.sqlite3` next to `blobs/` holding photos is `outbox_corrupt`, and nothing
/// is deleted.
#[test]
fn an_empty_database_beside_photos_is_corrupt_and_nothing_is_deleted() {
    let case = Case::new();
    case.write("ob/outbox.sqlite3", b"");
    case.write("ob/blobs/IMG_0001.jpg", b"\xff\xd8 holiday");
    case.write(&format!("ob/blobs/{}", "ab".repeat(32)), b"\xff\xd8 named like a hash");
    let before = tree(&case.path("ob"));
    case.hexin(["outbox", "list", "--outbox", "ob"]).assert_refused(2, "outbox_corrupt");
    let mut after = tree(&case.path("ob"));
    after.remove(&case.path("ob/outbox.lock"));
    assert_eq!(after, before);
}

/// A file someone put inside the `blobs/` of a real outbox is kept, whatever its name; the
/// outbox's own files are private under umask 022.
#[test]
fn a_stranger_file_in_blobs_is_kept_and_outbox_files_are_private() {
    let case = Case::new();
    unsafe { libc::umask(0o022) };
    case.write("outbox.key", "cd".repeat(32).as_bytes());
    let at = ["--outbox", "ob", "--key-file", "outbox.key"];
    let list = [&["outbox", "list", "--json"][..], &at].concat();
    let run = case.hexin(&list);
    run.assert_bounded();
    assert_eq!(run.code, Some(0), "{run:#?}");
    case.write("ob/blobs/holiday.jpg", b"\xff\xd8 the user's photo");
    case.write(&format!("ob/blobs/{}", "cd".repeat(32)), b"named like a blob");
    let run = case.hexin(&list);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert_eq!(std::fs::read(case.path("ob/blobs/holiday.jpg")).unwrap(), b"\xff\xd8 the user's photo");
    assert!(case.path(&format!("ob/blobs/{}", "cd".repeat(32))).exists());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&case.path("ob")), 0o700);
    assert_eq!(mode(&case.path("ob/blobs")), 0o700);
    for name in ["outbox.sqlite3", "outbox.lock", "outbox.hexin"] {
        assert_eq!(mode(&case.path("ob").join(name)), 0o600, "{name}");
    }
}

/// Seals the individual example into `out` with `hexin seal`; returns its package id and manifest.
fn sealed_example(case: &Case, out: &str) -> (String, Vec<u8>) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specimens/individual");
    let mut args: Vec<String> = ["seal", "--subject", "individual", "--province", "11", "--source", "camera", "--out", out].map(String::from).to_vec();
    args.extend(["--fields".into(), example.join("fields.json").display().to_string()]);
    for kind in ["id-card-front", "id-card-back", "face-photo", "verification-form"] {
        args.extend(["--material".into(), format!("{kind}={}", example.join(format!("{kind}.jpg")).display())]);
    }
    let run = case.hexin(&args);
    assert_eq!(run.code, Some(0), "{run:#?}");
    let manifest = std::fs::read(case.path(out).join("manifest.json")).unwrap();
    let id = serde_json::from_slice::<serde_json::Value>(&manifest).unwrap()["package_id"].as_str().unwrap().to_owned();
    (id, manifest)
}

/// Puts a committed package `id` with `manifest` into the outbox at `dir`.
fn delivered_earlier(dir: &Path, id: &str, manifest: &[u8]) {
    let outbox = Outbox::open(dir, OutboxConfig::default()).unwrap();
    outbox.seal(id, manifest, &[("a.jpg", b"earlier")]).unwrap();
    outbox.set_state(id, PackageState::Uploading).unwrap();
    outbox.set_state(id, PackageState::Committed).unwrap();
}

/// A package whose id the outbox already delivered with another manifest is refused as
/// `package_conflict`, never reported delivered; the same package is.
#[test]
fn a_different_package_under_a_delivered_id_is_a_conflict() {
    let case = Case::new();
    let (id, manifest) = sealed_example(&case, "pkg");
    let upload = ["upload", "--outbox", "ob", "--endpoint", "http://127.0.0.1:9/files/", "--json", "pkg"];

    delivered_earlier(&case.path("ob"), &id, br#"{"another":"manifest"}"#);
    let run = case.hexin(upload);
    run.assert_refused(1, "package_conflict");
    assert!(!run.stdout.contains("\"delivered\""), "{run:#?}");

    std::fs::remove_dir_all(case.path("ob")).unwrap();
    delivered_earlier(&case.path("ob"), &id, &manifest);
    let run = case.hexin(upload);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("already delivered earlier"), "{run:#?}");
}
