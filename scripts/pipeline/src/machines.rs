//! Every machine side by side: the results of more than one machine, each in its own folder
//! `results/machines/<machine-id>/chNN.json` (the reference machine's folder is a link to
//! `results/reference/`), evaluated claim by claim, and this machine's results packed for
//! contribution.
//!
//! The page (`{{#machines}}` in `src/appendix-machines.md`) is written when the book is built:
//! one column per machine folder, and one more for the reader's own run (`results/local/`)
//! when there is one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::card::{self, Card};
use crate::claims::Outcome;
use crate::decl::Decl;
use crate::format;
use crate::machine::{Machine, human_bytes};
use crate::plan;
use crate::results::Results;
use crate::workspace::{Chapter, Workspace};

/// One machine's results, evaluated.
#[derive(Debug)]
pub struct Run {
    /// The column's heading.
    pub label: String,
    /// Where its results are, relative to the repository.
    pub dir: String,
    /// The machine, as its first results file describes it.
    pub machine: Machine,
    /// Each measured chapter's claims, by package.
    pub chapters: BTreeMap<String, Vec<Outcome>>,
    /// The machine's card (its physical limits), when it was measured.
    pub card: Option<Card>,
}

/// The folder of every machine's results.
pub fn machines_dir(ws: &Workspace) -> PathBuf {
    ws.root.join("results/machines")
}

/// Loads and evaluates the results in `dir` for every chapter that has a file there. A file
/// of another machine than `expect_id` (when given) is an error that says where it belongs.
pub fn load_run(
    ws: &Workspace,
    chapters: &[Chapter],
    dir: &Path,
    label: &str,
    expect_id: Option<&str>,
) -> Result<Option<Run>> {
    let mut machine: Option<Machine> = None;
    let mut out = BTreeMap::new();
    for ch in chapters {
        let path = dir.join(format!("{}.json", ch.package));
        if !path.is_file() {
            continue;
        }
        let mut results = Results::load(&path)?;
        in_its_folder(ws, &path, &results.machine.id, expect_id)?;
        card::adopt_clock(&mut results, &path)?;
        if let Some(m) = &machine
            && m.id != results.machine.id
        {
            bail!(
                "{} holds results of two machines (`{}` and `{}`, in {}): one folder is one machine",
                ws.rel(dir),
                m.id,
                results.machine.id,
                ws.rel(&path)
            );
        }
        let decl = Decl::load(&ch.decl_path())?;
        let p = plan::resolve_with(&decl, &results, &path, plan::CardNeed::Optional)?;
        out.insert(ch.package.clone(), p.claims);
        machine.get_or_insert(results.machine);
    }
    let card_path = dir.join(card::FILE);
    let card = if card_path.is_file() {
        let c = Card::load(&card_path)?;
        let id = expect_id.or(machine.as_ref().map(|m| m.id.as_str()));
        in_its_folder(ws, &card_path, &c.machine.id, id)?;
        Some(c)
    } else {
        None
    };
    let machine = machine.or_else(|| card.as_ref().map(|c| c.machine.clone()));
    Ok(machine.map(|machine| Run {
        label: label.to_string(),
        dir: ws.rel(dir),
        machine,
        chapters: out,
        card,
    }))
}

/// Refuses a file measured on another machine than `expect` (its folder's, or the machine of
/// the folder's other files), saying where it belongs.
fn in_its_folder(
    ws: &Workspace,
    path: &Path,
    measured_on: &str,
    expect: Option<&str>,
) -> Result<()> {
    if let Some(id) = expect
        && measured_on != id
    {
        bail!(
            "{} was measured on `{measured_on}`, not on `{id}` as its folder says: move it to results/machines/{measured_on}/",
            ws.rel(path)
        );
    }
    Ok(())
}

