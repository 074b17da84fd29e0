//! The fields document: who files, who is responsible, which websites, in what kind of filing.
//!
//! JSON, schema in docs/fields.md, examples in `specimens/*/fields.json` and `examples/`. A
//! filing has a subject (主体) with its responsible person, one or more websites, each with its
//! own responsible person, and the people themselves, written once and referred to by id: a
//! website run by the legal representative names the same person as the subject.
//!
//! The first form of the document (one `responsible_person`, one `website`) is still read:
//! [`Fields::from_json`] turns it into this one ([`crate::filing::legacy`]).

use serde::{Deserialize, Serialize};

use crate::error::{excerpt, Error};
use crate::filing::documents::DocumentType;
use crate::filing::fields;
use crate::filing::legacy;
use crate::material::MaterialKind;

/// The owner of the subject's own materials (its certificate): `subject`.
pub const SUBJECT: &str = "subject";

/// The text fields of a filing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// What kind of filing; a new one when absent.
    #[serde(default)]
    pub filing: Filing,
    pub subject: SubjectFields,
    /// Every responsible person, once each.
    pub people: Vec<Person>,
    pub websites: Vec<Website>,
}

/// What kind of filing this is, and the filing number it builds on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Filing {
    #[serde(rename = "type", default)]
    pub kind: FilingType,
    /// A new website under a filed subject: the subject's filing number, `京ICP备12345678号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub subject_filing_number: Option<String>,
}

/// The filing types providers offer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case")]
pub enum FilingType {
    /// 首次备案: neither the subject nor the website is filed yet.
    #[default]
    New,
    /// 新增网站: a new website under a subject already filed.
    NewWebsite,
    /// 接入备案: a filed website moving to this provider; it keeps its filing number.
    Access,
}

impl FilingType {
    pub const ALL: [FilingType; 3] = [FilingType::New, FilingType::NewWebsite, FilingType::Access];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FilingType::New => "new",
            FilingType::NewWebsite => "new-website",
            FilingType::Access => "access",
        }
    }
}

impl std::fmt::Display for FilingType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The filing subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SubjectFields {
    /// The applicant's name (individual) or the unit's registered name.
    pub name: String,
    /// A unit: its unified social credit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub credit_code: Option<String>,
    /// A unit: its legal representative's name, as on its certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub legal_representative: Option<String>,
    /// The id of the subject's responsible person (主体负责人) in `people`.
    pub responsible_person: String,
}

/// A responsible person, whose ID document (and, for a website's, face) is captured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// How roles and materials refer to this person: 1 to 32 of `a-z`, `0-9` and `-`, starting
    /// with a letter or digit; not `subject`, and no website's id.
    pub id: String,
    pub name: String,
    pub document: IdDocument,
    pub phone: String,
    /// 应急联系电话: another number to reach this person; required where the policy says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub emergency_phone: Option<String>,
    pub email: String,
    /// A unit: whether this person is its legal representative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub is_legal_representative: Option<bool>,
}

/// A person's identity document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct IdDocument {
    /// A mainland resident ID card when absent.
    #[serde(rename = "type", default = "resident_id")]
    pub kind: DocumentType,
    pub number: String,
    /// The document's validity end date, `YYYYMMDD` or `长期`.
    pub valid_until: String,
}

fn resident_id() -> DocumentType {
    DocumentType::ResidentId
}

/// A website being filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Website {
    /// How materials refer to this website; the form of [`Person::id`].
    pub id: String,
    pub name: String,
    pub domains: Vec<Domain>,
    /// The id of the website's responsible person (网站负责人) in `people`.
    pub responsible_person: String,
    /// An access filing: the website's filing number, `京ICP备12345678号-1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub filing_number: Option<String>,
}

/// One of a website's domains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub name: String,
    /// The registrant (域名持有者) as the applicant declares it; it must be the subject. Sealed,
    /// so the provider's server can compare it with the registry's WHOIS.
    pub registrant: String,
}

impl From<legacy::Fields> for Fields {
    /// The same filing in the current form: a new filing, the one person
    /// ([`legacy::PERSON_ID`], with a resident ID) responsible for the subject and the one
    /// website ([`legacy::WEBSITE_ID`]). The first form had no domain registrant: it is left
    /// empty, for the applicant to declare.
    fn from(first: legacy::Fields) -> Fields {
        let (s, p, w) = (first.subject, first.responsible_person, first.website);
        Fields {
            filing: Filing::default(),
            subject: SubjectFields {
                name: s.name,
                credit_code: s.credit_code,
                legal_representative: s.legal_representative,
                responsible_person: legacy::PERSON_ID.into(),
            },
            people: vec![Person {
                id: legacy::PERSON_ID.into(),
                name: p.name,
                document: IdDocument { kind: DocumentType::ResidentId, number: p.id_number, valid_until: p.id_valid_until },
                phone: p.phone,
                emergency_phone: None,
                email: p.email,
                is_legal_representative: p.is_legal_representative,
            }],
            websites: vec![Website {
                id: legacy::WEBSITE_ID.into(),
                name: w.name,
                domains: w.domains.into_iter().map(|name| Domain { name, registrant: String::new() }).collect(),
                responsible_person: legacy::PERSON_ID.into(),
                filing_number: None,
            }],
        }
    }
}

