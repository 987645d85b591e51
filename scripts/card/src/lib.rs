//! The machine card: one shared set of this machine's physical limits, measured once per
//! machine and mode, so that every chapter that compares a result with a limit quotes the same
//! number.
//!
//! What it measures ([`measure`]):
//!
//! - **load latency by working set**: a dependent pointer chase over one random cycle through
//!   every cache line of buffers from 16 KiB to 256 MiB (1 GiB in full mode), on base pages and
//!   on transparent huge pages ([`latency`]);
//! - **bandwidth**: read, write (of non-zero data), copy and non-temporal write, with the widest
//!   loads and stores the CPU has, by one thread and by two, best of N passes as STREAM reports
//!   it, with the median beside it ([`bandwidth`]);
//! - **atomics and wake-ups**: an uncontended and a contended `fetch_add`, a cache line handed
//!   between two cores, and a thread woken by another ([`sync`]);
//! - **durable writes**: 4 KiB `pwrite` + `fdatasync`, p50 and p99, on the filesystem of the
//!   directory given, the one the book's storage chapters use ([`durable`]);
//! - **page faults**: the first touch of a 4 KiB page and of a 2 MiB huge page ([`faults`]).
//!
//! The clock is not measured here: the pipeline's machine facts hold it (two dependent chains
//! that must agree), and the card's page quotes it from there.

use std::path::Path;

use bookproto::Mode;
use bookproto::card::Entry;

pub mod bandwidth;
pub mod durable;
pub mod faults;
pub mod latency;
pub mod stats;
pub mod sync;

/// How long and how often each measurement runs in one mode.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Working sets of the latency ladder, in KiB.
    pub latency_kib: &'static [usize],
    /// Dependent loads per latency run.
    pub latency_steps: usize,
    /// Runs per latency point.
    pub latency_runs: u32,
    /// Bytes of the bandwidth buffer (far beyond any last-level cache).
    pub bandwidth_bytes: usize,
    /// Timed passes per bandwidth kernel and thread count (one untimed pass precedes them).
    pub bandwidth_runs: u32,
    /// Operations per atomic run.
    pub atomic_ops: u64,
    /// Round trips per cache-line hand-off run.
    pub pingpong_trips: u64,
    /// Round trips per wake-up run.
    pub wake_trips: u64,
    /// Runs of each atomic and wake-up measurement.
    pub sync_runs: u32,
    /// Durable 4 KiB writes.
    pub durable_writes: u32,
    /// Bytes mapped per page-fault run (base pages; twice this for huge pages).
    pub fault_bytes: usize,
    /// Runs per page-fault measurement.
    pub fault_runs: u32,
}

/// The budget of `mode`: quick mode measures the whole card in well under two minutes.
pub fn budget(mode: Mode) -> Budget {
    const QUICK_KIB: &[usize] = &[16, 256, 1024, 8192, 65536, 262144];
    const FULL_KIB: &[usize] = &[16, 256, 1024, 8192, 65536, 262144, 1048576];
    match mode {
        Mode::Quick => Budget {
            latency_kib: QUICK_KIB,
            latency_steps: 1 << 20,
            latency_runs: 3,
            bandwidth_bytes: 256 << 20,
            bandwidth_runs: 5,
            atomic_ops: 2_000_000,
            pingpong_trips: 50_000,
            wake_trips: 5_000,
            sync_runs: 5,
            durable_writes: 300,
            fault_bytes: 256 << 20,
            fault_runs: 3,
        },
        Mode::Full => Budget {
            latency_kib: FULL_KIB,
            latency_steps: 4 << 20,
            latency_runs: 7,
            bandwidth_bytes: 1 << 30,
            bandwidth_runs: 10,
            atomic_ops: 10_000_000,
            pingpong_trips: 200_000,
            wake_trips: 20_000,
            sync_runs: 10,
            durable_writes: 2_000,
            fault_bytes: 1 << 30,
            fault_runs: 5,
        },
    }
}

/// Measures the whole card in `mode`, writing its durable-write file in `dir` (removed
/// afterwards), and calls `progress` with every entry as it is measured.
///
/// # Errors
/// When the durable-write file cannot be created, written or synced in `dir`.
pub fn measure(
    mode: Mode,
    dir: &Path,
    mut progress: impl FnMut(&Entry),
) -> std::io::Result<Vec<Entry>> {
    let b = budget(mode);
    let mut out = Vec::new();
    let mut push = |e: Entry, out: &mut Vec<Entry>| {
        progress(&e);
        out.push(e);
    };
    for e in latency::ladder(&b) {
        push(e, &mut out);
    }
    for e in bandwidth::all(&b) {
        push(e, &mut out);
    }
    for e in sync::all(&b) {
        push(e, &mut out);
    }
    for e in durable::fdatasync(&b, dir)? {
        push(e, &mut out);
    }
    for e in faults::all(&b) {
        push(e, &mut out);
    }
    Ok(out)
}

/// The CPUs this process may run on, in order.
pub fn allowed_cpus() -> Vec<usize> {
    // SAFETY: `set` is a plain bit set that sched_getaffinity fills; its size is passed.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return vec![0];
        }
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| libc::CPU_ISSET(c, &set))
            .collect()
    }
}

/// Pins the calling thread to `cpu`, best effort: a refusal leaves it where the scheduler puts
/// it, which costs precision, not correctness.
pub fn pin(cpu: usize) {
    // SAFETY: as in `allowed_cpus`; the set names one CPU the process was allowed.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        let _ = libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}
