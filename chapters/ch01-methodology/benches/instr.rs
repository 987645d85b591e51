//! Instruction-count harness (gungraun, callgrind) for chapter 01. Ids are
//! `group/function/case`, the same as in `wall.rs`; the arguments of each `#[bench]` are built
//! before callgrind starts counting.

use std::hint::black_box;

use ch01::cases::{PLACEMENT_LEN, SORT_LEN, SORT_SEED};
use ch01::placement::Placement;
use ch01::workload::{SortAlgo, random_u32s, sort_workload};
use gungraun::{library_benchmark, library_benchmark_group, main};

fn sort_input() -> Vec<u32> {
    random_u32s(SORT_LEN, SORT_SEED)
}

// Five separate callgrind runs (one process each) of the very same sort.
#[library_benchmark]
#[bench::run1(sort_input())]
#[bench::run2(sort_input())]
#[bench::run3(sort_input())]
#[bench::run4(sort_input())]
#[bench::run5(sort_input())]
fn sort_runs(mut v: Vec<u32>) -> u64 {
    black_box(sort_workload(black_box(&mut v), SortAlgo::Unstable))
}

#[library_benchmark]
#[bench::stable(sort_input(), SortAlgo::Stable)]
#[bench::unstable(sort_input(), SortAlgo::Unstable)]
fn sort(mut v: Vec<u32>, algo: SortAlgo) -> u64 {
    black_box(sort_workload(black_box(&mut v), algo))
}

#[library_benchmark]
#[bench::off0(Placement::new(PLACEMENT_LEN, 0))]
#[bench::off16(Placement::new(PLACEMENT_LEN, 16))]
#[bench::off64(Placement::new(PLACEMENT_LEN, 64))]
#[bench::off256(Placement::new(PLACEMENT_LEN, 256))]
#[bench::off2048(Placement::new(PLACEMENT_LEN, 2048))]
#[bench::off4080(Placement::new(PLACEMENT_LEN, 4080))]
fn scale(mut p: Placement) -> f32 {
    black_box(p.run(black_box(1.5)))
}

library_benchmark_group!(name = spread; benchmarks = sort_runs);
library_benchmark_group!(name = compare; benchmarks = sort);
library_benchmark_group!(name = placement; benchmarks = scale);

main!(library_benchmark_groups = spread, compare, placement);
