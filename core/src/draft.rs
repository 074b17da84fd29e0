//! An application being assembled on the device, kept in the [`Outbox`] from the first capture.
//!
//! Each capture is checked as it is taken; an accepted one is stored in the outbox at once, so
//! it can start uploading while the applicant takes the next ([`crate::delivery::Uploader::upload_file`])
//! and survives the app being killed ([`Draft::open`] picks up where it was). Each capture has
//! its [`Slot`]: its kind and whose it is (the subject's, a person's, a website's), so two
//! people's ID cards are kept apart. A retake that is accepted replaces the earlier capture of
//! the same slot; a rejected one changes nothing. The
//! [`Checklist`] says where each material and field stands, and [`Draft::seal`] seals the package in place,
//! ready for [`crate::delivery::Uploader::deliver`].
//!
//! The draft record (subject, province, fields, and each material's capture and check report)
//! is stored as JSON in the outbox's draft column, encrypted when the outbox is.

use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::date::{unix_now, Date};
use crate::package::manifest::{self, Attestation, Capture};
use crate::outbox::{Outbox, PackageState};
use crate::problem::{Place, Problem};
use crate::filing::form::{self, Fields};
use crate::filing::legacy;
use crate::filing::requirements::SubjectKind;
use crate::filing::submission::Submission;
use crate::material::Slot;
use crate::package::seal::{self, Material, Sealing};
use crate::package::signature::Signer;
use crate::{check, Error, MaterialKind, Policy, Report, Severity, Verdict};

/// An application in progress, stored in an outbox under its package id.
pub struct Draft {
    outbox: Arc<Outbox>,
    policy: Arc<Policy>,
    id: String,
    record: Mutex<Record>,
}

/// Where the application stands: each material, the problems of each field, and whether it
/// can be sealed. What an app's screens show, without re-deriving any of it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Checklist {
    /// The materials the policy requires of this subject, province and fields, in policy
    /// order, each with its owner; then any captured that it no longer requires (they are
    /// sealed all the same).
    pub materials: Vec<MaterialStatus>,
    /// Each field with a problem, in the order of `problems`, with all its problems in order.
    pub fields: Vec<FieldProblems>,
    /// Everything sealing would refuse for now (missing fields or materials, invalid fields, a
    /// province refusal), and warnings that would not refuse.
    pub problems: Vec<Problem>,
    /// Whether sealing would go ahead now: nothing in `problems` blocks.
    pub ready_to_seal: bool,
}

/// One material of a [`Checklist`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MaterialStatus {
    pub slot: Slot,
    /// Whose it is, as the fields name them: the person's name, the website's name, the
    /// subject's name (the owner's id while the name is blank).
    pub owner_name: String,
    /// Whether the policy requires it of this application as it stands.
    pub required: bool,
    pub state: MaterialState,
    /// The check report of the accepted capture (its JPEG left out: it is in the outbox).
    pub report: Option<Report>,
}

/// Where one material stands. A rejected capture is not kept, so it changes nothing here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MaterialState {
    /// Required and not captured yet.
    Missing,
    /// Captured and accepted.
    Accepted,
    /// Captured and accepted with warnings (the report's findings) the applicant may retake for.
    Warned,
}

/// The problems of one field, all of them, in the order they were found.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldProblems {
    /// The field's path in the fields document: `people[0].document.number`.
    pub path: String,
    pub problems: Vec<Problem>,
}

/// A sealed draft.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Sealed {
    pub package_id: String,
    /// The package digest (`seal.digest` of the manifest).
    pub digest: String,
}

/// The draft column's content.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    subject: SubjectKind,
    /// GB/T 2260 province code.
    province: String,
    /// In either form of the document (drafts kept before the richer form have the first).
    #[serde(deserialize_with = "any_fields")]
    fields: Option<Fields>,
    materials: Vec<Kept>,
    /// The provider's results to seal with the materials (absent in drafts kept before them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    attestations: Vec<Attestation>,
}

/// An accepted capture; its normalized JPEG is the outbox file `file`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kept {
    kind: MaterialKind,
    /// Empty in drafts kept before materials had owners; [`Draft::open`] gives them one.
    #[serde(default)]
    owner: String,
    file: String,
    capture: Capture,
    report: Report,
}

