//! Policies: per-material rules as a versioned TOML or JSON document.
//!
//! A document has `schema`, `id`, `version`, `[limits]`, `[defaults]` (a complete rule set) and
//! optional `[materials.<kind>]` tables that override any part of the defaults for one kind, and
//! `[requirements]`: the subject types accepted, which materials a filing needs and whose, and
//! the website naming rules of each subject type.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::capture::rules::{Limits, Rules};
use crate::error::excerpt;
use crate::filing::requirements::Requirements;
use crate::hash::hex;
use crate::material::MaterialKind;
use crate::Error;

/// The policy schema this SDK reads. Schema 2 gave `[requirements]` its subject types and
/// owner rules (docs/policy.md); a schema 1 document is refused with a message saying so.
pub const SCHEMA: u32 = 2;

const ICP_DEFAULT: &str = include_str!("../policies/icp-default.toml");

/// A loaded, validated policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: String,
    pub version: u32,
    /// SHA-256 (hex) of the document's bytes, so a package can name exactly what judged it.
    pub digest: String,
    pub limits: Limits,
    /// Which materials a submission needs; empty when the document has no `[requirements]`.
    pub requirements: Requirements,
    rules: BTreeMap<MaterialKind, Rules>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    schema: u32,
    id: String,
    version: u32,
    limits: Limits,
    defaults: Value,
    #[serde(default)]
    materials: BTreeMap<MaterialKind, Value>,
    #[serde(default)]
    requirements: Requirements,
}

impl Policy {
    /// The ICP policy embedded in the crate.
    pub fn icp_default() -> Policy {
        // The embedded document is checked by the test `embedded_policy_loads`.
        Policy::parse(ICP_DEFAULT).expect("embedded ICP policy is valid")
    }

    /// The text of the embedded ICP policy, a starting point for a host's own.
    pub fn icp_default_source() -> &'static str {
        ICP_DEFAULT
    }

    /// Parses a policy document: JSON when it starts with `{` (one object, nothing after it),
    /// TOML otherwise (no `nan` or `inf`).
    ///
    /// Numbers are bounded so that every policy value a manifest records is carried exactly
    /// (at most 2^53 − 1); errors quote at most a few hundred characters of the document.
    pub fn parse(text: &str) -> Result<Policy, Error> {
        let digest = hex(&Sha256::digest(text.as_bytes()));
        let doc: Document = if text.trim_start().starts_with('{') {
            let de = &mut serde_json::Deserializer::from_str(text);
            let doc = serde_path_to_error::deserialize(&mut *de).map_err(|e| path_error("", e))?;
            de.end().map_err(|e| invalid("document", format!("after the policy object: {e}")))?;
            doc
        } else {
            let table: toml::Table = toml::from_str(text).map_err(|e| invalid("document", e))?;
            if let Some(at) = non_finite(&toml::Value::Table(table.clone()), String::new()) {
                return Err(invalid(at, "must be a finite number, not nan or inf"));
            }
            serde_path_to_error::deserialize(table).map_err(|e| path_error("", e))?
        };
        if doc.schema != SCHEMA {
            let upgrade = if doc.schema == 1 { ": schema 2 writes [requirements] as subject types and rules for each owner (docs/policy.md)" } else { "" };
            return Err(invalid("schema", format!("this SDK reads schema {SCHEMA}, not {}{upgrade}", doc.schema)));
        }
        if doc.id.trim().is_empty() {
            return Err(invalid("id", "must not be empty"));
        }
        doc.limits.validate().map_err(|(field, reason)| invalid(field, reason))?;
        let defaults: Rules = serde_path_to_error::deserialize(doc.defaults.clone())
            .map_err(|e| path_error("defaults.", e))?;
        defaults.validate("defaults").map_err(|(field, reason)| invalid(field, reason))?;
        let mut rules = BTreeMap::new();
        for kind in MaterialKind::ALL {
            let resolved = match doc.materials.get(&kind) {
                None => defaults.clone(),
                Some(patch) => {
                    let mut merged = doc.defaults.clone();
                    merge(&mut merged, patch);
                    let prefix = format!("materials.{kind}");
                    let r: Rules = serde_path_to_error::deserialize(merged)
                        .map_err(|e| path_error(&format!("{prefix}."), e))?;
                    r.validate(&prefix).map_err(|(field, reason)| invalid(field, reason))?;
                    r
                }
            };
            rules.insert(kind, resolved);
        }
        doc.requirements.validate().map_err(|(field, reason)| invalid(field, reason))?;
        Ok(Policy { id: doc.id, version: doc.version, digest, limits: doc.limits, requirements: doc.requirements, rules })
    }

    /// The rules for one material kind.
    pub fn rules(&self, kind: MaterialKind) -> &Rules {
        // `parse` resolves every kind, so the map is total.
        &self.rules[&kind]
    }
}

fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(base), Value::Object(patch)) => {
            for (key, value) in patch {
                match base.get_mut(key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (slot, value) => *slot = value.clone(),
    }
}

/// The path of the first float in `value` that is NaN or infinite (TOML has `nan` and `inf`
/// literals; JSON has neither).
fn non_finite(value: &toml::Value, at: String) -> Option<String> {
    let join = |name: &str| if at.is_empty() { name.to_string() } else { format!("{at}.{name}") };
    match value {
        toml::Value::Float(f) if !f.is_finite() => Some(at),
        toml::Value::Table(t) => t.iter().find_map(|(k, v)| non_finite(v, join(k))),
        toml::Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| non_finite(v, format!("{at}[{i}]"))),
        _ => None,
    }
}

fn invalid(field: impl Into<String>, reason: impl ToString) -> Error {
    Error::InvalidPolicy { field: excerpt(&field.into()), reason: excerpt(&reason.to_string()) }
}

fn path_error<E: std::fmt::Display>(prefix: &str, e: serde_path_to_error::Error<E>) -> Error {
    // serde_path_to_error writes `?` for a map key that failed to parse (an unknown kind).
    let path = e.path().to_string().trim_end_matches(".?").to_string();
    let field = if path == "." || path == "?" { prefix.trim_end_matches('.').to_string() } else { format!("{prefix}{path}") };
    invalid(if field.is_empty() { "document".into() } else { field }, e.into_inner())
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::filing::requirements::SubjectKind;
    use crate::Severity;

    fn field_of(text: &str) -> String {
        match Policy::parse(text) {
            Err(Error::InvalidPolicy { field, .. }) => field,
            Err(other) => panic!("expected invalid_policy, got {other}"),
            Ok(_) => panic!("expected invalid_policy, the policy loaded"),
        }
    }

    #[test]
    fn embedded_policy_loads() {
        let p = Policy::icp_default();
        assert_eq!(p.id, "icp-default");
        assert_eq!(p.digest.len(), 64);
        let id = p.rules(MaterialKind::IdCardFront);
        assert_eq!(id.output_max_bytes, 2_000_000);
        assert_eq!((id.min_long_side, id.min_short_side), (800, 600));
        assert!(id.color_required);
        assert!(!p.rules(MaterialKind::VerificationForm).color_required);
        assert_eq!(p.rules(MaterialKind::FacePhoto).checks.glare.severity, Severity::Warn);
        // An override touches only what it names.
        assert_eq!(p.rules(MaterialKind::FacePhoto).checks.glare.threshold, id.checks.glare.threshold);
        assert_eq!(p.requirements.min_id_validity_days, 90);
        let license = |r: &&crate::filing::requirements::Rule| r.need.contains(&MaterialKind::BusinessLicense);
        assert_eq!(p.requirements.rules.iter().find(license).map(|r| r.subjects.clone()), Some(vec![SubjectKind::Enterprise]));
        assert!(SubjectKind::ALL.iter().all(|k| p.requirements.subjects.contains_key(k)));
        assert!(p.requirements.rules.iter().all(|r| !r.source.is_empty()));
    }

    #[test]
    fn json_and_toml_give_the_same_policy() {
        let toml_doc: toml::Value = toml::from_str(ICP_DEFAULT).unwrap();
        let json = serde_json::to_string(&toml_doc).unwrap();
        let a = Policy::parse(ICP_DEFAULT).unwrap();
        let b = Policy::parse(&json).unwrap();
        assert_eq!(a.rules, b.rules);
        assert_eq!(a.limits, b.limits);
    }

    #[test]
    fn malformed_policies_name_the_field() {
        let blurry = "[defaults.checks.blurry]\nthreshold = 0.5";
        assert!(ICP_DEFAULT.contains(blurry));
        let bad_threshold = ICP_DEFAULT.replace(blurry, "[defaults.checks.blurry]\nthreshold = \"high\"");
        assert_eq!(field_of(&bad_threshold), "defaults.checks.blurry.threshold");
        let out_of_range = ICP_DEFAULT.replace(blurry, "[defaults.checks.blurry]\nthreshold = 7.0");
        assert_eq!(field_of(&out_of_range), "defaults.checks.blurry.threshold");
        let bad_override = format!("{ICP_DEFAULT}\n[materials.id-card-back]\nmin_short_side = -3\n");
        assert_eq!(field_of(&bad_override), "materials.id-card-back.min_short_side");
        let unknown_kind = format!("{ICP_DEFAULT}\n[materials.passport]\ncolor_required = true\n");
        assert_eq!(field_of(&unknown_kind), "materials");
        let missing = ICP_DEFAULT.replace("output_max_bytes = 2_000_000    # T3", "");
        assert_eq!(field_of(&missing), "defaults");
        let typo = ICP_DEFAULT.replace("color_required = true ", "colour_required = true ");
        assert_eq!(field_of(&typo), "defaults.colour_required");
        assert_eq!(field_of(&ICP_DEFAULT.replace("schema = 2", "schema = 9")), "schema");
        let Err(Error::InvalidPolicy { reason, .. }) = Policy::parse(&ICP_DEFAULT.replace("schema = 2", "schema = 1")) else { panic!("schema 1 read") };
        assert!(reason.contains("docs/policy.md"), "{reason}");
        assert_eq!(field_of("not [valid toml"), "document");
        assert_eq!(field_of("{\"schema\": 1"), "document");
        assert_eq!(field_of(""), "document");
        let rule = |needle: &str| ICP_DEFAULT[..ICP_DEFAULT.find(needle).unwrap()].matches("[[requirements.rules]]").count() - 1;
        let bad_province = ICP_DEFAULT.replace("provinces = [\"43\"", "provinces = [\"99\"");
        assert_ne!(bad_province, ICP_DEFAULT);
        assert_eq!(field_of(&bad_province), format!("requirements.rules[{}].provinces", rule("provinces = [\"43\"")));
        let both = ICP_DEFAULT.replace("refuse = {", "need = [\"other\"]\nrefuse = {");
        assert_eq!(field_of(&both), format!("requirements.rules[{}].need", rule("refuse = {")));
        let code = ICP_DEFAULT.replace("code = \"non_local_id\"", "code = \"blurry\"");
        assert_eq!(field_of(&code), format!("requirements.rules[{}].refuse.code", rule("refuse = {")));
        let prefix = ICP_DEFAULT.replace("credit_code = [\"52\"]", "credit_code = [\"5\"]");
        assert_eq!(field_of(&prefix), "requirements.subjects.private-non-enterprise.credit_code");
    }

    /// Numbers a manifest could not carry exactly (beyond 2^53 - 1) are refused by name; they
    /// used to seal an empty manifest.
    #[test]
    fn numbers_are_bounded_to_what_a_manifest_carries() {
        let huge = ICP_DEFAULT.replace("output_max_bytes = 2_000_000    # T3", "output_max_bytes = 9007199254740993");
        assert_ne!(huge, ICP_DEFAULT);
        assert_eq!(field_of(&huge), "defaults.output_max_bytes");
        let at_bound = ICP_DEFAULT.replace("output_max_bytes = 2_000_000    # T3", "output_max_bytes = 9007199254740991");
        assert!(Policy::parse(&at_bound).is_ok());
        let override_huge = format!("{ICP_DEFAULT}\n[materials.law-firm-license]\noutput_max_bytes = 9007199254740992\n");
        assert_eq!(field_of(&override_huge), "materials.law-firm-license.output_max_bytes");
        for line in ["max_input_bytes = 40_000_000", "max_input_pixels = 50_000_000"] {
            let name = line.split(' ').next().unwrap();
            assert!(ICP_DEFAULT.contains(line), "{line}");
            let huge = ICP_DEFAULT.replace(line, &format!("{name} = 9007199254740992"));
            assert_eq!(field_of(&huge), format!("limits.{name}"));
        }
        let days = ICP_DEFAULT.replace("min_id_validity_days = 90", "min_id_validity_days = 4294967295");
        assert_ne!(days, ICP_DEFAULT);
        assert_eq!(field_of(&days), "requirements.min_id_validity_days");
    }

    /// TOML's nan and inf are refused by name, saying what is wrong (they used to read as
    /// "expected f64, got null").
    #[test]
    fn nan_and_inf_thresholds_say_what_is_wrong() {
        for literal in ["nan", "+inf", "-inf", "-nan"] {
            let text = ICP_DEFAULT.replace("[defaults.checks.blurry]\nthreshold = 0.5", &format!("[defaults.checks.blurry]\nthreshold = {literal}"));
            assert_ne!(text, ICP_DEFAULT);
            let Err(Error::InvalidPolicy { field, reason }) = Policy::parse(&text) else { panic!("{literal} accepted") };
            assert_eq!(field, "defaults.checks.blurry.threshold");
            assert!(reason.contains("finite"), "{reason}");
        }
    }

    /// A JSON policy followed by anything but whitespace is refused.
    #[test]
    fn json_policies_end_where_their_object_ends() {
        let toml_doc: toml::Value = toml::from_str(ICP_DEFAULT).unwrap();
        let json = serde_json::to_string(&toml_doc).unwrap();
        assert!(Policy::parse(&format!("{json}\n")).is_ok());
        for garbage in ["x", "{}", "[]", "0"] {
            assert_eq!(field_of(&format!("{json}{garbage}")), "document", "{garbage}");
        }
    }

    /// An error quotes at most a few hundred characters of the offending line (a 10 MB line
    /// used to be echoed whole).
    #[test]
    fn errors_quote_a_bounded_excerpt() {
        let line = format!("id = \"{}", "x".repeat(10_000_000));
        let Err(e) = Policy::parse(&ICP_DEFAULT.replace("id = \"icp-default\"", &line)) else { panic!("accepted") };
        assert!(e.to_string().len() < 4_000, "{} bytes", e.to_string().len());
        let key = format!("{ICP_DEFAULT}\n[defaults]\n{} = 1\n", "k".repeat(1_000_000));
        let Err(e) = Policy::parse(&key) else { panic!("accepted") };
        assert!(e.to_string().len() < 4_000, "{} bytes", e.to_string().len());
    }
}
