//! The workload under callgrind, and `callgrind_annotate`'s per-function report of it.
//!
//! Callgrind runs the program on valgrind's simulated CPU and counts every instruction each
//! function executes (`Ir`, instructions read), exactly and repeatably, at a slowdown of tens of
//! times. A program that wants its own instruction profile runs itself under valgrind: the
//! bench binary starts a copy of itself with [`CHILD_ENV`] set, the copy runs the workload
//! once, and `--toggle-collect` limits counting to [`crate::workload::run`], so that building
//! the input is not counted.

use std::io;
use std::path::Path;
use std::process::Command;

/// Set in the environment of the copy of the program that runs under callgrind.
pub const CHILD_ENV: &str = "CH03_CALLGRIND_CHILD";

/// The function callgrind counts inside (with its callees), as a valgrind pattern.
pub const TOGGLE: &str = "ch03::workload::run*";

/// One function's line in `callgrind_annotate`'s report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnCost {
    /// Instructions executed, by the function alone or with its callees (see [`annotate`]).
    pub ir: u64,
    /// The function's name.
    pub function: String,
    /// The file name of its source, without directories (`???` when unknown).
    pub file: String,
}

/// Whether `valgrind` can be started.
pub fn valgrind_available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

// ANCHOR: run
/// Runs `exe` under callgrind with [`CHILD_ENV`] set, counting inside [`TOGGLE`] only, and
/// writes callgrind's output to `out`.
///
/// # Errors
/// When valgrind cannot be started or fails.
pub fn run(exe: &Path, out: &Path) -> io::Result<()> {
    let o = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(format!("--toggle-collect={TOGGLE}"))
        .arg(exe)
        .env(CHILD_ENV, "1")
        .output()?;
    if !o.status.success() {
        return Err(io::Error::other(format!(
            "valgrind --tool=callgrind {} failed: {}",
            exe.display(),
            String::from_utf8_lossy(&o.stderr)
        )));
    }
    Ok(())
}

/// `callgrind_annotate`'s function list for `out`: with `inclusive`, each function's count
/// includes its callees'.
///
/// # Errors
/// When `callgrind_annotate` cannot be started or fails.
pub fn annotate(out: &Path, inclusive: bool) -> io::Result<String> {
    let o = Command::new("callgrind_annotate")
        .arg(format!(
            "--inclusive={}",
            if inclusive { "yes" } else { "no" }
        ))
        .arg("--auto=no")
        .arg("--threshold=100")
        .arg(out)
        .output()?;
    if !o.status.success() {
        return Err(io::Error::other(format!(
            "callgrind_annotate {} failed: {}",
            out.display(),
            String::from_utf8_lossy(&o.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&o.stdout).into_owned())
}
// ANCHOR_END: run

/// Reads `callgrind_annotate`'s report: the program total and one [`FnCost`] per function
/// line (`12,345 (6.78%)  dir/file.rs:name [object]`), in the report's order.
pub fn parse_annotation(text: &str) -> (u64, Vec<FnCost>) {
    let number = |s: &str| s.replace(',', "").parse::<u64>().ok();
    let mut total = 0;
    let mut fns = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((ir, rest)) = line.split_once(' ') else {
            continue;
        };
        let Some(ir) = number(ir) else { continue };
        // Skip the percentage in parentheses.
        let rest = match rest.trim_start().strip_prefix('(') {
            Some(r) => r.split_once(')').map_or(r, |(_, after)| after).trim(),
            None => rest.trim(),
        };
        if rest == "PROGRAM TOTALS" {
            total = ir;
            continue;
        }
        let rest = match rest.rfind(" [") {
            Some(i) if rest.ends_with(']') => &rest[..i],
            _ => rest,
        };
        let Some((file, function)) = rest.split_once(':') else {
            continue;
        };
        fns.push(FnCost {
            ir,
            function: function.to_string(),
            file: file.rsplit('/').next().unwrap_or(file).to_string(),
        });
    }
    (total, fns)
}

/// The instructions of the function named `name` (exactly, or with a `::h<hash>` suffix).
pub fn cost_of(fns: &[FnCost], name: &str) -> Option<u64> {
    fns.iter()
        .find(|f| crate::folded::frame_name(&f.function) == name)
        .map(|f| f.ir)
}

// ANCHOR: listing
/// The report as the page shows it: the `rows` functions with the most inclusive instructions,
/// each with its inclusive and self counts and shares of `total`, without directories. The
/// callers of the workload (`main`, the runtime's start-up frames) are left out: they execute
/// nothing themselves while it runs, so their line is the total again. Callgrind splits a
/// function into one line per source file its inlined code came from, so a name can appear
/// more than once.
pub fn listing(total: u64, inclusive: &[FnCost], selfs: &[FnCost], rows: usize) -> String {
    let pct = |v: u64| 100.0 * v as f64 / total as f64;
    let mut out = format!(
        "{:>13} {:>6}  {:>13} {:>6}  function (file)\n",
        "inclusive Ir", "", "self Ir", ""
    );
    let mut sorted: Vec<&FnCost> = inclusive.iter().collect();
    sorted.sort_by(|a, b| b.ir.cmp(&a.ir).then(a.function.cmp(&b.function)));
    let own = |f: &FnCost| {
        selfs
            .iter()
            .find(|s| s.function == f.function && s.file == f.file)
            .map_or(0, |s| s.ir)
    };
    sorted.retain(|f| f.ir < total || own(f) > 0);
    for f in sorted.into_iter().take(rows) {
        let own = own(f);
        out.push_str(&format!(
            "{:>13} {:>5.1}%  {:>13} {:>5.1}%  {} ({})\n",
            thousands(f.ir),
            pct(f.ir),
            thousands(own),
            pct(own),
            crate::folded::frame_name(&f.function),
            f.file
        ));
    }
    out
}
// ANCHOR_END: listing

/// `n` with a comma every three digits.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
