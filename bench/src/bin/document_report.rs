//! hexin's side of `bench/documents.sh` and `bench/faces.sh`: `check` on each file, its whole
//! report as JSON.
//!
//! ```text
//! document_report --material KIND [--policy FILE] [--repeat N] FILE...
//! ```
//!
//! One JSON line per file: `{"file": F, "report": <Report>}`, or `{"file": F, "error": {"code",
//! "message"}}` when `check` refuses the bytes. With `--repeat N`, `check` runs N times per file
//! and the line also carries `"ms"`, the median wall time of one `check` (bytes in memory). The report is serialized whole, so whatever
//! `Report` carries (findings, metrics, and the document once `check` finds one) reaches the
//! scorer without this driver changing.

use std::process::ExitCode;
use std::time::Instant;

use hexin_core::{check, MaterialKind, Policy};
use serde_json::json;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("document_report: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (mut material, mut policy_file, mut files, mut repeat) = (None, None, Vec::new(), None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--material" => {
                let kind = it.next().ok_or("--material needs a value")?;
                material = Some(kind.parse::<MaterialKind>().map_err(|e| format!("--material {kind}: {e}"))?);
            }
            "--policy" => policy_file = Some(it.next().ok_or("--policy needs a value")?),
            "--repeat" => {
                let n = it.next().ok_or("--repeat needs a value")?;
                repeat = Some(n.parse::<usize>().ok().filter(|&n| n > 0).ok_or(format!("--repeat {n}: not a positive count"))?);
            }
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ => files.push(a),
        }
    }
    let material = material.ok_or("--material KIND is required")?;
    if files.is_empty() {
        return Err("no files".into());
    }
    let policy = match policy_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            Policy::parse(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => Policy::icp_default(),
    };
    for file in files {
        let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
        let mut times = Vec::new();
        let mut result = check(&bytes, material, &policy);
        for _ in 0..repeat.unwrap_or(0) {
            let start = Instant::now();
            result = check(&bytes, material, &policy);
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        let mut line = match result {
            Ok(report) => json!({ "file": file, "report": report }),
            Err(e) => json!({ "file": file, "error": { "code": e.code(), "message": e.to_string() } }),
        };
        if !times.is_empty() {
            times.sort_by(f64::total_cmp);
            line["ms"] = json!(times[times.len() / 2]);
        }
        println!("{line}");
    }
    Ok(())
}
