//! The first form of the fields document: one responsible person and one website.
//!
//! Still read from fields files and drafts written before the richer form ([`Fields::upgrade`]),
//! and the form a version 1 manifest seals, so that those packages still verify.

use serde::{Deserialize, Serialize};

use crate::filing::documents::DocumentType;
use crate::filing::form::{self, Domain, Filing, IdDocument};

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

impl Fields {
    /// The same filing in the richer form: a new filing, the one person (`p1`, with a resident
    /// ID) responsible for the subject and the one website (`w1`). The first form had no domain
    /// registrant: it is left empty, for the applicant to declare.
    pub fn upgrade(self) -> form::Fields {
        let (s, p, w) = (self.subject, self.responsible_person, self.website);
        form::Fields {
            filing: Filing::default(),
            subject: form::SubjectFields {
                name: s.name,
                credit_code: s.credit_code,
                legal_representative: s.legal_representative,
                responsible_person: PERSON_ID.into(),
            },
            people: vec![form::Person {
                id: PERSON_ID.into(),
                name: p.name,
                document: IdDocument { kind: DocumentType::ResidentId, number: p.id_number, valid_until: p.id_valid_until },
                phone: p.phone,
                emergency_phone: None,
                email: p.email,
                is_legal_representative: p.is_legal_representative,
            }],
            websites: vec![form::Website {
                id: WEBSITE_ID.into(),
                name: w.name,
                domains: w.domains.into_iter().map(|name| Domain { name, registrant: String::new() }).collect(),
                responsible_person: PERSON_ID.into(),
                filing_number: None,
            }],
        }
    }
}
