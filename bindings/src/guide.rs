//! The live capture guide: camera preview frames in, a hint, the quad to draw and the
//! auto-capture signal out.
//!
//! Nothing is copied per frame: `luma` is a borrowed `&[u8]`, which uniffi 0.32 passes by
//! reference (Kotlin: a direct `java.nio.ByteBuffer`, such as CameraX's `ImageProxy` plane
//! buffers; Swift: `Data`, read in place through `withUnsafeBytes`), valid for the call.

use std::sync::{Arc, Mutex, MutexGuard};

use hexin_core::capture::document::plane::Plane;
use hexin_core::capture::guide::{self, GuideConfig, Guidance};
use hexin_core::{Error, MaterialKind};

use crate::path::unsigned_arg;
use crate::photo::Policy;
use crate::runtime::guard;

/// Feeds preview frames of one material kind; one per camera screen. Calls are serialized.
#[derive(uniffi::Object)]
pub struct CaptureGuide(Mutex<guide::CaptureGuide>);

#[uniffi::export]
impl CaptureGuide {
    /// A guide to `kind`'s document (or face) under `policy`; `config` defaults to 8 ready frames, a
    /// stillness of 1 % of the frame's diagonal and a least outline confidence of 0.75.
    /// A face photo's guide looks for the applicant's face instead. `InvalidArgument` for a kind
    /// with neither a document nor face checks (`kind`: other) or a config out of range.
    #[uniffi::constructor(default(config = None))]
    pub fn new(policy: Arc<Policy>, kind: MaterialKind, config: Option<GuideConfig>) -> Result<Arc<CaptureGuide>, Error> {
        guard(|| Ok(Arc::new(CaptureGuide(Mutex::new(guide::CaptureGuide::new(policy.0.rules(kind), config.unwrap_or_default())?)))))
    }

    /// Judges one frame: the luma (Y) plane, `height` rows of `width` bytes, `row_stride` bytes
    /// apart (Kotlin: a direct `ByteBuffer` at position 0, as CameraX's planes are: uniffi passes
    /// its address and its remaining length),
    /// and the clockwise `rotation` (0, 90, 180, 270) that makes it upright (CameraX's
    /// `rotationDegrees`). `InvalidArgument` (`frame`, `rotation`) when they do not fit.
    pub fn analyze(&self, luma: &[u8], width: i32, height: i32, row_stride: i32, rotation: i32) -> Result<Guidance, Error> {
        guard(|| {
            let frame = |n: i32| unsigned_arg::<usize>("frame", n);
            let plane = Plane::new(luma, frame(width)?, frame(height)?, frame(row_stride)?)?;
            self.guide().analyze(&plane, unsigned_arg("rotation", rotation)?)
        })
    }

    /// Forgets the previous frame and the ready count: after a photo, or when the preview
    /// restarts.
    pub fn reset(&self) -> Result<(), Error> {
        guard(|| {
            self.guide().reset();
            Ok(())
        })
    }
}

impl CaptureGuide {
    /// The guide; after a panic in an earlier call, reset and usable again.
    fn guide(&self) -> MutexGuard<'_, guide::CaptureGuide> {
        self.0.lock().unwrap_or_else(|poisoned| {
            self.0.clear_poison();
            let mut guide = poisoned.into_inner();
            guide.reset();
            guide
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hexin_core::capture::guide::Hint;
    use hexin_testing::frames::Sequence;

    #[test]
    fn frames_are_judged_and_bad_ones_are_invalid_arguments() {
        let policy = Policy::icp_default();
        let guide = CaptureGuide::new(policy.clone(), MaterialKind::IdCardFront, None).unwrap();
        let frames = Sequence::PortraitPhone.frames();
        let answers: Vec<Guidance> = frames
            .iter()
            .map(|f| guide.analyze(&f.luma, f.width as i32, f.height as i32, f.stride as i32, f.rotation as i32).unwrap())
            .collect();
        assert_eq!(answers.iter().map(|a| a.hint).collect::<Vec<_>>()[..3], [Hint::HoldStill, Hint::Ready, Hint::Ready]);
        assert_eq!(answers.iter().position(|a| a.capture), Some(8), "the eighth ready frame");

        let f = &frames[0];
        let invalid = |r: Result<Guidance, Error>, field: &str| {
            assert!(matches!(&r, Err(Error::InvalidArgument { name, .. }) if name == field), "{r:?}");
        };
        let (width, height, stride) = (f.width as i32, f.height as i32, f.stride as i32);
        invalid(guide.analyze(&f.luma[..1000], width, height, stride, 0), "frame");
        invalid(guide.analyze(&f.luma, width, height, width - 1, 0), "frame");
        invalid(guide.analyze(&[], 0, 0, 0, 0), "frame");
        invalid(guide.analyze(&f.luma, -width, height, stride, 0), "frame");
        invalid(guide.analyze(&f.luma, width, height, stride, 30), "rotation");
        invalid(guide.analyze(&f.luma, width, height, stride, -90), "rotation");
        let other = CaptureGuide::new(policy.clone(), MaterialKind::Other, None).err();
        assert!(matches!(&other, Some(Error::InvalidArgument { name, .. }) if name == "kind"), "{other:?}");
        assert!(CaptureGuide::new(policy, MaterialKind::FacePhoto, None).is_ok(), "a face photo is guided to the face");
    }
}
