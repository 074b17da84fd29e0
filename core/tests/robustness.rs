//! Robustness: decoding and policy parsing never panic, whatever the bytes.
//!
//! `check` takes untrusted bytes straight from a phone, and `Policy::parse` takes a document a
//! host may fetch at run time. Both must answer with `Ok` or a typed error, never a panic:
//!
//! * arbitrary bytes, bare or behind each format's magic number;
//! * mutations (truncation, bit flips, byte writes, header field overwrites, splices) of small
//!   valid JPEG, PNG, WebP and BMP files generated here, so the decoders' deeper paths are reached;
//! * arbitrary strings and mutations of the embedded policy, in TOML and in JSON, and every
//!   policy that parses must then drive `check` without panicking;
//! * headers that claim huge dimensions are refused as `dimensions_too_large` before any pixel
//!   is allocated.
//!
//! Case counts keep the file well under a minute in the dev profile; `PROPTEST_CASES=n` raises
//! (or lowers) every property's count at once. The libFuzzer targets in `fuzz/` run the same
//! entry points for longer.

use std::io::Cursor;
use std::sync::OnceLock;

use hexin_core::capture::format::{header_dimensions, sniff, Format, Sniffed};
use hexin_core::{check, Code, Error, MaterialKind, Policy};
use hexin_testing::{invariants, synthetic};
use image::codecs::bmp::BmpEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageBuffer, Luma, RgbImage, RgbaImage};
use proptest::prelude::*;
use proptest::sample::Index;

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(Policy::icp_default)
}

/// Cases per property: `default`, unless `PROPTEST_CASES` says otherwise.
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    ProptestConfig::with_cases(n)
}

fn any_kind() -> impl Strategy<Value = MaterialKind> {
    prop::sample::select(MaterialKind::ALL.to_vec())
}

/// Runs `check` and asserts its answer keeps the shared invariants
/// ([`invariants::assert_check`]). A panic, inside `check` or in an assertion, fails the case
/// (proptest catches it and shrinks the input).
fn assert_graceful(bytes: &[u8], kind: MaterialKind, policy: &Policy) {
    invariants::assert_check(bytes, kind, policy, &check(bytes, kind, policy));
}

fn code_of(result: Result<hexin_core::Report, Error>) -> Option<Code> {
    result.err().map(|e| e.code())
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&out[4..]).to_be_bytes());
    out
}

/// Rewrites the CRC of every complete PNG chunk, so a mutation reaches the decoder instead of
/// stopping at the checksum.
fn fix_png_crcs(bytes: &mut [u8]) {
    let mut p = 8;
    while p + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[p..p + 4].try_into().unwrap()) as usize;
        let Some(end) = (p + 8).checked_add(len).filter(|&e| e + 4 <= bytes.len()) else { break };
        let crc = crc32(&bytes[p + 4..end]);
        bytes[end..end + 4].copy_from_slice(&crc.to_be_bytes());
        p = end + 4;
    }
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// A big-endian TIFF (EXIF) block holding only an orientation tag.
fn exif_tiff(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes());
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0; 6]);
    tiff
}

// ---------------------------------------------------------------------------------------------
// Valid seed files
// ---------------------------------------------------------------------------------------------

/// A header field a mutation may overwrite: offset, width in bytes, endianness.
#[derive(Debug, Clone, Copy)]
struct Field {
    at: usize,
    len: usize,
    big_endian: bool,
}

impl Field {
    fn be(at: usize, len: usize) -> Field {
        Field { at, len, big_endian: true }
    }
    fn le(at: usize, len: usize) -> Field {
        Field { at, len, big_endian: false }
    }
    fn write(self, bytes: &mut [u8], value: u32) {
        let le = value.to_le_bytes();
        for i in 0..self.len.min(4) {
            let b = if self.big_endian { le[self.len - 1 - i] } else { le[i] };
            if let Some(slot) = bytes.get_mut(self.at + i) {
                *slot = b;
            }
        }
    }
}

struct Seed {
    name: &'static str,
    format: Format,
    bytes: Vec<u8>,
    /// Header fields worth overwriting (sizes, dimensions, lengths, modes).
    fields: Vec<Field>,
}

const SEED_W: u32 = 64;
const SEED_H: u32 = 48;

/// A lossy WebP (simple `VP8 ` file), 32x24, made with `cwebp -q 40`: the `image` crate only
/// encodes lossless WebP.
const WEBP_LOSSY: &str = "
52494646b60000005745425056503820aa0000007007009d012a200018003ee964a54da925a322300c01201d096c009d
328482c8aeb805b0ce0485bf456f43bfd4d0367fbc62d0415fffc23b4d9e68794ec837b1b2e2640000feec3a5e1c2f32
fccd3d7ed64d2ffb2ff08966f57793304eba63f83295283548a277b9443355712cd98970859272e73640e48b3ff74fe5
3f8b9a6b74f8c3cfa80ef5244cf227668136649d60ff7555c82c59bad7fa75ab8dc375bde2d6df580e0649900000";

/// A lossy WebP with an alpha plane (`VP8X` + `ALPH` + `VP8 `), 32x24, made with
/// `cwebp -q 40 -alpha_q 50`.
const WEBP_LOSSY_ALPHA: &str = "
524946460601000057454250565038580a000000100000001f0000170000414c504830000000110ff094ff8888a02000
c886dd18aa8a269204637f6b10d1ff09b07b52b32a6691cd105600ed03822d229b553123b57356503820b0000000b006
009d012a200018003eed66aa4da9a5a422300801301d896c009d32847998aeb805b0ce041a8792aa5fe547fe9bfa7b4d
46176d61f6e650747f50490000feec407215992fe32786a9aaff243b6dc2ab18675eeb4af4cf88aecec460ffd5e2ea3c
9dedcab7def055ffdc7fff7aa37d8532e80d1beac1ab9971bcf1dfe8eb8075f8c9747b6fa78373d3e9ac675cd4fb152c
8c33bed8eb6e8279266221aab7f7ac60c6962776d35adbeb01c0d15a0000";

