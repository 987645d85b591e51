//! Wall-clock harness (criterion) for chapter 01. Ids are `group/function/case`, the same as in
//! `instr.rs`, over the cases listed in `ch01::cases`.

use std::hint::black_box;

use benchkit::criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use ch01::cases::{PLACEMENT_LEN, PLACEMENT_OFFSETS, SAMPLE_COUNTS, SORT_LEN, SORT_SEED, placement_case};
use ch01::placement::Placement;
use ch01::workload::{SortAlgo, random_u32s, sort_workload};

/// One sort of fresh input; the copy of the input is made outside the timed region.
fn bench_sort(b: &mut benchkit::criterion::Bencher<'_>, input: &[u32], algo: SortAlgo) {
    b.iter_batched_ref(
        || input.to_vec(),
        |v| black_box(sort_workload(black_box(v), algo)),
        BatchSize::SmallInput,
    );
}

fn spread(c: &mut Criterion) {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let mut g = c.benchmark_group("spread");
    g.bench_function(BenchmarkId::new("sort", "unstable"), |b| bench_sort(b, &input, SortAlgo::Unstable));
    g.finish();
}

fn samples(c: &mut Criterion) {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let mut g = c.benchmark_group("samples");
    for n in SAMPLE_COUNTS {
        g.sample_size(n);
        g.bench_function(BenchmarkId::new("sort", format!("n{n}")), |b| {
            bench_sort(b, &input, SortAlgo::Unstable)
        });
    }
    g.finish();
}

fn compare(c: &mut Criterion) {
    let input = random_u32s(SORT_LEN, SORT_SEED);
    let mut g = c.benchmark_group("compare");
    for algo in SortAlgo::ALL {
        g.bench_function(BenchmarkId::new("sort", algo.case()), |b| bench_sort(b, &input, algo));
    }
    g.finish();
}

fn placement(c: &mut Criterion) {
    let mut g = c.benchmark_group("placement");
    for off in PLACEMENT_OFFSETS {
        let mut p = Placement::new(PLACEMENT_LEN, off);
        g.bench_function(BenchmarkId::new("scale", placement_case(off)), |b| {
            b.iter(|| p.run(black_box(1.5)))
        });
    }
    g.finish();
}

criterion_group! {
    name = ch01;
    config = benchkit::config();
    targets = spread, samples, compare, placement
}
criterion_main!(ch01);
