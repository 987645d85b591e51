//! Wall-clock harness (criterion) for chapter 07. Every benchmark is registered from the case
//! list, `ch07::cases::all`, under the id `instr.rs` gives the same case. Inputs are built
//! before timing starts, and every result goes through `black_box`.

use std::hint::black_box;

use benchkit::Case;
use benchkit::criterion::Criterion;
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

/// The cases of `group/function` that the wall-clock harness measures, in declaration order.
fn cases(group: &str, function: &str) -> Vec<Case> {
    ch07::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.id.function == function && c.harnesses.wall())
        .collect()
}

/// The cases of `group` that the wall-clock harness measures, in declaration order.
fn group_cases(group: &str) -> Vec<Case> {
    ch07::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.harnesses.wall())
        .collect()
}

/// What `name` (a part of a case's id) stands for in `table`.
fn pick<T: Copy>(case: &Case, name: &str, table: &[(&str, T)]) -> T {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, t)| t)
        .unwrap_or_else(|| panic!("{}: nothing is called {name} here", case.id))
}

// ANCHOR: wall_filter
fn filter(c: &mut Criterion) {
    let mut g = c.benchmark_group("filter");
    let versions = [
        ("branchy", Filter::Branchy),
        ("branchless", Filter::Branchless),
    ];
    // The list gives both versions of one percentage together; they share its input.
    for same in group_cases("filter").chunk_by(|a, b| a.get("percent") == b.get("percent")) {
        let p = u32::try_from(same[0].usize("percent")).expect("a percentage");
        let mut input = FilterCase::random(FILTER_LEN, p, FILTER_SEED);
        for case in same {
            let f = pick(case, &case.id.function, &versions);
            g.bench_function(benchkit::id(case), |b| {
                b.iter(|| black_box(black_box(&mut input).run(f)))
            });
        }
    }
    g.finish();
}
// ANCHOR_END: wall_filter

fn sorted(c: &mut Criterion) {
    let mut g = c.benchmark_group("sorted");
    let mut input = FilterCase::sorted(FILTER_LEN, SORTED_PERCENT, FILTER_SEED);
    let versions = [
        ("filter_branchy", Filter::Branchy),
        ("filter_branchless", Filter::Branchless),
    ];
    for case in group_cases("sorted") {
        let f = pick(&case, &case.id.function, &versions);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(black_box(&mut input).run(f)))
        });
    }
    g.finish();
}

fn search(c: &mut Criterion) {
    let input = SearchCase::new(SEARCH_LEN, SEARCH_QUERIES, SEARCH_SEED);
    let mut g = c.benchmark_group("search");
    let versions = [
        ("branchy", Search::Branchy),
        ("branchless", Search::Branchless),
        ("std", Search::Std),
    ];
    for case in cases("search", "lower_bound") {
        let s = pick(&case, &case.id.case, &versions);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(black_box(&input).run(s)))
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
    for case in cases("bits", "popcount") {
        let f = pick(&case, &case.id.case, &popcounts);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(f(black_box(&words))))
        });
    }
    let ones: [(&str, WordKernel); 2] = [
        ("naive", set_positions_naive),
        ("tzcnt", set_positions_tzcnt),
    ];
    for case in cases("bits", "ones") {
        let f = pick(&case, &case.id.case, &ones);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(f(black_box(&sparse))))
        });
    }
    // The list gives the `bmi2` cases to this harness only where the CPU has BMI2: elsewhere
    // `BitImpl::Bmi2` would run the portable loop under the instruction's name.
    let pexts = [
        ("naive", BitImpl::Naive),
        ("portable", BitImpl::Portable),
        ("bmi2", BitImpl::Bmi2),
    ];
    for case in cases("bits", "pext") {
        let how = pick(&case, &case.id.case, &pexts);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(bits::pext_all(black_box(&words), PEXT_MASK, how)))
        });
    }
    let pdeps = [("portable", BitImpl::Portable), ("bmi2", BitImpl::Bmi2)];
    for case in cases("bits", "pdep") {
        let how = pick(&case, &case.id.case, &pdeps);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(bits::pdep_all(black_box(&words), PEXT_MASK, how)))
        });
    }
    let finds: [(&str, FindKernel); 2] = [("naive", find_byte_naive), ("swar", find_byte_swar)];
    for case in cases("bits", "find_byte") {
        let f = pick(&case, &case.id.case, &finds);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(f(black_box(&hay), black_box(0))))
        });
    }
    g.finish();
}

fn member(c: &mut Criterion) {
    let input = MemberCase::new(MEMBER_UNIVERSE, MEMBER_PERCENT, MEMBER_QUERIES, BITS_SEED);
    let mut g = c.benchmark_group("member");
    let sets = [
        ("bitset", SetKind::Bitset),
        ("vec_bool", SetKind::VecBool),
        ("hashset", SetKind::HashSet),
    ];
    for case in cases("member", "contains") {
        let k = pick(&case, &case.id.case, &sets);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(black_box(&input).run(k)))
        });
    }
    g.finish();
}

/// The A/A control: the branchy filter at one half under its twin's id, on the same input,
/// last in the run, so that the pair differs only by how the run drifted between them.
fn aa(c: &mut Criterion) {
    let mut g = c.benchmark_group("aa");
    for case in group_cases("aa") {
        let p = u32::try_from(case.usize("percent")).expect("a percentage");
        let mut input = FilterCase::random(FILTER_LEN, p, FILTER_SEED);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(black_box(&mut input).run(Filter::Branchy)))
        });
    }
    g.finish();
}

benchkit::main!(
    cases = ch07::cases::all();
    targets = filter, sorted, search, bit_kernels, member, aa
);
