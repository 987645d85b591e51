//! `perf record` beside pprof: Linux's own sampling profiler on the same workload, with the
//! software event `cpu-clock`, which needs no hardware counter. The kernel samples the thread
//! from a high-resolution timer on its CPU clock, so, unlike `ITIMER_PROF`, the rate is not
//! capped by the scheduler tick; and the program's own code does nothing at a sample: the
//! kernel copies the top of its stack, and `perf script` unwinds it afterwards, outside the
//! program, where pprof unwinds inside a signal handler.
//!
//! [`record`] attaches `perf record` to the calling thread while a piece of work runs, and
//! [`parse_script`] turns `perf script`'s text into the same [`Folded`] stacks as pprof's
//! profile, so the two profiles are read with the same code.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::folded::Folded;

/// What one `perf record` run gave.
#[derive(Clone, Debug)]
pub struct PerfProfile {
    /// The stacks below `root`, root first.
    pub folded: Folded,
    /// Every sample perf recorded on the thread, inside `root` or not.
    pub samples: u64,
    /// The sum of the samples' periods, ns. For `cpu-clock` at a requested rate the kernel
    /// sets every period to one over that rate, so this divided by `samples` gives back the
    /// request and says nothing about what was delivered; [`PerfProfile::child_cpu_ns`] does.
    pub sampled_ns: u64,
    /// The CPU time the recorded program reported for itself at exit (`getrusage`, user and
    /// system), ns; 0 when it reported none.
    pub child_cpu_ns: u64,
}

impl PerfProfile {
    /// Samples per second of the recorded program's own CPU time: the rate perf delivered,
    /// or `None` when the program did not report its CPU time.
    pub fn samples_per_cpu_second(&self) -> Option<f64> {
        (self.child_cpu_ns > 0).then(|| self.samples as f64 / (self.child_cpu_ns as f64 * 1e-9))
    }
}

/// The start of the line the recorded program prints at exit: its CPU time in ns.
pub const CPU_LINE: &str = "ch03-perf-child-cpu-ns ";

/// This process's CPU time so far (user and system, `getrusage(RUSAGE_SELF)`), ns.
fn own_cpu_ns() -> u64 {
    // SAFETY: `rusage` is a C struct of integers and `timeval`s, for which all zeros is a
    // valid value.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `getrusage` writes one `rusage` through the pointer, which points at a live,
    // writable one; RUSAGE_SELF is a valid `who`.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return 0;
    }
    let ns = |t: libc::timeval| {
        u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000_000
            + u64::try_from(t.tv_usec).unwrap_or(0) * 1_000
    };
    ns(ru.ru_utime) + ns(ru.ru_stime)
}

/// The CPU time a recorded program printed on its standard output ([`CPU_LINE`], anywhere in
/// a line: a test harness may have printed on the same line before it), ns.
pub fn parse_cpu_line(stdout: &str) -> Option<u64> {
    stdout
        .lines()
        .find_map(|l| l.split_once(CPU_LINE).map(|(_, v)| v))
        .and_then(|v| v.trim().parse().ok())
}

