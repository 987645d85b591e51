//! Instruction-count harness (gungraun, callgrind) for chapter 01. Every `#[bench]` case is a
//! case of the chapter's case list, `ch01::cases::all`, under the same id as in `wall.rs`; the
//! arguments of each are built before callgrind starts counting.

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use ch01::cases::{SORT_LEN, SORT_SEED};
use ch01::layout::{COLS, Grid};
use ch01::workload::{SortAlgo, random_u32s, sort_workload};
use gungraun::{library_benchmark, library_benchmark_group, main};

fn sort_input() -> Vec<u32> {
    random_u32s(SORT_LEN, SORT_SEED)
}

// Five separate callgrind runs (one process each) of the very same sort.
#[library_benchmark]
#[bench::run1(sort_input(), SortAlgo::Unstable)]
#[bench::run2(sort_input(), SortAlgo::Unstable)]
#[bench::run3(sort_input(), SortAlgo::Unstable)]
#[bench::run4(sort_input(), SortAlgo::Unstable)]
#[bench::run5(sort_input(), SortAlgo::Unstable)]
fn sort_runs(mut v: Vec<u32>, algo: SortAlgo) -> (Vec<u32>, u64) {
    let sum = sort_workload(black_box(&mut v), algo);
    (v, sum)
}

// ANCHOR: instr
#[library_benchmark]
#[bench::stable(sort_input(), SortAlgo::Stable)]
#[bench::unstable(sort_input(), SortAlgo::Unstable)]
fn sort(mut v: Vec<u32>, algo: SortAlgo) -> (Vec<u32>, u64) {
    // The sorted vector is returned: gungraun drops return values after counting stops, so
    // freeing it is not counted.
    let sum = sort_workload(black_box(&mut v), algo);
    (v, sum)
}
// ANCHOR_END: instr

#[library_benchmark]
#[bench::pitch64(Grid::new(64))]
#[bench::pitch68(Grid::new(68))]
#[bench::pitch128(Grid::new(128))]
#[bench::pitch256(Grid::new(256))]
#[bench::pitch512(Grid::new(512))]
#[bench::pitch1024(Grid::new(1024))]
#[bench::pitch1088(Grid::new(1088))]
#[bench::pitch2048(Grid::new(2048))]
#[bench::pitch2112(Grid::new(2112))]
#[bench::pitch4096(Grid::new(4096))]
#[bench::pitch4160(Grid::new(4160))]
fn column_sums(grid: Grid) -> (Grid, [u32; COLS]) {
    // The grid is returned, not dropped here: freeing a large allocation takes another path
    // in the allocator than freeing a small one, and that cost is not the kernel's.
    let sums = black_box(&grid).run();
    (grid, sums)
}

library_benchmark_group!(name = spread; benchmarks = sort_runs);
library_benchmark_group!(name = compare; benchmarks = sort);
library_benchmark_group!(name = layout; benchmarks = column_sums);

main!(
    config = benchkit::instr_config();
    library_benchmark_groups = spread, compare, layout
);
