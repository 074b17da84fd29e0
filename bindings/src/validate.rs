//! Field validation for live form feedback: `None` when valid, else the code and message.

use std::sync::Arc;

use hexin_core::date::Date;
use hexin_core::filing::fields::{self, Invalid};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::form::Fields;
use hexin_core::filing::submission::Submission;
use hexin_core::{Error, Problem};

use crate::photo::Policy;
use crate::runtime::guard;

/// A resident ID number (GB 11643-1999: length, birth date, check character).
#[uniffi::export]
pub fn validate_id_number(value: String) -> Option<Invalid> {
    fields::id_number(&value).err()
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
pub fn validate_id_validity(end: String, min_days: u32) -> Option<Invalid> {
    fields::id_validity(&end, Date::today_utc(), min_days).err()
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