fn seed_rgb() -> RgbImage {
    synthetic::noisy(synthetic::document(synthetic::Scene::new(SEED_W, SEED_H)), 3.0, 11)
}

fn seed_rgba() -> RgbaImage {
    let rgb = seed_rgb();
    RgbaImage::from_fn(SEED_W, SEED_H, |x, y| {
        let p = rgb.get_pixel(x, y);
        image::Rgba([p[0], p[1], p[2], ((x * 4 + y * 3) % 256) as u8])
    })
}

fn encoded(image: DynamicImage, encode: impl FnOnce(&DynamicImage, &mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    encode(&image, &mut out);
    out
}

fn jpeg_with(image: &RgbImage, setup: impl FnOnce(&mut jpeg_encoder::Encoder<&mut Vec<u8>>)) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 85);
    setup(&mut enc);
    enc.encode(image.as_raw(), image.width() as u16, image.height() as u16, jpeg_encoder::ColorType::Rgb)
        .expect("encode JPEG seed");
    out
}

fn jpeg_cmyk(image: &RgbImage) -> Vec<u8> {
    let cmyk: Vec<u8> = image.pixels().flat_map(|p| [255 - p[0], 255 - p[1], 255 - p[2], 0]).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&cmyk, image.width() as u16, image.height() as u16, jpeg_encoder::ColorType::Cmyk)
        .expect("encode CMYK JPEG seed");
    out
}

/// A PNG with extra ancillary chunks after IHDR: an EXIF orientation and a text chunk.
fn png_with_metadata(png: &[u8]) -> Vec<u8> {
    let ihdr_end = 8 + 8 + 13 + 4;
    let mut out = png[..ihdr_end].to_vec();
    out.extend(png_chunk(b"eXIf", &exif_tiff(6)));
    out.extend(png_chunk(b"tEXt", b"Comment\0hexin robustness seed"));
    out.extend_from_slice(&png[ihdr_end..]);
    out
}

/// Wraps a simple lossless WebP (`VP8L`) in an extended container with an EXIF chunk.
fn webp_extended_with_exif(simple: &[u8], (w, h): (u32, u32)) -> Vec<u8> {
    let mut vp8x = vec![0x08, 0, 0, 0]; // flags: EXIF
    vp8x.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    fn chunk(body: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        body.extend_from_slice(kind);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut body = b"WEBP".to_vec();
    chunk(&mut body, b"VP8X", &vp8x);
    body.extend_from_slice(&simple[12..]); // the VP8L chunk as it was
    let mut exif = exif_tiff(3);
    exif.push(0); // 27 bytes: odd, so the chunk is padded
    chunk(&mut body, b"EXIF", &exif);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// An 8-bit RLE-compressed BMP (which no encoder here writes), with encoded and absolute runs.
fn bmp_rle8() -> Vec<u8> {
    let (w, h) = (SEED_W as i32, SEED_H as i32);
    let palette: [[u8; 4]; 4] = [[0, 0, 0, 0], [40, 80, 200, 0], [220, 220, 220, 0], [30, 30, 180, 0]];
    let mut data = Vec::new();
    for y in 0..h as u8 {
        data.extend_from_slice(&[0, 4, y % 4, (y + 1) % 4, (y + 2) % 4, (y + 3) % 4]); // absolute
        data.extend_from_slice(&[28, 1, 32, 2]); // encoded runs
        data.extend_from_slice(&[0, 0]); // end of line
    }
    data.extend_from_slice(&[0, 1]); // end of bitmap
    let offset = 14 + 40 + 4 * palette.len() as u32;
    let mut out = b"BM".to_vec();
    out.extend_from_slice(&(offset + data.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&offset.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&w.to_le_bytes());
    out.extend_from_slice(&h.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // planes
    out.extend_from_slice(&8u16.to_le_bytes()); // bits per pixel
    out.extend_from_slice(&1u32.to_le_bytes()); // BI_RLE8
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0; 8]); // resolution
    out.extend_from_slice(&(palette.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    palette.iter().for_each(|c| out.extend_from_slice(c));
    out.extend(data);
    out
}

fn jpeg_fields(bytes: &[u8]) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut m = 2;
    while m + 4 <= bytes.len() && bytes[m] == 0xFF {
        let marker = bytes[m + 1];
        let len = u16::from_be_bytes([bytes[m + 2], bytes[m + 3]]) as usize;
        fields.push(Field::be(m + 2, 2));
        match marker {
            0xC0..=0xC2 => {
                fields.extend([Field::be(m + 4, 1), Field::be(m + 5, 2), Field::be(m + 7, 2), Field::be(m + 9, 1)]);
                let n = bytes.get(m + 9).copied().unwrap_or(0) as usize;
                fields.extend((0..n).flat_map(|i| [Field::be(m + 11 + 3 * i, 1), Field::be(m + 12 + 3 * i, 1)]));
            }
            0xDA => {
                let n = bytes.get(m + 4).copied().unwrap_or(0) as usize;
                fields.push(Field::be(m + 4, 1));
                fields.extend((0..n).map(|i| Field::be(m + 6 + 2 * i, 1)));
                fields.extend((0..3).map(|i| Field::be(m + 5 + 2 * n + i, 1)));
                break; // entropy-coded data follows
            }
            0xDB | 0xC4 => fields.push(Field::be(m + 4, 1)),
            0xDD => fields.push(Field::be(m + 4, 2)),
            _ => {}
        }
        m += 2 + len;
    }
    fields
}

fn png_fields(bytes: &[u8]) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut p = 8;
    while p + 12 <= bytes.len() {
        fields.push(Field::be(p, 4));
        if &bytes[p + 4..p + 8] == b"IHDR" {
            fields.extend([Field::be(p + 8, 4), Field::be(p + 12, 4)]);
            fields.extend((16..21).map(|o| Field::be(p + o, 1)));
        }
        p += 12 + u32::from_be_bytes(bytes[p..p + 4].try_into().unwrap()) as usize;
    }
    fields
}

fn webp_fields(bytes: &[u8]) -> Vec<Field> {
    let mut fields = vec![Field::le(4, 4)];
    let mut p = 12;
    while p + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[p + 4..p + 8].try_into().unwrap()) as usize;
        fields.push(Field::le(p + 4, 4));
        let d = p + 8;
        match &bytes[p..p + 4] {
            b"VP8 " => fields.extend([Field::le(d, 3), Field::le(d + 6, 2), Field::le(d + 8, 2)]),
            b"VP8L" => fields.extend([Field::le(d, 1), Field::le(d + 1, 4)]),
            b"VP8X" => fields.extend([Field::le(d, 1), Field::le(d + 4, 3), Field::le(d + 7, 3)]),
            b"ALPH" => fields.push(Field::le(d, 1)),
            _ => {}
        }
        p = d + size + (size & 1);
    }
    fields
}

