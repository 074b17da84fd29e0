//! Delivering packages to a tus server: cancellable tasks with their events, and the app's
//! listener.

use std::sync::Arc;

use hexin_core::delivery::{self, Delivery, Listener};
use hexin_core::count;
use hexin_core::tus::{TusClient, UploadConfig};
use hexin_core::Error;

use crate::events::Dispatch;
use crate::outbox::Outbox;
use crate::path::unsigned_arg;
use crate::runtime::{guard, spawn};
use crate::tasks::{task_object, Task};

/// Uploads packages from an outbox to one tus endpoint.
#[derive(uniffi::Object)]
pub struct Uploader {
    uploader: delivery::Uploader,
    dispatch: Arc<Dispatch>,
}

/// How an uploader sends; every field has a default.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct UploadOptions {
    /// Fixes the bytes per request; by default 1 MiB, growing to 8 MiB while the network keeps up.
    #[uniffi(default = None)]
    pub chunk_size: Option<i64>,
    /// Materials uploaded at once; default 2.
    #[uniffi(default = None)]
    pub parallel: Option<i32>,
}

/// One package's outcome in [`Uploader::start_resume_all`].
#[derive(Clone, uniffi::Record)]
pub struct ResumeOutcome {
    pub package_id: String,
    pub delivery: Option<Delivery>,
    pub error: Option<Error>,
}

task_object!(
    /// A delivery under way (`Uploader.deliver`). Dropping it does not stop the delivery.
    DeliveryTask,
    Delivery
);

task_object!(
    /// One file's upload before sealing (`Uploader.startUploadFile`): the bytes sent.
    UploadTask,
    i64
);

task_object!(
    /// Every waiting package delivered in turn (`Uploader.startResumeAll`).
    ResumeTask,
    Vec<ResumeOutcome>
);

#[uniffi::export]
impl Uploader {
    /// An uploader to `endpoint` (a tus 1.0 server's creation URL). `listener` hears every
    /// package's events on hexin's threads (it must return quickly; one that throws does not
    /// stop a delivery); a task's own events are also on its `subscribe`.
    #[uniffi::constructor(default(listener = None, options = None))]
    pub fn new(
        outbox: Arc<Outbox>,
        endpoint: String,
        listener: Option<Arc<dyn Listener>>,
        options: Option<UploadOptions>,
    ) -> Result<Arc<Uploader>, Error> {
        guard(|| {
            let options = options.unwrap_or_default();
            let chunk_size = options.chunk_size.map(|c| unsigned_arg::<usize>("chunk_size", c)).transpose()?;
            let parallel = options.parallel.map(|p| unsigned_arg::<usize>("parallel", p)).transpose()?;
            let client = Arc::new(TusClient::new(&endpoint, UploadConfig::default().with_fixed_chunks(chunk_size))?);
            let dispatch = Arc::new(Dispatch::new(listener));
            let uploader = delivery::Uploader::new(outbox.0.clone(), client, dispatch.clone())
                .with_parallel(parallel.unwrap_or(delivery::DEFAULT_PARALLEL));
            Ok(Arc::new(Uploader { uploader, dispatch }))
        })
    }

    /// Starts delivering a sealed (or interrupted) package. Cancelling the task pauses the
    /// package (back to `SEALED`) for a later `deliver` or resume.
    pub fn deliver(&self, id: String) -> Result<Arc<DeliveryTask>, Error> {
        let uploader = self.uploader.clone();
        let task = Task::start(self.dispatch.log(Some(id.clone())), |cancel| async move { uploader.deliver(&id, &cancel).await })?;
        Ok(Arc::new(DeliveryTask(task)))
    }

    /// Starts uploading one file of a draft at once (a material just accepted; `slotFileName`
    /// names it); sealing keeps the upload if the content stays the same.
    pub fn start_upload_file(&self, id: String, name: String) -> Result<Arc<UploadTask>, Error> {
        let uploader = self.uploader.clone();
        let task = Task::start(self.dispatch.log(Some(id.clone())), |cancel| async move {
            uploader.upload_file(&id, &name, &cancel).await.map(count::signed)
        })?;
        Ok(Arc::new(UploadTask(task)))
    }

    /// Starts delivering every package left sealed or uploading, oldest first: what an app runs
    /// at start-up and from its background worker. Cancelling stops at the current package.
    pub fn start_resume_all(&self) -> Result<Arc<ResumeTask>, Error> {
        let uploader = self.uploader.clone();
        let task = Task::start(self.dispatch.log(None), |cancel| async move {
            let results = uploader.resume_all(&cancel).await?;
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
        })?;
        Ok(Arc::new(ResumeTask(task)))
    }

    /// Gives a package up: ends its uploads on the server and purges it from the outbox.
    pub async fn abandon(&self, id: String) -> Result<(), Error> {
        let uploader = self.uploader.clone();
        spawn(async move { uploader.abandon(&id).await }).await
    }
}
