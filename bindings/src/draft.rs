//! An application being assembled: captures checked and kept in the outbox as they are taken.

use std::sync::Arc;

use hexin_core::date::unix_now;
use hexin_core::draft::{self, Checklist, Sealed};
use hexin_core::input::read_capture;
use hexin_core::package::manifest::{Attestation, Capture, CaptureSource};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::package::signature::Signer;
use hexin_core::filing::form::Fields;
use hexin_core::{Error, Report, Slot};

use crate::outbox::Outbox;
use crate::path::FilePath;
use crate::photo::Policy;
use crate::runtime::{blocking, guard};

/// An application in progress, kept in the outbox under its package id from the first accepted
/// capture, so it survives the app being killed (`Draft.open`).
///
/// The `async` calls run on hexin's threads; the others read or write SQLite on the caller's
/// thread (quick, but disk work): call them off the main thread.
#[derive(uniffi::Object)]
pub struct Draft(Arc<draft::Draft>);

#[uniffi::export]
impl Draft {
    /// Starts a new application for `subject` in `province` (GB/T 2260 code, or name).
    #[uniffi::constructor]
    pub fn start(outbox: Arc<Outbox>, policy: Arc<Policy>, subject: SubjectKind, province: String) -> Result<Arc<Draft>, Error> {
        guard(|| Ok(Arc::new(Draft(Arc::new(draft::Draft::start(outbox.0.clone(), policy.0.clone(), subject, &province)?)))))
    }

    /// Reopens the draft `id` (from `Outbox.list`, state `DRAFT`).
    #[uniffi::constructor]
    pub fn open(outbox: Arc<Outbox>, policy: Arc<Policy>, id: String) -> Result<Arc<Draft>, Error> {
        guard(|| Ok(Arc::new(Draft(Arc::new(draft::Draft::open(outbox.0.clone(), policy.0.clone(), &id)?)))))
    }

    /// The package id.
    pub fn id(&self) -> String {
        self.0.id().into()
    }

    /// Checks a photo for `slot` (its kind, and whose: `subject` or a person's or website's id)
    /// taken now; if accepted, keeps it (replacing an earlier one of the slot). The report says
    /// why when it is not; `CaptureSourceNotAllowed` when the policy wants the camera and
    /// `source` is the gallery.
    pub async fn add_photo(&self, slot: Slot, bytes: Vec<u8>, source: CaptureSource) -> Result<Report, Error> {
        let draft = self.0.clone();
        blocking(move || draft.add(&slot, &bytes, Capture::at(source, unix_now()))).await
    }

    /// As [`Draft::add_photo`], from a file.
    pub async fn add_photo_file(&self, slot: Slot, path: FilePath, source: CaptureSource) -> Result<Report, Error> {
        let draft = self.0.clone();
        blocking(move || draft.add(&slot, &read_capture(path.as_ref(), &draft.policy().limits)?, Capture::at(source, unix_now()))).await
    }

    /// Drops the capture of `slot`, if any.
    pub fn remove(&self, slot: Slot) -> Result<(), Error> {
        guard(|| self.0.remove(&slot))
    }

    /// Saves the form (checked by `checklist` and at sealing, so a half-filled one can be saved).
    pub fn set_fields(&self, fields: Fields) -> Result<(), Error> {
        guard(|| self.0.set_fields(fields))
    }

    pub fn fields(&self) -> Option<Fields> {
        self.0.fields()
    }

    /// Keeps the result of the provider's own check (its liveness and face comparison, which
    /// only the provider can run) to seal with the materials: `reference` is the id its API
    /// returned, `issued_at` RFC 3339 UTC. One of the same provider and kind replaces the earlier.
    pub fn attest(&self, attestation: Attestation) -> Result<(), Error> {
        guard(|| self.0.attest(attestation))
    }

    pub fn attestations(&self) -> Vec<Attestation> {
        self.0.attestations()
    }

    /// The report of the kept capture of `slot`.
    pub fn report(&self, slot: Slot) -> Option<Report> {
        self.0.report(&slot)
    }

    /// What the policy requires, what is captured, and everything sealing would refuse for now.
    pub fn checklist(&self) -> Result<Checklist, Error> {
        guard(|| self.0.checklist())
    }

    /// Seals the application in place, signed by `signer` (Android Keystore, Secure Enclave)
    /// when given; it is then ready for `Uploader.deliver`. `SealRefused` lists every reason.
    /// The draft is not locked while the signer waits on the applicant; `DraftChanged` if the
    /// app changed it meanwhile (seal again).
    pub async fn seal(&self, signer: Option<Arc<dyn Signer>>) -> Result<Sealed, Error> {
        let draft = self.0.clone();
        blocking(move || draft.seal(signer.as_deref())).await
    }
}
