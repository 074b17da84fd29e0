//! The tus 1.0.0 requests (core protocol plus the creation, creation-with-upload, checksum and
//! termination extensions) over one `reqwest::Client`; [`response`] reads their answers.

use std::time::Duration;

use reqwest::header::{HeaderMap, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder, Response};
use tokio::sync::OnceCell;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::body::Chunk;
use super::caps::ServerCaps;
use super::response::{self, Created, Failure, Position, Trust, TUS_VERSION};
use super::retry::{Budget, RetryPolicy};
use super::UploadConfig;
use crate::date::unix_now;
use crate::{Error, FailureKind};

const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Slowest upload rate a request body is given time for, on top of the read timeout.
const MIN_BYTES_PER_SEC: u64 = 8 * 1024;
/// Bytes of an error response body quoted in a rejection reason.
const SNIPPET_LEN: usize = 200;

/// A tus client for one creation endpoint.
#[derive(Debug)]
pub struct TusClient {
    trust: Trust,
    http: reqwest::Client,
    pub(super) config: UploadConfig,
    caps: OnceCell<ServerCaps>,
}

impl Failure {
    /// Counts this failure against `budget` and waits out the backoff, unless it is final.
    pub(super) async fn absorb(self, budget: &mut Budget, cancel: &CancellationToken) -> Result<(), Error> {
        match self {
            Failure::Fatal(e) => Err(e),
            Failure::Reject { status, reason } => Err(Error::UploadRejected { status: status.into(), reason }),
            Failure::Retry { kind, reason, retry_after, .. } => budget.wait(kind, reason, retry_after, cancel).await,
            Failure::Conflict => budget.wait(FailureKind::Server, "PATCH: HTTP 409 offset conflict".into(), None, cancel).await,
            Failure::Gone(reason) => budget.wait(FailureKind::Server, reason, None, cancel).await,
            Failure::Protocol(reason) => {
                budget.protocol_error(&reason)?;
                budget.wait(FailureKind::Server, reason, None, cancel).await
            }
        }
    }
}

