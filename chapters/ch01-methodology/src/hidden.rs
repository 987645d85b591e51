//! A hidden variable: the same binary, on the same data, started again with nothing changed
//! but what the program never looks at. Two such variables are under the experiment's
//! control:
//!
//! - **The size of the environment.** Linux copies the environment strings onto the new
//!   process's stack, above the stack the program runs on, so a longer environment moves every
//!   stack address down by as many bytes (Mytkowicz et al., "Producing wrong data without doing
//!   anything obviously wrong!", ASPLOS 2009, found effects of this on the speed of SPEC
//!   programs). With address-space layout randomisation (ASLR) turned off for the child
//!   (`personality(ADDR_NO_RANDOMIZE)`, what `setarch -R` does), nothing else moves.
//! - **ASLR itself.** With it on, every process puts its stack, heap and code at new random
//!   addresses: repeated runs of the same command differ in nothing else.
//!
//! [`run_child`] is what the child does: it times the chapter's sort and reports it with the
//! addresses it ran at. [`spawn`] starts a child and reads its report.

use std::ffi::OsStr;
use std::io;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::stats::median;
use crate::workload::{SortAlgo, random_u32s, sort_workload};

/// Set in a child's environment to the number of samples it should take.
pub const CHILD_ENV: &str = "CH01_HIDDEN_SAMPLES";

/// The variable that pads a child's environment to the size asked.
pub const PAD_ENV: &str = "CH01_HIDDEN_PAD";

/// What one child measured, and where.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Report {
    /// The median time of one sort, ns.
    pub median_ns: f64,
    /// The address of a local variable of the timing loop, modulo 4096.
    pub stack_offset: u64,
    /// The address of the sort's buffer, modulo 4096.
    pub heap_offset: u64,
    /// The bytes of the child's own environment ([`env_bytes`]), the variables that start it
    /// included.
    pub env_bytes: u64,
}

impl Report {
    /// The line a child prints.
    pub fn to_line(&self) -> String {
        format!(
            "hidden {} {} {} {}",
            self.median_ns, self.stack_offset, self.heap_offset, self.env_bytes
        )
    }

    /// Reads a child's line back.
    pub fn parse(line: &str) -> Option<Report> {
        let mut f = line.strip_prefix("hidden ")?.split_whitespace();
        let r = Report {
            median_ns: f.next()?.parse().ok()?,
            stack_offset: f.next()?.parse().ok()?,
            heap_offset: f.next()?.parse().ok()?,
            env_bytes: f.next()?.parse().ok()?,
        };
        f.next().is_none().then_some(r)
    }
}

// ANCHOR: child
/// In a child (when [`CHILD_ENV`] is set): times `samples` samples of the sort of `len` values
/// from `seed`, each of about `per_sample`, prints one [`Report`] line and returns true; in any
/// other process returns false at once.
pub fn run_child(len: usize, seed: u64, per_sample: Duration) -> bool {
    let Some(samples) = std::env::var(CHILD_ENV)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    else {
        return false;
    };
    let input = random_u32s(len, seed);
    let mut buf = input.clone();
    let probe = Instant::now();
    let mut sorts = 0u32;
    while probe.elapsed() < per_sample / 4 || sorts == 0 {
        buf.copy_from_slice(&input);
        std::hint::black_box(sort_workload(
            std::hint::black_box(&mut buf),
            SortAlgo::Unstable,
        ));
        sorts += 1;
    }
    let iters = (sorts * 4).max(1);
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let mut t = Duration::ZERO;
        for _ in 0..iters {
            buf.copy_from_slice(&input);
            let t0 = Instant::now();
            std::hint::black_box(sort_workload(
                std::hint::black_box(&mut buf),
                SortAlgo::Unstable,
            ));
            t += t0.elapsed();
        }
        times.push(t.as_secs_f64() * 1e9 / f64::from(iters));
    }
    let local = 0u8;
    let report = Report {
        median_ns: median(&times),
        stack_offset: (std::ptr::addr_of!(local) as u64) % 4096,
        heap_offset: (buf.as_ptr() as u64) % 4096,
        env_bytes: env_bytes(std::env::vars_os()) as u64,
    };
    println!("{}", report.to_line());
    true
}
// ANCHOR_END: child

/// The bytes the environment takes on a new process's stack: every `NAME=value` string and its
/// terminating zero (the names and values as the process has them, not necessarily UTF-8).
pub fn env_bytes<K: AsRef<OsStr>, V: AsRef<OsStr>>(
    vars: impl IntoIterator<Item = (K, V)>,
) -> usize {
    vars.into_iter()
        .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
        .sum()
}

// ANCHOR: schedule
/// One child of the experiment: environment size `i` of the sweep, identical repeat `k`, or
/// randomised run `k`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Child {
    /// The `i`-th environment size of the sweep.
    Env(usize),
    /// The `k`-th child with nothing changed.
    Repeat(usize),
    /// The `k`-th child with ASLR on.
    Aslr(usize),
}

/// The order in which the experiment starts its children: the `envs` sizes in a random order
/// from `seed`, so that no trend in the machine's speed lines up with the size, and the
/// `controls` repeats and randomised runs spread evenly through them, a repeat and a
/// randomised run together around the middle of each `envs / controls` sizes, so that the
/// controls see the same stretch of the machine's drift as the sizes do.
pub fn schedule(envs: usize, controls: usize, seed: u64) -> Vec<Child> {
    let mut order: Vec<usize> = (0..envs).collect();
    inputs::shuffle(&mut order, &mut inputs::Rng::new(seed));
    let mut out = Vec::with_capacity(envs + 2 * controls);
    let mut k = 0;
    for (pos, &i) in order.iter().enumerate() {
        // Control k goes before the size at position (2k + 1) * envs / (2 * controls).
        while k < controls && pos >= (2 * k + 1) * envs / (2 * controls) {
            out.push(Child::Repeat(k));
            out.push(Child::Aslr(k));
            k += 1;
        }
        out.push(Child::Env(i));
    }
    for k in k..controls {
        out.push(Child::Repeat(k));
        out.push(Child::Aslr(k));
    }
    out
}
// ANCHOR_END: schedule

// ANCHOR: spawn
/// Starts `program` as a child that takes `samples` samples, with [`PAD_ENV`] set to `pad`
/// bytes, and, unless `aslr`, with address-space layout randomisation turned off for it.
///
/// # Errors
/// When the child cannot be started, fails, or prints no report.
pub fn spawn(program: &mut Command, samples: usize, pad: usize, aslr: bool) -> io::Result<Report> {
    program
        .env(CHILD_ENV, samples.to_string())
        .env(PAD_ENV, "x".repeat(pad))
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if !aslr {
        no_aslr(program);
    }
    let out = program.output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "the child failed: {}",
            out.status
        )));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(Report::parse)
        .ok_or_else(|| io::Error::other("the child printed no report"))
}
// ANCHOR_END: spawn

#[cfg(target_os = "linux")]
fn no_aslr(program: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec, where only
    // async-signal-safe calls are allowed; `personality` is one system call and allocates
    // nothing. 0x0040000 is ADDR_NO_RANDOMIZE (linux/personality.h); the current persona is
    // read first and kept.
    unsafe {
        program.pre_exec(|| {
            const ADDR_NO_RANDOMIZE: libc::c_ulong = 0x0040000;
            let current = libc::personality(0xffff_ffff);
            if current == -1 {
                return Err(io::Error::last_os_error());
            }
            if libc::personality(current as libc::c_ulong | ADDR_NO_RANDOMIZE) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn no_aslr(_: &mut Command) {}
