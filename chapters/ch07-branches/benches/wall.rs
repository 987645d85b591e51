//! Wall-clock harness (criterion) for chapter 07. Ids are `group/function/case`, the same as in
//! `instr.rs`, over the cases listed in `ch07::cases`. Inputs are built before timing starts,
//! and every result goes through `black_box`.

use std::hint::black_box;

use benchkit::criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ch07::bits::{
    self, BitImpl, FindKernel, WordKernel, find_byte_naive, find_byte_swar, popcount_count_ones,
    popcount_hw, popcount_lut, popcount_naive, popcount_swar, set_positions_naive,
    set_positions_tzcnt,
};
use ch07::bitset::{MemberCase, SetKind};
use ch07::cases::*;
use ch07::filter::{Filter, FilterCase};
use ch07::input::{random_u64s, sparse_words};
use ch07::search::{Search, SearchCase};

// ANCHOR: wall_filter
fn filter(c: &mut Criterion) {
    let mut g = c.benchmark_group("filter");
    for p in FILTER_PERCENTS {
        let mut case = FilterCase::random(FILTER_LEN, p, FILTER_SEED);
        for (name, f) in [
            ("branchy", Filter::Branchy),
            ("branchless", Filter::Branchless),
        ] {
            g.bench_function(BenchmarkId::new(name, percent_case(p)), |b| {
                b.iter(|| black_box(black_box(&mut case).run(f)))
            });
        }
    }
    g.finish();
}
// ANCHOR_END: wall_filter

fn sorted(c: &mut Criterion) {
    let mut g = c.benchmark_group("sorted");
    let mut case = FilterCase::sorted(FILTER_LEN, SORTED_PERCENT, FILTER_SEED);
    for (name, f) in [
        ("filter_branchy", Filter::Branchy),
        ("filter_branchless", Filter::Branchless),
    ] {
        g.bench_function(BenchmarkId::new(name, percent_case(SORTED_PERCENT)), |b| {
            b.iter(|| black_box(black_box(&mut case).run(f)))
        });
    }
    g.finish();
}

fn search(c: &mut Criterion) {
    let case = SearchCase::new(SEARCH_LEN, SEARCH_QUERIES, SEARCH_SEED);
    let mut g = c.benchmark_group("search");
    for (name, s) in [
        ("branchy", Search::Branchy),
        ("branchless", Search::Branchless),
        ("std", Search::Std),
    ] {
        g.bench_function(BenchmarkId::new("lower_bound", name), |b| {
            b.iter(|| black_box(black_box(&case).run(s)))
        });
    }
    g.finish();
}

fn bit_kernels(c: &mut Criterion) {
    let words = random_u64s(WORDS, BITS_SEED);
    let sparse = sparse_words(WORDS, ONES_PERCENT, BITS_SEED);
    let hay = bits::haystack(FIND_LEN, 0, BITS_SEED);
    let mut g = c.benchmark_group("bits");
    let popcounts: [(&str, WordKernel); 5] = [
        ("naive", popcount_naive),
        ("lut", popcount_lut),
        ("swar", popcount_swar),
        ("count_ones", popcount_count_ones),
        ("popcnt", popcount_hw),
    ];
    for (name, f) in popcounts {
        g.bench_function(BenchmarkId::new("popcount", name), |b| {
            b.iter(|| black_box(f(black_box(&words))))
        });
    }
    let ones: [(&str, WordKernel); 2] = [
        ("naive", set_positions_naive),
        ("tzcnt", set_positions_tzcnt),
    ];
    for (name, f) in ones {
        g.bench_function(BenchmarkId::new("ones", name), |b| {
            b.iter(|| black_box(f(black_box(&sparse))))
        });
    }
    // The `bmi2` ids exist only where the CPU has BMI2: elsewhere `BitImpl::Bmi2` would run
    // the portable loop under the instruction's name.
    let bmi2 = bits::has_bmi2();
    let pexts = [
        ("naive", BitImpl::Naive),
        ("portable", BitImpl::Portable),
        ("bmi2", BitImpl::Bmi2),
    ];
    for (name, how) in pexts
        .into_iter()
        .filter(|&(_, h)| bmi2 || h != BitImpl::Bmi2)
    {
        g.bench_function(BenchmarkId::new("pext", name), |b| {
            b.iter(|| black_box(bits::pext_all(black_box(&words), PEXT_MASK, how)))
        });
    }
    let pdeps = [("portable", BitImpl::Portable), ("bmi2", BitImpl::Bmi2)];
    for (name, how) in pdeps
        .into_iter()
        .filter(|&(_, h)| bmi2 || h != BitImpl::Bmi2)
    {
        g.bench_function(BenchmarkId::new("pdep", name), |b| {
            b.iter(|| black_box(bits::pdep_all(black_box(&words), PEXT_MASK, how)))
        });
    }
    let finds: [(&str, FindKernel); 2] = [("naive", find_byte_naive), ("swar", find_byte_swar)];
    for (name, f) in finds {
        g.bench_function(BenchmarkId::new("find_byte", name), |b| {
            b.iter(|| black_box(f(black_box(&hay), black_box(0))))
        });
    }
    g.finish();
}

fn member(c: &mut Criterion) {
    let case = MemberCase::new(MEMBER_UNIVERSE, MEMBER_PERCENT, MEMBER_QUERIES, BITS_SEED);
    let mut g = c.benchmark_group("member");
    for (name, k) in [
        ("bitset", SetKind::Bitset),
        ("vec_bool", SetKind::VecBool),
        ("hashset", SetKind::HashSet),
    ] {
        g.bench_function(BenchmarkId::new("contains", name), |b| {
            b.iter(|| black_box(black_box(&case).run(k)))
        });
    }
    g.finish();
}

criterion_group! {
    name = ch07;
    config = benchkit::config();
    targets = filter, sorted, search, bit_kernels, member
}
criterion_main!(ch07);
