//! Instruction-count harness (gungraun, callgrind) for chapter 08. Every `#[bench]` case is a
//! case of the chapter's case list, `ch08::cases::all`, under the same id as in `wall.rs`; the
//! arguments of each `#[bench]` are built before callgrind starts counting, and what a
//! benchmark returns is dropped after it stops.
//!
//! valgrind 3.19 cannot execute AVX-512 instructions, and its emulated CPUID does not report
//! them: under callgrind, `is_x86_feature_detected!("avx512f")` is false while `avx2` is true.
//! The benchmark `isa/detect/valgrind` records what detection says there, so the page can
//! state which path these counts are of. No AVX-512 case appears here.

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use ch08::accumulators as acc;
use ch08::autovec::{
    add_raw_disjoint, add_raw_overlapping, add_slices, diff_sum_indexed, diff_sum_sliced, sum_u32,
};
use ch08::c::{self as cc, Flavour};
use ch08::cases::*;
use ch08::dot::{dot_auto, dot_scalar, dot_simd, dot_std};
use ch08::filter::{filter_scalar, filter_scalar_avx2, filter_simd};
use ch08::find::{find_auto, find_memchr, find_scalar, find_simd, find_std, find_unrolled};
use ch08::input::{Aligned, haystack, random_f32s, random_u32s};
use ch08::isa::{Isa, feature_flags};
use ch08::loops::{moments_fused, moments_two_pass};
use ch08::sum::{
    sum_auto, sum_auto_avx2, sum_auto_dispatch, sum_auto_multiversion, sum_scalar, sum_simd,
    sum_std,
};
use gungraun::{library_benchmark, library_benchmark_group, main};

type SumFn = fn(&[f32]) -> f32;

// ANCHOR: detect_under_valgrind
// Records, from inside callgrind, which instruction sets run-time detection reports there.
#[library_benchmark]
#[bench::valgrind()]
fn detect() -> Vec<(&'static str, f64)> {
    let flags = feature_flags();
    benchkit::custom::record("isa/detect/valgrind", &flags);
    flags
}
// ANCHOR_END: detect_under_valgrind

fn l1() -> Aligned<f32> {
    random_f32s(L1_FLOATS, SEED)
}

fn auto_avx2(x: &[f32]) -> f32 {
    sum_auto_avx2(x).expect("AVX2 under callgrind")
}

fn sum_sse2(x: &[f32]) -> f32 {
    sum_simd(Isa::Sse2, x)
}

fn sum_avx2(x: &[f32]) -> f32 {
    sum_simd(Isa::Avx2, x)
}

// The function's name is the middle part of the id (`sum/kib16/scalar`), the case its end.
#[library_benchmark]
#[bench::scalar(l1(), sum_scalar)]
#[bench::std(l1(), sum_std)]
#[bench::auto(l1(), sum_auto)]
#[bench::auto_avx2(l1(), auto_avx2)]
#[bench::sse2(l1(), sum_sse2)]
#[bench::avx2(l1(), sum_avx2)]
fn kib16(x: Aligned<f32>, f: SumFn) -> (Aligned<f32>, f32) {
    let s = f(black_box(&x));
    (x, s)
}

type DotFn = fn(&[f32], &[f32]) -> f32;

fn pair() -> (Aligned<f32>, Aligned<f32>) {
    (
        random_f32s(DOT_FLOATS, SEED),
        random_f32s(DOT_FLOATS, SEED + 1),
    )
}

fn dot_sse2(a: &[f32], b: &[f32]) -> f32 {
    dot_simd(Isa::Sse2, a, b)
}

fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
    dot_simd(Isa::Avx2, a, b)
}

#[library_benchmark]
#[bench::scalar(pair(), dot_scalar)]
#[bench::std(pair(), dot_std)]
#[bench::auto(pair(), dot_auto)]
#[bench::sse2(pair(), dot_sse2)]
#[bench::avx2(pair(), dot_avx2)]
fn kib32(ab: (Aligned<f32>, Aligned<f32>), f: DotFn) -> ((Aligned<f32>, Aligned<f32>), f32) {
    let s = f(black_box(&ab.0), black_box(&ab.1));
    (ab, s)
}

