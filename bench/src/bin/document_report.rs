//! hexin's side of `bench/documents.sh`: `check` on each file, its whole report as JSON.
//!
//! ```text
//! document_report --material KIND [--policy FILE] FILE...
//! ```
//!
//! One JSON line per file: `{"file": F, "report": <Report>}`, or `{"file": F, "error": {"code",
//! "message"}}` when `check` refuses the bytes. The report is serialized whole, so whatever
//! `Report` carries (findings, metrics, and the document once `check` finds one) reaches the
//! scorer without this driver changing.

use std::process::ExitCode;

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
    let (mut material, mut policy_file, mut files) = (None, None, Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--material" => {
                let kind = it.next().ok_or("--material needs a value")?;
                material = Some(kind.parse::<MaterialKind>().map_err(|e| format!("--material {kind}: {e}"))?);
            }
            "--policy" => policy_file = Some(it.next().ok_or("--policy needs a value")?),
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
        let line = match check(&bytes, material, &policy) {
            Ok(report) => json!({ "file": file, "report": report }),
            Err(e) => json!({ "file": file, "error": { "code": e.code(), "message": e.to_string() } }),
        };
        println!("{line}");
    }
    Ok(())
}
