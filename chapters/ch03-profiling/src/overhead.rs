//! What a sampling profiler costs: the same work timed with the profiler off and on, in
//! alternating rounds, so that the shared host's changes of speed fall on both sides alike.
//!
//! Time here is the process's CPU time, not the wall clock: the profiler's signal handler runs
//! on the profiled thread and is charged to it, while the time the thread spends waiting for a
//! core that other tenants of the machine hold is not the profiler's doing.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::sampler::{cpu_time, process_cpu_time, sample_count, start};

/// The cost of profiling at one requested frequency.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overhead {
    /// The frequency asked of the profiler, in samples per CPU second.
    pub requested_hz: i32,
    /// (CPU time with the profiler / CPU time without) - 1 over all rounds, in percent.
    pub overhead_pct: f64,
    /// Samples recorded per second of CPU time while the profiler ran.
    pub delivered_hz: f64,
    /// Samples recorded in all rounds.
    pub samples: u64,
    /// Rounds measured.
    pub rounds: usize,
}

/// The median of `v`, or NaN when it is empty.
pub fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// How many calls of `work` take about `target` of wall-clock time (at least one).
pub fn calls_for(target: Duration, mut work: impl FnMut()) -> usize {
    let t0 = Instant::now();
    let mut n = 0;
    while t0.elapsed() < target / 4 || n == 0 {
        work();
        n += 1;
    }
    let per_call = t0.elapsed() / n as u32;
    ((target.as_secs_f64() / per_call.as_secs_f64()).ceil() as usize).max(1)
}

fn time_calls(calls: usize, work: &mut impl FnMut()) -> Duration {
    let c0 = cpu_time();
    for _ in 0..calls {
        work();
    }
    black_box(cpu_time() - c0)
}

/// What sends the `SIGPROF` signals on which pprof's handler takes a sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// pprof's own timer, `setitimer(ITIMER_PROF)`: a period of the process's CPU time,
    /// which Linux checks at its scheduler tick.
    Itimer,
    /// A POSIX timer on `CLOCK_MONOTONIC` (`timer_create`), a high-resolution timer that
    /// fires between ticks, sending the same signal to the same handler.
    Monotonic,
}

const ZERO_TV: libc::timeval = libc::timeval {
    tv_sec: 0,
    tv_usec: 0,
};
const ZERO_TS: libc::timespec = libc::timespec {
    tv_sec: 0,
    tv_nsec: 0,
};

/// The interval between two signals at `hz` a second, as a valid `timespec` (`tv_nsec` below
/// one second, also at 1 Hz).
///
/// # Panics
/// When `hz` is not positive.
fn period(hz: i32) -> libc::timespec {
    assert!(hz > 0, "a signal rate of {hz} Hz");
    let ns = 1_000_000_000 / i64::from(hz);
    libc::timespec {
        tv_sec: (ns / 1_000_000_000) as _,
        tv_nsec: (ns % 1_000_000_000) as _,
    }
}

/// A running signal source that can be paused and resumed where it stopped.
enum Ticker {
    Itimer(libc::itimerval),
    Monotonic(libc::timer_t, libc::itimerspec),
}

impl Ticker {
    /// Takes over the signals of a profiler just started at `hz`, paused.
    fn new(source: Source, hz: i32) -> Ticker {
        let mut t = Ticker::Itimer(libc::itimerval {
            it_interval: ZERO_TV,
            it_value: ZERO_TV,
        });
        // pprof armed ITIMER_PROF; stop it and keep what it had left.
        t.pause();
        if source == Source::Itimer {
            return t;
        }
        // SAFETY: a zeroed sigevent is valid; the fields that matter are set below.
        let mut sev: libc::sigevent = unsafe { std::mem::zeroed() };
        sev.sigev_notify = libc::SIGEV_SIGNAL;
        sev.sigev_signo = libc::SIGPROF;
        let mut id: libc::timer_t = std::ptr::null_mut();
        // SAFETY: `sev` and `id` are live for the call; the timer is deleted in `Drop`.
        let rc = unsafe { libc::timer_create(libc::CLOCK_MONOTONIC, &mut sev, &mut id) };
        assert_eq!(rc, 0, "timer_create(CLOCK_MONOTONIC)");
        let period = period(hz);
        Ticker::Monotonic(
            id,
            libc::itimerspec {
                it_interval: period,
                it_value: period,
            },
        )
    }

    fn pause(&mut self) {
        match self {
            Ticker::Itimer(left) => {
                let zero = libc::itimerval {
                    it_interval: ZERO_TV,
                    it_value: ZERO_TV,
                };
                // SAFETY: both pointers are to live itimervals for the call.
                let rc = unsafe { libc::setitimer(libc::ITIMER_PROF, &zero, left) };
                assert_eq!(rc, 0, "setitimer(ITIMER_PROF)");
            }
            Ticker::Monotonic(id, left) => {
                let zero = libc::itimerspec {
                    it_interval: ZERO_TS,
                    it_value: ZERO_TS,
                };
                let interval = left.it_interval;
                // SAFETY: `id` is a live timer; both pointers are to live itimerspecs.
                let rc = unsafe { libc::timer_settime(*id, 0, &zero, left) };
                assert_eq!(rc, 0, "timer_settime");
                left.it_interval = interval;
            }
        }
    }

