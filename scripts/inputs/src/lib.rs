//! What the chapters' libraries share to build their inputs.
//!
//! A benchmark's input must be the same on every run and every machine, so that two runs
//! measure the same work; it need not be unpredictable to an adversary. Every chapter draws its
//! random inputs from [`Rng`] with a fixed seed, and lays them out with the pieces here:
//!
//! - [`Rng`] and the seeded vectors [`random_u32s`], [`random_u64s`], [`random_bytes`],
//!   [`random_f32s`], and [`haystack`] for byte searches;
//! - permutations: [`shuffle`] (Fisher–Yates), [`sattolo`] and [`cyclic_permutation`] (one
//!   cycle through every slot, for pointer chasing), and [`is_single_cycle`];
//! - [`Aligned`], a buffer whose first element starts on a cache line ([`LINE`]), for element
//!   types that are [`Plain`];
//! - [`Mapped`], a zeroed, page-aligned buffer mapped from the kernel with base or huge
//!   [`Pages`], sizes checked;
//! - [`CachePadded`], the padding the concurrency chapters put between values that different
//!   threads write.
//!
//! Chapter libraries depend on this crate and on nothing that measures: the benchmark harnesses
//! (criterion, gungraun) stay in `benchkit`, which only the benches use.

mod aligned;
mod mapped;
mod perm;

pub use aligned::{Aligned, LINE, Plain};
pub use mapped::{HUGE_PAGE, Mapped, PAGE, Pages};
pub use perm::{cyclic_permutation, is_single_cycle, sattolo, shuffle};

/// A value padded and aligned to the length of a cache line (or of the pair of lines that the
/// processor's spatial prefetcher fetches together: 128 bytes on x86-64 and AArch64, 64 on most
/// other targets), so that two of them never share a line.
///
/// The concurrency chapters put one around every value that one thread writes while another
/// reads its neighbour: without it the two threads pass the line back and forth (false
/// sharing). It is `crossbeam_utils::CachePadded`, re-exported so that every chapter pads the
/// same way.
pub use crossbeam_utils::CachePadded;

/// The book's seeded generator: wyrand (Wang Yi), 64 bits per step from one 128-bit multiply,
/// as implemented by `fastrand`.
///
/// The sequence from a seed is fixed by the exact version of `fastrand` the workspace pins
/// (`fastrand = "=2.5.0"` in the root `Cargo.toml`): a new version may change the generator's
/// constants (2.x moved to those of wyhash's final v4.2), and with them every input the book
/// measures. A test here checks the first outputs from seed 0 against the algorithm, so such a
/// change fails the tests before it changes a number on a page.
#[derive(Clone, Debug)]
pub struct Rng(fastrand::Rng);

impl Rng {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(fastrand::Rng::with_seed(seed))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.u64(..)
    }

    /// The next 32 random bits: the low half of the next 64.
    pub fn next_u32(&mut self) -> u32 {
        self.0.u32(..)
    }

    /// A float in `[0, 1)`: the top 24 bits of the next 64 over 2^24, so every value is a
    /// multiple of 2^-24 and each is equally likely.
    pub fn next_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 * (1.0 / (1u32 << 24) as f32)
    }

    /// A number in `0..n`, every one equally likely (Lemire's multiply-shift with rejection).
    ///
    /// # Panics
    /// If `n` is zero.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "a number below zero was asked for");
        self.0.u64(..n)
    }
}

/// `len` random `u32` from `seed`.
pub fn random_u32s(len: usize, seed: u64) -> Vec<u32> {
    let mut rng = Rng::new(seed);
    (0..len).map(|_| rng.next_u32()).collect()
}

/// `len` random `u64` from `seed`.
pub fn random_u64s(len: usize, seed: u64) -> Vec<u64> {
    let mut rng = Rng::new(seed);
    (0..len).map(|_| rng.next_u64()).collect()
}

/// `len` random bytes from `seed`, each value equally likely: the eight bytes of each draw in
/// little-endian order, so that every machine gets the same bytes.
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut bytes = vec![0u8; len];
    for chunk in bytes.chunks_mut(8) {
        let draw = rng.next_u64().to_le_bytes();
        chunk.copy_from_slice(&draw[..chunk.len()]);
    }
    bytes
}

/// `len` floats in `[0, 1)` from `seed` (see [`Rng::next_f32`]).
pub fn random_f32s(len: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng::new(seed);
    (0..len).map(|_| rng.next_f32()).collect()
}

/// `len` random bytes from `seed`, none of which is `needle` except the last: a search for
/// `needle` reads the whole haystack. A random byte equal to `needle` becomes `needle ^ 1`.
///
/// # Panics
/// When `len` is zero: there is no room for the needle.
pub fn haystack(len: usize, needle: u8, seed: u64) -> Vec<u8> {
    assert!(len > 0, "a haystack needs room for its needle");
    let mut hay = random_bytes(len, seed);
    for b in &mut hay {
        if *b == needle {
            *b ^= 1;
        }
    }
    hay[len - 1] = needle;
    hay
}

