//! Request bodies: a chunk of the source streamed from disk while it is sent, so reading and
//! sending overlap and no chunk is ever held whole in memory.
//!
//! A file is opened once, by [`crate::input`]'s rules (no symlink, checked on the handle), and
//! every chunk is read from that handle with positional reads: a checksum pass and a request
//! body never share a file position, and a file renamed over or unlinked meanwhile (an outbox
//! blob collected after a retake) still yields the bytes the upload began with.

use std::fs::File;
use std::future::Future;
use std::io::{self, Read};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use tokio::io::{AsyncRead, ReadBuf};
use tokio::task::JoinHandle;
use tokio_util::io::ReaderStream;

use super::caps::Checksum;
use crate::Error;

/// The bytes to upload.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file, streamed from disk chunk by chunk; it must not change while uploading.
    Path(PathBuf),
    /// A file whose content is known by its SHA-256 (lowercase hex), e.g. an outbox blob:
    /// streamed like [`Source::Path`] from the handle a first pass over the whole file has
    /// checked hashes to `sha256`, so a damaged file is refused before a byte is sent.
    Hashed { path: PathBuf, sha256: String },
    /// Bytes already in memory.
    Bytes(Arc<[u8]>),
}

/// Bytes read from disk per step of a streamed body.
const READ_BUF: usize = 256 * 1024;

/// One request body: `len` bytes of the source, with its `Upload-Checksum` when asked for.
pub(super) struct Chunk {
    pub body: reqwest::Body,
    pub len: u64,
    pub checksum: Option<String>,
}

/// Cuts a [`Source`] into [`Chunk`]s.
pub(super) enum Reader {
    /// A file of `length` bytes, read through the handle opened for the upload.
    File { file: Arc<File>, length: u64 },
    Bytes(Bytes),
}

impl Reader {
    /// Opens `source` and returns it with its length.
    pub async fn open(source: &Source) -> Result<(Reader, u64), Error> {
        match source {
            Source::Bytes(bytes) => {
                let bytes = Bytes::from_owner(bytes.clone());
                let length = bytes.len() as u64;
                Ok((Reader::Bytes(bytes), length))
            }
            Source::Path(path) => {
                let (file, length) = crate::input::open_regular(path, u64::MAX)?;
                Ok((Reader::File { file: Arc::new(file), length }, length))
            }
            Source::Hashed { path, sha256 } => {
                let (file, length) = crate::input::open_regular(path, u64::MAX)?;
                let file = Arc::new(file);
                let range = Range { file: file.clone(), offset: 0, remaining: length };
                let hashed = blocking("hash upload source", move || crate::hash::sha256_read(range)).await?;
                if hashed != (length, sha256.clone()) {
                    let reason = format!("{}: its content does not hash to {sha256}", path.display());
                    return Err(Error::Storage { op: "read upload source".into(), reason });
                }
                Ok((Reader::File { file, length }, length))
            }
        }
    }

    /// The `len` bytes from `offset` (the caller keeps both within the length), checksummed
    /// with `checksum`: a first pass over the bytes, before the body streams them again.
    pub async fn chunk(&self, offset: u64, len: u64, checksum: Option<Checksum>) -> Result<Chunk, Error> {
        match self {
            Reader::Bytes(bytes) => {
                let range = usize::try_from(offset)
                    .ok()
                    .zip(usize::try_from(offset.saturating_add(len)).ok())
                    .filter(|&(start, end)| start <= end && end <= bytes.len())
                    .ok_or_else(|| out_of_range(offset, len))?;
                let slice = bytes.slice(range.0..range.1);
                let checksum = checksum.map(|c| c.header(&slice[..])).transpose().map_err(|e| Error::storage("hash", e))?;
                Ok(Chunk { body: slice.into(), len, checksum })
            }
            Reader::File { file, length } => {
                unchanged(file, *length, offset)?;
                let range = Range { file: file.clone(), offset, remaining: len };
                let checksum = match checksum {
                    Some(algorithm) => {
                        let range = range.clone();
                        Some(blocking("hash upload source", move || algorithm.header(range)).await?)
                    }
                    None => None,
                };
                let stream = ReaderStream::with_capacity(RangeReader { range: Some(range), pending: None, ready: Bytes::new() }, READ_BUF);
                Ok(Chunk { body: reqwest::Body::wrap_stream(stream), len, checksum })
            }
        }
    }
}

/// Refuses a file whose length changed since the upload began: its bytes no longer match the
/// SHA-256 the upload announced.
fn unchanged(file: &File, length: u64, offset: u64) -> Result<(), Error> {
    let now = file.metadata().map_err(|e| Error::storage("stat upload source", e))?.len();
    if now != length {
        return Err(Error::Storage {
            op: "read upload source".into(),
            reason: format!("the file changed size during the upload ({length} → {now} bytes) at offset {offset}"),
        });
    }
    Ok(())
}

/// Runs blocking file work on the blocking pool.
async fn blocking<T: Send + 'static>(op: &str, work: impl FnOnce() -> io::Result<T> + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(work).await.map_err(|e| Error::storage(op, e))?.map_err(|e| Error::storage(op, e))
}