    fn resume(&mut self) {
        match self {
            Ticker::Itimer(left) => {
                if left.it_value.tv_sec == 0 && left.it_value.tv_usec == 0 {
                    // It had just fired: a zero value would leave it stopped.
                    left.it_value = left.it_interval;
                }
                // SAFETY: a pointer to a live itimerval; the old value is not wanted.
                let rc = unsafe { libc::setitimer(libc::ITIMER_PROF, left, std::ptr::null_mut()) };
                assert_eq!(rc, 0, "setitimer(ITIMER_PROF)");
            }
            Ticker::Monotonic(id, left) => {
                if left.it_value.tv_sec == 0 && left.it_value.tv_nsec == 0 {
                    left.it_value = left.it_interval;
                }
                // SAFETY: `id` is a live timer; a pointer to a live itimerspec.
                let rc = unsafe { libc::timer_settime(*id, 0, left, std::ptr::null_mut()) };
                assert_eq!(rc, 0, "timer_settime");
            }
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let Ticker::Monotonic(id, _) = self {
            // SAFETY: `id` was created by timer_create and is deleted once, here.
            unsafe { libc::timer_delete(*id) };
        }
    }
}

// ANCHOR: overhead
/// `rounds` rounds of `calls` calls of `work` with `ticker` running and `calls` with it
/// paused, in the order ABBA ABBA ...; returns the CPU time of the two halves, (running,
/// paused).
fn abba(
    ticker: &mut Ticker,
    rounds: usize,
    calls: usize,
    work: &mut impl FnMut(),
) -> (Duration, Duration) {
    let (mut on, mut off) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        let mut ticking = |work: &mut _| {
            ticker.resume();
            let t = time_calls(calls, work);
            ticker.pause();
            t
        };
        if round % 2 == 0 {
            off += time_calls(calls, work);
            on += ticking(work);
        } else {
            on += ticking(work);
            off += time_calls(calls, work);
        }
    }
    (on, off)
}

/// Measures the profiler's overhead at `hz` with signals from `source`: `rounds` rounds, each
/// timing (in CPU time) `calls` calls of `work` with the profiler sampling and `calls` calls
/// with its timer paused, in the order ABBA ABBA ..., so that a drift of the machine's speed
/// during a round cancels.
///
/// One profiler runs through all rounds; between the profiled halves its timer is paused and
/// resumed with what it had left, so that short rounds lose no sample (a new profiler per round
/// would restart the countdown each time, and at 49 Hz a round shorter than 20 ms of CPU would
/// never be sampled). The overhead is the ratio of the sums, not a median of per-round ratios:
/// most short rounds hold no sample or one.
///
/// # Errors
/// When the profiler cannot start (another guard is alive).
pub fn measure(
    source: Source,
    hz: i32,
    rounds: usize,
    calls: usize,
    mut work: impl FnMut(),
) -> Result<Overhead, pprof::Error> {
    let guard = start(hz)?;
    let mut ticker = Ticker::new(source, hz);
    let (profiled, plain) = abba(&mut ticker, rounds, calls, &mut work);
    drop(ticker);
    let samples = sample_count(&guard)?;
    drop(guard);
    Ok(Overhead {
        requested_hz: hz,
        overhead_pct: (profiled.as_secs_f64() / plain.as_secs_f64() - 1.0) * 100.0,
        delivered_hz: samples as f64 / profiled.as_secs_f64(),
        samples,
        rounds,
    })
}
// ANCHOR_END: overhead

// ANCHOR: continuous
/// The rate `ITIMER_PROF` delivers at `hz` when nothing pauses it: pprof started once, `calls`
/// calls of `work` timed in CPU time, and the samples it recorded per CPU second. Beside the
/// rate of [`measure`], whose timer is paused and resumed around every profiled half, this
/// tells whether the pausing costs samples.
///
/// # Errors
/// When the profiler cannot start.
pub fn continuous(hz: i32, calls: usize, mut work: impl FnMut()) -> Result<f64, pprof::Error> {
    let guard = start(hz)?;
    let t = time_calls(calls, &mut work);
    let samples = sample_count(&guard)?;
    drop(guard);
    Ok(samples as f64 / t.as_secs_f64())
}
// ANCHOR_END: continuous

/// Signals the empty handler of [`measure_empty_handler`] has received.
static EMPTY_HANDLED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

