//! The baseline for hexin-core's JPEG quality search: plain bisection over the whole range.
//!
//! hexin-core keeps one search, [`normalize::encode_within`], which interpolates on log(size).
//! The pipeline test checks that it picks the quality bisection picks, in no more encodes, and
//! `bench_pipeline --encodes` times the two.

use hexin_core::capture::normalize::{self, Search};
use hexin_core::capture::rules::QualityRange;
use image::RgbImage;

/// The highest quality in `range` whose JPEG fits `max_bytes`, by bisection: each step encodes
/// the middle of the qualities not yet ruled in or out.
pub fn bisect(image: &RgbImage, max_bytes: u64, range: QualityRange) -> Search {
    let mut search = Search { best: None, smallest: u64::MAX, encodes: 0 };
    // Every quality below `lo` fits, every one above `hi` overflows.
    let (mut lo, mut hi) = (range.min, range.max);
    while lo <= hi {
        let middle = lo + (hi - lo).div_ceil(2);
        let jpeg = normalize::encode_jpeg(image, middle);
        search.encodes += 1;
        search.smallest = search.smallest.min(jpeg.len() as u64);
        if jpeg.len() as u64 <= max_bytes {
            search.best = Some((middle, jpeg));
            lo = middle + 1;
        } else if middle == range.min {
            break;
        } else {
            hi = middle - 1;
        }
    }
    search
}
