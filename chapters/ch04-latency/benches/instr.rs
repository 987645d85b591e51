//! Instruction-count harness (gungraun, callgrind) for chapter 04: the deterministic parts of
//! the chapter. Every `#[bench]` case is a case of the chapter's case list, `ch04::cases::all`,
//! under the same id as in `wall.rs`. The load experiments are not counted (the list declares
//! them wall-clock only): their instruction counts depend on timing, and what they measure is
//! time.

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use ch04::cases::*;
use ch04::protocol::handle_all;
use ch04::stats::{hdr_percentiles, histogram, sort_percentiles};
use gungraun::{library_benchmark, library_benchmark_group, main};
use hdrhistogram::Histogram;

fn hdr_case(n: usize) -> (Histogram<u64>, Vec<u64>) {
    (histogram(), latency_sample(n))
}

#[library_benchmark]
#[bench::n1024(hdr_case(1024))]
#[bench::n65536(hdr_case(65536))]
fn hdr(case: (Histogram<u64>, Vec<u64>)) -> ((Histogram<u64>, Vec<u64>), [u64; 3]) {
    let (mut h, values) = case;
    let p = hdr_percentiles(black_box(&mut h), black_box(&values));
    ((h, values), p)
}

fn sort_case(n: usize) -> (Vec<u64>, Vec<u64>) {
    (Vec::with_capacity(n), latency_sample(n))
}

#[library_benchmark]
#[bench::n1024(sort_case(1024))]
#[bench::n65536(sort_case(65536))]
fn sort(case: (Vec<u64>, Vec<u64>)) -> ((Vec<u64>, Vec<u64>), [u64; 3]) {
    let (mut scratch, values) = case;
    scratch.extend_from_slice(black_box(&values));
    let p = sort_percentiles(black_box(&mut scratch));
    ((scratch, values), p)
}

library_benchmark_group!(name = summary; benchmarks = hdr, sort);

fn record_case() -> (Histogram<u64>, Vec<u64>) {
    hdr_case(RECORD_LEN)
}

#[library_benchmark]
#[bench::n4096(record_case())]
fn into_hdr(case: (Histogram<u64>, Vec<u64>)) -> (Histogram<u64>, Vec<u64>) {
    let (mut h, values) = case;
    for &v in black_box(&values) {
        h.saturating_record(v);
    }
    (h, values)
}

fn vec_case() -> (Vec<u64>, Vec<u64>) {
    sort_case(RECORD_LEN)
}

#[library_benchmark]
#[bench::n4096(vec_case())]
fn into_vec(case: (Vec<u64>, Vec<u64>)) -> (Vec<u64>, Vec<u64>) {
    let (mut v, values) = case;
    for &x in black_box(&values) {
        v.push(x);
    }
    (v, values)
}

library_benchmark_group!(name = record; benchmarks = into_hdr, into_vec);

#[library_benchmark]
#[bench::frames64(request_frames())]
fn handle(wire: Vec<u8>) -> (Vec<u8>, Vec<u8>, usize) {
    let mut out = Vec::with_capacity(wire.len());
    let used = handle_all(black_box(&wire), &mut out).expect("valid frames");
    (wire, out, used)
}

library_benchmark_group!(name = protocol; benchmarks = handle);

main!(
    config = benchkit::instr_config();
    library_benchmark_groups = summary, record, protocol
);
