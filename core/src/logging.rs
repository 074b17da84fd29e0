//! The host's side of hexin's log (hexin-ffi's `setLogger` bridges the `log` records of the
//! outbox and the uploads to it). Here, beside [`Error`], because a Kotlin implementation of a
//! fallible trait must find the error type in its own package.

use crate::Error;

/// How much to hear, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// One record: `target` is the Rust module (`hexin_core::delivery`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LogRecord {
    pub level: LogLevel,
    pub target: String,
    pub message: String,
}

/// The app's logger (Logcat, `os_log`); called on hexin's threads, so it must return quickly.
/// What it fails on loses that record only.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait Logger: Send + Sync {
    fn log(&self, record: LogRecord) -> Result<(), Error>;
}
