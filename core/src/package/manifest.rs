//! The manifest: the sealed description of a package (schema in docs/manifest.md).
//!
//! This SDK writes version 2 (people, websites, the filing type, and each material's owner) and
//! verifies versions 1 and 2: version 1 sealed the first form of the fields
//! ([`crate::filing::legacy`]) and materials without owners.
//!
//! A package is a directory holding `manifest.json` and one file per material. The manifest is
//! written in its RFC 8785 canonical form; its `seal.digest` is the SHA-256 of the canonical bytes
//! of the manifest without the `seal` member, and `seal.signature`, when present, is an ECDSA
//! P-256 signature over those same bytes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::capture::checks::{Finding, Metrics};
use crate::capture::placement::Document;
use crate::material::MaterialKind;
use crate::capture::rules::Rules;
pub use crate::capture::rules::CaptureSource;
use crate::policy::Policy;
use crate::problem::Problem;
use crate::filing::requirements::SubjectKind;
use crate::package::signature::Signature;
use crate::filing::form::Fields;
use crate::filing::legacy;
use crate::canonical;
use crate::date::parse_rfc3339_utc;
use crate::{Error, Verdict};

/// The manifest's file name inside a package.
pub const FILE_NAME: &str = "manifest.json";
/// The `schema` value of every hexin manifest.
pub const SCHEMA: &str = "hexin.manifest";
/// The manifest version this SDK writes.
pub const VERSION: u32 = 2;
/// The manifest versions this SDK verifies.
pub const VERSIONS: [u32; 2] = [1, VERSION];

/// A package's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// [`VERSION`] for what this SDK writes; 1 for the first form.
    pub version: u32,
    /// 32 lowercase hex characters, random.
    pub package_id: String,
    /// RFC 3339 UTC, e.g. `2026-11-28T12:43:55Z`.
    pub created_at: String,
    pub sdk: Sdk,
    pub policy: PolicyRef,
    pub subject: SubjectRef,
    pub fields: SealedFields,
    /// Field warnings the host chose to seal anyway (e.g. `invalid_credit_code`).
    pub warnings: Vec<Problem>,
    pub materials: Vec<Entry>,
    /// Results from outside hexin bound to the package, e.g. the provider's liveness check;
    /// absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attestations: Vec<Attestation>,
    /// Absent only while the manifest is being sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<Seal>,
}

/// The fields as sealed: the fields document in the version's form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SealedFields {
    /// Version 2.
    Current(Fields),
    /// Version 1: one responsible person, one website.
    First(legacy::Fields),
}

/// The most attestations a package carries.
pub const MAX_ATTESTATIONS: usize = 8;
/// The most characters in each text member of an attestation.
pub const MAX_ATTESTATION_TEXT: usize = 256;

/// A result only the provider can produce (liveness, the comparison with the police photo),
/// named in the package so that the server can tie the sealed package to it. hexin neither
/// makes nor checks it: it records what the host passes, under the digest and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// Who issued it, e.g. `aliyun` or `tencent-cloud`.
    pub provider: String,
    /// What it attests, e.g. `liveness` or `face-match`.
    pub kind: String,
    /// The provider's id for it, e.g. the verification id its API returned.
    pub reference: String,
    /// When the provider issued it, RFC 3339 UTC: `2026-11-30T12:00:00Z`.
    pub issued_at: String,
    /// Whose it is, when it is a person's (a liveness check of a website's responsible person):
    /// their id in the fields. Version 2 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
}

impl Attestation {
    /// What is wrong with it: an empty or over-long member, a control character, an
    /// `issued_at` not in RFC 3339 UTC, or an `owner` outside an id's form.
    pub fn problem(&self) -> Option<String> {
        if self.owner.as_deref().is_some_and(|o| !crate::filing::form::is_valid_id(o)) {
            return Some("owner must be a person's id: 1 to 32 of a-z, 0-9 and -".into());
        }
        for (name, value) in [("provider", &self.provider), ("kind", &self.kind), ("reference", &self.reference)] {
            let n = value.chars().count();
            if n == 0 || n > MAX_ATTESTATION_TEXT || value.chars().any(char::is_control) {
                return Some(format!("{name} must be 1 to {MAX_ATTESTATION_TEXT} characters, none of them a control character"));
            }
        }
        parse_rfc3339_utc(&self.issued_at)
            .is_none()
            .then(|| "issued_at must be an RFC 3339 UTC time such as 2026-11-30T12:00:00Z".into())
    }
}

/// The SDK that sealed the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sdk {
    pub name: String,
    pub version: String,
}

/// The policy the materials were judged by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    pub id: String,
    pub version: u32,
    /// SHA-256 of the policy document's bytes.
    pub digest: String,
}

