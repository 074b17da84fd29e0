//! The pipeline's hot functions on a 12 MP capture: where `check`'s time goes.
//!
//! cargo bench -p hexin-bench --bench pipeline [-- FILTER]
//!
//! The input is a synthetic 4032x3024 document photo with sensor noise, encoded as a camera would
//! (JPEG quality 92), made in code so nothing large is committed. Samples are few and short: the
//! machine this runs on is usually shared. For hexin against a Pillow + OpenCV reference on real
//! photos, see `bench/compare.sh`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use image::metadata::Orientation;
use image::RgbImage;

use hexin_core::capture::analysis::Analysis;
use hexin_core::capture::checks::{color, exposure, sharpness};
use hexin_core::capture::{intake, normalize};
use hexin_core::{check, MaterialKind, Policy};
use hexin_testing::synthetic;

const KIND: MaterialKind = MaterialKind::IdCardFront;

fn pipeline(c: &mut Criterion) {
    let policy = Policy::icp_default();
    let rules = policy.rules(KIND);
    let camera = synthetic::camera_jpeg(&synthetic::noisy(synthetic::document(synthetic::Scene::new(4032, 3024)), 3.0, 1));
    let pixels: RgbImage = intake::decode(&camera, &policy.limits, rules).expect("decodable").pixels;
    let upright = intake::upright_within(pixels.clone(), Orientation::NoTransforms, rules.output_long_side);
    let analysis = Analysis::new(&upright);
    let output = normalize::encode_jpeg(&upright, rules.jpeg_quality.max);

    let mut g = c.benchmark_group("12mp");
    g.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));

    g.bench_function("intake::decode", |b| b.iter(|| intake::decode(black_box(&camera), &policy.limits, rules)));
    for (name, orientation) in [("", Orientation::NoTransforms), (" rot90", Orientation::Rotate90)] {
        g.bench_function(format!("intake::upright_within{name}"), |b| {
            b.iter_batched(
                || pixels.clone(),
                |p| intake::upright_within(p, orientation, rules.output_long_side),
                BatchSize::LargeInput,
            )
        });
    }
    g.bench_function("Analysis::new", |b| b.iter(|| Analysis::new(black_box(&upright))));
    g.bench_function("sharpness::blur_effect", |b| b.iter(|| sharpness::blur_effect(black_box(&analysis))));
    g.bench_function("exposure::largest_clipped_patch", |b| {
        b.iter(|| exposure::largest_clipped_patch(black_box(&analysis)))
    });
    g.bench_function("color::colorfulness", |b| b.iter(|| color::colorfulness(black_box(&analysis))));
    g.bench_function("normalize::encode_jpeg q92", |b| {
        b.iter(|| normalize::encode_jpeg(black_box(&upright), rules.jpeg_quality.max))
    });
    // What `check` does after encoding: re-read its output to re-measure blur.
    g.bench_function("output re-decode", |b| {
        b.iter(|| image::load_from_memory_with_format(black_box(&output), image::ImageFormat::Jpeg))
    });
    g.bench_function("check (whole pipeline)", |b| b.iter(|| check(black_box(&camera), KIND, &policy)));
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
