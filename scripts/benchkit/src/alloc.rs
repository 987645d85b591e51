//! Counting allocations: a global allocator that forwards to another and counts what passes
//! through it, for "allocations per operation" and peak heap use.
//!
//! A harness installs it around the allocator it measures:
//!
//! ```
//! use benchkit::alloc::Counting;
//!
//! #[global_allocator]
//! static ALLOC: Counting<std::alloc::System> = Counting::new(std::alloc::System);
//!
//! fn main() {
//!     let ops = 1000;
//!     let (rows, usage) = ALLOC.measure(|| (0..ops).map(|i| vec![i; 4]).collect::<Vec<_>>());
//!     // One allocation per row, and one for the outer vector.
//!     assert!(usage.allocations > ops);
//!     println!("{:.2} allocations per operation", usage.allocations_per(ops));
//!     drop(rows);
//! }
//! ```
//!
//! The counts are process-wide: allocations by other threads during a scope are counted too,
//! so measure with the other threads idle (or count their work as part of the operation).

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// A global allocator that forwards every call to `A` and counts allocations,
/// deallocations, reallocations, bytes allocated, and the live and peak live bytes.
///
/// Every counter is updated with `Relaxed` atomic operations, which suffice because nothing is
/// published through them: each counter is one atomic variable, every update is a single
/// read-modify-write (so no update is lost, whichever threads race), and a thread that reads a
/// counter after its own allocations sees at least its own updates (coherence of a single
/// variable). Live bytes never wrap below zero: a block's deallocation happens after its
/// allocation (the program passed the pointer between them, with whatever synchronisation
/// that took), and the modification order of one atomic agrees with happens-before, so the
/// subtraction follows the addition. The peak is a `fetch_max` of values the live count really
/// took. Across several counters a reader may see one thread's allocation counted in one and
/// not yet in another; a snapshot taken while other threads allocate is therefore approximate
/// to within their concurrent calls.
#[derive(Debug)]
pub struct Counting<A> {
    inner: A,
    allocations: AtomicU64,
    deallocations: AtomicU64,
    reallocations: AtomicU64,
    bytes_allocated: AtomicU64,
    live: AtomicUsize,
    peak: AtomicUsize,
}

/// The counters at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Successful allocations (`alloc` and `alloc_zeroed`).
    pub allocations: u64,
    /// Deallocations.
    pub deallocations: u64,
    /// Successful reallocations.
    pub reallocations: u64,
    /// Bytes requested by allocations plus the new size of each reallocation (to the program
    /// a reallocation is a new block, even when the allocator grows it in place).
    pub bytes_allocated: u64,
    /// Bytes allocated and not yet freed.
    pub live_bytes: usize,
    /// The most bytes live at once since the start, or since the last [`Counting::scope`].
    pub peak_live_bytes: usize,
}

/// What happened between a snapshot and now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Allocations in the interval.
    pub allocations: u64,
    /// Deallocations in the interval.
    pub deallocations: u64,
    /// Reallocations in the interval.
    pub reallocations: u64,
    /// Bytes allocated in the interval (as [`Snapshot::bytes_allocated`]).
    pub bytes_allocated: u64,
    /// Live bytes now minus live bytes at the start: what the interval left allocated.
    pub live_change: i64,
    /// The most bytes live at once during the interval, above those live at its start (exact
    /// when the interval began with [`Counting::scope`]).
    pub peak_above_start: usize,
}

impl Usage {
    /// Allocations per operation, for an interval that ran `ops` operations.
    pub fn allocations_per(&self, ops: u64) -> f64 {
        self.allocations as f64 / ops.max(1) as f64
    }

    /// Bytes allocated per operation, for an interval that ran `ops` operations.
    pub fn bytes_per(&self, ops: u64) -> f64 {
        self.bytes_allocated as f64 / ops.max(1) as f64
    }

    /// The custom metrics of an interval that ran `ops` operations: `allocs_per_op`,
    /// `reallocs_per_op`, `bytes_per_op` and `peak_bytes` (the peak above the start).
    pub fn metrics(&self, ops: u64) -> [(&'static str, f64); 4] {
        [
            ("allocs_per_op", self.allocations_per(ops)),
            (
                "reallocs_per_op",
                self.reallocations as f64 / ops.max(1) as f64,
            ),
            ("bytes_per_op", self.bytes_per(ops)),
            ("peak_bytes", self.peak_above_start as f64),
        ]
    }
}

impl<A> Counting<A> {
    /// A counting allocator around `inner`, with every counter at zero.
    pub const fn new(inner: A) -> Counting<A> {
        Counting {
            inner,
            allocations: AtomicU64::new(0),
            deallocations: AtomicU64::new(0),
            reallocations: AtomicU64::new(0),
            bytes_allocated: AtomicU64::new(0),
            live: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// The counters now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            allocations: self.allocations.load(Ordering::Relaxed),
            deallocations: self.deallocations.load(Ordering::Relaxed),
            reallocations: self.reallocations.load(Ordering::Relaxed),
            bytes_allocated: self.bytes_allocated.load(Ordering::Relaxed),
            live_bytes: self.live.load(Ordering::Relaxed),
            peak_live_bytes: self.peak.load(Ordering::Relaxed),
        }
    }

    /// Starts a scope: sets the peak to the bytes live now, so that the peak [`Counting::since`]
    /// reports is the interval's own, and returns the snapshot to pass to it. The peak is
    /// process-wide: scopes must not overlap, and an allocation racing with this reset on
    /// another thread may be missed by the peak.
    pub fn scope(&self) -> Snapshot {
        let live = self.live.load(Ordering::Relaxed);
        self.peak.store(live, Ordering::Relaxed);
        self.snapshot()
    }

