//! Verification of a package: a manifest and its files, as a server receives them.
//!
//! Every problem is reported, not just the first. The input is hostile: sizes are bounded before
//! anything is parsed or hashed, file names are checked before any is opened, and nothing here
//! panics (the fuzz target `verify` holds it to that).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::canonical;
use crate::input;
use crate::code::{Code, Message};
use crate::package::manifest::{self, is_safe_file_name, Manifest, SealedFields};
use crate::hash::{hex, is_hex};
use crate::problem::{Place, Problem};
use crate::package::signature::{self, manifest_key_form};
use crate::Error;

/// A manifest larger than this is refused unread.
pub const MAX_MANIFEST_BYTES: usize = 1 << 20;
/// A package with more materials than this is refused.
pub const MAX_MATERIALS: usize = 64;

/// What the verifier expects beyond the package's own consistency.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Accept only packages signed by one of these keys (any P-256 form [`signature::parse_public_key`]
    /// reads). Empty: a signature is checked when present but not required.
    pub trusted_keys: Vec<p256::ecdsa::VerifyingKey>,
    /// The package digest learned another way (e.g. from the app's API call).
    pub expected_digest: Option<String>,
}

/// The outcome of verifying one package.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Verification {
    pub package_id: Option<String>,
    /// The package digest recomputed from the manifest.
    pub digest: Option<String>,
    /// Base64 SEC1 public key of a valid signature.
    pub signed_by: Option<String>,
    pub problems: Vec<Problem>,
}

impl Verification {
    /// True when nothing is wrong.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The files of a package, wherever they are.
pub trait Files {
    /// Every entry's name besides the manifest; a name that is not UTF-8 comes lossily converted.
    fn names(&self) -> Result<Vec<String>, String>;
    /// Size and SHA-256 (lowercase hex) of the regular file `name`; `None` if absent.
    /// Hashing is skipped (empty string) when the size differs from `expected_size`.
    fn measure(&self, name: &str, expected_size: u64) -> Result<Option<(u64, String)>, String>;
}

/// Files held in memory.
impl Files for BTreeMap<String, Vec<u8>> {
    fn names(&self) -> Result<Vec<String>, String> {
        Ok(self.keys().filter(|n| *n != manifest::FILE_NAME).cloned().collect())
    }

    fn measure(&self, name: &str, expected_size: u64) -> Result<Option<(u64, String)>, String> {
        Ok(self.get(name).map(|b| measure_bytes(b, expected_size)))
    }
}

/// [`Files::measure`] of bytes in memory.
pub(crate) fn measure_bytes(bytes: &[u8], expected_size: u64) -> (u64, String) {
    let size = bytes.len() as u64;
    (size, if size == expected_size { hex(&Sha256::digest(bytes)) } else { String::new() })
}

/// A package directory on disk.
pub struct Dir(pub PathBuf);

impl Files for Dir {
    fn names(&self) -> Result<Vec<String>, String> {
        let mut names = vec![];
        for entry in fs::read_dir(&self.0).map_err(|e| e.to_string())? {
            let name = entry.map_err(|e| e.to_string())?.file_name().to_string_lossy().into_owned();
            if name != manifest::FILE_NAME {
                names.push(name);
            }
        }
        Ok(names)
    }

    fn measure(&self, name: &str, expected_size: u64) -> Result<Option<(u64, String)>, String> {
        let (mut file, size) = match input::open_regular(&self.0.join(name), u64::MAX) {
            Ok(opened) => opened,
            Err(e) if input::is_not_found(&e) => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        if size != expected_size {
            return Ok(Some((size, String::new())));
        }
        crate::hash::sha256_read(&mut file).map(Some).map_err(|e| e.to_string())
    }
}

/// Verifies the package in `dir`.
pub fn verify_dir(dir: &Path, options: &Options) -> Verification {
    let dir = Dir(dir.to_path_buf());
    verify_in(&dir, &dir, options).0
}

/// A package directory as [`load_dir`] read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    /// `manifest.json` as read (empty when it could not be).
    pub manifest: Vec<u8>,
    /// Each file the manifest lists that could be read, in the manifest's order.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Verifies the package in `dir` as [`verify_dir`] does, keeping what it read: each file the
/// manifest lists is read once, whole, bounded by its listed size and never through a symlink,
/// so the bytes kept are the bytes verified.
pub fn load_dir(dir: &Path, options: &Options) -> (Verification, Loaded) {
    let keep = Keep { dir: Dir(dir.to_path_buf()), files: RefCell::default() };
    let (verification, manifest) = verify_in(&keep.dir, &keep, options);
    (verification, Loaded { manifest, files: keep.files.into_inner() })
}

/// A package directory whose listed files are read into memory as they are measured.
struct Keep {
    dir: Dir,
    files: RefCell<Vec<(String, Vec<u8>)>>,
}

impl Files for Keep {
    fn names(&self) -> Result<Vec<String>, String> {
        self.dir.names()
    }

