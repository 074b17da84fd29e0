//! Stable machine codes and bilingual messages shared by findings and errors.

use serde::{Deserialize, Serialize};

/// Every code hexin reports. The string forms are a stable contract with hosts and servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The bytes are in a format hexin does not decode (HEIC, PDF, …) or the policy refuses.
    UnsupportedFormat,
    /// The file is larger than the policy's input byte limit.
    InputTooLarge,
    /// The header claims more pixels than the policy allows.
    DimensionsTooLarge,
    /// Empty, truncated or undecodable image data.
    CorruptImage,
    /// The upright image is smaller than the policy's minimum.
    ResolutionTooLow,
    /// Defocus or motion blur.
    Blurry,
    /// Underexposed.
    TooDark,
    /// Overexposed: much of the frame is clipped to white.
    Overexposed,
    /// A compact blown-out specular patch.
    Glare,
    /// A black-and-white copy where colour is required.
    NotColor,
    /// No JPEG quality in the policy's range meets the byte budget.
    BudgetUnreachable,
    /// A policy document that cannot be used.
    InvalidPolicy,
}

impl Code {
    /// The stable snake_case form, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnsupportedFormat => "unsupported_format",
            Code::InputTooLarge => "input_too_large",
            Code::DimensionsTooLarge => "dimensions_too_large",
            Code::CorruptImage => "corrupt_image",
            Code::ResolutionTooLow => "resolution_too_low",
            Code::Blurry => "blurry",
            Code::TooDark => "too_dark",
            Code::Overexposed => "overexposed",
            Code::Glare => "glare",
            Code::NotColor => "not_color",
            Code::BudgetUnreachable => "budget_unreachable",
            Code::InvalidPolicy => "invalid_policy",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user-facing message in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub(crate) fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Message { zh: zh.into(), en: en.into() }
    }
}
