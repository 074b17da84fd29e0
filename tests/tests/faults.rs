//! The upload flow against the real tus server, through a fault proxy: every case ends with the
//! package delivered byte-identical (checked by `verify` on what the server assembled), and the
//! bytes sent more than once are counted and bounded.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hexin_core::delivery::{Event, Listener, Uploader};
use hexin_core::outbox::{Outbox, OutboxConfig, PackageState};
use hexin_core::package::seal::{Package, Sealing};
use hexin_core::tus::{TusClient, UploadConfig};
use hexin_core::package::verify::{verify_dir, Options};
use hexin_core::{Code, Error};
use hexin_e2e::{sha256_file, FaultProxy, TusServer};
use tokio_util::sync::CancellationToken;

const CHUNK: usize = 16 * 1024;

/// The individual example, checked and sealed.
fn example_package() -> Package {
    hexin_testing::specimens::individual_package(&Sealing::new().unwrap())
}

/// An action run on each event, to inject a fault at the right moment.
type Action = Box<dyn FnMut(&Event) + Send>;

/// Events as they arrive, and the action to run on each.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<Event>>,
    on_event: Mutex<Option<Action>>,
}

impl Listener for Recorder {
    fn on_event(&self, event: Event) -> Result<(), hexin_core::Error> {
        if let Some(action) = self.on_event.lock().unwrap().as_mut() {
            action(&event);
        }
        self.events.lock().unwrap().push(event);
        Ok(())
    }
}

struct Case {
    server: Arc<Mutex<TusServer>>,
    proxy: Arc<FaultProxy>,
    outbox: Arc<Outbox>,
    package: Package,
    recorder: Arc<Recorder>,
    _dir: tempfile::TempDir,
}

impl Case {
    /// The example package sealed in an encrypted outbox.
    fn new() -> Case {
        Case::with_key(Some([3; 32]))
    }

    fn with_key(key: Option<[u8; 32]>) -> Case {
        let server = TusServer::start();
        let proxy = Arc::new(FaultProxy::start(server.addr()));
        let dir = tempfile::tempdir().unwrap();
        let outbox = Arc::new(Outbox::open(&dir.path().join("outbox"), OutboxConfig { key, ..OutboxConfig::default() }).unwrap());
        let package = example_package();
        let files: Vec<(&str, &[u8])> = package.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        outbox.seal(&package.manifest.package_id, &package.manifest_bytes, &files).unwrap();
        Case { server: Arc::new(Mutex::new(server)), proxy, outbox, package, recorder: Arc::default(), _dir: dir }
    }

    fn id(&self) -> &str {
        &self.package.manifest.package_id
    }

    /// The blob file holding material `name` (in a plaintext outbox, its very bytes).
    fn blob(&self, name: &str) -> std::path::PathBuf {
        let sha256 = self.package.manifest.materials.iter().find(|e| e.file == name).unwrap().sha256.clone();
        self._dir.path().join("outbox").join("blobs").join(sha256)
    }

    fn on_event(&self, action: impl FnMut(&Event) + Send + 'static) {
        *self.recorder.on_event.lock().unwrap() = Some(Box::new(action));
    }

    fn uploader(&self, config: UploadConfig) -> Uploader {
        let client = TusClient::new(&self.proxy.url("/files/"), config).unwrap();
        Uploader::new(self.outbox.clone(), Arc::new(client), self.recorder.clone())
    }

    /// Delivers with two materials at once.
    fn deliver(&self, config: UploadConfig, cancel: &CancellationToken) -> Result<hexin_core::delivery::Delivery, Error> {
        self.deliver_with(2, config, cancel)
    }

    fn deliver_with(&self, parallel: usize, config: UploadConfig, cancel: &CancellationToken) -> Result<hexin_core::delivery::Delivery, Error> {
        let uploader = self.uploader(config).with_parallel(parallel);
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(uploader.deliver(self.id(), cancel))
    }

