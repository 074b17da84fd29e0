//! `hexin outbox list|resume|purge`: what waits on this device, and getting it delivered.
//!
//! Exit status: 0 done (resume: every package delivered), 1 when a package failed, 2 on usage
//! or storage errors.

use std::process::ExitCode;
use std::sync::Arc;

use hexin_core::outbox::PackageState;
use serde_json::json;

use crate::common::{report_failure, Connection, Location};
use crate::usage_error;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// List every package and its state.
    List {
        #[command(flatten)]
        at: Location,
        /// One JSON object per package.
        #[arg(long)]
        json: bool,
    },
    /// Deliver every package left sealed or uploading.
    Resume {
        #[command(flatten)]
        at: Location,
        #[command(flatten)]
        connection: Connection,
    },
    /// Delete packages: the given ids, or every committed one.
    Purge {
        #[command(flatten)]
        at: Location,
        /// Purge every committed package.
        #[arg(long)]
        committed: bool,
        /// Also terminate the packages' uploads on this tus server (where it offers
        /// termination), e.g. when the applicant cancels the filing; otherwise local only.
        #[arg(long)]
        endpoint: Option<String>,
        /// Package ids to purge, whatever their state.
        ids: Vec<String>,
    },
}

pub fn run(args: Args) -> ExitCode {
    match args.command {
        Command::List { at, json } => list(&at, json),
        Command::Resume { at, connection } => resume(&at, &connection),
        Command::Purge { at, committed, endpoint, ids } => purge(&at, committed, endpoint, &ids),
    }
}

fn list(at: &Location, as_json: bool) -> ExitCode {
    let packages = match at.open().and_then(|o| o.list().map_err(|e| e.to_string())) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    for p in &packages {
        if as_json {
            outln!("{}", json!(p));
        } else {
            outln!("{}  {:<9}  {} files  {} bytes", p.id, p.state.as_str(), p.files.len(), p.bytes);
        }
    }
    if !as_json && packages.is_empty() {
        outln!("(empty)");
    }
    ExitCode::SUCCESS
}

fn resume(at: &Location, connection: &Connection) -> ExitCode {
    let outbox = match at.open() {
        Ok(o) => Arc::new(o),
        Err(e) => return usage_error(&e),
    };
    let results = match connection.run(outbox, |uploader, cancel| async move { uploader.resume_all(&cancel).await }) {
        Ok(Ok(r)) => r,
        Ok(Err(e)) | Err(e) => return usage_error(&e.to_string()),
    };
    let mut failed = false;
    for (id, result) in results {
        match result {
            Ok(d) => connection.say(&json!({ "event": "delivered", "package_id": id, "digest": d.digest, "sent_bytes": d.sent_bytes })),
            Err(e) => {
                failed = true;
                report_failure(connection.json, &id, &e);
            }
        }
    }
    ExitCode::from(if failed { 1 } else { 0 })
}

fn purge(at: &Location, committed: bool, endpoint: Option<String>, ids: &[String]) -> ExitCode {
    if !committed && ids.is_empty() {
        return usage_error("outbox purge: give package ids or --committed");
    }
    let outbox = match at.open() {
        Ok(o) => Arc::new(o),
        Err(e) => return usage_error(&e),
    };
    let mut targets = ids.to_vec();
    if committed {
        match outbox.list() {
            Ok(list) => targets.extend(list.into_iter().filter(|p| p.state == PackageState::Committed).map(|p| p.id)),
            Err(e) => return usage_error(&e.to_string()),
        }
    }
    let purged = match endpoint {
        None => targets.iter().try_for_each(|id| outbox.purge(id).map_err(|e| (id.clone(), e)).map(|()| outln!("purged {id}"))),
        Some(endpoint) => {
            let abandon = Connection::quiet(endpoint).run(outbox, |uploader, _| async move {
                for id in &targets {
                    uploader.abandon(id).await.map_err(|e| (id.clone(), e))?;
                    outln!("purged {id} (server uploads terminated)");
                }
                Ok(())
            });
            match abandon {
                Ok(purged) => purged,
                Err(e) => return usage_error(&e.to_string()),
            }
        }
    };
    match purged {
        Ok(()) => ExitCode::SUCCESS,
        Err((id, e)) => usage_error(&format!("purge {id}: {e}")),
    }
}
