//! `hexin upload`: deliver a sealed package directory through the outbox to a tus server.
//!
//! The package is verified, stored in the outbox (or found there from an earlier, interrupted
//! run, by its id and its exact manifest: another package under the same id is
//! `package_conflict`) and uploaded; a progress bar on a terminal, JSON events otherwise (or with `--json`).
//! Exit status: 0 only when the server acknowledged the commit; 1 when the package is broken,
//! conflicts with another under its id, or the upload failed (it stays in the outbox: run the command again or `hexin outbox resume`);
//! 2 on usage or storage errors.

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use hexin_core::delivery::{Event, Listener, Uploader, DEFAULT_PARALLEL};
use hexin_core::package::verify::MAX_MANIFEST_BYTES;
use hexin_core::input;
use hexin_core::package::manifest;
use hexin_core::outbox::{Outbox, PackageState};
use hexin_core::tus::{TusClient, UploadConfig};
use hexin_core::package::verify::{verify_dir, Options};
use hexin_core::Error;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::outbox::Location;
use crate::usage_error;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: Location,
    #[command(flatten)]
    connection: Connection,
    /// The sealed package directory (manifest.json and its files).
    package: PathBuf,
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
        let mut config =
            UploadConfig { allowed_origins: self.allowed_origins.clone(), ..UploadConfig::default() };
        if let Some(fixed) = self.chunk_size {
            (config.chunk_size, config.max_chunk_size) = (fixed, fixed);
        }
        let client = Arc::new(TusClient::new(&self.endpoint, config)?);
        let listener: Arc<dyn Listener> = if self.json || !std::io::stdout().is_terminal() {
            Arc::new(JsonLines)
        } else {
            Arc::new(ProgressBar::default())
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Storage { op: "tokio runtime".into(), reason: e.to_string() })?;
        Ok(runtime.block_on(work(Uploader::new(outbox, client, listener).with_parallel(self.parallel), CancellationToken::new())))
    }

    /// Prints a final line: JSON, or readable text.
    pub fn say(&self, value: &Value) {
        if self.json || !std::io::stdout().is_terminal() {
            outln!("{value}");
        } else {
            eprintln!();
            outln!("{} {}", value["event"].as_str().unwrap_or_default().to_uppercase(), value["package_id"].as_str().unwrap_or_default());
            if let Some(digest) = value["digest"].as_str() {
                outln!("  digest {digest}, {} bytes sent", value["sent_bytes"]);
            }
        }
    }
}

/// Prints why a package was not delivered.
pub fn report_failure(json: bool, id: &str, e: &Error) {
    if json || !std::io::stdout().is_terminal() {
        outln!("{}", json!({ "event": "failed", "package_id": id, "code": e.code(), "error": e.to_string(), "message": e.message() }));
    } else {
        eprintln!();
        outln!("FAILED {id}: {e}\n  {}", e.message().en);
    }
}

pub fn run(args: Args) -> ExitCode {
    let v = verify_dir(&args.package, &Options::default());
    if !v.is_intact() {
        for p in &v.problems {
            eprintln!("hexin: {}: {} {}: {}", args.package.display(), p.code, p.at, p.message.en);
        }
        return ExitCode::from(1);
    }
    let Some(id) = v.package_id else { return usage_error("the package has no id") };
    let outbox = match args.at.open() {
        Ok(o) => Arc::new(o),
        Err(e) => return usage_error(&e),
    };
    let manifest_bytes = match input::read(&args.package.join(manifest::FILE_NAME), MAX_MANIFEST_BYTES as u64) {
        Ok(bytes) => bytes,
        Err(e) => return usage_error(&e.to_string()),
    };
    // Already stored or delivered only if the outbox holds this very manifest under this id.
    match outbox.holds(&id, &manifest_bytes) {
        Ok(Some(PackageState::Committed)) => {
            args.connection.say(&json!({ "event": "delivered", "package_id": id, "note": "already delivered earlier" }));
            return ExitCode::SUCCESS;
        }
        Ok(Some(_)) => {}
        Ok(None) => {
            if let Err(e) = store(&outbox, &id, &manifest_bytes, &args.package) {
                return usage_error(&e.to_string());
            }
        }
        Err(e @ Error::PackageConflict { .. }) => {
            report_failure(args.connection.json, &id, &e);
            return ExitCode::from(1);
        }
        Err(e) => return usage_error(&e.to_string()),
    }
    let pid = id.clone();
    let result = args.connection.run(outbox, |uploader, cancel| async move { uploader.deliver(&pid, &cancel).await });
    match result.and_then(|r| r) {
        Ok(d) => {
            args.connection.say(&json!({ "event": "delivered", "package_id": id, "digest": d.digest, "sent_bytes": d.sent_bytes, "bytes": d.bytes }));
            ExitCode::SUCCESS
        }
        Err(e) => {
            report_failure(args.connection.json, &id, &e);
            ExitCode::from(1)
        }
    }
}

/// Copies a verified package directory, with the manifest as read, into the outbox as a
/// sealed package.
fn store(outbox: &Outbox, id: &str, manifest_bytes: &[u8], dir: &std::path::Path) -> Result<(), Error> {
    let m: manifest::Manifest = serde_json::from_slice(manifest_bytes).map_err(|e| Error::ManifestInvalid { reason: e.to_string() })?;
    if m.package_id != id {
        return Err(Error::ManifestInvalid { reason: "manifest.json changed after it was verified".into() });
    }
    let files = m.materials.iter().map(|e| Ok((e.file.clone(), hexin_core::input::read(&dir.join(&e.file), e.bytes)?))).collect::<Result<Vec<_>, Error>>()?;
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    outbox.seal(id, manifest_bytes, &refs)
}

/// Events as JSON lines on stdout.
struct JsonLines;

impl Listener for JsonLines {
    fn on_event(&self, event: Event) {
        let mut out = std::io::stdout().lock();
        let _ = serde_json::to_writer(&mut out, &event);
        let _ = writeln!(out);
    }
}

/// A one-line progress bar on stderr.
#[derive(Default)]
struct ProgressBar {
    shown: Mutex<u64>,
}

impl Listener for ProgressBar {
    fn on_event(&self, event: Event) {
        let line = match &event {
            Event::Progress { package_id, package_sent, package_total, .. } => {
                let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
                *shown = *package_sent;
                let fraction = if *package_total == 0 { 1.0 } else { *package_sent as f64 / *package_total as f64 };
                let filled = (fraction * 30.0).round() as usize;
                format!(
                    "\r{} [{}{}] {:>5.1}%  {:.1}/{:.1} MB",
                    &package_id[..package_id.len().min(8)],
                    "#".repeat(filled.min(30)),
                    " ".repeat(30 - filled.min(30)),
                    fraction * 100.0,
                    *package_sent as f64 / 1e6,
                    *package_total as f64 / 1e6
                )
            }
            Event::Committed { .. } => "\rcommit acknowledged".to_string() + &" ".repeat(40),
            _ => return,
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{line}");
        let _ = err.flush();
    }
}