/// Whether `perf` runs here (`perf --version` succeeds).
pub fn available() -> bool {
    Command::new("perf")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Set in the environment of the program [`record`] runs under perf, to the number of
/// milliseconds it should run its workload for.
pub const CHILD_ENV: &str = "CH03_PERF_CHILD_MS";

// ANCHOR: record
/// Runs `program` (with [`CHILD_ENV`] set to `duration`) under
/// `perf record -e cpu-clock -F <hz> --call-graph dwarf`, and returns the stacks of its
/// samples under `root`. The program is a copy of the benchmark itself, which then runs the
/// workload again and again for `duration` and exits.
///
/// # Errors
/// When `perf` cannot be started or cannot sample (`perf_event_paranoid` above 2), the program
/// fails, or `perf script` fails.
pub fn record(
    hz: u32,
    duration: Duration,
    root: &str,
    program: &mut Command,
) -> io::Result<PerfProfile> {
    let data = std::env::temp_dir().join(format!("ch03-perf-{}.data", std::process::id()));
    let mut cmd = Command::new("perf");
    cmd.args(["record", "-e", "cpu-clock", "-F", &hz.to_string()])
        // Rust's release profile omits frame pointers, so perf's default call graph (`-g`,
        // which follows them) loses every frame between the leaf and the first function
        // that keeps one; `dwarf` copies the top of the stack at each sample and unwinds it
        // afterwards, with the unwind tables pprof's unwinder reads in the handler.
        .args(["--call-graph", "dwarf", "--quiet", "-o"])
        .arg(&data)
        .arg("--")
        .arg(program.get_program())
        .args(program.get_args())
        .env(CHILD_ENV, duration.as_millis().to_string());
    for (k, v) in program.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output()?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&data);
        return Err(io::Error::other(format!(
            "perf record failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let script = script(&data);
    let _ = std::fs::remove_file(&data);
    let mut profile = parse_script(&script?, root).map_err(io::Error::other)?;
    profile.child_cpu_ns = parse_cpu_line(&String::from_utf8_lossy(&out.stdout)).unwrap_or(0);
    Ok(profile)
}
// ANCHOR_END: record

/// In the program [`record`] runs: when [`CHILD_ENV`] is set, runs `work` again and again for
/// that many milliseconds, prints its own CPU time ([`CPU_LINE`]) and returns true (the caller
/// then exits); otherwise returns false.
pub fn run_child(mut work: impl FnMut()) -> bool {
    let Some(ms) = std::env::var(CHILD_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return false;
    };
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_millis(ms) {
        work();
    }
    // Written to the handle, not with `println!`, which a test harness captures.
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout().lock(), "{CPU_LINE}{}", own_cpu_ns());
    true
}

fn script(data: &Path) -> io::Result<String> {
    let out = Command::new("perf")
        .args(["script", "-F", "period,ip,sym", "-i"])
        .arg(PathBuf::from(data))
        .stderr(Stdio::null())
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other("perf script failed"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Parses the text of `perf script -F period,ip,sym` of a recording with call graphs: each
/// sample is a line holding its period, then one indented line per frame, innermost first
/// (`<address> <symbol>+<offset>`), then a blank line. The stacks that pass through `root`
/// are kept from `root` down, as pprof's are.
///
/// # Errors
/// When a sample's first line is not a period.
pub fn parse_script(text: &str, root: &str) -> Result<PerfProfile, String> {
    let mut folded = Folded::new();
    let (mut samples, mut sampled_ns) = (0u64, 0u64);
    let mut frames: Vec<String> = Vec::new();
    let mut period: Option<u64> = None;
    let mut finish = |period: &mut Option<u64>, frames: &mut Vec<String>| {
        if let Some(p) = period.take() {
            samples += 1;
            sampled_ns += p;
            frames.reverse();
            if let Some(i) = frames
                .iter()
                .position(|f| crate::folded::frame_name(f) == root)
            {
                folded.add(&frames[i..], 1);
            }
        }
        frames.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            finish(&mut period, &mut frames);
        } else if line.starts_with(char::is_whitespace) && period.is_some() {
            // `<address> <symbol>+0x<offset>`, or `[unknown]`.
            let mut parts = line.split_whitespace();
            let _address = parts.next();
            let sym = parts.collect::<Vec<_>>().join(" ");
            let sym = match sym.rsplit_once("+0x") {
                Some((name, off)) if off.bytes().all(|b| b.is_ascii_hexdigit()) => name,
                _ => sym.as_str(),
            };
            frames.push(sym.to_string());
        } else {
            finish(&mut period, &mut frames);
            let p = line
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("a perf script sample starts with {line:?}, not a period"))?;
            period = Some(p);
        }
    }
    finish(&mut period, &mut frames);
    Ok(PerfProfile {
        folded,
        samples,
        sampled_ns,
        child_cpu_ns: 0,
    })
}
