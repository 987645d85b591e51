//! Run: `cargo bench -p chNN` for each chosen chapter, with a progress line per benchmark.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use bookproto::Mode;

use crate::workspace::{Chapter, Harness, Workspace};

/// Makes sure valgrind and `gungraun-runner` of the pinned version are there. The one
/// installer is `scripts/setup.sh bench`, which reads the pin from the root `Cargo.toml`; it is
/// idempotent and prints a line per tool, so it runs every time benchmarks are about to.
pub fn ensure_tools(root: &Path) -> Result<()> {
    let script = root.join("scripts/setup.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg("bench")
        .status()
        .with_context(|| format!("cannot run {}", script.display()))?;
    if !status.success() {
        bail!(
            "{} bench failed (its messages are above): the benchmarks need valgrind and the pinned gungraun-runner",
            script.display()
        );
    }
    Ok(())
}

/// Which harnesses a run measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// Every bench target.
    All,
    /// The instruction-count targets; the wall targets only write their case list.
    Instr,
    /// The wall targets' case lists only.
    Cases,
}

/// Runs the bench targets of `ch` in `mode`, one `cargo bench --bench <target>` each (so that
/// every target has its own criterion, custom and case-list output, and two targets that
/// register the same id are caught by `collect`), printing one line per finished benchmark.
/// Raw output goes to `target/book-bench/<chapter>/<target>/`; the full log to `bench.log`.
pub fn chapter(ws: &Workspace, ch: &Chapter, mode: Mode, which: Which) -> Result<()> {
    let dirs = ws.dirs(ch);
    for d in [&dirs.bench, &dirs.gungraun] {
        if d.exists() {
            std::fs::remove_dir_all(d)
                .with_context(|| format!("cannot clear old output in {}", d.display()))?;
        }
    }
    std::fs::create_dir_all(&dirs.bench)?;
    let log_path = dirs.log();
    let mut log = std::fs::File::create(&log_path)?;
    eprintln!("[{}] building benchmarks", ch.package);
    let mut build = Command::new("cargo");
    build
        .current_dir(&ws.root)
        .args(["bench", "-p", &ch.package, "--no-run", "--quiet"]);
    if which == Which::Cases {
        for t in ch.targets()?.iter().filter(|t| t.harness == Harness::Wall) {
            build.args(["--bench", &t.name]);
        }
    }
    let build = build.status().context("cannot start cargo")?;
    if !build.success() {
        bail!(
            "building the benchmarks of {} failed (cargo's errors are above)",
            ch.package
        );
    }
    let started = Instant::now();
    let mut done = 0usize;
    // Full mode measures the wall targets in rounds, each its own process taking its share of
    // the time: round 0 of every target (the instruction counts and custom measurements with
    // it), then round 1 of every wall target, and so on, so that the rounds of one benchmark
    // are minutes apart and their spread shows what drifts between processes and over time.
    let rounds = match which {
        Which::All => bookproto::Round::count_for(mode),
        _ => 1,
    };
    let targets = ch.targets()?;
    for k in 0..rounds {
        for t in &targets {
            if (which == Which::Cases || k > 0) && t.harness == Harness::Instr {
                continue;
            }
            let cases_only = which != Which::All && t.harness == Harness::Wall;
            let criterion = if k == 0 {
                dirs.criterion(&t.name)
            } else {
                dirs.criterion_round(&t.name, k)
            };
            std::fs::create_dir_all(&criterion)?;
            let round = bookproto::Round {
                index: k,
                count: rounds,
            };
            if rounds > 1 && t.harness == Harness::Wall {
                eprintln!("[{}] {} round {}", ch.package, t.name, k + 1);
            }
            let mut cmd = Command::new("cargo");
            cmd.current_dir(&ws.root)
                .args(["bench", "-p", &ch.package, "--bench", &t.name, "--quiet"])
                .env(bookproto::env::MODE, mode.name())
                .env(bookproto::env::ROUND, round.to_string())
                .env("CRITERION_HOME", &criterion)
                .env("GUNGRAUN_SAVE_SUMMARY", "json")
                .env(bookproto::env::CUSTOM_DIR, dirs.custom(&t.name))
                .env(bookproto::env::ARTIFACT_DIR, dirs.artifacts())
                .env(bookproto::env::CASES_FILE, dirs.cases(&t.name));
            if cases_only {
                cmd.env(bookproto::env::CASES_ONLY, "1");
            }
            done += run_target(ch, cmd, &mut log, &log_path, done)?;
        }
    }
    eprintln!(
        "[{}] {done} benchmarks in {:.0} s",
        ch.package,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Runs one bench target, echoing a line per finished benchmark; returns how many finished.
fn run_target(
    ch: &Chapter,
    mut cmd: Command,
    log: &mut std::fs::File,
    log_path: &Path,
    before: usize,
) -> Result<usize> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start cargo bench")?;
    let stderr = child.stderr.take().expect("piped");
    let err_thread = std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    let mut done = before;
    let mut pending_instr: Option<String> = None;
    let mut current_wall = String::new();
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line = line?;
        writeln!(log, "{line}")?;
        if let Some(rest) = line.strip_prefix("custom ") {
            done += 1;
            let (id, values) = rest.split_once(": ").unwrap_or((rest, ""));
            let values = values.split(" (written to").next().unwrap_or(values);
            eprintln!("[{} {done:>3} custom] {id:<39} {values}", ch.package);
        } else if let Some(rest) = line.strip_prefix("artifact ") {
            let shown = rest.split(" (written to").next().unwrap_or(rest);
            eprintln!("[{}     artifact] {shown}", ch.package);
        } else if let Some(rest) = line.strip_prefix("Benchmarking ") {
            current_wall = rest.split(':').next().unwrap_or(rest).trim().to_string();
        } else if !line.starts_with(' ') && !line.contains(' ') && line.matches('/').count() == 2 {
            // Criterion prints an id too long for its column on a line of its own, and the
            // times on the next.
            current_wall = line.trim().to_string();
        } else if let Some((id, rest)) = line.split_once(" time:") {
            done += 1;
            let id = if id.trim().is_empty() {
                current_wall.as_str()
            } else {
                id.trim()
            };
            eprintln!("[{} {done:>3} wall ] {id:<40} {}", ch.package, rest.trim());
        } else if !line.starts_with(' ') && line.contains("::") && line.contains(' ') {
            pending_instr = line.split_whitespace().next().map(|m| {
                let case = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("")
                    .split(':')
                    .next()
                    .unwrap_or("");
                format!(
                    "{}/{case}",
                    m.split("::").skip(1).collect::<Vec<_>>().join("/")
                )
            });
        } else if let (Some(id), Some(v)) =
            (&pending_instr, line.trim().strip_prefix("Instructions:"))
        {
            done += 1;
            let n = v.split('|').next().unwrap_or("").trim();
            eprintln!("[{} {done:>3} instr] {id:<40} {n} instructions", ch.package);
            pending_instr = None;
        }
    }
    let status = child.wait()?;
    let err = err_thread.join().unwrap_or_default();
    log.write_all(err.as_bytes())?;
    if !status.success() {
        let tail: Vec<&str> = err.lines().rev().take(25).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!(
            "the benchmarks of {} failed; the end of their output follows (all of it is in {}):\n{}",
            ch.package,
            log_path.display(),
            tail.join("\n")
        );
    }
    Ok(done - before)
}
