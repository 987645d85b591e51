//! Bit-level kernels, each written the obvious way and with a trick: population count,
//! iterating the set bits of a word, gathering and scattering bits under a mask (`pext`,
//! `pdep`), and finding a byte eight bytes at a time (SWAR: SIMD within a register).
//!
//! Every kernel is `inline(never)` and works over a whole slice, so one call measures one loop
//! as the compiler shaped it on its own.

/// A kernel over a slice of words, as the benchmarks list them.
pub type WordKernel = fn(&[u64]) -> u64;

/// A byte search, as the benchmarks list them.
pub type FindKernel = fn(&[u8], u8) -> Option<usize>;

// ---------------------------------------------------------------------------------------------
// Population count
// ---------------------------------------------------------------------------------------------

// ANCHOR: popcount_naive
/// Counts set bits one at a time: a loop whose trip count is the position of the highest set
/// bit, so its exit is a data-dependent branch.
#[inline(never)]
pub fn popcount_naive(words: &[u64]) -> u64 {
    let mut total = 0;
    for &w in words {
        let mut x = w;
        while x != 0 {
            total += x & 1;
            x >>= 1;
        }
    }
    total
}
// ANCHOR_END: popcount_naive

/// Set bits of every byte value.
pub static BYTE_ONES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8 & 1) + t[i / 2];
        i += 1;
    }
    t
};

// ANCHOR: popcount_lut
/// Counts set bits a byte at a time through a 256-entry table: eight loads per word, no
/// branch on the data.
#[inline(never)]
pub fn popcount_lut(words: &[u64]) -> u64 {
    let mut total = 0;
    for &w in words {
        for b in w.to_le_bytes() {
            total += u64::from(BYTE_ONES[usize::from(b)]);
        }
    }
    total
}
// ANCHOR_END: popcount_lut

