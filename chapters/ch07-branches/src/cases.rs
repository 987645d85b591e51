//! The cases both harnesses measure, declared once. `benches/wall.rs` (criterion) registers its
//! benchmarks from [`all`], `benches/instr.rs` (gungraun) names each of its `#[bench]` cases
//! after one of them, and `figures.toml` names them by the same ids (`group/function/case`).

use bookproto::{Case, case_name};

/// Elements per filter call: large enough that the predictor cannot learn the sequence by
/// heart between calls (256 KiB of input, a pattern far longer than any branch history).
pub const FILTER_LEN: usize = 1 << 16;

/// Percentages of elements that pass the filter, one case each (`p0` ... `p100`).
pub const FILTER_PERCENTS: [u32; 7] = [0, 10, 25, 50, 75, 90, 100];

/// The percentage whose input is also measured sorted.
pub const SORTED_PERCENT: u32 = 50;

/// Seed of the filter inputs.
pub const FILTER_SEED: u64 = 0x5eed_0701;

/// Keys in the searched array: 16 KiB of `u32`, well inside the L1 data cache, so the search
/// measures branches rather than cache misses.
pub const SEARCH_LEN: usize = 4096;

/// Lower-bound searches per call.
pub const SEARCH_QUERIES: usize = 4096;

/// Seed of the search keys and queries.
pub const SEARCH_SEED: u64 = 0x5eed_0702;

/// Words per bit-kernel call: 32 KiB of `u64`.
pub const WORDS: usize = 4096;

/// Percentage of bits set in the words whose set bits are iterated.
pub const ONES_PERCENT: u32 = 10;

/// Seed of the bit-kernel inputs.
pub const BITS_SEED: u64 = 0x5eed_0703;

/// The mask `pext` gathers and `pdep` scatters: every fourth bit, 16 bits in all.
pub const PEXT_MASK: u64 = 0x1111_1111_1111_1111;

/// Bytes searched for a needle that sits at the very end.
pub const FIND_LEN: usize = 1 << 16;

/// Size of the universe of the membership experiment: values `0..MEMBER_UNIVERSE`.
pub const MEMBER_UNIVERSE: u32 = 1 << 16;

/// Percentage of the universe that is in the set.
pub const MEMBER_PERCENT: u32 = 25;

/// Membership queries per call.
pub const MEMBER_QUERIES: usize = 4096;

/// The case name of a filter case, as [`all`] names it: `p25` for 25% passing.
pub fn percent_case(percent: u32) -> String {
    case_name("p", f64::from(percent))
}

/// Every case of the chapter:
///
/// - `filter/{branchy,branchless}/p<percent>`: the filter over random input of which `percent`
///   per cent passes, both versions of one percentage together (they share its input);
/// - `sorted/filter_{branchy,branchless}/p50`: the same over sorted input;
/// - `search/lower_bound/*`, `bits/<kernel>/*` and `member/contains/*`: each version of the
///   search, the bit kernels and the membership test.
///
/// On a CPU without BMI2 the `bmi2` cases are the instruction-count harness's only: it counts
/// them regardless (under the portable fallback, set aside by the chapter's `[[requires]]`),
/// while the wall-clock harness does not time the fallback under the instruction's name.
pub fn all() -> Vec<Case> {
    let percent = |group: &str, function: &str, p: u32| {
        Case::new(group, function, &percent_case(p)).param("percent", f64::from(p))
    };
    let mut cases: Vec<Case> = FILTER_PERCENTS
        .iter()
        .flat_map(|&p| ["branchy", "branchless"].map(|f| percent("filter", f, p)))
        .collect();
    cases.extend(
        ["filter_branchy", "filter_branchless"].map(|f| percent("sorted", f, SORTED_PERCENT)),
    );
    cases.extend(["branchy", "branchless", "std"].map(|s| Case::new("search", "lower_bound", s)));
    let bmi2 = crate::bits::has_bmi2();
    for (function, names) in [
        (
            "popcount",
            &["naive", "lut", "swar", "count_ones", "popcnt"][..],
        ),
        ("ones", &["naive", "tzcnt"]),
        ("pext", &["naive", "portable", "bmi2"]),
        ("pdep", &["portable", "bmi2"]),
        ("find_byte", &["naive", "swar"]),
    ] {
        cases.extend(names.iter().map(|&name| {
            let case = Case::new("bits", function, name);
            if name == "bmi2" && !bmi2 {
                case.instr_only(
                    "this CPU has no BMI2: the wall harness does not time the portable \
                     fallback under the instruction's name",
                )
            } else {
                case
            }
        }));
    }
    cases.extend(["bitset", "vec_bool", "hashset"].map(|s| Case::new("member", "contains", s)));
    // The A/A control: the branchy filter at one half again, at the end of the run.
    cases.push(percent("filter", "branchy", 50).twin());
    cases
}
