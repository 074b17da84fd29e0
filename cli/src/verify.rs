//! `hexin verify`: check a package directory against its manifest.
//!
//! Exit status: 0 intact, 1 with the problems listed, 2 on usage errors.

use std::path::PathBuf;
use std::process::ExitCode;

use hexin_core::package::signature::parse_public_key;
use hexin_core::package::verify::{verify_dir, Options};
use serde_json::json;

use crate::common::Lang;
use crate::{read_text, usage_error};

#[derive(clap::Args)]
pub struct Args {
    /// Require a signature by this P-256 public key (PEM, SEC1 or SubjectPublicKeyInfo DER); repeat to trust several.
    #[arg(long = "trusted-key")]
    trusted_keys: Vec<PathBuf>,
    /// The package digest expected (64 hex characters), learned another way.
    #[arg(long)]
    expect_digest: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Language of the problems' messages.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// The package directory (manifest.json and its files).
    dir: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let mut options = Options { expected_digest: args.expect_digest.clone(), ..Options::default() };
    for path in &args.trusted_keys {
        match read_text(path).and_then(|t| parse_public_key(t.as_bytes())) {
            Ok(key) => options.trusted_keys.push(key),
            Err(e) => return usage_error(&format!("--trusted-key {}: {e}", path.display())),
        }
    }
    let v = verify_dir(&args.dir, &options);
    let intact = v.is_intact();
    if args.json {
        outln!("{}", json!({ "intact": v.is_intact(), "package_id": v.package_id, "digest": v.digest, "signed_by": v.signed_by, "problems": v.problems }));
    } else if intact {
        outln!("INTACT {}", args.dir.display());
        outln!("  package {}  digest {}", v.package_id.unwrap_or_default(), v.digest.unwrap_or_default());
        if let Some(key) = v.signed_by {
            outln!("  signed by {key}");
        }
    } else {
        outln!("BROKEN {}", args.dir.display());
        for p in &v.problems {
            outln!("  {}  {}: {}", p.code, p.at, args.lang.pick(&p.message));
        }
    }
    ExitCode::from(if intact { 0 } else { 1 })
}
