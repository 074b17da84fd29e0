//! Images whose header claims more than their bytes hold, or whose layout costs more memory to
//! decode than hexin allows: each refused with its exact code (or accepted) in bounded time and
//! memory. And what real camera photos cost.

use image::{ImageEncoder, Rgb, RgbImage};
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

use crate::harness::{Case, Run};

/// A file name and the generator of its bytes (run one at a time, to keep this process small).
type Generated = (&'static str, fn() -> Vec<u8>);

/// `hexin check --json FILE` on `bytes`, printing the peak memory.
///
/// The child is forked from this process, and Linux counts the parent's resident pages at the
/// fork in the child's peak, so the generator's freed buffers are handed back to the system
/// first and this process's own size is printed beside the child's peak.
fn check(bytes: Vec<u8>, name: &str) -> Run {
    let case = Case::new();
    case.write(name, &bytes);
    let len = bytes.len();
    drop(bytes);
    unsafe { libc::malloc_trim(0) };
    let own = std::fs::read_to_string("/proc/self/status").unwrap();
    let own = own.lines().find(|l| l.starts_with("VmRSS")).unwrap().split_whitespace().nth(1).unwrap().to_string();
    let run = case.hexin(["check", "--material", "id-card-front", "--json", name]);
    eprintln!("{name}: {len} bytes, {} MB peak (this process {} MB), {:?}", run.max_rss_bytes / 1_000_000, own.parse::<u64>().unwrap() / 1000, run.elapsed);
    run
}

/// Width x height pixels of `channels` bytes each, with a gradient and `noise` bits of noise: the
/// noise sets how well it compresses.
fn texture(width: u32, height: u32, channels: usize, noise: u32) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut out = Vec::with_capacity(width as usize * height as usize * channels);
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let base = ((x * 255 / width + y * 97 / height) as usize + c * 40) as u64;
                out.push(((base + (state & ((1 << noise) - 1))) % 256) as u8);
            }
        }
    }
    out
}

fn jpeg(pixels: &[u8], (w, h): (u32, u32), color: ColorType, sampling: SamplingFactor, progressive: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 90);
    encoder.set_sampling_factor(sampling);
    encoder.set_progressive(progressive);
    encoder.encode(pixels, w as u16, h as u16, color).unwrap();
    out
}

/// Rewrites a JPEG's frame header to claim `w` x `h`.
fn claim_jpeg(mut jpeg: Vec<u8>, w: u16, h: u16) -> Vec<u8> {
    let sof = (2..jpeg.len()).find(|&i| jpeg[i - 1] == 0xFF && matches!(jpeg[i], 0xC0 | 0xC2)).unwrap();
    jpeg[sof + 4..sof + 6].copy_from_slice(&h.to_be_bytes());
    jpeg[sof + 6..sof + 8].copy_from_slice(&w.to_be_bytes());
    jpeg
}

fn png16_rgba(w: u32, h: u32, noise: u32) -> Vec<u8> {
    let pixels = texture(w, h, 8, noise);
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out).write_image(&pixels, w, h, image::ExtendedColorType::Rgba16).unwrap();
    out
}

fn webp_lossless(w: u32, h: u32) -> Vec<u8> {
    let pixels = vec![200u8; w as usize * h as usize * 3];
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out).write_image(&pixels, w, h, image::ExtendedColorType::Rgb8).unwrap();
    out
}

/// A WebP animation of one lossless frame covering a `w` x `h` canvas.
fn webp_animated(w: u32, h: u32) -> Vec<u8> {
    let still = webp_lossless(w, h);
    let frame = &still[12..]; // the VP8L chunk
    let le24 = |v: u32| v.to_le_bytes()[..3].to_vec();
    let mut chunks = b"VP8X\x0a\0\0\0\x12\0\0\0".to_vec(); // animation and alpha flags
    chunks.extend(le24(w - 1));
    chunks.extend(le24(h - 1));
    chunks.extend(b"ANIM\x06\0\0\0\0\0\0\0\0\0");
    let mut anmf = [le24(0), le24(0), le24(w - 1), le24(h - 1), le24(100), vec![0]].concat();
    anmf.extend_from_slice(frame);
    chunks.extend(b"ANMF");
    chunks.extend((anmf.len() as u32).to_le_bytes());
    chunks.extend(&anmf);
    let mut out = b"RIFF".to_vec();
    out.extend((chunks.len() as u32 + 4).to_le_bytes());
    out.extend(b"WEBP");
    out.extend(chunks);
    out
}

