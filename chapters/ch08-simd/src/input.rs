//! Seeded inputs on cache-line boundaries. Every experiment builds its data from a fixed seed
//! with the book's shared generator, and every array a kernel reads is an [`Aligned`] one, so
//! that every run on every machine measures the same values from the same place in a line.
//! Both come from the `inputs` crate; this module puts them together for the chapter.

pub use inputs::{Aligned, Plain, Rng, haystack};

/// `len` floats in `[0, 1)` from `seed` (the values of [`inputs::random_f32s`]), starting on a
/// cache-line boundary.
pub fn random_f32s(len: usize, seed: u64) -> Aligned<f32> {
    Aligned::from_slice(&inputs::random_f32s(len, seed))
}

/// `len` random `u32` from `seed` (the values of [`inputs::random_u32s`]), starting on a
/// cache-line boundary.
pub fn random_u32s(len: usize, seed: u64) -> Aligned<u32> {
    Aligned::from_slice(&inputs::random_u32s(len, seed))
}

/// A copy of `bytes` that starts on a cache-line boundary: the search experiment runs the same
/// haystack from where the allocator put it and from a line.
pub fn aligned_copy(bytes: &[u8]) -> Aligned<u8> {
    Aligned::from_slice(bytes)
}