    /// What happened since `start`.
    pub fn since(&self, start: &Snapshot) -> Usage {
        let now = self.snapshot();
        Usage {
            allocations: now.allocations - start.allocations,
            deallocations: now.deallocations - start.deallocations,
            reallocations: now.reallocations - start.reallocations,
            bytes_allocated: now.bytes_allocated - start.bytes_allocated,
            live_change: now.live_bytes as i64 - start.live_bytes as i64,
            peak_above_start: now.peak_live_bytes.saturating_sub(start.live_bytes),
        }
    }

    /// Runs `f` in a scope and returns its result with what it allocated.
    pub fn measure<R>(&self, f: impl FnOnce() -> R) -> (R, Usage) {
        let start = self.scope();
        let r = f();
        (r, self.since(&start))
    }

    fn grew(&self, by: usize) {
        let live = self.live.fetch_add(by, Ordering::Relaxed) + by;
        self.peak.fetch_max(live, Ordering::Relaxed);
    }

    fn shrank(&self, by: usize) {
        self.live.fetch_sub(by, Ordering::Relaxed);
    }

    fn allocated(&self, size: usize) {
        self.allocations.fetch_add(1, Ordering::Relaxed);
        self.bytes_allocated
            .fetch_add(size as u64, Ordering::Relaxed);
        self.grew(size);
    }
}

// SAFETY: every method forwards to `inner` with the caller's arguments unchanged and returns
// its result unchanged, so the blocks handed out, their layouts and their lifetimes are
// exactly `inner`'s, which upholds `GlobalAlloc`'s contract because `A: GlobalAlloc`. The
// counting only updates atomics: it never allocates (so it cannot re-enter the allocator) and
// never unwinds.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract (a layout of
        // non-zero size).
        let p = unsafe { self.inner.alloc(layout) };
        if !p.is_null() {
            self.allocated(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `alloc_zeroed`'s contract.
        let p = unsafe { self.inner.alloc_zeroed(layout) };
        if !p.is_null() {
            self.allocated(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged; the caller guarantees that `ptr` was allocated by this
        // allocator (hence by `inner`, which handed it out) with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) };
        self.deallocations.fetch_add(1, Ordering::Relaxed);
        self.shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller guarantees that `ptr` was allocated by this
        // allocator with `layout` and that `new_size` is valid for it.
        let p = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            self.reallocations.fetch_add(1, Ordering::Relaxed);
            self.bytes_allocated
                .fetch_add(new_size as u64, Ordering::Relaxed);
            let old = layout.size();
            if new_size >= old {
                self.grew(new_size - old);
            } else {
                self.shrank(old - new_size);
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use std::alloc::System;

    use super::*;

    #[global_allocator]
    static GLOBAL: Counting<System> = Counting::new(System);

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).unwrap()
    }

    #[test]
    fn every_call_is_counted_and_the_peak_follows_the_live_bytes() {
        let c = Counting::new(System);
        // SAFETY: every block is allocated by `c` with the layout it is later reallocated and
        // freed with, each is freed once, and none is used after it is freed.
        unsafe {
            let a = c.alloc(layout(100));
            let b = c.alloc_zeroed(layout(50));
            assert!(!a.is_null() && !b.is_null());
            assert_eq!(*b, 0);
            let s = c.snapshot();
            assert_eq!((s.allocations, s.bytes_allocated), (2, 150));
            assert_eq!((s.live_bytes, s.peak_live_bytes), (150, 150));
            c.dealloc(a, layout(100));
            let b = c.realloc(b, layout(50), 200);
            assert!(!b.is_null());
            let s = c.snapshot();
            assert_eq!((s.deallocations, s.reallocations), (1, 1));
            assert_eq!(s.bytes_allocated, 350);
            assert_eq!((s.live_bytes, s.peak_live_bytes), (200, 200));

            // A scope sees only its own allocations, and its own peak.
            let start = c.scope();
            let d = c.alloc(layout(10));
            c.dealloc(d, layout(10));
            let b = c.realloc(b, layout(200), 20);
            let u = c.since(&start);
            assert_eq!(
                u,
                Usage {
                    allocations: 1,
                    deallocations: 1,
                    reallocations: 1,
                    bytes_allocated: 30,
                    live_change: -180,
                    peak_above_start: 10,
                }
            );
            c.dealloc(b, layout(20));
            assert_eq!(c.snapshot().live_bytes, 0);
        }
    }

    #[test]
    fn the_global_allocator_counts_a_vector_and_its_growth() {
        let (v, u) = GLOBAL.measure(|| {
            let mut v: Vec<u64> = Vec::with_capacity(1000);
            v.extend(0..1000);
            v.push(1);
            std::hint::black_box(v)
        });
        // Other tests allocate at the same time, so the counts are lower bounds (and the peak,
        // which their frees can lower, is checked only on a private allocator above).
        assert!(u.allocations >= 1 && u.reallocations >= 1, "{u:?}");
        assert!(u.bytes_allocated >= 8000, "{u:?}");
        drop(v);
        let m = u.metrics(1);
        assert_eq!(m[0], ("allocs_per_op", u.allocations as f64));
        assert_eq!(
            u.allocations_per(0),
            u.allocations as f64,
            "no division by zero"
        );
    }
}
