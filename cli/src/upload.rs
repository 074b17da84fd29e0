//! `hexin upload`: deliver a sealed package directory through the outbox to a tus server.
//!
//! The package is taken into the outbox by `Outbox::import`: verified and stored (or found there
//! from an earlier, interrupted run, by its id and its exact manifest: another package under the
//! same id is `package_conflict`), then uploaded; a progress bar on a terminal, JSON events otherwise (or with `--json`).
//! Exit status: 0 only when the server acknowledged the commit; 1 when the package is broken,
//! conflicts with another under its id, or the upload failed (it stays in the outbox: run the command again or `hexin outbox resume`);
//! 2 on usage or storage errors.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use hexin_core::outbox::PackageState;
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
    let outbox = match args.at.open() {
        Ok(o) => Arc::new(o),
        Err(e) => return usage_error(&e),
    };
    let id = match outbox.import(&args.package) {
        Ok((id, PackageState::Committed)) => {
            args.connection.say(&json!({ "event": "delivered", "package_id": id, "note": "already delivered earlier" }));
            return ExitCode::SUCCESS;
        }
        Ok((id, _)) => id,
        Err(Error::SealRefused { problems }) => {
            for p in &problems {
                eprintln!("hexin: {}: {} {}: {}", args.package.display(), p.code, p.at, p.message.en);
            }
            return ExitCode::from(1);
        }
        Err(Error::PackageConflict { id, reason }) => {
            report_failure(args.connection.json, &id, &Error::PackageConflict { id: id.clone(), reason });
            return ExitCode::from(1);
        }
        Err(e) => return usage_error(&e.to_string()),
    };
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
