//! Which materials a filing needs, and whom each belongs to, by subject type, filing type,
//! province and the people's documents.
//!
//! The rules are policy data (`[requirements]`), each citing its source, because providers'
//! documentation disagrees and a backend must be able to replace them without an app release.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::code::{Code, Message};
use crate::filing::documents::DocumentType;
use crate::filing::fields;
use crate::filing::form::{Fields, FilingType, Person, SUBJECT};
use crate::filing::province::{self, Province};
use crate::filing::site_name::SiteNameRules;
use crate::material::{MaterialKind, Slot};
use crate::problem::{Place, Problem};

/// Who files: a person, a company, or another kind of unit (the unit types of the MIIT filing
/// system's 主办单位性质).
///
/// Read from its name as a string, so that a policy error inside `[requirements.subjects.X]` or
/// `[requirements.site_names.X]` names the table (`requirements.site_names.individual.words[1]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case", try_from = "String")]
pub enum SubjectKind {
    /// 个人.
    Individual,
    /// 企业 (companies, and sole proprietors and farmers' cooperatives with a business licence).
    Enterprise,
    /// 政府机关.
    Government,
    /// 事业单位.
    PublicInstitution,
    /// 社会团体.
    SocialOrganization,
    /// 民办非企业单位.
    PrivateNonEnterprise,
    /// 基金会.
    Foundation,
    /// 律师执业机构.
    LawFirm,
    /// Any other unit type a provider lists.
    OtherUnit,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 9] = [
        SubjectKind::Individual,
        SubjectKind::Enterprise,
        SubjectKind::Government,
        SubjectKind::PublicInstitution,
        SubjectKind::SocialOrganization,
        SubjectKind::PrivateNonEnterprise,
        SubjectKind::Foundation,
        SubjectKind::LawFirm,
        SubjectKind::OtherUnit,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Individual => "individual",
            SubjectKind::Enterprise => "enterprise",
            SubjectKind::Government => "government",
            SubjectKind::PublicInstitution => "public-institution",
            SubjectKind::SocialOrganization => "social-organization",
            SubjectKind::PrivateNonEnterprise => "private-non-enterprise",
            SubjectKind::Foundation => "foundation",
            SubjectKind::LawFirm => "law-firm",
            SubjectKind::OtherUnit => "other-unit",
        }
    }

    /// The name an applicant reads, in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            SubjectKind::Individual => ("个人", "individual"),
            SubjectKind::Enterprise => ("企业", "enterprise"),
            SubjectKind::Government => ("政府机关", "government agency"),
            SubjectKind::PublicInstitution => ("事业单位", "public institution"),
            SubjectKind::SocialOrganization => ("社会团体", "social organization"),
            SubjectKind::PrivateNonEnterprise => ("民办非企业单位", "private non-enterprise unit"),
            SubjectKind::Foundation => ("基金会", "foundation"),
            SubjectKind::LawFirm => ("律师执业机构", "law firm"),
            SubjectKind::OtherUnit => ("其他单位", "other unit"),
        }
    }

    /// Every subject but an individual is a unit, with a credit code and a legal representative.
    pub fn is_unit(self) -> bool {
        self != SubjectKind::Individual
    }
}

impl std::fmt::Display for SubjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for SubjectKind {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl std::str::FromStr for SubjectKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        SubjectKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = SubjectKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown subject type {s:?}: use one of {}", names.join(", "))
        })
    }
}

/// The largest `min_id_validity_days` a policy may ask for: 100 years.
pub const MAX_ID_VALIDITY_DAYS: u32 = 36_500;

/// The `[requirements]` section of a policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Each responsible person's ID document must stay valid at least this many days (at most
    /// [`MAX_ID_VALIDITY_DAYS`]).
    #[serde(default)]
    pub min_id_validity_days: u32,
    /// Whether each responsible person must give an emergency phone (应急联系电话).
    #[serde(default)]
    pub emergency_phone: bool,
    /// The subject types this policy accepts, with what their credit code must say.
    #[serde(default)]
    pub subjects: BTreeMap<SubjectKind, SubjectRule>,
    /// The rules, applied in order.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Website naming rules by subject type (`invalid_site_name`).
    #[serde(default)]
    pub site_names: BTreeMap<SubjectKind, SiteNameRules>,
}

