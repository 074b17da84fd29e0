//! Where the document is: [`Detector::locate`] finds it in a luma [`plane`] as a quad with a
//! confidence, [`refine`] sharpens its corners on a larger plane and [`warp`] straightens it.
//!
//! The search runs on a copy shrunk to [`WORKING_SIDE`] pixels, where paper grain and desk
//! texture have faded and a frame costs a few milliseconds: [`edges`] thins the gradients,
//! [`hough`] collects straight lines and [`search`] scores every quad they bound by how much of
//! its outline the edges trace.

pub mod edges;
pub mod geometry;
pub mod hough;
pub mod plane;
pub mod refine;
pub mod search;
pub mod warp;

use geometry::{Point, Quad};
use plane::{shrink_into, shrunk_size, Plane, ShrinkScratch};
use search::Expect;

/// Long side of the copy the search runs on, in pixels.
pub const WORKING_SIDE: usize = 320;
/// Lines kept for the quad search.
const LINES: usize = 32;
/// A cut-off document must be traced this much better than a whole one to be believed: three
/// straight edges meeting the border occur in ordinary photos too.
const CUT_MARGIN: f64 = 0.15;
/// A line needs this share of the working copy's short side in edge pixels.
const MIN_LINE: f64 = 0.08;

/// What the search looks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Flat long/short side ratios of the documents accepted (1.586 for an ID card, 1.414 for A4).
    pub aspects: Vec<f64>,
    /// Relative tolerance on the ratio.
    pub aspect_tolerance: f64,
    /// Confidence (0–1) below which nothing was found.
    pub min_confidence: f64,
}

/// A document seen in a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sighting {
    /// In the plane's pixels.
    pub quad: Quad,
    /// Share of the outline traced by edges, 0–1.
    pub confidence: f64,
}

impl Sighting {
    /// The quad's share of a `width` × `height` frame.
    pub fn coverage(&self, width: usize, height: usize) -> f64 {
        self.quad.area() / (width as f64 * height as f64)
    }
}

/// The answer for one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// The whole document, inside the frame.
    Found(Sighting),
    /// A document the frame cuts: a corner outside or a side on the border.
    Incomplete(Sighting),
    /// Nothing traced well enough; the best confidence seen.
    NotFound { confidence: f64 },
}

/// The search with its buffers, reused from frame to frame: once they have grown to what the
/// frames need (the shrunk copy, gradients and Hough accumulator after the first frame of a
/// size; the quad search's lines and candidates after its busiest frame), nothing is allocated.
#[derive(Debug, Default)]
pub struct Detector {
    shrink: ShrinkScratch,
    small: Vec<u8>,
    edges: edges::Edges,
    hough: hough::Hough,
    search: search::Search,
}

impl Detector {
    /// Looks for a document of `shape` in `plane`, shrunk to [`WORKING_SIDE`].
    pub fn locate(&mut self, plane: &Plane, shape: &Shape) -> Outcome {
        self.locate_at(plane, shape, WORKING_SIDE)
    }

    /// Looks for a document of `shape` in `plane`, shrunk to a long side of `side` pixels.
    pub fn locate_at(&mut self, plane: &Plane, shape: &Shape, side: usize) -> Outcome {
        let (sw, sh) = shrunk_size(plane.width, plane.height, side);
        shrink_into(plane, (sw, sh), &mut self.small, &mut self.shrink);
        self.edges.compute(&self.small, sw, sh);
        let min_votes = (MIN_LINE * sw.min(sh) as f64) as u16;
        self.hough.find(&self.edges, LINES, min_votes.max(8));
        let expect = Expect { aspects: &shape.aspects, tolerance: shape.aspect_tolerance, min_area: 0.01 };
        let best = self.search.run(&self.edges, &self.hough.peaks, expect);
        let (sx, sy) = (plane.width as f64 / sw as f64, plane.height as f64 / sh as f64);
        let seen = |c: search::Candidate| Sighting { quad: c.quad.scaled(sx, sy), confidence: c.confidence };
        match (best.complete, best.partial) {
            // A cut-off outline traced clearly better than the best whole one is the document,
            // the whole one something inside it (a licence's printed border).
            (Some(c), p) if c.confidence >= shape.min_confidence && p.is_none_or(|p| p.confidence < c.confidence + CUT_MARGIN) => {
                Outcome::Found(seen(c))
            }
            (_, Some(p)) if p.confidence >= shape.min_confidence + CUT_MARGIN => Outcome::Incomplete(seen(p)),
            (c, p) => {
                let confidence = c.into_iter().chain(p).map(|c| c.confidence).fold(0.0, f64::max);
                Outcome::NotFound { confidence }
            }
        }
    }
}

/// The frame's centre, the principal point for [`Quad::flat_aspect`].
pub fn centre(width: usize, height: usize) -> Point {
    Point::new(width as f64 / 2.0, height as f64 / 2.0)
}
