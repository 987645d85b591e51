//! Run: `cargo bench -p chNN --bench <target>` for each wall-clock target of the chosen
//! chapters, then their instruction-count targets from the built executables, several at a
//! time, with a progress line per benchmark.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use bookproto::Mode;

use crate::workspace::{Chapter, ChapterDirs, Harness, Workspace};

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

/// Runs the bench targets of `chapters` in `mode` (see [`chapters`]) for one chapter.
pub fn chapter(ws: &Workspace, ch: &Chapter, mode: Mode, which: Which) -> Result<()> {
    chapters(ws, std::slice::from_ref(ch), mode, which)
}

/// An instruction-count target, built, waiting for its turn.
struct InstrJob<'a> {
    ch: &'a Chapter,
    target: String,
    exe: PathBuf,
    /// Benchmarks of the chapter finished before it (for the progress lines).
    before: usize,
}

/// Runs the bench targets of `chapters` in `mode`, each its own process (so that every target
/// has its own criterion, custom and case-list output, and two targets that register the same
/// id are caught by `collect`), printing one line per finished benchmark. Raw output goes to
/// `target/book-bench/<chapter>/<target>/`; the full log to `bench.log`.
///
/// The wall-clock targets run one after another, chapter by chapter, with nothing else
/// running. The instruction-count targets run afterwards, as many at a time as the machine
/// has cores: callgrind's counts do not depend on what else runs (only its speed does), and
/// it simulates every program on one core, so a second core would otherwise idle.
pub fn chapters(ws: &Workspace, chapters: &[Chapter], mode: Mode, which: Which) -> Result<()> {
    let mut jobs = Vec::new();
    for ch in chapters {
        let (exes, done) = walls(ws, ch, mode, which)?;
        if which == Which::Cases {
            continue;
        }
        for t in ch.targets()?.iter().filter(|t| t.harness == Harness::Instr) {
            let exe = exes.get(&t.name).cloned().with_context(|| {
                format!(
                    "cargo built no executable for bench target `{}` of {}",
                    t.name, ch.package
                )
            })?;
            jobs.push(InstrJob {
                ch,
                target: t.name.clone(),
                exe,
                before: done,
            });
        }
    }
    instrs(ws, jobs, mode)
}

/// Builds the benchmarks of `ch` and runs its wall-clock targets (in full mode, every round);
/// returns the executables cargo built, by target name, and how many benchmarks finished.
fn walls(
    ws: &Workspace,
    ch: &Chapter,
    mode: Mode,
    which: Which,
) -> Result<(BTreeMap<String, PathBuf>, usize)> {
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
    let exes = build(ws, ch, which)?;
    let started = Instant::now();
    let mut done = 0usize;
    // Full mode measures the wall targets in rounds, each its own process taking its share of
    // the time: round 0 of every target (the custom measurements with it), then round 1 of
    // every wall target, and so on, so that the rounds of one benchmark are minutes apart and
    // their spread shows what drifts between processes and over time.
    let rounds = match which {
        Which::All => bookproto::Round::count_for(mode),
        _ => 1,
    };
    let targets = ch.targets()?;
    for k in 0..rounds {
        for t in targets.iter().filter(|t| t.harness == Harness::Wall) {
            let cases_only = which != Which::All;
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
            if rounds > 1 {
                eprintln!("[{}] {} round {}", ch.package, t.name, k + 1);
            }
            let mut cmd = Command::new("cargo");
            cmd.current_dir(&ws.root)
                .args(["bench", "-p", &ch.package, "--bench", &t.name, "--quiet"])
                .env(bookproto::env::ROUND, round.to_string())
                .env("CRITERION_HOME", &criterion);
            book_env(&mut cmd, &dirs, &t.name, mode);
            if cases_only {
                cmd.env(bookproto::env::CASES_ONLY, "1");
            }
            done += run_target(ch, cmd, &mut log, &log_path, done)?;
        }
    }
    if which == Which::All {
        eprintln!(
            "[{}] {done} wall-clock benchmarks in {:.0} s",
            ch.package,
            started.elapsed().as_secs_f64()
        );
    }
    Ok((exes, done))
}

