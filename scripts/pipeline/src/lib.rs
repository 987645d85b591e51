//! The book's pipeline: benchmarks in, tables, figures and checked claims out.
//!
//! A number travels `run` → `collect` → `render` → `check` → `build`; `ARCHITECTURE.md` at the
//! repository root follows one through. The `book` binary drives these stages; the tests drive
//! them through this library.

pub mod asm;
pub mod card;
pub mod claims;
pub mod clock;
pub mod collect;
pub mod decl;
pub mod edition;
pub mod format;
pub mod formats;
pub mod fsutil;
pub mod labs;
pub mod machine;
pub mod machines;
pub mod plan;
pub mod render;
pub mod results;
pub mod run;
pub mod site;
pub mod workspace;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use bookproto::Mode;

use crate::claims::Outcome;
use crate::decl::Decl;
use crate::results::Results;
use crate::run::Which;
use crate::workspace::{Chapter, Workspace};

/// Where a chapter's numbers come from when rendering.
#[derive(Clone, Debug)]
pub enum Source {
    /// Only the committed reference results (what the published book shows).
    Reference,
    /// This machine's latest results where there are any, else the reference; a directory of
    /// results from another machine can be put first.
    Local {
        /// Results to prefer over both (`--results DIR`).
        extra: Option<PathBuf>,
    },
}

/// Finds the results file a chapter is rendered from.
pub fn results_path(ws: &Workspace, ch: &Chapter, source: &Source) -> Result<PathBuf> {
    let file = format!("{}.json", ch.package);
    let mut candidates = Vec::new();
    if let Source::Local { extra } = source {
        if let Some(d) = extra {
            candidates.push(d.join(&file));
        }
        candidates.push(ws.local_results().join(&file));
    }
    candidates.push(ws.reference_results().join(&file));
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .with_context(|| {
            format!(
                "no results for {}: looked for {}; measure it with `scripts/book.sh --chapters {}`",
                ch.package,
                candidates
                    .iter()
                    .map(|p| ws.rel(p))
                    .collect::<Vec<_>>()
                    .join(", "),
                ch.package
            )
        })
}

/// Runs and collects the chosen chapters, writing `<out>/<chapter>.json` for each.
pub fn measure(ws: &Workspace, chapters: &[Chapter], mode: Mode, out: &Path) -> Result<()> {
    run::ensure_tools(&ws.root)?;
    // What is measured is the tree as it is now: its commit and whether it has changes, each
    // chapter's declarations and the assembly of its library are taken before the benchmarks
    // run, so that editing the tree during a long run cannot change what the results say of it.
    let machine = machine::Machine::detect(&ws.root, mode.name());
    let mut before = Vec::with_capacity(chapters.len());
    for ch in chapters {
        let decl = Decl::load(&ch.decl_path())?;
        let listings = asm::listings(ws, ch, &decl.asm_symbols())?;
        before.push((decl, listings));
    }
    ensure_card(ws, chapters, mode, out)?;
    run::chapters(ws, chapters, mode, Which::All)?;
    for (ch, (decl, listings)) in chapters.iter().zip(before) {
        let dirs = ws.dirs(ch);
        let targets = ch.targets()?;
        let cases = collect::manifests(&dirs, &targets)?;
        let raw = collect::raw(&dirs, &targets)?;
        let mut results = collect::assemble(&ch.package, raw, &cases, true, machine.clone())?;
        results.artifacts = collect::artifact_dir(&dirs.artifacts())?;
        results.artifacts.extend(listings);
        let path = out.join(format!("{}.json", ch.package));
        // The new results must satisfy the chapter's declarations before they replace old ones.
        plan::resolve(&decl, &results, &path)?;
        results.save(&path)?;
        eprintln!("[{}] results written to {}", ch.package, ws.rel(&path));
    }
    Ok(())
}