/// What the policy knows of one subject type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectRule {
    /// The first two characters a credit code of this type may have (registration authority and
    /// entity category, GB 32100-2015); empty: not checked.
    #[serde(default)]
    pub credit_code: Vec<String>,
    /// Where the rule comes from.
    #[serde(default)]
    pub source: String,
}

/// One rule: for each owner it names that passes its filters, require materials (`need`) or
/// refuse the filing (`refuse`). An empty filter list lets everything through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(rename = "for")]
    pub target: Target,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<SubjectKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filings: Vec<FilingType>,
    /// GB/T 2260 two-digit codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provinces: Vec<String>,
    /// The ID document of the owner's person (for the subject, its responsible person; for a
    /// website, the website's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentType>,
    #[serde(default)]
    pub when: Condition,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub need: Vec<MaterialKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refuse: Option<Refusal>,
    /// Where the rule comes from.
    pub source: String,
}

/// Whom a rule is about, and so who owns the materials it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The subject (its certificate); its person is its responsible person.
    Subject,
    /// Each responsible person, once however many roles they hold.
    Person,
    /// The subject's responsible person.
    SubjectPerson,
    /// Each website's responsible person, once each.
    WebsitePerson,
    /// Each website; its person is the website's responsible person.
    Website,
}

/// When a rule applies to an owner, besides its filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    #[default]
    Always,
    /// The owner's person is said not to be the unit's legal representative.
    NotLegalRepresentative,
    /// The owner's person has a valid resident ID issued outside the filing province.
    IdOutsideProvince,
}

/// A refusal: its code and message; `{province}` in the message is the filing province's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    pub code: Code,
    pub message: Message,
}

/// The codes a refusal rule may give.
const REFUSAL_CODES: [Code; 2] = [Code::NonLocalId, Code::DocumentNotAccepted];

/// What a filing is, as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Filed<'a> {
    pub subject: SubjectKind,
    pub province: &'a Province,
    pub fields: &'a Fields,
}

impl Requirements {
    /// Checks the section's internal consistency; the error names the field.
    pub(crate) fn validate(&self) -> Result<(), (String, String)> {
        if self.min_id_validity_days > MAX_ID_VALIDITY_DAYS {
            return Err(("requirements.min_id_validity_days".into(), format!("must be at most {MAX_ID_VALIDITY_DAYS} (100 years)")));
        }
        for (kind, rule) in &self.subjects {
            if let Some(bad) = rule.credit_code.iter().find(|p| !is_credit_prefix(p)) {
                return Err((format!("requirements.subjects.{kind}.credit_code"), format!("{bad:?} is not two credit code characters")));
            }
        }
        for (kind, names) in &self.site_names {
            names.validate(&format!("requirements.site_names.{kind}"))?;
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let at = |f: &str| format!("requirements.rules[{i}].{f}");
            if rule.need.is_empty() == rule.refuse.is_none() {
                return Err((at("need"), "give exactly one of need or refuse".into()));
            }
            if let Some(bad) = rule.provinces.iter().find(|p| province::find(p).map(|f| f.code != p.as_str()).unwrap_or(true)) {
                return Err((at("provinces"), format!("{bad:?} is not a two-digit GB/T 2260 province code")));
            }
            if let Some(refusal) = &rule.refuse {
                if !REFUSAL_CODES.contains(&refusal.code) {
                    return Err((at("refuse.code"), format!("must be one of {REFUSAL_CODES:?}")));
                }
            }
            if rule.source.trim().is_empty() {
                return Err((at("source"), "cite where the rule comes from".into()));
            }
        }
        Ok(())
    }

