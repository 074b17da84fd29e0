use hexin_core::capture::analysis::Analysis;
use hexin_core::capture::document::{plane::Plane, Detector, Shape};
use hexin_core::capture::intake;
use hexin_core::{MaterialKind, Policy};
use hexin_testing::synthetic;

fn run(name: &str, img: &image::RgbImage, shape: &Shape) {
    let a = Analysis::new(img);
    let plane = Plane::packed(&a.luma, a.width, a.height).unwrap();
    let mut d = Detector::default();
    let t = std::time::Instant::now();
    let out = d.locate(&plane, shape);
    println!("{name:<28} {:>6.2} ms {:?}", t.elapsed().as_secs_f64() * 1e3, out);
}

fn main() {
    let shape = Shape { aspects: vec![1.586], aspect_tolerance: 0.15, min_confidence: 0.5 };
    for (name, img, expected) in synthetic::calibration_set(1600, 1200) {
        run(&format!("{name} {expected:?}"), &img, &shape);
    }
    let policy = Policy::icp_default();
    for arg in std::env::args().skip(1) {
        let bytes = std::fs::read(&arg).unwrap();
        let Ok(d) = intake::decode(&bytes, &policy.limits, policy.rules(MaterialKind::Other)) else { continue };
        let img = intake::upright_within(d.pixels, d.orientation, 1024);
        run(&arg.rsplit('/').next().unwrap().to_string(), &img, &shape);
    }
}
