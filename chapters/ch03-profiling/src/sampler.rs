//! A sampling profiler around a piece of work: pprof-rs with its timer at a chosen frequency,
//! its report turned into [`Folded`] stacks.
//!
//! pprof-rs arms `setitimer(ITIMER_PROF)`: the kernel sends the process `SIGPROF` each time it
//! has used one more period of CPU time, and pprof's signal handler unwinds the interrupted
//! thread's stack and counts it in a fixed-size table. The report resolves the addresses to
//! names afterwards, outside the handler.

use std::time::{Duration, Instant};

use crate::folded::{Folded, frame_name};

/// Libraries whose samples pprof discards, as its documentation recommends: unwinding from a
/// signal that interrupted the C library, the unwinder itself or the vDSO can deadlock or read
/// broken unwind tables. The price is a blind spot: time spent inside them is not sampled.
pub const README_BLOCKLIST: [&str; 4] = ["libc", "libgcc", "pthread", "vdso"];

/// The libraries this chapter's profiles discard: the unwinder and the vDSO, but not the C
/// library, whose `malloc`, `free` and `memcpy` the workload calls. pprof's signal handler
/// does not allocate, so interrupting `malloc` cannot deadlock it; the unwinder is another
/// matter (a signal inside it would re-enter it).
pub const BLOCKLIST: [&str; 3] = ["libgcc", "pthread", "vdso"];

/// What a profiled stretch of work produced.
#[derive(Clone, Debug)]
pub struct Profile {
    /// The stacks below `root`, root first.
    pub folded: Folded,
    /// Every sample the profiler recorded, inside `root` or not.
    pub samples: u64,
    /// Samples whose stack did not pass through `root` (the loop around the work, say).
    pub outside: u64,
    /// The process's CPU time while the profiler ran.
    pub cpu: Duration,
    /// The wall-clock time while the profiler ran.
    pub wall: Duration,
}

impl Profile {
    /// Samples recorded per second of CPU time: what the timer actually delivered.
    pub fn samples_per_cpu_second(&self) -> f64 {
        self.samples as f64 / self.cpu.as_secs_f64()
    }
}

// ANCHOR: cpu_time
/// The CPU time the calling thread has used so far (`CLOCK_THREAD_CPUTIME_ID`).
///
/// `ITIMER_PROF` counts the whole process's CPU time, but the process clock
/// (`CLOCK_PROCESS_CPUTIME_ID`) is the wrong ruler while it is armed: Linux then reads the
/// process total from a running sum that it updates only at scheduler ticks and context
/// switches, so a reading lags by up to a tick. The thread clock adds the time since the last
/// update and is exact; the work measured here runs on one thread, which also runs the signal
/// handler.
pub fn cpu_time() -> Duration {
    clock(libc::CLOCK_THREAD_CPUTIME_ID)
}
// ANCHOR_END: cpu_time

/// The CPU time of the whole process (`CLOCK_PROCESS_CPUTIME_ID`); see [`cpu_time`] for why
/// the measurements use the thread's.
pub fn process_cpu_time() -> Duration {
    clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn clock(id: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(id, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime({id}) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Starts pprof's sampler at `hz` samples per CPU second, with [`BLOCKLIST`].
///
/// # Errors
/// When another profiler guard is alive (pprof has one per process) or the signal handler
/// cannot be installed.
pub fn start(hz: i32) -> Result<pprof::ProfilerGuard<'static>, pprof::Error> {
    start_blocking(hz, &BLOCKLIST)
}

/// Starts pprof's sampler at `hz`, discarding samples in the libraries whose names contain one
/// of `blocklist`.
///
/// # Errors
/// As [`start`].
pub fn start_blocking(
    hz: i32,
    blocklist: &[&str],
) -> Result<pprof::ProfilerGuard<'static>, pprof::Error> {
    pprof::ProfilerGuardBuilder::default()
        .frequency(hz)
        .blocklist(blocklist)
        .build()
}

/// The number of samples a running guard has recorded, without resolving any symbol.
///
/// # Errors
/// As pprof's report builder.
pub fn sample_count(guard: &pprof::ProfilerGuard<'_>) -> Result<u64, pprof::Error> {
    let report = guard.report().build_unresolved()?;
    Ok(report.data.values().map(|&c| c.max(0) as u64).sum())
}

// ANCHOR: profile
/// Runs `work` over and over under pprof at `hz` (discarding samples in `blocklist`) until
/// `duration` of wall-clock time has passed, and returns the stacks that passed through the
/// function named `root`, from `root` down to the leaf.
///
/// # Errors
/// As [`start`] and pprof's report builder.
pub fn profile(
    hz: i32,
    blocklist: &[&str],
    duration: Duration,
    root: &str,
    mut work: impl FnMut(),
) -> Result<Profile, pprof::Error> {
    let guard = start_blocking(hz, blocklist)?;
    let (t0, c0) = (Instant::now(), cpu_time());
    while t0.elapsed() < duration {
        work();
    }
    let (wall, cpu) = (t0.elapsed(), cpu_time() - c0);
    let report = guard.report().build()?;
    drop(guard);

    let mut folded = Folded::new();
    let (mut samples, mut outside) = (0, 0);
    for (frames, &count) in &report.data {
        let count = count.max(0) as u64;
        samples += count;
        // pprof lists frames leaf first, and within a frame the inlined functions innermost
        // first; a flame graph wants the root first.
        let names: Vec<String> = frames
            .frames
            .iter()
            .rev()
            .flat_map(|frame| frame.iter().rev().map(|s| frame_name(&s.name())))
            .collect();
        match names.iter().position(|n| n == root) {
            Some(i) => folded.add(&names[i..], count),
            None => outside += count,
        }
    }
    Ok(Profile {
        folded,
        samples,
        outside,
        cpu,
        wall,
    })
}
// ANCHOR_END: profile
