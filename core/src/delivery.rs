//! Delivering packages from the outbox: materials first, a bounded number in parallel, then the
//! commit that makes the package count.
//!
//! Each material is a tus upload; its URL and confirmed offset go into the outbox after every
//! chunk, so a killed process resumes re-sending at most one chunk. A mark the outbox cannot
//! save stops that upload with the outbox's error before another byte is sent. The commit is a small JSON
//! document, uploaded last, naming the package digest, the exact manifest and every material's
//! upload URL and SHA-256; the server checks it against what it stored. A package is delivered
//! only when the server acknowledges the commit's last byte — never because a `HEAD` shows
//! every byte there (the server may have refused it, or the process died before the answer), so
//! the commit is always sent afresh.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::hash::sha256_hex;
use crate::package::manifest::Manifest;
use crate::count;
use crate::outbox::{total_size, Content, Outbox, PackageState, StoredFile, UploadMark};
use crate::tus::{upload_file, Resume, Source, TransferHooks, TusClient};
use crate::Error;

/// How many materials an [`Uploader`] sends at once unless told otherwise.
pub const DEFAULT_PARALLEL: usize = 2;

/// The `filetype` of a commit document.
pub const COMMIT_MEDIA_TYPE: &str = "application/vnd.hexin.commit+json";

/// What a delivery reports to the host, for its UI and logs. Carries no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The package moved to a new state.
    State { package_id: String, state: PackageState },
    /// Bytes of one file the server has confirmed, and of the whole package (signed, as Kotlin
    /// and Swift count: `Long`, `Int64`).
    Progress { package_id: String, file: String, sent: i64, total: i64, package_sent: i64, package_total: i64 },
    /// A material is on the server.
    Uploaded { package_id: String, file: String, url: String },
    /// The server acknowledged the commit: the package is delivered.
    Committed { package_id: String, digest: String },
}

/// Receives [`Event`]s; called on upload tasks, so it must return quickly. Its failure is its
/// own: the delivery goes on (hexin-ffi logs the first; a Kotlin or Swift listener may throw).
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait Listener: Send + Sync {
    fn on_event(&self, event: Event) -> Result<(), Error>;
}

/// A delivered package.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Delivery {
    pub package_id: String,
    pub digest: String,
    /// Sum of the materials' sizes.
    pub bytes: i64,
    /// Request body bytes sent by this call, re-sends and the commit included.
    pub sent_bytes: i64,
}

/// The commit document (schema `hexin.commit`, version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    pub schema: String,
    pub version: u32,
    pub package_id: String,
    pub digest: String,
    /// The exact text of `manifest.json`.
    pub manifest: String,
    pub materials: Vec<CommittedFile>,
}

/// One material as the commit names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedFile {
    pub file: String,
    pub sha256: String,
    pub url: String,
}

/// Uploads packages from an outbox to one tus endpoint.
#[derive(Clone)]
pub struct Uploader {
    outbox: Arc<Outbox>,
    client: Arc<TusClient>,
    listener: Arc<dyn Listener>,
    parallel: usize,
}

impl Uploader {
    /// An uploader sending [`DEFAULT_PARALLEL`] materials at once.
    pub fn new(outbox: Arc<Outbox>, client: Arc<TusClient>, listener: Arc<dyn Listener>) -> Uploader {
        Uploader { outbox, client, listener, parallel: DEFAULT_PARALLEL }
    }

    /// Sends `parallel` materials of a package at once (0 counts as 1).
    pub fn with_parallel(self, parallel: usize) -> Uploader {
        Uploader { parallel: parallel.max(1), ..self }
    }