    /// Delivers until three chunks are confirmed, then cancels: the package is paused with
    /// uploads under way.
    fn deliver_then_cancel(&self, parallel: usize, config: UploadConfig) {
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        self.on_event(move |e| {
            if matches!(e, Event::Progress { package_sent, .. } if *package_sent >= 3 * CHUNK as i64) {
                trigger.cancel();
            }
        });
        assert_eq!(self.deliver_with(parallel, config, &cancel).unwrap_err().code(), Code::UploadCancelled);
        self.on_event(|_| {});
    }

    fn material_bytes(&self) -> u64 {
        self.package.files.iter().map(|(_, b)| b.len() as u64).sum()
    }

    /// Request body bytes the proxy forwarded to the server beyond one copy of each material
    /// and of every commit document sent.
    fn resent_bytes(&self) -> u64 {
        let resent = self.resent();
        eprintln!("re-sent bytes: {resent}");
        resent
    }

    /// Whether some request got no response: the fault really cut one.
    fn a_request_was_cut(&self) -> bool {
        self.proxy.requests().iter().any(|r| r.status.is_none())
    }

    fn resent(&self) -> u64 {
        let forwarded = self.proxy.body_bytes_forwarded("PATCH") + self.proxy.body_bytes_forwarded("POST");
        let commits: u64 = self.server.lock().unwrap().stored_uploads().iter().filter(|u| u.metadata.get("kind").map(String::as_str) == Some("commit")).map(|u| u.size).sum();
        forwarded.saturating_sub(self.material_bytes() + commits)
    }

    /// The package is committed in the outbox, and the server assembled it byte-identical:
    /// `verify` passes with the expected digest, and every stored upload matches its sha256.
    fn assert_delivered(&self) {
        assert_eq!(self.outbox.get(self.id()).unwrap().state, PackageState::Committed);
        let server = self.server.lock().unwrap();
        let dir = server.packages_dir().join(self.id());
        let v = verify_dir(&dir, &Options { expected_digest: Some(self.package.digest.clone()), ..Options::default() });
        assert!(v.is_intact(), "{:?}", v.problems);
        for (name, bytes) in &self.package.files {
            assert_eq!(&std::fs::read(dir.join(name)).unwrap(), bytes, "{name}");
        }
        for upload in server.stored_uploads().iter().filter(|u| Some(u.size) == u.length) {
            assert_eq!(Some(&sha256_file(&upload.path)), upload.metadata.get("sha256"), "stored upload {}", upload.id);
        }
        assert!(self.recorder.events.lock().unwrap().iter().any(|e| matches!(e, Event::Committed { .. })));
    }
}

fn config() -> UploadConfig {
    UploadConfig { chunk_size: CHUNK, max_chunk_size: CHUNK, base_delay: Duration::from_millis(50), max_delay: Duration::from_secs(2), ..UploadConfig::default() }
}

#[test]
fn a_clean_delivery_sends_every_byte_once() {
    let case = Case::new();
    let delivery = case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
    assert_eq!(case.resent_bytes(), 0);
    assert_eq!(delivery.bytes as u64, case.material_bytes());
    // Committing wiped the photos from the device.
    assert!(case.outbox.get(case.id()).unwrap().files.is_empty());
    let progress = case.recorder.events.lock().unwrap().iter().filter(|e| matches!(e, Event::Progress { .. })).count();
    assert!(progress >= case.package.files.len(), "{progress} progress events");
}

#[test]
fn a_connection_cut_mid_patch_resends_at_most_one_chunk() {
    let case = Case::new();
    case.proxy.cut_after(CHUNK as u64 / 2);
    case.deliver(config(), &CancellationToken::new()).unwrap();
    assert!(case.a_request_was_cut());
    case.assert_delivered();
    assert!(case.resent_bytes() <= CHUNK as u64, "re-sent {}", case.resent_bytes());
}

#[test]
fn a_reset_during_patch_is_retried() {
    let case = Case::new();
    case.proxy.reset_next_patch();
    case.deliver(config(), &CancellationToken::new()).unwrap();
    assert!(case.a_request_was_cut());
    case.assert_delivered();
    assert!(case.resent_bytes() <= CHUNK as u64, "re-sent {}", case.resent_bytes());
}

