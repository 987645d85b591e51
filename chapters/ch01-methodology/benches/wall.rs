//! Wall-clock harness (criterion) for chapter 01. Every benchmark is registered from the case
//! list, `ch01::cases::all`, under the id `instr.rs` gives the same case.

use std::hint::black_box;

use benchkit::Budget;
use benchkit::criterion::{BatchSize, Criterion, SamplingMode};
use ch01::cases::{SORT_LEN, SORT_SEED};
use ch01::layout::Grid;
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

benchkit::main!(cases = ch01::cases::all(); targets = spread, samples, compare, layout);
