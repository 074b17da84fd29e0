//! What decoding an image costs in memory, judged from its header before any pixel is
//! allocated, and the route that keeps the cost within [`DECODE_BUDGET_BYTES`] (or
//! [`SCALED_DECODE_BUDGET_BYTES`] for a JPEG decoded at scale).
//!
//! The decoders hold the whole image: zune-jpeg an RGB buffer (and, for progressive or CMYK
//! files, every coefficient or plane besides), the `image` crate its native layout (16-bit RGBA
//! is 8 bytes a pixel) and then the 8-bit RGB copy. So the cost is bytes per pixel for the
//! file's layout, times its pixels. A baseline JPEG too big to decode whole is decoded at
//! 1/2, 1/4 or 1/8 scale in the DCT (jpeg-decoder), never below the output's long side: the
//! pipeline keeps nothing larger. Every other layout over the budget is refused.

use crate::capture::format::{Format, JpegFrame};
use crate::capture::rules::Limits;
use crate::Error;

/// The most the pixel buffers of an image decoded whole may take at once. The resize that
/// follows adds a third of that again, and the input (up to `max_input_bytes`) is held
/// throughout: a run stays under 150 MB (the hostile suite measures the worst cases).
pub const DECODE_BUDGET_BYTES: u64 = 48 << 20;

/// The same for a JPEG decoded at scale: its component planes are freed before the resize,
/// which then works on an image whose long side is under twice the output's, so this
/// decoding may take more.
pub const SCALED_DECODE_BUDGET_BYTES: u64 = 80 << 20;

/// How to decode an image within the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// Decode every pixel.
    Full,
    /// Decode a baseline JPEG at 1/`n` scale in the DCT.
    JpegScaled(u32),
}

/// Chooses the route for a `width` x `height` image of `layout`, or refuses it as
/// `dimensions_too_large` with the pixels that layout is allowed.
pub(crate) fn route(layout: &Layout, (width, height): (u32, u32), limits: &Limits, long_side: u32) -> Result<Route, Error> {
    let pixels = width as f64 * height as f64;
    let fits = |bytes_per_pixel: f64, budget: u64| pixels * bytes_per_pixel <= budget as f64;
    if fits(layout.full, DECODE_BUDGET_BYTES) {
        return Ok(Route::Full);
    }
    if let Some(per_sample) = layout.scaled {
        let long = width.max(height);
        // The largest reduction that still leaves the long side at least `long_side`.
        if let Some(n) = [8, 4, 2].into_iter().find(|&n| long.div_ceil(n) >= long_side) {
            if fits(per_sample / (n * n) as f64, SCALED_DECODE_BUDGET_BYTES) {
                return Ok(Route::JpegScaled(n));
            }
        }
    }
    Err(Error::DimensionsTooLarge {
        width: width.into(),
        height: height.into(),
        limit_pixels: (DECODE_BUDGET_BYTES as f64 / layout.full) as i64,
        limit_side: limits.max_input_side.into(),
    })
}

/// Bytes held per pixel while decoding.
pub(crate) struct Layout {
    /// Decoding every pixel and flattening to 8-bit RGB.
    full: f64,
    /// Decoding at scale, per pixel of the scaled image, when the format allows it.
    scaled: Option<f64>,
}

/// Reads the layout from the header; an animated WebP is `unsupported_format` (a capture never
/// moves, and its canvas is decoded besides its frames).
pub(crate) fn layout(format: Format, bytes: &[u8]) -> Result<Layout, Error> {
    Ok(match format {
        Format::Jpeg => {
            let frame = JpegFrame::parse(bytes).ok_or_else(|| corrupt("malformed JPEG frame header"))?;
            let samples = frame.samples_per_pixel();
            let coefficients = if frame.progressive() { 2.0 * samples } else { 0.0 };
            // zune-jpeg keeps every plane of a CMYK or YCCK image before converting.
            let planes = if frame.components.len() == 4 { 4.0 } else { 0.0 };
            let scalable = !frame.progressive() && matches!(frame.components.len(), 1 | 3) && matches!(frame.coding, 0xC0 | 0xC1);
            // jpeg-decoder at scale: each component's plane, then the RGB image.
            Layout { full: 3.0 + coefficients + planes, scaled: scalable.then_some(samples + 3.0) }
        }
        Format::Png => {
            // IHDR: bit depth at 24, colour type at 25; palettes expand to RGB or RGBA.
            let (depth, color) = (*bytes.get(24).unwrap_or(&16), *bytes.get(25).unwrap_or(&6));
            let sample = if depth == 16 { 2.0 } else { 1.0 };
            match (color, depth) {
                (2, 8) => Native::Rgb8.layout(3.0),
                (6, 8) | (3, _) => Native::Rgba8.layout(4.0),
                (0, _) => Native::Other { alpha: false }.layout(sample),
                (2, _) => Native::Other { alpha: false }.layout(3.0 * sample),
                (4, _) => Native::Other { alpha: true }.layout(2.0 * sample),
                _ => Native::Other { alpha: true }.layout(4.0 * sample),
            }
        }
        Format::Webp => {
            let chunks = webp_chunks(bytes);
            if chunks.iter().any(|&c| c == *b"ANIM") {
                return Err(Error::UnsupportedFormat { format: "animated WebP".into() });
            }
            if chunks.iter().any(|&c| c == *b"VP8L") {
                // Lossless decodes to ARGB words, then to RGBA.
                Native::Rgba8.layout(4.0 + 4.0)
            } else if chunks.iter().any(|&c| c == *b"ALPH") {
                Native::Rgba8.layout(1.5 + 1.0 + 4.0)
            } else {
                // Lossy: the YUV planes, then RGB.
                Native::Rgb8.layout(1.5 + 3.0)
            }
        }
        Format::Bmp => {
            // Bits per pixel at 28, compression at 30: uncompressed 24-bit and below decode to
            // RGB; 32-bit, bit fields and RLE (whose skips leave transparent pixels) to RGBA.
            let le16 = |o: usize| bytes.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
            match (le16(28), le16(30)) {
                (Some(bits), Some(0)) if bits <= 24 => Native::Rgb8.layout(3.0),
                _ => Native::Rgba8.layout(4.0),
            }
        }
    })
}

/// The layout a decoder returns, which sets what `to_rgb` copies on the way to 8-bit RGB.
enum Native {
    Rgb8,
    Rgba8,
    Other { alpha: bool },
}

impl Native {
    /// The layout of an image decoded at `decoded` bytes per pixel, then flattened to RGB.
    fn layout(self, decoded: f64) -> Layout {
        let convert = match self {
            Native::Rgb8 => 0.0,
            Native::Rgba8 | Native::Other { alpha: false } => 3.0,
            // Through an RGBA copy.
            Native::Other { alpha: true } => 4.0 + 3.0,
        };
        Layout { full: decoded + convert, scaled: None }
    }
}

/// The tags of a WebP's chunks, in order (stopping where the file does).
fn webp_chunks(bytes: &[u8]) -> Vec<[u8; 4]> {
    let mut tags = Vec::new();
    let mut pos = 12;
    while let Some(head) = bytes.get(pos..pos + 8) {
        tags.push([head[0], head[1], head[2], head[3]]);
        let size = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        pos = pos.saturating_add(8).saturating_add(size).saturating_add(size & 1);
    }
    tags
}

fn corrupt(reason: &str) -> Error {
    Error::CorruptImage { reason: reason.to_string() }
}
