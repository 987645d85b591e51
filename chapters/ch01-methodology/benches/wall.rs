//! Wall-clock harness (criterion) for chapter 01. Ids are `group/function/case`, the same as in
//! `instr.rs`, over the cases listed in `ch01::cases`.

use std::hint::black_box;

use benchkit::criterion::{
    BatchSize, BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main,
};
use ch01::cases::{PITCHES, SAMPLE_COUNTS, SORT_LEN, SORT_SEED, pitch_case};
use ch01::layout::Grid;
use ch01::workload::{SortAlgo, random_u32s, sort_workload};

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

fn spread(c: &mut Criterion) {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let mut g = c.benchmark_group("spread");
    g.bench_function(BenchmarkId::new("sort", "unstable"), |b| {
        bench_sort(b, &input, SortAlgo::Unstable)
    });
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
    for n in SAMPLE_COUNTS {
        g.sample_size(n);
        g.measurement_time(per_sample * n as u32);
        g.bench_function(BenchmarkId::new("sort", format!("n{n}")), |b| {
            bench_sort(b, &input, SortAlgo::Unstable)
        });
    }
    g.finish();
}
// ANCHOR_END: samples

fn compare(c: &mut Criterion) {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let mut g = c.benchmark_group("compare");
    for algo in SortAlgo::ALL {
        g.bench_function(BenchmarkId::new("sort", algo.case()), |b| {
            bench_sort(b, &input, algo)
        });
    }
    g.finish();
}

fn layout(c: &mut Criterion) {
    let mut g = c.benchmark_group("layout");
    for pitch in PITCHES {
        let grid = Grid::new(pitch);
        g.bench_function(BenchmarkId::new("column_sums", pitch_case(pitch)), |b| {
            b.iter(|| black_box(black_box(&grid).run()))
        });
    }
    g.finish();
}

criterion_group! {
    name = ch01;
    config = benchkit::config();
    targets = spread, samples, compare, layout
}
criterion_main!(ch01);
