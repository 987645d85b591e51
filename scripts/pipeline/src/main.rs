//! `book`: the book's pipeline from the command line. `book help` explains it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, bail};
use pipeline::workspace::Workspace;
use pipeline::{Source, check, measure, render, site, write};

const HELP: &str = "\
book: measure the chapters, render their tables, figures and claims, and build the HTML book.

USAGE: book [STAGE] [OPTIONS]

STAGES
  all      run, collect, render, check and build (default)
  measure  run the benchmarks and collect their results only
  render   render from saved results into the generated-files directory
  check    evaluate every claim on saved results; fail if an instruction-count claim fails
  build    render from saved results and build the HTML book into book/, without benchmarking
  instr-check  count instructions afresh (gungraun harness only) and enforce the
           instruction-count claims on those counts; the test suite runs this

OPTIONS
  --chapters ch01,ch02  chapters to benchmark (default: all); rendering covers every chapter
  --mode quick|full     quick (default: minutes, for CI and a first look) or full (publication)
  --saved               with `all`: skip benchmarking, use saved results
  --reference           publication: results go to results/reference/ and the generated files
                        to src/generated/, both committed
  --results DIR         render with results files from DIR first (e.g. another machine's)

Without --reference, results go to results/local/ and the book is rendered from them (and from
the reference results for chapters not measured here); src/ is left untouched.";

struct Args {
    stage: String,
    chapters: Vec<String>,
    mode: String,
    saved: bool,
    reference: bool,
    results: Option<PathBuf>,
}

fn parse() -> Result<Args> {
    let mut a = Args {
        stage: "all".into(),
        chapters: vec![],
        mode: "quick".into(),
        saved: false,
        reference: false,
        results: None,
    };
    let mut it = std::env::args().skip(1);
    let mut stage_set = false;
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--chapters" => {
                let v = it.next().unwrap_or_default();
                a.chapters = v
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            "--mode" => {
                a.mode = it.next().unwrap_or_default();
                if a.mode != "quick" && a.mode != "full" {
                    bail!("--mode takes `quick` or `full`, not `{}`", a.mode);
                }
            }
            "--saved" => a.saved = true,
            "--reference" => a.reference = true,
            "--results" => a.results = it.next().map(PathBuf::from),
            "-h" | "--help" | "help" => {
                println!("{HELP}");
                std::process::exit(0);
            }
            s if !s.starts_with('-') && !stage_set => {
                if !["all", "measure", "render", "check", "build", "instr-check"].contains(&s) {
                    bail!("unknown stage `{s}`; `book help` lists them");
                }
                a.stage = s.to_string();
                stage_set = true;
            }
            s => bail!("unknown option `{s}`; `book help` lists them"),
        }
    }
    Ok(a)
}

fn main_inner() -> Result<()> {
    let args = parse()?;
    let ws = Workspace::locate()?;
    let source = if args.reference {
        Source::Reference
    } else {
        Source::Local {
            extra: args.results.clone(),
        }
    };
    let generated = if args.reference {
        ws.committed_generated()
    } else {
        ws.local_generated()
    };
    let results_out = if args.reference {
        ws.reference_results()
    } else {
        ws.local_results()
    };
    let t = Instant::now();
    if args.stage == "instr-check" {
        return pipeline::instr_check(&ws, &ws.select(&args.chapters)?);
    }
    if args.stage == "measure" || (args.stage == "all" && !args.saved) {
        let chapters = ws.select(&args.chapters)?;
        measure(&ws, &chapters, &args.mode, &results_out)?;
        eprintln!("measured in {:.1} s", t.elapsed().as_secs_f64());
        if args.stage == "measure" {
            return Ok(());
        }
    }
    let t_render = Instant::now();
    let rendered = render(&ws, &source)?;
    if args.stage == "check" {
        return check(&rendered);
    }
    write(&rendered, &generated)?;
    eprintln!(
        "rendered {} files into {} in {:.2} s",
        rendered.files.len(),
        ws.rel(&generated),
        t_render.elapsed().as_secs_f64()
    );
    if args.stage == "render" {
        return Ok(());
    }
    let t_build = Instant::now();
    site::build(&ws, &generated)?;
    eprintln!(
        "built the book into book/ in {:.2} s",
        t_build.elapsed().as_secs_f64()
    );
    check(&rendered)?;
    eprintln!(
        "done in {:.1} s; open book/index.html",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
    match main_inner() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
