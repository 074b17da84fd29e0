//! Stable names and bilingual messages for the app's UI and logs.

use hexin_core::capture::guide::Hint;
use hexin_core::filing::documents::DocumentType;
use hexin_core::filing::form::Fields;
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::{Code, Error, MaterialKind, Message, Slot};

/// The stable code of an error, e.g. for analytics (`upload_failed`).
#[uniffi::export]
pub fn error_code(error: Error) -> Code {
    error.code()
}

/// What to tell the applicant about an error, in Chinese and English.
#[uniffi::export]
pub fn error_message(error: Error) -> Message {
    error.message()
}

/// The stable snake_case form of a code, as in JSON and on the server (`invalid_id_number`).
#[uniffi::export]
pub fn code_name(code: Code) -> String {
    code.as_str().into()
}

/// A material's name for the applicant (身份证人像面 / ID card, photo side).
#[uniffi::export]
pub fn material_name(kind: MaterialKind) -> Message {
    Message { zh: kind.zh().into(), en: kind.en().into() }
}

/// The file an accepted capture of `slot` is kept in: what `Uploader.uploadFile` takes.
#[uniffi::export]
pub fn slot_file_name(slot: Slot) -> String {
    slot.file_name(0)
}

/// Whom a material of `kind` belongs to when the app does not say, in a filing with one
/// responsible person and one website (`Fields::default_owner`).
#[uniffi::export]
pub fn default_owner(fields: Fields, kind: MaterialKind) -> String {
    fields.default_owner(kind)
}

/// A subject type's name for the applicant (事业单位 / public institution).
#[uniffi::export]
pub fn subject_name(kind: SubjectKind) -> Message {
    let (zh, en) = kind.names();
    Message { zh: zh.into(), en: en.into() }
}

/// An ID document's name for the applicant (港澳居民来往内地通行证 / …).
#[uniffi::export]
pub fn document_name(kind: DocumentType) -> Message {
    Message { zh: kind.zh().into(), en: kind.en().into() }
}

/// The stable snake_case name of a capture guide's hint (`hold_still`).
#[uniffi::export]
pub fn hint_name(hint: Hint) -> String {
    hint.name().into()
}

/// What to show the applicant for a capture guide's hint, in Chinese and English.
#[uniffi::export]
pub fn hint_message(hint: Hint) -> Message {
    hint.message()
}