    /// Uploads one file of a package, e.g. a material accepted while the applicant is still
    /// capturing the next; sealing keeps its upload if the content stays the same. Returns the
    /// bytes sent.
    pub async fn upload_file(&self, id: &str, name: &str, cancel: &CancellationToken) -> Result<u64, Error> {
        let file = self.outbox.get(id)?.files.into_iter().find(|f| f.name == name).ok_or_else(|| Error::Storage {
            op: "upload_file".into(),
            reason: format!("package {id} has no file {name:?}"),
        })?;
        let totals = Arc::new(Totals::new(std::slice::from_ref(&file)));
        self.send(id, file, Described::before_sealing(), totals, cancel.clone()).await
    }

    /// Delivers a sealed (or interrupted) package: every material not yet on the server, then
    /// the commit; marks it committed. Cancelling pauses it (state back to sealed) with
    /// [`Error::UploadCancelled`]; any other failure leaves it uploading, for a later resume.
    pub async fn deliver(&self, id: &str, cancel: &CancellationToken) -> Result<Delivery, Error> {
        let package = self.outbox.get(id)?;
        match package.state {
            PackageState::Sealed => self.set_state(id, PackageState::Uploading)?,
            PackageState::Uploading => {}
            state => return Err(Error::InvalidState { id: id.into(), state: state.to_string(), action: "deliver".into() }),
        }
        log::info!("package {id}: delivering {} files ({} bytes)", package.files.len(), package.bytes);
        let result = self.deliver_files(id, &package.files, cancel).await;
        match &result {
            Ok(_) => log::info!("package {id}: delivered"),
            Err(Error::UploadCancelled) => {
                log::info!("package {id}: paused");
                self.set_state(id, PackageState::Sealed)?;
            }
            Err(e) => log::warn!("package {id}: not delivered ({}); kept for a resume", e.code().as_str()),
        }
        result
    }

    /// Gives a package up: terminates its uploads on the server (where the server offers
    /// termination) and purges it from the outbox. For an applicant who cancels the filing.
    pub async fn abandon(&self, id: &str) -> Result<(), Error> {
        for file in self.outbox.get(id)?.files {
            if let Some(mark) = self.outbox.upload_mark(id, &file.name)? {
                self.client.terminate(&mark.url).await?;
            }
        }
        self.outbox.purge(id)
    }

    /// Delivers every package left sealed or uploading, oldest first (at app start-up).
    pub async fn resume_all(&self, cancel: &CancellationToken) -> Result<Vec<(String, Result<Delivery, Error>)>, Error> {
        let mut results = vec![];
        for p in self.outbox.list()? {
            if matches!(p.state, PackageState::Sealed | PackageState::Uploading) && !cancel.is_cancelled() {
                let result = self.deliver(&p.id, cancel).await;
                results.push((p.id, result));
            }
        }
        Ok(results)
    }