fn bmp_fields() -> Vec<Field> {
    // File size, data offset, header size, width, height, planes, bits per pixel, compression,
    // image size, colours used.
    [(2, 4), (10, 4), (14, 4), (18, 4), (22, 4), (26, 2), (28, 2), (30, 4), (34, 4), (46, 4)]
        .into_iter()
        .map(|(at, len)| Field::le(at, len))
        .collect()
}

fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let rgb = seed_rgb();
        let rgba = seed_rgba();
        let dyn_rgb = DynamicImage::ImageRgb8(rgb.clone());
        let dyn_rgba = DynamicImage::ImageRgba8(rgba.clone());
        let gray = DynamicImage::ImageLuma8(dyn_rgb.to_luma8());
        let gray16: ImageBuffer<Luma<u16>, Vec<u16>> =
            ImageBuffer::from_fn(SEED_W, SEED_H, |x, y| Luma([(x * 1000 + y * 37) as u16]));
        let gray16 = DynamicImage::ImageLuma16(gray16);

        let jpeg = |img: DynamicImage| {
            encoded(img, |i, out| i.write_with_encoder(JpegEncoder::new_with_quality(out, 90)).unwrap())
        };
        let png = |img: DynamicImage| encoded(img, |i, out| i.write_with_encoder(PngEncoder::new(out)).unwrap());
        let webp =
            |img: DynamicImage| encoded(img, |i, out| i.write_with_encoder(WebPEncoder::new_lossless(out)).unwrap());
        let bmp = |img: DynamicImage| {
            encoded(img, |i, out| i.write_with_encoder(BmpEncoder::new(&mut Cursor::new(out))).unwrap())
        };

        let jpeg_rgb = jpeg(dyn_rgb.clone());
        let png_rgb = png(dyn_rgb.clone());
        let webp_rgb = webp(dyn_rgb.clone());
        let files: Vec<(&'static str, Format, Vec<u8>)> = vec![
            ("jpeg-baseline-rgb", Format::Jpeg, jpeg_rgb.clone()),
            ("jpeg-gray", Format::Jpeg, jpeg(gray.clone())),
            ("jpeg-exif-orientation-6", Format::Jpeg, synthetic::with_exif_orientation(&jpeg_rgb, 6)),
            ("jpeg-progressive", Format::Jpeg, jpeg_with(&rgb, |e| e.set_progressive(true))),
            (
                "jpeg-restart-444",
                Format::Jpeg,
                jpeg_with(&rgb, |e| {
                    e.set_restart_interval(2);
                    e.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
                }),
            ),
            ("jpeg-cmyk", Format::Jpeg, jpeg_cmyk(&rgb)),
            ("png-rgb8", Format::Png, png_rgb.clone()),
            ("png-rgba8", Format::Png, png(dyn_rgba.clone())),
            ("png-gray16", Format::Png, png(gray16)),
            ("png-exif-text", Format::Png, png_with_metadata(&png_rgb)),
            ("webp-lossless-rgb", Format::Webp, webp_rgb.clone()),
            ("webp-lossless-rgba", Format::Webp, webp(dyn_rgba.clone())),
            ("webp-extended-exif", Format::Webp, webp_extended_with_exif(&webp_rgb, (SEED_W, SEED_H))),
            ("webp-lossy", Format::Webp, hex(WEBP_LOSSY)),
            ("webp-lossy-alpha", Format::Webp, hex(WEBP_LOSSY_ALPHA)),
            ("bmp-rgb24", Format::Bmp, bmp(dyn_rgb)),
            ("bmp-rgba32", Format::Bmp, bmp(dyn_rgba)),
            ("bmp-gray8-palette", Format::Bmp, bmp(gray)),
            ("bmp-rle8", Format::Bmp, bmp_rle8()),
        ];
        files
            .into_iter()
            .map(|(name, format, bytes)| {
                let fields = match format {
                    Format::Jpeg => jpeg_fields(&bytes),
                    Format::Png => png_fields(&bytes),
                    Format::Webp => webp_fields(&bytes),
                    Format::Bmp => bmp_fields(),
                };
                Seed { name, format, bytes, fields }
            })
            .collect()
    })
}

