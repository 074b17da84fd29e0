//! `hexin upload`: deliver a sealed package directory through the outbox to a tus server.
//!
//! The package is verified, stored in the outbox (or found there from an earlier, interrupted
//! run, by its id and its exact manifest: another package under the same id is
//! `package_conflict`) and uploaded; a progress bar on a terminal, JSON events otherwise (or with `--json`).
//! Exit status: 0 only when the server acknowledged the commit; 1 when the package is broken,
//! conflicts with another under its id, or the upload failed (it stays in the outbox: run the command again or `hexin outbox resume`);
//! 2 on usage or storage errors.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use hexin_core::package::verify::MAX_MANIFEST_BYTES;
use hexin_core::input;
use hexin_core::package::manifest;
use hexin_core::outbox::{Outbox, PackageState};
use hexin_core::package::verify::{verify_dir, Options};
use hexin_core::Error;
use serde_json::json;

use crate::common::{report_failure, Connection, Location};
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
