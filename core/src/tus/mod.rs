//! Resumable uploads with the tus 1.0.0 protocol (<https://tus.io/protocols/resumable-upload>).
//!
//! [`TusClient`] talks to one creation endpoint and caches what the server supports;
//! [`upload_file`] sends one file in chunks, resuming from whatever offset the server
//! confirms, and tells the host through [`TransferHooks`] what to persist. Failures are
//! sorted by the HTTP status ([`response`]): 404/410 start a new upload, 409 re-reads the
//! offset, other 4xx end with [`Error::UploadRejected`](crate::Error::UploadRejected), and 5xx,
//! 429, timeouts, dropped connections and PATCHes the server confirms only in part are retried
//! with backoff until [`Error::UploadFailed`](crate::Error::UploadFailed). Answers the protocol
//! forbids end with [`Error::ProtocolViolation`](crate::Error::ProtocolViolation), upload URLs
//! off the trusted origins with [`Error::UploadUrlRefused`](crate::Error::UploadUrlRefused).

mod body;
mod caps;
mod headers;
pub mod response;
mod retry;
mod transfer;
mod client;

use std::time::Duration;

pub use body::Source;
pub use caps::ServerCaps;
pub use client::TusClient;
pub use transfer::{upload_file, Resume, TransferHooks, Transferred, SEND_ALLOWANCE};

/// How uploads are chunked, retried and timed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadConfig {
    /// Bytes of the first PATCH request, and of the one after any failure. The 1 MiB default
    /// loses at most 1 MiB of work when a mobile connection drops mid-request. 0 counts as 1.
    pub chunk_size: usize,
    /// Chunks double while each is confirmed within a second, up to this; it bounds the bytes a
    /// dropped connection can waste. Default 8 MiB; equal to `chunk_size` for fixed chunks.
    /// Memory does not grow with it: a chunk streams from the file as it is sent.
    pub max_chunk_size: usize,
    /// Failed attempts in a row (without new bytes confirmed) before giving up. Default 8.
    pub max_attempts: u32,
    /// Time spent failing in a row (without new bytes confirmed) before giving up. Default 10 min.
    pub max_elapsed: Duration,
    /// The first backoff ceiling; it doubles per failure. Default 500 ms.
    pub base_delay: Duration,
    /// The largest backoff ceiling (a server's `Retry-After` may ask for longer). Default 30 s.
    pub max_delay: Duration,
    /// How long a response may stay silent (connection idle) before the request fails;
    /// request bodies get extra time in proportion to their size. Default 30 s.
    pub request_timeout: Duration,
    /// Origins (`https://host[:port]`) besides the endpoint's where the server may place
    /// uploads (its `Location`). Any other origin is refused, and an upload stored on one is
    /// started afresh at the endpoint. Default: none.
    pub allowed_origins: Vec<String>,
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            chunk_size: 1024 * 1024,
            max_chunk_size: 8 * 1024 * 1024,
            max_attempts: 8,
            max_elapsed: Duration::from_secs(600),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
            allowed_origins: Vec::new(),
        }
    }
}

impl UploadConfig {
    /// This configuration with every chunk `fixed` bytes (`chunk_size` and `max_chunk_size`
    /// both), as a host's fixed chunk size asks; `None` keeps it as it is.
    pub fn with_fixed_chunks(self, fixed: Option<usize>) -> UploadConfig {
        match fixed {
            Some(fixed) => UploadConfig { chunk_size: fixed, max_chunk_size: fixed, ..self },
            None => self,
        }
    }
}