    fn measure(&self, name: &str, expected_size: u64) -> Result<Option<(u64, String)>, String> {
        match input::read(&self.dir.0.join(name), expected_size) {
            Ok(bytes) => {
                let measured = measure_bytes(&bytes, expected_size);
                self.files.borrow_mut().push((name.to_owned(), bytes));
                Ok(Some(measured))
            }
            // `bytes` is a count, never negative.
            Err(Error::InputTooLarge { bytes, .. }) => Ok(Some((bytes.unsigned_abs(), String::new()))),
            Err(e) if input::is_not_found(&e) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Verifies the manifest in `dir` against `files`; returns the manifest's bytes too.
fn verify_in(dir: &Dir, files: &dyn Files, options: &Options) -> (Verification, Vec<u8>) {
    let none = |problem| Verification { package_id: None, digest: None, signed_by: None, problems: vec![problem] };
    match read_bounded(&dir.0.join(manifest::FILE_NAME)) {
        Ok(Some(bytes)) => (verify(&bytes, files, options), bytes),
        Ok(None) => (
            none(problem(Code::ManifestMissing, Place::file(manifest::FILE_NAME), "缺少资料包清单 manifest.json。", "The package has no manifest.json.")),
            vec![],
        ),
        Err(reason) => (none(invalid(&reason)), vec![]),
    }
}

fn read_bounded(path: &Path) -> Result<Option<Vec<u8>>, String> {
    match input::read(path, MAX_MANIFEST_BYTES as u64) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if input::is_not_found(&e) => Ok(None),
        Err(e) => Err(format!("cannot read manifest.json: {e}")),
    }
}

/// Verifies a manifest's bytes against `files`.
pub fn verify(bytes: &[u8], files: &dyn Files, options: &Options) -> Verification {
    let mut v = Verification { package_id: None, digest: None, signed_by: None, problems: vec![] };
    let Some((value, manifest)) = parse(bytes, &mut v.problems) else { return v };
    v.package_id = Some(manifest.package_id.clone());
    check_entries(&manifest, &mut v.problems);
    check_seal(&value, &manifest, options, &mut v);
    if v.problems.iter().all(|p| p.code != Code::ManifestInvalid) {
        check_files(&manifest, files, &mut v.problems);
    }
    v
}

/// Parses a manifest: JSON, the right schema and version, canonical bytes, the typed schema with
/// nothing more or less. Returns `None` when nothing further can be checked.
fn parse(bytes: &[u8], problems: &mut Vec<Problem>) -> Option<(Value, Manifest)> {
    if bytes.len() > MAX_MANIFEST_BYTES {
        problems.push(invalid(&format!("manifest.json exceeds {MAX_MANIFEST_BYTES} bytes")));
        return None;
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            problems.push(invalid(&format!("not JSON: {e}")));
            return None;
        }
    };
    if value.get("schema").and_then(Value::as_str) != Some(manifest::SCHEMA) {
        problems.push(invalid(&format!("schema is not {:?}", manifest::SCHEMA)));
        return None;
    }
    match value.get("version") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| manifest::VERSIONS.iter().any(|&known| u64::from(known) == v)) => {}
        other => {
            let found = other.map(|v| v.to_string().chars().take(20).collect::<String>()).unwrap_or_else(|| "none".into());
            problems.push(problem(
                Code::UnsupportedManifestVersion,
                Place::Manifest { path: "version".into() },
                &format!("资料包清单版本 {found} 不受支持，请升级核验程序。"),
                &format!("Manifest version {found} is not supported by this verifier (it reads {:?}): upgrade it.", manifest::VERSIONS),
            ));
            return None;
        }
    }
    let canonical = canonical::to_vec(&value);
    if canonical.as_deref() != Some(bytes) {
        problems.push(problem(
            Code::ManifestNotCanonical,
            Place::file(manifest::FILE_NAME),
            "资料包清单在封装后被改写（非规范格式）。",
            "manifest.json is not in its canonical form: it was rewritten after sealing.",
        ));
    }
    let manifest: Manifest = match serde_json::from_value(value.clone()) {
        Ok(m) => m,
        Err(e) => {
            problems.push(invalid(&e.to_string()));
            return None;
        }
    };
    // Members the schema does not know, or values it would write differently, are outside it.
    // (Compared canonically: JCS writes 55.0 as 55, which reads back as an integer.)
    let rewritten = serde_json::to_value(&manifest).ok().and_then(|v| canonical::to_vec(&v));
    if rewritten.is_none() || rewritten != canonical {
        problems.push(invalid(&format!("members or values outside the version {} schema", manifest.version)));
        return None;
    }
    Some((value, manifest))
}

fn check_entries(m: &Manifest, problems: &mut Vec<Problem>) {
    check_owners(m, problems);
    if !is_hex(&m.package_id, 32) {
        problems.push(invalid("package_id is not 32 lowercase hex characters"));
    }
    if m.materials.is_empty() || m.materials.len() > MAX_MATERIALS {
        problems.push(invalid(&format!("a package holds 1 to {MAX_MATERIALS} materials")));
    }
    if m.attestations.len() > manifest::MAX_ATTESTATIONS {
        problems.push(invalid(&format!("a package holds at most {} attestations", manifest::MAX_ATTESTATIONS)));
    }
    for (i, a) in m.attestations.iter().enumerate() {
        if let Some(reason) = a.problem() {
            problems.push(invalid(&format!("attestations[{i}]: {reason}")));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, e) in m.materials.iter().enumerate() {
        if !is_safe_file_name(&e.file) {
            problems.push(invalid(&format!("materials[{i}].file is not a plain file name")));
        } else if !seen.insert(e.file.as_str()) {
            problems.push(invalid(&format!("materials[{i}].file repeats {}", e.file)));
        }
        if !is_hex(&e.sha256, 64) {
            problems.push(invalid(&format!("materials[{i}].sha256 is not 64 lowercase hex characters")));
        }
    }
}

/// Version 1 seals the first form of the fields and materials without owners; version 2 the
/// current form, whose roles name its people, and each material's owner is the subject or a
/// person or website in it.
fn check_owners(m: &Manifest, problems: &mut Vec<Problem>) {
    match (&m.fields, m.version) {
        (SealedFields::First(_), 1) => {
            if m.materials.iter().any(|e| e.owner.is_some()) || m.attestations.iter().any(|a| a.owner.is_some()) {
                problems.push(invalid("a version 1 manifest's materials and attestations have no owner"));
            }
        }
        (SealedFields::Current(fields), 2) => {
            let roles = std::iter::once(("fields.subject.responsible_person".to_string(), &fields.subject.responsible_person))
                .chain(fields.websites.iter().enumerate().map(|(i, w)| (format!("fields.websites[{i}].responsible_person"), &w.responsible_person)));
            for (at, id) in roles {
                if fields.person(id).is_none() {
                    problems.push(invalid(&format!("{at} names no person of the fields")));
                }
            }
            for (i, a) in m.attestations.iter().enumerate() {
                if a.owner.as_deref().is_some_and(|o| fields.person(o).is_none()) {
                    problems.push(invalid(&format!("attestations[{i}].owner names no person of the fields")));
                }
            }
            for (i, e) in m.materials.iter().enumerate() {
                if e.owner.as_deref().and_then(|o| fields.owner(o)).is_none() {
                    problems.push(invalid(&format!("materials[{i}].owner is not the subject or a person or website of the fields")));
                }
            }
        }
        (_, version) => problems.push(invalid(&format!("fields are not in the version {version} form"))),
    }
}

fn check_seal(value: &Value, m: &Manifest, options: &Options, v: &mut Verification) {
    let Some(seal) = &m.seal else {
        v.problems.push(invalid("the manifest has no seal"));
        return;
    };
    let Some(unsealed) = manifest::sealed_bytes(value) else {
        v.problems.push(invalid("an integer is too large for canonical JSON"));
        return;
    };
    let digest = hex(&Sha256::digest(&unsealed));
    if digest != seal.digest {
        v.problems.push(problem(
            Code::ManifestTampered,
            Place::Manifest { path: "seal.digest".into() },
            "资料包清单在封装后被修改。",
            "The manifest was changed after it was sealed: its content no longer matches seal.digest.",
        ));
    }
    if options.expected_digest.as_ref().is_some_and(|d| !d.eq_ignore_ascii_case(&digest)) {
        v.problems.push(problem(
            Code::DigestMismatch,
            Place::Manifest { path: "seal.digest".into() },
            "资料包摘要与预期不符。",
            "The package digest differs from the one expected.",
        ));
    }
    match &seal.signature {
        Some(sig) => match signature::verify(sig, &unsealed) {
            Ok(_) => v.signed_by = Some(sig.public_key.clone()),
            Err(reason) => v.problems.push(problem(
                Code::SignatureInvalid,
                Place::Manifest { path: "seal.signature".into() },
                &format!("资料包签名无效：{reason}。"),
                &format!("The package signature is invalid: {reason}."),
            )),
        },
        None if !options.trusted_keys.is_empty() => v.problems.push(problem(
            Code::UntrustedKey,
            Place::Manifest { path: "seal.signature".into() },
            "资料包未签名，但要求可信密钥签名。",
            "The package is not signed, and a trusted key's signature is required.",
        )),
        None => {}
    }
    if let (Some(key), false) = (&v.signed_by, options.trusted_keys.is_empty()) {
        if !options.trusted_keys.iter().any(|t| &manifest_key_form(t) == key) {
            v.problems.push(problem(
                Code::UntrustedKey,
                Place::Manifest { path: "seal.signature.public_key".into() },
                "资料包由不受信任的密钥签名。",
                "The package is signed by a key that is not trusted.",
            ));
        }
    }
    v.digest = Some(digest);
}

fn check_files(m: &Manifest, files: &dyn Files, problems: &mut Vec<Problem>) {
    let listed: BTreeSet<&str> = m.materials.iter().map(|e| e.file.as_str()).collect();
    match files.names() {
        Ok(mut names) => {
            names.sort();
            for name in names.iter().filter(|n| !listed.contains(n.as_str())) {
                problems.push(problem(
                    Code::FileExtra,
                    Place::file(name),
                    &format!("资料包中有清单未列出的文件 {name}。"),
                    &format!("{name} is in the package but not in the manifest."),
                ));
            }
        }
        Err(reason) => problems.push(problem(Code::FileMissing, Place::Package, &format!("无法列出资料包文件：{reason}"), &format!("The package's files cannot be listed: {reason}"))),
    }
    for e in &m.materials {
        let name = e.file.as_str();
        match files.measure(name, e.bytes) {
            Ok(None) => problems.push(problem(Code::FileMissing, Place::file(name), &format!("缺少文件 {name}。"), &format!("{name} is missing."))),
            Err(reason) => problems.push(problem(Code::FileMissing, Place::file(name), &format!("无法读取文件 {name}：{reason}"), &format!("{name} cannot be read: {reason}"))),
            Ok(Some((size, _))) if size != e.bytes => problems.push(problem(
                Code::FileSizeMismatch,
                Place::file(name),
                &format!("文件 {name} 大小为 {size} 字节，清单记录为 {} 字节。", e.bytes),
                &format!("{name} has {size} bytes; the manifest says {}.", e.bytes),
            )),
            Ok(Some((_, sha))) if sha != e.sha256 => problems.push(problem(
                Code::FileHashMismatch,
                Place::file(name),
                &format!("文件 {name} 的内容与清单记录的 SHA-256 不符。"),
                &format!("{name}'s SHA-256 differs from the manifest: its content changed."),
            )),
            Ok(Some(_)) => {}
        }
    }
}

/// A blocking problem; a file name from the package is cut to 200 characters.
fn problem(code: Code, place: Place, zh: &str, en: &str) -> Problem {
    let place = match place {
        Place::File { name } => Place::File { name: name.chars().take(200).collect() },
        place => place,
    };
    Problem::block(code, place, Message::new(zh, en))
}

fn invalid(reason: &str) -> Problem {
    let reason: String = reason.chars().take(300).collect();
    problem(Code::ManifestInvalid, Place::file(manifest::FILE_NAME), &format!("资料包清单无效：{reason}"), &format!("The manifest is invalid: {reason}"))
}
