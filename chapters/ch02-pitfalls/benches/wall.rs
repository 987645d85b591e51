//! Wall-clock harness (criterion) for chapter 02. Ids are `group/function/case`, the same as
//! in `instr.rs`, over the cases listed in `ch02::cases`; the benchmarks' bodies are in
//! `bodies/`, shared with `instr.rs`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use benchkit::criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ch02::cache::flush;
use ch02::cases::{
    CLOCK_READINGS, FILTER_INPUTS, FILTER_LEN, KEY, ROUNDS, SEED, SORTED_INPUTS, inputs_case, keys,
    rounds_case, timestamps, words,
};
use ch02::predict::Pool;
use ch02::timer::{clock_steps, next_tick, time_each_call};
use ch02::work::{checksum, ns_to_us};

mod bodies;

fn dce(c: &mut Criterion) {
    let keys = keys();
    let mut g = c.benchmark_group("dce");
    // ANCHOR: wall_dce
    g.bench_function(BenchmarkId::new("hash_each", "discarded"), |b| {
        b.iter(|| bodies::hash_each_discarded(black_box(&keys)))
    });
    g.bench_function(BenchmarkId::new("hash_each", "guarded"), |b| {
        b.iter(|| bodies::hash_each_guarded(black_box(&keys)))
    });
    // ANCHOR_END: wall_dce
    g.finish();
}

fn fold(c: &mut Criterion) {
    let mut g = c.benchmark_group("fold");
    // Criterion passes what the closure returns to `black_box`: the result is used.
    g.bench_function(BenchmarkId::new("parse", "constant"), |b| {
        b.iter(bodies::parse_constant)
    });
    g.bench_function(BenchmarkId::new("parse", "opaque"), |b| {
        b.iter(bodies::parse_opaque)
    });
    g.finish();
}

fn hoist(c: &mut Criterion) {
    let mut g = c.benchmark_group("hoist");
    g.bench_function(BenchmarkId::new("hash_repeated", "hoisted"), |b| {
        b.iter(|| bodies::hash_repeated(black_box(KEY)))
    });
    g.bench_function(BenchmarkId::new("hash_repeated", "guarded"), |b| {
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
    g.bench_function(BenchmarkId::new("checksum", "hot"), |b| {
        b.iter_custom(|iters| time_checksums(&words, iters, false))
    });
    // Criterion plans its iterations by the wall time a call of the routine takes, untimed
    // flushing included: the cold case gets fewer iterations in the same time.
    g.bench_function(BenchmarkId::new("checksum", "cold"), |b| {
        b.iter_custom(|iters| time_checksums(&words, iters, true))
    });
    g.finish();
}

fn predict(c: &mut Criterion) {
    let mut g = c.benchmark_group("predict");
    // ANCHOR: wall_predict
    for count in FILTER_INPUTS {
        let mut pool = Pool::random(count, FILTER_LEN, SEED);
        g.bench_function(BenchmarkId::new("filter", inputs_case(count)), |b| {
            b.iter(|| pool.filter_next())
        });
    }
    // ANCHOR_END: wall_predict
    for count in SORTED_INPUTS {
        let mut pool = Pool::sorted(count, FILTER_LEN, SEED);
        g.bench_function(BenchmarkId::new("filter_sorted", inputs_case(count)), |b| {
            b.iter(|| pool.filter_next())
        });
    }
    g.finish();
}

fn timer(c: &mut Criterion) {
    // Not a criterion estimate: the distribution of steps between consecutive readings.
    let steps = clock_steps(CLOCK_READINGS);
    benchkit::custom::record("timer/steps/instant", &steps.metrics());
    let mut g = c.benchmark_group("timer");
    // ANCHOR: wall_timer
    g.bench_function(BenchmarkId::new("now", "instant"), |b| b.iter(Instant::now));
    let mut last = Instant::now();
    g.bench_function(BenchmarkId::new("tick", "instant"), |b| {
        b.iter(|| next_tick(&mut last))
    });
    // ANCHOR_END: wall_timer
    g.finish();
}

fn small(c: &mut Criterion) {
    let mut g = c.benchmark_group("small");
    // ANCHOR: wall_small
    for rounds in ROUNDS {
        let work = move || bodies::rounds_of_work(KEY, rounds);
        g.bench_function(BenchmarkId::new("per_call", rounds_case(rounds)), |b| {
            b.iter_custom(|iters| time_each_call(iters, work))
        });
        g.bench_function(BenchmarkId::new("batched", rounds_case(rounds)), |b| {
            b.iter(work)
        });
    }
    // ANCHOR_END: wall_small
    // ANCHOR: wall_chained
    // Each call hashes the result of the one before: no call can start before the
    // last ends.
    for rounds in ROUNDS {
        let mut x = KEY;
        g.bench_function(BenchmarkId::new("chained", rounds_case(rounds)), |b| {
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
    g.bench_function(BenchmarkId::new("ns_to_us", "bench_calls"), |b| {
        b.iter(|| bodies::ns_to_us_calls(black_box(&ns), black_box(&mut us)))
    });
    g.bench_function(BenchmarkId::new("ns_to_us", "inline_hint"), |b| {
        b.iter(|| bodies::ns_to_us_inline_hint(black_box(&ns), black_box(&mut us)))
    });
    g.bench_function(BenchmarkId::new("ns_to_us", "library"), |b| {
        b.iter(|| ns_to_us(black_box(&ns), black_box(&mut us)))
    });
    g.finish();
}

criterion_group! {
    name = ch02;
    config = benchkit::config();
    targets = dce, fold, hoist, cache, predict, timer, small, inline
}
criterion_main!(ch02);
