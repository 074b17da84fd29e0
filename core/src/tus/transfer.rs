//! Uploading one file resumably: create or resume, then PATCH chunk by chunk, recovering from
//! failures by asking the server where it is.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use url::Url;

use super::body::{Reader, Source};
use super::headers;
use super::response::Failure;
use super::retry::Budget;
use super::client::TusClient;
use crate::date::unix_now;
use crate::{Error, FailureKind};

/// Bytes one call may send beyond three times the file's length (re-sends after failures)
/// before it gives up as [`FailureKind::NoProgress`]: one chunk of the largest default size.
pub const SEND_ALLOWANCE: u64 = 8 * 1024 * 1024;

/// An upload started earlier, as last persisted through [`TransferHooks`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    pub url: String,
    /// The last confirmed offset; shown as progress until the server's `HEAD` answer, which
    /// alone decides where the upload continues.
    pub offset: u64,
}

/// One file's finished transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transferred {
    /// The upload's URL on the server.
    pub url: String,
    pub length: u64,
    /// Every request body byte sent in this call, re-sends included (a chunk whose request
    /// failed after connecting counts in full); 0 when the server already had every byte.
    pub sent_bytes: u64,
}

/// What [`upload_file`] tells the host while it works; called on the uploading task, so keep
/// them quick.
pub trait TransferHooks: Send + Sync {
    /// A new upload URL exists: persist it before any further byte is sent. With
    /// creation-with-upload the first chunk travels in the creating request itself.
    fn created(&self, url: &str);
    /// The server confirmed this offset (after every chunk, and after each `HEAD`): persist it.
    fn confirmed(&self, url: &str, offset: u64);
    /// Bytes the server has confirmed, out of `total`, for the UI.
    fn progress(&self, sent: u64, total: u64);
}

/// Uploads one file, resuming `resume` when given, and returns once the server holds every
/// byte.
///
/// With `resume`, the server is asked with `HEAD` where the upload stands; a URL it no longer
/// knows (404, 410, 403, a different length), or that is not on a trusted origin (the
/// endpoint's or an allowed one: the endpoint may have changed since), starts a new upload at
/// the endpoint, announced through [`TransferHooks::created`].
///
/// A PATCH the server confirms only in part counts as a failed attempt. One call sends at most
/// 3x the file's length plus [`SEND_ALLOWANCE`]; beyond that, or when the attempts run out on
/// unconfirmed bytes, it ends with [`Error::UploadFailed`] of kind [`FailureKind::NoProgress`].
///
/// Cancelling `cancel` ends the call with [`Error::UploadCancelled`]; the last confirmed
/// offset stays valid for a later resume.
/// Metadata keys must be printable ASCII without spaces or commas
/// ([`Error::InvalidArgument`] otherwise); an unreadable file is [`Error::Storage`].
pub async fn upload_file(
    client: &TusClient,
    source: &Source,
    metadata: &BTreeMap<String, String>,
    resume: Option<Resume>,
    hooks: &dyn TransferHooks,
    cancel: &CancellationToken,
) -> Result<Transferred, Error> {
    let metadata = headers::encode_metadata(metadata).map_err(|reason| Error::InvalidArgument { name: "metadata".into(), reason })?;
    let (reader, length) = Reader::open(source).await?;
    let mut budget = Budget::new(client.retry_policy());
    let caps = client.caps_within(&mut budget, cancel).await?;
    if let Some(max) = caps.max_size.filter(|&max| length > max) {
        let reason = format!("the file is {length} bytes; the server's Tus-Max-Size is {max}");
        return Err(Error::UploadRejected { status: 413, reason });
    }
    let checksum = caps.checksum();
    let with_upload = caps.supports("creation-with-upload");
    let mut chunks = ChunkSize::new(&client.config);

    let limit = length.saturating_mul(3).saturating_add(SEND_ALLOWANCE);
    let mut run = Run { length, offset: 0, high: 0, expires: None, sent: 0, limit };
    let mut step = Step::Create;
    if let Some(url) = resume.as_ref().and_then(|r| client.trust().stored(&r.url)) {
        hooks.progress(resume.map_or(0, |r| r.offset).min(length), length);
        step = Step::Head(url);
    }
    loop {
        if cancel.is_cancelled() {
            return Err(Error::UploadCancelled);
        }
        step = match step {
            Step::Create => {
                let first = match with_upload && length > 0 {
                    true => Some(reader.chunk(0, chunks.current.min(length), checksum).await?),
                    false => None,
                };
                let body_len = first.as_ref().map_or(0, |chunk| chunk.len);
                run.may_send(body_len, &budget)?;
                match cancellable(cancel, client.create(length, &metadata, first)).await {
                    Ok(created) => {
                        run.sent += body_len;
                        hooks.created(created.url.as_str());
                        run.expires = created.expires;
                        match created.offset {
                            Some(offset) => {
                                run.confirm(&created.url, offset, hooks, &mut budget);
                                Step::Patch(created.url)
                            }
                            None => Step::Head(created.url),
                        }
                    }
                    Err(failure) => {
                        run.count(&failure, body_len);
                        failure.absorb(&mut budget, cancel).await?;
                        Step::Create
                    }
                }
            }
            Step::Head(_) if run.expires.is_some_and(|at| at <= unix_now()) => Step::Create,
            Step::Head(url) => match cancellable(cancel, client.head(&url, length)).await {
                Ok(position) => {
                    run.expires = position.expires.or(run.expires);
                    run.confirm(&url, position.offset, hooks, &mut budget);
                    Step::Patch(url)
                }
                Err(failure) => recover(failure, url, &mut budget, cancel).await?,
            },
            Step::Patch(url) if run.offset >= length => {
                return Ok(Transferred { url: url.into(), length, sent_bytes: run.sent });
            }
            Step::Patch(url) => {
                let chunk = reader.chunk(run.offset, chunks.current.min(length - run.offset), checksum).await?;
                let (len, at) = (chunk.len, run.offset);
                run.may_send(len, &budget)?;
                let started = Instant::now();
                match cancellable(cancel, client.patch(&url, at, chunk)).await {
                    Ok(position) if position.offset < at + len => {
                        chunks.failed();
                        run.sent += len;
                        run.expires = position.expires.or(run.expires);
                        run.record(&url, position.offset, hooks);
                        let reason = format!("PATCH of {len} bytes at {at}: the server confirmed {}", position.offset - at);
                        budget.wait(FailureKind::NoProgress, reason, None, cancel).await?;
                        Step::Patch(url)
                    }
                    Ok(position) => {
                        chunks.succeeded(len, started.elapsed());
                        run.sent += len;
                        run.expires = position.expires.or(run.expires);
                        run.confirm(&url, position.offset, hooks, &mut budget);
                        Step::Patch(url)
                    }
                    Err(failure) => {
                        chunks.failed();
                        run.count(&failure, len);
                        recover(failure, url, &mut budget, cancel).await?
                    }
                }
            }
        };
    }
}

