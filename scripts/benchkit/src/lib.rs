//! Benchmark support shared by every chapter crate.
//!
//! Every chapter measures the same way: `criterion` for wall-clock time, `gungraun` (callgrind)
//! for instruction counts. This crate holds the parts that would otherwise be copied into each
//! chapter: how the run mode is chosen and how criterion is configured for it.
//!
//! The mode comes from the `BOOK_MODE` environment variable (`quick` or `full`), not from a
//! command-line flag, because `cargo bench -p chNN -- <flags>` hands the same flags to every
//! harness and gungraun rejects criterion's.
//!
//! A benchmark that measures something neither harness reports (how far apart two readings of
//! the clock are, say) records it with [`custom::record`], and the pipeline collects it beside
//! criterion's estimates and callgrind's counts. Seeded random inputs come from [`rng`].

use std::time::Duration;

pub use criterion;

pub mod custom;
pub mod rng;

/// How long and how carefully to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Minutes for the whole book: short warm-up and measurement, fewer samples.
    Quick,
    /// Publication: long warm-up and measurement, criterion's default sample count.
    Full,
}

impl Mode {
    /// The mode named by `BOOK_MODE`; `full` when it is unset, as for a reader running
    /// `cargo bench -p chNN` by hand.
    ///
    /// # Panics
    /// When `BOOK_MODE` holds anything but `quick` or `full`: a misspelt mode would otherwise
    /// silently produce publication-length runs or, worse, quick numbers labelled as full ones.
    pub fn from_env() -> Mode {
        match std::env::var("BOOK_MODE") {
            Err(_) => Mode::Full,
            Ok(v) => Mode::parse(&v).unwrap_or_else(|| {
                panic!("BOOK_MODE={v:?} is not a mode; set it to `quick` or `full`")
            }),
        }
    }

    /// Parses `quick` or `full`.
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "quick" => Some(Mode::Quick),
            "full" => Some(Mode::Full),
            _ => None,
        }
    }

    /// The mode's name as written in results files.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Quick => "quick",
            Mode::Full => "full",
        }
    }

    /// Measurement time per sample for benchmarks that set their own sample count: a group
    /// that varies the count scales its measurement time by it, so every sample stays alike.
    pub fn time_per_sample(self) -> Duration {
        match self {
            Mode::Quick => Duration::from_millis(10),
            Mode::Full => Duration::from_millis(50),
        }
    }

    // ANCHOR: settings
    /// Number of criterion samples per benchmark in this mode.
    pub fn samples(self) -> usize {
        match self {
            Mode::Quick => 30,
            Mode::Full => 100,
        }
    }

    /// Criterion's warm-up time per benchmark in this mode.
    pub fn warm_up(self) -> Duration {
        match self {
            Mode::Quick => Duration::from_millis(300),
            Mode::Full => Duration::from_secs(2),
        }
    }

    /// Criterion's measurement time per benchmark in this mode. Criterion plans iterations by
    /// the wall time they take, untimed set-up included (`iter_custom`, `iter_batched`), so a
    /// benchmark with costly set-up keeps to this time and gets fewer iterations.
    pub fn measurement(self) -> Duration {
        match self {
            Mode::Quick => Duration::from_millis(900),
            Mode::Full => Duration::from_secs(5),
        }
    }
    // ANCHOR_END: settings
}

/// A criterion instance configured for the current mode.
///
/// Criterion's own plots are off: they cost seconds per benchmark and the book draws its own.
pub fn config() -> criterion::Criterion {
    let mode = Mode::from_env();
    criterion::Criterion::default()
        .without_plots()
        .warm_up_time(mode.warm_up())
        .measurement_time(mode.measurement())
        .sample_size(mode.samples())
        .configure_from_args()
}

/// Settings for one benchmark group whose cases need other than the defaults: warm-up,
/// measurement time and number of samples, in quick mode (`[0]`) and in full mode (`[1]`).
pub type GroupSettings = [(Duration, Duration, usize); 2];

/// Applies `settings` for the current mode to a criterion group.
pub fn apply(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    settings: GroupSettings,
) {
    let (warm, measure, samples) = match Mode::from_env() {
        Mode::Quick => settings[0],
        Mode::Full => settings[1],
    };
    g.warm_up_time(warm)
        .measurement_time(measure)
        .sample_size(samples);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_round_trip_through_their_names() {
        for m in [Mode::Quick, Mode::Full] {
            assert_eq!(Mode::parse(m.name()), Some(m));
        }
        assert_eq!(Mode::parse("fast"), None);
        assert!(Mode::Quick.samples() < Mode::Full.samples());
        assert!(Mode::Quick.warm_up() < Mode::Full.warm_up());
        assert!(Mode::Quick.measurement() < Mode::Full.measurement());
    }
}
