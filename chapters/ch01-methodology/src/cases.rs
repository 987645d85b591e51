//! The cases both harnesses measure, declared once. `benches/wall.rs` (criterion) registers its
//! benchmarks from [`all`], `benches/instr.rs` (gungraun) names each of its `#[bench]` cases
//! after one of them, and `figures.toml` names them by the same ids.

use bookproto::{Case, sweep};

use crate::workload::SortAlgo;

/// Elements sorted by the spread and comparison experiments.
pub const SORT_LEN: usize = 4096;

/// Seed of the sort input; fixed so that every run sorts the same values.
pub const SORT_SEED: u64 = 0x5eed_0001;

/// Criterion sample counts for the sample-count experiment.
pub const SAMPLE_COUNTS: [usize; 5] = [10, 20, 40, 80, 160];

/// Bytes the hidden-variable experiment adds to a child's environment: every 128 from none to
/// a page.
pub const ENV_PADS: [usize; 33] = {
    let mut p = [0; 33];
    let mut i = 0;
    while i < 33 {
        p[i] = i * 128;
        i += 1;
    }
    p
};

/// Children of the hidden-variable experiment started with nothing changed, with and without
/// address-space randomisation: the controls of the environment sweep.
pub const HIDDEN_REPEATS: usize = 8;

/// Blocks of the largest sample count in the sequence of the sample-law experiment: 640
/// samples, so that even the largest count is averaged over several blocks.
pub const SAMPLE_LAW_BLOCKS: usize = 4;

/// Row pitches of the layout experiment's grid, in bytes: the distance from the start of one
/// row to the start of the next. Each row holds one 64-byte line of values; the rest is padding.
pub const PITCHES: [usize; 11] = [64, 68, 128, 256, 512, 1024, 1088, 2048, 2112, 4096, 4160];

/// Callgrind runs of the same sort in the spread experiment, one process each.
pub const CALLGRIND_RUNS: usize = 5;

/// Every case of the chapter:
///
/// - `spread/sort/unstable`: one sort timed again and again (wall clock only), and
///   `spread/sort_runs/run1` to `run5`: the same sort counted in separate callgrind runs
///   (instruction counts only);
/// - `samples/sort/n<count>`: the sort measured with `samples` criterion samples (wall clock
///   only);
/// - `sample_law/sort/n<count>`: one sequence of [`SAMPLE_LAW_BLOCKS`] × the largest count of
///   timed samples, and the median's interval over its blocks of `samples`, in the order
///   measured and shuffled (wall clock only, a custom measurement);
/// - `hidden/env/pad<bytes>`, `hidden/repeat/run<k>` and `hidden/aslr/run<k>`: the sort in a
///   child process whose environment is `pad` bytes longer, with address-space randomisation
///   off; the same child started again with nothing changed; and with randomisation on
///   (custom measurements, [`crate::hidden`]);
/// - `compare/sort/<algo>`: the stable and the unstable sort, one case per [`SortAlgo`];
/// - `layout/column_sums/pitch<bytes>`: the column sums over a grid of row pitch `pitch`, one
///   case per [`PITCHES`].
pub fn all() -> Vec<Case> {
    let mut cases = vec![Case::new("spread", "sort", "unstable").wall_only(
        "the spread of criterion's samples of one sort; callgrind's side is spread/sort_runs",
    )];
    cases.extend(
        sweep(
            "spread",
            "sort_runs",
            "run",
            "run",
            (1..=CALLGRIND_RUNS).map(|r| r as f64),
        )
        .into_iter()
        .map(|c| {
            c.instr_only(
                "separate callgrind runs of one sort; criterion repeats it as samples of spread/sort/unstable",
            )
        }),
    );
    cases.extend(
        sweep(
            "samples",
            "sort",
            "n",
            "samples",
            SAMPLE_COUNTS.map(|n| n as f64),
        )
        .into_iter()
        .map(|c| {
            c.wall_only(
                "criterion's sample count varies; callgrind counts one run whatever the count",
            )
        }),
    );
    cases.extend(
        sweep(
            "sample_law",
            "sort",
            "n",
            "samples",
            SAMPLE_COUNTS.map(|n| n as f64),
        )
        .into_iter()
        .map(|c| {
            c.wall_only(
                "custom measurement by the wall harness: one long sequence of timed samples, cut \
                 into blocks as measured and as shuffled; callgrind has no time to sample",
            )
        }),
    );
    let hidden = "custom measurement by the wall harness: the sort timed in child processes that \
                  differ only in their environment or their addresses; callgrind counts \
                  instructions, which neither changes";
    cases.extend(
        sweep(
            "hidden",
            "env",
            "pad",
            "pad_bytes",
            ENV_PADS.map(|p| p as f64),
        )
        .into_iter()
        .chain(sweep(
            "hidden",
            "repeat",
            "run",
            "run",
            (1..=HIDDEN_REPEATS).map(|r| r as f64),
        ))
        .chain(sweep(
            "hidden",
            "aslr",
            "run",
            "run",
            (1..=HIDDEN_REPEATS).map(|r| r as f64),
        ))
        .map(|c| c.wall_only(hidden)),
    );
    cases.extend(
        SortAlgo::ALL
            .iter()
            .map(|algo| Case::new("compare", "sort", algo.case())),
    );
    cases.extend(sweep(
        "layout",
        "column_sums",
        "pitch",
        "pitch",
        PITCHES.map(|p| p as f64),
    ));
    cases
}

/// The case name of the layout case with row pitch `pitch` bytes, as [`all`] names it
/// ([`bookproto::case_name`]).
pub fn pitch_case(pitch: usize) -> String {
    bookproto::case_name("pitch", pitch as f64)
}
