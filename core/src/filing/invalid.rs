//! [`Invalid`]: why a field value is refused, the answer of every filing validator.

use crate::code::{Code, Message};

/// Why a field value is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Invalid {
    pub code: Code,
    pub message: Message,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message.en)
    }
}

impl std::error::Error for Invalid {}

pub(crate) fn invalid(code: Code, zh: impl Into<String>, en: impl Into<String>) -> Invalid {
    Invalid { code, message: Message::new(zh, en) }
}
