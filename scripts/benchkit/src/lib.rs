//! Benchmark support shared by every chapter crate's harnesses.
//!
//! Every chapter measures the same way: `criterion` for wall-clock time, `gungraun` (callgrind)
//! for instruction counts, over the cases its `src/cases.rs` lists. This crate holds the parts
//! that would otherwise be copied into each chapter:
//!
//! - the run mode ([`Mode`], from `BOOK_MODE`) and criterion's settings for it ([`Budget`],
//!   [`config`], [`GroupSettings`] and its presets);
//! - registering the wall-clock harness's benchmarks from the case list ([`id`], [`main!`]),
//!   which also writes the list for the pipeline and checks, when the harness ends, that every
//!   case the list gives it was registered and nothing else;
//! - the gungraun configuration that passes the pipeline's variables through ([`instr_config`]);
//! - custom measurements and artifacts ([`custom`]).
//!
//! The mode comes from an environment variable, not a command-line flag, because
//! `cargo bench -p chNN -- <flags>` hands the same flags to every harness and gungraun rejects
//! criterion's.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

pub use bookproto::{self, Case, Id, Manifest, Mode, Round};
pub use criterion;
pub use gungraun;

pub mod alloc;
pub mod custom;
pub mod rss;
pub mod runner;

/// Criterion's settings for a [`Mode`].
pub trait Budget {
    /// Measurement time per sample for benchmarks that set their own sample count: a group
    /// that varies the count scales its measurement time by it, so every sample stays alike.
    fn time_per_sample(self) -> Duration;
    /// Number of criterion samples per benchmark in this mode.
    fn samples(self) -> usize;
    /// Criterion's warm-up time per benchmark in this mode.
    fn warm_up(self) -> Duration;
    /// Criterion's measurement time per benchmark in this mode.
    fn measurement(self) -> Duration;
    /// Bootstrap resamples for criterion's intervals in this mode.
    fn resamples(self) -> usize;
}

impl Budget for Mode {
    fn time_per_sample(self) -> Duration {
        match self {
            Mode::Quick => Duration::from_millis(10),
            Mode::Full => Duration::from_millis(50),
        }
    }

    // ANCHOR: settings
    /// Number of criterion samples per benchmark in this mode.
    fn samples(self) -> usize {
        match self {
            Mode::Quick => 30,
            Mode::Full => 100,
        }
    }

    /// Criterion's warm-up time per benchmark in this mode.
    fn warm_up(self) -> Duration {
        match self {
            Mode::Quick => Duration::from_millis(100),
            Mode::Full => Duration::from_secs(2),
        }
    }

    /// Criterion's measurement time per benchmark in this mode. Criterion plans iterations by
    /// the wall time they take, untimed set-up included (`iter_custom`, `iter_batched`), so a
    /// benchmark with costly set-up keeps to this time and gets fewer iterations.
    fn measurement(self) -> Duration {
        match self {
            Mode::Quick => Duration::from_millis(450),
            Mode::Full => Duration::from_secs(5),
        }
    }

    /// Bootstrap resamples for criterion's intervals in this mode: its default of 100,000 in
    /// full mode; in quick mode a tenth, which moves the ends of a 95% interval by well under
    /// the interval's own width and saves a few hundredths of a second per benchmark.
    fn resamples(self) -> usize {
        match self {
            Mode::Quick => 10_000,
            Mode::Full => 100_000,
        }
    }
    // ANCHOR_END: settings
}

/// A criterion instance configured for the current mode and round.
///
/// Criterion's own plots are off: they cost seconds per benchmark and the book draws its own.
/// In a run of several rounds ([`Round`]) every round takes its share of the mode's warm-up,
/// measurement time and samples, so that rounds split the measurement instead of multiplying it.
pub fn config() -> criterion::Criterion {
    let mode = Mode::from_env();
    let (warm, measure, samples) = share((mode.warm_up(), mode.measurement(), mode.samples()));
    criterion::Criterion::default()
        .without_plots()
        .warm_up_time(warm)
        .measurement_time(measure)
        .sample_size(samples)
        .nresamples(mode.resamples())
        .configure_from_args()
}

/// This round's share of a benchmark's warm-up, measurement time and samples: `1/n` of each
/// in a run of `n` rounds, with at least criterion's minimum of 10 samples and 100 ms of
/// warm-up.
pub fn share(settings: (Duration, Duration, usize)) -> (Duration, Duration, usize) {
    share_of(settings, Round::from_env().count)
}