/// Measures this machine's card into `out` first when a chapter about to be measured compares
/// with it (a limit claim) and `out` holds no card of this machine, so that the new results
/// can be checked against their own machine's limits.
fn ensure_card(ws: &Workspace, chapters: &[Chapter], mode: Mode, out: &Path) -> Result<()> {
    let mut needs = false;
    for ch in chapters {
        let decl = Decl::load(&ch.decl_path())?;
        needs |= decl
            .claim
            .iter()
            .any(|c| matches!(c, crate::decl::Claim::Limit(_)));
    }
    if !needs {
        return Ok(());
    }
    let path = out.join(card::FILE);
    let here = machine::Machine::detect(&ws.root, mode.name()).id;
    let current = path.is_file() && card::Card::load(&path).is_ok_and(|c| c.machine.id == here);
    if !current {
        eprintln!(
            "the chapters compare with this machine's card, and {} holds none of this machine: measuring it first",
            ws.rel(out)
        );
        card::measure(ws, mode, out)?;
    }
    Ok(())
}

/// Attaches each chapter's case list (parameters, one-sidedness) to its saved results in
/// `dir` without measuring: for results measured before the list declared a parameter. The
/// list is taken from the wall harness (`BOOK_CASES_ONLY`), and the saved ids must be exactly
/// its cases, as [`collect::assemble`] checks for a fresh run; the measurements and the
/// machine description are kept as they are.
pub fn adopt_cases(ws: &Workspace, chapters: &[Chapter], dir: &Path) -> Result<()> {
    for ch in chapters {
        let path = dir.join(format!("{}.json", ch.package));
        if !path.is_file() {
            continue;
        }
        let old = Results::load(&path)?;
        run::chapter(ws, ch, Mode::Quick, Which::Cases)?;
        let cases = collect::manifests(&ws.dirs(ch), &ch.targets()?)?;
        let mut raw = collect::Raw {
            walls: Default::default(),
            instrs: Default::default(),
            customs: Default::default(),
        };
        for (id, b) in &old.benchmarks {
            if let Some(w) = &b.wall {
                raw.walls.insert(id.clone(), w.clone());
            }
            if let Some(i) = &b.instr {
                raw.instrs.insert(id.clone(), i.clone());
            }
            if b.custom.is_some() || b.distribution.is_some() || !b.series.is_empty() {
                raw.customs.insert(
                    id.clone(),
                    bookproto::Record {
                        metrics: b.custom.clone().unwrap_or_default(),
                        distribution: b.distribution.clone(),
                        series: b.series.clone(),
                        rounds: b.rounds.clone(),
                        metric_rounds: b.custom_rounds.clone(),
                    },
                );
            }
        }
        let mut new = collect::assemble(&ch.package, raw, &cases, true, old.machine.clone())
            .with_context(|| format!("{} does not match the case list", ws.rel(&path)))?;
        for (id, b) in new.benchmarks.iter_mut() {
            b.rounds = old.benchmarks[id].rounds.clone();
        }
        new.artifacts = old.artifacts;
        new.save(&path)?;
        eprintln!("[{}] case list attached to {}", ch.package, ws.rel(&path));
    }
    Ok(())
}

/// One chapter, its results and everything resolved from them.
pub struct ChapterModel {
    /// The chapter.
    pub chapter: Chapter,
    /// Its results.
    pub results: Results,
    /// The results file, relative to the root (for provenance lines).
    pub results_file: String,
    /// What its declarations resolve to on these results.
    pub plan: plan::Plan,
}

