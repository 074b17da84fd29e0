//! Normalize: upright, downscaled to the policy's cap, re-encoded as a metadata-free JPEG within
//! the byte budget at the highest quality that fits.

use image::RgbImage;
use jpeg_encoder::{ChromaSubsamplingMethod, ColorType, Encoder, SamplingFactor};
use serde::{Deserialize, Serialize};

use crate::capture::rules::QualityRange;

/// A normalized capture: what leaves the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Output {
    /// Baseline JPEG with a bare JFIF header: no EXIF, GPS, maker notes or thumbnail.
    #[serde(skip)]
    pub jpeg: Vec<u8>,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    /// SHA-256 of `jpeg`, lowercase hex.
    pub sha256: String,
    /// The JPEG quality chosen, 1–100.
    pub quality: i32,
}

/// Encodes one JPEG at `quality`.
pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    encoder.set_chroma_subsampling_method(ChromaSubsamplingMethod::Average);
    // Standard Huffman tables: jpeg-encoder 0.7's optimized tables with 4:2:0 produce files
    // that libjpeg reads but zune-jpeg (the `image` crate's decoder) misreads, and the output
    // must read the same everywhere (test `exif_orientation_6_comes_out_upright`).
    encoder.set_optimized_huffman_tables(false);
    // Dimensions are capped at 65535 by policy validation, and the buffer matches them.
    encoder
        .encode(image.as_raw(), image.width() as u16, image.height() as u16, ColorType::Rgb)
        .expect("in-memory JPEG encoding of a valid buffer");
    out
}

/// How the quality search went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The highest quality in range that fits, with its bytes; `None` when none fits.
    pub best: Option<(u8, Vec<u8>)>,
    /// Size at the lowest quality tried (the budget shortfall when nothing fits).
    pub smallest: u64,
    /// How many encodes it took.
    pub encodes: u32,
}

/// Finds the highest quality in `range` whose JPEG fits `max_bytes`.
///
/// JPEG size grows roughly exponentially with quality, so the search interpolates on
/// log(size) between the closest qualities known to fit and to overflow. It starts at the top
/// (most captures fit there, in one encode) and returns the same quality as a bisection would,
/// usually in two to four encodes instead of six or seven (hexin-testing's `quality::bisect` is
/// the baseline it is tested and benchmarked against).
pub fn encode_within(image: &RgbImage, max_bytes: u64, range: QualityRange) -> Search {
    let (mut lo, mut hi) = (range.min, range.max);
    // `fit`: highest quality known to fit; `tried`: every (quality, size) encoded so far.
    let mut fit: Option<(u8, Vec<u8>)> = None;
    let mut tried: Vec<(u8, u64)> = Vec::new();
    let mut smallest = u64::MAX;
    while lo <= hi {
        let q = guess(&tried, max_bytes, lo, hi);
        let jpeg = encode_jpeg(image, q);
        let size = jpeg.len() as u64;
        tried.push((q, size));
        smallest = smallest.min(size);
        if size <= max_bytes {
            lo = q + 1;
            fit = Some((q, jpeg));
        } else {
            if q == range.min {
                break;
            }
            hi = q - 1;
        }
    }
    Search { best: fit, smallest, encodes: tried.len() as u32 }
}

/// The next quality to try in `[lo, hi]`, given the (quality, size) pairs tried so far.
///
/// The model: ln(size) is close to linear in x = −ln(S), where S is the IJG quantizer scale
/// for a quality (5000/q below 50, 200 − 2q above), as rate theory predicts for uniform
/// quantizers. The slope varies from photo to photo (0.2 to 1.1 measured), and along one
/// photo's curve, so it is taken from the two tried points whose sizes are closest to the
/// budget (a secant); the typical 0.9 serves only the first step.
fn guess(tried: &[(u8, u64)], budget: u64, lo: u8, hi: u8) -> u8 {
    const SLOPE: f64 = 0.9;
    let target = (budget as f64).ln();
    let mut near: Vec<(f64, f64)> = tried.iter().map(|&(q, s)| (quant_x(q), (s as f64).ln())).collect();
    near.sort_by(|a, b| (a.1 - target).abs().total_cmp(&(b.1 - target).abs()));
    let x = match near[..] {
        [] => return hi,
        [(x, l)] => x + (target - l) / SLOPE,
        [(x1, l1), (x2, l2), ..] => {
            let slope = if x1 != x2 && l1 != l2 { ((l2 - l1) / (x2 - x1)).clamp(0.3, 3.0) } else { SLOPE };
            x1 + (target - l1) / slope
        }
    };
    // Round towards the side that fits, so the last steps bracket tightly.
    (quality_at(x).floor().clamp(lo as f64, hi as f64)) as u8
}

/// x = −ln(S) for quality `q`.
fn quant_x(q: u8) -> f64 {
    let s = if q < 50 { 5000.0 / q as f64 } else { 200.0 - 2.0 * q as f64 };
    -s.max(1.0).ln()
}

/// The (fractional) quality whose x is `x`: the inverse of [`quant_x`].
fn quality_at(x: f64) -> f64 {
    let s = (-x).exp();
    if s > 100.0 { 5000.0 / s } else { (200.0 - s) / 2.0 }
}

