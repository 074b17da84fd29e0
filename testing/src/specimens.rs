//! The shipped specimens (`specimens/`): an individual's and an enterprise's fields and photos,
//! sealed the way the CLI and the apps seal them.

use std::path::{Path, PathBuf};

use hexin_core::filing::form::Fields;
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::submission::Submission;
use hexin_core::package::manifest::{Capture, CaptureSource};
use hexin_core::package::seal::{seal, Material, Package, Sealing};
use hexin_core::{Policy, Slot};

/// The individual's materials: 张三 (`zhangsan`) runs the website `blog`.
pub const INDIVIDUAL: [&str; 4] = ["id-card-front@zhangsan", "id-card-back@zhangsan", "face-photo@zhangsan", "verification-form@blog"];
/// The enterprise's: 李四 (`lisi`), its legal representative, runs the website `www`.
pub const ENTERPRISE: [&str; 5] =
    ["business-license@subject", "id-card-front@lisi", "id-card-back@lisi", "face-photo@lisi", "verification-form@www"];

/// The directory of a specimen: `individual` or `enterprise`.
pub fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specimens").join(name)
}

/// A specimen's fields.
pub fn fields(name: &str) -> Fields {
    Fields::from_json(&std::fs::read_to_string(dir(name).join("fields.json")).unwrap()).unwrap()
}

/// A specimen's photos for `slots`, taken with the camera at `time` (seconds since the epoch)
/// and checked under `policy`.
pub fn materials(name: &str, slots: &[&str], policy: &Policy, time: i64) -> Vec<Material> {
    slots
        .iter()
        .map(|s| {
            let slot: Slot = s.parse().unwrap();
            let bytes = std::fs::read(dir(name).join(format!("{}.jpg", slot.kind))).unwrap();
            let checked = hexin_core::check(&bytes, slot.kind, policy);
            Material { slot, capture: Capture::at(CaptureSource::Camera, time), checked }
        })
        .collect()
}

/// The individual specimen filed in Beijing, sealed by `sealing` under the default policy.
pub fn individual_package(sealing: &Sealing) -> Package {
    let policy = Policy::icp_default();
    let submission = Submission::new(SubjectKind::Individual, "11", fields("individual")).unwrap();
    seal(&submission, materials("individual", &INDIVIDUAL, &policy, sealing.created_at - 60), &policy, sealing).unwrap()
}
