//! Request bodies: a chunk of the source streamed from disk while it is sent, so reading and
//! sending overlap and no chunk is ever held whole in memory.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::caps::Checksum;
use crate::Error;

/// The bytes to upload.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file, streamed from disk chunk by chunk; it must not change while uploading.
    Path(PathBuf),
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
    /// A file of `length` bytes, reopened for every chunk: a request body owns its reader, and
    /// a retry starts from a fresh one.
    File { path: PathBuf, length: u64 },
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
                let length = tokio::fs::metadata(path).await.map_err(|e| Error::storage("stat upload source", e))?.len();
                Ok((Reader::File { path: path.clone(), length }, length))
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
            Reader::File { path, length } => {
                let checksum = match checksum {
                    Some(algorithm) => Some(hash_range(path.clone(), *length, offset, len, algorithm).await?),
                    None => None,
                };
                let mut file = open_at(path, *length, offset).await?;
                file.seek(SeekFrom::Start(offset)).await.map_err(|e| Error::storage("seek upload source", e))?;
                let stream = ReaderStream::with_capacity(file.take(len), READ_BUF);
                Ok(Chunk { body: reqwest::Body::wrap_stream(stream), len, checksum })
            }
        }
    }
}

/// Opens the file, refusing one whose length changed since the upload began: its bytes no
/// longer match the SHA-256 the upload announced.
async fn open_at(path: &Path, length: u64, offset: u64) -> Result<tokio::fs::File, Error> {
    let (file, now) = crate::input::open_regular(path, u64::MAX)?;
    let file = tokio::fs::File::from_std(file);
    if now != length {
        return Err(Error::Storage {
            op: "read upload source".into(),
            reason: format!("the file changed size during the upload ({length} → {now} bytes) at offset {offset}"),
        });
    }
    Ok(file)
}

/// The checksum header of `len` bytes at `offset`, read on the blocking pool.
async fn hash_range(path: PathBuf, length: u64, offset: u64, len: u64, algorithm: Checksum) -> Result<String, Error> {
    let file = open_at(&path, length, offset).await?.into_std().await;
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        file.seek(SeekFrom::Start(offset))?;
        let mut range = file.take(len);
        let header = algorithm.header(&mut range)?;
        match range.limit() {
            0 => Ok(header),
            _ => Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)),
        }
    })
    .await
    .map_err(|e| Error::storage("hash upload source", e))?
    .map_err(|e| Error::storage("hash upload source", e))
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