fn share_of(settings: (Duration, Duration, usize), n: usize) -> (Duration, Duration, usize) {
    let (warm, measure, samples) = settings;
    if n == 1 {
        return settings;
    }
    (
        (warm / n as u32).max(Duration::from_millis(100)),
        measure / n as u32,
        (samples / n).max(10),
    )
}

/// Whether this process is the first round of the wall-clock harness, the one that makes the
/// custom measurements (experiments, profiles, builds) besides criterion's.
pub fn first_round() -> bool {
    Round::from_env().first()
}

/// For a harness function that makes custom measurements only (an experiment, a profile):
/// in a later round, registers every wall-clock case of `groups` from the case list, as if it
/// had measured them, and returns `true`, so that the function returns at once; in round 0
/// returns `false` and the function measures.
///
/// ```ignore
/// fn load(_: &mut Criterion) {
///     if benchkit::later_round(&["capacity", "load"]) {
///         return;
///     }
///     // ... the experiments
/// }
/// ```
///
/// # Panics
/// When [`start`] was not called.
pub fn later_round(groups: &[&str]) -> bool {
    if first_round() {
        return false;
    }
    let cases: Vec<Case> = {
        let reg = REGISTRY.lock().expect("registry");
        let (manifest, _) = reg.as_ref().expect(
            "benchkit::later_round before benchkit::start: use benchkit::main! in the wall harness",
        );
        manifest
            .cases
            .iter()
            .filter(|c| {
                groups.contains(&c.id.group.as_str()) && c.harnesses.wall() && c.runs_here()
            })
            .cloned()
            .collect()
    };
    for c in &cases {
        register(c);
    }
    true
}

/// Settings for one benchmark group whose cases need other than the defaults: warm-up,
/// measurement time and number of samples, in quick mode (`[0]`) and in full mode (`[1]`).
pub type GroupSettings = [(Duration, Duration, usize); 2];

/// Sweeps with many cases whose set-up takes longer than their measurement.
pub const SWEEP: GroupSettings = [
    (Duration::from_millis(60), Duration::from_millis(180), 20),
    (Duration::from_millis(400), Duration::from_millis(1500), 50),
];

/// Cases whose one iteration takes milliseconds or more (a transpose of a large matrix, a
/// pass over a gigabyte).
pub const BIG: GroupSettings = [
    (Duration::from_millis(100), Duration::from_millis(400), 10),
    (Duration::from_millis(500), Duration::from_secs(3), 30),
];

/// Applies `settings` for the current mode to a criterion group.
pub fn apply(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    settings: GroupSettings,
) {
    let (warm, measure, samples) = share(match Mode::from_env() {
        Mode::Quick => settings[0],
        Mode::Full => settings[1],
    });
    g.warm_up_time(warm)
        .measurement_time(measure)
        .sample_size(samples);
}

/// The ids the wall-clock harness registered through [`id`], and the case list it was given.
static REGISTRY: Mutex<Option<(Manifest, BTreeSet<Id>)>> = Mutex::new(None);

/// Starts the wall-clock harness: keeps the chapter's case list for [`id`] and [`finish`],
/// writes it to the file named by `BOOK_CASES_FILE` when the pipeline set one, and exits when
/// `BOOK_CASES_ONLY` is set (the pipeline asks for the list without a measurement). [`main!`]
/// calls it.
///
/// # Panics
/// When the list declares an id twice, or the file cannot be written.
pub fn start(cases: Vec<Case>) {
    let manifest = Manifest::new(cases);
    if let Some(path) = std::env::var_os(bookproto::env::CASES_FILE) {
        let text = serde_json::to_string_pretty(&manifest).expect("a manifest serialises");
        std::fs::write(&path, text + "\n").unwrap_or_else(|e| {
            panic!(
                "cannot write the case list to {}: {e}",
                std::path::Path::new(&path).display()
            )
        });
    }
    if std::env::var_os(bookproto::env::CASES_ONLY).is_some() {
        std::process::exit(0);
    }
    *REGISTRY.lock().expect("registry") = Some((manifest, BTreeSet::new()));
}

