//! Run: `cargo bench -p chNN` for each chosen chapter, with a progress line per benchmark.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::workspace::{Chapter, Workspace};

/// The gungraun version pinned in the root `Cargo.toml` (`gungraun = "=X.Y.Z"`).
pub fn pinned_gungraun(root: &Path) -> Result<String> {
    let manifest = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    text.lines()
        .find_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("gungraun")?
                .trim_start()
                .strip_prefix('=')?
                .trim();
            let v = rest.trim_matches('"').trim_start_matches('=');
            (!v.is_empty()).then(|| v.to_string())
        })
        .with_context(|| {
            format!(
                "{} pins no `gungraun = \"=X.Y.Z\"`: pin it exactly, the runner must match",
                manifest.display()
            )
        })
}

fn version_of(cmd: &str) -> Option<String> {
    let o = Command::new(cmd).arg("--version").output().ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Makes sure valgrind and `gungraun-runner` of the pinned version are there, installing the
/// runner with cargo when it is missing or of another version.
pub fn ensure_tools(root: &Path) -> Result<()> {
    if version_of("valgrind").is_none() {
        bail!(
            "valgrind is not installed, and the instruction-count benchmarks run under it: run `scripts/setup.sh bench` (or `apt-get install valgrind`)"
        );
    }
    let want = pinned_gungraun(root)?;
    let runner = std::env::var("GUNGRAUN_RUNNER").unwrap_or_else(|_| "gungraun-runner".to_string());
    let have = version_of(&runner);
    if have
        .as_deref()
        .is_some_and(|v| v.split_whitespace().last() == Some(want.as_str()))
    {
        return Ok(());
    }
    eprintln!(
        "gungraun-runner {want} is needed ({}); installing it with `cargo install gungraun-runner --version {want} --locked` (about 2–3 minutes)",
        have.map(|h| format!("found {h}"))
            .unwrap_or_else(|| "not found".to_string())
    );
    let status = Command::new("cargo")
        .args(["install", "gungraun-runner", "--version", &want, "--locked"])
        .status()
        .context("cannot start cargo to install gungraun-runner")?;
    if !status.success() {
        bail!(
            "installing gungraun-runner {want} failed: install it by hand with `cargo install gungraun-runner --version {want} --locked`"
        );
    }
    Ok(())
}

/// Runs both harnesses of `ch` in `mode`, printing one line per finished benchmark. Raw output
/// goes to `target/book-bench/<chapter>/`; the full log to `bench.log` beside it.
pub fn chapter(ws: &Workspace, ch: &Chapter, mode: &str, only_instr: bool) -> Result<()> {
    let (criterion_home, gungraun_dir) = ws.bench_output(ch);
    let custom_dir = ws.custom_output(ch);
    let artifact_dir = ws.artifact_output(ch);
    for d in [&criterion_home, &gungraun_dir, &custom_dir, &artifact_dir] {
        if d.exists() {
            std::fs::remove_dir_all(d)
                .with_context(|| format!("cannot clear old output in {}", d.display()))?;
        }
    }
    std::fs::create_dir_all(&criterion_home)?;
    let log_path = criterion_home
        .parent()
        .expect("has parent")
        .join("bench.log");
    let mut log = std::fs::File::create(&log_path)?;
    eprintln!("[{}] building benchmarks", ch.package);
    let mut bench_args = vec!["bench", "-p", &ch.package];
    if only_instr {
        bench_args.extend(["--bench", "instr"]);
    }
    let build = Command::new("cargo")
        .current_dir(&ws.root)
        .args(&bench_args)
        .args(["--no-run", "--quiet"])
        .status()
        .context("cannot start cargo")?;
    if !build.success() {
        bail!(
            "building the benchmarks of {} failed (cargo's errors are above)",
            ch.package
        );
    }
    let started = Instant::now();
    let mut child = Command::new("cargo")
        .current_dir(&ws.root)
        .args(&bench_args)
        .arg("--quiet")
        .env("BOOK_MODE", mode)
        .env("CRITERION_HOME", &criterion_home)
        .env("GUNGRAUN_SAVE_SUMMARY", "json")
        .env("BOOK_CUSTOM_DIR", &custom_dir)
        .env("BOOK_ARTIFACT_DIR", &artifact_dir)
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
    let mut done = 0usize;
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
    eprintln!(
        "[{}] {done} benchmarks in {:.0} s",
        ch.package,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
