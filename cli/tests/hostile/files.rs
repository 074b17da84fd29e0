//! Files that are not what they claim: symlinks, FIFOs, devices, directories, and files larger
//! than the limit, given wherever hexin reads a file.

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::harness::Case;

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// A photo that is a symlink to /dev/zero, a FIFO, a directory or a symlink to the user's own
/// file is refused as `not_a_file`, promptly and in bounded memory.
#[test]
fn check_refuses_what_is_not_a_regular_file() {
    let case = Case::new();
    symlink("/dev/zero", case.path("zero.jpg")).unwrap();
    mkfifo(&case.path("fifo.jpg"));
    std::fs::create_dir(case.path("dir.jpg")).unwrap();
    symlink(case.outside().join("photos/holiday.jpg"), case.path("theirs.jpg")).unwrap();
    for name in ["zero.jpg", "fifo.jpg", "dir.jpg", "theirs.jpg"] {
        let run = case.hexin(["check", "--material", "id-card-front", "--json", name]);
        run.assert_bounded();
        assert_eq!(run.code, Some(1), "{name}: {run:#?}");
        assert!(run.stdout.contains("not_a_file"), "{name}: {run:#?}");
    }
}

/// A file far over the input limit is refused from its size, without reading it whole.
#[test]
fn check_refuses_an_oversized_file_without_reading_it() {
    let case = Case::new();
    let big = std::fs::File::create(case.path("big.jpg")).unwrap();
    big.set_len(3_000_000_000).unwrap(); // sparse: no disk used
    let run = case.hexin(["check", "--material", "id-card-front", "--json", "big.jpg"]);
    run.assert_refused(1, "input_too_large");
}

/// A policy, fields file or key given as a FIFO is refused instead of hanging.
#[test]
fn fifos_as_policy_fields_and_keys_do_not_hang() {
    let case = Case::new();
    mkfifo(&case.path("fifo"));
    case.write("a.jpg", b"x");
    for args in [
        vec!["check", "--material", "id-card-front", "--policy", "fifo", "a.jpg"],
        vec!["seal", "--subject", "individual", "--province", "11", "--fields", "fifo", "--material", "face-photo=a.jpg", "--out", "pkg"],
        vec!["verify", "--trusted-key", "fifo", "."],
        vec!["outbox", "list", "--outbox", "ob", "--key-file", "fifo"],
    ] {
        let run = case.hexin(&args);
        run.assert_bounded();
        assert_eq!(run.code, Some(2), "{args:?}: {run:#?}");
        assert!(run.stderr.contains("not_a_file") || run.stderr.contains("fifo"), "{args:?}: {run:#?}");
    }
}