#[test]
fn seeds_are_valid_images() {
    for seed in seeds() {
        let want = if seed.name.starts_with("webp-lossy") { (32, 24) } else { (SEED_W, SEED_H) };
        assert_eq!(sniff(&seed.bytes), Sniffed::Image(seed.format), "{}", seed.name);
        assert_eq!(header_dimensions(seed.format, &seed.bytes), Some(want), "{}", seed.name);
        assert!(seed.fields.len() >= 4, "{}: only {} header fields found", seed.name, seed.fields.len());
        let report = check(&seed.bytes, MaterialKind::IdCardFront, policy())
            .unwrap_or_else(|e| panic!("{} does not decode: {e}", seed.name));
        // Far below 800x600: read fine, then rejected on resolution.
        let frame = report.document.as_ref().map_or(report.metrics, |d| d.frame_metrics);
        let (w, h) = (frame.width as u32, frame.height as u32);
        let turned = ["jpeg-exif-orientation-6", "png-exif-text"].contains(&seed.name);
        let want = if turned { (want.1, want.0) } else { want };
        assert_eq!((w, h), want, "{}", seed.name);
        assert!(report.findings.iter().any(|f| f.code == Code::ResolutionTooLow), "{}", seed.name);
    }
}

// ---------------------------------------------------------------------------------------------
// (a) Arbitrary bytes
// ---------------------------------------------------------------------------------------------

/// Magic numbers that route bytes into each decoder (or into a named refusal).
const MAGICS: &[&[u8]] = &[
    b"\xFF\xD8\xFF",
    b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00",
    b"\xFF\xD8\xFF\xC0",
    b"\x89PNG\r\n\x1a\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    b"RIFF\x00\x10\x00\x00WEBPVP8 ",
    b"RIFF\x00\x10\x00\x00WEBPVP8L",
    b"RIFF\x00\x10\x00\x00WEBPVP8X",
    b"BM",
    b"BM\x00\x10\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00",
    b"\x00\x00\x00\x18ftypheic",
    b"\x00\x00\x00\x18ftypavif",
    b"%PDF-1.7",
    b"GIF89a",
    b"II*\x00",
];

proptest! {
    #![proptest_config(cases(4000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048), kind in any_kind()) {
        assert_graceful(&bytes, kind, policy());
        if !matches!(sniff(&bytes), Sniffed::Image(_)) {
            prop_assert!(check(&bytes, kind, policy()).is_err());
        }
    }

    #[test]
    fn arbitrary_bytes_behind_a_magic_number_never_panic(
        magic in prop::sample::select(MAGICS.to_vec()),
        tail in prop::collection::vec(any::<u8>(), 0..1024),
        kind in any_kind(),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend(tail);
        assert_graceful(&bytes, kind, policy());
    }
}

// ---------------------------------------------------------------------------------------------
// (b) Mutations of valid files
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Mutation {
    /// Keep only a prefix.
    Truncate(Index),
    /// XOR one byte with a non-zero mask.
    Flip(Index, u8),
    /// Overwrite one byte anywhere.
    Set(Index, u8),
    /// Overwrite one byte among the first 128 (the headers).
    SetInHeader(Index, u8),
    /// Overwrite a header field (dimension, length, mode) with a chosen value.
    Field(Index, u32),
    /// Remove a run of bytes.
    Remove(Index, usize),
    /// Insert bytes.
    Insert(Index, Vec<u8>),
    /// Copy a run of bytes over another place (splices markers and chunks).
    Copy { from: Index, to: Index, len: usize },
}

/// Values that break parsers: zero, one, sign and width boundaries, the policy's limits.
fn field_value() -> impl Strategy<Value = u32> {
    prop_oneof![
        prop::sample::select(vec![
            0u32, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, 256, 0x3FFF, 0x4000,
            0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 20_000, 20_001, 60_000, 0x7F_FFFF, 0xFF_FFFF, 0x7FFF_FFFF,
            0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFF,
        ]),
        any::<u32>(),
        0u32..300,
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Truncate),
        3 => (any::<Index>(), 1u8..=255).prop_map(|(i, m)| Mutation::Flip(i, m)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, v)| Mutation::Set(i, v)),
        3 => (any::<Index>(), any::<u8>()).prop_map(|(i, v)| Mutation::SetInHeader(i, v)),
        4 => (any::<Index>(), field_value()).prop_map(|(i, v)| Mutation::Field(i, v)),
        1 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Remove(i, n)),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => (any::<Index>(), any::<Index>(), 1usize..64).prop_map(|(from, to, len)| Mutation::Copy { from, to, len }),
    ]
}

fn apply(seed: &Seed, mutations: &[Mutation], fix_crc: bool) -> Vec<u8> {
    let mut b = seed.bytes.clone();
    for m in mutations {
        if b.is_empty() {
            break;
        }
        let n = b.len();
        match m {
            Mutation::Truncate(i) => b.truncate(i.index(n)),
            Mutation::Flip(i, mask) => b[i.index(n)] ^= mask,
            Mutation::Set(i, v) => b[i.index(n)] = *v,
            Mutation::SetInHeader(i, v) => b[i.index(n.min(128))] = *v,
            Mutation::Field(i, v) => i.get(&seed.fields).write(&mut b, *v),
            Mutation::Remove(i, len) => {
                let at = i.index(n);
                b.drain(at..(at + len).min(n));
            }
            Mutation::Insert(i, bytes) => {
                let at = i.index(n + 1);
                b.splice(at..at, bytes.iter().copied());
            }
            Mutation::Copy { from, to, len } => {
                let (from, to) = (from.index(n), to.index(n));
                let len = (*len).min(n - from).min(n - to);
                b.copy_within(from..from + len, to);
            }
        }
    }
    if fix_crc && seed.format == Format::Png {
        fix_png_crcs(&mut b);
    }
    b
}

fn seed_index() -> impl Strategy<Value = usize> {
    0..seeds().len()
}

