//! The cases the chapter measures, declared once. `benches/wall.rs` (criterion, and the
//! chapter's own measurements of the profiler) registers its benchmarks and records from
//! [`all`], `benches/instr.rs` (gungraun) names each of its `#[bench]` cases after one of them,
//! and `figures.toml` names them by the same ids.

use bookproto::{Case, sweep};

use crate::workload::PHASE_NAMES;

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

/// The cases the wall-clock harness measures itself, outside criterion, and records as custom
/// measurements: the clock's shortfall, the profiler's overhead at each frequency
/// (`overhead/pprof/hz<hz>` with pprof's own timer, `overhead/hrtimer/hz<hz>` driven by a
/// high-resolution one, `overhead/empty/hz<hz>` the same timer with a handler that does
/// nothing), the sampling rate a budget of `budget_pct` percent allows, and which
/// hardware counters open.
pub fn custom() -> Vec<Case> {
    let overhead = |function: &str, hz: &[i32]| {
        sweep(
            "overhead",
            function,
            "hz",
            "hz",
            hz.iter().map(|&h| f64::from(h)),
        )
    };
    let signals = "custom measurement by the wall harness: the CPU time a profiler's signals \
                   cost, which callgrind neither delivers at the machine's rate nor times";
    let mut cases = vec![Case::new("clock", "process", "armed").wall_only(
        "custom measurement by the wall harness: how far the process's CPU clock under-reads \
         with a CPU timer armed, a property of the kernel's clocks",
    )];
    cases.extend(
        overhead("pprof", &OVERHEAD_HZ)
            .into_iter()
            .chain(overhead("hrtimer", &DRIVEN_HZ))
            .chain(overhead("empty", &DRIVEN_HZ))
            .chain(sweep(
                "overhead",
                "budget",
                "pct",
                "budget_pct",
                [BUDGET_PCT],
            ))
            .map(|c| c.wall_only(signals)),
    );
    cases.push(Case::new("profile", "perf", "cpu_clock").wall_only(
        "custom measurement by the wall harness: perf record's samples of the workload, on the \
         machine's clock, which callgrind does not have",
    ));
    cases.push(Case::new("counters", "perf", "workload").wall_only(
        "custom measurement by the wall harness: which perf_event_open counters the machine \
         opens",
    ));
    cases
}

/// Every case of the chapter: each phase of the workload (`phase/<phase>/records`) and the
/// whole run (`workload/run/records`), which both harnesses measure and the profiles attribute
/// samples and instructions to, then the [`custom`] cases.
pub fn all() -> Vec<Case> {
    let mut cases: Vec<Case> = PHASE_NAMES
        .iter()
        .map(|phase| Case::new("phase", phase, CASE))
        .collect();
    cases.push(Case::new("workload", "run", CASE));
    cases.extend(custom());
    cases
}
