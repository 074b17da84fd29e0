//! The analysis copy: a small upright image every check reads, so thresholds do not depend on
//! the camera's resolution.

use fast_image_resize::images::{TypedImage, TypedImageRef};
use fast_image_resize::pixels::U8x3;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, RgbImage};

/// Long side of the analysis copy, in pixels.
pub const ANALYSIS_LONG_SIDE: u32 = 1024;

/// A downscaled upright copy: RGB and BT.601 luma planes.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub width: usize,
    pub height: usize,
    /// Interleaved RGB, `width * height * 3` bytes.
    pub rgb: Vec<u8>,
    /// Luma, `width * height` bytes.
    pub luma: Vec<u8>,
}

impl Analysis {
    /// Builds the analysis copy of an upright image (never upscaled).
    pub fn new(upright: &RgbImage) -> Analysis {
        Analysis::oriented(upright, Orientation::NoTransforms)
    }

    /// Builds the analysis copy straight from decoded pixels as stored, turning the small copy
    /// upright rather than the whole image.
    pub fn oriented(stored: &RgbImage, orientation: Orientation) -> Analysis {
        let (w, h) = stored.dimensions();
        let (aw, ah) = fit_within((w, h), ANALYSIS_LONG_SIDE);
        let rgb = if (aw, ah) == (w, h) { stored.as_raw().clone() } else { resize_rgb(stored.as_raw(), (w, h), (aw, ah), FilterType::Box) };
        let small = RgbImage::from_raw(aw, ah, rgb).expect("resize returns a full buffer");
        let mut image = DynamicImage::ImageRgb8(small);
        image.apply_orientation(orientation);
        let upright = image.into_rgb8();
        let (uw, uh) = upright.dimensions();
        Analysis::from_rgb(uw as usize, uh as usize, upright.into_raw())
    }

    /// Wraps an interleaved RGB buffer of `width` × `height` and derives its luma.
    pub fn from_rgb(width: usize, height: usize, rgb: Vec<u8>) -> Analysis {
        let luma = rgb
            .chunks_exact(3)
            .map(|p| ((77 * p[0] as u32 + 150 * p[1] as u32 + 29 * p[2] as u32 + 128) >> 8) as u8)
            .collect();
        Analysis { width, height, rgb, luma }
    }
}

/// The largest size with the same aspect ratio whose long side is at most `long_side`.
pub fn fit_within((w, h): (u32, u32), long_side: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= long_side {
        return (w, h);
    }
    let scale = |v: u32| ((v as u64 * long_side as u64 + long as u64 / 2) / long as u64).max(1) as u32;
    (scale(w), scale(h))
}

/// Resizes an interleaved RGB buffer with a convolution filter.
///
/// Typed for `U8x3` (`Resizer::resize_typed`): the run-time dispatch of `Resizer::resize` would
/// link the convolutions of every pixel type fast_image_resize knows into the library, 1.6 MB
/// of it on aarch64 (docs/size.md).
pub(crate) fn resize_rgb(src: &[u8], (w, h): (u32, u32), (dw, dh): (u32, u32), filter: FilterType) -> Vec<u8> {
    // The buffer sizes match the dimensions by construction, so these cannot fail.
    let src = TypedImageRef::<U8x3>::from_buffer(w, h, src).expect("buffer matches dimensions");
    let mut out = vec![0; dw as usize * dh as usize * 3];
    let mut dst = TypedImage::<U8x3>::from_buffer(dw, dh, &mut out).expect("buffer matches dimensions");
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter)).use_alpha(false);
    Resizer::new().resize_typed(&src, &mut dst, &options).expect("both sides are U8x3");
    out
}