/// Bytes per PATCH: start at `chunk_size`, double after a full chunk that took under
/// [`FAST_CHUNK`] up to `max_chunk_size`, and fall back to `chunk_size` after any failure. A
/// fast network soon sends large chunks (per-request overhead is what makes small chunks slow on
/// loopback and LAN), while a flaky one keeps them small, so an interruption loses little.
struct ChunkSize {
    current: u64,
    start: u64,
    max: u64,
}

/// A chunk confirmed faster than this lets the next one double.
const FAST_CHUNK: Duration = Duration::from_secs(1);

impl ChunkSize {
    fn new(config: &super::UploadConfig) -> ChunkSize {
        let start = u64::try_from(config.chunk_size.max(1)).unwrap_or(u64::MAX);
        let max = u64::try_from(config.max_chunk_size).unwrap_or(u64::MAX).max(start);
        ChunkSize { current: start, start, max }
    }

    fn succeeded(&mut self, len: u64, took: Duration) {
        if len == self.current && took < FAST_CHUNK {
            self.current = self.current.saturating_mul(2).min(self.max);
        }
    }

    fn failed(&mut self) {
        self.current = self.start;
    }
}

/// After a failed request on `url`, once the retry budget allows: a new upload if the server
/// no longer has it, else `HEAD` to learn where it stands.
async fn recover(failure: Failure, url: Url, budget: &mut Budget, cancel: &CancellationToken) -> Result<Step, Error> {
    let gone = matches!(failure, Failure::Gone(_));
    failure.absorb(budget, cancel).await?;
    Ok(if gone { Step::Create } else { Step::Head(url) })
}

/// The next request to make.
enum Step {
    Create,
    Head(Url),
    Patch(Url),
}

/// The state of one `upload_file` call.
struct Run {
    length: u64,
    /// The offset the server last confirmed for the current URL.
    offset: u64,
    /// The highest offset confirmed in this call, on any URL: only passing it counts as
    /// progress that resets the retry budget, so a server that keeps losing uploads still
    /// runs the budget out.
    high: u64,
    expires: Option<i64>,
    sent: u64,
    /// The most body bytes this call may send.
    limit: u64,
}

impl Run {
    /// Records a confirmed offset; passing the highest one so far starts a fresh retry streak.
    fn confirm(&mut self, url: &Url, offset: u64, hooks: &dyn TransferHooks, budget: &mut Budget) {
        if offset > self.high {
            budget.progressed();
        }
        self.record(url, offset, hooks);
    }

    /// Records a confirmed offset without touching the retry streak (a PATCH confirmed in part).
    fn record(&mut self, url: &Url, offset: u64, hooks: &dyn TransferHooks) {
        self.offset = offset;
        self.high = self.high.max(offset);
        hooks.confirmed(url.as_str(), offset);
        hooks.progress(offset, self.length);
    }

    /// Whether `len` more body bytes stay within the call's byte budget.
    fn may_send(&self, len: u64, budget: &Budget) -> Result<(), Error> {
        if self.sent.saturating_add(len) <= self.limit {
            return Ok(());
        }
        let reason = format!(
            "{} bytes sent for a file of {} bytes, {} confirmed; {len} more would pass the limit of {}",
            self.sent, self.length, self.high, self.limit
        );
        Err(budget.give_up(FailureKind::NoProgress, reason))
    }

    /// Adds a failed request's body to the bytes sent, unless it never connected.
    fn count(&mut self, failure: &Failure, body_len: u64) {
        if !matches!(failure, Failure::Retry { unsent: true, .. }) {
            self.sent += body_len;
        }
    }
}

/// Runs a request unless `cancel` fires first, which drops (aborts) it.
async fn cancellable<T>(
    cancel: &CancellationToken,
    request: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    tokio::select! {
        _ = cancel.cancelled() => Err(Failure::Fatal(Error::UploadCancelled)),
        result = request => result,
    }
}
