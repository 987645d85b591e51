//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) read these lists, and the ids they give each case are the ids that
//! `figures.toml` names.

use benchkit::rng::{WyRand, random_u64s};

/// Keys hashed by the dead-code experiment.
pub const KEYS_LEN: usize = 1024;

/// Seed of every input of the chapter, so that every run sees the same values.
pub const SEED: u64 = 0x5eed_0002;

/// The keys of the dead-code experiment.
pub fn keys() -> Vec<u64> {
    random_u64s(KEYS_LEN, SEED)
}

/// The key of the hoisting experiment.
pub const KEY: u64 = 0x0123_4567_89ab_cdef;

/// How many times the hoisting experiment hashes its key per timed iteration.
pub const REPEATS: u32 = 1000;

/// The text parsed by the constant-folding experiment: the largest `u64`, 20 digits.
pub const NUMBER: &[u8] = b"18446744073709551615";

/// Words summed by the cache experiment: 16 KiB, which fits the L1 data cache of the machines
/// this book runs on and of callgrind's simulation (32 KiB).
pub const CHECKSUM_WORDS: usize = 2048;

// The buffer must fit the simulated L1 (32 KiB) for the hot case to be hot under callgrind.
const _: () = assert!(CHECKSUM_WORDS * 8 < 32 << 10);

/// The words of the cache experiment.
pub fn words() -> Vec<u64> {
    random_u64s(CHECKSUM_WORDS, SEED)
}

/// The last-level cache callgrind simulates under gungraun: 8 MiB (`--LL=8388608,16,64`).
pub const SIMULATED_LL_BYTES: usize = 8 << 20;

/// Bytes per input of the branch-predictor experiment.
pub const FILTER_LEN: usize = 1024;

/// How many different inputs the branch-predictor experiment cycles through.
pub const FILTER_INPUTS: [usize; 7] = [1, 2, 4, 8, 16, 64, 256];

/// Input counts at which the sorted control of the branch-predictor experiment runs.
pub const SORTED_INPUTS: [usize; 2] = [1, 256];

/// Calls per callgrind run of the branch-predictor experiment.
pub const CALLGRIND_CALLS: usize = 16;

/// The case id of a pool of `count` inputs.
pub fn inputs_case(count: usize) -> String {
    format!("inputs{count}")
}

/// Rounds of hashing per call in the too-small-work experiment.
pub const ROUNDS: [u32; 4] = [1, 16, 256, 4096];

/// The case id of `rounds` rounds.
pub fn rounds_case(rounds: u32) -> String {
    format!("rounds{rounds}")
}

/// Readings of the clock per measurement of its step.
pub const CLOCK_READINGS: usize = 1_000_000;

/// Timestamps converted by the inlining experiment.
pub const TIMESTAMPS_LEN: usize = 1024;

/// Timestamps in nanoseconds since the Unix epoch, within one day from 14 November 2023; all of
/// them need 64 bits.
pub fn timestamps() -> Vec<u64> {
    const START: u64 = 1_700_000_000_000_000_000;
    const DAY_NS: u64 = 86_400_000_000_000;
    let mut rng = WyRand::new(SEED);
    (0..TIMESTAMPS_LEN)
        .map(|_| START + rng.next_u64() % DAY_NS)
        .collect()
}
