//! Delivery events as the user sees them: JSON lines on stdout for pipes, a progress bar on
//! stderr for a terminal.

use std::io::Write;
use std::sync::Mutex;

use hexin_core::delivery::{Event, Listener};
use hexin_core::Error;
use indicatif::ProgressStyle;

/// Events as JSON lines on stdout.
pub struct JsonLines;

impl Listener for JsonLines {
    fn on_event(&self, event: Event) -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        let _ = serde_json::to_writer(&mut out, &event);
        let _ = writeln!(out);
        Ok(())
    }
}

/// One progress bar per package on stderr, drawn by indicatif (hidden when stderr is not a
/// terminal). A bar dropped unfinished stays on screen as it was.
pub struct ProgressBar {
    /// The package being shown and its bar.
    current: Mutex<Option<(String, indicatif::ProgressBar)>>,
    style: ProgressStyle,
}

impl ProgressBar {
    pub fn new() -> ProgressBar {
        let style = ProgressStyle::with_template("{prefix} [{bar:30}] {percent:>3}%  {decimal_bytes}/{decimal_total_bytes}  {msg}")
            .expect("a valid template")
            .progress_chars("## ");
        ProgressBar { current: Mutex::new(None), style }
    }
}

impl Listener for ProgressBar {
    fn on_event(&self, event: Event) -> Result<(), Error> {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        match event {
            Event::Progress { package_id, package_sent, package_total, .. } => {
                if current.as_ref().is_none_or(|(id, _)| *id != package_id) {
                    let bar = indicatif::ProgressBar::new(package_total.unsigned_abs()).with_style(self.style.clone());
                    bar.set_prefix(package_id.chars().take(8).collect::<String>());
                    *current = Some((package_id, bar));
                }
                if let Some((_, bar)) = current.as_ref() {
                    bar.set_position(package_sent.unsigned_abs());
                }
            }
            Event::Committed { .. } => {
                if let Some((_, bar)) = current.take() {
                    bar.finish_with_message("commit acknowledged");
                }
            }
            _ => {}
        }
        Ok(())
    }
}
