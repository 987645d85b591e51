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

/// A copy of `bytes` whose first byte sits at an address that is a multiple of `align` (a
/// power of two): the buffer, and the offset of the copy in it. The search experiment uses it
/// to run the same haystack from a cache-line boundary.
///
/// # Panics
/// When `align` is not a power of two.
pub fn aligned_copy(bytes: &[u8], align: usize) -> (Vec<u8>, usize) {
    assert!(
        align.is_power_of_two(),
        "alignment {align} is not a power of two"
    );
    let mut buf = vec![0u8; bytes.len() + align];
    let off = buf.as_ptr().align_offset(align);
    buf[off..off + bytes.len()].copy_from_slice(bytes);
    (buf, off)
}
