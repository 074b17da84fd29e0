//! Standard output that a departed reader cannot crash.
//!
//! `println!` panics (exit status 101) when stdout is a pipe whose reader has gone, as in
//! `hexin verify DIR | head -1`. Here a broken pipe ends the output quietly and the command
//! finishes with its own exit status; any other write error is reported once on stderr and turns
//! the exit status into 2 (see [`status`]).

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// stdout's reader has gone: nothing more is written.
static CLOSED: AtomicBool = AtomicBool::new(false);
/// A write to stdout failed for another reason.
static FAILED: AtomicBool = AtomicBool::new(false);

/// Prints to stdout, like `print!`.
macro_rules! out {
    ($($arg:tt)*) => { $crate::out::write(format_args!($($arg)*)) };
}

/// Prints a line to stdout, like `println!`.
macro_rules! outln {
    () => { $crate::out::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::out::write(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Writes `args` to stdout and flushes, unless stdout has been closed.
pub fn write(args: fmt::Arguments) {
    if CLOSED.load(Ordering::Relaxed) || FAILED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = io::stdout().lock();
    match stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => CLOSED.store(true, Ordering::Relaxed),
        Err(e) => {
            FAILED.store(true, Ordering::Relaxed);
            eprintln!("hexin: writing to stdout: {e}");
        }
    }
}

/// The command's exit status, or 2 if its output could not be written (a closed pipe aside).
pub fn status(code: ExitCode) -> ExitCode {
    if FAILED.load(Ordering::Relaxed) {
        ExitCode::from(2)
    } else {
        code
    }
}
