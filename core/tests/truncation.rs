//! Files that claim more than their bytes hold: a JPEG cut short with an end-of-image marker
//! appended, and headers claiming far more pixels than the compressed bytes can carry.

use hexin_core::capture::intake::MIN_BYTES_PER_PIXEL;
use hexin_core::{check, Code, Error, MaterialKind, Policy};
use image::ImageEncoder;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use hexin_testing::synthetic::*;

const KIND: MaterialKind = MaterialKind::IdCardFront;

fn code_of(bytes: &[u8]) -> Option<Code> {
    check(bytes, KIND, &Policy::icp_default()).err().map(|e: Error| e.code())
}

/// The same capture as a camera writes it, and in the layouts a cut can land in differently:
/// restart markers, progressive scans.
fn encodings() -> Vec<(&'static str, Vec<u8>)> {
    let img = noisy(document(Scene::new(1200, 900)), 3.0, 1);
    let encode = |sampling, progressive, restart: u16| {
        let mut out = Vec::new();
        let mut e = Encoder::new(&mut out, 90);
        e.set_sampling_factor(sampling);
        e.set_progressive(progressive);
        e.set_restart_interval(restart);
        e.encode(img.as_raw(), 1200, 900, ColorType::Rgb).unwrap();
        out
    };
    vec![
        ("baseline 4:2:0 (camera)", camera_jpeg(&img)),
        ("baseline with restart markers", encode(SamplingFactor::F_2_2, false, 4)),
        ("progressive 4:2:0", encode(SamplingFactor::F_2_2, true, 0)),
        ("progressive 4:4:4", encode(SamplingFactor::F_1_1, true, 0)),
    ]
}

/// Cut anywhere in its data, with FF D9 appended, a JPEG is `corrupt_image`; whole, it is read.
/// On main before the fix the baseline cuts were accepted, the picture's lower part a smear.
#[test]
fn truncated_jpegs_with_an_end_marker_appended_are_corrupt() {
    for (name, jpeg) in encodings() {
        assert_eq!(code_of(&jpeg), None, "{name}: whole");
        let scan = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        for cut in [scan + (jpeg.len() - scan) / 3, jpeg.len() / 2, jpeg.len() * 9 / 10, jpeg.len() - 40] {
            let mut cut_short = jpeg[..cut].to_vec();
            cut_short.extend_from_slice(&[0xFF, 0xD9]);
            assert_eq!(code_of(&cut_short), Some(Code::CorruptImage), "{name} cut at {cut} of {}", jpeg.len());
        }
    }
}

/// A header claiming 7000x7000 over a few hundred bytes (a flat lossless WebP: 200 MB to decode
/// on main) or a real JPEG's data under a forged 7000x7000 frame header is `corrupt_image`
/// before any pixel is allocated.
#[test]
fn headers_claiming_more_pixels_than_the_bytes_hold_are_corrupt() {
    let flat = vec![200u8; 7000 * 7000 * 3];
    let mut webp = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .write_image(&flat, 7000, 7000, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert!((webp.len() as f64) < 7000.0 * 7000.0 * MIN_BYTES_PER_PIXEL, "{} bytes", webp.len());
    assert_eq!(code_of(&webp), Some(Code::CorruptImage));

    let mut jpeg = camera_jpeg(&noisy(document(Scene::new(800, 600)), 3.0, 2));
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0x1B, 0x58, 0x1B, 0x58]); // 7000 x 7000
    assert_eq!(code_of(&jpeg), Some(Code::CorruptImage));
}
