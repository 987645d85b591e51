// Lab 2, pitfalls: a benchmark that measures what it says.
//
// The benchmark below is meant to count what `checksum` costs on `N` words. It does
// not: look at what the compiler may do with a result nobody reads and an input it can
// see, and at what else runs between the start and the end of the measurement. Fix the
// benchmark, not the function: the grader compares its count with a correct measurement
// of `checksum`.

/// Words the benchmark hashes.
pub const N: usize = 4096;

/// The function under test, FNV-1a over 64-bit words. Leave it as it is.
pub fn checksum(words: &[u64]) -> u64 {
    words.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &w| {
        (hash ^ w).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Builds the benchmark's input. The harness calls it before counting starts, hands
/// what it returns to [`bench`], and frees it after counting stops.
pub fn setup() -> Vec<u64> {
    Vec::new()
}

/// The benchmark's body: the harness counts every instruction of this call, and nothing
/// else.
pub fn bench(_input: &[u64]) {
    let words: Vec<u64> = (0..N as u64).collect();
    let _ = checksum(&words);
}
