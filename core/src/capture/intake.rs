//! Intake: from untrusted bytes to upright-ready RGB pixels, refusing early and cheaply.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use fast_image_resize::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use crate::capture::analysis::{fit_within, resize_rgb};
use crate::capture::document::geometry::Homography;
use crate::capture::budget::{self, Route};
use crate::capture::format::{header_dimensions, sniff, Format, JpegFrame, Sniffed};
use crate::capture::jpeg_scan;
use crate::capture::rules::{Limits, Rules};
use crate::count;
use crate::Error;

/// A decoded capture, not yet turned upright: turning is cheaper after downscaling.
#[derive(Debug)]
pub struct Decoded {
    pub format: Format,
    /// Pixels as stored in the file, or fewer when a large JPEG was decoded at scale (never
    /// below the policy's output long side).
    pub pixels: RgbImage,
    /// Width and height as stored in the file.
    pub size: (u32, u32),
    /// The EXIF orientation to apply (identity when absent or unreadable).
    pub orientation: Orientation,
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

impl Decoded {
    /// Width and height of the file's image once upright.
    pub fn upright_size(&self) -> (u32, u32) {
        upright_size(self.size, self.orientation)
    }
}

/// Width and height of a `(width, height)` image after applying `orientation`.
pub fn upright_size((w, h): (u32, u32), orientation: Orientation) -> (u32, u32) {
    if swaps_axes(orientation) { (h, w) } else { (w, h) }
}

/// Maps upright pixel coordinates (continuous, as [`Homography`] takes them) to the stored
/// image's, for a stored image of `width` × `height`: what [`DynamicImage::apply_orientation`]
/// does, as a transform a warp can compose.
pub fn upright_to_stored(orientation: Orientation, (width, height): (u32, u32)) -> Homography {
    let (w, h) = (width as f64, height as f64);
    // Rows: x' = a·x + b·y + c, y' = d·x + e·y + f.
    let [a, b, c, d, e, f] = match orientation {
        Orientation::NoTransforms => [1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
        Orientation::FlipHorizontal => [-1.0, 0.0, w, 0.0, 1.0, 0.0],
        Orientation::Rotate180 => [-1.0, 0.0, w, 0.0, -1.0, h],
        Orientation::FlipVertical => [1.0, 0.0, 0.0, 0.0, -1.0, h],
        Orientation::Rotate90 => [0.0, 1.0, 0.0, -1.0, 0.0, h],
        Orientation::Rotate270 => [0.0, -1.0, w, 1.0, 0.0, 0.0],
        Orientation::Rotate90FlipH => [0.0, 1.0, 0.0, 1.0, 0.0, 0.0],
        Orientation::Rotate270FlipH => [0.0, -1.0, w, -1.0, 0.0, h],
    };
    Homography([a, b, c, d, e, f, 0.0, 0.0, 1.0])
}

pub(crate) fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    )
}

/// The fewest compressed bytes per pixel a file may have; one under it claims far more pixels
/// than its bytes can hold (a forged or cut-off header) and is `corrupt_image` before any pixel
/// is allocated. Measured in bytes per pixel: the shared real photos (phones and cameras,
/// 640x480 to 4608x1976) 0.10 to 4.5, the lowest a 3264x2448 phone photo; scikit-image's 17
/// photographs (JPEG and PNG, a scanned page among them) 0.135 to 3.0; the tests' generated
/// captures (documents under every defect, as JPEG, PNG, WebP and BMP) 0.10 and up; the
/// smallest valid test seed (a flat 64x48 JPEG) 0.027. The floor sits 10x under the photos.
/// (A JPEG cannot go below 2 bits per 8x8 block, 0.004-0.006 bytes per pixel, in any case.)
pub const MIN_BYTES_PER_PIXEL: f64 = 0.01;

