//! What a tus server's answer means, decided from the status and the headers alone: pure
//! functions, one per request, so every answer a server can give is tested and fuzzed without
//! a network. No response body is read here; the caller reads at most a short snippet of a
//! rejection's body, and drops every other body unread.
//!
//! [`Trust`] says where upload URLs may lead: the endpoint's origin, and the origins the
//! configuration allows. A `Location` elsewhere, or one carrying credentials, is refused with
//! [`Error::UploadUrlRefused`]; a stored URL elsewhere is not resumed.

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::{Origin, Url};

use super::headers;
use super::caps::ServerCaps;
use crate::{Error, FailureKind};

/// The protocol version hexin speaks.
pub(super) const TUS_VERSION: &str = "1.0.0";

/// Why a request did not succeed, sorted by what to do next.
#[derive(Debug)]
pub enum Failure {
    /// Worth another attempt after a backoff. `unsent`: no body byte left the device.
    Retry { kind: FailureKind, reason: String, retry_after: Option<Duration>, unsent: bool },
    /// 409 on PATCH: the offsets disagree; ask the server with HEAD.
    Conflict,
    /// The upload URL no longer leads to this upload (404, 410, a different length).
    Gone(String),
    /// An answer the protocol forbids (offset missing or out of range, unusable `Location`).
    Protocol(String),
    /// A final refusal by status (other 4xx, an unfollowed 3xx); the caller may add a snippet
    /// of the body to `reason`.
    Reject { status: u16, reason: String },
    /// Final: retrying cannot help.
    Fatal(Error),
}

/// The result of a creation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The new upload's URL, on a trusted origin and without credentials.
    pub url: Url,
    /// The offset after a creation-with-upload body; `None` when the server gave none usable.
    pub offset: Option<u64>,
    pub expires: Option<i64>,
}

/// The server's view of an upload, from HEAD or PATCH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub offset: u64,
    pub expires: Option<i64>,
}

/// Where upload URLs may lead.
#[derive(Debug, Clone)]
pub struct Trust {
    endpoint: Url,
    allowed: Vec<Origin>,
}