    async fn deliver_files(&self, id: &str, files: &[StoredFile], cancel: &CancellationToken) -> Result<Delivery, Error> {
        let manifest_bytes = self.outbox.manifest(id)?.ok_or_else(|| Error::InvalidState {
            id: id.into(),
            state: "without manifest".into(),
            action: "deliver".into(),
        })?;
        let manifest: Manifest =
            serde_json::from_slice(&manifest_bytes).map_err(|e| Error::ManifestInvalid { reason: e.to_string() })?;
        let digest = manifest.seal.as_ref().map(|s| s.digest.clone()).ok_or_else(|| Error::ManifestInvalid { reason: "the manifest has no seal".into() })?;
        let described: HashMap<&str, Described> = manifest
            .materials
            .iter()
            .map(|e| (e.file.as_str(), Described { media_type: e.media_type.clone(), kind: e.kind.as_str().into() }))
            .collect();

        let totals = Arc::new(Totals::new(files));
        let stop = cancel.child_token();
        let limit = Arc::new(tokio::sync::Semaphore::new(self.parallel));
        let mut tasks = JoinSet::new();
        for file in files.iter().cloned() {
            let (this, id, totals, stop, limit) = (self.clone(), id.to_owned(), totals.clone(), stop.clone(), limit.clone());
            let Some(described) = described.get(file.name.as_str()).cloned() else {
                return Err(Error::ManifestInvalid { reason: format!("{} is stored but not in the manifest", file.name) });
            };
            tasks.spawn(async move {
                let _permit = limit.acquire().await.map_err(|_| Error::UploadCancelled)?;
                this.send(&id, file, described, totals, stop).await
            });
        }
        let (mut sent, mut failure) = (0, None);
        while let Some(joined) = tasks.join_next().await {
            match joined.unwrap_or_else(|e| Err(Error::Internal { reason: format!("upload task: {e}") })) {
                Ok(n) => sent += n,
                Err(e) => {
                    stop.cancel();
                    // The first real failure wins over the cancellations it caused.
                    if failure.is_none() || matches!(failure, Some(Error::UploadCancelled)) {
                        failure = Some(e);
                    }
                }
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }

        let mut materials = vec![];
        for file in files {
            let mark = self.outbox.upload_mark(id, &file.name)?.filter(|m| m.offset == file.size() && self.client.may_resume(&m.url));
            let Some(mark) = mark else {
                // Every upload succeeded, so only a mark the outbox failed to record leads here.
                return Err(Error::Storage { op: "upload marks".into(), reason: format!("{} has no finished upload recorded", file.name) });
            };
            materials.push(CommittedFile { file: file.name.clone(), sha256: file.sha256.clone(), url: mark.url });
        }
        let commit = Commit {
            schema: "hexin.commit".into(),
            version: 1,
            package_id: id.into(),
            digest: digest.clone(),
            manifest: String::from_utf8_lossy(&manifest_bytes).into_owned(),
            materials,
        };
        let body: Arc<[u8]> =
            serde_json::to_vec(&commit).map_err(|e| Error::Internal { reason: format!("commit document: {e}") })?.into();
        let metadata = metadata(id, "commit.json", COMMIT_MEDIA_TYPE, "commit", &sha256_hex(&body));
        let uploaded = upload_file(&self.client, &Source::Bytes(body), &metadata, None, &NoHooks, cancel).await.map_err(|e| match e {
            Error::UploadRejected { status, reason } => Error::CommitRejected { status, reason },
            other => other,
        })?;
        self.set_state(id, PackageState::Committed)?;
        self.emit(Event::Committed { package_id: id.into(), digest: digest.clone() });
        Ok(Delivery { package_id: id.into(), digest, bytes: count::signed(totals.total), sent_bytes: count::signed(sent + uploaded.sent_bytes) })
    }

    /// Uploads one stored file unless its mark says the server has it all; returns bytes sent.
    /// A mark on an origin the client does not trust (the endpoint changed) is not used: the
    /// file goes afresh to the endpoint. A mark the outbox fails to save ends the upload with
    /// that error.
    async fn send(&self, id: &str, file: StoredFile, described: Described, totals: Arc<Totals>, cancel: CancellationToken) -> Result<u64, Error> {
        let mark = self.outbox.upload_mark(id, &file.name)?.filter(|m| self.client.may_resume(&m.url));
        let hooks = FileHooks { uploader: self, id, file: &file, totals: &totals, stop: cancel.child_token(), failed: Mutex::new(None) };
        if let Some(m) = &mark {
            // The file name carries the owner's id, which the app chose: only its kind is logged.
            log::debug!("package {id}: {} resumes at {} of {} bytes", material_of(&file.name), m.offset, file.bytes);
        }
        if mark.as_ref().is_some_and(|m| m.offset == file.size()) {
            // Sent by an earlier run: it counts towards the package's progress.
            hooks.progress(file.size(), file.size());
            return Ok(0);
        }
        let source = match self.outbox.content(id, &file.name)? {
            Content::Blob { path, sha256 } => Source::Hashed { path, sha256 },
            Content::Decrypted(bytes) => Source::Bytes(bytes.into()),
        };
        let metadata = metadata(id, &file.name, &described.media_type, &described.kind, &file.sha256);
        let resume = mark.map(|m| Resume { url: m.url, offset: m.offset });
        let uploaded = upload_file(&self.client, &source, &metadata, resume, &hooks, &hooks.stop).await;
        if let Some(e) = hooks.failed.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(e);
        }
        let uploaded = uploaded?;
        self.emit(Event::Uploaded { package_id: id.into(), file: file.name.clone(), url: uploaded.url });
        Ok(uploaded.sent_bytes)
    }