impl Draft {
    /// Starts a new application for `subject` in `province` (code or name) with a fresh package id.
    pub fn start(outbox: Arc<Outbox>, policy: Arc<Policy>, subject: SubjectKind, province: &str) -> Result<Draft, Error> {
        let province = crate::filing::province::find(province)?.code.to_string();
        let record = Record { subject, province, fields: None, materials: vec![], attestations: vec![] };
        let id = seal::new_package_id()?;
        outbox.create_draft(&id, &record.to_json()?)?;
        Ok(Draft { outbox, policy, id, record: Mutex::new(record) })
    }

    /// Reopens the draft `id`, e.g. after the app was killed. A package no longer a draft is
    /// [`Error::InvalidState`]; a draft record this SDK cannot read is [`Error::OutboxCorrupt`].
    pub fn open(outbox: Arc<Outbox>, policy: Arc<Policy>, id: &str) -> Result<Draft, Error> {
        let package = outbox.get(id)?;
        if package.state != PackageState::Draft {
            let (state, action) = (package.state.to_string(), "open as a draft".to_string());
            return Err(Error::InvalidState { id: id.into(), state, action });
        }
        let record: Record = serde_json::from_slice(&outbox.draft(id)?)
            .map_err(|e| Error::OutboxCorrupt { reason: format!("draft {id}: {e}") })?;
        let draft = Draft { outbox, policy, id: id.into(), record: Mutex::new(record) };
        draft.give_owners()?;
        Ok(draft)
    }

    /// Gives each capture of a draft kept before materials had owners the owner it has in the
    /// filing's upgraded form ([`Fields::default_owner`]), and its file that slot's name.
    fn give_owners(&self) -> Result<(), Error> {
        let mut record = self.lock();
        let fields = record.fields.clone().unwrap_or_else(empty_fields);
        let mut next = record.clone();
        let mut renamed = vec![];
        for kept in next.materials.iter_mut().filter(|m| m.owner.is_empty()) {
            kept.owner = fields.default_owner(kept.kind);
            let file = kept.slot().file_name(0);
            self.outbox.put_file(&self.id, &file, &self.outbox.read_file(&self.id, &kept.file)?)?;
            renamed.push(std::mem::replace(&mut kept.file, file));
        }
        if renamed.is_empty() {
            return Ok(());
        }
        self.save(&mut record, |r| *r = next)?;
        renamed.iter().try_for_each(|old| self.outbox.remove_file(&self.id, old))
    }

    /// The policy the captures are checked against.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The package id, under which the outbox keeps it and the manifest names it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Checks a capture for `slot`; if accepted, stores its normalized JPEG as
    /// [`Slot::file_name`], replacing an earlier capture of the slot. Returns the check report
    /// either way. `Err` means the policy wants the kind photographed in the app and `capture`
    /// says it came from the gallery ([`Error::CaptureSourceNotAllowed`], nothing decoded), the
    /// owner is not `subject` or an id's form ([`Error::InvalidArgument`]: it names files), the
    /// bytes are not a readable image, or the outbox failed.
    pub fn add(&self, slot: &Slot, bytes: &[u8], capture: Capture) -> Result<Report, Error> {
        if !self.policy.rules(slot.kind).sources.contains(&capture.source) {
            return Err(Error::CaptureSourceNotAllowed { kind: slot.kind });
        }
        if slot.owner != form::SUBJECT && !form::is_valid_id(&slot.owner) {
            let reason = "must be `subject` or a person's or website's id: 1 to 32 of a-z, 0-9 and -".into();
            return Err(Error::InvalidArgument { name: "owner".into(), reason });
        }
        let report = check(bytes, slot.kind, &self.policy)?;
        let Some(output) = report.output.as_ref().filter(|_| report.verdict == Verdict::Accept) else {
            return Ok(report);
        };
        let file = slot.file_name(0);
        let mut record = self.lock();
        self.outbox.put_file(&self.id, &file, &output.jpeg)?;
        let mut kept = Kept { kind: slot.kind, owner: slot.owner.clone(), file, capture, report: report.clone() };
        if let Some(output) = kept.report.output.as_mut() {
            output.jpeg = vec![]; // in the outbox; sealing needs only its hash and size
        }
        self.save(&mut record, |r| {
            r.materials.retain(|m| &m.slot() != slot);
            r.materials.push(kept);
        })?;
        Ok(report)
    }

