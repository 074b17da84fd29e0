//! The tus 1.0.0 requests (core protocol plus the creation, creation-with-upload, checksum and
//! termination extensions) over one `reqwest::Client`, and how their failures are classified.

use std::io::{Read, Write};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use reqwest::header::{HeaderMap, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::body::Chunk;
use super::headers;
use super::retry::{Budget, RetryPolicy};
use super::UploadConfig;
use crate::date::unix_now;
use crate::Error;

const TUS_VERSION: &str = "1.0.0";
const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Slowest upload rate a request body is given time for, on top of the read timeout.
const MIN_BYTES_PER_SEC: u64 = 8 * 1024;
/// Bytes of an error response body quoted in a rejection reason.
const SNIPPET_LEN: usize = 200;

/// What a tus server says it supports, from its `OPTIONS` response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCaps {
    /// The preferred protocol version (first of `Tus-Version`).
    pub version: String,
    /// `Tus-Extension`, e.g. `creation`, `creation-with-upload`, `checksum`, `termination`.
    pub extensions: Vec<String>,
    /// `Tus-Max-Size`, the largest upload the server accepts.
    pub max_size: Option<u64>,
    /// `Tus-Checksum-Algorithm`.
    pub checksum_algorithms: Vec<String>,
}

impl ServerCaps {
    /// Whether the server lists `extension`.
    pub fn supports(&self, extension: &str) -> bool {
        self.extensions.iter().any(|e| e == extension)
    }

    /// The algorithm for PATCH bodies' `Upload-Checksum`: SHA-256 when offered, else SHA-1.
    pub(super) fn checksum(&self) -> Option<Checksum> {
        let offers = |name: &str| self.checksum_algorithms.iter().any(|a| a.eq_ignore_ascii_case(name));
        if !self.supports("checksum") {
            None
        } else if offers("sha256") {
            Some(Checksum::Sha256)
        } else if offers("sha1") {
            Some(Checksum::Sha1)
        } else {
            None
        }
    }
}

/// A checksum extension algorithm hexin sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Checksum {
    Sha256,
    Sha1,
}

impl Checksum {
    /// The `Upload-Checksum` header value for the bytes `chunk` yields.
    pub(super) fn header(self, mut chunk: impl Read) -> std::io::Result<String> {
        fn digest<D: Digest + Write>(mut hasher: D, chunk: &mut impl Read) -> std::io::Result<String> {
            std::io::copy(chunk, &mut hasher)?;
            Ok(BASE64.encode(hasher.finalize()))
        }
        Ok(match self {
            Checksum::Sha256 => format!("sha256 {}", digest(Sha256::new(), &mut chunk)?),
            Checksum::Sha1 => format!("sha1 {}", digest(sha1::Sha1::new(), &mut chunk)?),
        })
    }
}

/// A tus client for one creation endpoint.
#[derive(Debug)]
pub struct TusClient {
    endpoint: Url,
    http: reqwest::Client,
    pub(super) config: UploadConfig,
    caps: OnceCell<ServerCaps>,
}

/// Why a request did not succeed, sorted by what to do next.
#[derive(Debug)]
pub(super) enum Failure {
    /// Worth another attempt after a backoff. `unsent`: no body byte left the device.
    Retry { reason: String, retry_after: Option<Duration>, unsent: bool },
    /// 409 on PATCH: the offsets disagree; ask the server with HEAD.
    Conflict,
    /// The upload URL no longer leads to this upload (404, 410, a different length).
    Gone(String),
    /// A success response that breaks the protocol (offset missing or out of range).
    Protocol(String),
    /// Final: retrying cannot help.
    Fatal(Error),
}

impl Failure {
    /// Counts this failure against `budget` and waits out the backoff, unless it is final.
    pub(super) async fn absorb(self, budget: &mut Budget, cancel: &CancellationToken) -> Result<(), Error> {
        match self {
            Failure::Fatal(e) => Err(e),
            Failure::Retry { reason, retry_after, .. } => budget.wait(reason, retry_after, cancel).await,
            Failure::Conflict => budget.wait("PATCH: HTTP 409 offset conflict".into(), None, cancel).await,
            Failure::Gone(reason) => budget.wait(reason, None, cancel).await,
            Failure::Protocol(reason) => {
                budget.protocol_error(&reason)?;
                budget.wait(reason, None, cancel).await
            }
        }
    }
}

/// How a non-2xx status is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Retry,
    Conflict,
    Gone,
    Reject,
}

