//! Wall-clock harness (criterion) for chapter 02. Every benchmark is registered from the case
//! list, `ch02::cases::all`, under the id `instr.rs` gives the same case; the benchmarks'
//! bodies are in `bodies/`, shared with `instr.rs`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use benchkit::Case;
use benchkit::criterion::{BenchmarkId, Criterion};
use ch02::cache::flush;
use ch02::cases::{CLOCK_READINGS, FILTER_LEN, KEY, SEED, keys, timestamps, words};
use ch02::predict::Pool;
use ch02::timer::{clock_steps, next_tick, time_each_call};
use ch02::work::{checksum, ns_to_us};

mod bodies;

/// The cases of `group/function` that the wall-clock harness measures, in declaration order.
fn cases(group: &str, function: &str) -> Vec<Case> {
    ch02::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.id.function == function && c.harnesses.wall())
        .collect()
}

/// The case `group/function/case` of the chapter's list.
fn listed(group: &str, function: &str, case: &str) -> Case {
    let id = benchkit::Id::new(group, function, case);
    ch02::cases::all()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the chapter's case list"))
}

/// Criterion's id for the listed case `group/function/case` ([`benchkit::id`]).
fn id(group: &str, function: &str, case: &str) -> BenchmarkId {
    benchkit::id(&listed(group, function, case))
}

fn dce(c: &mut Criterion) {
    let keys = keys();
    let mut g = c.benchmark_group("dce");
    // ANCHOR: wall_dce
    g.bench_function(id("dce", "hash_each", "discarded"), |b| {
        b.iter(|| bodies::hash_each_discarded(black_box(&keys)))
    });
    g.bench_function(id("dce", "hash_each", "guarded"), |b| {
        b.iter(|| bodies::hash_each_guarded(black_box(&keys)))
    });
    // ANCHOR_END: wall_dce
    g.finish();
}

fn fold(c: &mut Criterion) {
    let mut g = c.benchmark_group("fold");
    // Criterion passes what the closure returns to `black_box`: the result is used.
    g.bench_function(id("fold", "parse", "constant"), |b| {
        b.iter(bodies::parse_constant)
    });
    g.bench_function(id("fold", "parse", "opaque"), |b| {
        b.iter(bodies::parse_opaque)
    });
    g.finish();
}

fn hoist(c: &mut Criterion) {
    let mut g = c.benchmark_group("hoist");
    g.bench_function(id("hoist", "hash_repeated", "hoisted"), |b| {
        b.iter(|| bodies::hash_repeated(black_box(KEY)))
    });
    g.bench_function(id("hoist", "hash_repeated", "guarded"), |b| {
        b.iter(|| bodies::hash_repeated_guarded(black_box(KEY)))
    });
    g.finish();
}

// ANCHOR: wall_cache
/// Times `iters` checksums of `words`, each timed on its own; with `cold`, the
/// words are flushed from every cache before each one, outside the timed region.
fn time_checksums(words: &[u64], iters: u64, cold: bool) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        if cold {
            flush(words);
        }
        let start = Instant::now();
        black_box(checksum(black_box(words)));
        total += start.elapsed();
    }
    total
}
// ANCHOR_END: wall_cache

fn cache(c: &mut Criterion) {
    let words = words();
    let mut g = c.benchmark_group("cache");
    g.bench_function(id("cache", "checksum", "hot"), |b| {
        b.iter_custom(|iters| time_checksums(&words, iters, false))
    });
    // Criterion plans its iterations by the wall time a call of the routine takes, untimed
    // flushing included: the cold case gets fewer iterations in the same time.
    g.bench_function(id("cache", "checksum", "cold"), |b| {
        b.iter_custom(|iters| time_checksums(&words, iters, true))
    });
    g.finish();
}