/// Loads every chapter with results and resolves its declarations: the one loader that the
/// render, check and build stages and the tests share. A chapter not yet in the table of
/// contents may have no results and is skipped; one the book shows must have them.
pub fn load(ws: &Workspace, source: &Source) -> Result<Vec<ChapterModel>> {
    let summary = std::fs::read_to_string(ws.root.join("src/SUMMARY.md")).unwrap_or_default();
    let mut out = Vec::new();
    for ch in ws.chapters()? {
        let path = match results_path(ws, &ch, source) {
            Ok(p) => p,
            Err(_) if !summary.contains(&format!("({}.md)", ch.dir_name)) => {
                eprintln!(
                    "skipping {}: no results yet, and src/SUMMARY.md does not list it",
                    ch.package
                );
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut results = Results::load(&path)?;
        card::adopt_clock(&mut results, &path)?;
        let decl = Decl::load(&ch.decl_path())?;
        let plan = plan::resolve(&decl, &results, &path)?;
        out.push(ChapterModel {
            results_file: ws.rel(&path),
            chapter: ch,
            results,
            plan,
        });
    }
    Ok(out)
}

/// What rendering produced: the files, and every chapter's claim outcomes.
pub struct Rendered {
    /// Relative path and contents of every generated file.
    pub files: Vec<(PathBuf, String)>,
    /// Claim outcomes by chapter, with the machine they were measured on.
    pub outcomes: BTreeMap<String, (String, Vec<Outcome>)>,
    /// Check outcomes (`[[check]]`) by chapter: enforced, shown on no page.
    pub checks: BTreeMap<String, Vec<Outcome>>,
}

/// Renders loaded chapters (pure: nothing is read or written).
pub fn render_models(models: &[ChapterModel]) -> Rendered {
    let mut files = Vec::new();
    let mut sources =
        String::from("| Chapter | Results file | Machine | Mode | Date |\n|---|---|---|---|---|\n");
    for m in models {
        files.extend(render::chapter(
            &m.chapter,
            &m.plan,
            &m.results,
            &m.results_file,
        ));
        let mach = &m.results.machine;
        sources += &format!(
            "| {} | `{}` | {} | {} | {} |\n",
            m.chapter.package,
            m.results_file,
            format::html(&mach.summary()),
            mach.mode,
            mach.day()
        );
    }
    files.push((PathBuf::from("sources.md"), sources));
    files.push((
        PathBuf::from("claims.md"),
        render::claims_overview(models.iter().map(|m| {
            (
                m.chapter.package.as_str(),
                m.results.machine.id.as_str(),
                m.plan.claims.as_slice(),
            )
        })),
    ));
    Rendered {
        files,
        outcomes: outcomes(models),
        checks: checks(models),
    }
}

fn checks(models: &[ChapterModel]) -> BTreeMap<String, Vec<Outcome>> {
    models
        .iter()
        .map(|m| (m.chapter.package.clone(), m.plan.checks.clone()))
        .collect()
}

fn outcomes(models: &[ChapterModel]) -> BTreeMap<String, (String, Vec<Outcome>)> {
    models
        .iter()
        .map(|m| {
            (
                m.chapter.package.clone(),
                (m.results.machine.id.clone(), m.plan.claims.clone()),
            )
        })
        .collect()
}

/// Loads and renders every chapter.
pub fn render(ws: &Workspace, source: &Source) -> Result<Rendered> {
    Ok(render_models(&load(ws, source)?))
}

/// Writes rendered files into `dest`, replacing it whole; on error the old `dest` stays.
pub fn write(rendered: &Rendered, dest: &Path) -> Result<()> {
    let staging = fsutil::Staging::new(dest)?;
    for (rel, text) in &rendered.files {
        let p = staging.path().join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(&p, text).with_context(|| format!("cannot write {}", p.display()))?;
    }
    staging.commit()
}

/// Prints every claim's outcome; fails when an instruction-count claim does not hold
/// (wall-clock claims are reported, never enforced).
pub fn check(rendered: &Rendered) -> Result<()> {
    check_outcomes(&rendered.outcomes, &rendered.checks)
}

/// [`check`] on loaded chapters, without rendering anything.
pub fn check_models(models: &[ChapterModel]) -> Result<()> {
    check_outcomes(&outcomes(models), &checks(models))
}

fn check_outcomes(
    all: &BTreeMap<String, (String, Vec<Outcome>)>,
    checks: &BTreeMap<String, Vec<Outcome>>,
) -> Result<()> {
    let mut failed = Vec::new();
    let mut identities = 0;
    for (ch, outs) in checks {
        for o in outs {
            if o.fails_enforced() {
                eprintln!("{}", o.line(ch, "these results"));
                failed.push(format!("{ch}/{} (a check)", o.id));
            } else if o.held() {
                identities += 1;
            }
        }
    }
    let mut counts = [0usize; 5];
    for (ch, (machine, outs)) in all {
        let mut per = [0usize; 5];
        for o in outs {
            eprintln!("{}", o.line(ch, machine));
            if o.fails_enforced() {
                failed.push(format!("{ch}/{}", o.id));
            }
            let i = match o.verdict {
                claims::Verdict::Holds => 0,
                claims::Verdict::Fails => 1,
                claims::Verdict::NotResolved(_) => 2,
                claims::Verdict::SetAside(_) => 3,
            };
            per[i] += 1;
            if o.loose.as_ref().is_some_and(|l| l.1.is_none()) {
                per[4] += 1;
            }
        }
        eprintln!(
            "{ch}: {} hold, {} do not, {} not resolved, {} not measured here; {} loose",
            per[0], per[1], per[2], per[3], per[4]
        );
        for (c, p) in counts.iter_mut().zip(per) {
            *c += p;
        }
    }
    eprintln!(
        "claims: {} hold, {} do not, {} not resolved, {} not measured here; {} loose (more than 3× beyond their threshold without a declared reason); {identities} checks hold",
        counts[0], counts[1], counts[2], counts[3], counts[4]
    );
    if !failed.is_empty() {
        bail!(
            "instruction-count claims do not hold: {}. Counts are deterministic, so the code or the claim changed: fix the code, or correct the claim in the chapter's figures.toml and its prose",
            failed.join(", ")
        );
    }
    Ok(())
}

/// Counts every chapter's instructions afresh (the gungraun harness only) and enforces its
/// instruction-count claims on those counts. Wall-clock numbers are taken from the reference
/// results and not checked.
pub fn instr_check(ws: &Workspace, chapters: &[Chapter]) -> Result<()> {
    run::ensure_tools(&ws.root)?;
    let mut failed = Vec::new();
    let mut passed = 0;
    let mut counted = Vec::new();
    for ch in chapters {
        if Decl::load(&ch.decl_path())?
            .claim
            .iter()
            .any(|c| c.is_instr())
        {
            counted.push(ch.clone());
        }
    }
    run::chapters(ws, &counted, Mode::Quick, Which::Instr)?;
    for ch in &counted {
        let decl = Decl::load(&ch.decl_path())?;
        let path = results_path(ws, ch, &Source::Reference)?;
        let mut results = Results::load(&path)?;
        let dirs = ws.dirs(ch);
        let cases = collect::manifests(&dirs, &ch.targets()?)?;
        let fresh = collect::gungraun_dir(&dirs.gungraun)?;
        // The instruction harness registers its ids by hand (gungraun names benchmarks in
        // attributes); they must be exactly the cases the list gives it.
        let declared: std::collections::BTreeSet<String> = cases
            .cases
            .iter()
            .filter(|c| c.harnesses.instr() && c.runs_here())
            .map(|c| c.id.to_string())
            .collect();
        let registered: std::collections::BTreeSet<String> = fresh.keys().cloned().collect();
        if declared != registered {
            let only_list: Vec<&String> = declared.difference(&registered).collect();
            let only_harness: Vec<&String> = registered.difference(&declared).collect();
            bail!(
                "{}: the instruction harness and the case list disagree. In the list but not registered by benches/instr*.rs: {only_list:?}; registered but not in the list (or declared `.wall_only`): {only_harness:?}. Name every `#[bench::<case>]` as the list names the case, or change the list in src/cases.rs",
                ch.package
            );
        }
        for (id, bench) in results.benchmarks.iter_mut() {
            let Some(old) = &bench.instr else { continue };
            let new = fresh.get(id).with_context(|| {
                format!("{id} has instruction counts in {} but the instr harness no longer measures it: measure the chapter again", ws.rel(&path))
            })?;
            if old.get("Ir") != new.get("Ir") {
                eprintln!(
                    "note: {}/{id}: {} instructions now, {} in the reference results (the code changed; re-measure the reference)",
                    ch.package,
                    new.get("Ir").copied().unwrap_or(0.0),
                    old.get("Ir").copied().unwrap_or(0.0)
                );
            }
            bench.instr = Some(new.clone());
        }
        let plan = plan::resolve(&decl, &results, &path)?;
        for o in plan
            .claims
            .iter()
            .chain(&plan.checks)
            .filter(|o| o.kind == claims::Kind::Instructions)
        {
            eprintln!("{}", o.line(&ch.package, "fresh counts"));
            match o.verdict {
                claims::Verdict::Holds => passed += 1,
                claims::Verdict::Fails => failed.push(format!("{}/{}", ch.package, o.id)),
                claims::Verdict::SetAside(_) | claims::Verdict::NotResolved(_) => {}
            }
        }
    }
    println!("claims: {passed} passed, {} failed", failed.len());
    if !failed.is_empty() {
        bail!(
            "instruction-count claims do not hold on fresh counts: {}",
            failed.join(", ")
        );
    }
    Ok(())
}
