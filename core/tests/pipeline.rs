//! End-to-end checks on generated captures: every code, the verdict, and the normalized output.

use hexin_core::capture::{intake, normalize};
use hexin_core::{check, Code, MaterialKind, Policy, Severity, Verdict};
use image::RgbImage;
use hexin_testing::synthetic::*;

const KIND: MaterialKind = MaterialKind::IdCardFront;

fn codes(report: &hexin_core::Report) -> Vec<Code> {
    report.findings.iter().map(|f| f.code).collect()
}

fn sharp_capture() -> RgbImage {
    noisy(document(Scene::new(1600, 1200)), 3.0, 1)
}

/// Every capture of the calibration set raises exactly the codes it is labelled with.
#[test]
fn calibration_set_has_no_false_accepts_or_rejects() {
    let policy = Policy::icp_default();
    let mut mismatches = Vec::new();
    for (name, kind, img, mut expected) in calibration_set(1600, 1200) {
        expected.sort();
        let report = check(&camera_jpeg(&img), kind, &policy).unwrap();
        let mut raised: Vec<&str> = codes(&report).iter().map(|c| c.as_str()).collect();
        raised.sort();
        if raised != expected {
            mismatches.push(format!("{name}: raised {raised:?}, expected {expected:?}, {:?}", report.metrics));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Where `Scene::new(w, h)` draws the card: its corners, clockwise from the top-left.
fn card_corners(w: f64, h: f64) -> [(f64, f64); 4] {
    let cw = (w * 0.75).floor();
    let ch = (cw / 1.586).floor();
    let (x, y) = (((w - cw) / 2.0).floor(), ((h - ch) / 2.0).floor());
    [(x, y), (x + cw, y), (x + cw, y + ch), (x, y + ch)]
}

#[test]
fn sharp_capture_is_accepted_and_normalized() {
    let policy = Policy::icp_default();
    let bytes = camera_jpeg(&sharp_capture());
    let report = check(&bytes, KIND, &policy).unwrap();
    assert_eq!(report.verdict, Verdict::Accept, "{:?}", report.findings);
    assert!(report.findings.is_empty());
    // The card is found where it was drawn, and the output is the card alone, never upscaled.
    let doc = report.document.as_ref().expect("the card is located");
    assert!(doc.complete && doc.confidence > 0.9, "{doc:?}");
    for (c, (x, y)) in doc.corners.corners().iter().zip(card_corners(1600.0, 1200.0)) {
        assert!((c.x - x).abs() < 2.0 && (c.y - y).abs() < 2.0, "corner {c:?} vs ({x}, {y})");
    }
    assert_eq!((doc.frame_metrics.width, doc.frame_metrics.height), (1600, 1200));
    let out = report.output.expect("accepted captures carry an output");
    assert!(out.width.abs_diff(1200) <= 2 && out.height.abs_diff(757) <= 2, "{}x{}", out.width, out.height);
    assert_eq!((report.metrics.width, report.metrics.height), (out.width, out.height));
    assert!(out.bytes <= 2_000_000 && out.bytes == out.jpeg.len() as i64);
    assert_eq!(out.sha256, hexin_core::hash::sha256_hex(&out.jpeg));
    assert_eq!(out.quality, i32::from(policy.rules(KIND).jpeg_quality.max), "fits at the top quality");
    assert!(report.output_blur.unwrap() <= policy.rules(KIND).checks.blurry.threshold);
    // The output is the drawn card: compare with the card cut out of the source.
    let decoded = image::load_from_memory(&out.jpeg).unwrap().into_rgb8();
    let [(x0, y0), _, (x1, y1), _] = card_corners(1600.0, 1200.0);
    let crop = image::imageops::crop_imm(&sharp_capture(), x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32).to_image();
    let crop = image::imageops::resize(&crop, decoded.width(), decoded.height(), image::imageops::FilterType::Triangle);
    let diff = mean_abs_diff(&decoded, &crop);
    assert!(diff < 6.0, "output differs from the card by {diff}");
    // The transform maps the output's corners onto the located corners.
    let t = doc.transform.as_ref().unwrap();
    let map = |x: f64, y: f64| ((t[0] * x + t[1] * y + t[2]) / (t[6] * x + t[7] * y + t[8]), (t[3] * x + t[4] * y + t[5]) / (t[6] * x + t[7] * y + t[8]));
    let (bx, by) = map(out.width as f64, out.height as f64);
    assert!((bx - doc.corners.bottom_right.x).abs() < 0.01 && (by - doc.corners.bottom_right.y).abs() < 0.01);
}

/// Kinds that are not documents, and policies that keep the frame, output the whole photo.
#[test]
fn the_whole_frame_is_kept_where_asked() {
    let face = camera_jpeg(&noisy(face_photo(Scene::new(1200, 1600)), 2.0, 3));
    let report = check(&face, MaterialKind::FacePhoto, &Policy::icp_default()).unwrap();
    assert!(report.document.is_none());
    assert_eq!(report.output.map(|o| (o.width, o.height)), Some((1200, 1600)), "{:?}", report.findings);
    let bytes = camera_jpeg(&sharp_capture());
    let policy = policy_with("output = \"document\"", "output = \"frame\"");
    let report = check(&bytes, KIND, &policy).unwrap();
    assert_eq!(report.output.map(|o| (o.width, o.height)), Some((1600, 1200)));
    let doc = report.document.expect("still located and judged");
    assert!(doc.complete && doc.transform.is_none());
}

#[test]
fn large_capture_is_capped_at_the_policy_long_side() {
    let bytes = camera_jpeg(&noisy(document(Scene::new(3000, 2250)), 3.0, 2));
    let out = check(&bytes, KIND, &Policy::icp_default()).unwrap().output.unwrap();
    assert_eq!(out.width, 2048);
    assert!(out.height.abs_diff(1292) <= 2, "{}", out.height);
}

/// A JPEG too large to decode whole within the budget (here 20 MP) is decoded at half scale:
/// the report still gives the file's own size, the output is the same size as from a whole
/// decode, and the capture is judged the same.
#[test]
fn a_large_jpeg_is_decoded_at_scale_and_judged_as_a_whole() {
    let bytes = camera_jpeg(&noisy(document(Scene::new(5200, 3900)), 3.0, 2));
    let policy = Policy::icp_default();
    let decoded = intake::decode(&bytes, &policy.limits, policy.rules(KIND)).unwrap();
    assert_eq!((decoded.pixels.dimensions(), decoded.upright_size()), ((2600, 1950), (5200, 3900)));
    let report = check(&bytes, KIND, &policy).unwrap();
    let doc = report.document.as_ref().unwrap();
    assert_eq!((doc.frame_metrics.width, doc.frame_metrics.height), (5200, 3900));
    assert!(report.metrics.width.abs_diff(3900) <= 4, "the card at the file's own scale: {:?}", report.metrics);
    assert_eq!(report.verdict, Verdict::Accept, "{:?}", report.findings);
    let out = report.output.unwrap();
    assert_eq!(out.width, 2048);
}

#[test]
fn output_is_deterministic() {
    let bytes = camera_jpeg(&sharp_capture());
    let policy = Policy::icp_default();
    let a = check(&bytes, KIND, &policy).unwrap().output.unwrap();
    let b = check(&bytes, KIND, &policy).unwrap().output.unwrap();
    assert_eq!(a.jpeg, b.jpeg);
    assert_eq!(a.sha256, b.sha256);
}

/// The output's segments: only JFIF, tables, frame and scan; no APPn beyond APP0, no comment.
#[test]
fn output_carries_no_metadata() {
    let jpeg = with_exif_orientation(&camera_jpeg(&sharp_capture()), 1);
    let out = check(&jpeg, KIND, &Policy::icp_default()).unwrap().output.unwrap();
    assert_eq!(segment_markers(&jpeg)[..2], [0xE1, 0xE0], "the input does carry EXIF");
    let markers = segment_markers(&out.jpeg);
    assert_eq!(markers[0], 0xE0, "JFIF header first");
    assert!(markers.iter().all(|m| matches!(m, 0xE0 | 0xDB | 0xC0 | 0xC4 | 0xDA)), "{markers:x?}");
    assert!(!out.jpeg.windows(4).any(|w| w == b"Exif"));
}

/// Marker bytes of the segments before the first scan (after SOI).
pub fn segment_markers(jpeg: &[u8]) -> Vec<u8> {
    let mut markers = Vec::new();
    let mut pos = 2;
    while pos + 4 <= jpeg.len() && jpeg[pos] == 0xFF {
        let marker = jpeg[pos + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        pos += 2 + u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]) as usize;
    }
    markers
}

#[test]
fn exif_orientation_6_comes_out_upright() {
    // A portrait document, stored as the camera does: rotated to landscape, tagged 6.
    let upright = sharp_capture();
    let portrait = image::imageops::rotate90(&upright);
    let stored = image::imageops::rotate270(&portrait);
    let bytes = with_exif_orientation(&camera_jpeg(&stored), 6);
    let report = check(&bytes, KIND, &Policy::icp_default()).unwrap();
    assert_eq!(report.verdict, Verdict::Accept, "{:?}", report.findings);
    let doc = report.document.as_ref().unwrap();
    assert_eq!((doc.frame_metrics.width, doc.frame_metrics.height), (1200, 1600));
    let out = image::load_from_memory(&report.output.unwrap().jpeg).unwrap().into_rgb8();
    assert!(out.height() > out.width(), "the card stands as in the upright photo: {:?}", out.dimensions());
    // The card cut out of the upright portrait photo.
    let [(x0, y0), _, (x1, y1), _] = card_corners(1600.0, 1200.0);
    let (cw, ch) = ((x1 - x0) as u32, (y1 - y0) as u32);
    let crop = image::imageops::crop_imm(&portrait, 1200 - y1 as u32, x0 as u32, ch, cw).to_image();
    let crop = image::imageops::resize(&crop, out.width(), out.height(), image::imageops::FilterType::Triangle);
    let right = mean_abs_diff(&out, &crop);
    assert!(right < 6.0, "upright output matches the portrait card: {right}");
    for wrong in [image::imageops::rotate180(&crop), image::imageops::flip_horizontal(&crop)] {
        assert!(mean_abs_diff(&out, &wrong) > 3.0 * right);
    }
}

pub fn mean_abs_diff(a: &RgbImage, b: &RgbImage) -> f64 {
    let sum: u64 = a.iter().zip(b.iter()).map(|(x, y)| x.abs_diff(*y) as u64).sum();
    sum as f64 / a.as_raw().len() as f64
}

#[test]
fn each_code_rejects_through_the_pipeline() {
    let policy = Policy::icp_default();
    let base = document(Scene::new(1600, 1200));
    let cases: Vec<(RgbImage, Code)> = vec![
        (noisy(defocus(&base, 5), 3.0, 3), Code::Blurry),
        (noisy(motion(&base, 30, 0.0), 3.0, 4), Code::Blurry),
        (noisy(exposure(&base, 0.2), 3.0, 5), Code::TooDark),
        (noisy(exposure(&base, 1.9), 3.0, 6), Code::Overexposed),
        (noisy(glare(&base, 0.4, 0.45, 60.0), 3.0, 7), Code::Glare),
        (noisy(grayscale(&base, 0.0), 3.0, 8), Code::NotColor),
        (noisy(document(Scene::new(640, 480)), 3.0, 9), Code::ResolutionTooLow),
    ];
    for (img, code) in cases {
        let report = check(&camera_jpeg(&img), KIND, &policy).unwrap();
        assert_eq!(report.verdict, Verdict::Reject, "{code}");
        assert!(codes(&report).contains(&code), "{code}: {:?}", report.findings);
        assert!(report.output.is_none(), "a rejected capture leaves nothing behind");
        let f = report.findings.iter().find(|f| f.code == code).unwrap();
        assert_eq!(f.severity, Severity::Block);
        assert!(f.measured.is_some() && f.limit.is_some());
        assert!(!f.message.zh.is_empty() && !f.message.en.is_empty());
    }
}

#[test]
fn colour_is_not_required_for_signed_forms() {
    let img = noisy(grayscale(&page(Scene::new(1600, 1200)), 0.0), 3.0, 10);
    let report = check(&camera_jpeg(&img), MaterialKind::VerificationForm, &Policy::icp_default()).unwrap();
    assert_eq!(report.verdict, Verdict::Accept, "{:?}", report.findings);
}

#[test]
fn warn_findings_do_not_reject() {
    let img = noisy(glare(&face_photo(Scene::new(1200, 1600)), 0.15, 0.2, 30.0), 3.0, 11);
    let report = check(&camera_jpeg(&img), MaterialKind::FacePhoto, &Policy::icp_default()).unwrap();
    assert_eq!(codes(&report), vec![Code::Glare], "{:?} {:?}", report.metrics, report.face);
    assert_eq!(report.findings[0].severity, Severity::Warn);
    assert_eq!(report.verdict, Verdict::Accept);
    assert!(report.output.is_some());
}

fn policy_with(replace: &str, with: &str) -> Policy {
    let text = Policy::icp_default_source();
    assert!(text.contains(replace));
    Policy::parse(&text.replace(replace, with)).unwrap()
}

#[test]
fn budget_is_met_by_lowering_quality() {
    let policy = policy_with("output_max_bytes = 2_000_000", "output_max_bytes = 150_000");
    let bytes = camera_jpeg(&noisy(document(Scene::new(1600, 1200)), 6.0, 12));
    // The whole frame is the output of a kind that is not located, so the search can be replayed.
    let report = check(&bytes, MaterialKind::Other, &policy).unwrap();
    let out = report.output.expect("reachable budget");
    assert!(out.bytes <= 150_000);
    assert!(out.quality < 92);
    // The highest quality that fits: one step up does not.
    let upright = image::load_from_memory(&bytes).unwrap().into_rgb8();
    assert!(normalize::encode_jpeg(&upright, out.quality as u8 + 1).len() > 150_000);
}

#[test]
fn unreachable_budget_is_a_finding() {
    let policy = policy_with("output_max_bytes = 2_000_000", "output_max_bytes = 10_000");
    let report = check(&camera_jpeg(&sharp_capture()), KIND, &policy).unwrap();
    assert_eq!(codes(&report), vec![Code::BudgetUnreachable]);
    let f = &report.findings[0];
    assert_eq!(f.limit, Some(10_000.0));
    assert!(f.measured.unwrap() > 10_000.0);
    assert_eq!(report.verdict, Verdict::Reject);
    assert!(report.output.is_none());
}

/// The re-check reads the encoded output: a blurred image encoded at any quality is caught,
/// and across the policy's quality range a sharp capture's output stays sharp.
#[test]
fn output_recheck_measures_the_encoded_bytes() {
    let threshold = Policy::icp_default().rules(KIND).checks.blurry.threshold;
    let sharp = sharp_capture();
    let blurred = noisy(defocus(&document(Scene::new(1600, 1200)), 5), 3.0, 1);
    for q in [50, 70, 92] {
        let sharp_blur = hexin_core::capture::checks::sharpness::output_blur(&normalize::encode_jpeg(&sharp, q)).unwrap();
        let blurred_blur = hexin_core::capture::checks::sharpness::output_blur(&normalize::encode_jpeg(&blurred, q)).unwrap();
        assert!(sharp_blur <= threshold, "q{q}: sharp output measured {sharp_blur}");
        assert!(blurred_blur > threshold, "q{q}: blurred output measured {blurred_blur}");
    }
    let report = check(&camera_jpeg(&sharp), KIND, &Policy::icp_default()).unwrap();
    let out = report.output.unwrap();
    assert_eq!(report.output_blur, Some(hexin_core::capture::checks::round(hexin_core::capture::checks::sharpness::output_blur(&out.jpeg).unwrap())));
    assert_eq!(hexin_core::capture::checks::sharpness::output_blur(b"not a jpeg").unwrap_err().code(), Code::CorruptImage);
}

#[test]
fn interpolation_search_matches_bisection() {
    let img = noisy(document(Scene::new(1600, 1200)), 5.0, 13);
    let range = hexin_core::capture::rules::QualityRange { min: 30, max: 95 };
    for budget in [60_000, 120_000, 250_000, 400_000] {
        let fast = normalize::encode_within(&img, budget, range);
        let slow = hexin_testing::quality::bisect(&img, budget, range);
        assert_eq!(fast.best.as_ref().map(|b| b.0), slow.best.as_ref().map(|b| b.0), "budget {budget}");
        assert!(fast.encodes <= slow.encodes, "budget {budget}: {} vs {}", fast.encodes, slow.encodes);
    }
}

#[test]
fn png_webp_and_bmp_inputs_work_and_gif_does_not() {
    let img = sharp_capture();
    let policy = Policy::icp_default();
    for format in [image::ImageFormat::Png, image::ImageFormat::WebP, image::ImageFormat::Bmp] {
        let mut bytes = std::io::Cursor::new(Vec::new());
        img.write_to(&mut bytes, format).unwrap();
        let report = check(bytes.get_ref(), KIND, &policy).unwrap();
        assert_eq!(report.verdict, Verdict::Accept, "{format:?}: {:?}", report.findings);
    }
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    assert_eq!(check(gif, KIND, &policy).unwrap_err().code(), Code::UnsupportedFormat);
}

#[test]
fn intake_refuses_cheaply_and_with_codes() {
    let policy = Policy::icp_default();
    let err = |bytes: &[u8]| check(bytes, KIND, &policy).unwrap_err().code();
    assert_eq!(err(b""), Code::CorruptImage);
    assert_eq!(err(b"definitely not an image"), Code::CorruptImage);
    let jpeg = camera_jpeg(&sharp_capture());
    assert_eq!(err(&jpeg[..jpeg.len() / 2]), Code::CorruptImage);
    assert_eq!(err(&jpeg[..20]), Code::CorruptImage);
    let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    huge.extend_from_slice(&60000u32.to_be_bytes());
    huge.extend_from_slice(&60000u32.to_be_bytes());
    huge.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(err(&huge), Code::DimensionsTooLarge);
    let small = policy_with("max_input_bytes = 40_000_000", "max_input_bytes = 1000");
    assert_eq!(check(&jpeg, KIND, &small).unwrap_err().code(), Code::InputTooLarge);
}
