//! Wall-clock harness (criterion) for chapter 01. Every benchmark is registered from the case
//! list, `ch01::cases::all`, under the id `instr.rs` gives the same case.

use std::hint::black_box;
use std::time::{Duration, Instant};

use benchkit::Budget;
use benchkit::criterion::{BatchSize, Criterion, SamplingMode};
use ch01::cases::{SAMPLE_COUNTS, SAMPLE_LAW_BLOCKS, SORT_LEN, SORT_SEED};
use ch01::layout::Grid;
use ch01::stats::{block_ci_rel, shuffled};
use ch01::workload::{SortAlgo, random_u32s, sort_workload};

/// The cases of `group/function` that the wall-clock harness measures, in declaration order.
fn cases(group: &str, function: &str) -> Vec<benchkit::Case> {
    ch01::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.id.function == function && c.harnesses.wall())
        .collect()
}

// ANCHOR: wall
/// One sort of fresh input; the copy of the input is made outside the timed region.
fn bench_sort(b: &mut benchkit::criterion::Bencher<'_>, input: &[u32], algo: SortAlgo) {
    b.iter_batched_ref(
        || input.to_vec(),
        |v| black_box(sort_workload(black_box(v), algo)),
        BatchSize::SmallInput,
    );
}
// ANCHOR_END: wall

/// The sort a `sort` case names (`stable`, `unstable`).
fn algo(case: &benchkit::Case) -> SortAlgo {
    SortAlgo::ALL
        .into_iter()
        .find(|a| a.case() == case.id.case)
        .unwrap_or_else(|| panic!("{} names no sort", case.id))
}

fn spread(c: &mut Criterion) {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let mut g = c.benchmark_group("spread");
    for case in cases("spread", "sort") {
        g.bench_function(benchkit::id(&case), |b| bench_sort(b, &input, algo(&case)));
    }
    g.finish();
}

// ANCHOR: samples
fn samples(c: &mut Criterion) {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let per_sample = benchkit::Mode::from_env().time_per_sample();
    let mut g = c.benchmark_group("samples");
    // Every sample gets the same time, and so about the same number of iterations, whatever
    // the count: criterion's default keeps the total time fixed, so more samples would mean
    // shorter, noisier samples, and the experiment would measure that instead.
    g.sampling_mode(SamplingMode::Flat);
    for case in cases("samples", "sort") {
        let n = case.usize("samples");
        g.sample_size(n);
        g.measurement_time(per_sample * n as u32);
        g.bench_function(benchkit::id(&case), |b| {
            bench_sort(b, &input, SortAlgo::Unstable)
        });
    }
    g.finish();
}
// ANCHOR_END: samples

// ANCHOR: sample_law_run
/// The sample-law experiment: one sequence of timed samples of the sort, each the same time as
/// a sample of `samples`, then for each count the interval of its blocks in the order measured
/// and shuffled. Under criterion's `--list`, and in later rounds, it only registers its cases.
fn sample_law(_: &mut Criterion) {
    let law = cases("sample_law", "sort");
    if std::env::args().any(|a| a == "--list") || !benchkit::first_round() {
        for case in &law {
            let _ = benchkit::id(case);
        }
        return;
    }
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let per_sample = benchkit::Mode::from_env().time_per_sample();
    let mut buf = input.clone();
    let mut one_sort = || {
        buf.copy_from_slice(&input);
        let t = Instant::now();
        black_box(sort_workload(black_box(&mut buf), SortAlgo::Unstable));
        t.elapsed()
    };
    // Sorts per sample, from a short calibration.
    let probe = (0..50).map(|_| one_sort()).sum::<Duration>() / 50;
    let iters = (per_sample.as_secs_f64() / probe.as_secs_f64().max(1e-9)).ceil() as u32;
    let total = SAMPLE_COUNTS[SAMPLE_COUNTS.len() - 1] * SAMPLE_LAW_BLOCKS;
    let xs: Vec<f64> = (0..total)
        .map(|_| {
            let t: Duration = (0..iters).map(|_| one_sort()).sum();
            t.as_secs_f64() * 1e9 / f64::from(iters)
        })
        .collect();
    let mixed = shuffled(&xs, SORT_SEED);
    let resamples = benchkit::Mode::from_env().resamples();
    let rel = |v: &[f64], n: usize| 100.0 * block_ci_rel(v, n, resamples, SORT_SEED);
    let base = SAMPLE_COUNTS[0];
    for case in &law {
        let n = case.usize("samples");
        let _ = benchkit::id(case);
        benchkit::custom::record(
            &case.id.to_string(),
            &[
                ("measured_ci_rel_pct", rel(&xs, n)),
                ("shuffled_ci_rel_pct", rel(&mixed, n)),
                // What the square-root law predicts for the width, relative to the smallest count.
                ("predicted_vs_first", (base as f64 / n as f64).sqrt()),
                ("blocks", (total / n) as f64),
            ],
        );
    }
}
// ANCHOR_END: sample_law_run

