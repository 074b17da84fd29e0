//! Uploads one file with hexin's tus client and prints one JSON line: bytes, seconds (from the
//! first request to the last acknowledgement), MB/s and the process's peak RSS. Used by
//! bench/upload.sh to compare with curl.
//!
//! `tus_upload ENDPOINT FILE SHA256 [CHUNK_SIZE]` — the SHA-256 is computed by the caller so
//! hashing is not timed. With CHUNK_SIZE, chunks are fixed at that size; without, the default
//! (1 MiB, doubling to 8 MiB while the network keeps up).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use hexin_core::upload::{upload_file, Source, TransferHooks, TusClient, UploadConfig};
use tokio_util::sync::CancellationToken;

struct Quiet;

impl TransferHooks for Quiet {
    fn created(&self, _: &str) {}
    fn confirmed(&self, _: &str, _: u64) {}
    fn progress(&self, _: u64, _: u64) {}
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok()).unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: tus_upload ENDPOINT FILE SHA256 [CHUNK_SIZE]");
        std::process::exit(2);
    }
    let mut config = UploadConfig::default();
    if let Some(chunk) = args.get(4).and_then(|c| c.parse().ok()) {
        (config.chunk_size, config.max_chunk_size) = (chunk, chunk);
    }
    let client = TusClient::new(&args[1], config).unwrap_or_else(|e| panic!("{e}"));
    let path = PathBuf::from(&args[2]);
    let metadata: BTreeMap<String, String> =
        [("filename".to_string(), "bench.bin".to_string()), ("sha256".to_string(), args[3].clone()), ("kind".to_string(), "other".to_string())].into();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap_or_else(|e| panic!("{e}"));
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