    /// Drops the capture of `slot`, if any.
    pub fn remove(&self, slot: &Slot) -> Result<(), Error> {
        let mut record = self.lock();
        let Some(file) = record.materials.iter().find(|m| &m.slot() == slot).map(|m| m.file.clone()) else {
            return Ok(());
        };
        self.save(&mut record, |r| r.materials.retain(|m| &m.slot() != slot))?;
        self.outbox.remove_file(&self.id, &file)
    }

    /// Sets the text fields, replacing earlier ones. They are checked by [`Draft::checklist`]
    /// and at sealing, not here, so a half-filled form can be saved.
    pub fn set_fields(&self, fields: Fields) -> Result<(), Error> {
        let mut record = self.lock();
        self.save(&mut record, |r| r.fields = Some(fields))
    }

    /// Keeps the provider's result (e.g. its liveness check of a person) to seal with the
    /// materials. One of the same provider, kind and owner replaces the earlier one, as a
    /// retaken check does. Refuses with
    /// [`Error::InvalidArgument`] one outside the manifest's form, or one more than
    /// [`manifest::MAX_ATTESTATIONS`].
    pub fn attest(&self, attestation: Attestation) -> Result<(), Error> {
        if let Some(reason) = attestation.problem() {
            return Err(Error::InvalidArgument { name: "attestation".into(), reason });
        }
        let mut record = self.lock();
        let same = |a: &Attestation| a.provider == attestation.provider && a.kind == attestation.kind && a.owner == attestation.owner;
        if !record.attestations.iter().any(same) && record.attestations.len() == manifest::MAX_ATTESTATIONS {
            let reason = format!("a package holds at most {} attestations", manifest::MAX_ATTESTATIONS);
            return Err(Error::InvalidArgument { name: "attestation".into(), reason });
        }
        let mut kept: Vec<Attestation> = record.attestations.iter().filter(|a| !same(a)).cloned().collect();
        kept.push(attestation);
        self.save(&mut record, |r| r.attestations = kept)
    }

    /// The attestations kept so far.
    pub fn attestations(&self) -> Vec<Attestation> {
        self.lock().attestations.clone()
    }

    /// The fields set so far.
    pub fn fields(&self) -> Option<Fields> {
        self.lock().fields.clone()
    }

    /// The report of the accepted capture of `slot` (its JPEG left out: it is in the outbox).
    pub fn report(&self, slot: &Slot) -> Option<Report> {
        self.lock().materials.iter().find(|m| &m.slot() == slot).map(|m| m.report.clone())
    }

    /// Where the application stands, as of today.
    pub fn checklist(&self) -> Result<Checklist, Error> {
        let record = self.lock();
        let submission = record.submission()?;
        let captured: Vec<Slot> = record.materials.iter().map(Kept::slot).collect();
        let (required, _) = submission.required_materials(&self.policy.requirements);
        let problems = seal::problems(&submission, &captured, &self.policy, Date::today_utc());
        let extra = captured.iter().filter(|s| !required.contains(s));
        let materials = required
            .iter()
            .chain(extra)
            .map(|slot| record.status(slot, required.contains(slot), &submission.fields))
            .collect();
        let ready_to_seal = !problems.iter().any(|p| p.severity == Severity::Block);
        Ok(Checklist { materials, fields: by_field(&problems), problems, ready_to_seal })
    }

    /// Seals the draft in place, signed by `signer` when given; the outbox then holds it
    /// sealed, ready to deliver. Refuses with [`Error::SealRefused`], listing every reason.
    ///
    /// The manifest is built from the stored reports (each output's SHA-256 and size) and
    /// verified against the outbox's record of the files; no blob is read back or rewritten.
    ///
    /// The draft is not locked while `signer` signs (it may wait on the applicant, e.g. a
    /// biometric prompt): other calls on the draft go on meanwhile. If one of them changed the
    /// draft, sealing refuses with [`Error::DraftChanged`] and can be run again.
    pub fn seal(&self, signer: Option<&dyn Signer>) -> Result<Sealed, Error> {
        let record = self.lock().clone();
        let submission = record.submission()?;
        let materials = record
            .materials
            .iter()
            .map(|kept| Material { slot: kept.slot(), capture: kept.capture.clone(), checked: Ok(kept.report.clone()) })
            .collect();
        // Only the record's files: one a failed `remove` left behind is dropped at sealing.
        let mut stored = self.outbox.get(&self.id)?.files;
        stored.retain(|f| record.materials.iter().any(|m| m.file == f.name));
        let sealing = Sealing { package_id: self.id.clone(), created_at: unix_now(), signer, attestations: record.attestations.clone() };
        let sealed = seal::seal_stored(&submission, materials, &self.policy, &sealing, &stored)?;
        let current = self.lock();
        if current.to_json()? != record.to_json()? {
            return Err(Error::DraftChanged { id: self.id.clone() });
        }
        self.outbox.seal_in_place(&self.id, &sealed.manifest_bytes, &stored)?;
        Ok(Sealed { package_id: self.id.clone(), digest: sealed.digest })
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Applies `change` to a copy of the record and stores it; the record in memory changes
    /// only once the outbox has it.
    fn save(&self, record: &mut Record, change: impl FnOnce(&mut Record)) -> Result<(), Error> {
        let mut next = record.clone();
        change(&mut next);
        self.outbox.update_draft(&self.id, &next.to_json()?)?;
        *record = next;
        Ok(())
    }
}

impl Record {
    fn to_json(&self) -> Result<Vec<u8>, Error> {
        serde_json::to_vec(self).map_err(|e| Error::storage("draft record", e))
    }

