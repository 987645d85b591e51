//! Instruction-count harness (gungraun, callgrind) for chapter 07. Every `#[bench]` case is a
//! case of the chapter's case list, `ch07::cases::all`, under the same id as in `wall.rs`; the
//! arguments of each `#[bench]` are built before callgrind starts counting, and what a
//! benchmark returns is dropped after it stops.
//!
//! Callgrind runs with `--branch-sim=yes`: besides instructions it simulates a branch
//! predictor and counts conditional branches (`Bc`), their mispredictions (`Bcm`), indirect
//! branches (`Bi`) and theirs (`Bim`).

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use ch07::bits::{
    BitImpl, FindKernel, WordKernel, find_byte_naive, find_byte_swar, haystack, pdep_all, pext_all,
    popcount_count_ones, popcount_hw, popcount_lut, popcount_naive, popcount_swar,
    set_positions_naive, set_positions_tzcnt,
};
use ch07::bitset::{MemberCase, SetKind};
use ch07::cases::*;
use ch07::filter::{Filter, FilterCase};
use ch07::input::{random_u64s, sparse_words};
use ch07::search::{Search, SearchCase};
use gungraun::{Callgrind, library_benchmark, library_benchmark_group, main};

fn random(p: u32) -> FilterCase {
    FilterCase::random(FILTER_LEN, p, FILTER_SEED)
}

fn sorted_case() -> FilterCase {
    FilterCase::sorted(FILTER_LEN, SORTED_PERCENT, FILTER_SEED)
}

// One macro writes both versions, so their cases cannot drift apart; the function's name is the
// id's middle part.
macro_rules! filter_sweep {
    ($name:ident, $version:expr) => {
        #[library_benchmark]
        #[bench::p0(random(0))]
        #[bench::p10(random(10))]
        #[bench::p25(random(25))]
        #[bench::p50(random(50))]
        #[bench::p75(random(75))]
        #[bench::p90(random(90))]
        #[bench::p100(random(100))]
        fn $name(mut case: FilterCase) -> (FilterCase, usize) {
            let n = black_box(&mut case).run($version);
            (case, n)
        }
    };
}

filter_sweep!(branchy, Filter::Branchy);
filter_sweep!(branchless, Filter::Branchless);

#[library_benchmark]
#[bench::p50(sorted_case())]
fn filter_branchy(mut case: FilterCase) -> (FilterCase, usize) {
    let n = black_box(&mut case).run(Filter::Branchy);
    (case, n)
}

#[library_benchmark]
#[bench::p50(sorted_case())]
fn filter_branchless(mut case: FilterCase) -> (FilterCase, usize) {
    let n = black_box(&mut case).run(Filter::Branchless);
    (case, n)
}

fn search_case() -> SearchCase {
    SearchCase::new(SEARCH_LEN, SEARCH_QUERIES, SEARCH_SEED)
}

#[library_benchmark]
#[bench::branchy(search_case(), Search::Branchy)]
#[bench::branchless(search_case(), Search::Branchless)]
#[bench::std(search_case(), Search::Std)]
fn lower_bound(case: SearchCase, s: Search) -> (SearchCase, usize) {
    let sum = black_box(&case).run(s);
    (case, sum)
}

fn words() -> Vec<u64> {
    random_u64s(WORDS, BITS_SEED)
}

fn sparse() -> Vec<u64> {
    sparse_words(WORDS, ONES_PERCENT, BITS_SEED)
}

#[library_benchmark]
#[bench::naive(words(), popcount_naive)]
#[bench::lut(words(), popcount_lut)]
#[bench::swar(words(), popcount_swar)]
#[bench::count_ones(words(), popcount_count_ones)]
#[bench::popcnt(words(), popcount_hw)]
fn popcount(w: Vec<u64>, f: WordKernel) -> (Vec<u64>, u64) {
    let n = f(black_box(&w));
    (w, n)
}

#[library_benchmark]
#[bench::naive(sparse(), set_positions_naive)]
#[bench::tzcnt(sparse(), set_positions_tzcnt)]
fn ones(w: Vec<u64>, f: WordKernel) -> (Vec<u64>, u64) {
    let n = f(black_box(&w));
    (w, n)
}

#[library_benchmark]
#[bench::naive(words(), BitImpl::Naive)]
#[bench::portable(words(), BitImpl::Portable)]
#[bench::bmi2(words(), BitImpl::Bmi2)]
fn pext(w: Vec<u64>, how: BitImpl) -> (Vec<u64>, u64) {
    let r = pext_all(black_box(&w), PEXT_MASK, how);
    (w, r)
}

#[library_benchmark]
#[bench::portable(words(), BitImpl::Portable)]
#[bench::bmi2(words(), BitImpl::Bmi2)]
fn pdep(w: Vec<u64>, how: BitImpl) -> (Vec<u64>, u64) {
    let r = pdep_all(black_box(&w), PEXT_MASK, how);
    (w, r)
}

fn hay() -> Vec<u8> {
    haystack(FIND_LEN, 0, BITS_SEED)
}

#[library_benchmark]
#[bench::naive(hay(), find_byte_naive)]
#[bench::swar(hay(), find_byte_swar)]
fn find_byte(h: Vec<u8>, f: FindKernel) -> (Vec<u8>, Option<usize>) {
    let r = f(black_box(&h), black_box(0));
    (h, r)
}

fn member_case() -> MemberCase {
    MemberCase::new(MEMBER_UNIVERSE, MEMBER_PERCENT, MEMBER_QUERIES, BITS_SEED)
}

#[library_benchmark]
#[bench::bitset(member_case(), SetKind::Bitset)]
#[bench::vec_bool(member_case(), SetKind::VecBool)]
#[bench::hashset(member_case(), SetKind::HashSet)]
fn contains(case: MemberCase, k: SetKind) -> (MemberCase, usize) {
    let n = black_box(&case).run(k);
    (case, n)
}

library_benchmark_group!(name = filter; benchmarks = branchy, branchless);
library_benchmark_group!(name = sorted; benchmarks = filter_branchy, filter_branchless);
library_benchmark_group!(name = search; benchmarks = lower_bound);
library_benchmark_group!(name = bits; benchmarks = popcount, ones, pext, pdep, find_byte);
library_benchmark_group!(name = member; benchmarks = contains);

// ANCHOR: branch_sim
main!(
    config = benchkit::instr_config()
        .tool(Callgrind::with_args(["--branch-sim=yes"]));
    library_benchmark_groups = filter, sorted, search, bits, member
);
// ANCHOR_END: branch_sim