#[cfg(test)]
mod tests {
    use super::*;

    /// wyrand as wyhash v4.2 defines it, written out: the reference the pinned `fastrand` must
    /// match.
    fn wyrand_reference(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x2d35_8dcc_aa6c_78a5);
        let t = u128::from(*state) * u128::from(*state ^ 0x8bb8_4b93_962e_acc9);
        (t as u64) ^ ((t >> 64) as u64)
    }

    #[test]
    fn the_sequence_is_wyrand_and_fixed_by_the_seed() {
        for seed in [0, 1, 0x5eed, u64::MAX] {
            let mut state = seed;
            let mut rng = Rng::new(seed);
            for _ in 0..64 {
                assert_eq!(rng.next_u64(), wyrand_reference(&mut state), "seed {seed}");
            }
        }
        assert_eq!(Rng::new(0).next_u64(), 0x9a45_cd88_8d59_f0d6);
        assert_eq!(random_u64s(8, 7), random_u64s(8, 7));
        assert_ne!(random_u64s(8, 7), random_u64s(8, 8));
    }

    #[test]
    fn narrower_draws_take_their_bits_from_one_draw() {
        let mut a = Rng::new(11);
        let mut b = Rng::new(11);
        for _ in 0..16 {
            assert_eq!(a.next_u32(), b.next_u64() as u32);
            assert_eq!(a.next_f32(), (b.next_u64() >> 40) as f32 / 16_777_216.0);
        }
        let mut c = a.clone();
        assert_eq!(
            a.next_u64(),
            c.next_u64(),
            "a clone continues the same sequence"
        );
    }

    #[test]
    fn below_stays_below_and_reaches_every_value() {
        let mut r = Rng::new(3);
        for n in [1, 2, 3, 1000, u64::MAX] {
            for _ in 0..100 {
                assert!(r.below(n) < n);
            }
        }
        let mut seen = [false; 7];
        for _ in 0..1000 {
            seen[r.below(7) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s), "{seen:?}");
    }

    #[test]
    #[should_panic(expected = "below zero")]
    fn below_zero_is_refused() {
        let _ = Rng::new(1).below(0);
    }

    #[test]
    fn vectors_have_their_length_and_follow_the_generator() {
        for len in [0, 1, 7, 8, 9, 100] {
            assert_eq!(random_u32s(len, 5).len(), len);
            assert_eq!(random_u64s(len, 5).len(), len);
            assert_eq!(random_bytes(len, 5).len(), len);
            assert_eq!(random_f32s(len, 5).len(), len);
        }
        let mut r = Rng::new(5);
        let words: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(random_u64s(3, 5), words);
        assert_eq!(
            random_u32s(3, 5),
            words.iter().map(|&w| w as u32).collect::<Vec<_>>()
        );
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(random_bytes(20, 5), bytes[..20]);
    }

    #[test]
    fn bytes_are_roughly_uniform() {
        let bytes = random_bytes(256 * 1024, 0x5eed);
        let mut counts = [0u32; 256];
        for b in bytes {
            counts[usize::from(b)] += 1;
        }
        // 1,024 expected per value, with a standard deviation of about 32.
        assert!(
            counts.iter().all(|&c| (824..1224).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn floats_lie_in_the_unit_interval_on_a_grid_of_two_to_the_minus_24() {
        let xs = random_f32s(10_000, 9);
        assert!(xs.iter().all(|&x| (0.0..1.0).contains(&x)));
        assert!(xs.iter().all(|&x| (x * 16_777_216.0).fract() == 0.0));
        let mean = xs.iter().map(|&x| f64::from(x)).sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
    }

    #[test]
    fn a_haystack_holds_its_needle_only_at_the_end() {
        for needle in [0u8, 1, 0x7f, 0xff] {
            for len in [1, 2, 63, 4096] {
                let h = haystack(len, needle, 3);
                assert_eq!(h.len(), len);
                assert_eq!(h.iter().position(|&b| b == needle), Some(len - 1));
            }
        }
    }

    #[test]
    #[should_panic(expected = "room for its needle")]
    fn an_empty_haystack_is_refused() {
        let _ = haystack(0, 0, 1);
    }

    #[test]
    fn cache_padding_keeps_neighbours_on_separate_lines() {
        assert!(align_of::<CachePadded<u8>>() >= LINE);
        assert!(size_of::<[CachePadded<u64>; 2]>() >= 2 * LINE);
        let pair = [CachePadded::new(1u64), CachePadded::new(2u64)];
        let (a, b) = (
            &*pair[0] as *const u64 as usize,
            &*pair[1] as *const u64 as usize,
        );
        assert_ne!(a / LINE, b / LINE);
        assert_eq!(*pair[1], 2);
    }
}