impl Trust {
    /// The creation `endpoint` (http or https, without credentials: URLs here never carry
    /// them, so none is stored or sent as a header) and `allowed_origins` (e.g.
    /// `https://upload.example.com`), where the server may place uploads besides the
    /// endpoint's own origin.
    pub fn new(endpoint: &str, allowed_origins: &[String]) -> Result<Trust, Error> {
        let invalid = |reason: String| Error::InvalidEndpoint { reason };
        let endpoint = Url::parse(endpoint).map_err(|e| invalid(e.to_string()))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(invalid(format!("scheme {:?}: only http and https", endpoint.scheme())));
        }
        if has_credentials(&endpoint) {
            return Err(invalid("the endpoint URL carries credentials (user:pass@); they are not sent".into()));
        }
        let mut allowed = Vec::with_capacity(allowed_origins.len());
        for origin in allowed_origins {
            let url = Url::parse(origin).map_err(|e| invalid(format!("allowed origin {origin:?}: {e}")))?;
            let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
            if !matches!(url.scheme(), "http" | "https") || has_credentials(&url) || !bare {
                return Err(invalid(format!("allowed origin {origin:?}: only scheme://host[:port]")));
            }
            allowed.push(url.origin());
        }
        Ok(Trust { endpoint, allowed })
    }

    /// The creation endpoint.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// A `Location` from the server, resolved against the endpoint. Not a URL, or not http(s):
    /// [`Failure::Protocol`]. Credentials, a downgrade from https, or an origin that is neither
    /// the endpoint's nor allowed: [`Error::UploadUrlRefused`].
    pub fn location(&self, location: &str) -> Result<Url, Failure> {
        // The text is not quoted: it may hold credentials.
        let url = self.endpoint.join(location).map_err(|e| Failure::Protocol(format!("Location is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Failure::Protocol(format!("Location scheme {:?} is not http or https", url.scheme())));
        }
        self.admits(&url).map_err(|reason| Failure::Fatal(Error::UploadUrlRefused { reason }))?;
        Ok(url)
    }

    /// A stored upload URL, if uploads may continue there under this configuration; `None`
    /// starts the upload afresh at the endpoint (for instance after the endpoint changed).
    pub fn stored(&self, url: &str) -> Option<Url> {
        let url = Url::parse(url).ok()?;
        self.admits(&url).ok().map(|()| url)
    }

    fn admits(&self, url: &Url) -> Result<(), String> {
        if has_credentials(url) {
            return Err("the upload URL carries credentials (user:pass@); hexin never sends them".into());
        }
        if self.endpoint.scheme() == "https" && url.scheme() != "https" {
            return Err(format!("the upload URL uses {}, the endpoint https", url.scheme()));
        }
        let origin = url.origin();
        if origin != self.endpoint.origin() && !self.allowed.contains(&origin) {
            return Err(format!(
                "the upload URL is on {}, neither the endpoint's origin {} nor in allowed_origins",
                origin.ascii_serialization(),
                self.endpoint.origin().ascii_serialization()
            ));
        }
        Ok(())
    }
}

fn has_credentials(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

/// How a non-2xx status is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Retry,
    Conflict,
    Gone,
    Reject,
}

/// 404 and 410 mean the upload is gone; 409 an offset conflict; 408, 429 and 5xx are
/// transient; every other status (other 4xx, unfollowed 3xx, 1xx) is a final rejection.
fn classify(status: u16) -> Class {
    match status {
        404 | 410 => Class::Gone,
        409 => Class::Conflict,
        408 | 429 | 500..=599 => Class::Retry,
        _ => Class::Reject,
    }
}

/// The failure a non-2xx status means for `what`, at `now` (Unix seconds, for `Retry-After`);
/// `None` for 2xx.
fn failure(what: &str, status: u16, headers: &HeaderMap, now: i64) -> Option<Failure> {
    if (200..300).contains(&status) {
        return None;
    }
    let reason = format!("{what}: HTTP {status}");
    Some(match classify(status) {
        Class::Gone => Failure::Gone(reason),
        Class::Conflict => Failure::Conflict,
        Class::Retry => {
            let retry_after = headers::retry_after(headers, now);
            Failure::Retry { kind: FailureKind::Server, reason, retry_after, unsent: false }
        }
        Class::Reject => Failure::Reject { status, reason },
    })
}

/// OPTIONS: the server's capabilities; tus 1.0.0 with `creation` is required, and anything
/// else final ([`Error::InvalidEndpoint`]) except transient statuses.
pub fn options(status: u16, h: &HeaderMap, now: i64) -> Result<ServerCaps, Failure> {
    match failure("OPTIONS", status, h, now) {
        Some(Failure::Gone(reason)) => return Err(Failure::Fatal(Error::InvalidEndpoint { reason })),
        Some(Failure::Conflict) => return Err(Failure::Fatal(Error::InvalidEndpoint { reason: "OPTIONS: HTTP 409".into() })),
        Some(other) => return Err(other),
        None => {}
    }
    parse_caps(h).map_err(|reason| Failure::Fatal(Error::InvalidEndpoint { reason }))
}

/// POST: the new upload, which must be `201 Created` with one usable `Location`. `sent` is the
/// creation-with-upload body's length; an `Upload-Offset` beyond it is not believed.
pub fn created(trust: &Trust, sent: u64, status: u16, h: &HeaderMap, now: i64) -> Result<Created, Failure> {
    match failure("POST", status, h, now) {
        Some(Failure::Gone(reason)) => return Err(Failure::Reject { status, reason }),
        Some(Failure::Conflict) => return Err(Failure::Reject { status, reason: "POST: HTTP 409".into() }),
        Some(other) => return Err(other),
        None => {}
    }
    if status != 201 {
        return Err(Failure::Protocol(format!("POST answered {status} instead of 201 Created")));
    }
    let location = match headers::single(h, "location") {
        Some(location) if !location.is_empty() => location,
        _ => return Err(Failure::Protocol("POST: 201 without exactly one usable Location".into())),
    };
    let url = trust.location(location)?;
    let offset = if sent > 0 { headers::number(h, "upload-offset").filter(|&o| o <= sent) } else { Some(0) };
    Ok(Created { url, offset, expires: headers::expires(h) })
}

/// HEAD: where the upload stands; it must be `length` bytes long. 403 is read as "not found",
/// as the protocol allows servers to answer.
pub fn head(length: u64, status: u16, h: &HeaderMap, now: i64) -> Result<Position, Failure> {
    if status == 403 {
        return Err(Failure::Gone("HEAD: HTTP 403".into()));
    }
    if let Some(failure) = failure("HEAD", status, h, now) {
        return Err(failure);
    }
    let Some(offset) = headers::number(h, "upload-offset") else {
        return Err(Failure::Protocol("HEAD: missing or malformed Upload-Offset".into()));
    };
    match headers::number(h, "upload-length") {
        None => return Err(Failure::Protocol("HEAD: missing or malformed Upload-Length".into())),
        Some(theirs) if theirs != length => {
            return Err(Failure::Gone(format!("HEAD: the upload is {theirs} bytes long, this file {length}")));
        }
        Some(_) => {}
    }
    if offset > length {
        return Err(Failure::Protocol(format!("HEAD: Upload-Offset {offset} exceeds Upload-Length {length}")));
    }
    Ok(Position { offset, expires: headers::expires(h) })
}

/// PATCH of `len` bytes at `offset`: the new offset may be short of the chunk's end (the
/// caller counts that against its budget) but never before `offset` or past the chunk.
pub fn patched(offset: u64, len: u64, status: u16, h: &HeaderMap, now: i64) -> Result<Position, Failure> {
    if let Some(failure) = failure("PATCH", status, h, now) {
        return Err(failure);
    }
    match headers::number(h, "upload-offset") {
        Some(new) if (offset..=offset.saturating_add(len)).contains(&new) => {
            Ok(Position { offset: new, expires: headers::expires(h) })
        }
        Some(new) if new < offset => {
            Err(Failure::Protocol(format!("PATCH at {offset} answered Upload-Offset {new}, going backwards")))
        }
        Some(new) => Err(Failure::Protocol(format!(
            "PATCH at {offset} of {len} bytes answered Upload-Offset {new}, beyond the bytes sent"
        ))),
        None => Err(Failure::Protocol("PATCH: missing or malformed Upload-Offset".into())),
    }
}

/// DELETE (termination).
pub fn deleted(status: u16, h: &HeaderMap, now: i64) -> Result<(), Failure> {
    failure("DELETE", status, h, now).map_or(Ok(()), Err)
}

/// Reads the capabilities from an OPTIONS response; tus 1.0.0 with `creation` is required.
fn parse_caps(h: &HeaderMap) -> Result<ServerCaps, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tus::headers::tests::headers as map;

    #[test]
    fn statuses() {
        for s in [404, 410] {
            assert_eq!(classify(s), Class::Gone);
        }
        assert_eq!(classify(409), Class::Conflict);
        for s in [408, 429, 500, 502, 503, 504, 599] {
            assert_eq!(classify(s), Class::Retry, "{s}");
        }
        for s in [100, 301, 307, 400, 401, 403, 412, 413, 415, 460, 499, 600, 999] {
            assert_eq!(classify(s), Class::Reject, "{s}");
        }
    }

    #[test]
    fn capabilities() {
        let caps = options(
            204,
            &map(&[
                ("tus-version", "1.0.0,0.2.2"),
                ("tus-extension", "creation,creation-with-upload,checksum,termination"),
                ("tus-max-size", "1073741824"),
                ("tus-checksum-algorithm", "sha1,SHA256"),
            ]),
            0,
        )
        .unwrap();
        assert_eq!(caps.version, "1.0.0");
        assert!(caps.supports("creation-with-upload") && caps.supports("termination") && !caps.supports("concatenation"));
        assert_eq!(caps.max_size, Some(1 << 30));

        let bare = parse_caps(&map(&[("tus-version", "1.0.0"), ("tus-extension", "creation"), ("tus-max-size", "-1")])).unwrap();
        assert_eq!(bare.max_size, None);
        assert!(parse_caps(&map(&[("tus-version", "0.2.2"), ("tus-extension", "creation")])).is_err());
        assert!(parse_caps(&map(&[("tus-version", "1.0.0"), ("tus-extension", "termination")])).is_err());
        assert!(parse_caps(&HeaderMap::new()).is_err());
        assert!(matches!(options(404, &HeaderMap::new(), 0), Err(Failure::Fatal(Error::InvalidEndpoint { .. }))));
        assert!(matches!(options(503, &HeaderMap::new(), 0), Err(Failure::Retry { kind: FailureKind::Server, .. })));
    }

    fn trust() -> Trust {
        Trust::new("https://up.example.com/files/", &["https://cdn.example.com:8443".into()]).unwrap()
    }

    fn refused(result: Result<Url, Failure>) -> bool {
        matches!(result, Err(Failure::Fatal(Error::UploadUrlRefused { .. })))
    }

    #[test]
    fn endpoints_and_allowed_origins() {
        for bad in ["ftp://example.com/files", "file:///tmp/x", "not a url", "/files", "https://u:p@up.example.com/files/"] {
            assert!(matches!(Trust::new(bad, &[]), Err(Error::InvalidEndpoint { .. })), "{bad}");
        }
        for bad in ["https://cdn.example.com/path", "https://u:p@cdn.example.com", "cdn.example.com", "ftp://cdn.example.com"] {
            let err = Trust::new("https://up.example.com/files/", &[bad.into()]).unwrap_err();
            assert!(matches!(err, Error::InvalidEndpoint { .. }), "{bad}");
        }
    }

    #[test]
    fn locations_stay_on_trusted_origins() {
        let t = trust();
        assert_eq!(t.location("abc").unwrap().as_str(), "https://up.example.com/files/abc");
        assert_eq!(t.location("/other/abc").unwrap().as_str(), "https://up.example.com/other/abc");
        assert_eq!(t.location("https://cdn.example.com:8443/u/1").unwrap().as_str(), "https://cdn.example.com:8443/u/1");
        assert!(refused(t.location("https://cdn.example.com/u/1")), "another port is another origin");
        assert!(refused(t.location("https://evil.example.net/files/abc")));
        assert!(refused(t.location("//evil.example.net/files/abc")));
        assert!(refused(t.location("http://up.example.com/files/abc")), "downgrade");
        assert!(refused(t.location("https://user:secret@up.example.com/files/abc")));
        assert!(refused(t.location("https://:secret@up.example.com/files/abc")));
        assert!(matches!(t.location("javascript:alert(1)"), Err(Failure::Protocol(_))));
        assert!(matches!(t.location("http://[::1"), Err(Failure::Protocol(_))));
        let plain = Trust::new("http://127.0.0.1:1080/files", &[]).unwrap();
        assert!(refused(plain.location("https://127.0.0.1/files/x")), "a scheme change is another origin");
        assert!(refused(plain.location("http://127.0.0.1:1081/files/x")));
    }

    #[test]
    fn stored_urls_resume_only_on_trusted_origins() {
        let t = trust();
        assert!(t.stored("https://up.example.com/files/abc").is_some());
        assert!(t.stored("https://cdn.example.com:8443/u/1").is_some());
        for other in ["https://old.example.com/files/abc", "http://up.example.com/files/abc", "https://u:p@up.example.com/files/abc", "files/abc", ""] {
            assert!(t.stored(other).is_none(), "{other}");
        }
    }

    #[test]
    fn creation() {
        let t = trust();
        let ok = created(&t, 0, 201, &map(&[("location", "/files/1")]), 0).unwrap();
        assert_eq!((ok.url.as_str(), ok.offset), ("https://up.example.com/files/1", Some(0)));
        let with_body = created(&t, 10, 201, &map(&[("location", "/files/1"), ("upload-offset", "11")]), 0).unwrap();
        assert_eq!(with_body.offset, None, "an offset beyond the body is not believed");
        assert!(matches!(created(&t, 0, 200, &map(&[("location", "/files/1")]), 0), Err(Failure::Protocol(_))));
        assert!(matches!(created(&t, 0, 201, &HeaderMap::new(), 0), Err(Failure::Protocol(_))));
        let twice = map(&[("location", "/files/1"), ("location", "/files/2")]);
        assert!(matches!(created(&t, 0, 201, &twice, 0), Err(Failure::Protocol(_))));
        assert!(matches!(created(&t, 0, 404, &HeaderMap::new(), 0), Err(Failure::Reject { status: 404, .. })));
        let elsewhere = map(&[("location", "https://evil.example.net/files/1")]);
        assert!(matches!(created(&t, 0, 201, &elsewhere, 0), Err(Failure::Fatal(Error::UploadUrlRefused { .. }))));
    }

    #[test]
    fn offsets() {
        let head_at = |o: &'static str, l: &'static str| head(100, 200, &map(&[("upload-offset", o), ("upload-length", l)]), 0);
        assert_eq!(head_at("40", "100").unwrap().offset, 40);
        assert!(matches!(head_at("101", "100"), Err(Failure::Protocol(_))));
        assert!(matches!(head_at("40", "99"), Err(Failure::Gone(_))));
        assert!(matches!(head_at("x", "100"), Err(Failure::Protocol(_))));
        assert!(matches!(head(100, 403, &HeaderMap::new(), 0), Err(Failure::Gone(_))));

        let patch_to = |o: &'static str| patched(10, 5, 204, &map(&[("upload-offset", o)]), 0);
        assert_eq!(patch_to("15").unwrap().offset, 15);
        assert_eq!(patch_to("10").unwrap().offset, 10, "no progress is the caller's to count");
        assert!(matches!(patch_to("16"), Err(Failure::Protocol(r)) if r.contains("beyond")));
        assert!(matches!(patch_to("9"), Err(Failure::Protocol(r)) if r.contains("backwards")));
        assert!(matches!(patched(10, 5, 204, &HeaderMap::new(), 0), Err(Failure::Protocol(_))));
        assert!(matches!(patched(10, 5, 409, &HeaderMap::new(), 0), Err(Failure::Conflict)));
        let busy = patched(10, 5, 503, &map(&[("retry-after", "7")]), 0);
        assert!(matches!(busy, Err(Failure::Retry { retry_after: Some(d), .. }) if d == Duration::from_secs(7)));
        assert!(deleted(204, &HeaderMap::new(), 0).is_ok());
        assert!(matches!(deleted(410, &HeaderMap::new(), 0), Err(Failure::Gone(_))));
    }
}
