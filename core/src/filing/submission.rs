//! A submission: who files, where, and the text fields of the filing.
//!
//! The fields document is JSON (schema in docs/fields.md, example in `specimens/*/fields.json`).

use serde::{Deserialize, Serialize};

use crate::code::{Code, Message};
use crate::date::Date;
use crate::error::{excerpt, Error};
use crate::filing::fields::{self, Invalid};
use crate::material::MaterialKind;
use crate::problem::{Place, Problem};
use crate::filing::province::{self, Province};
use crate::filing::requirements::{Facts, Requirements, SubjectKind};

/// What one applicant hands in besides the photos.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub subject: SubjectKind,
    pub province: &'static Province,
    pub fields: Fields,
}

impl Submission {
    /// A submission for `province` (code or name, see [`province::find`]).
    pub fn new(subject: SubjectKind, province: &str, fields: Fields) -> Result<Submission, Error> {
        Ok(Submission { subject, province: province::find(province)?, fields })
    }

    /// Every problem with the fields on `today`: blocking ones, and warnings the host may
    /// override (`invalid_credit_code`).
    ///
    /// Every text field is first held to [`fields::text`] (`invalid_text`: control and
    /// text-direction characters); a required one with no visible character is `missing_field`.
    pub fn problems(&self, requirements: &Requirements, today: Date) -> Vec<Problem> {
        let (f, mut out) = (&self.fields, vec![]);
        let p = &f.responsible_person;
        let checks: [(&str, &str, (&str, &str)); 6] = [
            ("subject.name", &f.subject.name, ("主体名称", "the subject's name")),
            ("responsible_person.name", &p.name, ("负责人姓名", "the responsible person's name")),
            ("responsible_person.id_number", &p.id_number, ("负责人身份证号码", "the responsible person's ID number")),
            ("responsible_person.id_valid_until", &p.id_valid_until, ("身份证有效期", "the ID's validity end date")),
            ("responsible_person.phone", &p.phone, ("负责人手机号码", "the responsible person's mobile number")),
            ("responsible_person.email", &p.email, ("负责人电子邮箱", "the responsible person's email")),
        ];
        let present: Vec<bool> = checks.iter().map(|(at, value, label)| required(&mut out, at, value, *label)).collect();
        let mut results: Vec<(&str, Result<(), Invalid>)> = vec![];
        if present[2] {
            results.push(("responsible_person.id_number", fields::id_number_on(&p.id_number, today).map(drop)));
        }
        if present[3] {
            let min_days = requirements.min_id_validity_days;
            results.push(("responsible_person.id_valid_until", fields::id_validity(&p.id_valid_until, today, min_days)));
        }
        if present[4] {
            results.push(("responsible_person.phone", fields::phone(&p.phone).map(drop)));
        }
        if present[5] {
            results.push(("responsible_person.email", fields::email(&p.email).map(drop)));
        }
        if self.subject == SubjectKind::Enterprise {
            let credit_code = ("subject.credit_code", ("统一社会信用代码", "the unified social credit code"));
            if required(&mut out, credit_code.0, f.subject.credit_code.as_deref().unwrap_or(""), credit_code.1) {
                if let Some(Err(e)) = f.subject.credit_code.as_deref().map(fields::credit_code) {
                    out.push(Problem::warn(e.code, Place::field(credit_code.0), e.message));
                }
            }
            let legal_representative = f.subject.legal_representative.as_deref().unwrap_or("");
            required(&mut out, "subject.legal_representative", legal_representative, ("法定代表人姓名", "the legal representative's name"));
            if p.is_legal_representative.is_none() {
                out.push(missing("responsible_person.is_legal_representative", ("负责人是否为法定代表人", "whether the responsible person is the legal representative")));
            }
        }
        required(&mut out, "website.name", &f.website.name, ("网站名称", "the website's name"));
        if f.website.domains.is_empty() {
            out.push(missing("website.domains", ("网站域名", "the website's domain")));
        }
        let mut domains: Vec<(String, Result<(), Invalid>)> = vec![];
        for (i, d) in f.website.domains.iter().enumerate() {
            let at = format!("website.domains[{i}]");
            if required(&mut out, &at, d, ("网站域名", "the website's domain")) {
                domains.push((at, fields::domain(d).map(drop)));
            }
        }
        let named = results.into_iter().map(|(at, r)| (at.to_string(), r)).chain(domains);
        out.extend(named.filter_map(|(at, r)| r.err().map(|e| Problem::block(e.code, Place::field(at), e.message))));
        out
    }