impl PolicyRef {
    /// Names `policy` exactly.
    pub fn of(policy: &Policy) -> PolicyRef {
        PolicyRef { id: policy.id.clone(), version: policy.version, digest: policy.digest.clone() }
    }
}

/// Who files, and in which province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectRef {
    #[serde(rename = "type")]
    pub kind: SubjectKind,
    /// GB/T 2260 two-digit code.
    pub province: String,
}

/// One material file of the package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub kind: MaterialKind,
    /// Version 2: whom or what the material belongs to, `subject` or a person's or website's id
    /// in the fields. Absent in version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// A plain file name inside the package directory.
    pub file: String,
    pub media_type: String,
    pub bytes: u64,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    pub capture: Capture,
    pub check: CheckRecord,
}

/// Where and when the photo was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    pub source: CaptureSource,
    /// RFC 3339 UTC.
    pub time: String,
}


/// The check report of a material, with the thresholds it was held to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRecord {
    pub verdict: Verdict,
    /// Warnings only: a blocking finding cannot be sealed.
    pub findings: Vec<Finding>,
    pub metrics: Metrics,
    pub thresholds: Thresholds,
    /// Where the document lay in the photo (corners in the upright photo's pixels) and the
    /// transform that straightened it; absent for kinds that are not located.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Document>,
    /// Blur effect re-measured on the normalized file.
    pub output_blur: Option<f64>,
    /// JPEG quality of the normalized file.
    pub quality: u8,
}

/// The limits a material was checked against, copied from the policy's rules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub min_short_side: u32,
    pub min_long_side: u32,
    pub blurry: f64,
    pub too_dark: f64,
    pub overexposed: f64,
    pub glare: f64,
    pub not_color: f64,
    pub color_required: bool,
    /// Whether the document was located, and the limits it was judged by.
    pub document_find: bool,
    pub document_not_found: f64,
    pub document_too_small: f64,
    pub document_tilted: f64,
    pub output_max_bytes: u64,
}

impl Thresholds {
    /// The thresholds of one material's rules.
    pub fn of(r: &Rules) -> Thresholds {
        Thresholds {
            min_short_side: r.min_short_side,
            min_long_side: r.min_long_side,
            blurry: r.checks.blurry.threshold,
            too_dark: r.checks.too_dark.threshold,
            overexposed: r.checks.overexposed.threshold,
            glare: r.checks.glare.threshold,
            not_color: r.checks.not_color.threshold,
            color_required: r.color_required,
            document_find: r.document.find,
            document_not_found: r.checks.document_not_found.threshold,
            document_too_small: r.checks.document_too_small.threshold,
            document_tilted: r.checks.document_tilted.threshold,
            output_max_bytes: r.output_max_bytes,
        }
    }
}

/// The seal: the digest of the unsealed manifest and an optional signature over the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    /// SHA-256 (lowercase hex) of the canonical manifest without `seal`: the package digest.
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

impl Manifest {
    /// The canonical bytes of the manifest as it stands (with its seal, if any).
    ///
    /// [`Error::ManifestInvalid`] if it holds an integer beyond 2^53 − 1, which canonical JSON
    /// cannot carry (policy validation keeps a policy's numbers within that bound).
    pub fn to_canonical(&self) -> Result<Vec<u8>, Error> {
        let value = serde_json::to_value(self).map_err(|e| Error::ManifestInvalid { reason: e.to_string() })?;
        canonical::to_vec(&value).ok_or_else(|| Error::ManifestInvalid { reason: "an integer is too large for canonical JSON".into() })
    }
}

/// The bytes the digest and signature cover: the canonical form of `value` without `seal`.
/// `None` if `value` is not an object or cannot be canonicalized.
pub(crate) fn sealed_bytes(value: &Value) -> Option<Vec<u8>> {
    let mut unsealed = value.as_object()?.clone();
    unsealed.remove("seal");
    canonical::to_vec(&Value::Object(unsealed))
}

/// Whether `name` is a plain file name that is safe to join to a package directory on any OS:
/// 1 to 128 ASCII letters, digits, `-`, `_` and `.`, not starting or ending with a dot, not
/// `manifest.json`, and not a name Windows reserves for a device (`CON`, `nul.jpg`, `COM1.x`,
/// in any case and with any extension).
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name != FILE_NAME
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.split('.').next().is_some_and(is_windows_device)
}

/// Whether `stem` (a name before its first dot) names a Windows device, which Windows opens in
/// place of a file of that name in any directory.
fn is_windows_device(stem: &str) -> bool {
    let stem = stem.to_ascii_uppercase();
    match stem.as_bytes() {
        b"CON" | b"PRN" | b"AUX" | b"NUL" => true,
        [b'C', b'O', b'M', d] | [b'L', b'P', b'T', d] => d.is_ascii_digit(),
        _ => false,
    }
}

