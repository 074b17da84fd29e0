//! `hexin`: the command line over hexin-core.

mod check;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Validate one field value: id-number, credit-code, phone, email or domain.
    Validate(validate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Validate(args) => validate::run(args),
    }
}
