//! `hexin seal`: check, normalize and seal one submission into a package directory.
//!
//! Exit status: 0 sealed, 1 refused (every reason is listed), 2 on usage or I/O errors.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::UNIX_EPOCH;

use hexin_core::package::manifest::{Attestation, Capture, CaptureSource};
use hexin_core::package::seal::{self, Material, Sealing};
use hexin_core::package::signature::SoftwareKey;
use hexin_core::{Error, Place};
use serde_json::json;

use crate::common::Lang;
use crate::filing::{parse_material, Filing, MaterialArg};
use crate::{read_text, usage_error};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    filing: Filing,
    /// A material as KIND[@OWNER]=PATH; repeat for each. OWNER is `subject` or a person's or
    /// website's id in the fields; without it, the owner a one-person, one-website filing gives
    /// the kind. Two people: id-card-front@lisi=lisi-front.jpg id-card-front@wangwu=wangwu-front.jpg.
    #[arg(long = "material", value_name = "KIND[@OWNER]=PATH", value_parser = parse_material, required = true)]
    materials: Vec<MaterialArg>,
    /// Where the photos came from: `camera` when the app that took them says so, else `gallery`
    /// (a file on disk). The default policy wants every material but domain certificates,
    /// pre-approval documents and `other` from the camera (capture_source_not_allowed).
    #[arg(long, value_enum, default_value_t = Source::Gallery)]
    source: Source,
    /// Directory to write the package to; created, and must be empty.
    #[arg(long)]
    out: PathBuf,
    /// Sign with this P-256 private key (PKCS#8 PEM).
    #[arg(long)]
    signing_key: Option<PathBuf>,
    /// A provider's result to bind into the package, e.g.
    /// aliyun:liveness:VERIFY-ID@2026-11-30T12:00:00Z; repeat for each (at most 8).
    ///
    /// The value is split at its last '@' and at the first two ':' before it, so PROVIDER and KIND
    /// hold no ':' and the REFERENCE may hold ':' and '@'. ISSUED_AT is RFC 3339 UTC, exactly
    /// YYYY-MM-DDTHH:MM:SSZ. A part outside its form (empty, a control character, over 256
    /// characters, another time form) is refused as invalid_argument when sealing.
    #[arg(long = "attestation", value_name = "PROVIDER:KIND:REFERENCE@ISSUED_AT", value_parser = parse_attestation)]
    attestations: Vec<Attestation>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Language of the refusal's messages.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
}

/// How the photos reached hexin (`--source`).
#[derive(Clone, Copy, clap::ValueEnum)]
enum Source {
    /// Taken in the app's camera screen.
    Camera,
    /// Picked from the photo library or a file.
    Gallery,
}

impl From<Source> for CaptureSource {
    fn from(source: Source) -> CaptureSource {
        match source {
            Source::Camera => CaptureSource::Camera,
            Source::Gallery => CaptureSource::Gallery,
        }
    }
}

/// The modification time of `path` in seconds since the Unix epoch (negative before 1970).
fn modified_secs(path: &Path) -> std::io::Result<i64> {
    let modified = fs::symlink_metadata(path)?.modified()?;
    Ok(match modified.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs() as i64,
        Err(before) => -(before.duration().as_secs() as i64),
    })
}

/// Splits PROVIDER:KIND:REFERENCE@ISSUED_AT at the last `@` and the first two `:` before it;
/// what each part may hold is checked by [`seal::seal`].
fn parse_attestation(s: &str) -> Result<Attestation, String> {
    let form = "expected PROVIDER:KIND:REFERENCE@ISSUED_AT";
    let (head, issued_at) = s.rsplit_once('@').ok_or(form)?;
    let mut parts = head.splitn(3, ':');
    let (Some(provider), Some(kind), Some(reference)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(form.into());
    };
    Ok(Attestation { provider: provider.into(), kind: kind.into(), reference: reference.into(), issued_at: issued_at.into(), owner: None })
}

pub fn run(args: Args) -> ExitCode {
    let (policy, submission) = match args.filing.load() {
        Ok(loaded) => loaded,
        Err(e) => return usage_error(&e),
    };
    let key = match &args.signing_key {
        None => None,
        Some(path) => match read_text(path).and_then(|pem| SoftwareKey::from_pem(&pem).map_err(|e| e.to_string())) {
            Ok(k) => Some(k),
            Err(e) => return usage_error(&format!("--signing-key {}: {e}", path.display())),
        },
    };
    let mut materials = vec![];
    for m in &args.materials {
        let bytes = match hexin_core::input::read_capture(&m.path, &policy.limits) {
            Ok(b) => b,
            Err(e) => return usage_error(&e.to_string()),
        };
        // A file's capture time is its mtime.
        let mtime = match modified_secs(&m.path) {
            Ok(secs) => secs,
            Err(e) => return usage_error(&format!("{}: modification time: {e}", m.path.display())),
        };
        let capture = Capture::at(args.source.into(), mtime);
        materials.push(Material { slot: m.slot(&submission.fields), capture, checked: hexin_core::check(&bytes, m.kind, &policy) });
    }
    let sealing = match Sealing::new() {
        Ok(s) => s,
        Err(e) => return usage_error(&e.to_string()),
    };
    let sealing = match &key {
        Some(k) => sealing.signed_by(k),
        None => sealing,
    }
    .attested(args.attestations);
    let package = match seal::seal(&submission, materials, &policy, &sealing) {
        Ok(p) => p,
        Err(Error::SealRefused { problems }) => {
            if args.json {
                outln!("{}", json!({ "sealed": false, "problems": problems }));
            } else {
                outln!("REFUSED: the submission cannot be sealed");
                for p in &problems {
                    let message = args.lang.pick(&p.message);
                    outln!("  {}  {}: {message}", p.code, p.at);
                }
            }
            return ExitCode::from(1);
        }
        Err(e) => return usage_error(&e.to_string()),
    };
    if let Err(e) = package.write_to(&args.out) {
        return usage_error(&e.to_string());
    }
    let m = &package.manifest;
    if args.json {
        let files: Vec<_> = m.materials.iter().map(|e| json!({ "kind": e.kind, "owner": e.owner, "file": e.file, "bytes": e.bytes, "sha256": e.sha256 })).collect();
        outln!(
            "{}",
            json!({ "sealed": true, "package_id": m.package_id, "digest": package.digest, "signed": key.is_some(), "dir": args.out.display().to_string(), "files": files, "warnings": m.warnings, "attestations": m.attestations })
        );
    } else {
        outln!("SEALED {} → {}", m.package_id, args.out.display());
        outln!("  digest {}{}", package.digest, if key.is_some() { " (signed)" } else { "" });
        for e in &m.materials {
            let slot = Place::Material { kind: e.kind, owner: e.owner.clone() }.to_string();
            outln!("  {slot:<30} {:<34} {:>8} bytes  {}x{}  q{}", e.file, e.bytes, e.width, e.height, e.check.quality);
        }
        for a in &m.attestations {
            outln!("  attested {} {} {} issued {}", a.provider, a.kind, a.reference, a.issued_at);
        }
        for w in &m.warnings {
            outln!("  warn  {}  {}: {}", w.code, w.at, args.lang.pick(&w.message));
        }
    }
    ExitCode::SUCCESS
}