proptest! {
    #![proptest_config(cases(10000))]

    #[test]
    fn mutated_valid_files_never_panic(
        seed in seed_index(),
        mutations in prop::collection::vec(mutation(), 1..5),
        fix_crc in any::<bool>(),
        kind in any_kind(),
    ) {
        let bytes = apply(&seeds()[seed], &mutations, fix_crc);
        assert_graceful(&bytes, kind, policy());
    }
}

proptest! {
    #![proptest_config(cases(3000))]

    #[test]
    fn truncated_valid_files_never_panic(seed in seed_index(), cut in any::<Index>(), kind in any_kind()) {
        let seed = &seeds()[seed];
        let bytes = &seed.bytes[..cut.index(seed.bytes.len())];
        assert_graceful(bytes, kind, policy());
        if bytes.is_empty() {
            prop_assert_eq!(code_of(check(bytes, kind, policy())), Some(Code::CorruptImage));
        }
    }

    #[test]
    fn overwritten_dimensions_never_panic(
        seed in seed_index(),
        field in any::<Index>(),
        value in field_value(),
        kind in any_kind(),
    ) {
        let seed = &seeds()[seed];
        let mutation = Mutation::Field(field, value);
        let bytes = apply(seed, std::slice::from_ref(&mutation), true);
        assert_graceful(&bytes, kind, policy());
    }
}

/// Every cut inside the first 200 bytes (where parsers read lengths and sizes), for every seed:
/// never a panic, and a cut before the dimensions are known is refused as corrupt.
#[test]
fn every_short_truncation_is_refused_or_read() {
    for seed in seeds() {
        for n in 0..seed.bytes.len().min(200) {
            let bytes = &seed.bytes[..n];
            let result = check(bytes, MaterialKind::Other, policy());
            if let Err(e) = &result {
                assert!(invariants::INTAKE_CODES.contains(&e.code()), "{} cut at {n}: {e}", seed.name);
            }
            if n < 26 || header_dimensions(seed.format, bytes).is_none() {
                assert_eq!(code_of(result), Some(Code::CorruptImage), "{} cut at {n}", seed.name);
            }
        }
    }
}

/// Found by `fuzz/` (target `check`): JPEGs that make zune-jpeg 0.5.15 panic. The first (414
/// bytes, four components with an odd sampling layout) hits an `unwrap()` on `None` in the AVX2
/// IDCT (idct/avx2.rs:246) even in strict mode; the second (642 bytes) failed an assertion in
/// the AVX2 upsampler (upsampler/avx2.rs:184) under lenient decoding and is now refused by strict
/// mode. Both once escaped `check`; hexin-core now runs decoders under `catch_unwind`.
/// zune-jpeg 0.5.16-rc3 decodes the first without panicking.
#[test]
fn jpegs_that_panic_zune_jpeg_0_5_15_are_handled() {
    for (name, hex_bytes, len) in [("idct", ZUNE_IDCT_PANIC, 414), ("upsampler", ZUNE_UPSAMPLER_PANIC, 642)] {
        let jpeg = hex(hex_bytes);
        assert_eq!(jpeg.len(), len, "{name}");
        let result = std::panic::catch_unwind(|| check(&jpeg, MaterialKind::VerificationForm, policy()).map(|_| ()));
        match result {
            Err(_) => panic!("{name}: check panicked"),
            Ok(Err(e)) => assert!(invariants::INTAKE_CODES.contains(&e.code()), "{name}: {e}"),
            Ok(Ok(())) => {}
        }
    }
}

const ZUNE_IDCT_PANIC: &str = "
ffd8ffe000104a4649000100010000ff41640000ffc00014080030004004001101011101021101032200ffdb00430005
03040404030504040405050506070c08070707070f0b0b090c110f12110f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f
7f7f7f7f13172224221e241c1e1f1effdb0043010505050706070e08080e1e1411141e1e1e1e1e1e1e1e1e1e1e1e1e1e
1e1e1e1effffff121e1e1e1e1e1e1e1e21001e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1effc4001f0000010501010101
010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000405
120a41b7e21451457fffd9ffd9dae2e3e4e5e6e7b7e21451457fffd9ffd9f9faffda000c03010002000000003f00e40a
41b7e2145145ffd9ffd9e6e7e8e9eaf2f3f4f2f3f4f5f6f7f8f9faffda000c03010002110311003f00e40a41b7e21451
457fffd9ffd9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fada000c03010002110311003f00e40a41b7e21451457fff
d9ffd951457fffd9ffd9f9faffda000c03010002000000003f00e4d9ffd9";

const ZUNE_UPSAMPLER_PANIC: &str = "
ffd8ff000001000100000400ffc00014080030004004001101011101021101032200ffdb004300054d4d002a03050404
0405050506070c08070707070f0b0b090c110f1212110f111113161c1713141a1511111821181a1d1d1f1f1f13172224
221e241c1e1f1effdb0043010505050706070e08080e1e1411141e1e1e1e1e1e1e1e1e1e1e1e0000001b1e1e1e1e1e1e
1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e010002001effc4001f00000105010101010101000000000000
00000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411040400000100ffdb
00e000104a46494600010200000100010000ffc00011080030004003001100011101021101ffdb004300050304040403
0504040405050506070c08070707070f0b0b090c110f1212110f111113161c1713141a15111118706e671d1d1f1f1f13
172224221e241c1e1f1effdb0043010505050706070e08080efef8ff0000feecffdae1e2e3e4e5e6e7e8e9f1f2f3f4f6
f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708090a0bffc400b511000201020404
030407050404000102770001020311040521310612af7bf2f92ec7ccf16f7665726578706f73e6eb7bdede4bb700007b
978fe2fe0000000000d90000defcbe4bb7e21469ffd9f93fff00687d3ffc4526ddbeabff0093ff00f681451457cb714f
16ff00ac1ec97b2fcdf6af7bf2f92ec7ccf16f7665726578706f73e6eb7bdede4bb700007b978fe2fe0000000000d900
00defcbe4bb7e21469ffd9e9eaf2f3f4f5f6f7f8f9faffdd00040002ffda000c03000001110211020103024dffe00010
46494601f92ec7ccf17200defcbe4b69ffd9";

