//! The cases both harnesses measure, declared once. `benches/wall.rs` (criterion) registers its
//! benchmarks from [`all`], `benches/instr.rs` (gungraun) names each of its `#[bench]` cases
//! after one of them, and `figures.toml` names them by the same ids.

use bookproto::{Case, case_name, sweep};
use inputs::{Rng as WyRand, random_u64s};

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

/// The last-level cache callgrind simulates under gungraun: 8 MiB where this was written, as the
/// `desc: LL cache` line of every `callgrind.*.out` file below `target/gungraun/` shows (valgrind
/// chooses it from the host's caches); the evictor reads twice as much.
pub const SIMULATED_LL_BYTES: usize = 8 << 20;

/// Bytes per input of the branch-predictor experiment.
pub const FILTER_LEN: usize = 1024;

/// How many different inputs the branch-predictor experiment cycles through.
pub const FILTER_INPUTS: [usize; 7] = [1, 2, 4, 8, 16, 64, 256];

/// Input counts at which the sorted control of the branch-predictor experiment runs.
pub const SORTED_INPUTS: [usize; 2] = [1, 256];

/// Calls per callgrind run of the branch-predictor experiment.
pub const CALLGRIND_CALLS: usize = 16;

/// The case name of a pool of `count` inputs, as [`all`] names it.
pub fn inputs_case(count: usize) -> String {
    case_name("inputs", count as f64)
}

/// Rounds of hashing per call in the too-small-work experiment.
pub const ROUNDS: [u32; 4] = [1, 16, 256, 4096];

/// The case name of `rounds` rounds, as [`all`] names it.
pub fn rounds_case(rounds: u32) -> String {
    case_name("rounds", f64::from(rounds))
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

/// Every case of the chapter, one pitfall after another:
///
/// - dead code, constant folding and hoisting: each wrong body and the right one;
/// - `cache/checksum/{hot,cold}`: the checksum with its words cached and flushed;
/// - `predict/filter/inputs<count>` and `predict/filter_sorted/inputs<count>`: the filter
///   cycling through `inputs` different inputs, random and sorted (wall clock only), and
///   `predict/sixteen_calls/inputs<count>`: sixteen calls under callgrind's branch-predictor
///   simulation (instruction counts only);
/// - `timer/now/instant` (the cost of a reading), `timer/tick/instant` (the wait for the clock
///   to change) and `timer/steps/instant` (the steps between readings, a custom measurement);
/// - `small/{per_call,batched,chained}/rounds<count>`: `rounds` rounds of hashing timed call by
///   call, in batches and in chained batches;
/// - `inline/ns_to_us/*`: the conversion inlined or not across the crate boundary.
pub fn all() -> Vec<Case> {
    let mut cases = vec![
        Case::new("dce", "hash_each", "discarded"),
        Case::new("dce", "hash_each", "guarded"),
        Case::new("fold", "parse", "constant"),
        Case::new("fold", "parse", "opaque"),
        Case::new("hoist", "hash_repeated", "hoisted"),
        Case::new("hoist", "hash_repeated", "guarded"),
        Case::new("cache", "checksum", "hot"),
        Case::new("cache", "checksum", "cold"),
    ];
    let inputs = |function: &str, counts: &[usize]| {
        sweep(
            "predict",
            function,
            "inputs",
            "inputs",
            counts.iter().map(|&n| n as f64),
        )
    };
    let trained = "the time the machine's predictor saves once trained over criterion's \
                   iterations; callgrind simulates a predictor in predict/sixteen_calls";
    cases.extend(
        inputs("filter", &FILTER_INPUTS)
            .into_iter()
            .chain(inputs("filter_sorted", &SORTED_INPUTS))
            .map(|c| c.wall_only(trained)),
    );
    cases.extend(
        inputs("sixteen_calls", &[1, CALLGRIND_CALLS])
            .into_iter()
            .map(|c| {
                c.instr_only(
                    "callgrind's branch-predictor simulation over a fixed number of calls; \
                     the timed side is predict/filter",
                )
            }),
    );
    cases.extend([
        Case::new("timer", "now", "instant"),
        Case::new("timer", "tick", "instant").wall_only(
            "it waits for the clock to change: its instruction count is the number of \
             readings in that wait, which depends on the time a reading takes",
        ),
        Case::new("timer", "steps", "instant").wall_only(
            "custom measurement: the steps between consecutive readings of the clock, \
             recorded by the wall harness",
        ),
    ]);
    let rounds =
        |function: &str| sweep("small", function, "rounds", "rounds", ROUNDS.map(f64::from));
    cases.extend(rounds("per_call"));
    cases.extend(rounds("batched"));
    cases.extend(rounds("chained").into_iter().map(|c| {
        c.wall_only(
            "chaining the calls changes when each can start, not what it executes: \
             the instruction count is small/batched's",
        )
    }));
    cases.extend([
        Case::new("inline", "ns_to_us", "bench_calls"),
        Case::new("inline", "ns_to_us", "inline_hint"),
        Case::new("inline", "ns_to_us", "library"),
    ]);
    // The A/A control: the guarded hoisting body again, at the end of the run.
    let twin = cases
        .iter()
        .find(|c| c.id.to_string() == "hoist/hash_repeated/guarded")
        .map(Case::twin)
        .expect("the guarded hoisting case is listed");
    cases.push(twin);
    cases
}
