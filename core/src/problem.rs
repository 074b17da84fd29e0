//! Problems: what is wrong with a submission or a package, each with its place.

use serde::{Deserialize, Serialize};

use crate::code::{Code, Message, Severity};
use crate::material::{MaterialKind, Slot};

/// One thing wrong with a submission or a package: a stable code, where it is, and what to do.
///
/// In JSON (the manifest's `warnings`, verification output) a problem is
/// `{code, severity, at, message}`: `place` is written only as `at`, and read back from it
/// ([`Place::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(from = "Written")]
pub struct Problem {
    pub code: Code,
    /// `block` stops sealing or fails verification; `warn` is for the host to decide.
    pub severity: Severity,
    /// `place` as text: a field path (`people[0].document.number`), a material
    /// (`face-photo@p1`), a file name (`manifest.json`), or `.` for the package.
    pub at: String,
    #[serde(skip_serializing)]
    pub place: Place,
    pub message: Message,
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Place {
    /// A text field, by its path in the fields document: `website.domains[0]`.
    Field { path: String },
    /// A material: missing, or its capture unreadable or refused; whose, when the filing says
    /// (a version 1 manifest's problems name only the kind).
    Material { kind: MaterialKind, owner: Option<String> },
    /// A file of a package: `manifest.json`, `face-photo.jpg`.
    File { name: String },
    /// A member of a package's manifest, by its path: `seal.signature`.
    Manifest { path: String },
    /// The package as a whole.
    Package,
}

/// The top-level members of the fields document, which every field path starts with (the
/// first form's too: a version 1 manifest's warnings name them), and what follows them: a
/// member's name, or a list's index.
const FIELD_ROOTS: [(&str, char); 6] =
    [("filing", '.'), ("subject", '.'), ("people", '['), ("websites", '['), ("responsible_person", '.'), ("website", '.')];

/// The top-level members of a manifest, but `subject`: a field path starts with that one.
const MANIFEST_ROOTS: [&str; 11] =
    ["schema", "version", "package_id", "created_at", "sdk", "policy", "fields", "warnings", "materials", "attestations", "seal"];

impl Place {
    pub fn field(path: impl Into<String>) -> Place {
        Place::Field { path: path.into() }
    }

    pub fn file(name: impl Into<String>) -> Place {
        Place::File { name: name.into() }
    }

    /// The place an `at` string names: `.` is the package, `kind@owner` or a material kind's
    /// name the material, a path under a member of the fields document a field, a path from a member of
    /// the manifest a manifest member, anything else a file.
    pub fn parse(at: &str) -> Place {
        let root = at.split(['.', '[']).next().unwrap_or(at);
        if at == "." {
            Place::Package
        } else if let Ok(kind) = at.parse() {
            Place::Material { kind, owner: None }
        } else if let Ok(slot) = at.parse::<Slot>() {
            Place::Material { kind: slot.kind, owner: Some(slot.owner) }
        } else if FIELD_ROOTS.iter().any(|&(r, next)| r == root && at[root.len()..].starts_with(next)) {
            Place::field(at)
        } else if MANIFEST_ROOTS.contains(&root) {
            Place::Manifest { path: at.into() }
        } else {
            Place::file(at)
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Field { path } => f.write_str(path),
            Place::Material { kind, owner: None } => f.write_str(kind.as_str()),
            Place::Material { kind, owner: Some(owner) } => write!(f, "{kind}@{owner}"),
            Place::File { name } | Place::Manifest { path: name } => f.write_str(name),
            Place::Package => f.write_str("."),
        }
    }
}

impl Problem {
    /// A blocking problem.
    pub fn block(code: Code, place: Place, message: Message) -> Problem {
        Problem { code, severity: Severity::Block, at: place.to_string(), place, message }
    }

    /// A warning the host may override.
    pub fn warn(code: Code, place: Place, message: Message) -> Problem {
        Problem { code, severity: Severity::Warn, at: place.to_string(), place, message }
    }
}

/// A problem as JSON holds it.
#[derive(Deserialize)]
struct Written {
    code: Code,
    severity: Severity,
    at: String,
    message: Message,
}

impl From<Written> for Problem {
    fn from(w: Written) -> Problem {
        Problem { code: w.code, severity: w.severity, place: Place::parse(&w.at), at: w.at, message: w.message }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.code, self.at, self.message.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place a problem is made with reads back from its `at` as itself.
    #[test]
    fn places_read_back_from_at() {
        let places = [
            Place::field("responsible_person.id_number"),
            Place::field("website.domains[2]"),
            Place::field("subject.credit_code"),
            Place::Material { kind: MaterialKind::FacePhoto, owner: None },
            Place::Material { kind: MaterialKind::FacePhoto, owner: Some("p2".into()) },
            Place::field("people[1].document.number"),
            Place::field("websites[0].domains[1].registrant"),
            Place::file("manifest.json"),
            Place::file(MaterialKind::IdCardFront.file_name(1)),
            Place::file("websites.txt"),
            Place::Manifest { path: "seal.signature.public_key".into() },
            Place::Manifest { path: "version".into() },
            Place::Package,
        ];
        for place in places {
            assert_eq!(Place::parse(&place.to_string()), place);
            let problem = Problem::warn(Code::InvalidCreditCode, place.clone(), Message::new("zh", "en"));
            let json = serde_json::to_value(&problem).unwrap();
            let mut keys: Vec<&String> = json.as_object().unwrap().keys().collect();
            keys.sort();
            assert_eq!(keys, ["at", "code", "message", "severity"]);
            assert_eq!(json["at"], place.to_string());
            assert_eq!(serde_json::from_value::<Problem>(json).unwrap(), problem);
        }
    }
}
