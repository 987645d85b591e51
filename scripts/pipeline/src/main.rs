//! `book`: the book's pipeline from the command line. `book help` explains it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use bookproto::Mode;
use clap::{Parser, ValueEnum};
use pipeline::workspace::Workspace;
use pipeline::{Source, check_models, load, measure, render_models, site, write};

/// Measure the chapters, render their tables, figures and claims, and build the HTML book.
///
/// Without --reference, results go to results/local/ and the book is rendered from them (and
/// from the reference results for chapters not measured here); src/ is left untouched.
#[derive(Parser, Debug)]
#[command(name = "book", version, about, long_about = None, after_help = AFTER)]
struct Args {
    /// What to do.
    #[arg(value_enum, default_value_t = Stage::All)]
    stage: Stage,
    /// Chapters to benchmark, comma-separated (default: all); rendering covers every chapter.
    #[arg(long, value_delimiter = ',', num_args = 1, value_parser = chapter_name)]
    chapters: Vec<String>,
    /// quick (minutes, for CI and a first look) or full (publication).
    #[arg(long, value_enum, default_value_t = ModeArg::Quick)]
    mode: ModeArg,
    /// With `all`: skip benchmarking, use saved results.
    #[arg(long)]
    saved: bool,
    /// Publication: results go to results/reference/ and the generated files to
    /// src/generated/, both committed.
    #[arg(long, conflicts_with = "results")]
    reference: bool,
    /// Render with results files from DIR first (e.g. another machine's).
    #[arg(long, value_name = "DIR")]
    results: Option<PathBuf>,
}

const AFTER: &str = "Stages run in this order: measure (run and collect) -> render -> check -> build. \
pdf, epub and offline build the book from saved results and then make book/book.pdf, \
book/book.epub or both (scripts/setup.sh docs installs their tools).";

/// A stage of the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Stage {
    /// Run, collect, render, check and build.
    All,
    /// Run the benchmarks and collect their results only.
    Measure,
    /// Render from saved results into the generated-files directory.
    Render,
    /// Evaluate every claim on saved results; fail if an instruction-count claim fails.
    Check,
    /// Render from saved results and build the HTML book into book/, without benchmarking.
    Build,
    /// As `build`, then print the book to book/book.pdf (headless Chromium).
    Pdf,
    /// As `build`, then convert the book to book/book.epub (pandoc).
    Epub,
    /// As `build`, then make both book/book.pdf and book/book.epub.
    Offline,
    /// Count instructions afresh (gungraun harness only) and enforce the instruction-count
    /// claims on those counts; the test suite runs this.
    InstrCheck,
    /// Attach the chapters' case lists (parameters, one-sided cases) to their saved results,
    /// without measuring (results/local/, or results/reference/ with --reference).
    AdoptCases,
    /// Measure this machine's card (its physical limits) only, into results/local/card.json
    /// (results/reference/ with --reference); a whole-book measurement measures it too.
    Card,
    /// Pack this machine's results (results/local/) for contribution: one archive in
    /// target/book-pack/ that unpacks to results/machines/<machine-id>/, and its SHA-256.
    Pack,
}

/// The run mode as the command line names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    /// Short warm-up and measurement.
    Quick,
    /// Publication-length runs.
    Full,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Quick => Mode::Quick,
            ModeArg::Full => Mode::Full,
        }
    }
}

/// A chapter package name, `chNN`; an empty one (`--chapters ""` or `--chapters ch01,`) is an
/// error rather than "every chapter".
fn chapter_name(s: &str) -> std::result::Result<String, String> {
    let ok = s.len() == 4 && s.starts_with("ch") && s[2..].chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(s.to_string())
    } else if s.is_empty() {
        Err("a chapter name is empty: give chapters as `--chapters ch01,ch05`, or leave the option out for every chapter".into())
    } else {
        Err(format!("`{s}` is not a chapter package name like `ch05`"))
    }
}

fn main_inner() -> Result<()> {
    let args = Args::parse();
    let mode = Mode::from(args.mode);
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
    if args.saved && args.stage != Stage::All {
        anyhow::bail!(
            "--saved applies to the `all` stage only (the other stages never benchmark, except `measure`)"
        );
    }
    if args.stage == Stage::Card {
        pipeline::card::measure(&ws, mode, &results_out)?;
        return Ok(());
    }
    if args.stage == Stage::Pack {
        pipeline::machines::pack(&ws)?;
        return Ok(());
    }
    if args.stage == Stage::AdoptCases {
        return pipeline::adopt_cases(&ws, &ws.select(&args.chapters)?, &results_out);
    }
    if args.stage == Stage::InstrCheck {
        return pipeline::instr_check(&ws, &ws.select(&args.chapters)?);
    }
    if args.stage == Stage::Measure || (args.stage == Stage::All && !args.saved) {
        let chapters = ws.select(&args.chapters)?;
        if args.chapters.is_empty() {
            // The whole book: the card is measured in the same session as the chapters that
            // quote it, first, so that their limit claims are checked against it.
            pipeline::card::measure(&ws, mode, &results_out)?;
        }
        measure(&ws, &chapters, mode, &results_out)?;
        eprintln!("measured in {:.1} s", t.elapsed().as_secs_f64());
        if args.stage == Stage::Measure {
            return Ok(());
        }
    }
    let t_render = Instant::now();
    let models = load(&ws, &source)?;
    // Claims are checked before anything is written, so a failing instruction-count claim
    // leaves the old generated files and book in place; `check` renders nothing.
    check_models(&models)?;
    if args.stage == Stage::Check {
        return Ok(());
    }
    let rendered = render_models(&models);
    write(&rendered, &generated)?;
    eprintln!(
        "rendered {} files into {} in {:.2} s",
        rendered.files.len(),
        ws.rel(&generated),
        t_render.elapsed().as_secs_f64()
    );
    if args.stage == Stage::Render {
        return Ok(());
    }
    let t_build = Instant::now();
    site::build(&ws, &generated)?;
    eprintln!(
        "built the book into book/ in {:.2} s",
        t_build.elapsed().as_secs_f64()
    );
    if matches!(args.stage, Stage::Pdf | Stage::Offline) {
        let t_pdf = Instant::now();
        let out = pipeline::formats::pdf(&ws)?;
        eprintln!(
            "printed {} in {:.1} s",
            ws.rel(&out),
            t_pdf.elapsed().as_secs_f64()
        );
    }
    if matches!(args.stage, Stage::Epub | Stage::Offline) {
        let t_epub = Instant::now();
        let out = pipeline::formats::epub(&ws)?;
        eprintln!(
            "wrote {} in {:.1} s",
            ws.rel(&out),
            t_epub.elapsed().as_secs_f64()
        );
    }
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
