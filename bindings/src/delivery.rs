//! Delivering packages to a tus server: tasks the app can cancel, events on its listener.

use std::sync::Arc;

use hexin_core::delivery::{self, Delivery, Listener};
use hexin_core::tus::{TusClient, UploadConfig};
use hexin_core::Error;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::outbox::Outbox;
use crate::runtime::{detach, guard, joined, spawn};

/// Uploads packages from an outbox to one tus endpoint, telling `listener` what happens.
#[derive(uniffi::Object)]
pub struct Uploader(delivery::Uploader);

/// One package's outcome in [`Uploader::resume_all`].
#[derive(uniffi::Record)]
pub struct ResumeOutcome {
    pub package_id: String,
    pub delivery: Option<Delivery>,
    pub error: Option<Error>,
}

#[uniffi::export]
impl Uploader {
    /// `chunk_size` fixes the bytes per request (default: 1 MiB growing to 8 MiB while the
    /// network keeps up); `parallel`: materials uploaded at once (default 2).
    #[uniffi::constructor]
    pub fn new(
        outbox: Arc<Outbox>,
        endpoint: String,
        listener: Arc<dyn Listener>,
        chunk_size: Option<u64>,
        parallel: Option<u32>,
    ) -> Result<Arc<Uploader>, Error> {
        guard(|| {
            let config = UploadConfig::default().with_fixed_chunks(chunk_size.and_then(|c| usize::try_from(c).ok()));
            let parallel = parallel.map_or(delivery::DEFAULT_PARALLEL, |p| p as usize);
            let client = Arc::new(TusClient::new(&endpoint, config)?);
            Ok(Arc::new(Uploader(delivery::Uploader::new(outbox.0.clone(), client, listener).with_parallel(parallel))))
        })
    }

    /// Starts delivering a sealed (or interrupted) package; the task reports the outcome and
    /// can be cancelled, which pauses the package for a later resume.
    pub fn deliver(&self, id: String) -> Result<Arc<DeliveryTask>, Error> {
        let (cancel, (sender, outcome)) = (CancellationToken::new(), watch::channel(None));
        let (uploader, token) = (self.0.clone(), cancel.clone());
        detach(async move {
            let result = joined(tokio::spawn(async move { uploader.deliver(&id, &token).await }).await);
            sender.send_replace(Some(result));
        })?;
        Ok(Arc::new(DeliveryTask { cancel, outcome }))
    }

    /// Uploads one file of a draft at once (a material just accepted), returning the bytes
    /// sent; cancelling the call (the coroutine or Swift task) stops the upload.
    pub async fn upload_file(&self, id: String, name: String) -> Result<u64, Error> {
        let (uploader, cancel) = (self.0.clone(), CancellationToken::new());
        let token = cancel.clone();
        let _stop_when_dropped = cancel.drop_guard();
        spawn(async move { uploader.upload_file(&id, &name, &token).await }).await
    }

    /// Delivers every package left sealed or uploading, oldest first: what an app runs at
    /// start-up and from its background worker.
    pub async fn resume_all(&self) -> Result<Vec<ResumeOutcome>, Error> {
        let (uploader, cancel) = (self.0.clone(), CancellationToken::new());
        let token = cancel.clone();
        let _stop_when_dropped = cancel.drop_guard();
        let results = spawn(async move { uploader.resume_all(&token).await }).await?;
        Ok(results
            .into_iter()
            .map(|(package_id, result)| {
                let (delivery, error) = match result {
                    Ok(d) => (Some(d), None),
                    Err(e) => (None, Some(e)),
                };
                ResumeOutcome { package_id, delivery, error }
            })
            .collect())
    }

    /// Gives a package up: ends its uploads on the server and purges it from the outbox.
    pub async fn abandon(&self, id: String) -> Result<(), Error> {
        let uploader = self.0.clone();
        spawn(async move { uploader.abandon(&id).await }).await
    }
}

/// A delivery under way.
#[derive(uniffi::Object)]
pub struct DeliveryTask {
    cancel: CancellationToken,
    outcome: watch::Receiver<Option<Result<Delivery, Error>>>,
}

#[uniffi::export]
impl DeliveryTask {
    /// Pauses the delivery: the result becomes `UploadCancelled` and the package waits, sealed,
    /// for `deliver` or `resume_all`.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn is_finished(&self) -> bool {
        self.outcome.borrow().is_some()
    }

    /// Waits for the outcome; any number of callers may wait, any number of times.
    pub async fn result(&self) -> Result<Delivery, Error> {
        let mut outcome = self.outcome.clone();
        let done = outcome.wait_for(Option::is_some).await;
        match done {
            Ok(value) => value.clone().unwrap_or_else(|| Err(Error::Internal { reason: "no outcome".into() })),
            Err(_) => Err(Error::Internal { reason: "the delivery task ended without an outcome".into() }),
        }
    }
}
