//! What the benches share: a counting allocator, interleaved A/B timing, serialization into
//! a reused buffer. Each bench includes it with `mod common;`.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

// ---------------------------------------------------------------------------------------------
// Counting allocator
// ---------------------------------------------------------------------------------------------

/// The system allocator, counting allocations while `COUNTING` is on. Off, it costs one relaxed
/// load and a predictable branch per call, the same for every variant measured.
/// Each bench binary installs it: `#[global_allocator] static GLOBAL: CountingAlloc = CountingAlloc;`.
pub struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

#[inline(always)]
fn count() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// Runs `f`, returning its result and how many allocations (alloc, alloc_zeroed, realloc) it made.
/// The bench is single-threaded when this runs, so nothing else is counted.
pub fn allocations_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    ALLOCATIONS.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let out = f();
    COUNTING.store(false, Ordering::SeqCst);
    (out, ALLOCATIONS.load(Ordering::SeqCst))
}

/// Times `a` and `b` in alternation (the order flipped every round) for about `budget`, and
/// prints the median of the per-round ratios `b / a` with a 95% confidence interval.
///
/// Criterion measures one variant after the other, so on a machine whose load changes (two
/// cores shared with compilers) the ratio of two criterion medians can be off by far more than
/// the 2% the targets are about. Timing the two side by side, round after round, cancels that
/// drift: both halves of a round see the same load.
pub fn paired<A, B>(
    name: &str,
    budget: std::time::Duration,
    mut a: impl FnMut() -> A,
    mut b: impl FnMut() -> B,
) -> f64 {
    use std::time::Instant;
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed().as_nanos() as f64
    };
    let mut run_a = || drop(black_box(a()));
    let mut run_b = || drop(black_box(b()));
    for _ in 0..20 {
        run_a();
        run_b();
    }
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let start = Instant::now();
    while start.elapsed() < budget || ratios.len() < 50 {
        let (x, y) = if ratios.len() % 2 == 0 {
            let x = time(&mut run_a);
            (x, time(&mut run_b))
        } else {
            let y = time(&mut run_b);
            (time(&mut run_a), y)
        };
        ta.push(x);
        tb.push(y);
        ratios.push(y / x);
    }
    let sort = |v: &mut Vec<f64>| v.sort_by(|x, y| x.partial_cmp(y).unwrap());
    sort(&mut ta);
    sort(&mut tb);
    sort(&mut ratios);
    let n = ratios.len();
    // Order statistics around the median: a distribution-free 95% interval.
    let half = (0.98 * (n as f64).sqrt()).ceil() as usize;
    let (lo, hi) = (
        ratios[(n / 2).saturating_sub(half)],
        ratios[(n / 2 + half).min(n - 1)],
    );
    println!(
        "  {name:<40} {:>9.1} µs vs {:>9.1} µs   ratio {:.3} [{lo:.3}, {hi:.3}]  ({n} rounds)",
        ta[ta.len() / 2] / 1e3,
        tb[tb.len() / 2] / 1e3,
        ratios[n / 2],
    );
    ratios[n / 2]
}

/// Serializes `value` into `buf`, emptied first; the buffer's capacity is reused.
pub fn ser<T: serde::Serialize>(buf: &mut Vec<u8>, value: &T) -> usize {
    buf.clear();
    serde_json::to_writer(&mut *buf, black_box(value)).unwrap();
    buf.len()
}
