//! Stable machine codes and bilingual messages shared by findings and errors.

use serde::{Deserialize, Serialize};

/// Every code hexin reports. The string forms are a stable contract with hosts and servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The bytes are in a format hexin does not decode (HEIC, PDF, …) or the policy refuses.
    UnsupportedFormat,
    /// The file is larger than the policy's input byte limit.
    InputTooLarge,
    /// The header claims more pixels than the policy allows.
    DimensionsTooLarge,
    /// The path names a symlink, FIFO, device, socket or directory; hexin reads only regular files.
    NotAFile,
    /// Empty, truncated or undecodable image data.
    CorruptImage,
    /// The upright image is smaller than the policy's minimum.
    ResolutionTooLow,
    /// Defocus or motion blur.
    Blurry,
    /// Underexposed.
    TooDark,
    /// Overexposed: much of the frame is clipped to white.
    Overexposed,
    /// A compact blown-out specular patch.
    Glare,
    /// A black-and-white copy where colour is required.
    NotColor,
    /// Nothing document-like in the frame.
    DocumentNotFound,
    /// A corner or edge of the document lies outside the frame or on its border.
    DocumentIncomplete,
    /// The document covers too little of the frame.
    DocumentTooSmall,
    /// The document is seen at too steep an angle.
    DocumentTilted,
    /// No face in a face photo.
    FaceNotFound,
    /// More than one face in a face photo.
    MultipleFaces,
    /// The face is too small in the frame.
    FaceTooSmall,
    /// The face is far from the middle of the frame.
    FaceOffCenter,
    /// The frame cuts the face.
    FaceCutOff,
    /// The head leans too far to one side.
    FaceTilted,
    /// The face itself is underexposed (whatever the background).
    FaceTooDark,
    /// The face itself is blown out.
    FaceOverexposed,
    /// The background around the head is not plain and light.
    BackgroundNotPlain,
    /// The face is on a card held up to the camera, not the applicant's own.
    FaceIsDocument,
    /// The other side of the document: an ID card front without a portrait, a back with one.
    WrongSide,
    /// No JPEG quality in the policy's range meets the byte budget.
    BudgetUnreachable,
    /// A policy document that cannot be used.
    InvalidPolicy,
    /// A resident ID number that fails GB 11643-1999 (length, birth date or check character).
    InvalidIdNumber,
    /// A unified social credit code that fails GB 32100-2015; a warning the host may override.
    InvalidCreditCode,
    /// Not a mainland mobile number.
    InvalidPhone,
    /// Not a usable email address.
    InvalidEmail,
    /// Not a valid domain name (internationalized names included).
    InvalidDomain,
    /// The ID expires within the policy's minimum remaining validity.
    IdExpiring,
    /// A field the submission needs is empty or absent, or has no visible character.
    MissingField,
    /// A text field holds a control character (NUL, ESC, CR, …) or a text-direction override
    /// (U+202E, …) that would change how a reviewer sees it.
    InvalidText,
    /// The fields document cannot be read.
    InvalidFields,
    /// An argument the host app passed is malformed: a key of the wrong length, a PEM key that
    /// does not parse, a package id or a file name outside the allowed form.
    InvalidArgument,
    /// Not a province code hexin knows (GB/T 2260, first two digits).
    UnknownProvince,
    /// A material the policy requires for this subject and province is absent.
    MissingMaterial,
    /// The province accepts only a local ID for individuals.
    NonLocalId,
    /// An ICP filing number that is malformed or names another province than the filing's.
    InvalidFilingNumber,
    /// A website name the policy's naming rules refuse (for individuals: words implying an organization, only digits or letters).
    InvalidSiteName,
    /// The material was picked from the gallery where the policy asks for a photo taken in the app.
    CaptureSourceNotAllowed,
    /// The credit code's registration authority or entity category is not the declared subject type's; a warning.
    CreditCodeMismatch,
    /// Two responsible persons share a phone, or an emergency phone repeats a responsible person's.
    DuplicatePhone,
    /// The same person (the same ID document number) is written twice instead of referenced.
    DuplicatePerson,
    /// A role or a material names a person or website the fields do not have.
    UnknownReference,
    /// A role held by someone who may not hold it (an individual's website run by another person),
    /// or a person no role names.
    InvalidRole,
    /// A domain's declared registrant is not the filing subject.
    DomainRegistrantMismatch,
    /// The policy does not accept filings by this subject type.
    SubjectNotAccepted,
    /// The policy does not accept this ID document here.
    DocumentNotAccepted,
    /// Sealing was refused; the problems name each reason.
    SealRefused,
    /// The host's signer failed or returned an unusable key or signature.
    SigningFailed,
    /// The package has no manifest.json.
    ManifestMissing,
    /// The manifest is not a valid v1 manifest.
    ManifestInvalid,
    /// The manifest's schema version is not one this verifier knows.
    UnsupportedManifestVersion,
    /// The manifest's bytes are not its canonical form, so it was rewritten after sealing.
    ManifestNotCanonical,
    /// The manifest's content no longer matches its sealed digest.
    ManifestTampered,
    /// The package digest differs from the one the verifier expected.
    DigestMismatch,
    /// The signature or its public key does not verify.
    SignatureInvalid,
    /// The package is signed, but not by a key the verifier trusts.
    UntrustedKey,
    /// A file the manifest lists is absent.
    FileMissing,
    /// A file in the package is not in the manifest.
    FileExtra,
    /// A file's size differs from the manifest.
    FileSizeMismatch,
    /// A file's SHA-256 differs from the manifest.
    FileHashMismatch,
    /// Storing this would exceed the outbox's storage cap.
    OutboxFull,
    /// The outbox is encrypted and no key was given.
    OutboxKeyRequired,
    /// The key given is not the outbox's key, or the outbox is not encrypted.
    OutboxKeyMismatch,
    /// Another process has the outbox open.
    OutboxLocked,
    /// The directory given as the outbox holds files but is not an outbox; nothing in it was touched.
    OutboxForeign,
    /// A stored file or record failed its integrity check.
    OutboxCorrupt,
    /// No package with this id in the outbox.
    PackageNotFound,
    /// The outbox holds another package under this id (a different manifest).
    PackageConflict,
    /// The draft changed (a capture, the fields) while it was being sealed.
    DraftChanged,
    /// The package's state does not allow this step.
    InvalidState,
    /// The device's storage failed (disk full, permissions, I/O).
    StorageError,
    /// The upload endpoint is not a usable tus 1.0.0 server URL.
    InvalidEndpoint,
    /// The server refused an upload with a client error (4xx); retrying would not help.
    UploadRejected,
    /// The network or server kept failing until the retry budget ran out; the upload can resume later.
    UploadFailed,
    /// The upload was cancelled or paused; it can resume later.
    UploadCancelled,
    /// The tus server answered in a way the protocol forbids (an offset beyond the upload or
    /// going backwards, a missing or malformed `Upload-Offset`, an unusable `Location`).
    ProtocolViolation,
    /// The server named an upload URL hexin will not send data to: on an origin other than the
    /// endpoint's and not in `allowed_origins`, or carrying credentials (`user:pass@`).
    UploadUrlRefused,
    /// The server refused the package's commit: what it stored does not match the manifest.
    CommitRejected,
    /// A bug in hexin, caught at the boundary to the app (a panic) instead of crashing it.
    InternalError,
}