// ---------------------------------------------------------------------------------------------
// (c) Policies
// ---------------------------------------------------------------------------------------------

/// Replacements and insertions that stress a policy's types and ranges.
const POLICY_TOKENS: &[&str] = &[
    "", "0", "-1", "1", "0.0", "1.0000001", "-0.0", "255.0001", "65535", "65536", "4294967295", "4294967296",
    "18446744073709551615", "18446744073709551616", "1e400", "-1e400", "nan", "inf", "-inf", "NaN", "Infinity",
    "true", "false", "null", "\"\"", "\"jpeg\"", "\"gif\"", "\"warn\"", "\"fatal\"", "[]", "{}", "[\"bmp\"]",
    "{ min = 0, max = 101 }", "{ min = 92, max = 50 }", "{ zh = \"\", en = \"\" }", "[defaults]", "[limits]",
    "[materials.other]", "[materials.passport]", "[[defaults]]", "[materials.face-photo.checks]", "=", "\"",
    "'''", "\"\"\"", "#", "\n", "\r\n", "\\u0000", "\u{0}", "\u{feff}", "é", "身份证", ",", ":", "{", "}", "[", "]",
    "schema = 1", "id = \"\"", "version = -1", "1979-05-27T07:32:00Z", "0x10", "0o7", "0b1", "1_000", "_1",
];

#[derive(Debug, Clone)]
enum PolicyEdit {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    /// Replace one numeric literal.
    ReplaceNumber(Index, &'static str),
    /// Replace the value after one `=` or `:`.
    ReplaceValue(Index, &'static str),
    Insert(Index, &'static str),
    Truncate(Index),
    /// Overwrite one character.
    SetChar(Index, char),
}

fn policy_edit() -> impl Strategy<Value = PolicyEdit> {
    let token = || prop::sample::select(POLICY_TOKENS.to_vec());
    prop_oneof![
        1 => any::<Index>().prop_map(PolicyEdit::DeleteLine),
        1 => any::<Index>().prop_map(PolicyEdit::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| PolicyEdit::SwapLines(a, b)),
        3 => (any::<Index>(), token()).prop_map(|(i, t)| PolicyEdit::ReplaceNumber(i, t)),
        3 => (any::<Index>(), token()).prop_map(|(i, t)| PolicyEdit::ReplaceValue(i, t)),
        2 => (any::<Index>(), token()).prop_map(|(i, t)| PolicyEdit::Insert(i, t)),
        1 => any::<Index>().prop_map(PolicyEdit::Truncate),
        1 => (any::<Index>(), any::<char>()).prop_map(|(i, c)| PolicyEdit::SetChar(i, c)),
    ]
}

/// Byte ranges of numeric literals (digits with `_`, `.`, `e`, signs).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'-' | b'+')) {
                i += 1;
            }
            spans.push((start, i));
        } else {
            i += 1;
        }
    }
    spans
}

/// Byte ranges of the values after `=` (TOML) or `": "` (JSON), up to the end of the line.
fn values(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(eq) = body.find(" = ").map(|p| p + 3).or_else(|| body.find("\": ").map(|p| p + 3)) {
            let end = body.trim_end_matches(',').len();
            if eq <= end {
                spans.push((line_start + eq, line_start + end));
            }
        }
        line_start += line.len();
    }
    spans
}

fn char_boundary(text: &str, i: &Index) -> usize {
    let mut at = i.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn edit_policy(source: &str, edits: &[PolicyEdit]) -> String {
    let mut text = source.to_string();
    for edit in edits {
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        match edit {
            PolicyEdit::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i.index(lines.len()));
                text = lines.concat();
            }
            PolicyEdit::DuplicateLine(i) if !lines.is_empty() => {
                let at = i.index(lines.len());
                lines.insert(at, lines[at].clone());
                text = lines.concat();
            }
            PolicyEdit::SwapLines(a, b) if !lines.is_empty() => {
                let n = lines.len();
                lines.swap(a.index(n), b.index(n));
                text = lines.concat();
            }
            PolicyEdit::ReplaceNumber(i, token) => {
                let spans = numbers(&text);
                if !spans.is_empty() {
                    let (s, e) = *i.get(&spans);
                    text.replace_range(s..e, token);
                }
            }
            PolicyEdit::ReplaceValue(i, token) => {
                let spans = values(&text);
                if !spans.is_empty() {
                    let (s, e) = *i.get(&spans);
                    text.replace_range(s..e, token);
                }
            }
            PolicyEdit::Insert(i, token) => {
                let at = char_boundary(&text, i);
                text.insert_str(at, token);
            }
            PolicyEdit::Truncate(i) => {
                let at = char_boundary(&text, i);
                text.truncate(at);
            }
            PolicyEdit::SetChar(i, c) => {
                let at = char_boundary(&text, i);
                if at < text.len() {
                    let len = text[at..].chars().next().unwrap().len_utf8();
                    text.replace_range(at..at + len, c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
    }
    text
}

/// The embedded policy as JSON, which `Policy::parse` also reads.
fn json_source() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let doc: toml::Value = toml::from_str(Policy::icp_default_source()).unwrap();
        serde_json::to_string_pretty(&doc).unwrap()
    })
}

/// Parses `text` and asserts the answer keeps the shared invariants
/// ([`invariants::assert_parsed`]): `invalid_policy`, or a policy `check` can run under.
fn parse_gracefully(text: &str) -> Option<Policy> {
    let parsed = Policy::parse(text);
    invariants::assert_parsed(&parsed);
    parsed.ok()
}

