//! Instruction-count harness (gungraun, callgrind) for chapter 02. Every `#[bench]` case is a
//! case of the chapter's case list, `ch02::cases::all`, under the same id as in `wall.rs`; the
//! benchmarks' bodies are in `bodies/`, shared with `wall.rs`. The arguments of each `#[bench]`
//! are built before callgrind starts counting, and gungraun passes them and the return value
//! through `black_box`.

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use ch02::cache::Evictor;
use ch02::cases::{
    CALLGRIND_CALLS, FILTER_LEN, KEY, SEED, SIMULATED_LL_BYTES, TIMESTAMPS_LEN, keys, timestamps,
    words,
};
use ch02::predict::Pool;
use ch02::timer::time_each_call;
use gungraun::{
    Callgrind, LibraryBenchmarkConfig, library_benchmark, library_benchmark_group, main,
};

mod bodies;

// The body is passed as a function pointer, which gungraun's `black_box` makes opaque: each
// case runs its body as the compiler compiled it on its own.
#[library_benchmark]
#[bench::discarded(keys(), bodies::hash_each_discarded)]
#[bench::guarded(keys(), bodies::hash_each_guarded)]
fn hash_each(keys: Vec<u64>, body: fn(&[u64])) -> Vec<u64> {
    body(&keys);
    keys
}

#[library_benchmark]
#[bench::constant(bodies::parse_constant)]
#[bench::opaque(bodies::parse_opaque)]
fn parse(body: fn() -> Option<u64>) -> Option<u64> {
    body()
}

#[library_benchmark]
#[bench::hoisted(KEY, bodies::hash_repeated)]
#[bench::guarded(KEY, bodies::hash_repeated_guarded)]
fn hash_repeated(key: u64, body: fn(u64) -> u64) -> u64 {
    body(key)
}

/// The words, read once: in the simulated cache, as they are after a benchmark's warm-up.
fn hot_words() -> Vec<u64> {
    let w = words();
    black_box(ch02::work::checksum(&w));
    w
}

/// The words, then a sweep through twice the simulated last-level cache: none of them is left
/// in the simulated cache. (Callgrind's simulation ignores `clflush`.)
fn cold_words() -> Vec<u64> {
    let w = words();
    black_box(Evictor::new(2 * SIMULATED_LL_BYTES).evict());
    w
}

// ANCHOR: instr_cache
#[library_benchmark]
#[bench::hot(hot_words())]
#[bench::cold(cold_words())]
fn checksum(words: Vec<u64>) -> (Vec<u64>, u64) {
    let sum = ch02::work::checksum(&words);
    (words, sum)
}
// ANCHOR_END: instr_cache

/// Callgrind with its branch-predictor simulation on.
fn branch_sim() -> LibraryBenchmarkConfig {
    let mut config = LibraryBenchmarkConfig::default();
    config.tool(Callgrind::with_args(["--branch-sim=yes"]));
    config
}

// ANCHOR: instr_predict
// Sixteen calls on one input, or on sixteen inputs, with callgrind's
// branch-predictor simulation on.
#[library_benchmark(config = branch_sim())]
#[bench::inputs1(Pool::random(1, FILTER_LEN, SEED))]
#[bench::inputs16(Pool::random(CALLGRIND_CALLS, FILTER_LEN, SEED))]
fn sixteen_calls(mut pool: Pool) -> (Pool, usize) {
    let mut kept = 0;
    for _ in 0..CALLGRIND_CALLS {
        kept += pool.filter_next();
    }
    (pool, kept)
}
// ANCHOR_END: instr_predict

#[library_benchmark]
#[bench::instant()]
fn now() -> Instant {
    Instant::now()
}

#[library_benchmark]
#[bench::rounds1(1)]
#[bench::rounds16(16)]
#[bench::rounds256(256)]
#[bench::rounds4096(4096)]
fn per_call(rounds: u32) -> Duration {
    time_each_call(1, || bodies::rounds_of_work(KEY, rounds))
}

#[library_benchmark]
#[bench::rounds1(1)]
#[bench::rounds16(16)]
#[bench::rounds256(256)]
#[bench::rounds4096(4096)]
fn batched(rounds: u32) -> u64 {
    bodies::rounds_of_work(KEY, rounds)
}

fn ns_and_us() -> (Vec<u64>, Vec<u64>) {
    (timestamps(), vec![0; TIMESTAMPS_LEN])
}

#[library_benchmark]
#[bench::bench_calls(ns_and_us(), bodies::ns_to_us_calls)]
#[bench::inline_hint(ns_and_us(), bodies::ns_to_us_inline_hint)]
#[bench::library(ns_and_us(), ch02::work::ns_to_us)]
fn ns_to_us(
    (ns, mut us): (Vec<u64>, Vec<u64>),
    body: fn(&[u64], &mut [u64]),
) -> (Vec<u64>, Vec<u64>) {
    body(&ns, &mut us);
    (ns, us)
}

library_benchmark_group!(name = dce; benchmarks = hash_each);
library_benchmark_group!(name = fold; benchmarks = parse);
library_benchmark_group!(name = hoist; benchmarks = hash_repeated);
library_benchmark_group!(name = cache; benchmarks = checksum);
library_benchmark_group!(name = predict; benchmarks = sixteen_calls);
library_benchmark_group!(name = timer; benchmarks = now);
library_benchmark_group!(name = small; benchmarks = per_call, batched);
library_benchmark_group!(name = inline; benchmarks = ns_to_us);

main!(
    config = benchkit::instr_config();
    library_benchmark_groups = dce,
    fold,
    hoist,
    cache,
    predict,
    timer,
    small,
    inline
);
