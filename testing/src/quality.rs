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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{document, noisy, Scene};

    #[test]
    fn bisect_finds_the_highest_quality_that_fits() {
        let img = noisy(document(Scene::new(800, 600)), 5.0, 3);
        let range = QualityRange { min: 30, max: 95 };
        let size = |q| normalize::encode_jpeg(&img, q).len() as u64;
        for budget in [size(40), size(70) + 1, size(95)] {
            let (q, jpeg) = bisect(&img, budget, range).best.expect("a quality fits");
            assert!(jpeg.len() as u64 <= budget && (q == range.max || size(q + 1) > budget), "budget {budget}: q{q}");
        }
        let none = bisect(&img, size(30) - 1, range);
        assert_eq!((none.best, none.smallest), (None, size(30)));
    }
}