proptest! {
    #![proptest_config(cases(4000))]

    #[test]
    fn arbitrary_strings_never_panic_the_policy_parser(text in any::<String>()) {
        parse_gracefully(&text);
    }

    #[test]
    fn policy_shaped_strings_never_panic_the_policy_parser(
        text in r#"(\{|\[|schema = 1\n|id = "x"\n|version = 1\n|\[limits\]\n|\[defaults\]\n|[a-z_.]{1,12} = [-0-9.e"{}\[\],a-z ]{0,12}\n|"[a-z_]{1,10}": |[\n ,:"{}\[\]0-9])*"#,
    ) {
        parse_gracefully(&text);
    }
}

proptest! {
    #![proptest_config(cases(4000))]

    #[test]
    fn mutated_policies_never_panic(
        json in any::<bool>(),
        edits in prop::collection::vec(policy_edit(), 1..4),
    ) {
        let source = if json { json_source() } else { Policy::icp_default_source() };
        parse_gracefully(&edit_policy(source, &edits));
    }
}

proptest! {
    #![proptest_config(cases(2000))]

    /// A policy that parses must be usable: `check` under it never panics. Only value edits, so
    /// most mutants still parse and reach the pipeline with unusual limits and ranges.
    #[test]
    fn every_parsed_policy_drives_check_without_panicking(
        json in any::<bool>(),
        edits in prop::collection::vec(
            (any::<Index>(), prop::sample::select(POLICY_TOKENS.to_vec()))
                .prop_map(|(i, t)| PolicyEdit::ReplaceNumber(i, t)),
            1..4,
        ),
        seed in seed_index(),
        kind in any_kind(),
    ) {
        let source = if json { json_source() } else { Policy::icp_default_source() };
        if let Some(p) = parse_gracefully(&edit_policy(source, &edits)) {
            assert_graceful(&seeds()[seed].bytes, kind, &p);
        }
    }
}

/// Policies at the edges of what validation allows still drive `check` on every seed.
#[test]
fn extreme_valid_policies_drive_check() {
    let src = Policy::icp_default_source();
    let variants = [
        src.replace("min_short_side = 600", "min_short_side = 0")
            .replace("min_long_side = 800", "min_long_side = 0")
            .replace("output_long_side = 2048", "output_long_side = 0"),
        src.replace("min_short_side = 600", "min_short_side = 1")
            .replace("min_long_side = 800", "min_long_side = 1")
            .replace("output_long_side = 2048", "output_long_side = 1"),
        src.replace("output_long_side = 2048", "output_long_side = 65535"),
        src.replace("jpeg_quality = { min = 50, max = 92 }", "jpeg_quality = { min = 1, max = 1 }"),
        src.replace("jpeg_quality = { min = 50, max = 92 }", "jpeg_quality = { min = 100, max = 100 }")
            .replace("output_max_bytes = 2_000_000", "output_max_bytes = 10_000"),
        src.replace("max_input_pixels = 50_000_000", "max_input_pixels = 1")
            .replace("max_input_side = 20_000", "max_input_side = 1"),
        src.replace("max_input_pixels = 50_000_000", "max_input_pixels = 9007199254740991")
            .replace("max_input_side = 20_000", "max_input_side = 4294967295"),
        src.replace("max_input_bytes = 40_000_000", "max_input_bytes = 1"),
    ];
    for (i, text) in variants.iter().enumerate() {
        assert_ne!(text, src, "variant {i} did not change the policy");
        let p = Policy::parse(text).unwrap_or_else(|e| panic!("variant {i}: {e}"));
        for seed in seeds() {
            for kind in [MaterialKind::IdCardFront, MaterialKind::Other] {
                invariants::assert_check(&seed.bytes, kind, &p, &check(&seed.bytes, kind, &p));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (d) Huge claimed dimensions are refused from the header
// ---------------------------------------------------------------------------------------------

/// A PNG whose IHDR claims `width` x `height` (8-bit RGB), followed by a tiny valid IDAT (an
/// empty stored zlib block) and IEND, all with correct CRCs.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", &[0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

/// The baseline JPEG seed with its frame header rewritten to `width` x `height`.
fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = seeds()[0].bytes.clone();
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).expect("baseline JPEG has SOF0");
    jpeg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    jpeg
}

/// The 24-bit BMP seed with its header rewritten to `width` x `height` (negative: top-down).
fn bmp_claiming(width: i32, height: i32) -> Vec<u8> {
    let mut bmp = seeds().iter().find(|s| s.name == "bmp-rgb24").unwrap().bytes.clone();
    bmp[18..22].copy_from_slice(&width.to_le_bytes());
    bmp[22..26].copy_from_slice(&height.to_le_bytes());
    bmp
}

/// An extended WebP whose VP8X canvas claims `width` x `height`, around the lossless seed.
fn webp_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut webp = webp_extended_with_exif(&seeds().iter().find(|s| s.name == "webp-lossless-rgb").unwrap().bytes, (SEED_W, SEED_H));
    webp[24..27].copy_from_slice(&(width - 1).to_le_bytes()[..3]);
    webp[27..30].copy_from_slice(&(height - 1).to_le_bytes()[..3]);
    webp
}

#[test]
fn png_claiming_60000_by_60000_is_refused_as_too_large() {
    let png = png_claiming(60_000, 60_000);
    assert_eq!(header_dimensions(Format::Png, &png), Some((60_000, 60_000)));
    for kind in MaterialKind::ALL {
        match check(&png, kind, policy()) {
            Err(Error::DimensionsTooLarge { width, height, .. }) => assert_eq!((width, height), (60_000, 60_000)),
            other => panic!("{kind}: expected dimensions_too_large, got {other:?}"),
        }
    }
}

#[test]
fn every_format_refuses_huge_claimed_dimensions() {
    let too_large = Some(Code::DimensionsTooLarge);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("png 60000x60000", png_claiming(60_000, 60_000)),
        ("png 20001x1 (side)", png_claiming(20_001, 1)),
        ("png 8000x8000 (pixels)", png_claiming(8_000, 8_000)),
        ("png u32::MAX square", png_claiming(u32::MAX, u32::MAX)),
        ("jpeg 60000x60000", jpeg_claiming(60_000, 60_000)),
        ("jpeg 65535x65535", jpeg_claiming(u16::MAX, u16::MAX)),
        ("jpeg 10000x10000 (pixels)", jpeg_claiming(10_000, 10_000)),
        ("bmp 60000x60000", bmp_claiming(60_000, 60_000)),
        ("bmp 60000x-60000 (top-down)", bmp_claiming(60_000, -60_000)),
        ("bmp i32::MIN height", bmp_claiming(64, i32::MIN)),
        ("webp 60000x60000", webp_claiming(60_000, 60_000)),
        ("webp 16777216 square", webp_claiming(1 << 24, 1 << 24)),
    ];
    for (name, bytes) in &cases {
        assert_eq!(code_of(check(bytes, MaterialKind::IdCardFront, policy())), too_large, "{name}");
    }
    // A policy with a smaller input byte limit refuses by size first.
    let small = Policy::parse(&Policy::icp_default_source().replace("max_input_bytes = 40_000_000", "max_input_bytes = 100"))
        .unwrap();
    assert_eq!(code_of(check(&cases[0].1, MaterialKind::Other, &small)), too_large, "a {}-byte PNG fits 100 bytes", cases[0].1.len());
    assert_eq!(code_of(check(&seeds()[0].bytes, MaterialKind::Other, &small)), Some(Code::InputTooLarge));
}

