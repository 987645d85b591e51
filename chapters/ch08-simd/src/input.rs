//! Seeded inputs. Every experiment builds its data from a fixed seed with the book's shared
//! generator (`benchkit::rng`), so every run on every machine measures the same values.

pub use benchkit::rng::WyRand as Rng;

/// `len` floats in `[0, 1)`, from `seed`.
pub fn random_f32s(len: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng::new(seed);
    (0..len)
        .map(|_| (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32)
        .collect()
}

/// `len` random `u32`, from `seed`.
pub fn random_u32s(len: usize, seed: u64) -> Vec<u32> {
    let mut rng = Rng::new(seed);
    (0..len).map(|_| rng.next_u64() as u32).collect()
}

/// `len` random bytes none of which is `needle`, except the last one: a search for `needle`
/// reads the whole haystack.
///
/// # Panics
/// When `len` is zero.
pub fn haystack(len: usize, needle: u8, seed: u64) -> Vec<u8> {
    assert!(len > 0, "a haystack needs room for its needle");
    let mut rng = Rng::new(seed);
    let mut h: Vec<u8> = (0..len)
        .map(|_| {
            let b = rng.next_u64() as u8;
            if b == needle { b ^ 1 } else { b }
        })
        .collect();
    h[len - 1] = needle;
    h
}
