//! Lower-bound binary search over a sorted array: the first index whose key is not less than
//! the query. Each step halves the range by a comparison whose outcome, for random queries, is
//! a coin toss.

use crate::input::Rng;

// ANCHOR: branchy
/// The textbook loop: the comparison picks which bound moves.
///
/// LLVM may compile the `if` either way; for this loop on x86-64 it emits a conditional jump
/// (`jae`), so each step is a prediction.
#[inline]
pub fn lower_bound_branchy(keys: &[u32], q: u32) -> usize {
    let (mut lo, mut hi) = (0, keys.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if keys[mid] < q {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}
// ANCHOR_END: branchy

// ANCHOR: branchless
/// The same answer with a fixed number of steps and no branch on the data: the range only
/// shrinks from the top, and `select_unpredictable` tells the compiler that the choice of base
/// is a coin toss, so it emits a conditional move (`cmov`) rather than a jump.
#[inline]
pub fn lower_bound_branchless(keys: &[u32], q: u32) -> usize {
    if keys.is_empty() {
        return 0;
    }
    let mut base = 0;
    let mut size = keys.len();
    while size > 1 {
        let half = size / 2;
        let mid = base + half;
        base = std::hint::select_unpredictable(keys[mid] < q, mid, base);
        size -= half;
    }
    base + usize::from(keys[base] < q)
}
// ANCHOR_END: branchless

/// The standard library's lower bound.
#[inline]
pub fn lower_bound_std(keys: &[u32], q: u32) -> usize {
    keys.partition_point(|&k| k < q)
}

/// Which search to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// [`lower_bound_branchy`].
    Branchy,
    /// [`lower_bound_branchless`].
    Branchless,
    /// [`lower_bound_std`].
    Std,
}

/// Sums the lower bounds of every query with one search. `inline(never)` on each gives every
/// version its own loop, so each is measured as it compiles on its own.
#[inline(never)]
fn sum_branchy(keys: &[u32], queries: &[u32]) -> usize {
    queries.iter().map(|&q| lower_bound_branchy(keys, q)).sum()
}

#[inline(never)]
fn sum_branchless(keys: &[u32], queries: &[u32]) -> usize {
    queries
        .iter()
        .map(|&q| lower_bound_branchless(keys, q))
        .sum()
}

#[inline(never)]
fn sum_std(keys: &[u32], queries: &[u32]) -> usize {
    queries.iter().map(|&q| lower_bound_std(keys, q)).sum()
}

/// Sorted keys and random queries, built before measuring.
pub struct SearchCase {
    /// Sorted, distinct keys.
    pub keys: Vec<u32>,
    /// Queries, half of them keys and half of them random values.
    pub queries: Vec<u32>,
}

impl SearchCase {
    /// `len` sorted keys and `queries` queries from `seed`.
    pub fn new(len: usize, queries: usize, seed: u64) -> SearchCase {
        let mut rng = Rng::new(seed);
        let mut keys: Vec<u32> = (0..len).map(|_| rng.next_u64() as u32).collect();
        keys.sort_unstable();
        keys.dedup();
        let queries = (0..queries)
            .map(|i| {
                if i % 2 == 0 {
                    keys[rng.below(keys.len() as u64) as usize]
                } else {
                    rng.next_u64() as u32
                }
            })
            .collect();
        SearchCase { keys, queries }
    }

    /// Runs one version over every query; returns the sum of the lower bounds.
    pub fn run(&self, s: Search) -> usize {
        match s {
            Search::Branchy => sum_branchy(&self.keys, &self.queries),
            Search::Branchless => sum_branchless(&self.keys, &self.queries),
            Search::Std => sum_std(&self.keys, &self.queries),
        }
    }
}
