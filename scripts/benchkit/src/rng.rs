//! Seeded inputs: the same values on every run and every machine.
//!
//! A benchmark's input must be the same every time it runs, so that two runs measure the same
//! work; it need not be unpredictable to an adversary. Every chapter draws its random inputs
//! from [`WyRand`] with a fixed seed.

/// wyrand (Wang Yi): 64 bits per step from one 128-bit multiply, with a fixed sequence per
/// seed.
#[derive(Clone, Debug)]
pub struct WyRand(u64);

impl WyRand {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> WyRand {
        WyRand(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
        let t = u128::from(self.0) * u128::from(self.0 ^ 0xe703_7ed1_a0b4_28db);
        ((t >> 64) as u64) ^ (t as u64)
    }

    /// A number in `0..n`, by multiply-shift (Lemire); the bias is below `n / 2^64`.
    ///
    /// # Panics
    /// If `n` is zero.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "a number below zero");
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// `len` random `u64` from `seed`.
pub fn random_u64s(len: usize, seed: u64) -> Vec<u64> {
    let mut rng = WyRand::new(seed);
    (0..len).map(|_| rng.next_u64()).collect()
}

/// `len` random bytes from `seed`, each value equally likely (the top byte of each draw).
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = WyRand::new(seed);
    (0..len).map(|_| (rng.next_u64() >> 56) as u8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_fixed_by_the_seed() {
        assert_eq!(random_u64s(8, 7), random_u64s(8, 7));
        assert_ne!(random_u64s(8, 7), random_u64s(8, 8));
        let mut r = WyRand::new(1);
        assert_ne!(r.next_u64(), r.next_u64());
        // The first step from seed 0 is the multiply of the two constants' mix.
        let s = 0xa076_1d64_78bd_642fu64;
        let t = u128::from(s) * u128::from(s ^ 0xe703_7ed1_a0b4_28db);
        assert_eq!(WyRand::new(0).next_u64(), ((t >> 64) as u64) ^ (t as u64));
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
    fn below_stays_below() {
        let mut r = WyRand::new(3);
        for n in [1, 2, 3, 1000, u64::MAX] {
            for _ in 0..100 {
                assert!(r.below(n) < n);
            }
        }
    }
}
