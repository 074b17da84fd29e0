//! Problems: what is wrong with a submission or a package, each with its place.

use serde::{Deserialize, Serialize};

use crate::code::{Code, Message};
use crate::code::Severity;

/// One thing wrong with a submission or a package: a stable code, where it is, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Problem {
    pub code: Code,
    /// `block` stops sealing or fails verification; `warn` is for the host to decide.
    pub severity: Severity,
    /// Where: a field path (`responsible_person.id_number`), a material kind or a file name.
    pub at: String,
    pub message: Message,
}

impl Problem {
    /// A blocking problem.
    pub fn block(code: Code, at: impl Into<String>, message: Message) -> Problem {
        Problem { code, severity: Severity::Block, at: at.into(), message }
    }

    /// A warning the host may override.
    pub fn warn(code: Code, at: impl Into<String>, message: Message) -> Problem {
        Problem { code, severity: Severity::Warn, at: at.into(), message }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.code, self.at, self.message.en)
    }
}
