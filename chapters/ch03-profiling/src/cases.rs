//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) read these constants, and the ids they give each case (`group/function/case`)
//! are the ids that `figures.toml` names.

/// Readings in the workload's input: about 0.7 MB of text, a few milliseconds of work.
pub const RECORDS: usize = 50_000;

/// Distinct stations in the input.
pub const STATIONS: usize = 2_000;

/// Seed of the input.
pub const SEED: u64 = 0x5eed_0301;

/// The case name of every workload benchmark (`phase/parse/records`, `workload/run/records`).
pub const CASE: &str = "records";

/// Frequencies asked of the profiler in the overhead experiment, in samples per CPU second:
/// the odd values keep the sampler out of step with periodic work, as `perf record -F 99`
/// and `-F 997` do.
pub const OVERHEAD_HZ: [i32; 5] = [49, 99, 499, 997, 4999];

/// Frequencies at which a high-resolution timer drives pprof's signal handler instead of its
/// own timer, which cannot deliver more than the kernel's tick rate.
pub const DRIVEN_HZ: [i32; 4] = [1000, 2000, 5000, 10000];

/// The frequency of the profile drawn as a flame graph.
pub const FLAME_HZ: i32 = 997;

/// The overhead budget of continuous profiling the chapter derives a sampling rate for, in
/// percent of CPU time.
pub const BUDGET_PCT: f64 = 1.0;

/// The input of every experiment.
pub fn input() -> String {
    crate::workload::generate(RECORDS, STATIONS, SEED)
}
