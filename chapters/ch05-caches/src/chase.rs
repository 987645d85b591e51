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

    /// Maps `len` lines with `pages` and links the lines `order` names into one cycle in that
    /// order (`order[k]` to `order[k + 1]`, the last back to the first). Every line `order`
    /// does not name links to `order[0]`, so a walk from any line enters the cycle; the
    /// working set of a walk is the lines of `order`, spread over the pages they lie in.
    ///
    /// # Panics
    /// When `order` is empty, names a line outside the `len`, or names a line twice.
    pub fn with_order(len: usize, order: &[u32], pages: Pages) -> Ring {
        assert!(!order.is_empty(), "an order of no lines");
        let mut seen = vec![false; len];
        for &i in order {
            let slot = seen
                .get_mut(i as usize)
                .unwrap_or_else(|| panic!("line {i} lies outside the {len} lines"));
            assert!(!*slot, "line {i} is named twice");
            *slot = true;
        }
        let mut buf = LineBuf::new(len, pages);
        let base = buf.as_ptr() as u64;
        let addr = |i: u32| base + u64::from(i) * LINE as u64;
        // Front to back first (every page mapped before anything is timed), then the cycle.
        for line in buf.iter_mut() {
            line.words[0] = addr(order[0]);
        }
        for (k, &i) in order.iter().enumerate() {
            buf[i as usize].words[0] = addr(order[(k + 1) % order.len()]);
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

/// Lines in a 4 KiB page.
pub const LINES_PER_PAGE: usize = 4096 / LINE;

// ANCHOR: tlb_orders
/// One line in each of `pages` 4 KiB pages, the pages in random order and the line at a random
/// offset in its page (so that the lines do not all fall in the same cache sets): as many
/// translations as lines. The buffer it indexes holds `pages × LINES_PER_PAGE` lines.
///
/// # Panics
/// When `pages` is zero or its lines do not fit `u32` indices.
pub fn one_line_per_page(pages: usize, seed: u64) -> Vec<u32> {
    let lines = pages.checked_mul(LINES_PER_PAGE).expect("too many pages");
    assert!(
        pages > 0 && u32::try_from(lines).is_ok(),
        "{pages} pages do not fit u32 lines"
    );
    let mut rng = inputs::Rng::new(seed);
    let mut order: Vec<u32> = (0..pages as u32).collect();
    inputs::shuffle(&mut order, &mut rng);
    for p in &mut order {
        *p = *p * LINES_PER_PAGE as u32 + rng.below(LINES_PER_PAGE as u64) as u32;
    }
    order
}

/// Every line of `pages` 4 KiB pages, page by page with the pages in random order and the
/// lines in random order inside each page: one translation per 64 lines, and no order the
/// stride prefetcher can follow.
///
/// # Panics
/// When `pages` is zero or its lines do not fit `u32` indices.
pub fn page_by_page(pages: usize, seed: u64) -> Vec<u32> {
    let lines = pages.checked_mul(LINES_PER_PAGE).expect("too many pages");
    assert!(
        pages > 0 && u32::try_from(lines).is_ok(),
        "{pages} pages do not fit u32 lines"
    );
    let mut rng = inputs::Rng::new(seed);
    let mut pages_order: Vec<u32> = (0..pages as u32).collect();
    inputs::shuffle(&mut pages_order, &mut rng);
    let mut order = Vec::with_capacity(lines);
    let mut within: Vec<u32> = (0..LINES_PER_PAGE as u32).collect();
    for p in pages_order {
        inputs::shuffle(&mut within, &mut rng);
        order.extend(within.iter().map(|l| p * LINES_PER_PAGE as u32 + l));
    }
    order
}
// ANCHOR_END: tlb_orders

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

// ANCHOR: strided
/// Adds up `count` 8-byte words `stride` bytes apart, starting at byte `from` of `lines` and
/// wrapping round at its end; returns the sum and the byte the next read would start at. The
/// loads are independent, so the time per word is set by how many lines the words bring in:
/// below the line size several words share a line, from it on each word needs a line of its own.
///
/// # Panics
/// When `stride` is zero, not a multiple of 8 or larger than `lines`, or `from` is not the
/// start of a word of `lines`.
#[inline(never)]
pub fn sum_strided(lines: &[Line], stride: usize, from: usize, count: u64) -> (u64, usize) {
    // A slice's size in bytes fits `isize`, so `at + stride` below cannot overflow `usize`.
    let bytes = std::mem::size_of_val(lines);
    assert!(
        stride > 0 && stride.is_multiple_of(8) && stride <= bytes,
        "stride {stride} is not a word multiple within {bytes} bytes"
    );
    assert!(
        from < bytes && from.is_multiple_of(8),
        "byte {from} starts no word of the buffer"
    );
    let (mut at, mut sum) = (from, 0u64);
    for _ in 0..count {
        sum = sum.wrapping_add(lines[at / LINE].words[at % LINE / 8]);
        at += stride;
        if at >= bytes {
            at -= bytes;
        }
    }
    (sum, at)
}
// ANCHOR_END: strided
