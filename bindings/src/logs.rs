//! hexin's log records to the app's logger (Logcat, `os_log`; core's `Logger`): what the outbox
//! and the uploads do — deliveries, retries and their waits, pauses, the outbox's sweep. Core
//! writes no personal data in them: package ids (random), material kinds, counts, stable codes.

use std::sync::{Arc, RwLock};

use hexin_core::logging::{LogLevel, LogRecord, Logger};
use hexin_core::Error;

struct Bridge(RwLock<Option<Arc<dyn Logger>>>);

static BRIDGE: Bridge = Bridge(RwLock::new(None));

impl log::Log for Bridge {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        // Only hexin's own records: the HTTP stack's may carry URLs and headers.
        metadata.target().starts_with("hexin")
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let Some(logger) = self.0.read().unwrap_or_else(|p| p.into_inner()).clone() else { return };
        let record = LogRecord { level: level(record.level()), target: record.target().into(), message: record.args().to_string() };
        // Nowhere to report a logger's own failure but the logger.
        let _ = logger.log(record);
    }

    fn flush(&self) {}
}

fn level(level: log::Level) -> LogLevel {
    match level {
        log::Level::Error => LogLevel::Error,
        log::Level::Warn => LogLevel::Warn,
        log::Level::Info => LogLevel::Info,
        log::Level::Debug => LogLevel::Debug,
        log::Level::Trace => LogLevel::Trace,
    }
}

/// Sends hexin's records at `level` and above to `logger`, replacing the one set before;
/// `null`/`nil` stops them. `Internal` if another Rust library in the app installed its own
/// logger first (Rust allows one per process).
#[uniffi::export]
pub fn set_logger(logger: Option<Arc<dyn Logger>>, level: LogLevel) -> Result<(), Error> {
    static INSTALLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*INSTALLED.get_or_init(|| log::set_logger(&BRIDGE).is_ok()) {
        return Err(Error::Internal { reason: "another Rust logger is installed in this process".into() });
    }
    let filter = match (&logger, level) {
        (None, _) => log::LevelFilter::Off,
        (Some(_), LogLevel::Error) => log::LevelFilter::Error,
        (Some(_), LogLevel::Warn) => log::LevelFilter::Warn,
        (Some(_), LogLevel::Info) => log::LevelFilter::Info,
        (Some(_), LogLevel::Debug) => log::LevelFilter::Debug,
        (Some(_), LogLevel::Trace) => log::LevelFilter::Trace,
    };
    *BRIDGE.0.write().unwrap_or_else(|p| p.into_inner()) = logger;
    log::set_max_level(filter);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Kept(Mutex<Vec<LogRecord>>);

    impl Logger for Kept {
        fn log(&self, record: LogRecord) -> Result<(), Error> {
            if record.message.contains("throw") {
                return Err(Error::Internal { reason: "the app's logger failed".into() });
            }
            self.0.lock().unwrap().push(record);
            Ok(())
        }
    }

    #[test]
    fn records_reach_the_app_at_its_level_and_others_do_not() {
        let kept = Arc::new(Kept::default());
        set_logger(Some(kept.clone()), LogLevel::Info).unwrap();
        log::info!(target: "hexin_core::delivery", "package p: delivered");
        log::debug!(target: "hexin_core::delivery", "below the level");
        log::info!(target: "reqwest::connect", "https://user@host/ not ours");
        log::warn!(target: "hexin_core::delivery", "throw: a logger that throws loses this record only");
        log::warn!(target: "hexin_core::tus", "after");
        set_logger(None, LogLevel::Trace).unwrap();
        log::error!(target: "hexin_core::delivery", "after the logger is gone");
        let kept = kept.0.lock().unwrap();
        assert_eq!(
            *kept,
            [
                LogRecord { level: LogLevel::Info, target: "hexin_core::delivery".into(), message: "package p: delivered".into() },
                LogRecord { level: LogLevel::Warn, target: "hexin_core::tus".into(), message: "after".into() },
            ]
        );
    }
}