/// Checks the format against `rules`, the size against `limits` and the decoding cost against
/// [`budget::DECODE_BUDGET_BYTES`], then decodes to RGB.
pub fn decode(bytes: &[u8], limits: &Limits, rules: &Rules) -> Result<Decoded, Error> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::InputTooLarge { bytes: count::signed(bytes.len()), limit: count::signed(limits.max_input_bytes) });
    }
    let format = match sniff(bytes) {
        Sniffed::Image(f) if rules.formats.contains(&f) => f,
        Sniffed::Image(f) => return Err(Error::UnsupportedFormat { format: f.as_str().to_uppercase() }),
        Sniffed::Unsupported(name) => return Err(Error::UnsupportedFormat { format: name.to_string() }),
        Sniffed::Unknown if bytes.is_empty() => return Err(corrupt("the file is empty")),
        Sniffed::Unknown => return Err(corrupt("not a recognizable image")),
    };
    let (w, h) = header_dimensions(format, bytes).ok_or_else(|| corrupt("truncated image header"))?;
    check_dimensions(w, h, limits)?;
    let layout = budget::layout(format, bytes)?;
    let density = bytes.len() as f64 / (w as f64 * h as f64);
    if density < MIN_BYTES_PER_PIXEL {
        return Err(corrupt(format!("{w}x{h} pixels cannot fit in {} bytes", bytes.len())));
    }
    let route = budget::route(&layout, (w, h), limits, rules.output_long_side)?;
    if format == Format::Jpeg {
        let frame = JpegFrame::parse(bytes).ok_or_else(|| corrupt("malformed JPEG frame header"))?;
        jpeg_scan::walk(bytes, &frame).map_err(|e| corrupt(format!("truncated or damaged JPEG: {e}")))?;
    }

    // Decoders are third-party code fed hostile bytes: a panic in one (zune-jpeg 0.5.15 has
    // unwraps in its AVX2 IDCT for odd sampling layouts) is contained here as a corrupt image.
    let (pixels, orientation) = catch_unwind(AssertUnwindSafe(|| match (format, route) {
        (Format::Jpeg, Route::JpegScaled(n)) => decode_jpeg_scaled(bytes, (w, h), n, limits),
        (Format::Jpeg, Route::Full) => decode_jpeg(bytes, limits),
        _ => decode_other(format, bytes, limits),
    }))
    .unwrap_or_else(|_| Err(corrupt("the decoder failed on malformed data")))?;
    Ok(Decoded { format, pixels, size: (w, h), orientation })
}

/// Decodes a JPEG to RGB in strict mode: a scan with damaged data is refused rather than
/// returned with everything after the damage filled in grey (which lenient decoding does).
pub(crate) fn decode_jpeg(bytes: &[u8], limits: &Limits) -> Result<(RgbImage, Orientation), Error> {
    let (mut decoder, orientation) = jpeg_headers(bytes, limits)?;
    let (w, h) = decoder.dimensions().ok_or_else(|| corrupt("no frame header"))?;
    let pixels = decoder.decode().map_err(|e| corrupt(format!("{e:?}")))?;
    let image = RgbImage::from_raw(w as u32, h as u32, pixels).ok_or_else(|| corrupt("short pixel buffer"))?;
    Ok((image, orientation))
}

type ZuneDecoder<'a> = JpegDecoder<ZCursor<&'a [u8]>>;

/// Reads a JPEG's headers with zune-jpeg in strict mode: the decoder, and the EXIF orientation.
fn jpeg_headers<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(ZuneDecoder<'a>, Orientation), Error> {
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(limits.max_input_side as usize)
        .set_max_height(limits.max_input_side as usize);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(|e| corrupt(format!("{e:?}")))?;
    let (w, h) = decoder.dimensions().ok_or_else(|| corrupt("no frame header"))?;
    check_dimensions(w as u32, h as u32, limits)?;
    // A broken EXIF block must not cost the pixels: treat it as "no rotation".
    let orientation = decoder
        .exif()
        .and_then(|exif| Orientation::from_exif_chunk(exif))
        .unwrap_or(Orientation::NoTransforms);
    Ok((decoder, orientation))
}

