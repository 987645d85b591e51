//! `lab`: the labs' grader from the command line. `scripts/lab.sh help` explains it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use pipeline::labs::{self, Options};
use pipeline::workspace::Workspace;

/// Grade the book's labs: correctness checks, then the counts each lab's target is about.
#[derive(Parser, Debug)]
#[command(name = "lab", version, about, long_about = None)]
struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Copy every lab's starting code into labs/mine/ (files already there are kept).
    Start,
    /// Grade lab files: every lab, or the ones named (lab05 ...).
    Grade {
        /// Labs to grade (default: all).
        labs: Vec<String>,
        /// A directory of lab files (lab01.rs ... lab09.rs; a missing one is the starting
        /// code). Give it more than once to grade several submissions.
        #[arg(long, value_name = "DIR", default_value = "labs/mine")]
        dir: Vec<PathBuf>,
        /// Skip the wall-clock comparison (information only, never graded).
        #[arg(long)]
        no_wall: bool,
        /// Write one row per submission and lab (dir, lab, verdict, value, target) to FILE.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// For the test suite: every lab graded must pass, or every one must be correct and
        /// miss its target (the starting code).
        #[arg(long, value_enum)]
        expect: Option<Expect>,
    },
}

/// What the test suite expects of a grading run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Expect {
    /// Every lab passes (the reference solutions).
    Pass,
    /// Every lab is correct and misses its target (the starting code).
    Fail,
}

fn main_inner() -> Result<bool> {
    let args = Args::parse();
    let ws = Workspace::locate()?;
    match args.command {
        Cmd::Start => {
            labs::start(&ws)?;
            Ok(true)
        }
        Cmd::Grade {
            labs: only,
            dir,
            no_wall,
            csv,
            expect,
        } => {
            let opts = Options {
                wall: !no_wall,
                profile: expect.is_none(),
            };
            let mut rows = String::from("dir,lab,verdict,value,starting_code\n");
            let mut summary = Vec::new();
            let mut ok = true;
            let mut unbuilt = Vec::new();
            for d in &dir {
                // One submission that does not build must not stop a class's grading.
                let grades = match labs::grade(&ws, d, &only, opts) {
                    Ok(g) => g,
                    Err(e) if dir.len() > 1 => {
                        eprintln!("{}: not graded: {e:#}", d.display());
                        rows += &format!("{},,not built,,\n", d.display());
                        summary.push(format!("{}: not graded (it does not build)", d.display()));
                        unbuilt.push(d.display().to_string());
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let passed = grades.iter().filter(|g| g.passed).count();
                for g in &grades {
                    let verdict = if !g.wrong.is_empty() {
                        "wrong"
                    } else if g.passed {
                        "pass"
                    } else {
                        "not yet"
                    };
                    rows += &format!(
                        "{},{},{verdict},{},{}\n",
                        d.display(),
                        g.id,
                        g.value.map_or(String::new(), |v| format!("{v:.4}")),
                        g.start_value.map_or(String::new(), |v| format!("{v:.4}"))
                    );
                    ok &= match expect {
                        None | Some(Expect::Pass) => g.passed,
                        Some(Expect::Fail) => !g.passed && g.wrong.is_empty(),
                    };
                    if expect == Some(Expect::Fail) && !g.wrong.is_empty() {
                        eprintln!(
                            "{}: the starting code fails its own correctness checks",
                            g.id
                        );
                    }
                    if expect == Some(Expect::Fail) && g.passed {
                        eprintln!(
                            "{}: the starting code already meets the target, which is therefore vacuous",
                            g.id
                        );
                    }
                    if expect == Some(Expect::Pass) && !g.passed {
                        eprintln!(
                            "{}: the reference solution does not reach the target, which is therefore out of reach",
                            g.id
                        );
                    }
                }
                summary.push(format!(
                    "{}: {passed} of {} labs pass",
                    d.display(),
                    grades.len()
                ));
            }
            eprintln!();
            for s in &summary {
                eprintln!("{s}");
            }
            if let Some(path) = csv {
                std::fs::write(&path, rows)?;
                eprintln!("wrote {}", path.display());
            }
            if !unbuilt.is_empty() {
                bail!(
                    "{} submission(s) did not build: {}",
                    unbuilt.len(),
                    unbuilt.join(", ")
                );
            }
            if let Some(e) = expect
                && !ok
            {
                bail!(
                    "the labs graded did not all {}",
                    match e {
                        Expect::Pass => "pass",
                        Expect::Fail => "fail as starting code must",
                    }
                );
            }
            Ok(ok)
        }
    }
}

fn main() -> ExitCode {
    match main_inner() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
