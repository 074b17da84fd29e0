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
    let be16 = |o: usize| bytes.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as u32);
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
            let pos = jpeg_segment(bytes, |m| (0xC0..=0xCF).contains(&m) && !matches!(m, 0xC4 | 0xC8 | 0xCC))?;
            Some((be16(pos + 5)?, be16(pos + 3)?))
        }
    }
}

/// Whether a JPEG runs to its end-of-image marker: a file cut short in transfer decodes
/// "successfully" into a grey lower half, so truncation is judged from the bytes.
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    // Entropy-coded data never holds FF D9 (0xFF is stuffed), so the first one after the first
    // scan header ends the image; data appended after it (motion photos) is ignored.
    match jpeg_segment(bytes, |m| m == 0xDA) {
        // Searched from the end, where the marker almost always is.
        Some(scan) => bytes[scan..].windows(2).rev().any(|w| w == [0xFF, 0xD9]),
        None => false,
    }
}

/// Walks a JPEG's marker segments to the first whose marker satisfies `stop`; returns the
/// offset of that segment's length field.
fn jpeg_segment(bytes: &[u8], stop: impl Fn(u8) -> bool) -> Option<usize> {
    let mut pos = 2;
    loop {
        while *bytes.get(pos)? != 0xFF {
            pos += 1;
        }
        while *bytes.get(pos)? == 0xFF {
            pos += 1;
        }
        let marker = *bytes.get(pos)?;
        pos += 1;
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue,
            m if stop(m) => return Some(pos),
            _ => pos += bytes.get(pos..pos + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as usize)?,
        }
    }
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