/// The variables that tell a harness where its output goes and how long to measure.
fn book_env(cmd: &mut Command, dirs: &ChapterDirs, target: &str, mode: Mode) {
    cmd.env(bookproto::env::MODE, mode.name())
        .env("GUNGRAUN_SAVE_SUMMARY", "json")
        .env(bookproto::env::CUSTOM_DIR, dirs.custom(target))
        .env(bookproto::env::ARTIFACT_DIR, dirs.artifacts())
        .env(bookproto::env::CASES_FILE, dirs.cases(target));
}

/// Builds the bench targets of `ch` (only the wall targets for [`Which::Cases`]) and returns
/// their executables by target name.
fn build(ws: &Workspace, ch: &Chapter, which: Which) -> Result<BTreeMap<String, PathBuf>> {
    let mut build = Command::new("cargo");
    build.current_dir(&ws.root).args([
        "bench",
        "-p",
        &ch.package,
        "--no-run",
        "--quiet",
        "--message-format=json-render-diagnostics",
    ]);
    if which == Which::Cases {
        for t in ch.targets()?.iter().filter(|t| t.harness == Harness::Wall) {
            build.args(["--bench", &t.name]);
        }
    }
    let out = build
        .stderr(Stdio::inherit())
        .output()
        .context("cannot start cargo")?;
    if !out.status.success() {
        bail!(
            "building the benchmarks of {} failed (cargo's errors are above)",
            ch.package
        );
    }
    let manifest = ch.dir.join("Cargo.toml");
    let mut exes = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_bench = msg["target"]["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|k| k == "bench"));
        if msg["reason"] == "compiler-artifact"
            && is_bench
            && msg["manifest_path"].as_str().map(Path::new) == Some(manifest.as_path())
            && let (Some(name), Some(exe)) =
                (msg["target"]["name"].as_str(), msg["executable"].as_str())
        {
            exes.insert(name.to_string(), PathBuf::from(exe));
        }
    }
    Ok(exes)
}

/// Runs the instruction-count targets, as many at a time as the machine has cores, each
/// straight from its executable as `cargo bench` would run it (a second `cargo` would wait for
/// the first one's lock on the build directory).
fn instrs(ws: &Workspace, jobs: Vec<InstrJob<'_>>, mode: Mode) -> Result<()> {
    if jobs.is_empty() {
        return Ok(());
    }
    let parallel = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(jobs.len());
    let started = Instant::now();
    let n = jobs.len();
    eprintln!("counting instructions: {n} targets, {parallel} at a time");
    let queue = std::sync::Mutex::new(jobs.into_iter());
    let results: Vec<Result<()>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..parallel)
            .map(|_| {
                s.spawn(|| -> Result<()> {
                    loop {
                        let Some(job) = queue.lock().expect("queue").next() else {
                            return Ok(());
                        };
                        let dirs = ws.dirs(job.ch);
                        let log_path = dirs.log();
                        let mut log = std::fs::OpenOptions::new()
                            .append(true)
                            .create(true)
                            .open(&log_path)
                            .with_context(|| format!("cannot open {}", log_path.display()))?;
                        let mut cmd = Command::new(&job.exe);
                        cmd.arg("--bench")
                            .current_dir(&job.ch.dir)
                            .env("CARGO_PKG_NAME", &job.ch.package)
                            .env("CARGO_MANIFEST_DIR", &job.ch.dir);
                        book_env(&mut cmd, &dirs, &job.target, mode);
                        if let Err(e) = run_target(job.ch, cmd, &mut log, &log_path, job.before) {
                            // The other workers finish what they run and take nothing more.
                            queue.lock().expect("queue").by_ref().for_each(drop);
                            return Err(e);
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a worker panicked")))
            })
            .collect()
    });
    for r in results {
        r?;
    }
    eprintln!(
        "counted the instructions of {n} targets in {:.0} s",
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
