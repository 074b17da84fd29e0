//! `hexin check`: one verdict per file.
//!
//! Exit status: 0 when every file is accepted, 1 when any is rejected, 2 on usage or I/O errors.
//!
//! `--out` never overwrites: an accepted `x.png` is written as `x.jpg`, or as `x-2.jpg`,
//! `x-3.jpg`, … when that name is taken, by a file already there or by an earlier input with the
//! same stem (`a/x.jpg` and `b/x.png`). The name written is reported (`output.file` in JSON).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use hexin_core::{Error, Finding, MaterialKind, Report, Severity, Verdict};
use serde_json::{json, Value};

use crate::common::Lang;
use crate::{load_policy, usage_error};

#[derive(clap::Args)]
pub struct Args {
    /// Material kind.
    #[arg(long, value_parser = material_kinds())]
    material: MaterialKind,
    /// Policy file (TOML or JSON); the embedded ICP policy by default.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// One JSON object per line per file.
    #[arg(long)]
    json: bool,
    /// Write the normalized JPEGs of accepted files here, never over an existing file (x.jpg, or
    /// x-2.jpg, x-3.jpg, … when taken).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Language of the readable report's messages.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Image files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Every material kind by its kebab-case name, listed in `--help` and in the error for another.
fn material_kinds() -> impl TypedValueParser<Value = MaterialKind> {
    PossibleValuesParser::new(MaterialKind::ALL.map(MaterialKind::as_str)).try_map(|name| name.parse::<MaterialKind>())
}

/// What happened to one file.
#[expect(clippy::large_enum_variant, reason = "one per file, printed and dropped")]
enum Outcome {
    Checked(Report),
    Refused(Error),
}

pub fn run(args: Args) -> ExitCode {
    let policy = match load_policy(args.policy.as_deref()) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    if let Some(dir) = &args.out {
        if let Err(e) = fs::create_dir_all(dir) {
            return usage_error(&format!("--out {}: {e}", dir.display()));
        }
    }
    let (mut rejected, mut io_failed) = (false, false);
    for file in &args.files {
        // A file that is not a regular file, or over the input limit, is refused like bad bytes;
        // one that cannot be read at all is an I/O error.
        let outcome = match hexin_core::input::read_capture(file, &policy.limits) {
            Ok(bytes) => match hexin_core::check(&bytes, args.material, &policy) {
                Ok(report) => Outcome::Checked(report),
                Err(e) => Outcome::Refused(e),
            },
            Err(e @ (Error::NotAFile { .. } | Error::InputTooLarge { .. })) => Outcome::Refused(e),
            Err(e) => {
                eprintln!("hexin: {e}");
                io_failed = true;
                continue;
            }
        };
        let mut written = None;
        if let (Some(dir), Outcome::Checked(Report { output: Some(out), .. })) = (&args.out, &outcome) {
            match write_new(dir, file, &out.jpeg) {
                Ok(path) => written = Some(path),
                Err(e) => {
                    eprintln!("hexin: --out {}: {e}", dir.display());
                    io_failed = true;
                }
            }
        }
        rejected |= verdict(&outcome) == Verdict::Reject;
        if args.json {
            outln!("{}", to_json(file, args.material, &outcome, written.as_deref()));
        } else {
            out!("{}", to_text(file, args.material, &outcome, args.lang, written.as_deref()));
        }
    }
    ExitCode::from(if io_failed { 2 } else if rejected { 1 } else { 0 })
}

/// How many outputs may share one input stem (`x.jpg` to `x-1000.jpg`).
const MAX_SAME_STEM: u32 = 1000;

/// Writes `bytes` to a new file in `dir` named for `input` (see the module doc); returns its path.
fn write_new(dir: &Path, input: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "capture".into());
    for n in 1..=MAX_SAME_STEM {
        let path = dir.join(if n == 1 { format!("{stem}.jpg") } else { format!("{stem}-{n}.jpg") });
        let mut file = match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        if let Err(e) = file.write_all(bytes) {
            // The write failed; the partial file is ours to remove, and the error says why.
            return Err(match fs::remove_file(&path) {
                Ok(()) => e,
                Err(_) => io::Error::new(e.kind(), format!("{e} ({} is left partial)", path.display())),
            });
        }
        return Ok(path);
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{stem}.jpg to {stem}-{MAX_SAME_STEM}.jpg all exist")))
}

fn verdict(outcome: &Outcome) -> Verdict {
    match outcome {
        Outcome::Checked(report) => report.verdict,
        Outcome::Refused(_) => Verdict::Reject,
    }
}

/// Findings as reported: an unreadable file is one blocking finding.
fn findings(outcome: &Outcome) -> Vec<Finding> {
    match outcome {
        Outcome::Checked(report) => report.findings.clone(),
        Outcome::Refused(e) => {
            let (measured, limit) = e.measured_and_limit().unzip();
            vec![Finding { code: e.code(), severity: Severity::Block, measured, limit, message: e.message() }]
        }
    }
}

fn to_json(file: &Path, material: MaterialKind, outcome: &Outcome, written: Option<&Path>) -> Value {
    let output = match outcome {
        Outcome::Checked(Report { output: Some(o), .. }) => {
            let written = written.map(|p| p.display().to_string());
            json!({ "width": o.width, "height": o.height, "bytes": o.bytes, "sha256": o.sha256, "file": written })
        }
        _ => Value::Null,
    };
    let document = match outcome {
        Outcome::Checked(Report { document: Some(d), .. }) => json!({
            "corners": d.corners.corners().map(|p| [p.x, p.y]),
            "confidence": d.confidence,
            "complete": d.complete,
            "coverage": d.coverage,
            "perspective": d.perspective,
        }),
        _ => Value::Null,
    };
    let face = match outcome {
        Outcome::Checked(Report { face: Some(f), .. }) => json!(f),
        _ => Value::Null,
    };
    json!({
        "file": file.display().to_string(),
        "document": document,
        "face": face,
        "material": material,
        "verdict": verdict(outcome),
        "findings": findings(outcome),
        "output": output,
    })
}

fn to_text(file: &Path, material: MaterialKind, outcome: &Outcome, lang: Lang, written: Option<&Path>) -> String {
    let verdict = match verdict(outcome) {
        Verdict::Accept => "ACCEPT",
        Verdict::Reject => "REJECT",
    };
    let mut text = format!("{}  [{material}]  {verdict}\n", file.display());
    for f in findings(outcome) {
        let message = lang.pick(&f.message);
        let severity = match f.severity {
            Severity::Block => "block",
            Severity::Warn => "warn",
        };
        let numbers = match (f.measured, f.limit) {
            (Some(m), Some(l)) => format!(" (measured {m}, limit {l})"),
            _ => String::new(),
        };
        text += &format!("  {severity:<5} {}{numbers}: {message}\n", f.code);
    }
    if let Outcome::Checked(Report { document: Some(d), .. }) = outcome {
        let corners: Vec<String> = d.corners.corners().iter().map(|p| format!("({:.0}, {:.0})", p.x, p.y)).collect();
        text += &format!("  document at {}, confidence {:.2}\n", corners.join(" "), d.confidence);
    }
    if let Outcome::Checked(Report { output: Some(o), .. }) = outcome {
        text += &format!("  output {}x{}, {} bytes, JPEG quality {}, sha256 {}\n", o.width, o.height, o.bytes, o.quality, o.sha256);
    }
    if let Some(path) = written {
        text += &format!("  written to {}\n", path.display());
    }
    text
}
