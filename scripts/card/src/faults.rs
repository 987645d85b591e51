//! Page faults: the first touch of every page of a fresh anonymous mapping, which the kernel
//! serves by finding a page, zeroing it and mapping it; per 4 KiB page, and per 2 MiB huge page
//! where the kernel grants them (`madvise(MADV_HUGEPAGE)`; a kernel that falls back to base
//! pages makes the huge-page number that of 512 base faults).

use std::hint::black_box;
use std::time::Instant;

use bookproto::card::{Better, Entry};
use inputs::{HUGE_PAGE, Mapped, PAGE, Pages};

use crate::Budget;
use crate::stats::best_of;

/// Nanoseconds per first touch of a page of `page` bytes, over a fresh mapping of `bytes`.
pub fn first_touch(bytes: usize, pages: Pages, page: usize) -> f64 {
    let mut m = Mapped::new(bytes, pages);
    let n = bytes / page;
    let t = Instant::now();
    for i in 0..n {
        m[i * page] = 1;
    }
    let ns = t.elapsed().as_nanos() as f64 / n as f64;
    black_box(&m);
    ns
}

/// The card's two entries.
pub fn all(b: &Budget) -> Vec<Entry> {
    let runs = |pages: Pages, page: usize, bytes: usize| -> Vec<f64> {
        (0..b.fault_runs)
            .map(|_| first_touch(bytes, pages, page))
            .collect()
    };
    vec![
        best_of(
            "fault/base/page",
            "first touch of a 4 KiB page",
            "ns",
            Better::Lower,
            &runs(Pages::Base, PAGE, b.fault_bytes),
        ),
        best_of(
            "fault/huge/page",
            "first touch of a 2 MiB huge page (madvise)",
            "ns",
            Better::Lower,
            &runs(Pages::Huge, HUGE_PAGE, 2 * b.fault_bytes),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_touch_takes_time_and_writes_the_page() {
        assert!(first_touch(64 * PAGE, Pages::Base, PAGE) > 0.0);
        assert!(first_touch(2 * HUGE_PAGE, Pages::Huge, HUGE_PAGE) > 0.0);
    }
}