#[test]
fn a_stall_longer_than_the_timeout_is_retried() {
    let case = Case::new();
    case.proxy.stall(Duration::from_secs(3));
    let config = UploadConfig { request_timeout: Duration::from_millis(800), ..config() };
    case.deliver(config, &CancellationToken::new()).unwrap();
    assert!(case.a_request_was_cut());
    case.assert_delivered();
    assert!(case.resent_bytes() <= CHUNK as u64, "re-sent {}", case.resent_bytes());
}

#[test]
fn bursts_of_server_errors_are_retried_honouring_retry_after() {
    let case = Case::new();
    case.proxy.respond_with(503, 3, Some(1));
    let start = std::time::Instant::now();
    case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
    let statuses: Vec<Option<u16>> = case.proxy.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == Some(503)).count(), 3);
    // Retry-After: 1 was honoured at least once before the burst ended.
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(case.resent_bytes(), 0);
}

#[test]
fn client_errors_are_not_retried_and_the_package_waits() {
    let case = Case::new();
    case.proxy.respond_with(413, 1, None);
    let err = case.deliver_with(1, config(), &CancellationToken::new()).unwrap_err();
    assert_eq!((err.code(), matches!(err, Error::UploadRejected { status: 413, .. })), (Code::UploadRejected, true));
    assert_eq!(case.proxy.requests().iter().filter(|r| r.status == Some(413)).count(), 1);
    assert_eq!(case.outbox.get(case.id()).unwrap().state, PackageState::Uploading);
    // The next attempt delivers it.
    case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
}

/// An upload mark the outbox cannot save (another writer holds its database) stops the upload
/// with that storage error before a PATCH goes out; once the outbox can write again the package
/// is delivered.
#[test]
fn a_mark_the_outbox_cannot_save_stops_the_upload() {
    let case = Case::new();
    let db = case._dir.path().join("outbox").join("outbox.sqlite3");
    let mut writer = None;
    case.on_event(move |e| {
        if matches!(e, Event::State { state: PackageState::Uploading, .. }) && writer.is_none() {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
            writer = Some(conn);
        }
    });
    let err = case.deliver(config(), &CancellationToken::new()).unwrap_err();
    assert!(matches!(err, Error::Storage { ref op, .. } if op == "set_upload_mark"), "{err}");
    assert_eq!(case.proxy.body_bytes_forwarded("PATCH"), 0);
    case.on_event(|_| {}); // drops the writer
    case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
}

/// Cancelled after some progress, the package is paused; resuming re-sends at most a chunk
/// per file that was in flight.
#[test]
fn cancel_then_resume() {
    let case = Case::new();
    case.deliver_then_cancel(2, config());
    assert_eq!(case.outbox.get(case.id()).unwrap().state, PackageState::Sealed);
    case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
    assert!(case.resent_bytes() <= 2 * CHUNK as u64, "re-sent {}", case.resent_bytes());
}

