//! Instruction-count harness (gungraun, callgrind) for chapter 05. Every `#[bench]` case is a
//! case of the chapter's case list, `ch05::cases::all`, under the same id as in `wall.rs` for
//! the transposes it shares; the arguments of each `#[bench]` are built before callgrind starts
//! counting.
//!
//! Callgrind's cache simulation has caches of fixed sizes, not this machine's, and runs about
//! fifty times slower than the processor, so this harness counts small cases only.

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use ch05::cases::{CHASE_SEED, SIM_STEPS, SIM_STRIDE_KIB, SIM_STRIDE_WORDS, lines_in};
use ch05::chase::{Ring, cyclic_permutation, filled_lines, sum_strided};
use ch05::pages::{LineBuf, Pages};
use ch05::transpose::{Transpose, square};
use gungraun::{library_benchmark, library_benchmark_group, main};

fn ring(kib: usize) -> Ring {
    Ring::new(&cyclic_permutation(lines_in(kib), CHASE_SEED), Pages::Base)
}

// The ids are callgrind's own (`sim/...`): the wall-clock ladder times one load per
// iteration, this counts `SIM_STEPS` of them.
#[library_benchmark]
#[bench::kib16(ring(16))]
#[bench::kib1024(ring(1024))]
#[bench::kib65536(ring(65536))]
fn chase(ring: Ring) -> (Ring, usize) {
    let end = black_box(&ring).walk(0, SIM_STEPS);
    (ring, end)
}

fn strided(stride: usize) -> (LineBuf, usize) {
    (filled_lines(lines_in(SIM_STRIDE_KIB), Pages::Huge), stride)
}

// The same ids as the wall harness's: one word every `stride` bytes, `SIM_STRIDE_WORDS` words.
#[library_benchmark]
#[bench::b8(strided(8))]
#[bench::b16(strided(16))]
#[bench::b32(strided(32))]
#[bench::b64(strided(64))]
#[bench::b128(strided(128))]
#[bench::b256(strided(256))]
#[bench::b512(strided(512))]
#[bench::b1024(strided(1024))]
#[bench::b2048(strided(2048))]
#[bench::b4096(strided(4096))]
fn read((buf, stride): (LineBuf, usize)) -> (LineBuf, u64) {
    let (sum, _) = sum_strided(black_box(&buf), stride, 0, SIM_STRIDE_WORDS);
    (buf, sum)
}

fn matrices(n: usize) -> (usize, Vec<u32>, Vec<u32>) {
    let (src, dst) = square(n);
    (n, src, dst)
}

#[library_benchmark]
#[bench::n64(matrices(64))]
#[bench::n1000(matrices(1000))]
fn naive(m: (usize, Vec<u32>, Vec<u32>)) -> (Vec<u32>, Vec<u32>) {
    run(Transpose::Naive, m)
}

#[library_benchmark]
#[bench::n64(matrices(64))]
#[bench::n1000(matrices(1000))]
fn blocked(m: (usize, Vec<u32>, Vec<u32>)) -> (Vec<u32>, Vec<u32>) {
    run(Transpose::Blocked, m)
}

#[library_benchmark]
#[bench::n64(matrices(64))]
#[bench::n1000(matrices(1000))]
fn recursive(m: (usize, Vec<u32>, Vec<u32>)) -> (Vec<u32>, Vec<u32>) {
    run(Transpose::Recursive, m)
}

fn run(t: Transpose, (n, src, mut dst): (usize, Vec<u32>, Vec<u32>)) -> (Vec<u32>, Vec<u32>) {
    // The matrices are returned: gungraun drops return values after counting stops.
    t.run(n, n, black_box(&src), black_box(&mut dst));
    (src, dst)
}

library_benchmark_group!(name = sim; benchmarks = chase);
library_benchmark_group!(name = stride; benchmarks = read);
library_benchmark_group!(name = transpose; benchmarks = naive, blocked, recursive);

main!(
    config = benchkit::instr_config();
    library_benchmark_groups = sim, stride, transpose
);
