//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) read these lists, and the ids they give each case are the ids that
//! `figures.toml` names.

/// Elements sorted by the spread and comparison experiments.
pub const SORT_LEN: usize = 4096;

/// Seed of the sort input; fixed so that every run sorts the same values.
pub const SORT_SEED: u64 = 0x5eed_0001;

/// Criterion sample counts for the sample-count experiment.
pub const SAMPLE_COUNTS: [usize; 5] = [10, 20, 40, 80, 160];

/// Row pitches of the layout experiment's grid, in bytes: the distance from the start of one
/// row to the start of the next. Each row holds one 64-byte line of values; the rest is padding.
pub const PITCHES: [usize; 11] = [64, 68, 128, 256, 512, 1024, 1088, 2048, 2112, 4096, 4160];

/// The id of a layout case, as both harnesses name it.
pub fn pitch_case(pitch: usize) -> String {
    format!("pitch{pitch}")
}
