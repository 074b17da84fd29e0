//! Stable names and bilingual messages for the app's UI and logs, and the language the errors
//! speak.

use std::sync::atomic::{AtomicBool, Ordering};

use hexin_core::capture::guide::Hint;
use hexin_core::filing::documents::DocumentType;
use hexin_core::filing::form::Fields;
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::{Code, Error, MaterialKind, Message, Slot};

/// The language of an error's sentence (Kotlin `message`, Swift `localizedDescription`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Language {
    Zh,
    En,
}

static ENGLISH: AtomicBool = AtomicBool::new(false);

/// Chooses the language of errors' sentences for the whole app: Chinese until set (the
/// applicants of a filing read Chinese). `Message` values always carry both.
#[uniffi::export]
pub fn set_language(language: Language) {
    ENGLISH.store(language == Language::En, Ordering::Relaxed);
}

#[uniffi::export]
pub fn language() -> Language {
    if ENGLISH.load(Ordering::Relaxed) { Language::En } else { Language::Zh }
}

/// The stable code of an error, e.g. for analytics (`upload_failed`): Kotlin `e.code`, Swift
/// `error.code` (bindings/kotlin, bindings/swift).
#[uniffi::export]
pub fn error_code(error: Error) -> Code {
    error.code()
}

/// What to tell the applicant about an error, in Chinese and English: Kotlin `e.messages`,
/// Swift `error.messages`.
#[uniffi::export]
pub fn error_message(error: Error) -> Message {
    error.message()
}

/// The sentence of [`error_message`] in the chosen [`language`]: Kotlin's `message`, Swift's
/// `localizedDescription`.
#[uniffi::export]
pub fn error_text(error: Error) -> String {
    let Message { zh, en } = error.message();
    match language() {
        Language::Zh => zh,
        Language::En => en,
    }
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
