//! The clock itself: what reading it costs, how finely it ticks, and the naive way of timing
//! one call with it.

use std::hint::black_box;
use std::time::{Duration, Instant};

// ANCHOR: time_each_call
/// Times `iters` calls of `f` the naive way, reading the clock before and after
/// each call, and returns the sum of those times. Every call's time includes one
/// reading of the clock and is rounded to the clock's step: for work shorter than
/// both, the sum measures the clock.
pub fn time_each_call<O>(iters: u64, mut f: impl FnMut() -> O) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        black_box(f());
        total += start.elapsed();
    }
    total
}
// ANCHOR_END: time_each_call

// ANCHOR: next_tick
/// Reads the clock until it shows a time other than `last`, stores that time in
/// `last` and returns it. Called back to back, each call lasts one step of the
/// clock, or one reading when a reading takes longer than a step.
pub fn next_tick(last: &mut Instant) -> Instant {
    loop {
        let now = Instant::now();
        if now != *last {
            *last = now;
            return now;
        }
    }
}
// ANCHOR_END: next_tick

/// What consecutive readings of a clock look like.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClockSteps {
    /// Differences between consecutive readings that were examined.
    pub steps: usize,
    /// How many of them were zero: the clock had not moved between two readings.
    pub equal: usize,
    /// The smallest non-zero difference: the finest step the clock showed.
    pub min_step: Duration,
    /// The median difference, zeros included.
    pub median_step: Duration,
    /// The largest difference: the longest the reading loop was kept from running.
    pub max_step: Duration,
}

impl ClockSteps {
    /// Summarises differences between consecutive readings.
    ///
    /// # Panics
    /// If `diffs` is empty or all zero: a clock that never moved has no step.
    pub fn from_diffs(diffs: &[Duration]) -> ClockSteps {
        let mut sorted = diffs.to_vec();
        sorted.sort_unstable();
        let equal = sorted.iter().take_while(|d| d.is_zero()).count();
        assert!(
            equal < sorted.len(),
            "no non-zero difference among {} readings",
            diffs.len() + 1
        );
        ClockSteps {
            steps: sorted.len(),
            equal,
            min_step: sorted[equal],
            median_step: sorted[sorted.len() / 2],
            max_step: sorted[sorted.len() - 1],
        }
    }

    /// The share of consecutive readings that were equal, in percent.
    pub fn equal_pct(&self) -> f64 {
        self.equal as f64 / self.steps as f64 * 100.0
    }

    /// The summary as named numbers, as `benchkit::custom::record` takes them.
    pub fn metrics(&self) -> [(&'static str, f64); 5] {
        let ns = |d: Duration| d.as_nanos() as f64;
        [
            ("min_step_ns", ns(self.min_step)),
            ("median_step_ns", ns(self.median_step)),
            ("max_step_ns", ns(self.max_step)),
            ("equal_pct", self.equal_pct()),
            ("readings", (self.steps + 1) as f64),
        ]
    }
}

// ANCHOR: clock_steps
/// Reads the clock `readings` times as fast as it can, storing every reading, then
/// summarises the differences between consecutive ones.
///
/// # Panics
/// If `readings` is less than 2, or the clock never moved.
pub fn clock_steps(readings: usize) -> ClockSteps {
    assert!(readings >= 2, "a step needs two readings");
    let mut t = Vec::with_capacity(readings);
    for _ in 0..readings {
        t.push(Instant::now());
    }
    let diffs: Vec<Duration> = t.windows(2).map(|w| w[1] - w[0]).collect();
    ClockSteps::from_diffs(&diffs)
}
// ANCHOR_END: clock_steps
