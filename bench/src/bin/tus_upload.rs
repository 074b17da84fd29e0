//! Uploads one file with hexin's tus client and prints one JSON line: bytes, seconds (from the
//! first request to the last acknowledgement), MB/s and the process's peak RSS. Used by
//! bench/upload.sh to compare with curl.
//!
//! `tus_upload ENDPOINT FILE [SHA256] [--chunk-size N] [--workers N]`
//!
//! - SHA256: the file's digest for the `sha256` metadata (the test server checks it). When
//!   omitted it is computed here, streaming, before the timer starts; either way hashing is
//!   not timed.
//! - `--chunk-size N`: fixed chunks of N bytes. Without it, the default (1 MiB, doubling to
//!   8 MiB while each chunk is confirmed within a second).
//! - `--workers N`: 0 (default) runs a current-thread tokio runtime, N > 0 a multi-thread one
//!   with N workers. On 2 shared cores the two measured the same within noise
//!   (bench/RESULTS.md), so the simpler current-thread runtime is the default.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use hexin_core::tus::{upload_file, Source, TransferHooks, TusClient, UploadConfig};
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

struct Quiet;

impl TransferHooks for Quiet {
    fn created(&self, _: &str) {}
    fn confirmed(&self, _: &str, _: u64) {}
    fn progress(&self, _: u64, _: u64) {}
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The file's SHA-256 in hex, read 1 MiB at a time.
fn sha256_file(path: &PathBuf) -> String {
    let mut file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut hash = Sha256::new();
    let mut buf = vec![0; 1 << 20];
    loop {
        match file.read(&mut buf).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
            0 => break,
            n => hash.update(&buf[..n]),
        }
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn usage() -> ! {
    eprintln!("usage: tus_upload ENDPOINT FILE [SHA256] [--chunk-size N] [--workers N]");
    std::process::exit(2);
}

fn main() {
    let mut positional = Vec::new();
    let (mut chunk, mut workers) = (None::<usize>, 0usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--chunk-size" => chunk = Some(args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage())),
            "--workers" => workers = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage()),
            _ if arg.starts_with("--") => usage(),
            _ => positional.push(arg),
        }
    }
    if !(2..=3).contains(&positional.len()) {
        usage();
    }
    let mut config = UploadConfig::default();
    if let Some(chunk) = chunk {
        (config.chunk_size, config.max_chunk_size) = (chunk, chunk);
    }
    let path = PathBuf::from(&positional[1]);
    let sha256 = positional.get(2).cloned().unwrap_or_else(|| sha256_file(&path));
    let client = TusClient::new(&positional[0], config).unwrap_or_else(|e| panic!("{e}"));
    let metadata: BTreeMap<String, String> = [
        ("filename".to_string(), "bench.bin".to_string()),
        ("sha256".to_string(), sha256),
        ("kind".to_string(), "other".to_string()),
    ]
    .into();
    let runtime = match workers {
        0 => tokio::runtime::Builder::new_current_thread().enable_all().build(),
        n => tokio::runtime::Builder::new_multi_thread().worker_threads(n).enable_all().build(),
    }
    .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let uploaded = runtime
        .block_on(upload_file(&client, &Source::Path(path), &metadata, None, &Quiet, &CancellationToken::new()))
        .unwrap_or_else(|e| panic!("{e}"));
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"bytes\":{},\"seconds\":{seconds:.4},\"mb_per_s\":{:.1},\"peak_rss_kb\":{}}}",
        uploaded.length,
        uploaded.length as f64 / 1e6 / seconds,
        peak_rss_kb()
    );
}
