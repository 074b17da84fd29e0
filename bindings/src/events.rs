//! Delivery events: to the app's listener, and to each task's subscribers (Kotlin `Flow`,
//! Swift `AsyncStream`, in bindings/kotlin and bindings/swift).
//!
//! A task keeps the events of its packages in a [`Log`] from its start, so a subscriber that
//! comes late misses nothing but superseded progress: each file's progress is kept only at its
//! latest, which bounds the log by the packages' files. Subscribers read the log through their
//! own [`EventStream`]; nothing in Rust refers back to Kotlin or Swift objects but the app's
//! listener, so a stream, its task and the uploader never hold each other alive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use hexin_core::delivery::{Event, Listener};
use hexin_core::Error;
use tokio::sync::watch;

/// The uploader's listener: the app's (what it throws does not stop the delivery; the first
/// failure is logged), then every task log the event belongs to.
pub(crate) struct Dispatch {
    app: Option<Arc<dyn Listener>>,
    app_failed: AtomicBool,
    logs: Mutex<Vec<Weak<Log>>>,
}

impl Dispatch {
    pub(crate) fn new(app: Option<Arc<dyn Listener>>) -> Dispatch {
        Dispatch { app, app_failed: AtomicBool::new(false), logs: Mutex::new(vec![]) }
    }

    /// A log of the events of `package` (every package when `None`) from now on.
    pub(crate) fn log(&self, package: Option<String>) -> Arc<Log> {
        let log = Arc::new(Log { package, state: Mutex::new(LogState::default()), changed: watch::channel(0).0 });
        let mut logs = self.logs.lock().unwrap_or_else(|p| p.into_inner());
        logs.retain(|l| l.strong_count() > 0);
        logs.push(Arc::downgrade(&log));
        log
    }
}

impl Listener for Dispatch {
    fn on_event(&self, event: Event) -> Result<(), Error> {
        let failed = self.app.as_ref().is_some_and(|app| app.on_event(event.clone()).is_err());
        if failed && !self.app_failed.swap(true, Ordering::Relaxed) {
            log::warn!("the app's listener threw; the delivery goes on (later failures are not logged)");
        }
        let logs: Vec<Arc<Log>> = self.logs.lock().unwrap_or_else(|p| p.into_inner()).iter().filter_map(Weak::upgrade).collect();
        for log in logs {
            log.push(&event);
        }
        Ok(())
    }
}

/// The events of a task, in order, each file's progress only at its latest.
pub(crate) struct Log {
    package: Option<String>,
    state: Mutex<LogState>,
    /// The sequence number of the newest event (or of the end), for waiting readers.
    changed: watch::Sender<u64>,
}

#[derive(Default)]
struct LogState {
    /// Events with their sequence numbers, ascending.
    events: Vec<(u64, Event)>,
    next: u64,
    finished: bool,
}

impl Log {
    fn push(&self, event: &Event) {
        if self.package.as_ref().is_some_and(|p| p != package_of(event)) {
            return;
        }
        let mut state = self.lock();
        // A finished task's log is closed: a later delivery of its package is another task's.
        if state.finished {
            return;
        }
        if let Event::Progress { package_id, file, .. } = event {
            state.events.retain(|(_, e)| !matches!(e, Event::Progress { package_id: p, file: f, .. } if p == package_id && f == file));
        }
        let seq = state.next;
        state.next += 1;
        state.events.push((seq, event.clone()));
        drop(state);
        self.changed.send_replace(seq + 1);
    }

    /// No more events: readers end once they have read the rest.
    pub(crate) fn finish(&self) {
        let mut state = self.lock();
        state.finished = true;
        let next = state.next;
        drop(state);
        self.changed.send_replace(next + 1);
    }

    fn lock(&self) -> MutexGuard<'_, LogState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn package_of(event: &Event) -> &str {
    match event {
        Event::State { package_id, .. }
        | Event::Progress { package_id, .. }
        | Event::Uploaded { package_id, .. }
        | Event::Committed { package_id, .. } => package_id,
    }
}

/// One subscriber's reading of a task's events, from the task's start: state changes, each
/// file's latest progress, uploads, the commit. Ends when the task has finished and every
/// event is read, or when closed.
#[derive(uniffi::Object)]
pub struct EventStream {
    log: Arc<Log>,
    /// The sequence number of the next event to read.
    cursor: Mutex<u64>,
    closed: watch::Sender<bool>,
}

