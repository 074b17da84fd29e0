//! The capture guide allocates nothing per frame once its buffers have grown: a counting global
//! allocator, in a test binary of its own, counts the test thread's allocations per frame for
//! the guide and for the document detector alone, on every recorded sequence after one pass
//! that sizes the buffers.

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
fn the_guide_allocates_nothing_per_frame_once_its_buffers_have_grown() {
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
    let frames: Vec<_> = Sequence::ALL.iter().flat_map(|s| s.frames().into_iter().map(move |f| (s.name(), f))).collect();
    let planes: Vec<Plane> = frames
        .iter()
        .map(|(_, f)| Plane::new(&f.luma, f.width as usize, f.height as usize, f.stride).unwrap())
        .collect();
    // One pass sizes the buffers; the counter counts it.
    let sizing = allocations(|| {
        for (plane, (_, f)) in planes.iter().zip(&frames) {
            guide.analyze(plane, f.rotation).unwrap();
            detector.locate(plane, &shape);
        }
    });
    assert!(sizing > 0, "the counter counts");
    guide.reset();
    let mut hints = [0usize; 8];
    for (k, (plane, (sequence, f))) in planes.iter().zip(&frames).enumerate() {
        let mut answer = None;
        let by_guide = allocations(|| answer = Some(guide.analyze(plane, f.rotation).unwrap()));
        let by_detector = allocations(|| {
            detector.locate(plane, &shape);
        });
        assert_eq!((by_guide, by_detector), (0, 0), "allocations for frame {k} ({sequence})");
        hints[Hint::ALL
            .iter()
            .position(|&h| h == answer.unwrap().hint)
            .unwrap()] += 1;
    }
    assert!(
        hints.iter().filter(|&&n| n > 0).count() >= 6,
        "the frames take most paths: {hints:?}"
    );
}