extern "C" fn empty_handler(_: libc::c_int) {
    EMPTY_HANDLED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

// ANCHOR: empty_handler
/// The control of [`measure`] with [`Source::Monotonic`]: the same timer and the same signal at
/// `hz`, the same rounds, but a handler that only counts the signal, with no profiler, no
/// unwinding and no recording. Its overhead is what delivering a signal costs; what pprof's
/// samples cost beyond it is the unwinder's and the recording's.
///
/// # Panics
/// When the handler cannot be installed or the timer cannot be created.
pub fn measure_empty_handler(
    hz: i32,
    rounds: usize,
    calls: usize,
    mut work: impl FnMut(),
) -> Overhead {
    // SAFETY: a zeroed sigaction is valid; the handler and flags are set below, and the
    // handler only touches an atomic, which is async-signal-safe.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = empty_handler as extern "C" fn(libc::c_int) as libc::sighandler_t;
    action.sa_flags = libc::SA_RESTART;
    // SAFETY: `action` is live for the call; the old action is not kept (see below).
    let rc = unsafe { libc::sigaction(libc::SIGPROF, &action, std::ptr::null_mut()) };
    assert_eq!(rc, 0, "sigaction(SIGPROF)");
    let before = EMPTY_HANDLED.load(std::sync::atomic::Ordering::Relaxed);
    let mut ticker = Ticker::new(Source::Monotonic, hz);
    let (handled, plain) = abba(&mut ticker, rounds, calls, &mut work);
    drop(ticker);
    let signals = EMPTY_HANDLED.load(std::sync::atomic::Ordering::Relaxed) - before;
    // The timer is gone; ignore a signal still on its way rather than let the default action
    // end the process. The profiler installs its own handler when it next starts.
    // SAFETY: SIG_IGN is a valid disposition for SIGPROF.
    unsafe { libc::signal(libc::SIGPROF, libc::SIG_IGN) };
    Overhead {
        requested_hz: hz,
        overhead_pct: (handled.as_secs_f64() / plain.as_secs_f64() - 1.0) * 100.0,
        delivered_hz: signals as f64 / handled.as_secs_f64(),
        samples: signals,
        rounds,
    }
}
// ANCHOR_END: empty_handler

/// By how much the process CPU clock under-reads `work` while a profiling timer is armed,
/// against the thread CPU clock, in percent (see [`crate::sampler::cpu_time`]). Each of
/// `rounds` rounds reads both clocks around one call of `work` with pprof running at `hz`.
///
/// # Errors
/// When the profiler cannot start.
pub fn process_clock_shortfall(
    hz: i32,
    rounds: usize,
    mut work: impl FnMut(),
) -> Result<f64, pprof::Error> {
    let (mut process, mut thread) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        let guard = start(hz)?;
        let (p0, t0) = (process_cpu_time(), cpu_time());
        work();
        let (p1, t1) = (process_cpu_time(), cpu_time());
        drop(guard);
        process += p1 - p0;
        thread += t1 - t0;
    }
    Ok((1.0 - process.as_secs_f64() / thread.as_secs_f64()) * 100.0)
}

// ANCHOR: budget
/// The cost of one sample, in seconds of CPU per sample: the least-squares slope, through the
/// origin, of the overhead (as a fraction of the program's own time) against the samples per
/// second of the program's own time. The delivered rate is counted per second of the profiled
/// run, which the samples themselves lengthen by the overhead, so the work is sampled at the
/// delivered rate times one plus the overhead; against that rate the overhead is the cost
/// times the rate, with no term left over. An overhead of 0.5% at 250 samples per second of
/// the program's work is 20 µs per sample.
pub fn cost_per_sample(points: &[Overhead]) -> f64 {
    let (mut xy, mut xx) = (0.0, 0.0);
    for p in points {
        let overhead = p.overhead_pct / 100.0;
        let per_work_second = p.delivered_hz * (1.0 + overhead);
        xy += per_work_second * overhead;
        xx += per_work_second * per_work_second;
    }
    xy / xx
}

/// The highest sampling rate whose overhead stays within `budget_pct` percent, at
/// `cost_per_sample` seconds per sample.
pub fn max_rate_within(budget_pct: f64, cost_per_sample: f64) -> f64 {
    budget_pct / 100.0 / cost_per_sample
}
// ANCHOR_END: budget

#[cfg(test)]
mod tests {
    use super::period;

    #[test]
    fn periods_are_valid_timespecs_at_every_rate() {
        let one = period(1);
        assert_eq!((one.tv_sec, one.tv_nsec), (1, 0));
        let p = period(997);
        assert_eq!((p.tv_sec, p.tv_nsec), (0, 1_003_009));
        assert!((1..=10_000).all(|hz| (0..1_000_000_000).contains(&period(hz).tv_nsec)));
    }

    #[test]
    #[should_panic(expected = "a signal rate of 0 Hz")]
    fn a_rate_of_zero_is_refused() {
        let _ = period(0);
    }
}
