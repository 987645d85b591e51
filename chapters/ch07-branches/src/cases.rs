//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) read these lists, and the ids they give each case (`group/function/case`) are the
//! ids that `figures.toml` names.

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

/// The id of a filter case: `p25` for 25% passing.
pub fn percent_case(percent: u32) -> String {
    format!("p{percent}")
}
