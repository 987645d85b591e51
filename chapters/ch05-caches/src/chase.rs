//! Latency and bandwidth of each level of the memory hierarchy.
//!
//! A [`Ring`] is a buffer of cache lines in which every line holds the address of the next,
//! and the lines form one cycle in random order. Walking it is a chain of dependent loads: the
//! address of each load is the value of the previous one, so the processor cannot start a load
//! before the last has finished, and the hardware prefetcher cannot guess the next line. The
//! time per step is the latency of whichever level of the hierarchy holds the ring.
//!
//! [`sum_lines`] reads the same kind of buffer front to back. Its loads are independent and
//! their addresses predictable, so many are in flight at once and the prefetcher runs ahead:
//! the time per line is the reciprocal of bandwidth.

use crate::pages::{LINE, Line, LineBuf, Pages};

/// The random single cycle a [`Ring`] links its lines into (Sattolo's algorithm), from the
/// book's shared inputs.
pub use inputs::cyclic_permutation;

/// A buffer of lines linked into one random cycle.
pub struct Ring {
    buf: LineBuf,
}

impl Ring {
    /// Maps `next.len()` lines with `pages` and links line `i` to line `next[i]`.
    ///
    /// `next` should come from [`cyclic_permutation`]: with a permutation of several cycles a
    /// walk would stay in one part of the buffer and measure a smaller working set than the one
    /// named (the tests check that it is one cycle; checking here would cost a random walk over
    /// the whole permutation per buffer).
    ///
    /// # Panics
    /// When `next` is empty or names a slot outside it.
    pub fn new(next: &[u32], pages: Pages) -> Ring {
        assert!(
            next.iter().all(|&n| (n as usize) < next.len()),
            "a successor lies outside the ring"
        );
        let mut buf = LineBuf::new(next.len(), pages);
        let base = buf.as_ptr() as u64;
        // Lines are written front to back, which also makes the kernel map every page before
        // anything is timed.
        for (line, &n) in buf.iter_mut().zip(next) {
            line.words[0] = base + u64::from(n) * LINE as u64;
        }
        Ring { buf }
    }

    /// Lines in the ring.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Always false: a ring has at least one line.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Bytes in the ring: the working set of a walk.
    pub fn bytes(&self) -> usize {
        self.buf.len() * LINE
    }

    /// The share of the ring the kernel backs with huge pages (see [`LineBuf::huge_share`]).
    pub fn huge_share(&self) -> Option<f64> {
        self.buf.huge_share()
    }

    /// Takes `steps` steps from line `from` and returns the index of the line reached.
    ///
    /// # Panics
    /// When `from` is not a line of the ring.
    pub fn walk(&self, from: usize, steps: u64) -> usize {
        assert!(from < self.len(), "line {from} is outside the ring");
        // SAFETY: `from` is in bounds (checked above).
        let start = unsafe { self.buf.as_ptr().add(from) };
        // SAFETY: every line's first word holds the address of a line of this buffer (set in
        // `new`, and the buffer is never handed out mutably afterwards), and `self` keeps the
        // buffer mapped for the whole walk.
        let end = unsafe { chase(start, steps) };
        // SAFETY: `end` is a line of the same buffer as `as_ptr()`.
        unsafe { end.offset_from(self.buf.as_ptr()) as usize }
    }
}

// ANCHOR: chase
/// Follows `steps` links from `p`: each load's address is the value the previous load returned.
///
/// # Safety
/// `p` and every line reachable from it must hold, in their first word, the address of a live
/// [`Line`].
#[inline(never)]
pub unsafe fn chase(mut p: *const Line, steps: u64) -> *const Line {
    for _ in 0..steps {
        // SAFETY: by the caller's contract, `p` points to a live line whose first word is the
        // address of another.
        p = unsafe { (*p).words[0] } as *const Line;
    }
    p
}
// ANCHOR_END: chase

/// A buffer of `len` lines for reading, every word set to its line's index so that the pages
/// are mapped before anything is timed.
pub fn filled_lines(len: usize, pages: Pages) -> LineBuf {
    let mut buf = LineBuf::new(len, pages);
    for (i, line) in buf.iter_mut().enumerate() {
        line.words = [i as u64; 8];
    }
    buf
}

// ANCHOR: sum_lines
/// Adds up every word of every line, front to back, in eight independent sums so that the
/// additions never wait for each other: the loop is limited by how fast lines arrive.
#[inline(never)]
pub fn sum_lines(lines: &[Line]) -> u64 {
    let mut acc = [0u64; 8];
    for line in lines {
        for (a, w) in acc.iter_mut().zip(&line.words) {
            *a = a.wrapping_add(*w);
        }
    }
    acc.iter().fold(0, |s, a| s.wrapping_add(*a))
}
// ANCHOR_END: sum_lines

/// Reads `lines` lines from `buf`, front to back and around again as often as needed, and
/// returns the sum of what was read. The slice is passed through `black_box` on every pass, so
/// the compiler cannot sum a small buffer once and multiply.
pub fn read_lines(buf: &[Line], mut lines: u64) -> u64 {
    let mut total = 0u64;
    while lines > 0 {
        let n = lines.min(buf.len() as u64) as usize;
        total = total.wrapping_add(sum_lines(std::hint::black_box(&buf[..n])));
        lines -= n as u64;
    }
    total
}
