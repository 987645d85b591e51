//! The sort input and the functions the chapter measures.

/// `len` random `u32` values from `seed`: the book's seeded generator, so that every run on every
/// machine sorts the same values.
pub use inputs::random_u32s;

/// The two versions compared in the chapter: the standard library's stable sort (driftsort) and
/// its unstable sort (ipnsort).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortAlgo {
    /// `slice::sort`: stable, allocates a scratch buffer.
    Stable,
    /// `slice::sort_unstable`: in place.
    Unstable,
}

impl SortAlgo {
    /// Both versions, in the order the chapter shows them.
    pub const ALL: [SortAlgo; 2] = [SortAlgo::Stable, SortAlgo::Unstable];

    /// The case id both harnesses use.
    pub fn case(self) -> &'static str {
        match self {
            SortAlgo::Stable => "stable",
            SortAlgo::Unstable => "unstable",
        }
    }
}

// ANCHOR: sort_workload
/// Sorts `v` in place with `algo` and returns a checksum of the result, so that the sort's
/// output is used and cannot be discarded by the optimiser.
pub fn sort_workload(v: &mut [u32], algo: SortAlgo) -> u64 {
    match algo {
        SortAlgo::Stable => v.sort(),
        SortAlgo::Unstable => v.sort_unstable(),
    }
    // Position-weighted sum: differs for any misordering of distinct values.
    v.iter().enumerate().fold(0u64, |acc, (i, &x)| {
        acc.wrapping_add((i as u64 + 1).wrapping_mul(u64::from(x)))
    })
}
// ANCHOR_END: sort_workload