/// An upload the server expired (410) starts again from the local copy.
#[test]
fn an_expired_upload_starts_again() {
    let case = Case::new();
    case.deliver_then_cancel(1, config());
    // The file whose upload was cut short by the cancel.
    let (first, mark) = case
        .package
        .files
        .iter()
        .find_map(|(name, bytes)| case.outbox.upload_mark(case.id(), name).unwrap().filter(|m| m.offset < bytes.len() as u64).map(|m| (name, m)))
        .expect("an upload was under way");
    let upload_id = mark.url.rsplit('/').next().unwrap().to_owned();
    case.proxy.gone_for(&upload_id);
    case.deliver_with(1, config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
    assert_ne!(case.outbox.upload_mark(case.id(), first).ok().flatten().map(|m| m.url), Some(mark.url.clone()));
    assert!(case.proxy.requests().iter().any(|r| r.status == Some(410)));
    // The expired part is sent again, nothing more.
    assert!(case.resent_bytes() <= mark.offset + CHUNK as u64, "re-sent {}", case.resent_bytes());
}

/// The server restarts while files are uploading; pooled connections die and the client
/// resumes from the offsets the new process reads back from its store.
#[test]
fn a_server_restart_mid_upload() {
    let case = Case::new();
    let server = case.server.clone();
    let mut restarted = false;
    case.on_event(move |e| {
        if !restarted && matches!(e, Event::Progress { package_sent, .. } if *package_sent >= 4 * CHUNK as i64) {
            restarted = true;
            server.lock().unwrap().restart();
        }
    });
    case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
    assert!(case.resent_bytes() <= 2 * CHUNK as u64, "re-sent {}", case.resent_bytes());
}

/// A refused commit is an error, not a delivery; the next attempt sends the commit afresh.
#[test]
fn a_refused_commit_is_not_a_delivery() {
    let case = Case::new();
    let proxy_faults = Arc::new(Mutex::new(0usize));
    let files = case.package.files.len();
    let counter = proxy_faults.clone();
    let proxy = case.proxy.clone();
    case.on_event(move |e| {
        if matches!(e, Event::Uploaded { .. }) {
            let mut n = counter.lock().unwrap();
            *n += 1;
            if *n == files {
                proxy.respond_with(422, 1, None);
            }
        }
    });
    let err = case.deliver_with(1, config(), &CancellationToken::new()).unwrap_err();
    assert_eq!(err.code(), Code::CommitRejected);
    assert_eq!(case.outbox.get(case.id()).unwrap().state, PackageState::Uploading);
    case.on_event(|_| {});
    let again = case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
    // Only the commit went again: the materials' marks said they were all there.
    assert!(again.sent_bytes < 10_000, "{}", again.sent_bytes);
}

/// Cancelling a filing for good terminates its uploads on the server and empties the outbox.
#[test]
fn abandoning_a_package_terminates_its_uploads() {
    let case = Case::new();
    case.deliver_then_cancel(2, config());
    let urls: Vec<String> = case.package.files.iter().filter_map(|(n, _)| case.outbox.upload_mark(case.id(), n).unwrap()).map(|m| m.url).collect();
    assert!(!urls.is_empty());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(case.uploader(config()).abandon(case.id())).unwrap();
    assert_eq!(case.outbox.get(case.id()).unwrap_err().code(), Code::PackageNotFound);
    let head = |url: &str| {
        runtime.block_on(reqwest::Client::new().head(url).header("Tus-Resumable", "1.0.0").send()).unwrap().status().as_u16()
    };
    for url in &urls {
        assert!(matches!(head(url), 404 | 410), "{url} still exists");
    }
}

/// A material accepted while the applicant is still capturing uploads from the draft at once;
/// sealing keeps that upload, so delivering sends only the rest and the commit.
#[test]
fn materials_upload_from_the_draft_before_sealing() {
    let case = Case::new();
    // Start over with the package as a draft holding its first file.
    case.outbox.purge(case.id()).unwrap();
    let (first, bytes) = &case.package.files[0];
    case.outbox.create_draft(case.id(), b"{}").unwrap();
    case.outbox.put_file(case.id(), first, bytes).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let early = runtime.block_on(case.uploader(config()).upload_file(case.id(), first, &CancellationToken::new())).unwrap();
    assert_eq!(early, bytes.len() as u64);
    let files: Vec<(&str, &[u8])> = case.package.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    case.outbox.seal(case.id(), &case.package.manifest_bytes, &files).unwrap();
    let delivery = case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
    assert_eq!(case.resent_bytes(), 0);
    let rest: i64 = case.package.files[1..].iter().map(|(_, b)| b.len() as i64).sum();
    assert!(delivery.sent_bytes >= rest && delivery.sent_bytes < rest + 10_000, "{} sent, {rest} left", delivery.sent_bytes);
}

/// A 409 (offset conflict) makes the client ask the server's offset and carry on; a 429 is
/// retried like a 5xx.
#[test]
fn conflicts_and_rate_limits_are_survived() {
    for status in [409, 429] {
        let case = Case::new();
        let proxy = case.proxy.clone();
        let mut armed = true;
        case.on_event(move |e| {
            if armed && matches!(e, Event::Progress { package_sent, .. } if *package_sent >= 2 * CHUNK as i64) {
                armed = false;
                proxy.respond_with(status, 2, None);
            }
        });
        case.deliver(config(), &CancellationToken::new()).unwrap();
        case.assert_delivered();
        assert_eq!(case.proxy.requests().iter().filter(|r| r.status == Some(status)).count(), 2, "{status}");
        assert_eq!(case.resent_bytes(), 0, "{status}");
    }
}

/// Resumed with another endpoint (`outbox resume --endpoint B`), uploads stored under the old
/// server A are not continued there: nothing more goes to A, every file starts afresh at B,
/// and B assembles the package.
#[test]
fn a_changed_endpoint_delivers_to_the_new_server() {
    let case = Case::new();
    case.deliver_then_cancel(2, config());
    let on_a = |case: &Case| case.package.files.iter().filter_map(|(n, _)| case.outbox.upload_mark(case.id(), n).unwrap()).count();
    assert!(on_a(&case) > 0, "some upload was under way at A");
    let requests_to_a = case.proxy.requests().len();

    let b = TusServer::start();
    let client = TusClient::new(&b.endpoint(), config()).unwrap();
    let uploader = Uploader::new(case.outbox.clone(), Arc::new(client), case.recorder.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(uploader.deliver(case.id(), &CancellationToken::new())).unwrap();
    assert_eq!(case.proxy.requests().len(), requests_to_a, "nothing more went to A");
    *case.server.lock().unwrap() = b;
    case.assert_delivered();
}

/// Flips the last byte of the file at `path`, in place.
fn flip_last_byte(path: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    let mut bytes = std::fs::read(path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start(last as u64)).unwrap();
    file.write_all(&bytes[last..]).unwrap();
}

/// From a plaintext outbox each material streams from its blob file while it is sent, not from
/// a copy in memory: a byte changed in the blob after the upload began reaches the server,
/// whose check of the finished upload against its SHA-256 refuses it (460).
#[test]
fn a_plaintext_outbox_streams_materials_from_their_blobs() {
    let case = Case::with_key(None);
    let (name, bytes) = case.package.files.iter().max_by_key(|(_, b)| b.len()).unwrap().clone();
    assert!(bytes.len() > 3 * CHUNK, "{name} spans more than three chunks");
    let blob = case.blob(&name);
    let mut flipped = false;
    let target = name.clone();
    case.on_event(move |e| {
        if let Event::Progress { file, sent, .. } = e {
            if !flipped && *file == target && *sent >= CHUNK as i64 {
                flipped = true;
                flip_last_byte(&blob);
            }
        }
    });
    let err = case.deliver_with(1, config(), &CancellationToken::new()).unwrap_err();
    assert!(matches!(err, Error::UploadRejected { status: 460, .. }), "{err:?}");
    let server = case.server.lock().unwrap();
    let stored = server.stored_uploads().into_iter().find(|u| u.metadata.get("filename") == Some(&name)).unwrap();
    let sent = std::fs::read(&stored.path).unwrap();
    assert_eq!(sent.len(), bytes.len());
    assert_eq!((&sent[..bytes.len() - 1], sent[bytes.len() - 1]), (&bytes[..bytes.len() - 1], bytes[bytes.len() - 1] ^ 0xff));
}

/// Blobs damaged on disk before the upload are found by the first pass over each: the upload
/// stops before a byte is sent. Repaired, the package is delivered from the plaintext outbox.
#[test]
fn a_damaged_blob_is_refused_before_a_byte_is_sent() {
    let case = Case::with_key(None);
    let blobs: Vec<_> = case.package.files.iter().map(|(name, _)| case.blob(name)).collect();
    blobs.iter().for_each(|b| flip_last_byte(b));
    let err = case.deliver(config(), &CancellationToken::new()).unwrap_err();
    assert!(matches!(err, Error::Storage { ref reason, .. } if reason.contains("does not hash")), "{err:?}");
    assert_eq!(case.proxy.body_bytes_forwarded("PATCH") + case.proxy.body_bytes_forwarded("POST"), 0);
    blobs.iter().for_each(|b| flip_last_byte(b));
    case.deliver(config(), &CancellationToken::new()).unwrap();
    case.assert_delivered();
    assert_eq!(case.resent_bytes(), 0);
}
