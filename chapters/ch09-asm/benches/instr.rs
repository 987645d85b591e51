//! Instruction-count harness (gungraun, callgrind) for chapter 09. Every `#[bench]` case is a
//! case of the chapter's case list, `ch09::cases::all`, under the same id as in `wall.rs`; the
//! arguments of each `#[bench]` are built before callgrind starts counting, and what a
//! benchmark returns is dropped after it stops.
//!
//! Callgrind runs with `--branch-sim=yes`, which adds the counts of conditional branches (`Bc`),
//! indirect branches (`Bi`, which include calls through a vtable) and the mispredictions of its
//! simulated predictor (`Bcm`, `Bim`).
//!
//! The LTO experiment is not here: it builds whole programs under several profiles, which the
//! wall harness does (and counts their instructions under callgrind itself).

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;

use ch09::dispatch::{
    AnyOp, Arena, Grouped, Mul, Op, mixed_box, mixed_dyn, mixed_enum, mixed_grouped, one_type_box,
    one_type_dyn, one_type_dyn_known, one_type_enum, one_type_generic,
};
use ch09::inlining::{
    OutOfRange, checked_sum_cold_error, checked_sum_inline_error, total_always, total_inline,
    total_never, total_plain,
};
use ch09::kernel::{
    crc32c_asm, crc32c_intrinsic, crc32c_table, sum_asm, sum_asm_unrolled, sum_compiler,
    sum_global_asm,
};
use common::*;
use gungraun::{Callgrind, library_benchmark, library_benchmark_group, main};

type SumKernel = fn(&[u64]) -> u64;
type CrcKernel = fn(&[u8]) -> u32;
type ScoreLoop = fn(&[u32]) -> u32;
type CheckedLoop = fn(&[u32]) -> Result<u64, OutOfRange>;

#[library_benchmark]
#[bench::compiler(sum_input(), sum_compiler)]
#[bench::asm(sum_input(), sum_asm)]
#[bench::asm_unrolled(sum_input(), sum_asm_unrolled)]
#[bench::global_asm(sum_input(), sum_global_asm)]
fn sum(xs: Vec<u64>, f: SumKernel) -> (Vec<u64>, u64) {
    let r = f(black_box(&xs));
    (xs, r)
}

#[library_benchmark]
#[bench::table(crc_input(), crc32c_table)]
#[bench::intrinsic(crc_input(), crc32c_intrinsic)]
#[bench::asm(crc_input(), crc32c_asm)]
fn crc32c(data: Vec<u8>, f: CrcKernel) -> (Vec<u8>, u32) {
    let r = f(black_box(&data));
    (data, r)
}

#[library_benchmark]
#[bench::plain(score_input(), total_plain)]
#[bench::inline(score_input(), total_inline)]
#[bench::always(score_input(), total_always)]
#[bench::never(score_input(), total_never)]
fn score(xs: Vec<u32>, f: ScoreLoop) -> (Vec<u32>, u32) {
    let r = f(black_box(&xs));
    (xs, r)
}

#[library_benchmark]
#[bench::inline_error(score_input(), checked_sum_inline_error)]
#[bench::cold_error(score_input(), checked_sum_cold_error)]
fn checked_sum(xs: Vec<u32>, f: CheckedLoop) -> (Vec<u32>, Result<u64, OutOfRange>) {
    let r = f(black_box(&xs));
    (xs, r)
}

/// Which function of the one-type experiment to run.
#[derive(Clone, Copy, Debug)]
enum OneType {
    Generic,
    Enum,
    DynKnown,
    Dyn,
    Box,
}

#[library_benchmark]
#[bench::generic(dispatch_values(), OneType::Generic)]
#[bench::enum_match(dispatch_values(), OneType::Enum)]
#[bench::dyn_known(dispatch_values(), OneType::DynKnown)]
#[bench::dyn_ref(dispatch_values(), OneType::Dyn)]
#[bench::dyn_box(dispatch_values(), OneType::Box)]
fn mul(xs: Vec<u64>, how: OneType) -> (Vec<u64>, u64) {
    let xs_ref = black_box(&xs);
    let r = match how {
        OneType::Generic => one_type_generic(black_box(&Mul(MUL)), xs_ref),
        OneType::Enum => one_type_enum(black_box(&AnyOp::Mul(Mul(MUL))), xs_ref),
        OneType::DynKnown => one_type_dyn_known(black_box(MUL), xs_ref),
        OneType::Dyn => one_type_dyn(black_box(&Mul(MUL) as &dyn Op), xs_ref),
        OneType::Box => {
            let b: Box<dyn Op> = Box::new(Mul(MUL));
            one_type_box(black_box(&b), xs_ref)
        }
    };
    (xs, r)
}

/// Boxed operations and their values.
type BoxedCase = (Vec<Box<dyn Op>>, Vec<u64>);

/// References to operations and their values.
type DynCase = (Vec<&'static dyn Op>, Vec<u64>);

fn boxed_case(ops: Vec<AnyOp>) -> BoxedCase {
    (to_boxed(&ops), dispatch_values())
}

fn dyn_case() -> DynCase {
    // The arena lives as long as the benchmark process; the references point into it.
    let arena: &'static Arena = Box::leak(Box::new(Arena::new(&mixed_ops())));
    (arena.refs(), dispatch_values())
}

#[library_benchmark]
#[bench::random(boxed_case(mixed_ops()))]
#[bench::sorted(boxed_case(mixed_ops_sorted()))]
fn boxed(case: BoxedCase) -> (BoxedCase, u64) {
    let r = mixed_box(black_box(&case.0), black_box(&case.1));
    (case, r)
}

#[library_benchmark]
#[bench::random(dyn_case())]
fn dyn_ref(case: DynCase) -> (DynCase, u64) {
    let r = mixed_dyn(black_box(&case.0), black_box(&case.1));
    (case, r)
}

#[library_benchmark]
#[bench::random((mixed_ops(), dispatch_values()))]
fn enum_match(case: (Vec<AnyOp>, Vec<u64>)) -> ((Vec<AnyOp>, Vec<u64>), u64) {
    let r = mixed_enum(black_box(&case.0), black_box(&case.1));
    (case, r)
}

#[library_benchmark]
#[bench::random(Grouped::new(&mixed_ops(), &dispatch_values()))]
fn grouped(g: Grouped) -> (Grouped, u64) {
    let r = mixed_grouped(black_box(&g));
    (g, r)
}

library_benchmark_group!(name = kernel; benchmarks = sum, crc32c);
library_benchmark_group!(name = inlining; benchmarks = score, checked_sum);
library_benchmark_group!(name = one_type; benchmarks = mul);
library_benchmark_group!(
    name = mixed;
    benchmarks = boxed, dyn_ref, enum_match, grouped
);

main!(
    config = benchkit::instr_config()
        .tool(Callgrind::with_args(["--branch-sim=yes"]));
    library_benchmark_groups = kernel, inlining, one_type, mixed
);
