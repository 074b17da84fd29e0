//! Long calls as tasks the app cancels, after matrix-rust-sdk's `TaskHandle`: work started on
//! the runtime, a `cancel()`, an outcome any number of callers may await, and the task's
//! events. uniffi's Swift `async` calls cannot be cancelled (a Swift `Task`'s cancellation
//! does not reach Rust), so every cancellable call is one of these; the shipped Kotlin and
//! Swift extensions (bindings/kotlin, bindings/swift) await them and cancel them when the
//! coroutine or Swift task is cancelled.

use std::future::Future;
use std::sync::Arc;

use hexin_core::Error;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::events::{EventStream, Log};
use crate::runtime::{detach, joined};

pub(crate) struct Task<T> {
    cancel: CancellationToken,
    outcome: watch::Receiver<Option<Result<T, Error>>>,
    log: Arc<Log>,
}

impl<T: Clone + Send + Sync + 'static> Task<T> {
    /// Starts `work` on the runtime with the token [`Task::cancel`] trips; `log` gathers the
    /// events of its packages and ends with it.
    pub(crate) fn start<F>(log: Arc<Log>, work: impl FnOnce(CancellationToken) -> F) -> Result<Task<T>, Error>
    where
        F: Future<Output = Result<T, Error>> + Send + 'static,
    {
        let cancel = CancellationToken::new();
        let (sender, outcome) = watch::channel(None);
        let (work, finished) = (work(cancel.clone()), log.clone());
        detach(async move {
            let result = joined(tokio::spawn(work).await);
            finished.finish();
            sender.send_replace(Some(result));
        })?;
        Ok(Task { cancel, outcome, log })
    }

    pub(crate) fn cancel(&self) {
        self.cancel.cancel();
    }

    pub(crate) fn is_finished(&self) -> bool {
        self.outcome.borrow().is_some()
    }

    pub(crate) async fn result(&self) -> Result<T, Error> {
        let mut outcome = self.outcome.clone();
        let done = outcome.wait_for(Option::is_some).await;
        match done {
            Ok(value) => value.clone().unwrap_or_else(|| Err(Error::Internal { reason: "no outcome".into() })),
            Err(_) => Err(Error::Internal { reason: "the task ended without an outcome".into() }),
        }
    }

    pub(crate) fn subscribe(&self) -> Arc<EventStream> {
        EventStream::new(self.log.clone())
    }
}

/// A task object for the app: `cancel`, `isFinished`, `result` and `subscribe`, over a
/// [`Task`] of `$output`.
macro_rules! task_object {
    ($(#[$doc:meta])* $name:ident, $output:ty) => {
        $(#[$doc])*
        #[derive(uniffi::Object)]
        pub struct $name(pub(crate) crate::tasks::Task<$output>);

        #[uniffi::export]
        impl $name {
            /// Stops the work; `result` then throws `UploadCancelled` (unless it had finished).
            /// What the server confirmed is kept: the work resumes from there next time.
            pub fn cancel(&self) {
                self.0.cancel()
            }

            pub fn is_finished(&self) -> bool {
                self.0.is_finished()
            }

            /// Waits for the outcome; any number of callers may wait, any number of times.
            /// Awaiting it does not cancel the work when the caller is cancelled: the Kotlin
            /// and Swift extensions do (`await()`, `value`).
            pub async fn result(&self) -> Result<$output, hexin_core::Error> {
                self.0.result().await
            }

            /// The task's events from its start (state changes, each file's latest progress,
            /// uploads, the commit), ending with the task: Kotlin's `events` `Flow` and Swift's
            /// `events` `AsyncStream` read it.
            pub fn subscribe(&self) -> std::sync::Arc<crate::events::EventStream> {
                self.0.subscribe()
            }
        }
    };
}

pub(crate) use task_object;
