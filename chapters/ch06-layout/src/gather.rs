//! An indexed gather, with and without software prefetch.
//!
//! `sum of data[idx[i]]` is the core of hash joins, graph traversals and sparse matrix
//! products. Every load address is known early (the index array is read in order), so an
//! out-of-order core already overlaps several misses; the question is how far ahead it can
//! see. A hardware prefetcher watches the stream of missing addresses and fetches ahead when it
//! recognises a pattern: consecutive lines, or a constant stride inside one page. A software
//! prefetch tells the cache about a future address that no pattern predicts.
//!
//! Every index order below visits each 64-byte line of the table exactly once per cycle, at its
//! first word, so that the orders differ only in the order of the same loads.

use inputs::{LINE, Rng, shuffle};

/// `u64`s per 64-byte line.
pub const WORDS_PER_LINE: usize = LINE / size_of::<u64>();

// ANCHOR: prefetch
/// Asks the caches to fetch the line holding `p` into every level, and returns at once.
///
/// On x86-64 this is `prefetcht0`. Other targets have no stable prefetch intrinsic, so there
/// this is a no-op and the prefetching gather runs as the plain one with extra work.
#[inline(always)]
pub fn prefetch_read<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: a prefetch is a hint. It never faults and never changes memory, whatever the
        // address, so any pointer value is allowed, even one past the end of an allocation.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = p;
    }
}
// ANCHOR_END: prefetch

// ANCHOR: work
/// What the gather does with each element: `rounds` steps of a multiply-xorshift mix folded
/// into the running sum, one long dependency chain. Zero rounds is a plain wrapping sum.
#[inline(always)]
pub fn absorb(sum: u64, x: u64, rounds: usize) -> u64 {
    let mut s = sum.wrapping_add(x);
    for _ in 0..rounds {
        s = (s ^ (s >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    s
}
// ANCHOR_END: work

// ANCHOR: plain
/// Absorbs `data[i]` for every `i` in `idx`, in order, with `rounds` of work per element.
#[inline]
pub fn gather(data: &[u64], idx: &[u32], rounds: usize) -> u64 {
    idx.iter()
        .fold(0u64, |s, &i| absorb(s, data[i as usize], rounds))
}
// ANCHOR_END: plain

// ANCHOR: prefetched
/// The same over the first `count` entries of `idx`, prefetching the element that will be
/// needed `dist` iterations later. Entries of `idx` past `count` are only prefetched, so a
/// caller that processes a long index list in pieces passes the rest of the list along and the
/// prefetches run ahead across the boundary.
///
/// # Panics
/// If `count > idx.len()`, or an index is out of bounds for `data`.
#[inline]
pub fn gather_prefetch(data: &[u64], idx: &[u32], count: usize, dist: usize, rounds: usize) -> u64 {
    assert!(count <= idx.len(), "count {count} past the index list");
    // The iterations that have an element `dist` ahead to prefetch, then the rest.
    let paired = count.min(idx.len().saturating_sub(dist));
    let now = &idx[..paired];
    let ahead = &idx[dist.min(idx.len())..][..paired];
    let mut s = 0u64;
    for (&i, &a) in now.iter().zip(ahead) {
        prefetch_read(data.as_ptr().wrapping_add(a as usize));
        s = absorb(s, data[i as usize], rounds);
    }
    for &i in &idx[paired..count] {
        s = absorb(s, data[i as usize], rounds);
    }
    s
}
// ANCHOR_END: prefetched

/// The order in which a gather visits the lines of its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Line 0, 1, 2, ...: what every prefetcher follows.
    Sequential,
    /// Lines `s, 2s, 3s, ...` from each start `0..s` in turn: a constant stride of `s` lines.
    Strided(usize),
    /// A seeded random permutation of the lines.
    Random(u64),
}

impl Order {
    /// The order's name as the benchmark ids spell it.
    pub fn name(self) -> String {
        match self {
            Order::Sequential => "sequential".to_string(),
            Order::Strided(s) => format!("stride{s}"),
            Order::Random(_) => "random".to_string(),
        }
    }
}

/// Word indices of the first word of each of `lines` lines, in `order`: every line once.
pub fn line_indices(lines: usize, order: Order) -> Vec<u32> {
    let mut line_order: Vec<usize> = match order {
        Order::Sequential => (0..lines).collect(),
        Order::Strided(s) => (0..s.min(lines))
            .flat_map(|start| (start..lines).step_by(s))
            .collect(),
        Order::Random(_) => (0..lines).collect(),
    };
    if let Order::Random(seed) = order {
        shuffle(&mut line_order, &mut Rng::new(seed));
    }
    line_order
        .into_iter()
        .map(|l| u32::try_from(l * WORDS_PER_LINE).expect("table under 32 GiB"))
        .collect()
}

/// A table of `lines` lines of seeded random words.
pub fn table(lines: usize, seed: u64) -> Vec<u64> {
    inputs::random_u64s(lines * WORDS_PER_LINE, seed)
}

/// `idx` followed by its own first `tail` entries (repeated if `idx` is shorter): the list a
/// caller walks in a cycle, with room for prefetches that look past its end.
pub fn with_tail(idx: &[u32], tail: usize) -> Vec<u32> {
    let mut v = idx.to_vec();
    v.extend(idx.iter().cycle().take(tail));
    v
}