/// What a material belongs to: the subject, a person or a website.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Owner<'a> {
    Subject,
    Person(&'a Person),
    Website(&'a Website),
}

impl Fields {
    /// Reads a fields document: one JSON object and nothing after it, in this form or the first
    /// one ([`legacy::Fields`], recognized by its `responsible_person` member). The error names
    /// the field that is wrong and quotes at most a few hundred characters of the input.
    pub fn from_json(text: &str) -> Result<Fields, Error> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let value: serde_json::Value = serde_path_to_error::deserialize(&mut *de).map_err(refused)?;
        de.end().map_err(|e| Error::InvalidFields { reason: format!("after the fields object: {e}") })?;
        if value.get("responsible_person").is_some() {
            let first: legacy::Fields = serde_path_to_error::deserialize(value).map_err(refused)?;
            return Ok(first.into());
        }
        serde_path_to_error::deserialize(value).map_err(refused)
    }

    /// Every text field in Unicode NFC ([`fields::nfc`]), the form they are sealed in.
    pub fn normalized(&self) -> Fields {
        let nfc = |s: &String| fields::nfc(s);
        let opt = |o: &Option<String>| o.as_deref().map(fields::nfc);
        let s = &self.subject;
        Fields {
            filing: Filing { kind: self.filing.kind, subject_filing_number: opt(&self.filing.subject_filing_number) },
            subject: SubjectFields {
                name: nfc(&s.name),
                credit_code: opt(&s.credit_code),
                legal_representative: opt(&s.legal_representative),
                responsible_person: nfc(&s.responsible_person),
            },
            people: self
                .people
                .iter()
                .map(|p| Person {
                    id: nfc(&p.id),
                    name: nfc(&p.name),
                    document: IdDocument { kind: p.document.kind, number: nfc(&p.document.number), valid_until: nfc(&p.document.valid_until) },
                    phone: nfc(&p.phone),
                    emergency_phone: opt(&p.emergency_phone),
                    email: nfc(&p.email),
                    is_legal_representative: p.is_legal_representative,
                })
                .collect(),
            websites: self
                .websites
                .iter()
                .map(|w| Website {
                    id: nfc(&w.id),
                    name: nfc(&w.name),
                    domains: w.domains.iter().map(|d| Domain { name: nfc(&d.name), registrant: nfc(&d.registrant) }).collect(),
                    responsible_person: nfc(&w.responsible_person),
                    filing_number: opt(&w.filing_number),
                })
                .collect(),
        }
    }

    /// The person with this id.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// What `owner` (`subject`, a person's or a website's id) names, if anything.
    pub fn owner(&self, owner: &str) -> Option<Owner<'_>> {
        if owner == SUBJECT {
            return Some(Owner::Subject);
        }
        self.person(owner).map(Owner::Person).or_else(|| self.websites.iter().find(|w| w.id == owner).map(Owner::Website))
    }

    /// The name of what `owner` names, as written (trimmed); the owner itself when that is blank
    /// or names nothing.
    pub fn owner_name<'a>(&'a self, owner: &'a str) -> &'a str {
        let name = match self.owner(owner) {
            Some(Owner::Subject) => self.subject.name.trim(),
            Some(Owner::Person(p)) => p.name.trim(),
            Some(Owner::Website(w)) => w.name.trim(),
            None => "",
        };
        if name.is_empty() { owner } else { name }
    }

    /// The subject's responsible person, when the id names one.
    pub fn subject_person(&self) -> Option<&Person> {
        self.person(&self.subject.responsible_person)
    }

    /// The ids of the responsible persons, each once: the subject's first, then each website's
    /// in order.
    pub fn responsible_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = vec![];
        for id in std::iter::once(self.subject.responsible_person.as_str()).chain(self.websites.iter().map(|w| w.responsible_person.as_str())) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Where a material of `kind` goes when its owner is not said, in a filing with one
    /// responsible person and one website: a person's document (and a residence permit) to the
    /// subject's responsible person, the face photo to the first website's, a website's forms
    /// to the first website, anything else to the subject.
    pub fn default_owner(&self, kind: MaterialKind) -> String {
        let first_site = self.websites.first();
        let person_kinds = DocumentType::ALL.iter().flat_map(|d| d.materials());
        let owner = if kind == MaterialKind::ResidencePermit || person_kinds.into_iter().any(|k| *k == kind) {
            Some(self.subject.responsible_person.as_str())
        } else if kind == MaterialKind::FacePhoto {
            first_site.map(|w| w.responsible_person.as_str())
        } else if WEBSITE_KINDS.contains(&kind) {
            first_site.map(|w| w.id.as_str())
        } else {
            None
        };
        owner.unwrap_or(SUBJECT).to_owned()
    }
}

/// The kinds that belong to a website rather than the subject or a person.
pub const WEBSITE_KINDS: [MaterialKind; 4] =
    [MaterialKind::VerificationForm, MaterialKind::AuthorizationLetter, MaterialKind::DomainCertificate, MaterialKind::PreApproval];

/// Whether `id` has the form of a person's or website's id.
pub fn is_valid_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id != SUBJECT
        && !id.starts_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn refused<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> Error {
    let path = e.path().to_string();
    let at = if path == "." { String::new() } else { format!("{path}: ") };
    Error::InvalidFields { reason: excerpt(&format!("{at}{}", e.into_inner())) }
}
