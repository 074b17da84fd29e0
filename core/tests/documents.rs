//! The generated document corpus (hexin-testing's `corpus`: documents in perspective on real
//! desk textures, with the ways captures fail): every capture through `check`, scored as
//! bench/documents.sh scores it, with the per-code false accepts and false rejects printed.
//! The floor below is the score measured when the detector was last tuned; bench/DOCUMENTS.md
//! has the same numbers side by side with the OpenCV scanner.

use hexin_core::capture::document::geometry::Point;
use hexin_core::{check, Policy};
use hexin_testing::corpus::corpus;
use hexin_testing::scoring::CodeScore;

/// The codes compared: the document's and the quality checks'.
const COMPARED: [&str; 9] = [
    "document_not_found",
    "document_incomplete",
    "document_too_small",
    "document_tilted",
    "blurry",
    "glare",
    "overexposed",
    "too_dark",
    "not_color",
];

/// Captures right out of 144, and the most corner error (share of the diagonal) a found
/// document's median may show.
const RIGHT_AT_LEAST: usize = 138;
const MEDIAN_CORNER_ERROR: f64 = 0.01;

#[test]
fn the_corpus_scores_at_least_its_floor() {
    let policy = Policy::icp_default();
    let captures = corpus(1600, 1200);
    let mut errors = Vec::new();
    let mut score = CodeScore::new(&COMPARED);
    for c in &captures {
        let report = check(&c.jpeg, c.kind, &policy).unwrap();
        let raised: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
        score.add(&c.file, &raised, &c.expect);
        if let (Some(doc), Some(truth)) = (&report.document, c.corners) {
            let diagonal = 1600f64.hypot(1200.0);
            let mine = doc.corners.corners();
            let mean = (0..4).map(|i| mine[i].distance(Point::new(truth[i][0], truth[i][1]))).sum::<f64>() / 4.0;
            if doc.complete {
                errors.push(mean / diagonal);
            }
        }
    }
    print!("{}", score.table());
    errors.sort_by(f64::total_cmp);
    let median = errors.get(errors.len() / 2).copied().unwrap_or(1.0);
    let right = score.right;
    println!("right {right}/{}; median corner error {:.2} % of the diagonal over {} found", captures.len(), median * 100.0, errors.len());
    println!("{}", score.wrong.join("\n"));
    assert!(right >= RIGHT_AT_LEAST, "{right} right, the floor is {RIGHT_AT_LEAST}");
    assert!(median <= MEDIAN_CORNER_ERROR, "median corner error {median}");
}
