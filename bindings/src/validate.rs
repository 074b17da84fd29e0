//! Field validation for live form feedback: `None` when valid, else the code and message.

use std::sync::Arc;

use hexin_core::date::Date;
use hexin_core::filing::documents::{self, DocumentType};
use hexin_core::filing::fields::{self, Invalid};
use hexin_core::filing::filing_number::{self, Site};
use hexin_core::filing::province;
use hexin_core::filing::site_name;
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::form::Fields;
use hexin_core::filing::submission::Submission;
use hexin_core::{Error, Problem};

use crate::photo::Policy;
use crate::runtime::guard;

/// A mainland resident ID number (GB 11643-1999: length, province, birth date, check character).
#[uniffi::export]
pub fn validate_id_number(value: String) -> Option<Invalid> {
    fields::id_number(&value).err()
}

/// The number of an ID document of type `kind` (docs/documents.md): a resident ID, a residence
/// permit for Hong Kong, Macao and Taiwan residents, a travel permit, a permanent residence card,
/// a passport.
#[uniffi::export]
pub fn validate_document_number(kind: DocumentType, value: String) -> Option<Invalid> {
    documents::document_number(kind, &value, Date::today_utc()).err()
}

/// An ICP filing number made in `province` (GB/T 2260 code or name): a subject's
/// (`京ICP备12345678号`), or a website's (`京ICP备12345678号-1`) when `website` is true.
#[uniffi::export]
pub fn validate_filing_number(value: String, province: String, website: bool) -> Result<Option<Invalid>, Error> {
    guard(|| {
        let site = if website { Site::Required } else { Site::None };
        Ok(filing_number::filing_number(&value, province::find(&province)?, site).err())
    })
}

/// A website's name for a subject of type `subject`, under `policy`'s naming rules (`None` when
/// the policy has none for the type).
#[uniffi::export]
pub fn validate_site_name(name: String, subject: SubjectKind, policy: Arc<Policy>) -> Option<Invalid> {
    let rules = policy.0.requirements.site_names.get(&subject)?;
    site_name::site_name(&name, rules).err()
}

/// A unified social credit code (GB 32100-2015); the host may override this one.
#[uniffi::export]
pub fn validate_credit_code(value: String) -> Option<Invalid> {
    fields::credit_code(&value).err()
}

/// A mainland mobile number.
#[uniffi::export]
pub fn validate_phone(value: String) -> Option<Invalid> {
    fields::phone(&value).err()
}

#[uniffi::export]
pub fn validate_email(value: String) -> Option<Invalid> {
    fields::email(&value).err()
}

/// A domain name, internationalized ones included (例子.中国).
#[uniffi::export]
pub fn validate_domain(value: String) -> Option<Invalid> {
    fields::domain(&value).err()
}

/// An ID card's validity end (`YYYYMMDD` or `长期`), at least `min_days` from today.
#[uniffi::export]
pub fn validate_id_validity(end: String, min_days: i32) -> Option<Invalid> {
    fields::id_validity(&end, Date::today_utc(), min_days.max(0).unsigned_abs()).err()
}

/// Every problem with a whole form today, each at its field path.
#[uniffi::export]
pub fn submission_problems(
    subject: SubjectKind,
    province: String,
    fields: Fields,
    policy: Arc<Policy>,
) -> Result<Vec<Problem>, Error> {
    guard(|| Ok(Submission::new(subject, &province, fields)?.problems(&policy.0.requirements, Date::today_utc())))
}