    /// The materials a filing needs, each slot once, in policy order; and a problem for each rule
    /// that refuses it outright, or for a subject type the policy does not accept.
    pub fn evaluate(&self, filed: &Filed) -> (Vec<Slot>, Vec<Problem>) {
        let (mut needed, mut problems) = (vec![], vec![]);
        if !self.subjects.contains_key(&filed.subject) {
            let (zh, en) = filed.subject.names();
            problems.push(Problem::block(Code::SubjectNotAccepted, Place::Package, Message::new(
                format!("当前备案规则不受理“{zh}”类型的主体，请确认主体类型。"),
                format!("This policy does not accept filings by a subject of type {en}: check the subject type."),
            )));
        }
        for rule in &self.rules {
            if !(passes(&rule.subjects, &filed.subject) && passes(&rule.filings, &filed.fields.filing.kind)) {
                continue;
            }
            if !(rule.provinces.is_empty() || rule.provinces.iter().any(|p| p == filed.province.code)) {
                continue;
            }
            for (owner, person) in targets(rule.target, filed.fields) {
                if !(rule.documents.is_empty() || person.is_some_and(|p| rule.documents.contains(&p.document.kind))) || !holds(rule.when, person, filed) {
                    continue;
                }
                for &kind in &rule.need {
                    let slot = Slot::new(kind, owner);
                    if !needed.contains(&slot) {
                        needed.push(slot);
                    }
                }
                if let Some(refusal) = &rule.refuse {
                    let place = person.and_then(|p| person_field(filed.fields, p)).unwrap_or(Place::Package);
                    let (zh, en) = (refusal.message.zh.replace("{province}", filed.province.zh), refusal.message.en.replace("{province}", filed.province.en));
                    let problem = Problem::block(refusal.code, place, Message::new(zh, en));
                    if !problems.contains(&problem) {
                        problems.push(problem);
                    }
                }
            }
        }
        (needed, problems)
    }
}

fn passes<T: PartialEq>(filter: &[T], value: &T) -> bool {
    filter.is_empty() || filter.contains(value)
}

fn is_credit_prefix(p: &str) -> bool {
    p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"IOSVZ".contains(&b)))
}

/// The owners a rule's target names, each with its person (absent when the id names nobody).
fn targets(target: Target, fields: &Fields) -> Vec<(&str, Option<&Person>)> {
    let subject_person = fields.subject.responsible_person.as_str();
    let ids: Vec<&str> = match target {
        Target::Subject => return vec![(SUBJECT, fields.person(subject_person))],
        Target::Website => return fields.websites.iter().map(|w| (w.id.as_str(), fields.person(&w.responsible_person))).collect(),
        Target::Person => fields.responsible_ids(),
        Target::SubjectPerson => vec![subject_person],
        Target::WebsitePerson => {
            let mut ids: Vec<&str> = vec![];
            for w in &fields.websites {
                if !ids.contains(&w.responsible_person.as_str()) {
                    ids.push(&w.responsible_person);
                }
            }
            ids
        }
    };
    ids.into_iter().filter_map(|id| fields.person(id).map(|p| (id, Some(p)))).collect()
}

fn holds(when: Condition, person: Option<&Person>, filed: &Filed) -> bool {
    match when {
        Condition::Always => true,
        Condition::NotLegalRepresentative => person.is_some_and(|p| p.is_legal_representative == Some(false)),
        Condition::IdOutsideProvince => person.is_some_and(|p| {
            p.document.kind == DocumentType::ResidentId
                && fields::id_number(&p.document.number).is_ok_and(|id| id.province() != filed.province.code)
        }),
    }
}

/// The field of `person`'s document number.
fn person_field(fields: &Fields, person: &Person) -> Option<Place> {
    let i = fields.people.iter().position(|p| std::ptr::eq(p, person))?;
    Some(Place::field(format!("people[{i}].document.number")))
}

/// A `missing_material` problem for each needed slot not in `present`, naming whose it is.
pub fn missing(needed: &[Slot], present: &[Slot], fields: &Fields) -> Vec<Problem> {
    needed
        .iter()
        .filter(|s| !present.contains(s))
        .map(|slot| {
            let (zh_whose, en_whose) = whose(fields, &slot.owner);
            Problem::block(Code::MissingMaterial, Place::Material { kind: slot.kind, owner: Some(slot.owner.clone()) }, Message::new(
                format!("缺少材料：{zh_whose}{}，请拍摄后再提交。", slot.kind.zh()),
                format!("Missing material: {}{en_whose} — capture it before submitting.", slot.kind.en()),
            ))
        })
        .collect()
}

/// Whose a material is, as a reader says it: `张三的`, ` of 张三`.
fn whose(fields: &Fields, owner: &str) -> (String, String) {
    let name = fields.owner_name(owner);
    (format!("{name}的"), format!(" of {name}"))
}