impl EventStream {
    pub(crate) fn new(log: Arc<Log>) -> Arc<EventStream> {
        Arc::new(EventStream { log, cursor: Mutex::new(0), closed: watch::channel(false).0 })
    }

    /// The next unread event, or whether the stream has ended.
    fn read(&self) -> Result<Event, bool> {
        if *self.closed.borrow() {
            return Err(true);
        }
        let mut cursor = self.cursor.lock().unwrap_or_else(|p| p.into_inner());
        let state = self.log.lock();
        match state.events.iter().find(|(seq, _)| *seq >= *cursor) {
            Some((seq, event)) => {
                *cursor = seq + 1;
                Ok(event.clone())
            }
            None => Err(state.finished),
        }
    }
}

#[uniffi::export]
impl EventStream {
    /// Waits for the next event; `null`/`nil` once the stream has ended.
    pub async fn next(&self) -> Option<Event> {
        let (mut changed, mut closed) = (self.log.changed.subscribe(), self.closed.subscribe());
        loop {
            changed.mark_unchanged();
            match self.read() {
                Ok(event) => return Some(event),
                Err(true) => return None,
                Err(false) => {}
            }
            tokio::select! {
                _ = changed.changed() => {}
                _ = closed.wait_for(|closed| *closed) => {}
            }
        }
    }

    /// Ends the stream: a waiting `next` returns `null`/`nil`. The task goes on.
    pub fn unsubscribe(&self) {
        self.closed.send_replace(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hexin_core::outbox::PackageState;

    fn progress(package: &str, file: &str, sent: i64) -> Event {
        Event::Progress { package_id: package.into(), file: file.into(), sent, total: 10, package_sent: sent, package_total: 10 }
    }

    /// Throws on every event, as a Kotlin listener can.
    struct Throws;

    impl Listener for Throws {
        fn on_event(&self, _: Event) -> Result<(), Error> {
            Err(Error::Internal { reason: "a bug in the app".into() })
        }
    }

    #[test]
    fn late_readers_get_every_event_but_superseded_progress() {
        let dispatch = Dispatch::new(Some(Arc::new(Throws)));
        let log = dispatch.log(Some("p1".into()));
        let state = Event::State { package_id: "p1".into(), state: PackageState::Uploading };
        dispatch.on_event(state.clone()).unwrap();
        dispatch.on_event(progress("p1", "a.jpg", 4)).unwrap();
        dispatch.on_event(progress("other", "a.jpg", 4)).unwrap();
        dispatch.on_event(progress("p1", "b.jpg", 5)).unwrap();
        dispatch.on_event(progress("p1", "a.jpg", 10)).unwrap();
        log.finish();

        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let read_all = |stream: Arc<EventStream>| rt.block_on(async move {
            let mut events = vec![];
            while let Some(e) = stream.next().await {
                events.push(e);
            }
            events
        });
        // After the task: another task's delivery of the package, not this log's.
        dispatch.on_event(Event::State { package_id: "p1".into(), state: PackageState::Sealed }).unwrap();
        let expected = vec![state, progress("p1", "b.jpg", 5), progress("p1", "a.jpg", 10)];
        assert_eq!(read_all(EventStream::new(log.clone())), expected);
        assert_eq!(read_all(EventStream::new(log.clone())), expected, "a second reader reads the same");

        let open = dispatch.log(None);
        let stream = EventStream::new(open.clone());
        stream.unsubscribe();
        assert_eq!(read_all(stream), vec![], "a closed stream ends though its task goes on");
    }

    #[test]
    fn a_waiting_reader_wakes_for_each_event_and_ends_with_the_task() {
        let dispatch = Arc::new(Dispatch::new(None));
        let log = dispatch.log(None);
        let stream = EventStream::new(log.clone());
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let reader = rt.spawn(async move {
            let mut events = vec![];
            while let Some(e) = stream.next().await {
                events.push(e);
            }
            events
        });
        for sent in 1..=3 {
            std::thread::sleep(std::time::Duration::from_millis(20));
            dispatch.on_event(Event::Committed { package_id: format!("p{sent}"), digest: "d".into() }).unwrap();
        }
        log.finish();
        let events = rt.block_on(reader).unwrap();
        assert_eq!(events.len(), 3, "{events:?}");
    }
}