fn predict(c: &mut Criterion) {
    let mut g = c.benchmark_group("predict");
    // ANCHOR: wall_predict
    for case in cases("predict", "filter") {
        let mut pool = Pool::random(case.usize("inputs"), FILTER_LEN, SEED);
        g.bench_function(benchkit::id(&case), |b| b.iter(|| pool.filter_next()));
    }
    // ANCHOR_END: wall_predict
    for case in cases("predict", "filter_sorted") {
        let mut pool = Pool::sorted(case.usize("inputs"), FILTER_LEN, SEED);
        g.bench_function(benchkit::id(&case), |b| b.iter(|| pool.filter_next()));
    }
    g.finish();
}

fn timer(c: &mut Criterion) {
    // Not a criterion estimate: the distribution of steps between consecutive readings. The
    // case goes through `benchkit::id` like the others, so the harness's check of its case
    // list counts it as registered.
    let steps_case = listed("timer", "steps", "instant");
    let _ = benchkit::id(&steps_case);
    let steps = clock_steps(CLOCK_READINGS);
    benchkit::custom::record(&steps_case.id.to_string(), &steps.metrics());
    let mut g = c.benchmark_group("timer");
    // ANCHOR: wall_timer
    g.bench_function(id("timer", "now", "instant"), |b| b.iter(Instant::now));
    let mut last = Instant::now();
    g.bench_function(id("timer", "tick", "instant"), |b| {
        b.iter(|| next_tick(&mut last))
    });
    // ANCHOR_END: wall_timer
    g.finish();
}

/// The rounds of hashing per call of a `small` case.
fn rounds(case: &Case) -> u32 {
    u32::try_from(case.usize("rounds")).expect("rounds fit a u32")
}

fn small(c: &mut Criterion) {
    let mut g = c.benchmark_group("small");
    // ANCHOR: wall_small
    for case in cases("small", "per_call") {
        let rounds = rounds(&case);
        let work = move || bodies::rounds_of_work(KEY, rounds);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter_custom(|iters| time_each_call(iters, work))
        });
    }
    for case in cases("small", "batched") {
        let rounds = rounds(&case);
        let work = move || bodies::rounds_of_work(KEY, rounds);
        g.bench_function(benchkit::id(&case), |b| b.iter(work));
    }
    // ANCHOR_END: wall_small
    // ANCHOR: wall_chained
    // Each call hashes the result of the one before: no call can start before the
    // last ends.
    for case in cases("small", "chained") {
        let rounds = rounds(&case);
        let mut x = KEY;
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| {
                x = bodies::rounds_of_work(x, rounds);
                x
            })
        });
    }
    // ANCHOR_END: wall_chained
    g.finish();
}

fn inline(c: &mut Criterion) {
    let ns = timestamps();
    let mut us = vec![0u64; ns.len()];
    let mut g = c.benchmark_group("inline");
    g.bench_function(id("inline", "ns_to_us", "bench_calls"), |b| {
        b.iter(|| bodies::ns_to_us_calls(black_box(&ns), black_box(&mut us)))
    });
    g.bench_function(id("inline", "ns_to_us", "inline_hint"), |b| {
        b.iter(|| bodies::ns_to_us_inline_hint(black_box(&ns), black_box(&mut us)))
    });
    g.bench_function(id("inline", "ns_to_us", "library"), |b| {
        b.iter(|| ns_to_us(black_box(&ns), black_box(&mut us)))
    });
    g.finish();
}

/// The A/A control: `hoist/hash_repeated/guarded`'s body under its twin's id, last in the run,
/// so that the pair differs only by how the run drifted between them.
fn aa(c: &mut Criterion) {
    let mut g = c.benchmark_group("aa");
    g.bench_function(id("aa", "hoist", "hash_repeated.guarded"), |b| {
        b.iter(|| bodies::hash_repeated_guarded(black_box(KEY)))
    });
    g.finish();
}

benchkit::main!(
    cases = ch02::cases::all();
    targets = dce, fold, hoist, cache, predict, timer, small, inline, aa
);
