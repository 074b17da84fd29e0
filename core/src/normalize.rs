//! Normalize: upright, downscaled to the policy's cap, re-encoded as a metadata-free JPEG within
//! the byte budget at the highest quality that fits.

use fast_image_resize::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, RgbImage};
use jpeg_encoder::{ChromaSubsamplingMethod, ColorType, Encoder, SamplingFactor};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::{fit_within, resize_rgb};
use crate::intake::{swaps_axes, upright_size};
use crate::policy::{hex, QualityRange};

/// A normalized capture: what leaves the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// Baseline JPEG with a bare JFIF header: no EXIF, GPS, maker notes or thumbnail.
    #[serde(skip)]
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// SHA-256 of `jpeg`, lowercase hex.
    pub sha256: String,
    /// The JPEG quality chosen.
    pub quality: u8,
}

/// Downscales stored pixels so the upright long side is at most `long_side`, then turns them
/// upright. Resizing first keeps the rotation cheap.
pub fn upright_within(pixels: RgbImage, orientation: Orientation, long_side: u32) -> RgbImage {
    let stored = pixels.dimensions();
    let (tw, th) = fit_within(upright_size(stored, orientation), long_side);
    let target = if swaps_axes(orientation) { (th, tw) } else { (tw, th) };
    let resized = if target == stored {
        pixels
    } else {
        let raw = resize_rgb(pixels.as_raw(), stored, target, FilterType::Lanczos3);
        RgbImage::from_raw(target.0, target.1, raw).expect("resize returns a full buffer")
    };
    let mut image = DynamicImage::ImageRgb8(resized);
    image.apply_orientation(orientation);
    image.into_rgb8()
}

/// Encodes one JPEG at `quality`.
pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    encoder.set_chroma_subsampling_method(ChromaSubsamplingMethod::Average);
    encoder.set_optimized_huffman_tables(true);
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
/// usually in two to four encodes instead of six or seven.
pub fn encode_within(image: &RgbImage, max_bytes: u64, range: QualityRange) -> Search {
    encode_search(image, max_bytes, range, Strategy::Interpolate)
}

/// Quality search strategies, kept side by side for the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Interpolation on log(size), starting at the top quality.
    Interpolate,
    /// Plain bisection over the whole range: the baseline.
    Bisect,
}

/// Finds the highest quality in `range` whose JPEG fits `max_bytes`, with the given strategy.
pub fn encode_search(image: &RgbImage, max_bytes: u64, range: QualityRange, strategy: Strategy) -> Search {
    let (mut lo, mut hi) = (range.min, range.max);
    // `fit`: highest quality known to fit; `over`: lowest quality known not to.
    let mut fit: Option<(u8, Vec<u8>)> = None;
    let mut over: Option<(u8, u64)> = None;
    let mut encodes = 0;
    let mut smallest = u64::MAX;
    while lo <= hi {
        let q = match strategy {
            Strategy::Bisect => lo + (hi - lo).div_ceil(2),
            Strategy::Interpolate => guess(fit.as_ref().map(|(q, b)| (*q, b.len() as u64)), over, max_bytes, lo, hi),
        };
        let jpeg = encode_jpeg(image, q);
        encodes += 1;
        let size = jpeg.len() as u64;
        smallest = smallest.min(size);
        if size <= max_bytes {
            lo = q + 1;
            fit = Some((q, jpeg));
        } else {
            over = Some((q, size));
            if q == range.min {
                break;
            }
            hi = q - 1;
        }
    }
    Search { best: fit, smallest, encodes }
}

/// The next quality to try in `[lo, hi]`.
fn guess(fit: Option<(u8, u64)>, over: Option<(u8, u64)>, budget: u64, lo: u8, hi: u8) -> u8 {
    // Typical slope of ln(size) per quality step for photos in the 50–92 range.
    const SLOPE: f64 = 0.035;
    let target = (budget as f64).ln();
    let q = match (fit, over) {
        (None, None) => return hi,
        (Some((qf, sf)), Some((qo, so))) if qo > qf => {
            let (lf, lo_) = ((sf as f64).ln(), (so as f64).ln());
            let t = ((target - lf) / (lo_ - lf)).clamp(0.0, 1.0);
            // Lean towards the fitting side so the last steps bracket tightly.
            qf as f64 + t * (qo - qf) as f64 - 0.5
        }
        (_, Some((qo, so))) => qo as f64 - ((so as f64).ln() - target) / SLOPE,
        (Some((qf, sf)), None) => qf as f64 + (target - (sf as f64).ln()) / SLOPE,
    };
    (q.round().clamp(lo as f64, hi as f64)) as u8
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