#[test]
fn png_claiming_modest_dimensions_but_carrying_no_pixels_is_corrupt() {
    // Within the limits, so the decoder runs and finds the data missing.
    let png = png_claiming(640, 480);
    assert_eq!(code_of(check(&png, MaterialKind::IdCardFront, policy())), Some(Code::CorruptImage));
}

// ---------------------------------------------------------------------------------------------
// Seeds for the fuzz targets
// ---------------------------------------------------------------------------------------------

/// The APPn and COM segments (EXIF, ICC, maker notes, comments) of a JPEG, up to its first scan.
fn jpeg_metadata(jpeg: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut p = 2;
    while p + 4 <= jpeg.len() && jpeg[p] == 0xFF && jpeg[p + 1] != 0xDA {
        let end = p + 2 + u16::from_be_bytes([jpeg[p + 2], jpeg[p + 3]]) as usize;
        if end > jpeg.len() {
            break;
        }
        if matches!(jpeg[p + 1], 0xE0..=0xEF | 0xFE) {
            out.extend_from_slice(&jpeg[p..end]);
        }
        p = end;
    }
    out
}

/// Writes the valid files above (plus the oversized headers of section (d)) to
/// `$HEXIN_FUZZ_SEEDS/images/` and the embedded policy, as TOML and as JSON, to
/// `$HEXIN_FUZZ_SEEDS/policies/`. `scripts/fuzz.sh` turns them into the fuzz targets' corpora.
///
/// For each JPEG in `$HEXIN_FUZZ_SEEDS/photos/` it also writes `meta-<name>.jpeg`: that photo's
/// metadata segments on the 64x48 baseline seed, so real camera EXIF (orientation, GPS, maker
/// notes, broken blocks) is fuzzed at the cost of a tiny decode rather than a multi-megapixel one.
#[test]
#[ignore = "writes the fuzz seed corpus; run by scripts/fuzz.sh"]
fn write_fuzz_seeds() {
    let Some(dir) = std::env::var_os("HEXIN_FUZZ_SEEDS").map(std::path::PathBuf::from) else {
        println!("HEXIN_FUZZ_SEEDS is not set: nothing to write");
        return;
    };
    let (images, policies) = (dir.join("images"), dir.join("policies"));
    std::fs::create_dir_all(&images).unwrap();
    std::fs::create_dir_all(&policies).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = seeds()
        .iter()
        .map(|s| (format!("{}.{}", s.name, s.format.as_str()), s.bytes.clone()))
        .collect();
    files.push(("png-claims-60000x60000.png".into(), png_claiming(60_000, 60_000)));
    files.push(("png-claims-640x480-no-pixels.png".into(), png_claiming(640, 480)));
    files.push(("jpeg-claims-60000x60000.jpeg".into(), jpeg_claiming(60_000, 60_000)));
    files.push(("webp-claims-60000x60000.webp".into(), webp_claiming(60_000, 60_000)));
    if let Ok(entries) = std::fs::read_dir(dir.join("photos")) {
        let baseline = &seeds()[0].bytes;
        for entry in entries {
            let path = entry.unwrap().path();
            let photo = std::fs::read(&path).unwrap();
            if !photo.starts_with(&[0xFF, 0xD8, 0xFF]) {
                continue;
            }
            let mut bytes = baseline[..2].to_vec();
            bytes.extend(jpeg_metadata(&photo));
            bytes.extend_from_slice(&baseline[2..]);
            let stem = path.file_stem().unwrap().to_string_lossy();
            files.push((format!("meta-{stem}.jpeg"), bytes));
        }
    }
    for (name, bytes) in &files {
        std::fs::write(images.join(name), bytes).unwrap();
    }
    std::fs::write(policies.join("icp-default.toml"), Policy::icp_default_source()).unwrap();
    std::fs::write(policies.join("icp-default.json"), json_source()).unwrap();
    println!("wrote {} images and 2 policies to {}", files.len(), dir.display());
}