type FindFn = fn(&[u8], u8) -> Option<usize>;

fn hay() -> Vec<u8> {
    haystack(FIND_LEN, NEEDLE, SEED)
}

fn find_sse2(h: &[u8], n: u8) -> Option<usize> {
    find_simd(Isa::Sse2, h, n)
}

fn find_avx2(h: &[u8], n: u8) -> Option<usize> {
    find_simd(Isa::Avx2, h, n)
}

#[library_benchmark]
#[bench::scalar(hay(), find_scalar)]
#[bench::std(hay(), find_std)]
#[bench::unrolled(hay(), find_unrolled)]
#[bench::auto(hay(), find_auto)]
#[bench::memchr(hay(), find_memchr)]
#[bench::sse2(hay(), find_sse2)]
#[bench::avx2(hay(), find_avx2)]
fn kib1024(h: Vec<u8>, f: FindFn) -> (Vec<u8>, Option<usize>) {
    let r = f(black_box(&h), black_box(NEEDLE));
    (h, r)
}

type FilterFn = fn(&[u32], u32, &mut [u32]) -> usize;

fn filter_input() -> (Aligned<u32>, Aligned<u32>) {
    (
        random_u32s(FILTER_LEN, SEED),
        Aligned::from_fn(FILTER_LEN, |_| 0),
    )
}

fn filter_scalar_avx2_or_panic(s: &[u32], t: u32, o: &mut [u32]) -> usize {
    filter_scalar_avx2(s, t, o).expect("AVX2 under callgrind")
}

fn filter_sse2(s: &[u32], t: u32, o: &mut [u32]) -> usize {
    filter_simd(Isa::Sse2, s, t, o)
}

fn filter_avx2(s: &[u32], t: u32, o: &mut [u32]) -> usize {
    filter_simd(Isa::Avx2, s, t, o)
}

#[library_benchmark]
#[bench::scalar(filter_input(), filter_scalar)]
#[bench::scalar_avx2(filter_input(), filter_scalar_avx2_or_panic)]
#[bench::sse2(filter_input(), filter_sse2)]
#[bench::avx2(filter_input(), filter_avx2)]
fn p50(io: (Aligned<u32>, Aligned<u32>), f: FilterFn) -> ((Aligned<u32>, Aligned<u32>), usize) {
    let (src, mut out) = io;
    let n = f(black_box(&src), FILTER_THRESHOLD, black_box(&mut out));
    ((src, out), n)
}

// One macro writes both versions, so their cases cannot drift apart; the function's name is the
// id's middle part.
macro_rules! accumulator_sweep {
    ($name:ident, |$n:ident, $data:ident| $sum:expr) => {
        #[library_benchmark]
        #[bench::acc1(l1(), 1)]
        #[bench::acc2(l1(), 2)]
        #[bench::acc4(l1(), 4)]
        #[bench::acc8(l1(), 8)]
        #[bench::acc16(l1(), 16)]
        fn $name(x: Aligned<f32>, $n: usize) -> (Aligned<f32>, f32) {
            let $data = black_box(&x);
            let s = $sum;
            (x, s)
        }
    };
}

accumulator_sweep!(portable, |n, data| acc::sum_portable(n, data));
accumulator_sweep!(avx2, |n, data| acc::sum_simd(Isa::Avx2, n, data));

/// The inputs of the autovectorisation examples: two `u32` arrays and `2 * n` floats.
struct Autovec {
    a: Aligned<u32>,
    b: Aligned<u32>,
    f: Aligned<f32>,
}

fn autovec_input() -> Autovec {
    Autovec {
        a: random_u32s(AUTOVEC_LEN, SEED),
        b: random_u32s(AUTOVEC_LEN, SEED + 1),
        f: random_f32s(2 * AUTOVEC_LEN, SEED),
    }
}

