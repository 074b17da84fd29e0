//! The first form of the fields document: one responsible person and one website.
//!
//! Still read from fields files and drafts written before the richer form (upgraded by
//! `From<legacy::Fields> for form::Fields`),
//! and the form a version 1 manifest seals, so that those packages still verify.

use serde::{Deserialize, Serialize};

/// The text fields of a filing, first form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    pub subject: SubjectFields,
    pub responsible_person: Person,
    pub website: Website,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectFields {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_representative: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub id_number: String,
    pub id_valid_until: String,
    pub phone: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_legal_representative: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Website {
    pub name: String,
    pub domains: Vec<String>,
}

/// The person's id in an upgraded document.
pub const PERSON_ID: &str = "p1";
/// The website's id in an upgraded document.
pub const WEBSITE_ID: &str = "w1";
