//! Which materials a submission needs, by subject type and filing province.
//!
//! The rules are policy data (`[requirements]`), each citing its source, because providers'
//! documentation disagrees and a backend must be able to replace them without an app release.

use serde::{Deserialize, Serialize};

use crate::code::{Code, Message};
use crate::material::MaterialKind;
use crate::problem::{Place, Problem};
use crate::filing::province::{self, Province};

/// Who files: a person or an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    Individual,
    Enterprise,
}

impl SubjectKind {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Individual => "individual",
            SubjectKind::Enterprise => "enterprise",
        }
    }
}

impl std::str::FromStr for SubjectKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "individual" => Ok(SubjectKind::Individual),
            "enterprise" => Ok(SubjectKind::Enterprise),
            _ => Err(format!("unknown subject type {s:?}: use individual or enterprise")),
        }
    }
}

/// The largest `min_id_validity_days` a policy may ask for: 100 years.
pub const MAX_ID_VALIDITY_DAYS: u32 = 36_500;

/// The `[requirements]` section of a policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// The responsible person's ID must stay valid at least this many days (at most
    /// [`MAX_ID_VALIDITY_DAYS`]).
    #[serde(default)]
    pub min_id_validity_days: u32,
    /// Materials every individual submission needs.
    #[serde(default)]
    pub individual: Vec<MaterialKind>,
    /// Materials every enterprise submission needs.
    #[serde(default)]
    pub enterprise: Vec<MaterialKind>,
    /// Province rules, applied in order.
    #[serde(default)]
    pub rules: Vec<ProvinceRule>,
}

/// When a province rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// Every submission in the province.
    Always,
    /// The responsible person is not the enterprise's legal representative.
    NotLegalRepresentative,
    /// The responsible person's ID number was issued outside the filing province.
    IdOutsideProvince,
}

/// One province rule: in these provinces, for these subjects, when the condition holds, require a
/// material (`require`) or refuse the submission (`refuse = true`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvinceRule {
    /// GB/T 2260 two-digit codes.
    pub provinces: Vec<String>,
    pub subjects: Vec<SubjectKind>,
    pub when: Condition,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require: Option<MaterialKind>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refuse: bool,
    /// Where the rule comes from.
    pub source: String,
}

/// What the rules need to know about a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts<'a> {
    pub subject: SubjectKind,
    pub province: &'a Province,
    /// First two digits of the responsible person's ID number, when it is valid.
    pub id_province: Option<&'a str>,
    pub legal_representative: bool,
}

impl Requirements {
    /// Checks the section's internal consistency; the error names the field.
    pub(crate) fn validate(&self) -> Result<(), (String, String)> {
        if self.min_id_validity_days > MAX_ID_VALIDITY_DAYS {
            return Err(("requirements.min_id_validity_days".into(), format!("must be at most {MAX_ID_VALIDITY_DAYS} (100 years)")));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let at = |f: &str| format!("requirements.rules[{i}].{f}");
            if rule.require.is_some() == rule.refuse {
                return Err((at("require"), "give exactly one of require or refuse = true".into()));
            }
            if rule.provinces.is_empty() || rule.subjects.is_empty() {
                return Err((at("provinces"), "provinces and subjects must not be empty".into()));
            }
            if let Some(bad) = rule.provinces.iter().find(|p| province::find(p).map(|f| f.code != p.as_str()).unwrap_or(true)) {
                return Err((at("provinces"), format!("{bad:?} is not a two-digit GB/T 2260 province code")));
            }
            if rule.source.trim().is_empty() {
                return Err((at("source"), "cite where the rule comes from".into()));
            }
        }
        Ok(())
    }

    /// The materials a submission needs, each once, in policy order; and a problem for each rule
    /// that refuses it outright.
    pub fn evaluate(&self, facts: &Facts) -> (Vec<MaterialKind>, Vec<Problem>) {
        let mut needed = match facts.subject {
            SubjectKind::Individual => self.individual.clone(),
            SubjectKind::Enterprise => self.enterprise.clone(),
        };
        let mut problems = vec![];
        for rule in self.rules.iter().filter(|r| applies(r, facts)) {
            match rule.require {
                Some(kind) if !needed.contains(&kind) => needed.push(kind),
                Some(_) => {}
                None => problems.push(Problem::block(Code::NonLocalId, Place::field("responsible_person.id_number"), Message::new(
                    format!("{}仅接受本省身份证办理个人备案，请使用本省身份证或改为其他省份备案。", facts.province.zh),
                    format!("{} accepts only a local ID for individual filings: use a local ID or file in your own province.", facts.province.en),
                ))),
            }
        }
        (needed, problems)
    }
}

fn applies(rule: &ProvinceRule, facts: &Facts) -> bool {
    let holds = match rule.when {
        Condition::Always => true,
        Condition::NotLegalRepresentative => !facts.legal_representative,
        Condition::IdOutsideProvince => facts.id_province.is_some_and(|p| p != facts.province.code),
    };
    holds && rule.subjects.contains(&facts.subject) && rule.provinces.iter().any(|p| p == facts.province.code)
}

/// A `missing_material` problem for each needed kind not in `present`.
pub fn missing(needed: &[MaterialKind], present: &[MaterialKind]) -> Vec<Problem> {
    needed
        .iter()
        .filter(|k| !present.contains(k))
        .map(|&kind| {
            Problem::block(Code::MissingMaterial, Place::Material { kind }, Message::new(
                format!("缺少材料：{}，请拍摄后再提交。", kind.zh()),
                format!("Missing material: {} — capture it before submitting.", kind.en()),
            ))
        })
        .collect()
}
