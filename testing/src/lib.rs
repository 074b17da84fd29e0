//! Test support for hexin, shared by hexin-core's tests, the fuzz targets and the benchmarks
//! (matrix-rust-sdk's `testing/` crate plays the same part).
//!
//! - [`synthetic`]: captures made in code (an ID-card-like document, noise, blur, exposure,
//!   glare, EXIF orientation) and the calibration set the checks are tuned on;
//! - [`corpus`]: the labelled document corpus: [`documents`] photographed on [`desks`] made
//!   from real textures, placed by a [`homography`] in a [`scene`]; [`frames`]: scripted
//!   preview sequences for the live capture guide;
//! - [`faces`]: the labelled face corpus: real [`people`] laid on plain and busy backdrops, a
//!   card held up, no one, and ID card sides checked as either side;
//! - [`invariants`]: what every answer of `check` and `Policy::parse` must satisfy, asserted
//!   the same way by the property tests and the fuzz targets;
//! - [`quality`]: the bisection the quality search is measured against; [`scoring`]: a corpus
//!   scored by codes, per-code false accepts and false rejects;
//! - [`specimens`]: the shipped specimens' fields and photos, and the individual's package.

pub mod corpus;
pub mod desks;
pub mod documents;
pub mod frames;
pub mod homography;
pub mod faces;
pub mod invariants;
pub mod people;
pub mod quality;
pub mod scene;
pub mod scoring;
pub mod specimens;
pub mod synthetic;