    /// Tells the listener; what it fails on does not concern the delivery.
    fn emit(&self, event: Event) {
        let _ = self.listener.on_event(event);
    }

    fn set_state(&self, id: &str, state: PackageState) -> Result<(), Error> {
        log::debug!("package {id}: {state}");
        self.outbox.set_state(id, state)?;
        self.emit(Event::State { package_id: id.into(), state });
        Ok(())
    }
}

/// What the manifest says of a file; a draft's file before sealing is `material`, untyped.
#[derive(Clone)]
struct Described {
    media_type: String,
    kind: String,
}

impl Described {
    /// A file uploaded from a draft, before a manifest says what it is.
    fn before_sealing() -> Self {
        Described { media_type: "application/octet-stream".into(), kind: "material".into() }
    }
}

fn metadata(id: &str, file: &str, media_type: &str, kind: &str, sha256: &str) -> BTreeMap<String, String> {
    [("filename", file), ("filetype", media_type), ("kind", kind), ("package_id", id), ("sha256", sha256)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Confirmed bytes per file, for package-level progress.
struct Totals {
    total: u64,
    sent: Mutex<HashMap<String, u64>>,
}

impl Totals {
    fn new(files: &[StoredFile]) -> Totals {
        Totals { total: total_size(files), sent: Mutex::new(HashMap::new()) }
    }

    fn record(&self, file: &str, sent: u64) -> u64 {
        let mut map = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(file.to_owned(), sent);
        map.values().sum()
    }
}

/// Persists each material's upload as it goes and reports progress.
struct FileHooks<'a> {
    uploader: &'a Uploader,
    id: &'a str,
    file: &'a StoredFile,
    totals: &'a Totals,
    /// The upload's cancellation: a mark that cannot be saved stops it before another byte goes.
    stop: CancellationToken,
    /// The first mark that could not be saved.
    failed: Mutex<Option<Error>>,
}

impl FileHooks<'_> {
    fn mark(&self, url: &str, offset: u64) {
        let mark = UploadMark { url: url.into(), offset };
        // `Ok(false)`, a file retaken meanwhile, needs no mark: its new content uploads anew.
        if let Err(e) = self.uploader.outbox.set_upload_mark(self.id, &self.file.name, &self.file.sha256, &mark) {
            self.failed.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
            self.stop.cancel();
        }
    }
}

impl TransferHooks for FileHooks<'_> {
    fn created(&self, url: &str) {
        self.mark(url, 0);
    }

    fn confirmed(&self, url: &str, offset: u64) {
        self.mark(url, offset);
    }

    fn progress(&self, sent: u64, total: u64) {
        let package_sent = self.totals.record(&self.file.name, sent);
        self.uploader.emit(Event::Progress {
            package_id: self.id.into(),
            file: self.file.name.clone(),
            sent: count::signed(sent),
            total: count::signed(total),
            package_sent: count::signed(package_sent),
            package_total: count::signed(self.totals.total),
        });
    }
}

/// The commit persists nothing: it is always sent afresh.
struct NoHooks;

impl TransferHooks for NoHooks {
    fn created(&self, _: &str) {}
    fn confirmed(&self, _: &str, _: u64) {}
    fn progress(&self, _: u64, _: u64) {}
}

/// A stored file's material kind: `id-card-front` of `id-card-front.lisi.jpg`.
fn material_of(file: &str) -> &str {
    file.split('.').next().unwrap_or(file)
}
