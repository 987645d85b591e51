//! Instruction-count harness (gungraun, callgrind) for chapter 03: each phase of the workload
//! and the whole run, cases of the chapter's case list, `ch03::cases::all`, under the same ids
//! as in `wall.rs`. The arguments of each `#[bench]` are built before callgrind starts
//! counting; the input text is leaked so that the later phases' inputs can borrow from it, as
//! they do in `ch03::workload::run`.

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use ch03::cases::input;
use ch03::workload as w;
use ch03::workload::{Record, StationMap, Stats};
use gungraun::{library_benchmark, library_benchmark_group, main};

fn text() -> &'static str {
    Box::leak(input().into_boxed_str())
}

fn records() -> Vec<Record<'static>> {
    w::parse(text())
}

fn map() -> StationMap<'static> {
    w::aggregate(&records())
}

fn sorted() -> Vec<(&'static str, Stats)> {
    w::sort(map())
}

#[library_benchmark]
#[bench::records(text())]
fn parse(text: &'static str) -> Vec<Record<'static>> {
    w::parse(black_box(text))
}

#[library_benchmark]
#[bench::records(records())]
fn aggregate(records: Vec<Record<'static>>) -> (Vec<Record<'static>>, StationMap<'static>) {
    let map = w::aggregate(black_box(&records));
    (records, map)
}

#[library_benchmark]
#[bench::records(map())]
fn sort(map: StationMap<'static>) -> Vec<(&'static str, Stats)> {
    w::sort(black_box(map))
}

#[library_benchmark]
#[bench::records(sorted())]
fn format(sorted: Vec<(&'static str, Stats)>) -> (Vec<(&'static str, Stats)>, String) {
    let out = w::format(black_box(&sorted));
    (sorted, out)
}

#[library_benchmark]
#[bench::records(text())]
fn run(text: &'static str) -> String {
    w::run(black_box(text))
}

library_benchmark_group!(name = phase; benchmarks = parse, aggregate, sort, format);
library_benchmark_group!(name = workload; benchmarks = run);

main!(
    config = benchkit::instr_config();
    library_benchmark_groups = phase, workload
);
