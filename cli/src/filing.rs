//! The filing `seal` and `requirements` are about: the subject type, the province, the fields
//! file and the policy, and how a material's place is given on the command line.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use hexin_core::filing::form::{self, Fields, SUBJECT};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::submission::Submission;
use hexin_core::{MaterialKind, Policy, Slot};

use crate::{load_policy, read_text};

/// The flags that say what is filed, where, and under which policy.
#[derive(clap::Args)]
pub struct Filing {
    /// The subject type.
    #[arg(long, value_parser = subject_kinds())]
    pub subject: SubjectKind,
    /// Filing province: GB/T 2260 code (32), or name (jiangsu, 江苏).
    #[arg(long)]
    pub province: String,
    /// The fields document (JSON, current or first form; schema in docs/fields.md).
    #[arg(long)]
    pub fields: PathBuf,
    /// Policy file (TOML or JSON); the embedded ICP policy by default.
    #[arg(long)]
    pub policy: Option<PathBuf>,
}

impl Filing {
    /// The policy and the submission, or why they cannot be read (a usage error).
    pub fn load(&self) -> Result<(Policy, Submission), String> {
        let policy = load_policy(self.policy.as_deref())?;
        let fields = read_text(&self.fields)
            .and_then(|t| Fields::from_json(&t).map_err(|e| e.to_string()))
            .map_err(|e| format!("--fields {}: {e}", self.fields.display()))?;
        let submission = Submission::new(self.subject, &self.province, fields).map_err(|e| e.to_string())?;
        Ok((policy, submission))
    }
}

/// Every subject type by its kebab-case name, listed in `--help` and in the error for another.
fn subject_kinds() -> impl TypedValueParser<Value = SubjectKind> {
    PossibleValuesParser::new(SubjectKind::ALL.map(SubjectKind::as_str)).try_map(|name| name.parse::<SubjectKind>())
}

/// A `--material` value: `KIND[@OWNER]=PATH`.
#[derive(Clone)]
pub struct MaterialArg {
    pub kind: MaterialKind,
    /// `subject` or a person's or website's id; absent: [`Fields::default_owner`].
    pub owner: Option<String>,
    pub path: PathBuf,
}

impl MaterialArg {
    /// Its slot in `fields`.
    pub fn slot(&self, fields: &Fields) -> Slot {
        Slot::new(self.kind, self.owner.clone().unwrap_or_else(|| fields.default_owner(self.kind)))
    }
}

/// Parses `KIND[@OWNER]=PATH`; an owner must have the form of an id, or be `subject`.
pub fn parse_material(s: &str) -> Result<MaterialArg, String> {
    let (slot, path) = s.split_once('=').ok_or("expected KIND[@OWNER]=PATH")?;
    let (kind, owner) = match slot.split_once('@') {
        Some((kind, owner)) if owner == SUBJECT || form::is_valid_id(owner) => (kind, Some(owner.to_owned())),
        Some((_, owner)) => {
            return Err(format!("owner {owner:?}: expected `subject` or an id of 1 to 32 a-z, 0-9 and -, not starting with -"));
        }
        None => (slot, None),
    };
    Ok(MaterialArg { kind: kind.parse()?, owner, path: PathBuf::from(path) })
}
