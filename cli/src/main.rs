//! `hexin`: the command line over hexin-core.

#[macro_use]
mod out;

mod check;
mod common;
mod filing;
mod outbox;
mod progress;
mod requirements;
mod seal;
mod upload;
mod validate;
mod verify;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hexin_core::Policy;

/// hexin: on-device checks for identity-verification uploads.
#[derive(Parser)]
#[command(name = "hexin", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check captures against a policy and normalize the accepted ones.
    Check(check::Args),
    /// Validate one field value: an ID document's number, credit-code, phone, email, domain or
    /// filing-number.
    Validate(validate::Args),
    /// Check, normalize and seal a submission into a package directory.
    Seal(seal::Args),
    /// What a fields file still needs before it can be sealed: materials and problems, as a checklist.
    Requirements(requirements::Args),
    /// Verify a package directory: files, hashes, digest and signature.
    Verify(verify::Args),
    /// Upload a sealed package through the outbox to a tus server; exit 0 once committed.
    Upload(upload::Args),
    /// List, resume or purge the packages in an outbox.
    Outbox(outbox::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    out::status(match cli.command {
        Command::Check(args) => check::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Seal(args) => seal::run(args),
        Command::Requirements(args) => requirements::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Upload(args) => upload::run(args),
        Command::Outbox(args) => outbox::run(args),
    })
}

/// The policy at `path`, or the embedded ICP policy.
fn load_policy(path: Option<&Path>) -> Result<Policy, String> {
    match path {
        None => Ok(Policy::icp_default()),
        Some(path) => read_text(path)
            .and_then(|t| Policy::parse(&t).map_err(|e| e.to_string()))
            .map_err(|e| format!("policy {}: {e}", path.display())),
    }
}

/// Reads a small text input (a policy, fields file or key) as hexin reads anything from outside:
/// a regular file only, bounded, never blocking.
fn read_text(path: &Path) -> Result<String, String> {
    hexin_core::input::read_text(path, hexin_core::input::MAX_TEXT_BYTES).map_err(|e| e.to_string())
}

/// Reports a usage or I/O error; exit status 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("hexin: {message}");
    ExitCode::from(2)
}
