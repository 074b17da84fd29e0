//! Sealing: a checked submission becomes a package with a digest and, optionally, a signature.

use std::io::Write;
use std::path::Path;

use crate::date::{rfc3339_utc, unix_now, Date};
use crate::error::Error;
use crate::package::manifest::{self, Attestation, Capture, CheckRecord, Entry, Manifest, PolicyRef, SealedFields, Sdk, Seal, SubjectRef, Thresholds};
use crate::material::Slot;
use crate::hash::{hex, is_hex, sha256_hex};
use crate::policy::Policy;
use crate::{Code, Message, Severity};
use crate::problem::{Place, Problem};
use crate::filing::requirements;
use crate::package::signature::{self, Signer};
use crate::filing::submission::Submission;
use super::verify;
use crate::{Report, Verdict};

/// One captured material and the outcome of checking it.
pub struct Material {
    /// Its kind and owner.
    pub slot: Slot,
    pub capture: Capture,
    /// What [`crate::check`] returned for the capture.
    pub checked: Result<Report, Error>,
}

/// How to seal: the package's id and time, and who signs.
pub struct Sealing<'a> {
    /// 32 lowercase hex characters.
    pub package_id: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    pub signer: Option<&'a dyn Signer>,
    /// Results from outside hexin to bind into the package (at most
    /// [`manifest::MAX_ATTESTATIONS`]).
    pub attestations: Vec<Attestation>,
}

impl<'a> Sealing<'a> {
    /// A random package id, the current time, unsigned.
    pub fn new() -> Result<Sealing<'a>, Error> {
        Ok(Sealing { package_id: new_package_id()?, created_at: unix_now(), signer: None, attestations: vec![] })
    }

    /// Signs with `signer`.
    pub fn signed_by(self, signer: &'a dyn Signer) -> Sealing<'a> {
        Sealing { signer: Some(signer), ..self }
    }

    /// Binds `attestations` into the package.
    pub fn attested(self, attestations: Vec<Attestation>) -> Sealing<'a> {
        Sealing { attestations, ..self }
    }
}

/// A sealed package: the manifest, its canonical bytes, and the files it lists.
#[derive(Debug, Clone)]
pub struct Package {
    pub manifest: Manifest,
    /// The exact bytes of `manifest.json`.
    pub manifest_bytes: Vec<u8>,
    /// The package digest (`seal.digest`).
    pub digest: String,
    /// File name and bytes of each material, in manifest order.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Package {
    /// Writes `manifest.json` and the files into a new directory `dir`, all or nothing.
    ///
    /// `dir` must not exist or be an empty directory. The package is written into a temporary
    /// directory beside it (`.NAME.PACKAGE_ID.partial`), each file created new and synced, and
    /// then renamed into place, so a failure midway (a full disk) leaves no half package: the
    /// temporary directory is removed and `dir` is untouched.
    pub fn write_to(&self, dir: &Path) -> Result<(), Error> {
        let storage = |op: &str, e: std::io::Error| Error::Storage { op: format!("{op} {}", dir.display()), reason: e.to_string() };
        let Some(name) = dir.file_name() else {
            return Err(Error::Storage { op: format!("write {}", dir.display()), reason: "the path does not end in a directory name".into() });
        };
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
            Ok(true) => {
                return Err(Error::Storage { op: format!("write {}", dir.display()), reason: "the directory is not empty".into() });
            }
            Ok(false) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(parent).map_err(|e| storage("create", e))?,
            Err(e) => return Err(storage("write", e)),
        }
        let temp = parent.join(format!(".{}.{}.partial", name.to_string_lossy(), self.manifest.package_id));
        std::fs::create_dir(&temp).map_err(|e| storage("write", e))?;
        let written = self.write_files(&temp).and_then(|()| std::fs::rename(&temp, dir));
        let Err(e) = written else { return Ok(()) };
        let reason = match std::fs::remove_dir_all(&temp) {
            Ok(()) => e.to_string(),
            Err(_) => format!("{e} ({} is left behind)", temp.display()),
        };
        Err(Error::Storage { op: format!("write {}", dir.display()), reason })
    }

    /// Creates every file of the package in `dir`, none over an existing one, each synced.
    fn write_files(&self, dir: &Path) -> std::io::Result<()> {
        let files = self.files.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice()));
        for (name, bytes) in files.chain([(manifest::FILE_NAME, self.manifest_bytes.as_slice())]) {
            if name != manifest::FILE_NAME && !manifest::is_safe_file_name(name) {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{name:?} is not a safe file name")));
            }
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(dir.join(name))?;
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        Ok(())
    }
}

/// The package as [`verify`] reads it, so that sealing holds it to every check a receiver makes.
impl verify::Files for Package {
    fn names(&self) -> Result<Vec<String>, String> {
        Ok(self.files.iter().map(|(name, _)| name.clone()).collect())
    }

