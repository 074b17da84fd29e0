//! The upload client against a tus server that misbehaves on purpose: every case ends in
//! bounded time, with a bounded number of bytes sent, and with the error code that names what
//! the server did.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hexin_core::tus::{upload_file, Source, TransferHooks, TusClient, Transferred, UploadConfig, SEND_ALLOWANCE};
use hexin_core::{Code, Error, FailureKind};
use hexin_e2e::{MisbehavingServer, Misbehaviour};
use tokio_util::sync::CancellationToken;

const CHUNK: usize = 16 * 1024;
const FILE_LEN: usize = 200 * 1024;
/// Far more than any case needs; on a client that loops forever the test fails here.
const BOUND: Duration = Duration::from_secs(20);

fn config() -> UploadConfig {
    UploadConfig {
        chunk_size: CHUNK,
        max_chunk_size: CHUNK,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        request_timeout: Duration::from_secs(5),
        ..UploadConfig::default()
    }
}

/// The upload URLs the client persisted.
#[derive(Default)]
struct Hooks(Mutex<Vec<String>>);

impl TransferHooks for Hooks {
    fn created(&self, url: &str) {
        self.0.lock().unwrap().push(url.to_owned());
    }
    fn confirmed(&self, _: &str, _: u64) {}
    fn progress(&self, _: u64, _: u64) {}
}

/// Uploads a `FILE_LEN`-byte file to `endpoint`, failing the test if it takes longer than `BOUND`.
fn upload(endpoint: &str, config: UploadConfig) -> (Result<Transferred, Error>, Arc<Hooks>) {
    let hooks = Arc::new(Hooks::default());
    let client = TusClient::new(endpoint, config).unwrap();
    let source = Source::Bytes((0..FILE_LEN).map(|i| (i % 251) as u8).collect());
    let (metadata, cancel) = (BTreeMap::new(), CancellationToken::new());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let started = Instant::now();
    let work = upload_file(&client, &source, &metadata, None, hooks.as_ref(), &cancel);
    let result = runtime.block_on(async { tokio::time::timeout(BOUND, work).await }).expect("the upload did not end in bounded time");
    eprintln!("ended in {:?}: {:?}", started.elapsed(), result.as_ref().err());
    (result, hooks)
}

fn kind(err: &Error) -> Option<FailureKind> {
    match err {
        Error::UploadFailed { kind, .. } => Some(*kind),
        _ => None,
    }
}

#[test]
fn servers_confirming_nothing_or_one_byte_per_patch_run_the_retry_budget_out() {
    for misbehaviour in [Misbehaviour::NoProgress, Misbehaviour::OneBytePerPatch] {
        let server = MisbehavingServer::start(misbehaviour.clone());
        let (result, _) = upload(&server.endpoint(), config());
        let err = result.unwrap_err();
        assert_eq!((err.code(), kind(&err)), (Code::UploadFailed, Some(FailureKind::NoProgress)), "{misbehaviour:?}: {err}");
        assert!(matches!(err, Error::UploadFailed { attempts: 8, .. }), "{err}");
        assert!(err.to_string().contains("no_progress"), "{err}");
        // One chunk per attempt.
        assert_eq!(server.body_bytes(), 8 * CHUNK as u64, "{misbehaviour:?}");
    }
}

/// With retries unbounded, the byte budget still ends the upload: 3x the file plus the allowance.
#[test]
fn the_byte_budget_ends_an_upload_that_never_finishes() {
    let server = MisbehavingServer::start(Misbehaviour::OneBytePerPatch);
    let config = UploadConfig { max_attempts: u32::MAX, base_delay: Duration::ZERO, max_delay: Duration::ZERO, ..config() };
    let (result, _) = upload(&server.endpoint(), config);
    let err = result.unwrap_err();
    assert_eq!((err.code(), kind(&err)), (Code::UploadFailed, Some(FailureKind::NoProgress)), "{err}");
    let limit = 3 * FILE_LEN as u64 + SEND_ALLOWANCE;
    assert!(server.body_bytes() <= limit && server.body_bytes() > limit - CHUNK as u64, "{} bytes", server.body_bytes());
}

#[test]
fn a_location_on_another_origin_is_refused_and_nothing_goes_there() {
    let elsewhere = MisbehavingServer::start(Misbehaviour::None);
    let server = MisbehavingServer::start(Misbehaviour::Location(elsewhere.add_upload(FILE_LEN as u64)));
    let (result, hooks) = upload(&server.endpoint(), config());
    let err = result.unwrap_err();
    assert_eq!(err.code(), Code::UploadUrlRefused, "{err}");
    assert!(elsewhere.requests().is_empty(), "{:?}", elsewhere.requests());
    assert!(hooks.0.lock().unwrap().is_empty(), "a refused URL is never persisted");
    assert_eq!(server.requests().iter().filter(|r| r.method == "POST").count(), 1, "not retried");

    // Allowed by the configuration, the same Location is followed.
    let allowed = UploadConfig { allowed_origins: vec![format!("http://127.0.0.1:{}", elsewhere.port())], ..config() };
    let (result, _) = upload(&server.endpoint(), allowed);
    assert_eq!(result.unwrap().length, FILE_LEN as u64);
    assert_eq!(elsewhere.body_bytes(), FILE_LEN as u64);
}

#[test]
fn credentials_in_a_location_are_refused_and_never_sent() {
    let server = MisbehavingServer::start(Misbehaviour::Location("http://user:secret@127.0.0.1:{port}/files/1".into()));
    let (result, hooks) = upload(&server.endpoint(), config());
    let err = result.unwrap_err();
    assert_eq!(err.code(), Code::UploadUrlRefused, "{err}");
    assert!(!err.to_string().contains("secret"), "{err}");
    assert!(hooks.0.lock().unwrap().is_empty());
    let requests = server.requests();
    assert!(requests.iter().all(|r| !r.authorization), "{requests:?}");
    assert!(requests.iter().all(|r| r.method != "PATCH"), "{requests:?}");
}

#[test]
fn an_offset_beyond_the_length_is_a_protocol_violation() {
    let server = MisbehavingServer::start(Misbehaviour::OffsetBeyondLength);
    let (result, _) = upload(&server.endpoint(), config());
    let err = result.unwrap_err();
    assert_eq!(err.code(), Code::ProtocolViolation, "{err}");
    assert!(server.body_bytes() <= 2 * CHUNK as u64, "{}", server.body_bytes());
}

#[test]
fn a_patch_answer_without_an_offset_is_a_protocol_violation() {
    let server = MisbehavingServer::start(Misbehaviour::NoOffset);
    let (result, _) = upload(&server.endpoint(), config());
    assert_eq!(result.unwrap_err().code(), Code::ProtocolViolation);
}

/// A success answer's body is never read: an endless one costs nothing. A rejection's body is
/// quoted, but only its start.
#[test]
fn an_endless_response_body_is_not_read() {
    let server = MisbehavingServer::start(Misbehaviour::EndlessBody(200));
    let (result, _) = upload(&server.endpoint(), config());
    assert_eq!(result.unwrap().length, FILE_LEN as u64);

    let server = MisbehavingServer::start(Misbehaviour::EndlessBody(400));
    let (result, _) = upload(&server.endpoint(), config());
    let err = result.unwrap_err();
    assert!(matches!(&err, Error::UploadRejected { status: 400, reason } if reason.len() < 300), "{err}");
}