    /// The materials the policy requires of this submission, and any outright refusal by a
    /// province rule (`non_local_id`).
    pub fn required_materials(&self, requirements: &Requirements) -> (Vec<MaterialKind>, Vec<Problem>) {
        let person = &self.fields.responsible_person;
        let id = fields::id_number(&person.id_number).ok();
        let facts = Facts {
            subject: self.subject,
            province: self.province,
            id_province: id.as_ref().map(|id| id.province()),
            legal_representative: person.is_legal_representative.unwrap_or(true),
        };
        requirements.evaluate(&facts)
    }
}

/// Whether the required text `value` at `at` can be checked further; if not, why is in `out`:
/// `invalid_text` (see [`fields::text`]) or `missing_field` (nothing visible).
fn required(out: &mut Vec<Problem>, at: &str, value: &str, label: (&str, &str)) -> bool {
    match fields::text(value) {
        Err(e) => out.push(Problem::block(e.code, Place::field(at), e.message)),
        Ok(()) if !fields::is_visible(value) => out.push(missing(at, label)),
        Ok(()) => return true,
    }
    false
}

fn missing(at: &str, (zh, en): (&str, &str)) -> Problem {
    Problem::block(Code::MissingField, Place::field(at), Message::new(format!("请填写{zh}。"), format!("Fill in {en}.")))
}

/// The text fields of a filing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Fields {
    pub subject: SubjectFields,
    pub responsible_person: Person,
    pub website: Website,
}

/// The filing subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SubjectFields {
    /// The applicant's name (individual) or the organization's registered name (enterprise).
    pub name: String,
    /// Enterprise: the unified social credit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    /// Enterprise: the legal representative's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_representative: Option<String>,
}

/// The person responsible for the filing, whose ID card and face are captured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub id_number: String,
    /// The ID card's validity end date, `YYYYMMDD` or `长期`.
    pub id_valid_until: String,
    pub phone: String,
    pub email: String,
    /// Enterprise: whether this person is the legal representative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_legal_representative: Option<bool>,
}

/// The site being filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Website {
    pub name: String,
    pub domains: Vec<String>,
}

impl Fields {
    /// Reads a fields document: one JSON object and nothing after it; the error names the field
    /// that is wrong and quotes at most a few hundred characters of the input.
    pub fn from_json(text: &str) -> Result<Fields, Error> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let fields: Fields = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
            let path = e.path().to_string();
            let at = if path == "." { String::new() } else { format!("{path}: ") };
            Error::InvalidFields { reason: excerpt(&format!("{at}{}", e.into_inner())) }
        })?;
        de.end().map_err(|e| Error::InvalidFields { reason: format!("after the fields object: {e}") })?;
        Ok(fields)
    }

    /// Every text field in Unicode NFC ([`fields::nfc`]), the form they are sealed in.
    pub fn normalized(&self) -> Fields {
        let (s, p, w) = (&self.subject, &self.responsible_person, &self.website);
        let opt = |o: &Option<String>| o.as_deref().map(fields::nfc);
        Fields {
            subject: SubjectFields { name: fields::nfc(&s.name), credit_code: opt(&s.credit_code), legal_representative: opt(&s.legal_representative) },
            responsible_person: Person {
                name: fields::nfc(&p.name),
                id_number: fields::nfc(&p.id_number),
                id_valid_until: fields::nfc(&p.id_valid_until),
                phone: fields::nfc(&p.phone),
                email: fields::nfc(&p.email),
                is_legal_representative: p.is_legal_representative,
            },
            website: Website { name: fields::nfc(&w.name), domains: w.domains.iter().map(|d| fields::nfc(d)).collect() },
        }
    }
}
