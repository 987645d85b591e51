//! Deterministic inputs and the functions the chapter measures.

/// SplitMix64: a small, fast generator with a fixed sequence per seed. Benchmarks need inputs
/// that are the same on every run and every machine; a cryptographic generator is not needed.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`, by Lemire's multiply-shift (bias below 2^-32 for the `n` used here).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// `len` random `u32` values from `seed`.
pub fn random_u32s(len: usize, seed: u64) -> Vec<u32> {
    let mut rng = SplitMix64::new(seed);
    (0..len).map(|_| rng.next_u64() as u32).collect()
}

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