    fn status(&self, slot: &Slot, required: bool, fields: &Fields) -> MaterialStatus {
        let report = self.materials.iter().find(|m| &m.slot() == slot).map(|m| m.report.clone());
        let state = match &report {
            None => MaterialState::Missing,
            Some(r) if r.findings.is_empty() => MaterialState::Accepted,
            Some(_) => MaterialState::Warned,
        };
        MaterialStatus { slot: slot.clone(), owner_name: fields.owner_name(&slot.owner).to_owned(), required, state, report }
    }

    /// The submission as it stands; absent fields count as empty, so each is reported missing.
    fn submission(&self) -> Result<Submission, Error> {
        Submission::new(self.subject, &self.province, self.fields.clone().unwrap_or_else(empty_fields))
    }
}

/// The problems placed at fields, grouped by field in order of first appearance.
fn by_field(problems: &[Problem]) -> Vec<FieldProblems> {
    let mut fields: Vec<FieldProblems> = vec![];
    for p in problems {
        let Place::Field { path } = &p.place else { continue };
        match fields.iter_mut().find(|f| &f.path == path) {
            Some(field) => field.problems.push(p.clone()),
            None => fields.push(FieldProblems { path: path.clone(), problems: vec![p.clone()] }),
        }
    }
    fields
}

impl Kept {
    fn slot(&self) -> Slot {
        Slot::new(self.kind, self.owner.clone())
    }
}

/// The fields of a draft that has none yet: a one-person, one-website filing with every field
/// blank, so its checklist lists what such a filing needs.
fn empty_fields() -> Fields {
    let subject = legacy::SubjectFields { name: String::new(), credit_code: None, legal_representative: None };
    let person = legacy::Person {
        name: String::new(),
        id_number: String::new(),
        id_valid_until: String::new(),
        phone: String::new(),
        email: String::new(),
        is_legal_representative: None,
    };
    let website = legacy::Website { name: String::new(), domains: vec![] };
    legacy::Fields { subject, responsible_person: person, website }.into()
}

/// Reads a draft's fields in either form of the document.
fn any_fields<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Fields>, D::Error> {
    let Some(value) = Option::<serde_json::Value>::deserialize(d)? else { return Ok(None) };
    Fields::from_json(&value.to_string()).map(Some).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Message};

    /// Several problems on one field are all kept, in order; other places are left out.
    #[test]
    fn field_problems_keep_every_problem_in_order() {
        let at = |code, place| Problem::block(code, place, Message::new("zh", "en"));
        let id = Place::field("people[0].document.number");
        let problems = [
            at(Code::InvalidIdNumber, id.clone()),
            at(Code::MissingMaterial, Place::Material { kind: MaterialKind::FacePhoto, owner: Some("p1".into()) }),
            at(Code::InvalidPhone, Place::field("people[0].phone")),
            at(Code::NonLocalId, id),
        ];
        let fields = by_field(&problems);
        let found: Vec<(&str, Vec<Code>)> =
            fields.iter().map(|f| (f.path.as_str(), f.problems.iter().map(|p| p.code).collect())).collect();
        assert_eq!(found, [
            ("people[0].document.number", vec![Code::InvalidIdNumber, Code::NonLocalId]),
            ("people[0].phone", vec![Code::InvalidPhone]),
        ]);
    }
}