/// An 8-bit RLE BMP claiming `w` x `h` whose data ends at once: end of bitmap.
fn bmp_rle8(w: u32, h: u32) -> Vec<u8> {
    let palette = [0u8, 0, 0, 0, 255, 255, 255, 0];
    let data = [0u8, 1]; // end of bitmap
    let offset = 14 + 40 + palette.len() as u32;
    let mut out = b"BM".to_vec();
    out.extend((offset + data.len() as u32).to_le_bytes());
    out.extend([0; 4]);
    out.extend(offset.to_le_bytes());
    out.extend(40u32.to_le_bytes());
    out.extend((w as i32).to_le_bytes());
    out.extend((h as i32).to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(8u16.to_le_bytes());
    out.extend(1u32.to_le_bytes()); // BI_RLE8
    out.extend((data.len() as u32).to_le_bytes());
    out.extend([0; 8]);
    out.extend(2u32.to_le_bytes());
    out.extend([0; 4]);
    out.extend(palette);
    out.extend(data);
    out
}

/// The files: a few hundred bytes to a few MB claiming 7000x7000 or 8192x6000, inside
/// the pixel limit (each took 200-570 MB). Each is refused before any pixel is allocated.
#[test]
fn small_files_claiming_many_pixels_are_refused_in_bounded_memory() {
    let small = texture(256, 256, 3, 4);
    let cmyk = texture(256, 256, 4, 4);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("lossless.webp", webp_lossless(7000, 7000), "corrupt_image"),
        ("animated.webp", webp_animated(7000, 7000), "unsupported_format"),
        // Deflate holds it in 2 MB, over the floor, but 16-bit RGBA costs 15 bytes a pixel.
        ("rgba16.png", png16_rgba(7000, 7000, 0), "dimensions_too_large"),
        ("rle.bmp", bmp_rle8(8192, 6000), "corrupt_image"),
        (
            "progressive444.jpg",
            claim_jpeg(jpeg(&small, (256, 256), ColorType::Rgb, SamplingFactor::F_1_1, true), 8192, 6000),
            "corrupt_image",
        ),
        ("cmyk.jpg", claim_jpeg(jpeg(&cmyk, (256, 256), ColorType::Cmyk, SamplingFactor::F_1_1, false), 8192, 6000), "corrupt_image"),
    ];
    for (name, bytes, code) in cases {
        check(bytes, name).assert_refused(1, code);
    }
}

/// Files whose bytes do hold their pixels, but in a layout that costs too much memory to decode
/// whole (16-bit RGBA, progressive 4:4:4 and CMYK JPEG): `dimensions_too_large`, bounded.
#[test]
fn costly_layouts_are_refused_before_decoding() {
    let cases: [Generated; 3] = [
        ("rgba16.png", || png16_rgba(2400, 2400, 2)),
        ("progressive444.jpg", || jpeg(&texture(3000, 3000, 3, 3), (3000, 3000), ColorType::Rgb, SamplingFactor::F_1_1, true)),
        ("cmyk.jpg", || jpeg(&texture(3600, 3000, 4, 3), (3600, 3000), ColorType::Cmyk, SamplingFactor::F_1_1, false)),
    ];
    for (name, generate) in cases {
        check(generate(), name).assert_refused(1, "dimensions_too_large");
    }
}

/// A camera-like photo: a document on a desk with sensor noise, 4:2:0 baseline at quality 90.
fn camera_photo(w: u32, h: u32) -> Vec<u8> {
    let mut img = RgbImage::from_raw(w, h, texture(w, h, 3, 5)).unwrap();
    let (x0, y0, x1, y1) = (w / 5, h / 4, w * 4 / 5, h * 3 / 4);
    for y in y0..y1 {
        for x in x0..x1 {
            let p = img.get_pixel(x, y).0;
            let ink = (x / 40 + y / 60) % 7 == 0;
            img.put_pixel(x, y, if ink { Rgb([40, 50, 90]) } else { Rgb([p[0] / 4 + 180, p[1] / 4 + 176, p[2] / 4 + 170]) });
        }
    }
    jpeg(img.as_raw(), (w, h), ColorType::Rgb, SamplingFactor::F_2_2, false)
}

/// Asserts the run was bounded and the image was read and checked, not refused.
fn assert_checked(run: &Run) {
    run.assert_bounded();
    assert!(run.stdout.contains("\"verdict\""), "{run:#?}");
    for refusal in ["corrupt_image", "dimensions_too_large", "input_too_large"] {
        assert!(!run.stdout.contains(refusal), "refused: {run:#?}");
    }
}

/// A 48 MP and a 12 MP phone photo are checked (not refused) under the bound; the peaks are in
/// docs/refusals/images.md.
#[test]
fn camera_photos_of_12_and_48_megapixels_are_checked_in_bounded_memory() {
    for (w, h) in [(4000, 3000), (8000, 6000)] {
        assert_checked(&check(camera_photo(w, h), &format!("{w}x{h}.jpg")));
    }
}

/// The most costly inputs the budgets let through: the largest baseline JPEG decoded whole
/// (16.7 MP, a 4:4:4 file of some 30 MB) and a 50 MP 4:4:4 baseline JPEG decoded at half scale.
#[test]
fn the_largest_jpegs_within_the_budget_stay_bounded() {
    let cases: [Generated; 2] = [
        ("whole444.jpg", || jpeg(&texture(4730, 3540, 3, 7), (4730, 3540), ColorType::Rgb, SamplingFactor::F_1_1, false)),
        ("scaled444.jpg", || jpeg(&texture(7071, 7071, 3, 4), (7071, 7071), ColorType::Rgb, SamplingFactor::F_1_1, false)),
    ];
    for (name, generate) in cases {
        assert_checked(&check(generate(), name));
    }
}

/// A photo cut off in transfer, with an end-of-image marker appended, is `corrupt_image` (it
/// was accepted, its lower part a smear of the last decoded row).
#[test]
fn truncated_jpeg_with_end_marker_is_corrupt() {
    let mut bytes = camera_photo(1600, 1200);
    bytes.truncate(bytes.len() * 2 / 3);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    check(bytes, "cut.jpg").assert_refused(1, "corrupt_image");
}