/// 404 and 410 mean the upload is gone; 409 an offset conflict; 408, 429 and 5xx are
/// transient; every other status (other 4xx, unfollowed 3xx) is a final rejection.
pub(super) fn classify(status: StatusCode) -> Class {
    match status.as_u16() {
        404 | 410 => Class::Gone,
        409 => Class::Conflict,
        408 | 429 | 500..=599 => Class::Retry,
        _ => Class::Reject,
    }
}

/// The result of a creation request.
#[derive(Debug)]
pub(super) struct Created {
    pub url: Url,
    /// The offset after a creation-with-upload body; `None` when the server gave none usable.
    pub offset: Option<u64>,
    pub expires: Option<i64>,
}

/// The server's view of an upload, from HEAD or PATCH.
#[derive(Debug)]
pub(super) struct Position {
    pub offset: u64,
    pub expires: Option<i64>,
}

impl TusClient {
    /// A client for the tus creation `endpoint` (http or https).
    pub fn new(endpoint: &str, config: UploadConfig) -> Result<TusClient, Error> {
        let endpoint = Url::parse(endpoint).map_err(|e| Error::InvalidEndpoint { reason: e.to_string() })?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(Error::InvalidEndpoint {
                reason: format!("scheme {:?}: only http and https", endpoint.scheme()),
            });
        }
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hexin/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::InvalidEndpoint { reason: chain(&e) })?;
        Ok(TusClient { endpoint, http, config, caps: OnceCell::new() })
    }

    /// How this client chunks, retries and times out.
    pub fn config(&self) -> &UploadConfig {
        &self.config
    }

    /// What the server supports; discovered once with `OPTIONS` (retried per the config) and cached.
    pub async fn caps(&self) -> Result<ServerCaps, Error> {
        let mut budget = Budget::new(self.retry_policy());
        self.caps_within(&mut budget, &CancellationToken::new()).await.cloned()
    }

    /// Deletes an upload (termination extension). Does nothing when the server does not offer
    /// termination, or when the upload is already gone.
    pub async fn terminate(&self, url: &str) -> Result<(), Error> {
        let cancel = CancellationToken::new();
        let mut budget = Budget::new(self.retry_policy());
        if !self.caps_within(&mut budget, &cancel).await?.supports("termination") {
            return Ok(());
        }
        let url = self.upload_url(url).map_err(|reason| Error::InvalidEndpoint { reason })?;
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

    /// The cached capabilities, discovering them first if needed.
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

    /// A stored or returned upload URL, resolved against the endpoint; http(s) only, and
    /// never a downgrade from an https endpoint.
    pub(super) fn upload_url(&self, location: &str) -> Result<Url, String> {
        let url = self.endpoint.join(location).map_err(|e| format!("upload URL {location:?}: {e}"))?;
        match (self.endpoint.scheme(), url.scheme()) {
            ("https", "https") | ("http", "http" | "https") => Ok(url),
            (_, scheme) => Err(format!("upload URL scheme {scheme:?} is not allowed for this endpoint")),
        }
    }

    async fn options(&self) -> Result<ServerCaps, Failure> {
        let response = self.send(self.http.request(Method::OPTIONS, self.endpoint.clone()), 0).await?;
        let response = check(response, "OPTIONS").await.map_err(|f| match f {
            Failure::Gone(reason) => Failure::Fatal(Error::InvalidEndpoint { reason }),
            Failure::Conflict => Failure::Fatal(Error::InvalidEndpoint { reason: "OPTIONS: HTTP 409".into() }),
            other => other,
        })?;
        parse_caps(response.headers()).map_err(|reason| Failure::Fatal(Error::InvalidEndpoint { reason }))
    }

    /// POST: creates an upload of `length` bytes, sending `first` in the same request
    /// (creation-with-upload) when given.
    pub(super) async fn create(&self, length: u64, metadata: &str, first: Option<Chunk>) -> Result<Created, Failure> {
        let mut request = self.tus(Method::POST, self.endpoint.clone()).header("upload-length", length);
        if !metadata.is_empty() {
            request = request.header("upload-metadata", metadata);
        }
        let sent = first.as_ref().map_or(0, |chunk| chunk.len);
        if let Some(chunk) = first {
            request = with_body(request.header(CONTENT_TYPE, OFFSET_OCTET_STREAM), chunk);
        }
        let response = self.send(request, sent).await?;
        let response = check(response, "POST").await.map_err(|f| match f {
            Failure::Gone(reason) => reject(StatusCode::NOT_FOUND, reason),
            Failure::Conflict => reject(StatusCode::CONFLICT, "POST: HTTP 409".into()),
            other => other,
        })?;
        if response.status() != StatusCode::CREATED {
            return Err(Failure::Protocol(format!(
                "POST answered {} instead of 201 Created",
                response.status().as_u16()
            )));
        }
        let headers = response.headers();
        let location = headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(str::trim).unwrap_or_default();
        if location.is_empty() {
            return Err(Failure::Protocol("POST: 201 without a Location".into()));
        }
        let url = self.upload_url(location).map_err(Failure::Protocol)?;
        let offset = if sent > 0 { headers::number(headers, "upload-offset").filter(|&o| o <= sent) } else { Some(0) };
        Ok(Created { url, offset, expires: headers::expires(headers) })
    }

    /// HEAD: where the server is with the upload at `url`, which must be `length` bytes long.
    /// 403 is read as "not found", as the protocol allows servers to answer.
    pub(super) async fn head(&self, url: &Url, length: u64) -> Result<Position, Failure> {
        let request = self.tus(Method::HEAD, url.clone()).header(CACHE_CONTROL, "no-store");
        let response = self.send(request, 0).await?;
        if response.status() == StatusCode::FORBIDDEN {
            return Err(Failure::Gone("HEAD: HTTP 403".into()));
        }
        let response = check(response, "HEAD").await?;
        let headers = response.headers();
        let Some(offset) = headers::number(headers, "upload-offset") else {
            return Err(Failure::Protocol("HEAD: missing or malformed Upload-Offset".into()));
        };
        match headers::number(headers, "upload-length") {
            None => return Err(Failure::Protocol("HEAD: missing or malformed Upload-Length".into())),
            Some(theirs) if theirs != length => {
                return Err(Failure::Gone(format!("HEAD: the upload is {theirs} bytes long, this file {length}")));
            }
            Some(_) => {}
        }
        if offset > length {
            return Err(Failure::Protocol(format!("HEAD: Upload-Offset {offset} exceeds Upload-Length {length}")));
        }
        Ok(Position { offset, expires: headers::expires(headers) })
    }

    /// PATCH: appends `chunk` at `offset`. The new offset may be short of the chunk's end
    /// (partial progress) but never before `offset` or past the end.
    pub(super) async fn patch(&self, url: &Url, offset: u64, chunk: Chunk) -> Result<Position, Failure> {
        let len = chunk.len;
        let request = self
            .tus(Method::PATCH, url.clone())
            .header("upload-offset", offset)
            .header(CONTENT_TYPE, OFFSET_OCTET_STREAM);
        let response = self.send(with_body(request, chunk), len).await?;
        let response = check(response, "PATCH").await?;
        let headers = response.headers();
        match headers::number(headers, "upload-offset") {
            Some(new) if (offset..=offset.saturating_add(len)).contains(&new) => {
                Ok(Position { offset: new, expires: headers::expires(headers) })
            }
            Some(new) => {
                Err(Failure::Protocol(format!("PATCH at {offset} of {len} bytes answered Upload-Offset {new}")))
            }
            None => Err(Failure::Protocol("PATCH: missing or malformed Upload-Offset".into())),
        }
    }

    async fn delete(&self, url: &Url) -> Result<(), Failure> {
        let response = self.send(self.tus(Method::DELETE, url.clone()), 0).await?;
        check(response, "DELETE").await.map(drop)
    }

    fn tus(&self, method: Method, url: Url) -> RequestBuilder {
        self.http.request(method, url).header("tus-resumable", TUS_VERSION)
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
                Failure::Retry { reason: chain(&e), retry_after: None, unsent: e.is_connect() }
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

/// Passes a 2xx response through; turns any other into its [`Failure`].
async fn check(response: Response, what: &str) -> Result<Response, Failure> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let reason = format!("{what}: HTTP {}", status.as_u16());
    Err(match classify(status) {
        Class::Gone => Failure::Gone(reason),
        Class::Conflict => Failure::Conflict,
        Class::Retry => {
            Failure::Retry { reason, retry_after: headers::retry_after(response.headers(), unix_now()), unsent: false }
        }
        Class::Reject => reject(status, format!("{reason} {}", snippet(response).await)),
    })
}

fn reject(status: StatusCode, reason: String) -> Failure {
    Failure::Fatal(Error::UploadRejected { status: status.as_u16(), reason: reason.trim_end().to_string() })
}

/// Reads the capabilities from an OPTIONS response; tus 1.0.0 with `creation` is required.
pub(super) fn parse_caps(h: &HeaderMap) -> Result<ServerCaps, String> {
    let versions = headers::list(h, "tus-version");
    if !versions.iter().any(|v| v == TUS_VERSION) {
        return Err(format!("the server does not speak tus {TUS_VERSION} (Tus-Version: {versions:?})"));
    }
    let extensions = headers::list(h, "tus-extension");
    if !extensions.iter().any(|e| e == "creation") {
        return Err("the server does not offer the tus creation extension".into());
    }
    Ok(ServerCaps {
        version: versions[0].clone(),
        extensions,
        max_size: headers::number(h, "tus-max-size"),
        checksum_algorithms: headers::list(h, "tus-checksum-algorithm"),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn statuses() {
        let class = |s: u16| classify(StatusCode::from_u16(s).unwrap());
        assert_eq!(class(404), Class::Gone);
        assert_eq!(class(410), Class::Gone);
        assert_eq!(class(409), Class::Conflict);
        for s in [408, 429, 500, 502, 503, 504, 599] {
            assert_eq!(class(s), Class::Retry, "{s}");
        }
        for s in [301, 307, 400, 401, 403, 412, 413, 415, 460, 499] {
            assert_eq!(class(s), Class::Reject, "{s}");
        }
    }

    fn map(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.parse().unwrap(), HeaderValue::from_static(v))).collect()
    }

    #[test]
    fn capabilities() {
        let caps = parse_caps(&map(&[
            ("tus-version", "1.0.0,0.2.2"),
            ("tus-extension", "creation,creation-with-upload,checksum,termination"),
            ("tus-max-size", "1073741824"),
            ("tus-checksum-algorithm", "sha1,SHA256"),
        ]))
        .unwrap();
        assert_eq!(caps.version, "1.0.0");
        assert!(
            caps.supports("creation-with-upload") && caps.supports("termination") && !caps.supports("concatenation")
        );
        assert_eq!(caps.max_size, Some(1 << 30));
        assert_eq!(caps.checksum(), Some(Checksum::Sha256));
        let sha1_only = ServerCaps { checksum_algorithms: vec!["sha1".into(), "md5".into()], ..caps.clone() };
        assert_eq!(sha1_only.checksum(), Some(Checksum::Sha1));
        // RFC 3174's "abc": a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d.
        assert_eq!(Checksum::Sha1.header(&b"abc"[..]).unwrap(), "sha1 qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
        assert_eq!(
            Checksum::Sha256.header(&b"abc"[..]).unwrap(),
            "sha256 ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );

        let bare = parse_caps(&map(&[("tus-version", "1.0.0"), ("tus-extension", "creation"), ("tus-max-size", "-1")]))
            .unwrap();
        assert_eq!(bare.max_size, None);
        assert_eq!(bare.checksum(), None);

        assert!(parse_caps(&map(&[("tus-version", "0.2.2"), ("tus-extension", "creation")])).is_err());
        assert!(parse_caps(&map(&[("tus-version", "1.0.0"), ("tus-extension", "termination")])).is_err());
        assert!(parse_caps(&HeaderMap::new()).is_err());
    }

    #[test]
    fn endpoints_and_locations() {
        for bad in ["ftp://example.com/files", "file:///tmp/x", "not a url", "/files"] {
            let err = TusClient::new(bad, UploadConfig::default()).unwrap_err();
            assert!(matches!(err, Error::InvalidEndpoint { .. }), "{bad}: {err:?}");
        }
        let client = TusClient::new("https://up.example.com/files/", UploadConfig::default()).unwrap();
        assert_eq!(client.upload_url("abc").unwrap().as_str(), "https://up.example.com/files/abc");
        assert_eq!(client.upload_url("/other/abc").unwrap().as_str(), "https://up.example.com/other/abc");
        assert_eq!(client.upload_url("https://cdn.example.com/u/1").unwrap().as_str(), "https://cdn.example.com/u/1");
        assert!(client.upload_url("http://up.example.com/files/abc").is_err());
        assert!(client.upload_url("javascript:alert(1)").is_err());
        let plain = TusClient::new("http://127.0.0.1:1080/files", UploadConfig::default()).unwrap();
        assert!(plain.upload_url("https://127.0.0.1/files/x").is_ok());
    }
}