impl Code {
    /// The stable snake_case form, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnsupportedFormat => "unsupported_format",
            Code::InputTooLarge => "input_too_large",
            Code::DimensionsTooLarge => "dimensions_too_large",
            Code::NotAFile => "not_a_file",
            Code::CorruptImage => "corrupt_image",
            Code::ResolutionTooLow => "resolution_too_low",
            Code::Blurry => "blurry",
            Code::TooDark => "too_dark",
            Code::Overexposed => "overexposed",
            Code::Glare => "glare",
            Code::NotColor => "not_color",
            Code::DocumentNotFound => "document_not_found",
            Code::DocumentIncomplete => "document_incomplete",
            Code::DocumentTooSmall => "document_too_small",
            Code::DocumentTilted => "document_tilted",
            Code::FaceNotFound => "face_not_found",
            Code::MultipleFaces => "multiple_faces",
            Code::FaceTooSmall => "face_too_small",
            Code::FaceOffCenter => "face_off_center",
            Code::FaceCutOff => "face_cut_off",
            Code::FaceTilted => "face_tilted",
            Code::FaceTooDark => "face_too_dark",
            Code::FaceOverexposed => "face_overexposed",
            Code::BackgroundNotPlain => "background_not_plain",
            Code::FaceIsDocument => "face_is_document",
            Code::WrongSide => "wrong_side",
            Code::BudgetUnreachable => "budget_unreachable",
            Code::InvalidPolicy => "invalid_policy",
            Code::InvalidIdNumber => "invalid_id_number",
            Code::InvalidCreditCode => "invalid_credit_code",
            Code::InvalidPhone => "invalid_phone",
            Code::InvalidEmail => "invalid_email",
            Code::InvalidDomain => "invalid_domain",
            Code::IdExpiring => "id_expiring",
            Code::MissingField => "missing_field",
            Code::InvalidText => "invalid_text",
            Code::InvalidFields => "invalid_fields",
            Code::InvalidArgument => "invalid_argument",
            Code::UnknownProvince => "unknown_province",
            Code::MissingMaterial => "missing_material",
            Code::NonLocalId => "non_local_id",
            Code::InvalidFilingNumber => "invalid_filing_number",
            Code::InvalidSiteName => "invalid_site_name",
            Code::CaptureSourceNotAllowed => "capture_source_not_allowed",
            Code::CreditCodeMismatch => "credit_code_mismatch",
            Code::DuplicatePhone => "duplicate_phone",
            Code::DuplicatePerson => "duplicate_person",
            Code::UnknownReference => "unknown_reference",
            Code::InvalidRole => "invalid_role",
            Code::DomainRegistrantMismatch => "domain_registrant_mismatch",
            Code::SubjectNotAccepted => "subject_not_accepted",
            Code::DocumentNotAccepted => "document_not_accepted",
            Code::SealRefused => "seal_refused",
            Code::SigningFailed => "signing_failed",
            Code::ManifestMissing => "manifest_missing",
            Code::ManifestInvalid => "manifest_invalid",
            Code::UnsupportedManifestVersion => "unsupported_manifest_version",
            Code::ManifestNotCanonical => "manifest_not_canonical",
            Code::ManifestTampered => "manifest_tampered",
            Code::DigestMismatch => "digest_mismatch",
            Code::SignatureInvalid => "signature_invalid",
            Code::UntrustedKey => "untrusted_key",
            Code::FileMissing => "file_missing",
            Code::FileExtra => "file_extra",
            Code::FileSizeMismatch => "file_size_mismatch",
            Code::FileHashMismatch => "file_hash_mismatch",
            Code::OutboxFull => "outbox_full",
            Code::OutboxKeyRequired => "outbox_key_required",
            Code::OutboxKeyMismatch => "outbox_key_mismatch",
            Code::OutboxLocked => "outbox_locked",
            Code::OutboxForeign => "outbox_foreign",
            Code::OutboxCorrupt => "outbox_corrupt",
            Code::PackageNotFound => "package_not_found",
            Code::PackageConflict => "package_conflict",
            Code::DraftChanged => "draft_changed",
            Code::InvalidState => "invalid_state",
            Code::StorageError => "storage_error",
            Code::InvalidEndpoint => "invalid_endpoint",
            Code::UploadRejected => "upload_rejected",
            Code::UploadFailed => "upload_failed",
            Code::UploadCancelled => "upload_cancelled",
            Code::ProtocolViolation => "protocol_violation",
            Code::UploadUrlRefused => "upload_url_refused",
            Code::CommitRejected => "commit_rejected",
            Code::InternalError => "internal_error",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user-facing message in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub(crate) fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Message { zh: zh.into(), en: en.into() }
    }
}

/// What happens when a check fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The capture is rejected.
    Block,
    /// The capture is accepted with a warning.
    Warn,
}