// ANCHOR: popcount_swar
/// The set bits of one word by SWAR: add neighbouring bits in pairs, then pairs of pairs in
/// nibbles, then sum the eight byte counts with one multiply.
pub const fn ones_swar(x: u64) -> u64 {
    let x = x - ((x >> 1) & 0x5555_5555_5555_5555);
    let x = (x & 0x3333_3333_3333_3333) + ((x >> 2) & 0x3333_3333_3333_3333);
    let x = (x + (x >> 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    x.wrapping_mul(0x0101_0101_0101_0101) >> 56
}

/// Population count of a slice with [`ones_swar`].
#[inline(never)]
pub fn popcount_swar(words: &[u64]) -> u64 {
    words.iter().map(|&w| ones_swar(w)).sum()
}
// ANCHOR_END: popcount_swar

// ANCHOR: popcount_count_ones
/// `u64::count_ones`. For the baseline x86-64 target, which does not promise the `popcnt`
/// instruction, the compiler expands it into a bit trick of its own.
#[inline(never)]
pub fn popcount_count_ones(words: &[u64]) -> u64 {
    words.iter().map(|&w| u64::from(w.count_ones())).sum()
}
// ANCHOR_END: popcount_count_ones

// ANCHOR: popcount_hw
/// `count_ones` compiled with the `popcnt` instruction enabled, chosen at run time when the CPU
/// has it; elsewhere the portable version.
pub fn popcount_hw(words: &[u64]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has just been found to support `popcnt`, the only feature the
        // function is compiled for beyond the baseline.
        return unsafe { popcount_popcnt(words) };
    }
    popcount_count_ones(words)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
#[inline(never)]
fn popcount_popcnt(words: &[u64]) -> u64 {
    words.iter().map(|&w| u64::from(w.count_ones())).sum()
}
// ANCHOR_END: popcount_hw

// ---------------------------------------------------------------------------------------------
// Iterating set bits
// ---------------------------------------------------------------------------------------------

// ANCHOR: ones_naive
/// Sum of the positions of every set bit (bit `i` of word `k` is position `64k + i`), testing
/// each of the 64 bits of every word.
#[inline(never)]
pub fn set_positions_naive(words: &[u64]) -> u64 {
    let mut total = 0;
    for (k, &w) in words.iter().enumerate() {
        for i in 0..64 {
            if (w >> i) & 1 == 1 {
                total += 64 * k as u64 + i;
            }
        }
    }
    total
}
// ANCHOR_END: ones_naive

// ANCHOR: ones_tzcnt
/// The same sum, visiting only the set bits: `trailing_zeros` finds the lowest one, and
/// `w & (w - 1)` clears it.
#[inline(never)]
pub fn set_positions_tzcnt(words: &[u64]) -> u64 {
    let mut total = 0;
    for (k, &w) in words.iter().enumerate() {
        let mut w = w;
        while w != 0 {
            total += 64 * k as u64 + u64::from(w.trailing_zeros());
            w &= w - 1;
        }
    }
    total
}
// ANCHOR_END: ones_tzcnt

// ---------------------------------------------------------------------------------------------
// pext and pdep
// ---------------------------------------------------------------------------------------------

// ANCHOR: pext_naive
/// Parallel bit extract, bit by bit: the bits of `x` where `mask` has a one, packed into the
/// low bits of the result, lowest first.
pub fn pext_naive(x: u64, mask: u64) -> u64 {
    let mut r = 0;
    let mut k = 0;
    for i in 0..64 {
        if (mask >> i) & 1 == 1 {
            r |= ((x >> i) & 1) << k;
            k += 1;
        }
    }
    r
}
// ANCHOR_END: pext_naive

// ANCHOR: pext_portable
/// Parallel bit extract visiting only the mask's set bits.
pub fn pext_portable(x: u64, mask: u64) -> u64 {
    let mut r = 0;
    let mut m = mask;
    let mut k = 0;
    while m != 0 {
        let i = m.trailing_zeros();
        r |= ((x >> i) & 1) << k;
        k += 1;
        m &= m - 1;
    }
    r
}

/// Parallel bit deposit: the low bits of `x`, lowest first, placed where `mask` has a one.
pub fn pdep_portable(x: u64, mask: u64) -> u64 {
    let mut r = 0;
    let mut m = mask;
    let mut k = 0;
    while m != 0 {
        let i = m.trailing_zeros();
        r |= ((x >> k) & 1) << i;
        k += 1;
        m &= m - 1;
    }
    r
}
// ANCHOR_END: pext_portable

/// Which implementation of `pext`/`pdep` a kernel uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitImpl {
    /// Bit by bit over all 64 positions (`pext` only; `pdep` uses the portable one).
    Naive,
    /// Only the mask's set bits.
    Portable,
    /// The BMI2 instruction when the CPU has it, else [`BitImpl::Portable`].
    Bmi2,
}

/// Whether this CPU has BMI2's `pext` and `pdep`.
pub fn has_bmi2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("bmi2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[inline(never)]
fn pext_all_naive(xs: &[u64], mask: u64) -> u64 {
    xs.iter().fold(0, |acc, &x| acc ^ pext_naive(x, mask))
}

#[inline(never)]
fn pext_all_portable(xs: &[u64], mask: u64) -> u64 {
    xs.iter().fold(0, |acc, &x| acc ^ pext_portable(x, mask))
}

#[inline(never)]
fn pdep_all_portable(xs: &[u64], mask: u64) -> u64 {
    xs.iter().fold(0, |acc, &x| acc ^ pdep_portable(x, mask))
}

// ANCHOR: pext_bmi2
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
#[inline(never)]
fn pext_all_bmi2(xs: &[u64], mask: u64) -> u64 {
    use std::arch::x86_64::_pext_u64;
    xs.iter().fold(0, |acc, &x| acc ^ _pext_u64(x, mask))
}
// ANCHOR_END: pext_bmi2

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
#[inline(never)]
fn pdep_all_bmi2(xs: &[u64], mask: u64) -> u64 {
    use std::arch::x86_64::_pdep_u64;
    xs.iter().fold(0, |acc, &x| acc ^ _pdep_u64(x, mask))
}

/// XOR of `pext(x, mask)` over every `x`, with the chosen implementation.
pub fn pext_all(xs: &[u64], mask: u64, how: BitImpl) -> u64 {
    match how {
        BitImpl::Naive => pext_all_naive(xs, mask),
        BitImpl::Portable => pext_all_portable(xs, mask),
        BitImpl::Bmi2 => {
            #[cfg(target_arch = "x86_64")]
            if has_bmi2() {
                // SAFETY: BMI2, the only feature the function is compiled for beyond the
                // baseline, was just detected on this CPU.
                return unsafe { pext_all_bmi2(xs, mask) };
            }
            pext_all_portable(xs, mask)
        }
    }
}

/// XOR of `pdep(x, mask)` over every `x`, with the chosen implementation (`Naive` runs the
/// portable one).
pub fn pdep_all(xs: &[u64], mask: u64, how: BitImpl) -> u64 {
    match how {
        BitImpl::Naive | BitImpl::Portable => pdep_all_portable(xs, mask),
        BitImpl::Bmi2 => {
            #[cfg(target_arch = "x86_64")]
            if has_bmi2() {
                // SAFETY: BMI2, the only feature the function is compiled for beyond the
                // baseline, was just detected on this CPU.
                return unsafe { pdep_all_bmi2(xs, mask) };
            }
            pdep_all_portable(xs, mask)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Finding a byte
// ---------------------------------------------------------------------------------------------

// ANCHOR: find_naive
/// The index of the first `needle` in `hay`, a byte at a time.
#[inline(never)]
pub fn find_byte_naive(hay: &[u8], needle: u8) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}
// ANCHOR_END: find_naive

// ANCHOR: find_swar
const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// A word with the high bit set in the lowest byte of `x` that is zero; higher bytes may be
/// flagged falsely (by a borrow), lower ones never are, so the lowest flag is exact.
const fn zero_byte_flags(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// The index of the first `needle` in `hay`, eight bytes per step: XOR with the needle in
/// every byte turns a match into a zero byte, and one subtraction finds zero bytes.
#[inline(never)]
pub fn find_byte_swar(hay: &[u8], needle: u8) -> Option<usize> {
    let pattern = LO * u64::from(needle);
    let chunks = hay.chunks_exact(8);
    let tail = chunks.remainder();
    for (i, c) in chunks.enumerate() {
        let w = u64::from_le_bytes(c.try_into().expect("chunks of eight"));
        let flags = zero_byte_flags(w ^ pattern);
        if flags != 0 {
            return Some(i * 8 + flags.trailing_zeros() as usize / 8);
        }
    }
    let start = hay.len() - tail.len();
    tail.iter().position(|&b| b == needle).map(|p| start + p)
}
// ANCHOR_END: find_swar

/// A haystack of `len` random bytes, none equal to `needle` but the last: the book's shared
/// one, which chapter 08 searches too.
pub use inputs::haystack;
