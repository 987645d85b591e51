//! The labs' counts under callgrind (gungraun): for every lab, the implementation being graded
//! (`mine`, from `LABS_DIR`) and the starting code (`start`), on the same prepared input, and
//! for lab 2 a correct measurement of the function its benchmark is about (`reference`). The
//! grader (`scripts/lab.sh grade`) reads the summaries; ids are `labNN/labNN_<which>/run`.
//!
//! Callgrind simulates the caches and the branch predictor for every lab. The caches are given
//! fixed sizes (32 KiB 8-way L1s, an 8 MiB 16-way last level, 64-byte lines) so that a lab's miss
//! counts are the same on every machine; the simulated predictor is callgrind's own.

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use gungraun::{Callgrind, library_benchmark, library_benchmark_group, main};
use labs::work;

/// One measured function of one implementation: prepares its input before counting, runs the
/// lab's call, returns input and output so that both are dropped after counting stops.
macro_rules! measured {
    ($name:ident, $m:ident, $prep:ident, $run:ident, $ty:ty) => {
        #[library_benchmark]
        #[bench::run(work::$m::$prep())]
        fn $name(mut input: $ty) -> ($ty, impl Sized) {
            let out = work::$m::$run(black_box(&mut input));
            (input, out)
        }
    };
}

measured!(
    lab01_mine,
    mine,
    lab01_prepare,
    lab01_run,
    (Vec<f64>, inputs::Rng)
);
measured!(
    lab01_start,
    start,
    lab01_prepare,
    lab01_run,
    (Vec<f64>, inputs::Rng)
);
measured!(lab02_mine, mine, lab02_prepare, lab02_run, Vec<u64>);
measured!(lab02_start, start, lab02_prepare, lab02_run, Vec<u64>);
measured!(lab03_mine, mine, lab03_prepare, lab03_run, String);
measured!(lab03_start, start, lab03_prepare, lab03_run, String);
measured!(lab04_mine, mine, lab04_prepare, lab04_run, Vec<u64>);
measured!(lab04_start, start, lab04_prepare, lab04_run, Vec<u64>);
measured!(
    lab05_mine,
    mine,
    lab05_prepare,
    lab05_run,
    (Vec<u32>, Vec<u32>)
);
measured!(
    lab05_start,
    start,
    lab05_prepare,
    lab05_run,
    (Vec<u32>, Vec<u32>)
);
measured!(
    lab06_mine,
    mine,
    lab06_prepare,
    lab06_run,
    labs::mine::lab06::Particles
);
measured!(
    lab06_start,
    start,
    lab06_prepare,
    lab06_run,
    labs::start::lab06::Particles
);
measured!(
    lab07_mine,
    mine,
    lab07_prepare,
    lab07_run,
    (Vec<u32>, Vec<u32>)
);
measured!(
    lab07_start,
    start,
    lab07_prepare,
    lab07_run,
    (Vec<u32>, Vec<u32>)
);
measured!(lab08_mine, mine, lab08_prepare, lab08_run, Vec<f32>);
measured!(lab08_start, start, lab08_prepare, lab08_run, Vec<f32>);
measured!(
    lab09_mine,
    mine,
    lab09_prepare,
    lab09_run,
    labs::mine::lab09::Scene
);
measured!(
    lab09_start,
    start,
    lab09_prepare,
    lab09_run,
    labs::start::lab09::Scene
);

/// Lab 2's yardstick: `checksum` on `N` words, with the input built before counting and both
/// input and result behind `black_box`.
fn reference_input() -> Vec<u64> {
    (0..labs::start::lab02::N as u64).collect()
}

#[library_benchmark]
#[bench::run(reference_input())]
fn lab02_reference(words: Vec<u64>) -> Vec<u64> {
    black_box(labs::start::lab02::checksum(black_box(&words)));
    words
}

library_benchmark_group!(name = lab01; benchmarks = lab01_mine, lab01_start);
library_benchmark_group!(name = lab02; benchmarks = lab02_mine, lab02_start, lab02_reference);
library_benchmark_group!(name = lab03; benchmarks = lab03_mine, lab03_start);
library_benchmark_group!(name = lab04; benchmarks = lab04_mine, lab04_start);
library_benchmark_group!(name = lab05; benchmarks = lab05_mine, lab05_start);
library_benchmark_group!(name = lab06; benchmarks = lab06_mine, lab06_start);
library_benchmark_group!(name = lab07; benchmarks = lab07_mine, lab07_start);
library_benchmark_group!(name = lab08; benchmarks = lab08_mine, lab08_start);
library_benchmark_group!(name = lab09; benchmarks = lab09_mine, lab09_start);

// ANCHOR: simulation
main!(
    config = benchkit::instr_config().tool(Callgrind::with_args([
        "--cache-sim=yes",
        "--I1=32768,8,64",
        "--D1=32768,8,64",
        "--LL=8388608,16,64",
        "--branch-sim=yes",
    ]));
    library_benchmark_groups = lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08, lab09
);
// ANCHOR_END: simulation