/// `remaining` bytes of a file from `offset`, read with positional reads; a file that ends
/// before them is [`io::ErrorKind::UnexpectedEof`].
#[derive(Clone)]
struct Range {
    file: Arc<File>,
    offset: u64,
    remaining: u64,
}

impl Read for Range {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf.len().min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(&self.file, &mut buf[..want], self.offset)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.offset += n as u64;
        self.remaining -= n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

/// A [`Range`] as an async reader: each step of up to [`READ_BUF`] bytes is read on the
/// blocking pool.
struct RangeReader {
    /// `None` while a step holds it.
    range: Option<Range>,
    pending: Option<JoinHandle<io::Result<(Range, Vec<u8>)>>>,
    /// Bytes read but not yet handed out.
    ready: Bytes,
}

impl AsyncRead for RangeReader {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        loop {
            if !self.ready.is_empty() {
                let n = self.ready.len().min(buf.remaining());
                buf.put_slice(&self.ready.split_to(n));
                return Poll::Ready(Ok(()));
            }
            if let Some(pending) = self.pending.as_mut() {
                let (range, step) = ready!(Pin::new(pending).poll(cx)).map_err(io::Error::other)??;
                self.pending = None;
                self.range = Some(range);
                self.ready = step.into();
                continue;
            }
            match self.range.take() {
                Some(mut range) if range.remaining > 0 => {
                    self.pending = Some(tokio::task::spawn_blocking(move || {
                        let mut step = vec![0u8; READ_BUF.min(usize::try_from(range.remaining).unwrap_or(READ_BUF))];
                        range.read_exact(&mut step)?;
                        Ok((range, step))
                    }));
                }
                _ => return Poll::Ready(Ok(())),
            }
        }
    }
}

fn out_of_range(offset: u64, len: u64) -> Error {
    Error::Storage { op: "read upload source".into(), reason: format!("{len} bytes at {offset} out of range") }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::Arc;

    use super::*;

    async fn collect(chunk: Chunk) -> Vec<u8> {
        use http_body_util::BodyExt;
        chunk.body.collect().await.unwrap().to_bytes().to_vec()
    }

    #[tokio::test]
    async fn file_and_bytes_chunks_agree() {
        let data: Vec<u8> = (0..READ_BUF * 3 + 17).map(|i| (i * 31 % 251) as u8).collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&data).unwrap();
        let from_file = Reader::open(&Source::Path(file.path().into())).await.unwrap();
        let from_bytes = Reader::open(&Source::Bytes(Arc::from(data.clone()))).await.unwrap();
        assert_eq!((from_file.1, from_bytes.1), (data.len() as u64, data.len() as u64));
        for (offset, len) in [(0, 0), (0, 1), (5, READ_BUF as u64 + 3), (READ_BUF as u64 * 2, data.len() as u64 - READ_BUF as u64 * 2)] {
            let want = &data[offset as usize..(offset + len) as usize];
            for reader in [&from_file.0, &from_bytes.0] {
                let chunk = reader.chunk(offset, len, Some(Checksum::Sha256)).await.unwrap();
                assert_eq!(chunk.checksum.as_deref(), Some(Checksum::Sha256.header(want).unwrap().as_str()));
                assert_eq!(chunk.len, len);
                assert_eq!(collect(chunk).await, want);
            }
        }
        assert!(matches!(from_bytes.0.chunk(data.len() as u64, 1, None).await, Err(Error::Storage { .. })));
    }

    #[tokio::test]
    async fn a_hashed_file_streams_only_when_it_hashes_to_its_sha256() {
        let data: Vec<u8> = (0..READ_BUF * 2 + 5).map(|i| (i * 7 % 253) as u8).collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&data).unwrap();
        let sha256 = crate::hash::sha256_hex(&data);
        let (reader, length) = Reader::open(&Source::Hashed { path: file.path().into(), sha256: sha256.clone() }).await.unwrap();
        assert_eq!(length, data.len() as u64);
        assert!(matches!(reader, Reader::File { .. }), "streamed from the file, not read into memory");
        assert_eq!(collect(reader.chunk(0, length, None).await.unwrap()).await, data);

        let other = crate::hash::sha256_hex(b"other");
        let err = Reader::open(&Source::Hashed { path: file.path().into(), sha256: other }).await.err().unwrap();
        assert!(matches!(&err, Error::Storage { reason, .. } if reason.contains("does not hash")), "{err:?}");
        #[cfg(unix)]
        {
            let dir = tempfile::tempdir().unwrap();
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(file.path(), &link).unwrap();
            for source in [Source::Path(link.clone()), Source::Hashed { path: link.clone(), sha256 }] {
                let err = Reader::open(&source).await.err().unwrap();
                assert!(matches!(&err, Error::NotAFile { kind, .. } if kind == "symlink"), "{err:?}");
            }
        }
    }

    #[tokio::test]
    async fn a_file_that_changes_size_is_refused() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"0123456789").unwrap();
        let (reader, _) = Reader::open(&Source::Path(file.path().into())).await.unwrap();
        file.write_all(b"more").unwrap();
        for checksum in [None, Some(Checksum::Sha1)] {
            let err = reader.chunk(0, 10, checksum).await.err().unwrap();
            assert!(matches!(&err, Error::Storage { reason, .. } if reason.contains("changed size")), "{err:?}");
        }
    }
}