    fn measure(&self, name: &str, expected_size: u64) -> Result<Option<(u64, String)>, String> {
        Ok(self.files.iter().find(|(n, _)| n == name).map(|(_, bytes)| verify::measure_bytes(bytes, expected_size)))
    }
}

/// Seals `materials` for `submission` under `policy`.
///
/// Refuses with [`Error::SealRefused`], listing every reason, when a field is invalid, a required
/// material is missing, a capture could not be read, or a check blocks. Field warnings (such as
/// `invalid_credit_code`) do not refuse; they are recorded in the manifest's `warnings`.
///
/// Text fields are sealed in Unicode NFC. The finished package is verified as a receiver would
/// ([`verify::verify`]: manifest size, material count, file names, digest, signature); a package
/// that would fail is refused with [`Error::SealRefused`] listing verify's problems, so `seal`
/// never returns a package `verify` refuses.
pub fn seal(submission: &Submission, materials: Vec<Material>, policy: &Policy, sealing: &Sealing) -> Result<Package, Error> {
    let (manifest, files) = build(submission, materials, policy, sealing)?;
    let package = Package { manifest: manifest.manifest, manifest_bytes: manifest.manifest_bytes, digest: manifest.digest, files };
    verified(&package.manifest_bytes, &package)?;
    Ok(package)
}

/// A manifest sealed over files kept elsewhere (see [`seal_stored`]).
#[derive(Debug, Clone)]
pub struct SealedManifest {
    pub manifest: Manifest,
    /// The exact bytes of `manifest.json`.
    pub manifest_bytes: Vec<u8>,
    /// The package digest (`seal.digest`).
    pub digest: String,
}

/// Seals as [`seal`] does materials whose bytes are already stored, e.g. a draft's in the
/// outbox: the manifest is built from each report's output metadata (its SHA-256 and size; the
/// JPEG bytes, which may be left empty, are not read), and verified against `stored`, the files
/// as the store records them, as [`seal`] verifies its package.
pub fn seal_stored(
    submission: &Submission,
    materials: Vec<Material>,
    policy: &Policy,
    sealing: &Sealing,
    stored: &dyn verify::Files,
) -> Result<SealedManifest, Error> {
    let (manifest, _) = build(submission, materials, policy, sealing)?;
    verified(&manifest.manifest_bytes, stored)?;
    Ok(manifest)
}

/// The sealed manifest for `materials`, with each accepted output's file name and JPEG.
fn build(submission: &Submission, materials: Vec<Material>, policy: &Policy, sealing: &Sealing) -> Result<(SealedManifest, Vec<(String, Vec<u8>)>), Error> {
    if !is_hex(&sealing.package_id, 32) {
        return Err(Error::InvalidArgument { name: "package_id".into(), reason: "must be 32 lowercase hex characters".into() });
    }
    if sealing.attestations.len() > manifest::MAX_ATTESTATIONS {
        let reason = format!("at most {} attestations", manifest::MAX_ATTESTATIONS);
        return Err(Error::InvalidArgument { name: "attestations".into(), reason });
    }
    for (i, a) in sealing.attestations.iter().enumerate() {
        let unknown = a.owner.as_deref().filter(|o| submission.fields.person(o).is_none()).map(|o| format!("owner {o:?} is no person of the fields"));
        if let Some(reason) = a.problem().or(unknown) {
            return Err(Error::InvalidArgument { name: format!("attestations[{i}]"), reason });
        }
    }
    let today = Date::from_unix_days(sealing.created_at.div_euclid(86_400));
    let present: Vec<Slot> = materials.iter().map(|m| m.slot.clone()).collect();
    let mut problems = problems(submission, &present, policy, today);
    let mut accepted = vec![];
    for m in materials {
        let place = Place::Material { kind: m.slot.kind, owner: Some(m.slot.owner.clone()) };
        if let Some(problem) = source_refused(&m, policy) {
            problems.push(problem);
        }
        match m.checked {
            Err(e) => problems.push(Problem::block(e.code(), place, e.message())),
            Ok(report) if report.verdict == Verdict::Reject || report.output.is_none() => {
                for f in report.findings.iter().filter(|f| f.severity == Severity::Block) {
                    problems.push(Problem::block(f.code, place.clone(), f.message.clone()));
                }
            }
            Ok(report) => accepted.push((m.slot, m.capture, report)),
        }
    }
    let (blocking, warnings): (Vec<Problem>, Vec<Problem>) = problems.into_iter().partition(|p| p.severity == Severity::Block);
    if !blocking.is_empty() {
        return Err(Error::SealRefused { problems: blocking });
    }

    let mut entries: Vec<Entry> = vec![];
    let mut files = vec![];
    for (slot, capture, report) in accepted {
        let Some(output) = report.output else { continue };
        let same = |e: &&Entry| e.kind == slot.kind && e.owner.as_deref() == Some(slot.owner.as_str());
        let file = slot.file_name(entries.iter().filter(same).count());
        let kind = slot.kind;
        entries.push(Entry {
            kind,
            owner: Some(slot.owner),
            file: file.clone(),
            media_type: "image/jpeg".into(),
            bytes: unsigned(output.bytes, "bytes")?,
            sha256: output.sha256,
            width: unsigned(output.width.into(), "width")?,
            height: unsigned(output.height.into(), "height")?,
            capture,
            check: CheckRecord {
                verdict: report.verdict,
                findings: report.findings,
                metrics: report.metrics,
                thresholds: Thresholds::of(policy.rules(kind)),
                document: report.document,
                output_blur: report.output_blur,
                quality: unsigned(output.quality.into(), "quality")?,
            },
        });
        files.push((file, output.jpeg));
    }
    let mut manifest = Manifest {
        schema: manifest::SCHEMA.into(),
        version: manifest::VERSION,
        package_id: sealing.package_id.clone(),
        created_at: rfc3339_utc(sealing.created_at),
        sdk: Sdk { name: "hexin".into(), version: env!("CARGO_PKG_VERSION").into() },
        policy: PolicyRef::of(policy),
        subject: SubjectRef { kind: submission.subject, province: submission.province.code.into() },
        fields: SealedFields::Current(submission.fields.normalized()),
        warnings,
        materials: entries,
        attestations: sealing.attestations.clone(),
        seal: None,
    };
    let unsealed = manifest.to_canonical()?;
    let digest = sha256_hex(&unsealed);
    let signature = sealing.signer.map(|s| signature::sign(s, &unsealed)).transpose()?;
    manifest.seal = Some(Seal { digest: digest.clone(), signature });
    let manifest_bytes = manifest.to_canonical()?;
    Ok((SealedManifest { manifest, manifest_bytes, digest }, files))
}

