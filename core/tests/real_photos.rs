//! Real camera files from `shared/fixtures/real-photos` (see its README for what each is).

use std::path::PathBuf;

use hexin_core::capture::intake;
use hexin_core::{check, Code, MaterialKind, Policy, Verdict};

const KIND: MaterialKind = MaterialKind::IdCardFront;

/// `$HEXIN_REAL_PHOTOS`, or `shared/fixtures/real-photos` beside the repository.
fn fixture(name: &str) -> Vec<u8> {
    let dir = std::env::var_os("HEXIN_REAL_PHOTOS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/real-photos")
    });
    let path = dir.join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (set HEXIN_REAL_PHOTOS)", path.display()))
}

/// Decodes and turns upright at full size.
fn upright(bytes: &[u8]) -> image::RgbImage {
    let policy = Policy::icp_default();
    let d = intake::decode(bytes, &policy.limits, policy.rules(KIND)).unwrap();
    intake::upright_within(d.pixels, d.orientation, u32::MAX)
}

fn mean_abs_diff(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: u64 = a.iter().zip(b.iter()).map(|(x, y)| x.abs_diff(*y) as u64).sum();
    sum as f64 / a.as_raw().len() as f64
}

/// All eight EXIF orientations of a series come out identical to orientation 1.
#[test]
fn every_exif_orientation_comes_out_upright() {
    for series in ["Landscape", "Portrait"] {
        let reference = upright(&fixture(&format!("orientation/{series}_1.jpg")));
        for n in 2..=8 {
            let img = upright(&fixture(&format!("orientation/{series}_{n}.jpg")));
            let diff = mean_abs_diff(&img, &reference);
            assert!(diff < 5.0, "{series}_{n}: mean difference {diff} from {series}_1");
        }
        // The stored pixels of a rotated file differ from the upright ones, so the test can fail.
        let policy = Policy::icp_default();
        let stored = intake::decode(&fixture(&format!("orientation/{series}_3.jpg")), &policy.limits, policy.rules(KIND)).unwrap();
        assert!(mean_abs_diff(&stored.pixels, &reference) > 20.0);
    }
}

/// The phone photos are a harbour and a leaf: kept whole as `other` material, whose output
/// must carry no metadata.
#[test]
fn gps_tagged_phone_photos_leave_without_metadata() {
    for name in ["camera/HMD_Nokia_8.3_5G.jpg", "camera/jolla.jpg"] {
        let bytes = fixture(name);
        assert!(bytes.windows(4).any(|w| w == b"Exif"), "{name} carries EXIF");
        let report = check(&bytes, MaterialKind::Other, &Policy::icp_default()).unwrap();
        assert_eq!(report.verdict, Verdict::Accept, "{name}: {:?}", report.findings);
        let out = report.output.unwrap();
        for needle in [&b"Exif"[..], b"GPS", b"Nokia", b"Jolla", b"\xFF\xE1"] {
            assert!(!out.jpeg.windows(needle.len()).any(|w| w == needle), "{name}: output holds {needle:?}");
        }
        assert!(out.width.max(out.height) <= 2048 && out.bytes <= 2_000_000);
    }
}

/// Real photos with no document in them (a harbour, a leaf, a waterfall) are not accepted as an
/// ID card or a form: nothing document-like is found.
#[test]
fn real_photos_without_a_document_are_not_found() {
    let policy = Policy::icp_default();
    let photos = ["camera/HMD_Nokia_8.3_5G.jpg", "camera/jolla.jpg", "orientation/Landscape_1.jpg", "orientation/Portrait_6.jpg"];
    for name in photos {
        for kind in [KIND, MaterialKind::VerificationForm] {
            let report = check(&fixture(name), kind, &policy).unwrap();
            let codes: Vec<Code> = report.findings.iter().map(|f| f.code).collect();
            assert_eq!(report.verdict, Verdict::Reject, "{name} as {kind}");
            assert!(codes.contains(&Code::DocumentNotFound), "{name} as {kind}: {codes:?}");
            assert!(report.document.is_none() && report.output.is_none());
        }
    }
}

/// `corrupted.jpg` has a broken EXIF block *and* 16 KB of 0xFF bytes inside its scan data. A
/// lenient decoder returns it with everything below the damage filled in grey (87 % of the
/// rows); hexin refuses it so the applicant retakes it, rather than upload a grey ID.
#[test]
fn damaged_scan_data_is_refused_not_greyed() {
    let bytes = fixture("camera/corrupted.jpg");
    let err = check(&bytes, KIND, &Policy::icp_default()).unwrap_err();
    assert_eq!(err.code(), Code::CorruptImage, "{err}");
    // The lenient decode really is mostly grey: the refusal is not a false alarm.
    let lenient = image::load_from_memory(&bytes).unwrap().into_rgb8();
    let grey_rows = lenient.rows().filter(|row| row.clone().all(|p| p.0 == [128, 128, 128])).count();
    assert!(grey_rows > lenient.height() as usize / 2, "{grey_rows} grey rows");
}

/// Broken EXIF alone costs nothing: these files' EXIF is invalid, their pixels decode.
#[test]
fn invalid_exif_still_decodes() {
    let policy = Policy::icp_default();
    for (name, size) in [("image00971", (636, 227)), ("image01551", (61, 58)), ("image02206", (65, 65))] {
        let d = intake::decode(&fixture(&format!("camera/{name}.jpg")), &policy.limits, policy.rules(KIND)).unwrap();
        assert_eq!(d.pixels.dimensions(), size, "{name}");
    }
}

#[test]
fn small_camera_photos_are_too_low_resolution() {
    for name in ["DSCN0010", "DSCN0021", "DSCN0042", "image00971", "image01551", "image02206"] {
        let report = check(&fixture(&format!("camera/{name}.jpg")), KIND, &Policy::icp_default()).unwrap();
        assert_eq!(report.verdict, Verdict::Reject, "{name}");
        assert!(report.findings.iter().any(|f| f.code == Code::ResolutionTooLow), "{name}");
    }
}

#[test]
fn heic_is_unsupported_with_a_hint() {
    let err = check(&fixture("camera/iphone_13_pro_max.HEIC"), KIND, &Policy::icp_default()).unwrap_err();
    assert_eq!(err.code(), Code::UnsupportedFormat);
    assert!(err.message().en.contains("JPEG") && err.message().zh.contains("JPEG"));
}

#[test]
fn truncated_camera_jpeg_is_corrupt() {
    let bytes = fixture("camera/jolla.jpg");
    for cut in [bytes.len() / 3, bytes.len() - 2] {
        let err = check(&bytes[..cut], KIND, &Policy::icp_default()).unwrap_err();
        assert_eq!(err.code(), Code::CorruptImage, "cut at {cut}");
    }
}
