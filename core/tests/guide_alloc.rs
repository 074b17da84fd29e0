//! The capture guide's own measures allocate nothing per frame: a counting global allocator,
//! in a test binary of its own, counts the test thread's allocations per frame for the guide
//! and for the document detector alone on the same frames, and they must be equal. (The
//! detector's quad search still allocates a little per frame: see the count it prints.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use hexin_core::capture::document::plane::Plane;
use hexin_core::capture::document::{Detector, Shape};
use hexin_core::capture::guide::{CaptureGuide, GuideConfig, Hint};
use hexin_core::{MaterialKind, Policy};
use hexin_testing::frames::Sequence;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations made by `work` on this thread.
fn allocations(work: impl FnOnce()) -> u64 {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    work();
    COUNTING.with(|c| c.set(false));
    COUNT.with(Cell::get)
}

#[test]
fn the_guide_allocates_nothing_beyond_what_the_detector_does() {
    let policy = Policy::icp_default();
    let rules = policy.rules(MaterialKind::IdCardFront);
    let mut guide = CaptureGuide::new(rules, GuideConfig::default()).unwrap();
    let shape = Shape {
        aspects: rules.document.aspects.clone(),
        aspect_tolerance: rules.document.aspect_tolerance,
        min_confidence: rules.checks.document_not_found.threshold,
    };
    let mut detector = Detector::default();
    // Every sequence: found, not found, incomplete, dark, glare; landscape and portrait buffers.
    let frames: Vec<_> = Sequence::ALL.iter().flat_map(|s| s.frames()).collect();
    let planes: Vec<Plane> = frames
        .iter()
        .map(|f| Plane::new(&f.luma, f.width as usize, f.height as usize, f.stride).unwrap())
        .collect();
    // The first frame of each buffer layout sizes the buffers.
    for f in [&frames[0], frames.last().unwrap()] {
        let plane = Plane::new(&f.luma, f.width as usize, f.height as usize, f.stride).unwrap();
        assert!(
            allocations(|| {
                let _ = guide.analyze(&plane, f.rotation).unwrap();
            }) > 0,
            "the counter counts"
        );
        detector.locate(&plane, &shape);
    }
    let mut hints = [0usize; 8];
    let mut by_guide = Vec::new();
    for (plane, f) in planes.iter().zip(&frames) {
        let mut answer = None;
        by_guide.push(allocations(|| {
            answer = Some(guide.analyze(plane, f.rotation).unwrap())
        }));
        hints[Hint::ALL
            .iter()
            .position(|&h| h == answer.unwrap().hint)
            .unwrap()] += 1;
    }
    let by_detector: Vec<u64> = planes
        .iter()
        .map(|plane| {
            allocations(|| {
                let _ = detector.locate(plane, &shape);
            })
        })
        .collect();
    eprintln!("allocations per frame, detector: {by_detector:?}");
    assert_eq!(
        by_guide, by_detector,
        "allocations per frame, the guide's and the detector's alone"
    );
    assert!(
        hints.iter().filter(|&&n| n > 0).count() >= 6,
        "the frames take most paths: {hints:?}"
    );
}
