//! hexin-core: on-device checks, normalization and sealing for identity-verification uploads.
//!
//! A capture passes through stages, each in its own module, always in one direction:
//! [`capture`] turns untrusted bytes into a checked, normalized JPEG under a [`policy`];
//! [`filing`] validates the text of a submission and says which materials it needs; [`package`]
//! seals it all into a tamper-evident package and verifies one as a server receives it. These
//! are pure: they read and write files only where asked, and never touch SQLite or the network.
//!
//! With the `outbox` feature the [`outbox`] keeps packages on the device (a [`draft`] from the
//! first accepted capture); with `tus` the resumable upload client in [`tus`] is built; and
//! `delivery` (both) sends sealed packages from the outbox through it, in [`delivery`]. The
//! whole map is in ARCHITECTURE.md.

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("hexin_core");

pub mod canonical;
pub mod capture;
mod code;
pub mod count;
pub mod date;
mod error;
pub mod filing;
pub mod hash;
pub mod input;
pub mod logging;
mod material;
pub mod package;
pub mod policy;
mod problem;

#[cfg(feature = "delivery")]
pub mod delivery;
#[cfg(feature = "outbox")]
pub mod draft;
#[cfg(feature = "outbox")]
pub mod outbox;
#[cfg(feature = "tus")]
pub mod tus;

pub use capture::checks::{Finding, Metrics};
pub use capture::normalize::Output;
pub use capture::{Report, Verdict};
pub use code::{Code, Message, Severity};
pub use error::{Error, FailureKind};
pub use material::{MaterialKind, Slot};
pub use policy::Policy;
pub use problem::{Place, Problem};

/// Checks one capture against `policy` and, if nothing blocks it, normalizes it: the
/// [`capture`] pipeline under the policy's limits and its rules for `kind`.
///
/// `Err` means the bytes could not be read as an image at all (unsupported, too large,
/// corrupt); everything about a readable image is a [`Finding`] in the report.
pub fn check(bytes: &[u8], kind: MaterialKind, policy: &Policy) -> Result<Report, Error> {
    capture::check(bytes, kind, &policy.limits, policy.rules(kind))
}