#[derive(Clone, Copy)]
enum Example {
    SumU32,
    DiffIndexed,
    DiffSliced,
    AddSlices,
    AddRawDisjoint,
    AddRawOverlapping,
}

#[library_benchmark]
#[bench::sum_u32(autovec_input(), Example::SumU32)]
#[bench::diff_indexed(autovec_input(), Example::DiffIndexed)]
#[bench::diff_sliced(autovec_input(), Example::DiffSliced)]
#[bench::add_slices(autovec_input(), Example::AddSlices)]
#[bench::add_raw_disjoint(autovec_input(), Example::AddRawDisjoint)]
#[bench::add_raw_overlapping(autovec_input(), Example::AddRawOverlapping)]
fn n4096(mut io: Autovec, e: Example) -> (Autovec, u32) {
    let n = AUTOVEC_LEN;
    let r = match e {
        Example::SumU32 => sum_u32(black_box(&io.a)),
        Example::DiffIndexed => diff_sum_indexed(black_box(&io.a), black_box(&io.b), black_box(n)),
        Example::DiffSliced => diff_sum_sliced(black_box(&io.a), black_box(&io.b), black_box(n)),
        Example::AddSlices => {
            let (lo, hi) = black_box(&mut io.f).split_at_mut(n);
            add_slices(hi, lo);
            0
        }
        Example::AddRawDisjoint => {
            add_raw_disjoint(black_box(&mut io.f));
            0
        }
        Example::AddRawOverlapping => {
            add_raw_overlapping(black_box(&mut io.f[..=n]));
            0
        }
    };
    (io, r)
}

type MomentsFn = fn(&[f32]) -> (f32, f32);

#[library_benchmark]
#[bench::kib16(l1(), moments_two_pass)]
fn two_pass(x: Aligned<f32>, f: MomentsFn) -> (Aligned<f32>, (f32, f32)) {
    let r = f(black_box(&x));
    (x, r)
}

#[library_benchmark]
#[bench::kib16(l1(), moments_fused)]
fn fused(x: Aligned<f32>, f: MomentsFn) -> (Aligned<f32>, (f32, f32)) {
    let r = f(black_box(&x));
    (x, r)
}

// The C experiment, `c/<kernel>/<version>`: the Rust loops and the same loops from C. Under
// callgrind the AVX2 flavours run (its emulated CPU has AVX2 and FMA).
fn c_sum(f: Flavour, x: &[f32]) -> f32 {
    cc::sum_scalar(f, x).expect("the flavour runs under callgrind")
}

fn c_lanes(f: Flavour, x: &[f32]) -> f32 {
    cc::sum_lanes(f, x).expect("the flavour runs under callgrind")
}

#[derive(Clone, Copy)]
enum SumVersion {
    Rust,
    RustLanes,
    RustLanesAvx2,
    C(Flavour),
    CLanes(Flavour),
}

#[library_benchmark]
#[bench::rust(l1(), SumVersion::Rust)]
#[bench::c(l1(), SumVersion::C(Flavour::Base))]
#[bench::c_avx2(l1(), SumVersion::C(Flavour::Avx2))]
#[bench::c_fastmath(l1(), SumVersion::C(Flavour::FastMath))]
#[bench::c_fastmath_avx2(l1(), SumVersion::C(Flavour::FastMathAvx2))]
#[bench::rust_lanes(l1(), SumVersion::RustLanes)]
#[bench::c_lanes(l1(), SumVersion::CLanes(Flavour::Base))]
#[bench::rust_lanes_avx2(l1(), SumVersion::RustLanesAvx2)]
#[bench::c_lanes_avx2(l1(), SumVersion::CLanes(Flavour::Avx2))]
fn sum_kib16(x: Aligned<f32>, v: SumVersion) -> (Aligned<f32>, f32) {
    let data = black_box(&x);
    let s = match v {
        SumVersion::Rust => sum_scalar(data),
        SumVersion::RustLanes => sum_auto(data),
        SumVersion::RustLanesAvx2 => auto_avx2(data),
        SumVersion::C(f) => c_sum(f, data),
        SumVersion::CLanes(f) => c_lanes(f, data),
    };
    (x, s)
}

