//! hexin-core: on-device checks, normalization and sealing for identity-verification uploads.
//!
//! The pipeline runs in stages, one module each: [`policy`] says what is acceptable,
//! [`intake`] turns untrusted bytes into pixels, [`checks`] measures the capture on a small
//! [`analysis`] copy, and [`normalize`] produces the upright, metadata-free JPEG that leaves the
//! device. [`check`] runs them all. Then [`fields`] validates the text of a [`submission`],
//! [`requirements`] says which materials its subject and [`province`] need, [`seal`] writes the
//! [`manifest`] (its digest over [`canonical`] JSON, optionally a [`signature`]), and [`verify`]
//! checks a package as a server receives it. The [`outbox`] keeps packages on the device (a
//! [`draft`] from the first accepted capture), and [`delivery`] sends them with the resumable
//! tus client in [`upload`].

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("hexin_core");

pub mod analysis;
pub mod budget;
pub mod canonical;
pub mod checks;
mod code;
pub mod date;
pub mod delivery;
pub mod draft;
mod error;
pub mod fields;
pub mod format;
pub mod input;
pub mod intake;
mod jpeg_scan;
pub mod manifest;
mod material;
pub mod normalize;
pub mod outbox;
pub mod policy;
mod problem;
pub mod province;
pub mod requirements;
pub mod seal;
pub mod signature;
pub mod submission;
pub mod upload;
pub mod verify;

use serde::{Deserialize, Serialize};

pub use checks::{Finding, Metrics};
pub use code::{Code, Message};
pub use error::{Error, FailureKind};
pub use material::MaterialKind;
pub use normalize::Output;
pub use policy::{Policy, Severity};
pub use problem::Problem;

use analysis::Analysis;

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

/// Checks one capture against `policy` and, if nothing blocks it, normalizes it.
///
/// `Err` means the bytes could not be read as an image at all (unsupported, too large,
/// corrupt); everything about a readable image is a [`Finding`] in the report.
pub fn check(bytes: &[u8], kind: MaterialKind, policy: &Policy) -> Result<Report, Error> {
    let rules = policy.rules(kind);
    let decoded = intake::decode(bytes, &policy.limits, rules)?;
    let (width, height) = decoded.upright_size();
    let upright = normalize::upright_within(decoded.pixels, decoded.orientation, rules.output_long_side);
    let metrics = Metrics::measure(width, height, &Analysis::new(&upright));
    let mut findings = checks::evaluate(&metrics, rules);
    let mut report = Report { material: kind, verdict: Verdict::Reject, findings: vec![], metrics, output_blur: None, output: None };
    if !blocks(&findings) {
        let search = normalize::encode_within(&upright, rules.output_max_bytes, rules.jpeg_quality);
        match search.best {
            Some((quality, jpeg)) => {
                let blur = normalize::output_blur(&jpeg)?;
                report.output_blur = Some(checks::round(blur));
                let rule = &rules.checks.blurry;
                if blur > rule.threshold {
                    findings.push(Finding::new(Code::Blurry, rule.severity, &rule.message, blur, rule.threshold));
                }
                report.output = Some(Output {
                    width: upright.width(),
                    height: upright.height(),
                    bytes: jpeg.len() as u64,
                    sha256: normalize::sha256_hex(&jpeg),
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
