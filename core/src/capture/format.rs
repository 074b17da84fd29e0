//! Recognizing an image format, and its pixel size, from the first bytes.

use serde::{Deserialize, Serialize};

/// An image format hexin decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Bmp,
}

impl Format {
    /// The lowercase name used in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Bmp => "bmp",
        }
    }

    pub(crate) fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::Webp => image::ImageFormat::WebP,
            Format::Bmp => image::ImageFormat::Bmp,
        }
    }
}

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A format hexin decodes.
    Image(Format),
    /// A recognized format hexin does not decode, by name (HEIC, PDF, …).
    Unsupported(&'static str),
    /// Nothing recognizable.
    Unknown,
}

/// Identifies the format from magic bytes; the file name plays no part.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    if at(0, &[0xFF, 0xD8, 0xFF]) {
        Sniffed::Image(Format::Jpeg)
    } else if at(0, b"\x89PNG\r\n\x1a\n") {
        Sniffed::Image(Format::Png)
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Sniffed::Image(Format::Webp)
    } else if at(0, b"BM") && bytes.len() >= 26 {
        Sniffed::Image(Format::Bmp)
    } else if at(4, b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        match brand {
            b"avif" | b"avis" => Sniffed::Unsupported("AVIF"),
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                Sniffed::Unsupported("HEIC")
            }
            _ => Sniffed::Unsupported("MP4/QuickTime"),
        }
    } else if at(0, b"%PDF") {
        Sniffed::Unsupported("PDF")
    } else if at(0, b"GIF8") {
        Sniffed::Unsupported("GIF")
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        Sniffed::Unsupported("TIFF")
    } else {
        Sniffed::Unknown
    }
}

/// Reads width and height from the header alone, without decoding, or `None` when the header
/// is truncated or malformed.
pub fn header_dimensions(format: Format, bytes: &[u8]) -> Option<(u32, u32)> {
    let le16 = |o: usize| bytes.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u32);
    let le24 = |o: usize| bytes.get(o..o + 3).map(|b| u32::from_le_bytes([b[0], b[1], b[2], 0]));
    let be32 = |o: usize| bytes.get(o..o + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let le32 = |o: usize| bytes.get(o..o + 4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    match format {
        Format::Png => (bytes.get(12..16)? == b"IHDR").then_some((be32(16)?, be32(20)?)),
        Format::Bmp => match le32(14)? {
            // BITMAPCOREHEADER (OS/2 1.x): 16-bit width and height.
            12 => Some((le16(18)?, le16(20)?)),
            _ => Some((le32(18)?.unsigned_abs(), le32(22)?.unsigned_abs())),
        },
        Format::Webp => match bytes.get(12..16)? {
            b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
            b"VP8L" => {
                let bits = le32(21)? as u32;
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            b"VP8 " => Some((le16(26)? & 0x3FFF, le16(28)? & 0x3FFF)),
            _ => None,
        },
        Format::Jpeg => {
            let (_, sof) = jpeg_sof(bytes)?;
            let be16 = |o: usize| sof.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as u32);
            Some((be16(3)?, be16(1)?))
        }
    }
}

/// A JPEG frame header (SOF): the coding, the size and each component's sampling factors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JpegFrame {
    /// The SOF marker: 0xC0/0xC1 sequential, 0xC2 progressive, others (lossless, arithmetic).
    pub coding: u8,
    pub width: u32,
    pub height: u32,
    pub components: Vec<JpegComponent>,
}

/// One component of a JPEG frame, with its sampling factors (1 to 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JpegComponent {
    pub id: u8,
    pub h: u8,
    pub v: u8,
}