/// Decodes a baseline JPEG at 1/`n` scale in the DCT with jpeg-decoder: only the scaled
/// planes and image are ever held (zune-jpeg cannot scale).
fn decode_jpeg_scaled(bytes: &[u8], (w, h): (u32, u32), n: u32, limits: &Limits) -> Result<(RgbImage, Orientation), Error> {
    let (_, orientation) = jpeg_headers(bytes, limits)?;
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(budget::SCALED_DECODE_BUDGET_BYTES as usize);
    let (sw, sh) = decoder.scale(w.div_ceil(n) as u16, h.div_ceil(n) as u16).map_err(corrupt)?;
    let pixels = decoder.decode().map_err(corrupt)?;
    let rgb = match decoder.info().map(|i| i.pixel_format) {
        Some(jpeg_decoder::PixelFormat::RGB24) => pixels,
        Some(jpeg_decoder::PixelFormat::L8) => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        other => return Err(corrupt(format!("unexpected JPEG layout {other:?}"))),
    };
    let image = RgbImage::from_raw(sw as u32, sh as u32, rgb).ok_or_else(|| corrupt("short pixel buffer"))?;
    Ok((image, orientation))
}

/// PNG, WebP and BMP through the `image` crate.
fn decode_other(format: Format, bytes: &[u8], limits: &Limits) -> Result<(RgbImage, Orientation), Error> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(decoder_limits(limits));
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (w, h) = decoder.dimensions();
    check_dimensions(w, h, limits)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    Ok((to_rgb(image), orientation))
}

fn check_dimensions(width: u32, height: u32, limits: &Limits) -> Result<(), Error> {
    if width == 0 || height == 0 {
        return Err(corrupt("the image has no pixels"));
    }
    if width as u64 * height as u64 > limits.max_input_pixels
        || width.max(height) > limits.max_input_side
    {
        return Err(Error::DimensionsTooLarge {
            width: width.into(),
            height: height.into(),
            limit_pixels: count::signed(limits.max_input_pixels),
            limit_side: limits.max_input_side.into(),
        });
    }
    Ok(())
}

fn decoder_limits(limits: &Limits) -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.max_input_side);
    l.max_image_height = Some(limits.max_input_side);
    // A second line behind `budget::route`: the decoded image itself within the budget.
    l.max_alloc = Some(budget::DECODE_BUDGET_BYTES);
    l
}

/// Flattens any decoded layout to 8-bit RGB; transparency is composited over white paper.
fn to_rgb(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (dst, src) in out.pixels_mut().zip(rgba.pixels()) {
        let a = src[3] as u32;
        for c in 0..3 {
            dst[c] = ((src[c] as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

fn corrupt(reason: impl ToString) -> Error {
    Error::CorruptImage { reason: reason.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::document::geometry::Point;

    /// Every orientation's transform samples the stored pixel that `apply_orientation` puts there.
    #[test]
    fn upright_to_stored_agrees_with_apply_orientation() {
        let (w, h) = (5u32, 3u32);
        let stored = RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 0]));
        for orientation in [
            Orientation::NoTransforms,
            Orientation::FlipHorizontal,
            Orientation::Rotate180,
            Orientation::FlipVertical,
            Orientation::Rotate90,
            Orientation::Rotate270,
            Orientation::Rotate90FlipH,
            Orientation::Rotate270FlipH,
        ] {
            let mut image = DynamicImage::ImageRgb8(stored.clone());
            image.apply_orientation(orientation);
            let upright = image.into_rgb8();
            let map = upright_to_stored(orientation, (w, h));
            for (x, y, px) in upright.enumerate_pixels() {
                let p = map.apply(Point::new(x as f64 + 0.5, y as f64 + 0.5)).unwrap();
                assert_eq!([p.x.floor() as u8, p.y.floor() as u8], [px[0], px[1]], "{orientation:?} at {x},{y}");
            }
        }
    }
}