impl TusClient {
    /// A client for the tus creation `endpoint` (http or https), sending to upload URLs on the
    /// endpoint's origin or on one of the config's `allowed_origins`.
    pub fn new(endpoint: &str, config: UploadConfig) -> Result<TusClient, Error> {
        let trust = Trust::new(endpoint, &config.allowed_origins)?;
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hexin/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::InvalidEndpoint { reason: chain(&e) })?;
        Ok(TusClient { trust, http, config, caps: OnceCell::new() })
    }

    /// Deletes an upload (termination extension). Does nothing when the server does not offer
    /// termination, when the upload is already gone, or when `url` is not on a trusted origin
    /// (an upload stored under an earlier endpoint): no request goes there.
    pub async fn terminate(&self, url: &str) -> Result<(), Error> {
        let Some(url) = self.trust.stored(url) else { return Ok(()) };
        let cancel = CancellationToken::new();
        let mut budget = Budget::new(self.retry_policy());
        if !self.caps_within(&mut budget, &cancel).await?.supports("termination") {
            return Ok(());
        }
        loop {
            match self.delete(&url).await {
                Ok(()) | Err(Failure::Gone(_)) => return Ok(()),
                Err(failure) => failure.absorb(&mut budget, &cancel).await?,
            }
        }
    }

    pub(super) fn retry_policy(&self) -> RetryPolicy {
        let c = &self.config;
        RetryPolicy { max_attempts: c.max_attempts, max_elapsed: c.max_elapsed, base: c.base_delay, cap: c.max_delay }
    }

    /// Where upload URLs may lead.
    pub(super) fn trust(&self) -> &Trust {
        &self.trust
    }

    /// Whether an upload stored at `url` may be continued, or counted as done, with this
    /// client: it is on the endpoint's origin or an allowed one, without credentials.
    pub fn may_resume(&self, url: &str) -> bool {
        self.trust.stored(url).is_some()
    }

    /// What the server supports: discovered once with `OPTIONS` (retried within `budget`) and
    /// cached.
    pub(super) async fn caps_within(
        &self,
        budget: &mut Budget,
        cancel: &CancellationToken,
    ) -> Result<&ServerCaps, Error> {
        loop {
            if let Some(caps) = self.caps.get() {
                return Ok(caps);
            }
            let result = tokio::select! {
                _ = cancel.cancelled() => return Err(Error::UploadCancelled),
                result = self.options() => result,
            };
            match result {
                Ok(caps) => {
                    let _ = self.caps.set(caps);
                }
                Err(failure) => failure.absorb(budget, cancel).await?,
            }
        }
    }

    async fn options(&self) -> Result<ServerCaps, Failure> {
        let request = self.http.request(Method::OPTIONS, self.trust.endpoint().clone());
        self.exchange(request, 0, response::options).await
    }

    /// POST: creates an upload of `length` bytes, sending `first` in the same request
    /// (creation-with-upload) when given.
    pub(super) async fn create(&self, length: u64, metadata: &str, first: Option<Chunk>) -> Result<Created, Failure> {
        let mut request = self.tus(Method::POST, self.trust.endpoint().clone()).header("upload-length", length);
        if !metadata.is_empty() {
            request = request.header("upload-metadata", metadata);
        }
        let sent = first.as_ref().map_or(0, |chunk| chunk.len);
        if let Some(chunk) = first {
            request = with_body(request.header(CONTENT_TYPE, OFFSET_OCTET_STREAM), chunk);
        }
        self.exchange(request, sent, |status, h, now| response::created(&self.trust, sent, status, h, now)).await
    }

    /// HEAD: where the server is with the upload at `url`, which must be `length` bytes long.
    pub(super) async fn head(&self, url: &Url, length: u64) -> Result<Position, Failure> {
        let request = self.tus(Method::HEAD, url.clone()).header(CACHE_CONTROL, "no-store");
        self.exchange(request, 0, |status, h, now| response::head(length, status, h, now)).await
    }

    /// PATCH: appends `chunk` at `offset`.
    pub(super) async fn patch(&self, url: &Url, offset: u64, chunk: Chunk) -> Result<Position, Failure> {
        let len = chunk.len;
        let request = self
            .tus(Method::PATCH, url.clone())
            .header("upload-offset", offset)
            .header(CONTENT_TYPE, OFFSET_OCTET_STREAM);
        self.exchange(with_body(request, chunk), len, |status, h, now| response::patched(offset, len, status, h, now)).await
    }

    async fn delete(&self, url: &Url) -> Result<(), Failure> {
        self.exchange(self.tus(Method::DELETE, url.clone()), 0, response::deleted).await
    }

    fn tus(&self, method: Method, url: Url) -> RequestBuilder {
        self.http.request(method, url).header("tus-resumable", TUS_VERSION)
    }

    /// Sends `request` and reads its answer with `interpret`, from the status and headers
    /// alone. The body is dropped unread (closing the connection if the server sent one),
    /// except for a bounded snippet quoted in a rejection.
    async fn exchange<T>(
        &self,
        request: RequestBuilder,
        body_len: u64,
        interpret: impl FnOnce(u16, &HeaderMap, i64) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let response = self.send(request, body_len).await?;
        let answer = interpret(response.status().as_u16(), response.headers(), unix_now());
        match answer {
            Err(Failure::Reject { status, reason }) => {
                let reason = format!("{reason} {}", snippet(response).await).trim_end().to_string();
                Err(Failure::Reject { status, reason })
            }
            other => other,
        }
    }

    /// Sends with a total deadline that grows with the body, so a large chunk on a slow link
    /// is not cut off while a stalled one still is.
    async fn send(&self, request: RequestBuilder, body_len: u64) -> Result<Response, Failure> {
        let upload_time = Duration::from_secs(body_len / MIN_BYTES_PER_SEC);
        let deadline = self.config.request_timeout.saturating_add(upload_time);
        request.timeout(deadline).send().await.map_err(|e| {
            if e.is_builder() {
                Failure::Fatal(Error::InvalidEndpoint { reason: chain(&e) })
            } else {
                Failure::Retry { kind: FailureKind::Network, reason: chain(&e), retry_after: None, unsent: e.is_connect() }
            }
        })
    }
}

/// Attaches a chunk with its length (a streamed body would otherwise go chunked, which tus
/// servers need not accept) and its checksum.
fn with_body(mut request: RequestBuilder, chunk: Chunk) -> RequestBuilder {
    if let Some(checksum) = chunk.checksum {
        request = request.header("upload-checksum", checksum);
    }
    request.header(CONTENT_LENGTH, chunk.len).body(chunk.body)
}

/// The start of an error body, as printable text; bounded in size and time.
async fn snippet(mut response: Response) -> String {
    let mut bytes = Vec::new();
    let read = async {
        while bytes.len() < SNIPPET_LEN {
            match response.chunk().await {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk[..chunk.len().min(SNIPPET_LEN - bytes.len())]),
                _ => break,
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), read).await;
    String::from_utf8_lossy(&bytes).chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// An error with its sources, e.g. `error sending request: connection refused`.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}