// ANCHOR: hidden_run
/// The hidden-variable experiment: the sort in child processes of this binary that differ only
/// in the size of their environment (randomisation off), in nothing (randomisation off again),
/// or in their random addresses (randomisation on); the sizes in a random order and the
/// controls spread evenly through them ([`ch01::hidden::schedule`]), so that the machine's
/// drift falls on all three kinds alike.
fn hidden_variable(_: &mut Criterion) {
    let all = ch01::cases::all();
    let kind = |f: &str| -> Vec<&benchkit::Case> {
        all.iter()
            .filter(|c| c.id.group == "hidden" && c.id.function == f)
            .collect()
    };
    let (env, repeat, aslr) = (kind("env"), kind("repeat"), kind("aslr"));
    if std::env::args().any(|a| a == "--list") || !benchkit::first_round() {
        for case in env.iter().chain(&repeat).chain(&aslr) {
            let _ = benchkit::id(case);
        }
        return;
    }
    let samples = match benchkit::Mode::from_env() {
        benchkit::Mode::Quick => 10,
        benchkit::Mode::Full => 20,
    };
    let exe = std::env::current_exe().expect("the bench binary's path");
    let measure = |case: &benchkit::Case, pad: usize, randomised: bool| {
        let _ = benchkit::id(case);
        let mut cmd = std::process::Command::new(&exe);
        let metrics = match ch01::hidden::spawn(&mut cmd, samples, pad, randomised) {
            Ok(r) => vec![
                ("median_ns", r.median_ns),
                ("stack_offset", r.stack_offset as f64),
                ("heap_offset", r.heap_offset as f64),
                ("env_bytes", r.env_bytes as f64),
                ("measured", 1.0),
            ],
            // A machine that refuses personality(ADDR_NO_RANDOMIZE) (a container's seccomp
            // policy, say) records that it could not.
            Err(_) => vec![("measured", 0.0)],
        };
        benchkit::custom::record(&case.id.to_string(), &metrics);
    };
    assert_eq!(repeat.len(), aslr.len(), "one randomised run per repeat");
    for child in ch01::hidden::schedule(env.len(), repeat.len(), SORT_SEED) {
        match child {
            ch01::hidden::Child::Env(i) => measure(env[i], env[i].usize("pad_bytes"), false),
            ch01::hidden::Child::Repeat(k) => measure(repeat[k], 0, false),
            ch01::hidden::Child::Aslr(k) => measure(aslr[k], 0, true),
        }
    }
}
// ANCHOR_END: hidden_run

fn compare(c: &mut Criterion) {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let mut g = c.benchmark_group("compare");
    for case in cases("compare", "sort") {
        g.bench_function(benchkit::id(&case), |b| bench_sort(b, &input, algo(&case)));
    }
    g.finish();
}

fn layout(c: &mut Criterion) {
    let mut g = c.benchmark_group("layout");
    for case in cases("layout", "column_sums") {
        let grid = Grid::new(case.usize("pitch"));
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(black_box(&grid).run()))
        });
    }
    g.finish();
}

fn main() {
    // A child of the hidden-variable experiment times the sort, reports and exits.
    if ch01::hidden::run_child(
        SORT_LEN,
        SORT_SEED,
        benchkit::Mode::from_env().time_per_sample(),
    ) {
        return;
    }
    // Not `benchkit::main!`, because of the child above; the same steps.
    benchkit::start(ch01::cases::all());
    let mut c = benchkit::config();
    spread(&mut c);
    samples(&mut c);
    sample_law(&mut c);
    hidden_variable(&mut c);
    compare(&mut c);
    layout(&mut c);
    c.final_summary();
    benchkit::finish();
}
