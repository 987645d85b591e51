// Lab 2, reference solution: the input is built before counting starts, and both the input and
// the result pass through `black_box`, so the compiler can neither fold nor drop the work.

use std::hint::black_box;

/// Words the benchmark hashes.
pub const N: usize = 4096;

/// The function under test, FNV-1a over 64-bit words.
pub fn checksum(words: &[u64]) -> u64 {
    words.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &w| {
        (hash ^ w).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Builds the benchmark's input, outside the measurement.
pub fn setup() -> Vec<u64> {
    (0..N as u64).collect()
}

/// The benchmark's body: one call of `checksum` whose input the compiler cannot see and whose
/// result it must produce.
pub fn bench(input: &[u64]) {
    black_box(checksum(black_box(input)));
}