#[library_benchmark]
#[bench::rust(pair(), None)]
#[bench::c(pair(), Some(Flavour::Base))]
#[bench::c_avx2(pair(), Some(Flavour::Avx2))]
#[bench::c_fastmath(pair(), Some(Flavour::FastMath))]
#[bench::c_fastmath_avx2(pair(), Some(Flavour::FastMathAvx2))]
fn dot_kib32(
    ab: (Aligned<f32>, Aligned<f32>),
    f: Option<Flavour>,
) -> ((Aligned<f32>, Aligned<f32>), f32) {
    let (a, b) = (black_box(&ab.0), black_box(&ab.1));
    let s = match f {
        None => dot_scalar(a, b),
        Some(f) => cc::dot_scalar(f, a, b).expect("the flavour runs under callgrind"),
    };
    (ab, s)
}

#[library_benchmark]
#[bench::rust(hay(), None)]
#[bench::c(hay(), Some(Flavour::Base))]
#[bench::c_avx2(hay(), Some(Flavour::Avx2))]
fn find_kib1024(h: Vec<u8>, f: Option<Flavour>) -> (Vec<u8>, Option<usize>) {
    let r = match f {
        None => find_scalar(black_box(&h), black_box(NEEDLE)),
        Some(f) => cc::find_scalar(f, black_box(&h), black_box(NEEDLE))
            .expect("the flavour runs under callgrind"),
    };
    (h, r)
}

#[library_benchmark]
#[bench::rust(filter_input(), None)]
#[bench::rust_avx2(filter_input(), Some(None))]
#[bench::c(filter_input(), Some(Some(Flavour::Base)))]
#[bench::c_avx2(filter_input(), Some(Some(Flavour::Avx2)))]
fn filter_p50(
    io: (Aligned<u32>, Aligned<u32>),
    v: Option<Option<Flavour>>,
) -> ((Aligned<u32>, Aligned<u32>), usize) {
    let (src, mut out) = io;
    let (s, o) = (black_box(&src), black_box(&mut out));
    let n = match v {
        None => filter_scalar(s, FILTER_THRESHOLD, o),
        Some(None) => filter_scalar_avx2_or_panic(s, FILTER_THRESHOLD, o),
        Some(Some(f)) => {
            cc::filter_scalar(f, s, FILTER_THRESHOLD, o).expect("the flavour runs under callgrind")
        }
    };
    ((src, out), n)
}

// Run-time dispatch of the shaped sum: the function's name is the id's middle part.
#[library_benchmark]
#[bench::hand(l1(), sum_auto_dispatch)]
#[bench::multiversion(l1(), sum_auto_multiversion)]
fn auto_kib16(x: Aligned<f32>, f: SumFn) -> (Aligned<f32>, f32) {
    let s = f(black_box(&x));
    (x, s)
}

library_benchmark_group!(name = isa; benchmarks = detect);
library_benchmark_group!(name = sum; benchmarks = kib16);
library_benchmark_group!(name = dot; benchmarks = kib32);
library_benchmark_group!(name = find; benchmarks = kib1024);
library_benchmark_group!(name = filter; benchmarks = p50);
library_benchmark_group!(name = accumulators; benchmarks = portable, avx2);
library_benchmark_group!(name = autovec; benchmarks = n4096);
library_benchmark_group!(name = fusion; benchmarks = two_pass, fused);
library_benchmark_group!(name = c; benchmarks = sum_kib16, dot_kib32, find_kib1024, filter_p50);
library_benchmark_group!(name = dispatch; benchmarks = auto_kib16);

// ANCHOR: pass_env
main!(
    // gungraun clears the environment of the process it runs under valgrind; benchkit's
    // configuration lets the pipeline's variables through, among them the directory the custom
    // measurement of `detect` is written to.
    config = benchkit::instr_config();
    library_benchmark_groups = isa, sum, dot, find, filter, accumulators, autovec, fusion, c, dispatch
);
// ANCHOR_END: pass_env
