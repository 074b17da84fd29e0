//! The policy, checking a photo, and verifying a package.

use std::sync::Arc;

use hexin_core::input::read_capture;
use hexin_core::package::signature::parse_trusted_keys;
use hexin_core::package::verify::{verify_dir, Options, Verification};
use hexin_core::{Error, MaterialKind, Report};

use crate::path::FilePath;
use crate::runtime::{blocking, guard};

/// What is acceptable: thresholds, limits and the materials each filing needs.
#[derive(uniffi::Object)]
pub struct Policy(pub(crate) Arc<hexin_core::Policy>);

#[uniffi::export]
impl Policy {
    /// The ICP filing policy embedded in the SDK.
    #[uniffi::constructor]
    pub fn icp_default() -> Arc<Policy> {
        Arc::new(Policy(Arc::new(hexin_core::Policy::icp_default())))
    }

    /// A policy document (TOML or JSON); `InvalidPolicy` names the field that is wrong.
    #[uniffi::constructor]
    pub fn parse(text: String) -> Result<Arc<Policy>, Error> {
        guard(|| Ok(Arc::new(Policy(Arc::new(hexin_core::Policy::parse(&text)?)))))
    }

    pub fn id(&self) -> String {
        self.0.id.clone()
    }

    pub fn version(&self) -> i64 {
        self.0.version.into()
    }
}

/// Checks a photo (the bytes the camera gave) and, if nothing blocks it, normalizes it. An error
/// means the bytes are not a readable image; everything about a readable one is in the report.
#[uniffi::export]
pub async fn check_photo(bytes: Vec<u8>, kind: MaterialKind, policy: Arc<Policy>) -> Result<Report, Error> {
    blocking(move || hexin_core::check(&bytes, kind, &policy.0)).await
}

/// Checks a photo file, as [`check_photo`].
#[uniffi::export]
pub async fn check_photo_file(path: FilePath, kind: MaterialKind, policy: Arc<Policy>) -> Result<Report, Error> {
    blocking(move || hexin_core::check(&read_capture(path.as_ref(), &policy.0.limits)?, kind, &policy.0)).await
}

/// Verifies a package directory as a server receives it: every problem with a stable code.
/// `trusted_keys_pem`: accept only packages signed by one of these P-256 keys (PEM, or any form
/// the manifest uses); `expected_digest`: the digest learned another way.
#[uniffi::export]
pub async fn verify_package_dir(
    dir: FilePath,
    trusted_keys_pem: Vec<String>,
    expected_digest: Option<String>,
) -> Result<Verification, Error> {
    blocking(move || {
        let options = Options { trusted_keys: parse_trusted_keys(&trusted_keys_pem)?, expected_digest };
        Ok(verify_dir(dir.as_ref(), &options))
    })
    .await
}
