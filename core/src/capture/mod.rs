//! One capture, from untrusted bytes to the JPEG that leaves the device, in one direction:
//! [`format`] sniffs the container, [`intake`] decodes within the memory [`budget`] (with
//! [`jpeg_scan`] refusing truncated JPEGs) and turns the pixels upright, [`checks`] measure them
//! on a small [`analysis`] copy, and [`normalize`] encodes the output within the byte budget.
//! [`check`] runs them all under one material's [`rules`].

pub mod analysis;
pub mod budget;
pub mod checks;
pub mod format;
pub mod intake;
mod jpeg_scan;
pub mod normalize;
pub mod rules;

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;
use crate::{Code, Error, Finding, MaterialKind, Metrics, Output, Severity};
use analysis::Analysis;
use rules::{Limits, Rules};

/// Whether a capture may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Accept,
    Reject,
}

/// The result of checking one capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Report {
    pub material: MaterialKind,
    pub verdict: Verdict,
    /// Checks that did not pass; any with severity `block` makes the verdict `reject`.
    pub findings: Vec<Finding>,
    /// Everything measured, passed or not.
    pub metrics: Metrics,
    /// Blur effect of the normalized output, re-measured after compression.
    pub output_blur: Option<f64>,
    /// The normalized capture; present only when accepted.
    pub output: Option<Output>,
}

/// Checks one capture of `kind` under `limits` and its `rules` and, if nothing blocks it,
/// normalizes it. [`crate::check`] takes them from a policy.
///
/// `Err` means the bytes could not be read as an image at all (unsupported, too large,
/// corrupt); everything about a readable image is a [`Finding`] in the report.
pub fn check(bytes: &[u8], kind: MaterialKind, limits: &Limits, rules: &Rules) -> Result<Report, Error> {
    let decoded = intake::decode(bytes, limits, rules)?;
    let (width, height) = decoded.upright_size();
    let upright = intake::upright_within(decoded.pixels, decoded.orientation, rules.output_long_side);
    let metrics = Metrics::measure(width, height, &Analysis::new(&upright));
    let mut findings = checks::evaluate(&metrics, rules);
    let mut report = Report { material: kind, verdict: Verdict::Reject, findings: vec![], metrics, output_blur: None, output: None };
    if !blocks(&findings) {
        let search = normalize::encode_within(&upright, rules.output_max_bytes, rules.jpeg_quality);
        match search.best {
            Some((quality, jpeg)) => {
                let (blur, finding) = checks::recheck_output(&jpeg, rules)?;
                report.output_blur = Some(checks::round(blur));
                findings.extend(finding);
                report.output = Some(Output {
                    width: upright.width(),
                    height: upright.height(),
                    bytes: jpeg.len() as u64,
                    sha256: sha256_hex(&jpeg),
                    quality,
                    jpeg,
                });
            }
            None => {
                let rule = &rules.checks.budget_unreachable;
                let (smallest, budget) = (search.smallest as f64, rules.output_max_bytes as f64);
                findings.push(Finding::new(Code::BudgetUnreachable, rule.severity, &rule.message, smallest, budget));
            }
        }
    }
    if !blocks(&findings) {
        report.verdict = Verdict::Accept;
    } else {
        report.output = None;
    }
    report.findings = findings;
    Ok(report)
}

fn blocks(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Block)
}
