//! Seeded inputs. Every experiment builds its data from a fixed seed with the book's shared
//! generator (crate `inputs`), so every run on every machine measures the same values.

pub use inputs::{Rng, random_u32s, random_u64s};

/// `true` with probability `percent / 100`.
pub fn chance(rng: &mut Rng, percent: u32) -> bool {
    rng.below(100) < u64::from(percent)
}

/// `len` words in which each bit is set with probability `percent / 100`.
pub fn sparse_words(len: usize, percent: u32, seed: u64) -> Vec<u64> {
    let mut rng = Rng::new(seed);
    (0..len)
        .map(|_| (0..64).fold(0u64, |w, i| w | (u64::from(chance(&mut rng, percent)) << i)))
        .collect()
}
