//! Reading files that come from outside: photos, policies, fields, keys, manifests.
//!
//! Every such file is opened without following a symlink in its last component and without
//! blocking on a FIFO (`O_NOFOLLOW | O_NONBLOCK` on Unix), checked on the open handle (a regular
//! file, no larger than the caller's limit) and read through a reader that stops one byte past
//! the limit, so a file that grows between the check and the read is still refused. The check
//! and the read use the same handle: swapping the path between them changes nothing.
//!
//! On platforms without `O_NOFOLLOW` the path's own metadata is checked before opening, which
//! leaves a window for a swap; the size and type checks on the handle still hold.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

use crate::capture::rules::Limits;
use crate::count;
use crate::Error;

/// What a file that is not a regular file is, for [`Error::NotAFile`].
fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "directory";
    }
    if t.is_symlink() {
        return "symlink";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "fifo";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "device";
        }
    }
    "special file"
}

fn storage(path: &Path, e: io::Error) -> Error {
    Error::Storage { op: format!("read {}", path.display()), reason: e.to_string() }
}

/// Opens `path` as a regular file no larger than `limit` bytes, returning the handle and its size.
///
/// A symlink, FIFO, socket, device or directory is [`Error::NotAFile`]; a larger file is
/// [`Error::InputTooLarge`]; anything else that fails is [`Error::Storage`] (a missing file
/// keeps [`io::ErrorKind::NotFound`] in its reason).
pub fn open_regular(path: &Path, limit: u64) -> Result<(File, u64), Error> {
    let file = open_nofollow(path)?;
    let meta = file.metadata().map_err(|e| storage(path, e))?;
    if !meta.is_file() {
        return Err(Error::NotAFile { path: path.display().to_string(), kind: kind_of(&meta).into() });
    }
    if meta.len() > limit {
        return Err(Error::InputTooLarge { bytes: count::signed(meta.len()), limit: count::signed(limit) });
    }
    Ok((file, meta.len()))
}

/// Whether `path` names nothing at all (so a caller may treat the file as absent).
pub fn is_not_found(e: &Error) -> bool {
    matches!(e, Error::Storage { reason, .. } if reason.starts_with(NOT_FOUND))
}

const NOT_FOUND: &str = "not found: ";

#[cfg(unix)]
fn open_nofollow(path: &Path) -> Result<File, Error> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path) {
        Ok(file) => Ok(file),
        // ELOOP: the last component is a symlink.
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            Err(Error::NotAFile { path: path.display().to_string(), kind: "symlink".into() })
        }
        // ENXIO: a FIFO opened without blocking has no writer; a socket cannot be opened.
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => match std::fs::symlink_metadata(path) {
            Ok(meta) => Err(Error::NotAFile { path: path.display().to_string(), kind: kind_of(&meta).into() }),
            Err(_) => Err(storage(path, e)),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Error::Storage {
            op: format!("read {}", path.display()),
            reason: format!("{NOT_FOUND}{e}"),
        }),
        Err(e) => Err(storage(path, e)),
    }
}

#[cfg(not(unix))]
fn open_nofollow(path: &Path) -> Result<File, Error> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::NotAFile { path: path.display().to_string(), kind: "symlink".into() })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Error::Storage { op: format!("read {}", path.display()), reason: format!("{NOT_FOUND}{e}") })
        }
        _ => {}
    }
    File::open(path).map_err(|e| storage(path, e))
}

/// Reads the whole regular file at `path`, refusing it if it is (or grows) larger than `limit`.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let (file, size) = open_regular(path, limit)?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| storage(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::InputTooLarge { bytes: count::signed(bytes.len()), limit: count::signed(limit) });
    }
    Ok(bytes)
}

/// Reads a capture (a photo file) as [`read`], refusing one over the policy's
/// `max_input_bytes` before reading it: the limit [`check`](crate::check) puts on bytes, put on
/// the file, so an oversized one is never loaded.
pub fn read_capture(path: &Path, limits: &Limits) -> Result<Vec<u8>, Error> {
    read(path, limits.max_input_bytes)
}

/// Reads the regular file at `path` as UTF-8 text, as [`read`].
pub fn read_text(path: &Path, limit: u64) -> Result<String, Error> {
    String::from_utf8(read(path, limit)?).map_err(|e| Error::Storage {
        op: format!("read {}", path.display()),
        reason: format!("not UTF-8 text: {e}"),
    })
}

/// The size limit for small text inputs: policies, fields files, keys.
pub const MAX_TEXT_BYTES: u64 = 1_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn reads_a_regular_file_within_the_limit() {
        let d = dir();
        let p = d.path().join("a");
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read(&p, 5).unwrap(), b"hello");
        assert!(matches!(read(&p, 4), Err(Error::InputTooLarge { bytes: 5, limit: 4 })));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_fifos_devices_and_directories() {
        let d = dir();
        let target = d.path().join("t");
        std::fs::write(&target, b"x").unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let fifo = d.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        for (path, kind) in [(&link, "symlink"), (&fifo, "fifo"), (&Path::new("/dev/zero").to_path_buf(), "device"), (&d.path().to_path_buf(), "directory")] {
            match read(path, 1 << 20) {
                Err(Error::NotAFile { kind: k, .. }) => assert_eq!(k, kind, "{}", path.display()),
                other => panic!("{}: {other:?}", path.display()),
            }
        }
    }

    #[test]
    fn a_missing_file_is_not_found() {
        let d = dir();
        let e = read(&d.path().join("nope"), 10).unwrap_err();
        assert!(is_not_found(&e), "{e:?}");
    }
}
