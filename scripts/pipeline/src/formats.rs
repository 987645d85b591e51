//! The book for reading offline: a PDF and an EPUB of the whole book, made from the HTML book
//! the build stage wrote, so they show the same generated pages (figures, tables, claim badges
//! and provenance lines) as the site.
//!
//! Both start from mdBook's print page, `book/print.html`, loaded in headless Chromium by
//! `scripts/browser-check/print.mjs`: the PDF is Chromium's print of it (with the book's print
//! stylesheet, a contents page and the PDF's outline); the EPUB is pandoc's conversion of the
//! content that script extracts (each figure as an SVG file with its text alternative, the
//! expandable numbers opened), styled by `src/assets/epub.css`. `scripts/setup.sh docs`
//! installs what they need (Chromium and the script's npm packages, pandoc, and epubcheck,
//! with which the test command validates the EPUB).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};
use mdbook_driver::config::Config;

use crate::workspace::Workspace;

/// Where the PDF is written, relative to the root.
pub const PDF: &str = "book/book.pdf";
/// Where the EPUB is written, relative to the root.
pub const EPUB: &str = "book/book.epub";
/// The print script, relative to the root.
const PRINT_SCRIPT: &str = "scripts/browser-check/print.mjs";
/// The EPUB's stylesheet, relative to the root.
const EPUB_CSS: &str = "src/assets/epub.css";

/// Runs `cmd`, failing with its output and `fix` when it cannot start or does not succeed.
fn run(mut cmd: Command, what: &str, fix: &str) -> Result<()> {
    let out = cmd
        .output()
        .with_context(|| format!("cannot run {what}: {fix}"))?;
    if !out.status.success() {
        bail!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// The print script, run with node on the built book in `ws.root/book`.
fn print_script(ws: &Workspace) -> Result<Command> {
    let book = ws.root.join("book");
    if !book.join("print.html").is_file() {
        bail!(
            "{} does not exist: build the book first (`scripts/book.sh build`)",
            ws.rel(&book.join("print.html"))
        );
    }
    if !ws
        .root
        .join("scripts/browser-check/node_modules/playwright-core")
        .is_dir()
    {
        bail!("the print script's npm packages are not installed: run `scripts/setup.sh docs`");
    }
    let mut cmd = Command::new("node");
    cmd.arg(ws.root.join(PRINT_SCRIPT)).arg(&book);
    Ok(cmd)
}

/// Prints the built book to [`PDF`]; returns its path.
pub fn pdf(ws: &Workspace) -> Result<PathBuf> {
    let out = ws.root.join(PDF);
    let mut cmd = print_script(ws)?;
    cmd.arg("--pdf").arg(&out);
    run(
        cmd,
        PRINT_SCRIPT,
        "install Node.js and Chromium with `scripts/setup.sh docs`",
    )?;
    Ok(out)
}

/// The book's title, authors and language, as pandoc metadata arguments.
fn metadata(ws: &Workspace) -> Result<Vec<String>> {
    let path = ws.root.join("book.toml");
    let config =
        Config::from_disk(&path).map_err(|e| anyhow!("cannot read {}: {e:#}", path.display()))?;
    let mut args = Vec::new();
    if let Some(t) = &config.book.title {
        args.push(format!("--metadata=title:{t}"));
    }
    for a in &config.book.authors {
        args.push(format!("--metadata=author:{a}"));
    }
    args.push(format!(
        "--metadata=lang:{}",
        config.book.language.as_deref().unwrap_or("en")
    ));
    if let Some(d) = &config.book.description {
        args.push(format!("--metadata=description:{d}"));
    }
    Ok(args)
}

/// Converts the built book to [`EPUB`] (its source goes to `target/book-epub/`); returns its
/// path.
pub fn epub(ws: &Workspace) -> Result<PathBuf> {
    let source = ws.root.join("target/book-epub");
    let mut cmd = print_script(ws)?;
    cmd.arg("--epub-source").arg(&source);
    run(
        cmd,
        PRINT_SCRIPT,
        "install Node.js and Chromium with `scripts/setup.sh docs`",
    )?;
    let out = ws.root.join(EPUB);
    let mut pandoc = Command::new("pandoc");
    pandoc
        .current_dir(&source)
        .args([
            "--from=html",
            "--to=epub3",
            "--toc",
            "--toc-depth=2",
            "--epub-chapter-level=1",
        ])
        .arg(format!("--css={}", ws.root.join(EPUB_CSS).display()))
        .arg(format!("--resource-path={}", source.display()))
        .args(metadata(ws)?)
        .arg("--output")
        .arg(&out)
        .arg(Path::new("book.html"));
    run(pandoc, "pandoc", "install it with `scripts/setup.sh docs`")?;
    Ok(out)
}