/// Criterion's id for `case` (function and case; the group is the criterion group's), noted as
/// registered ([`register`]) so that [`finish`] can compare the harness with its case list.
///
/// # Panics
/// When [`start`] was not called, or the case is not one the list gives the wall-clock harness.
pub fn id(case: &Case) -> criterion::BenchmarkId {
    register(case);
    criterion::BenchmarkId::new(case.id.function.clone(), case.id.case.clone())
}

/// Notes `case` as measured by the wall-clock harness, so that [`finish`] can compare the
/// harness with its case list: [`id`] does it for a criterion benchmark, and
/// [`runner::Experiment::run`] for every case it measures.
///
/// # Panics
/// When [`start`] was not called, or the case is not one the list gives the wall-clock harness.
pub fn register(case: &Case) {
    let mut reg = REGISTRY.lock().expect("registry");
    let (manifest, seen) = reg
        .as_mut()
        .expect("benchkit::id before benchkit::start: use benchkit::main! in the wall harness");
    let declared = manifest.get(&case.id).unwrap_or_else(|| {
        panic!("{} is registered by the wall harness but not in the chapter's case list (src/cases.rs)", case.id)
    });
    assert!(
        declared.runs_here(),
        "{} requires {:?}, which this CPU lacks, but the wall harness registers it",
        case.id,
        declared.requires
    );
    assert!(
        declared.harnesses.wall(),
        "{} is declared instruction-count only in the case list, but the wall harness registers it",
        case.id
    );
    seen.insert(case.id.clone());
}

/// Ends the wall-clock harness: every case the list gives it must have been registered.
///
/// # Panics
/// Naming the cases the harness did not register.
pub fn finish() {
    let reg = REGISTRY.lock().expect("registry");
    let Some((manifest, seen)) = reg.as_ref() else {
        return;
    };
    let missing: Vec<String> = manifest
        .cases
        .iter()
        .filter(|c| c.harnesses.wall() && c.runs_here() && !seen.contains(&c.id))
        .map(|c| c.id.to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "the case list gives the wall harness cases it did not register: {}; register them with benchkit::id (criterion) or measure them with benchkit::runner::Experiment::run, or declare them `instr_only`",
        missing.join(", ")
    );
}

/// The wall-clock harness's `main`: the chapter's case list, then the functions that register
/// criterion groups (`fn(&mut Criterion)`), each run with [`config`].
///
/// ```ignore
/// benchkit::main!(cases = ch01::cases::all(); targets = spread, samples, compare, layout);
/// ```
#[macro_export]
macro_rules! main {
    (cases = $cases:expr; targets = $($target:path),+ $(,)?) => {
        fn main() {
            $crate::start($cases);
            let mut c = $crate::config();
            $( $target(&mut c); )+
            c.final_summary();
            $crate::finish();
        }
    };
}

/// The gungraun configuration every instruction-count harness uses: the pipeline's variables
/// (`BOOK_MODE`, `BOOK_CUSTOM_DIR`, ...) pass through gungraun's cleared environment, so a
/// benchmark that records a custom measurement under callgrind writes it where the pipeline
/// reads it.
pub fn instr_config() -> gungraun::LibraryBenchmarkConfig {
    let mut c = gungraun::LibraryBenchmarkConfig::default();
    c.pass_through_envs(bookproto::env::ALL);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_mode_is_shorter_than_full_mode() {
        let full = (
            Mode::Full.warm_up(),
            Mode::Full.measurement(),
            Mode::Full.samples(),
        );
        assert_eq!(share_of(full, 1), full);
        let (w, m, n) = share_of(full, 3);
        assert!(Mode::Full.measurement() - m * 3 < Duration::from_micros(1));
        assert!(w >= Duration::from_millis(100) && n >= 10 && n * 3 <= Mode::Full.samples());
        assert_eq!(
            share_of(BIG[1], 3).2,
            10,
            "never below criterion's 10 samples"
        );
        assert!(Mode::Quick.samples() < Mode::Full.samples());
        assert!(Mode::Quick.warm_up() < Mode::Full.warm_up());
        assert!(Mode::Quick.measurement() < Mode::Full.measurement());
        assert!(Mode::Quick.time_per_sample() < Mode::Full.time_per_sample());
        for s in [SWEEP, BIG] {
            assert!(s[0].1 < s[1].1 && s[0].2 <= s[1].2);
        }
    }
}
