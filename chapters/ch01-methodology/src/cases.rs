//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) read these lists, and the ids they give each case are the ids that
//! `figures.toml` names.

/// Elements sorted by the spread and comparison experiments.
pub const SORT_LEN: usize = 4096;

/// Seed of the sort input; fixed so that every run sorts the same values.
pub const SORT_SEED: u64 = 0x5eed_0001;

/// Criterion sample counts for the sample-count experiment.
pub const SAMPLE_COUNTS: [usize; 5] = [10, 20, 40, 80, 160];

/// How many separate callgrind runs the spread experiment makes of the same sort.
pub const CALLGRIND_RUNS: usize = 5;

/// Elements of `f32` copied by the placement kernel: 16 KiB in, 16 KiB out, both in L1.
pub const PLACEMENT_LEN: usize = 4096;

/// Byte distances, modulo one 4 KiB page, between the output and the input buffer.
pub const PLACEMENT_OFFSETS: [usize; 12] = [0, 16, 32, 64, 128, 256, 512, 1024, 2048, 3072, 4032, 4080];

/// The id of a placement case, as both harnesses name it.
pub fn placement_case(offset: usize) -> String {
    format!("off{offset}")
}