impl JpegFrame {
    /// Reads the first frame header, or `None` when it is missing or malformed.
    pub fn parse(bytes: &[u8]) -> Option<JpegFrame> {
        let (marker, body) = jpeg_sof(bytes)?;
        let be16 = |o: usize| body.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as u32);
        let n = *body.get(5)? as usize;
        let components = (0..n)
            .map(|i| {
                let c = body.get(6 + 3 * i..9 + 3 * i)?;
                let (h, v) = (c[1] >> 4, c[1] & 15);
                ((1..=4).contains(&h) && (1..=4).contains(&v)).then_some(JpegComponent { id: c[0], h, v })
            })
            .collect::<Option<Vec<_>>>()?;
        (n > 0).then_some(JpegFrame { coding: marker, width: be16(3)?, height: be16(1)?, components })
    }

    pub fn progressive(&self) -> bool {
        self.coding == 0xC2
    }

    /// Samples stored per pixel, over all components (1.5 for 4:2:0 colour, 3 for 4:4:4).
    pub fn samples_per_pixel(&self) -> f64 {
        let (h, v) = self.max_sampling();
        self.components.iter().map(|c| (c.h * c.v) as f64).sum::<f64>() / (h * v) as f64
    }

    fn max_sampling(&self) -> (usize, usize) {
        let h = self.components.iter().map(|c| c.h).max().unwrap_or(1);
        let v = self.components.iter().map(|c| c.v).max().unwrap_or(1);
        (h as usize, v as usize)
    }

    /// MCUs across and down in an interleaved scan.
    pub(crate) fn mcus(&self) -> (usize, usize) {
        let (h, v) = self.max_sampling();
        ((self.width as usize).div_ceil(8 * h), (self.height as usize).div_ceil(8 * v))
    }

    /// A component's 8x8 blocks across and down (as a non-interleaved scan codes them).
    pub(crate) fn blocks(&self, c: &JpegComponent) -> (usize, usize) {
        let (h, v) = self.max_sampling();
        let w = (self.width as usize * c.h as usize).div_ceil(h);
        let ht = (self.height as usize * c.v as usize).div_ceil(v);
        (w.div_ceil(8), ht.div_ceil(8))
    }
}

/// The first frame header's marker and body (cut short if the file is).
fn jpeg_sof(bytes: &[u8]) -> Option<(u8, &[u8])> {
    let mut pos = 2;
    loop {
        let (marker, body) = jpeg_segment_at(bytes, &mut pos)?;
        if is_sof(marker) {
            return Some((marker, body));
        }
    }
}

/// Whether `marker` starts a frame (SOF0–SOF15, not DHT, JPG or DAC).
fn is_sof(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Reads the marker segment at or after `pos` (bytes before a marker are skipped, as decoders
/// do; a body the file cuts short is returned short): returns the marker and its body, and moves `pos` past the segment (for a scan header,
/// to the first byte of its entropy-coded data). Markers without a body (SOI, EOI, RSTn)
/// return an empty one.
pub(crate) fn jpeg_segment_at<'a>(bytes: &'a [u8], pos: &mut usize) -> Option<(u8, &'a [u8])> {
    while *bytes.get(*pos)? != 0xFF {
        *pos += 1;
    }
    while *bytes.get(*pos)? == 0xFF {
        *pos += 1;
    }
    let marker = *bytes.get(*pos)?;
    *pos += 1;
    if matches!(marker, 0xD8 | 0xD9 | 0x01 | 0xD0..=0xD7) {
        return Some((marker, &[]));
    }
    let len = bytes.get(*pos..*pos + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as usize)?;
    let body = &bytes[*pos + 2..(*pos + len).clamp(*pos + 2, bytes.len())];
    *pos += len.max(2);
    Some((marker, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Sniffed::Image(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Sniffed::Image(Format::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Sniffed::Image(Format::Webp));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Sniffed::Unsupported("HEIC"));
        assert_eq!(sniff(b"%PDF-1.7"), Sniffed::Unsupported("PDF"));
        assert_eq!(sniff(b""), Sniffed::Unknown);
        assert_eq!(sniff(b"hello world"), Sniffed::Unknown);
    }

    #[test]
    fn png_header_dimensions() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&60000u32.to_be_bytes());
        png.extend_from_slice(&50000u32.to_be_bytes());
        assert_eq!(header_dimensions(Format::Png, &png), Some((60000, 50000)));
        assert_eq!(header_dimensions(Format::Png, &png[..20]), None);
    }

    #[test]
    fn bmp_header_dimensions_for_both_header_layouts() {
        let os2 = b"BM\x1a\x24\0\0\0\0\0\0\x1a\0\0\0\x0c\0\0\0\x40\0\x30\0\x01\0\x18\0";
        assert_eq!(header_dimensions(Format::Bmp, os2), Some((64, 48)));
        let mut windows = b"BM\0\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0".to_vec();
        windows.extend_from_slice(&64i32.to_le_bytes());
        windows.extend_from_slice(&(-48i32).to_le_bytes()); // top-down
        assert_eq!(header_dimensions(Format::Bmp, &windows), Some((64, 48)));
    }

    #[test]
    fn jpeg_header_dimensions_survive_truncation() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0x01, 0x02, 0x03, 0x04];
        assert_eq!(header_dimensions(Format::Jpeg, &jpeg), Some((0x0304, 0x0102)));
        for n in 0..jpeg.len() - 1 {
            assert_eq!(header_dimensions(Format::Jpeg, &jpeg[..n]), None);
        }
    }
}