/// A count of a check's output (signed, as the bindings show it) as the manifest's unsigned
/// number. The checks make them from unsigned sizes; one out of range is refused, not wrapped.
fn unsigned<T: TryFrom<i64>>(n: i64, what: &str) -> Result<T, Error> {
    T::try_from(n).map_err(|_| Error::ManifestInvalid { reason: format!("output {what} {n} is out of range") })
}

/// Refuses with [`Error::SealRefused`] a manifest [`verify::verify`] refuses with `files`.
fn verified(manifest_bytes: &[u8], files: &dyn verify::Files) -> Result<(), Error> {
    let verification = verify::verify(manifest_bytes, files, &verify::Options::default());
    if !verification.is_intact() {
        return Err(Error::SealRefused { problems: verification.problems });
    }
    Ok(())
}

/// What stands in the way of sealing `submission` with materials in the slots `present`, all
/// accepted, on `today`: field problems, refusals, missing materials, and materials whose owner
/// the fields do not have. Warnings (severity `warn`) do not refuse.
pub fn problems(submission: &Submission, present: &[Slot], policy: &Policy, today: Date) -> Vec<Problem> {
    let mut problems = submission.problems(&policy.requirements, today);
    let (needed, refusals) = submission.required_materials(&policy.requirements);
    problems.extend(refusals);
    problems.extend(requirements::missing(&needed, present, &submission.fields));
    for slot in present.iter().filter(|s| submission.fields.owner(&s.owner).is_none()) {
        let owner: String = slot.owner.chars().take(40).collect();
        problems.push(Problem::block(Code::UnknownReference, Place::Material { kind: slot.kind, owner: Some(slot.owner.clone()) }, Message::new(
            format!("材料{}所属的“{owner}”不是主体，也不是填写的任何人员或网站。", slot.kind.zh()),
            format!("The {} belongs to `{owner}`, which is neither the subject nor any person or website in the fields.", slot.kind.en()),
        )));
    }
    problems
}

/// `capture_source_not_allowed` when the policy wants the material taken in the app's camera
/// and it was picked from the gallery.
fn source_refused(m: &Material, policy: &Policy) -> Option<Problem> {
    let source = m.capture.source;
    if policy.rules(m.slot.kind).sources.contains(&source) {
        return None;
    }
    let place = Place::Material { kind: m.slot.kind, owner: Some(m.slot.owner.clone()) };
    let refused = Error::CaptureSourceNotAllowed { kind: m.slot.kind };
    Some(Problem::block(refused.code(), place, refused.message()))
}

/// A random 128-bit package id, as 32 lowercase hex characters.
pub fn new_package_id() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::storage("random package id", e))?;
    Ok(hex(&bytes))
}

impl Capture {
    /// A capture record from a source and a time in seconds since the Unix epoch.
    pub fn at(source: manifest::CaptureSource, unix_secs: i64) -> Capture {
        Capture { source, time: rfc3339_utc(unix_secs) }
    }
}
