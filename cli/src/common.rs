//! What several commands share: the outbox's location, the tus connection, how a failed
//! delivery is reported, and the language of readable messages.

use std::future::Future;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hexin_core::delivery::{Listener, Uploader, DEFAULT_PARALLEL};
use hexin_core::outbox::{Outbox, OutboxConfig};
use hexin_core::tus::{TusClient, UploadConfig};
use hexin_core::{Error, Message};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::progress::{JsonLines, ProgressBar};

/// The language of readable messages (`--lang`).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// `message`'s text in this language.
    pub fn pick(self, message: &Message) -> &str {
        match self {
            Lang::En => &message.en,
            Lang::Zh => &message.zh,
        }
    }
}

/// Where the outbox is and how to open it.
#[derive(clap::Args)]
pub struct Location {
    /// The outbox directory.
    #[arg(long)]
    pub outbox: PathBuf,
    /// A file holding the outbox's 256-bit key as 64 hex characters; the outbox is then
    /// encrypted at rest (decided when it is created).
    #[arg(long)]
    pub key_file: Option<PathBuf>,
}

impl Location {
    /// Opens the outbox, reading the key file if given.
    pub fn open(&self) -> Result<Outbox, String> {
        let key = self.key_file.as_deref().map(read_key).transpose()?;
        Outbox::open(&self.outbox, OutboxConfig { key, ..OutboxConfig::default() }).map_err(|e| format!("outbox {}: {e}", self.outbox.display()))
    }
}

fn read_key(path: &Path) -> Result<[u8; 32], String> {
    let text = crate::read_text(path).map_err(|e| format!("--key-file {e}"))?;
    let hex = text.trim();
    let bytes: Option<Vec<u8>> =
        (hex.len() == 64).then(|| (0..32).map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()).collect()).flatten();
    bytes.and_then(|b| b.try_into().ok()).ok_or_else(|| format!("--key-file {}: expected 64 hex characters", path.display()))
}

/// The server and how to talk to it.
#[derive(clap::Args)]
pub struct Connection {
    /// The tus creation endpoint, e.g. http://127.0.0.1:1080/files/
    #[arg(long)]
    endpoint: String,
    /// Bytes per PATCH request, fixed. By default chunks start at 1 MiB and double while the
    /// network keeps up, to 8 MiB.
    #[arg(long)]
    chunk_size: Option<usize>,
    /// Materials uploaded at once.
    #[arg(long, default_value_t = DEFAULT_PARALLEL)]
    parallel: usize,
    /// An origin (scheme://host[:port]) besides the endpoint's where the server may place
    /// uploads; repeatable. Upload URLs anywhere else are refused (upload_url_refused).
    #[arg(long = "allowed-origin", value_name = "ORIGIN")]
    allowed_origins: Vec<String>,
    /// JSON events on stdout instead of a progress bar (the default when stdout is not a terminal).
    #[arg(long)]
    pub json: bool,
}

impl Connection {
    /// The defaults for `endpoint`, for work that sends no files (terminating uploads).
    pub fn quiet(endpoint: String) -> Connection {
        Connection { endpoint, chunk_size: None, parallel: DEFAULT_PARALLEL, allowed_origins: vec![], json: true }
    }

    /// Runs `work` with an uploader for `outbox` on a Tokio runtime.
    pub fn run<F, Fut, T>(&self, outbox: Arc<Outbox>, work: F) -> Result<T, Error>
    where
        F: FnOnce(Uploader, CancellationToken) -> Fut,
        Fut: Future<Output = T>,
    {
        let config = UploadConfig { allowed_origins: self.allowed_origins.clone(), ..UploadConfig::default() }.with_fixed_chunks(self.chunk_size);
        let client = Arc::new(TusClient::new(&self.endpoint, config)?);
        let listener: Arc<dyn Listener> = if as_json(self.json) { Arc::new(JsonLines) } else { Arc::new(ProgressBar::new()) };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Storage { op: "tokio runtime".into(), reason: e.to_string() })?;
        Ok(runtime.block_on(work(Uploader::new(outbox, client, listener).with_parallel(self.parallel), CancellationToken::new())))
    }

    /// Prints a final line: JSON, or readable text.
    pub fn say(&self, value: &Value) {
        if as_json(self.json) {
            outln!("{value}");
        } else {
            outln!("{} {}", value["event"].as_str().unwrap_or_default().to_uppercase(), value["package_id"].as_str().unwrap_or_default());
            if let Some(digest) = value["digest"].as_str() {
                outln!("  digest {digest}, {} bytes sent", value["sent_bytes"]);
            }
        }
    }
}

/// Whether events and outcomes are JSON lines: asked for, or stdout is not a terminal.
fn as_json(asked: bool) -> bool {
    asked || !std::io::stdout().is_terminal()
}

/// Prints why a package was not delivered.
pub fn report_failure(json: bool, id: &str, e: &Error) {
    if as_json(json) {
        outln!("{}", json!({ "event": "failed", "package_id": id, "code": e.code(), "error": e.to_string(), "message": e.message() }));
    } else {
        outln!("FAILED {id}: {e}\n  {}", e.message().en);
    }
}
