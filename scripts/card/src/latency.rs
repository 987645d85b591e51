//! Load latency by working set: a dependent pointer chase over one random cycle through every
//! cache line of a buffer, so that each load's address is the value of the one before and no
//! two loads overlap, on base pages and on transparent huge pages.

use std::hint::black_box;
use std::time::Instant;

use bookproto::card::{Better, Entry};
use inputs::{Mapped, Pages, cyclic_permutation};

use crate::Budget;
use crate::stats::best_of;

/// Words (`u64`) per 64-byte line.
const WORDS_PER_LINE: usize = 8;

/// Seed of the cycle; the same on every machine.
const SEED: u64 = 0x00ca_7d00_1a7e;

/// A buffer of `kib` KiB whose lines form one random cycle: the first word of each line holds
/// the word index of the next line's first word.
pub struct Ring {
    buf: Mapped,
}

impl Ring {
    /// A ring of `kib` KiB on `pages`.
    ///
    /// # Panics
    /// When `kib` is zero or its bytes overflow `usize`.
    pub fn new(kib: usize, pages: Pages) -> Ring {
        let bytes = kib
            .checked_mul(1024)
            .unwrap_or_else(|| panic!("a ring of {kib} KiB does not fit the address space"));
        let lines = bytes / 64;
        assert!(lines > 0, "a ring of no lines");
        let next = cyclic_permutation(lines, SEED);
        let mut buf = Mapped::new(bytes, pages);
        let words = words_mut(&mut buf);
        for (line, &n) in next.iter().enumerate() {
            words[line * WORDS_PER_LINE] = u64::from(n) * WORDS_PER_LINE as u64;
        }
        Ring { buf }
    }

    /// Follows the cycle for `steps` loads from word `at`; returns where it stopped.
    pub fn walk(&self, mut at: usize, steps: usize) -> usize {
        let words = words(&self.buf);
        for _ in 0..steps {
            at = words[at] as usize;
        }
        at
    }

    /// Lines in the ring.
    pub fn lines(&self) -> usize {
        self.buf.len() / 64
    }
}

fn words(buf: &Mapped) -> &[u64] {
    // SAFETY: every bit pattern is a valid `u64`, and the buffer starts on a huge-page
    // boundary and is a whole number of lines long, so the middle part is all of it.
    let (head, words, tail) = unsafe { buf.align_to::<u64>() };
    debug_assert!(head.is_empty() && tail.is_empty());
    words
}

fn words_mut(buf: &mut Mapped) -> &mut [u64] {
    // SAFETY: as in `words`.
    let (head, words, tail) = unsafe { buf.align_to_mut::<u64>() };
    debug_assert!(head.is_empty() && tail.is_empty());
    words
}

/// The ladder: every working set of the budget, on base and on huge pages, nanoseconds per
/// dependent load, best of the runs.
pub fn ladder(b: &Budget) -> Vec<Entry> {
    let mut out = Vec::new();
    for (pages, name, what) in [
        (Pages::Base, "base", "4 KiB pages"),
        (Pages::Huge, "huge", "huge pages asked for (madvise)"),
    ] {
        for &kib in b.latency_kib {
            let ring = Ring::new(kib, pages);
            // One lap untimed (at most the budget's steps): the lines and the page tables
            // are then where a long walk keeps them.
            let mut at = ring.walk(0, ring.lines().min(b.latency_steps));
            let runs: Vec<f64> = (0..b.latency_runs)
                .map(|_| {
                    let t = Instant::now();
                    at = black_box(ring.walk(at, b.latency_steps));
                    t.elapsed().as_nanos() as f64 / b.latency_steps as f64
                })
                .collect();
            out.push(best_of(
                &format!("latency/{name}/kib{kib}"),
                &format!("dependent load, {} working set, {what}", human_kib(kib)),
                "ns",
                Better::Lower,
                &runs,
            ));
        }
    }
    out
}

/// `16` as `16 KiB`, `262144` as `256 MiB`.
pub fn human_kib(kib: usize) -> String {
    if kib >= 1 << 20 && kib.is_multiple_of(1 << 20) {
        format!("{} GiB", kib >> 20)
    } else if kib >= 1 << 10 && kib.is_multiple_of(1 << 10) {
        format!("{} MiB", kib >> 10)
    } else {
        format!("{kib} KiB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_visits_every_line_once_per_lap() {
        let ring = Ring::new(64, Pages::Base);
        let lines = ring.lines();
        assert_eq!(lines, 1024);
        let mut seen = vec![false; lines];
        let mut at = 0;
        for _ in 0..lines {
            assert!(
                !seen[at / WORDS_PER_LINE],
                "line {} twice",
                at / WORDS_PER_LINE
            );
            seen[at / WORDS_PER_LINE] = true;
            at = ring.walk(at, 1);
            assert_eq!(
                at % WORDS_PER_LINE,
                0,
                "every step lands on a line's first word"
            );
        }
        assert_eq!(at, 0, "a lap returns to the start");
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    #[should_panic(expected = "does not fit the address space")]
    fn a_ring_whose_bytes_overflow_is_refused() {
        Ring::new(usize::MAX / 512, Pages::Base);
    }

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(human_kib(16), "16 KiB");
        assert_eq!(human_kib(8192), "8 MiB");
        assert_eq!(human_kib(1 << 20), "1 GiB");
        assert_eq!(human_kib(1536), "1536 KiB");
    }
}