/// Every machine in the repository, the reference machine first, then the reader's own run.
pub fn runs(ws: &Workspace) -> Result<Vec<Run>> {
    let chapters = ws.chapters()?;
    let reference_id = chapters
        .iter()
        .map(|c| ws.reference_results().join(format!("{}.json", c.package)))
        .find(|p| p.is_file())
        .map(|p| Results::load(&p).map(|r| r.machine.id))
        .transpose()?;
    let mut ids: Vec<String> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(machines_dir(ws)) {
        for e in entries {
            let e = e?;
            if e.path().is_dir() {
                ids.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    ids.sort_by_key(|id| (Some(id) != reference_id.as_ref(), id.clone()));
    let mut out = Vec::new();
    for id in &ids {
        let label = if Some(id) == reference_id.as_ref() {
            format!("{id} (reference)")
        } else {
            id.clone()
        };
        if let Some(r) = load_run(ws, &chapters, &machines_dir(ws).join(id), &label, Some(id))? {
            out.push(r);
        }
    }
    if let Some(r) = load_run(
        ws,
        &chapters,
        &ws.local_results(),
        "this machine (results/local)",
        None,
    )? {
        out.push(r);
    }
    Ok(out)
}

/// The card of a machine, one value per row of [`CARD`].
fn card(m: &Machine) -> Vec<String> {
    let cache = |k: &str| m.caches.get(k).map_or("–".to_string(), |b| human_bytes(*b));
    let clock = match m
        .facts
        .as_ref()
        .map(|f| (f.clock_ghz, f.clock_imul_ghz, f.clock_add_ghz))
    {
        Some((Some(g), _, _)) => format!("{g:.2} GHz"),
        // Both chains were measured and disagreed: the clock was not determined, not missing.
        Some((None, Some(i), Some(a))) => {
            format!("not determined (imul chain {i:.2} GHz, add chain {a:.2} GHz)")
        }
        _ => "not recorded".to_string(),
    };
    let cores = match m.physical_cores {
        Some(p) => format!("{} logical, {p} physical", m.logical_cpus),
        None => format!("{} logical", m.logical_cpus),
    };
    vec![
        m.cpu_model.clone(),
        m.arch.clone(),
        cores,
        m.numa_nodes.to_string(),
        format!(
            "L1d {}, L2 {}, L3 {}",
            cache("l1d"),
            cache("l2"),
            cache("l3")
        ),
        clock,
        human_bytes(m.memory_bytes),
        if m.simd.is_empty() {
            "–".into()
        } else {
            m.simd.join(", ")
        },
        m.hypervisor.clone().unwrap_or_else(|| "none".into()),
        m.kernel.clone(),
        format!("{}, {}, commit {}", m.mode, m.day(), m.short_commit()),
    ]
}

/// The rows of a machine card.
const CARD: [&str; 11] = [
    "CPU",
    "Architecture",
    "CPUs",
    "NUMA nodes",
    "Caches (CPU 0)",
    "Clock (measured)",
    "Memory",
    "SIMD",
    "Hypervisor",
    "Kernel",
    "Mode, date, commit",
];

/// The page: every machine's card, then every chapter's claims with the verdict and number
/// on each machine.
pub fn page(runs: &[Run], chapter_order: &[(String, String)]) -> String {
    if runs.is_empty() {
        return "No results of any machine are in `results/machines/` yet.\n".into();
    }
    let mut s = String::from("## The machines\n\n| Machine |");
    let mut rule = String::from("|---|");
    for r in runs {
        let _ = write!(s, " {} |", heading(&r.label));
        rule += "---|";
    }
    s += "\n";
    s += &rule;
    s += "\n";
    let cards: Vec<Vec<String>> = runs.iter().map(|r| card(&r.machine)).collect();
    for (i, row) in CARD.iter().enumerate() {
        let _ = write!(s, "| {row} |");
        for c in &cards {
            let _ = write!(s, " {} |", format::html(&c[i]));
        }
        s += "\n";
    }
    s += "| Results |";
    for r in runs {
        let _ = write!(s, " `{}` ({} chapters) |", r.dir, r.chapters.len());
    }
    s += "\n\n";
    if runs.iter().any(|r| r.card.is_some()) {
        s += "## Physical limits\n\nEach machine's card: its limits, measured by `scripts/card` \
              (`scripts/book.sh card`) once per machine and mode. A bandwidth or a latency is the best of \
              its runs, with their median beside it, as STREAM reports it; a durable write is a \
              percentile of single writes. The clock is the machine's measured clock above.\n\n";
        let columns: Vec<(String, Option<&Card>)> = runs
            .iter()
            .map(|r| (heading(&r.label), r.card.as_ref()))
            .collect();
        s += &card::table(&columns);
        s += "\n";
    }
    // Verdict counts per machine.
    s += "## Verdicts\n\n| Verdict |";
    for r in runs {
        let _ = write!(s, " {} |", heading(&r.label));
    }
    s += "\n";
    s += &rule;
    s += "\n";
    let names = ["hold", "do not hold", "not resolved", "not measured there"];
    for (k, name) in names.iter().enumerate() {
        let _ = write!(s, "| {name} |");
        for r in runs {
            let n = r
                .chapters
                .values()
                .flatten()
                .filter(|o| verdict_index(o) == k)
                .count();
            let _ = write!(s, " {n} |");
        }
        s += "\n";
    }
    s += "\n";
    for (ch, page) in chapter_order {
        if !runs.iter().any(|r| r.chapters.contains_key(ch)) {
            continue;
        }
        let n = ch.trim_start_matches("ch").trim_start_matches('0');
        let _ = write!(
            s,
            "## Chapter {n}\n\nThe claims of [chapter {n}]({page}.md), on each machine.\n\n| Claim |"
        );
        for r in runs {
            let _ = write!(s, " {} |", heading(&r.label));
        }
        s += "\n";
        s += &rule;
        s += "\n";
        // The claims in the order of the first machine that measured the chapter.
        let mut ids: Vec<(String, String)> = Vec::new();
        for r in runs {
            for o in r.chapters.get(ch).into_iter().flatten() {
                if !ids.iter().any(|(id, _)| id == &o.id) {
                    ids.push((o.id.clone(), o.text.clone()));
                }
            }
        }
        for (id, text) in ids {
            let _ = write!(s, "| {} |", text.replace('|', "\\|"));
            for r in runs {
                let cell = r
                    .chapters
                    .get(ch)
                    .and_then(|os| os.iter().find(|o| o.id == id))
                    .map_or("not measured".to_string(), |o| match o.verdict {
                        crate::claims::Verdict::SetAside(_) => o.verdict_cell(),
                        _ => format!("{} {}", o.verdict_cell(), o.measured_cell()),
                    });
                let _ = write!(s, " {} |", cell.replace('|', "\\|"));
            }
            s += "\n";
        }
        s += "\n";
    }
    s
}

/// A column heading: a machine id may break after each hyphen.
fn heading(label: &str) -> String {
    format::html(label).replace('-', "-<wbr>")
}

fn verdict_index(o: &Outcome) -> usize {
    use crate::claims::Verdict;
    match o.verdict {
        Verdict::Holds => 0,
        Verdict::Fails => 1,
        Verdict::NotResolved(_) => 2,
        Verdict::SetAside(_) => 3,
    }
}

/// Packs this machine's results (`results/local/`) for contribution: a folder
/// `results/machines/<id>/` below `target/book-pack/`, the same folder as one archive
/// (`<id>.tar.gz`), and the archive's SHA-256 beside it. Returns the archive's path.
pub fn pack(ws: &Workspace) -> Result<PathBuf> {
    let chapters = ws.chapters()?;
    let local = ws.local_results();
    let run = load_run(ws, &chapters, &local, "local", None)?.with_context(|| {
        format!(
            "{} holds no results: measure first (`scripts/book.sh --mode full`)",
            ws.rel(&local)
        )
    })?;
    let id = run.machine.id.clone();
    let out = ws.target_dir().join("book-pack");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    let dest = out.join("results/machines").join(&id);
    std::fs::create_dir_all(&dest)?;
    for ch in &chapters {
        let f = local.join(format!("{}.json", ch.package));
        if f.is_file() {
            std::fs::copy(&f, dest.join(format!("{}.json", ch.package)))?;
        }
    }
    if run.card.is_some() {
        std::fs::copy(local.join(card::FILE), dest.join(card::FILE))?;
    }
    let archive = out.join(format!("{id}.tar.gz"));
    let status = Command::new("tar")
        .current_dir(&out)
        .args([
            "--sort=name",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
            "-czf",
        ])
        .arg(&archive)
        .arg(format!("results/machines/{id}"))
        .status()
        .context("cannot run tar")?;
    if !status.success() {
        bail!("tar failed to write {}", archive.display());
    }
    let sum = Command::new("sha256sum")
        .current_dir(&out)
        .arg(format!("{id}.tar.gz"))
        .output()
        .context("cannot run sha256sum")?;
    if !sum.status.success() {
        bail!("sha256sum failed on {}", archive.display());
    }
    std::fs::write(out.join(format!("{id}.tar.gz.sha256")), &sum.stdout)?;
    eprintln!(
        "packed {} chapters of `{id}` ({} mode) into {}\nits SHA-256: {}",
        run.chapters.len(),
        run.machine.mode,
        ws.rel(&archive),
        String::from_utf8_lossy(&sum.stdout).trim()
    );
    Ok(archive)
}

/// The page "This machine" (`{{#this-machine}}`): the machine the pages' numbers come from,
/// its recorded facts, its cache sizes as reported beside the load latencies the card
/// measured, and its physical limits; `source` names the card's file.
pub fn this_machine(c: &Card, source: &str) -> String {
    let m = &c.machine;
    let mut s = format!(
        "The card in `{source}` was measured on `{}` in {} mode on {}, from commit {}{}.\n\n",
        m.id,
        m.mode,
        m.day(),
        m.short_commit(),
        if m.git_dirty {
            " (with uncommitted changes)"
        } else {
            ""
        }
    );
    s += "## The machine\n\n| Property | Value |\n|---|---|\n";
    for (row, value) in CARD.iter().zip(card(m)) {
        let _ = writeln!(s, "| {row} | {} |", format::html(&value));
    }
    s += "\n## Facts recorded with it\n\nEach was measured or read by the pipeline while the card was measured; \
          a fact it could not establish says so.\n\n| Fact | Value |\n|---|---|\n";
    for (fact, value) in facts(m) {
        let _ = writeln!(s, "| {fact} | {} |", format::html(&value));
    }
    s += "\n## Caches: reported and measured\n\nThe sizes the kernel reports for CPU 0, beside the card's \
          dependent-load latency at each working set (a random cycle through every line of the \
          buffer, best of its runs). A level ends where the latency steps up; which reported \
          level a working set fits in is in the last column.\n\n";
    s += &ladder(c);
    s += "\n## Physical limits\n\nA bandwidth or a latency is the best of its runs, with their median beside \
          it, as STREAM reports it; a durable write is a percentile of single writes. The load latencies are in the table above.\n\n";
    // The latencies are in the ladder above; the limits table holds the rest.
    let rest = Card {
        entries: c
            .entries
            .iter()
            .filter(|e| !e.id.starts_with("latency/"))
            .cloned()
            .collect(),
        ..c.clone()
    };
    s += &card::table(&[("This machine".to_string(), Some(&rest))]);
    s
}

/// The recorded facts of a machine, as rows; `not recorded` for results that predate them.
fn facts(m: &Machine) -> Vec<(&'static str, String)> {
    let none = || "not recorded".to_string();
    let Some(f) = &m.facts else {
        return vec![("Facts", "not recorded (these results predate them)".into())];
    };
    let ghz = |g: Option<f64>| g.map_or_else(none, |g| format!("{g:.2} GHz"));
    let clock = match f.clock_ghz {
        Some(g) => format!("{g:.2} GHz"),
        None => "not stated: the two chains disagree by more than 5%, or were not measured".into(),
    };
    let yes_no = |b: Option<bool>, yes: &str, no: &str| {
        b.map_or_else(none, |b| if b { yes.to_string() } else { no.to_string() })
    };
    vec![
        ("Core clock", clock),
        (
            "Clock from a chain of dependent `imul` (3 cycles each)",
            ghz(f.clock_imul_ghz),
        ),
        (
            "Clock from a chain of dependent `add reg, [mem]`",
            ghz(f.clock_add_ghz),
        ),
        (
            "Kernel tick rate (`CONFIG_HZ`)",
            f.tick_hz.map_or_else(none, |h| format!("{h} Hz")),
        ),
        ("Clock source", f.clocksource.clone().unwrap_or_else(none)),
        (
            "Transparent huge pages (enabled, defrag)",
            format!(
                "{}, {}",
                f.thp_enabled.clone().unwrap_or_else(none),
                f.thp_defrag.clone().unwrap_or_else(none)
            ),
        ),
        (
            "`perf_event_paranoid`",
            f.perf_event_paranoid.map_or_else(none, |p| p.to_string()),
        ),
        (
            "Hardware counters",
            yes_no(
                f.hardware_counters,
                "available",
                "not available (software events only)",
            ),
        ),
        (
            "Real-time priority (`SCHED_FIFO`)",
            yes_no(f.realtime_allowed, "granted", "refused"),
        ),
        (
            "Real-time share of each period",
            crate::render::rt_share(f)
                .map(|s| s.trim_start_matches("real-time share").trim().to_string())
                .unwrap_or_else(none),
        ),
    ]
}

/// The card's load-latency ladder beside the reported cache sizes.
fn ladder(c: &Card) -> String {
    let m = &c.machine;
    let levels: Vec<(&str, u64)> = ["l1d", "l2", "l3"]
        .into_iter()
        .filter_map(|k| m.caches.get(k).map(|b| (k, *b)))
        .collect();
    let mut s = String::from(
        "| Working set | 4 KiB pages | huge pages asked for | Fits in (reported) |\n|--:|--:|--:|---|\n",
    );
    let sizes: Vec<u64> = c
        .entries
        .iter()
        .filter_map(|e| e.id.strip_prefix("latency/base/kib")?.parse().ok())
        .collect();
    for kib in sizes {
        let bytes = kib * 1024;
        let get = |pages: &str| {
            c.get(&format!("latency/{pages}/kib{kib}"))
                .map_or("–".to_string(), card::cell)
        };
        let fits = levels.iter().find(|(_, size)| bytes <= *size).map_or_else(
            || "none: beyond the last level".to_string(),
            |(k, size)| {
                format!(
                    "{} ({})",
                    k.to_uppercase().replace('D', "d"),
                    human_bytes(*size)
                )
            },
        );
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            human_bytes(bytes),
            format::html(&get("base")),
            format::html(&get("huge")),
            fits
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Facts;

    #[test]
    fn the_cards_clock_is_measured_not_determined_or_not_recorded() {
        let clock_row = CARD.iter().position(|r| r.starts_with("Clock")).unwrap();
        let with = |f: Option<Facts>| {
            let mut m = Machine::example();
            m.facts = f;
            card(&m)[clock_row].clone()
        };
        let chains = |c: Option<f64>| Facts {
            clock_ghz: c,
            clock_imul_ghz: Some(2.97),
            clock_add_ghz: Some(2.74),
            ..Facts::default()
        };
        assert_eq!(with(Some(chains(Some(2.97)))), "2.97 GHz");
        assert_eq!(
            with(Some(chains(None))),
            "not determined (imul chain 2.97 GHz, add chain 2.74 GHz)"
        );
        assert_eq!(with(None), "not recorded");
    }
}
