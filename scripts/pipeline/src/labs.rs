//! The labs (`labs/`): their declarations (`labs/labs.toml`), the grader, and the table the
//! book shows of them.
//!
//! Grading one directory of lab files runs, with `LABS_DIR` pointing at it, the probe
//! (`cargo bench -p labs --bench probe`: correctness checks, allocations, wall-clock time for
//! information) and the instruction-count harness (`--bench grade`, under callgrind with
//! simulated caches and branch predictor), then holds each lab's counts to its target.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::collect;
use crate::workspace::Workspace;

/// Every lab, as `labs/labs.toml` declares them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labs {
    /// The labs, in order.
    pub lab: Vec<Lab>,
}

/// One lab.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// `labNN`: its file is `labNN.rs`.
    pub id: String,
    /// One unit of its work (an element, a particle), as the probe names it.
    pub unit: String,
    /// The chapter it practises, as its page is named (`ch05-caches`).
    pub chapter: String,
    /// A title.
    pub title: String,
    /// What it teaches, in a sentence.
    pub teaches: String,
    /// What a student should know first.
    pub prerequisites: String,
    /// Expected time, in minutes.
    pub minutes: u32,
    /// The anchor of the chapter's section it practises.
    pub section: String,
    /// Callgrind events whose sum is graded.
    pub counts: Vec<String>,
    /// What the sum is divided by.
    pub per: Per,
    /// A bound: `<=` or `>=` ...
    #[serde(default)]
    pub op: Option<String>,
    /// ... this value;
    #[serde(default)]
    pub value: Option<f64>,
    /// or a band the value must lie in.
    #[serde(default)]
    pub between: Option<[f64; 2]>,
    /// What to look at when the target is missed.
    pub hint: String,
}

/// What a lab's count is divided by.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    /// The units of work of one call (elements, particles): a count per unit.
    Unit,
    /// The same count of the starting code, in the same run.
    Start,
    /// The same count of the lab's reference benchmark, in the same run.
    Reference,
}

/// A lab's target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// At most this.
    AtMost(f64),
    /// At least this.
    AtLeast(f64),
    /// In this closed band.
    Between(f64, f64),
}

impl Target {
    /// Whether `x` meets it.
    pub fn met(self, x: f64) -> bool {
        match self {
            Target::AtMost(v) => x <= v,
            Target::AtLeast(v) => x >= v,
            Target::Between(lo, hi) => lo <= x && x <= hi,
        }
    }

    fn show(self) -> String {
        // A target is written in labs/labs.toml; it is shown as written there.
        match self {
            Target::AtMost(v) => format!("≤ {v}"),
            Target::AtLeast(v) => format!("≥ {v}"),
            Target::Between(lo, hi) => format!("between {lo} and {hi}"),
        }
    }
}

fn num(x: f64) -> String {
    if x == 0.0 || x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else if x.abs() < 0.01 {
        format!("{x:.1e}")
    } else {
        format!("{:.3}", x)
    }
}

impl Lab {
    /// Its target, checked for consistency.
    pub fn target(&self) -> Result<Target> {
        match (&self.op, self.value, self.between) {
            (Some(op), Some(v), None) => match op.as_str() {
                "<=" => Ok(Target::AtMost(v)),
                ">=" => Ok(Target::AtLeast(v)),
                _ => bail!("lab {}: op `{op}` is neither `<=` nor `>=`", self.id),
            },
            (None, None, Some([lo, hi])) if lo < hi => Ok(Target::Between(lo, hi)),
            _ => bail!(
                "lab {}: give either `op` and `value`, or `between = [low, high]` with low < high",
                self.id
            ),
        }
    }

    /// What the graded number is, in words.
    pub fn measure(&self, unit: &str) -> String {
        let events = self
            .counts
            .iter()
            .map(|e| event_name(e))
            .collect::<Vec<_>>()
            .join(" + ");
        match self.per {
            Per::Unit => format!("{events} per {unit}"),
            Per::Start => format!("{events}, as a fraction of the starting code's"),
            Per::Reference => format!("{events}, as a fraction of a correct measurement's"),
        }
    }
}

/// A callgrind event in words.
fn event_name(e: &str) -> String {
    match e {
        "Ir" => "instructions".into(),
        "D1mr" => "L1 data read misses".into(),
        "D1mw" => "L1 data write misses".into(),
        "Bcm" => "mispredicted conditional branches".into(),
        "Bim" => "mispredicted indirect branches".into(),
        other => other.into(),
    }
}

/// Events the grade harness's callgrind run records.
const EVENTS: [&str; 13] = [
    "Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw", "Bc", "Bcm", "Bi", "Bim",
];

impl Labs {
    /// Reads and checks `labs/labs.toml`.
    pub fn load(ws: &Workspace) -> Result<Labs> {
        let path = ws.root.join("labs/labs.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let labs: Labs =
            toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
        for (i, lab) in labs.lab.iter().enumerate() {
            let want = format!("lab{:02}", i + 1);
            if lab.id != want {
                bail!(
                    "{}: lab {} is `{}`; the labs are numbered in order, so it must be `{want}`",
                    path.display(),
                    i + 1,
                    lab.id
                );
            }
            lab.target().with_context(|| path.display().to_string())?;
            if lab.counts.is_empty() {
                bail!("{}: lab {} grades no count", path.display(), lab.id);
            }
            for e in &lab.counts {
                if !EVENTS.contains(&e.as_str()) {
                    bail!(
                        "{}: lab {} counts `{e}`, which callgrind does not record here (one of {EVENTS:?})",
                        path.display(),
                        lab.id
                    );
                }
            }
            let page = ws.root.join("src").join(format!("{}.md", lab.chapter));
            if !page.is_file() {
                bail!(
                    "{}: lab {} practises `{}`, which has no page src/{}.md",
                    path.display(),
                    lab.id,
                    lab.chapter,
                    lab.chapter
                );
            }
            let headings = std::fs::read_to_string(&page)?;
            if !headings.lines().any(|l| {
                l.starts_with('#') && anchor(l.trim_start_matches('#').trim()) == lab.section
            }) {
                bail!(
                    "{}: lab {} links to section `{}` of src/{}.md, which has no heading with that anchor",
                    path.display(),
                    lab.id,
                    lab.section,
                    lab.chapter
                );
            }
        }
        Ok(labs)
    }
}

/// mdBook's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens.
pub fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_ascii_lowercase())
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The list of labs the book's labs page shows: what each teaches, what it needs, how long it
/// takes and what it is graded on.
pub fn table(labs: &Labs) -> String {
    let mut s = String::new();
    for lab in &labs.lab {
        let n = lab.id.trim_start_matches("lab").trim_start_matches('0');
        let ch = lab.chapter.split('-').next().unwrap_or(&lab.chapter);
        let _ = writeln!(
            s,
            "{n}. **[{}](labs/{}.md)**, practising [chapter {}]({}.md#{}). {} *Prerequisites:* {} *Expected time:* {} minutes. *Graded on* {}; *target* {}.\n",
            lab.title,
            lab.id,
            ch.trim_start_matches("ch").trim_start_matches('0'),
            lab.chapter,
            lab.section,
            lab.teaches,
            lab.prerequisites,
            lab.minutes,
            lab.measure(&lab.unit),
            lab.target().map(Target::show).unwrap_or_default()
        );
    }
    s
}

/// A lab's page line that states what it is graded on and its target.
pub fn target_line(lab: &Lab) -> String {
    format!(
        "**Graded on** {} under callgrind; **target** {}.",
        lab.measure(&lab.unit),
        lab.target().map(Target::show).unwrap_or_default()
    )
}

/// What grading one lab of one submission found.
#[derive(Debug)]
pub struct Grade {
    /// The lab.
    pub id: String,
    /// What the correctness checks found wrong (empty when it is correct).
    pub wrong: Vec<String>,
    /// The graded number, when it was counted.
    pub value: Option<f64>,
    /// The starting code's same number.
    pub start_value: Option<f64>,
    /// Whether the number meets the target (false when wrong).
    pub passed: bool,
    /// The report printed for it.
    pub report: String,
}

/// What the probe printed.
#[derive(Debug, Default)]
struct Probe {
    units: BTreeMap<String, (f64, String)>,
    fails: BTreeMap<String, Vec<String>>,
    allocs: BTreeMap<(String, String), u64>,
    nanos: BTreeMap<(String, String), u64>,
}

fn parse_probe(text: &str) -> Result<Probe> {
    let mut p = Probe::default();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["from", _] => {}
            ["units", lab, n, unit] => {
                p.units
                    .insert(lab.to_string(), (n.parse()?, unit.to_string()));
            }
            ["fail", lab, what] => p
                .fails
                .entry(lab.to_string())
                .or_default()
                .push(what.to_string()),
            ["allocs", lab, which, n] => {
                p.allocs
                    .insert((lab.to_string(), which.to_string()), n.parse()?);
            }
            ["nanos", lab, which, n] => {
                p.nanos
                    .insert((lab.to_string(), which.to_string()), n.parse()?);
            }
            _ => {}
        }
    }
    Ok(p)
}

/// Options of a grading run.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Time both versions for information.
    pub wall: bool,
    /// List the functions with the largest counts for a lab that misses its target.
    pub profile: bool,
}

/// Runs `cargo bench -p labs --bench <bench>` with `LABS_DIR=dir`, returning its stdout.
fn bench(ws: &Workspace, dir: &Path, bench: &str, wall: bool) -> Result<String> {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&ws.root)
        .args(["bench", "-p", "labs", "--bench", bench, "--quiet"])
        .env("LABS_DIR", dir)
        .env("LABS_WALL", if wall { "1" } else { "0" })
        .env("GUNGRAUN_SAVE_SUMMARY", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let out = cmd.output().context("cannot start cargo")?;
    if !out.status.success() {
        bail!(
            "`cargo bench -p labs --bench {bench}` with LABS_DIR={} failed (its errors are above): a lab file that does not compile, or a panic outside the checks",
            dir.display()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Grades the lab files in `dir` (a lab file it lacks is the starting code's), every lab, or
/// those in `only`. Prints a report per lab.
pub fn grade(ws: &Workspace, dir: &Path, only: &[String], opts: Options) -> Result<Vec<Grade>> {
    let labs = Labs::load(ws)?;
    for id in only {
        if !labs.lab.iter().any(|l| &l.id == id) {
            bail!(
                "there is no lab `{id}` (labs/labs.toml has lab01 to lab{:02})",
                labs.lab.len()
            );
        }
    }
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()?.join(dir)
    };
    if !dir.is_dir() {
        bail!(
            "{} is not a directory of lab files: run `scripts/lab.sh start` to copy the starting code into labs/mine/, or give --dir",
            dir.display()
        );
    }
    eprintln!("grading the labs in {}", ws.rel(&dir));
    let probe = parse_probe(&bench(ws, &dir, "probe", opts.wall)?)?;
    let out_dir = ws.target_dir().join("gungraun/labs/grade");
    if out_dir.exists() {
        std::fs::remove_dir_all(&out_dir)
            .with_context(|| format!("cannot clear {}", out_dir.display()))?;
    }
    bench(ws, &dir, "grade", false)?;
    let counts = collect::gungraun_dir(&out_dir)?;
    let mut grades = Vec::new();
    for lab in &labs.lab {
        if !only.is_empty() && !only.contains(&lab.id) {
            continue;
        }
        grades.push(grade_one(lab, &dir, &probe, &counts, &out_dir, opts)?);
    }
    for g in &grades {
        eprintln!("{}", g.report);
    }
    Ok(grades)
}

fn grade_one(
    lab: &Lab,
    dir: &Path,
    probe: &Probe,
    counts: &BTreeMap<String, BTreeMap<String, f64>>,
    out_dir: &Path,
    opts: Options,
) -> Result<Grade> {
    let target = lab.target()?;
    let id = &lab.id;
    let sum = |which: &str| -> Result<f64> {
        let key = format!("{id}/{id}_{which}/run");
        let m = counts.get(&key).with_context(|| {
            format!(
                "{}: no callgrind summary for {key}: labs/benches/grade.rs must measure it",
                out_dir.display()
            )
        })?;
        lab.counts
            .iter()
            .map(|e| {
                m.get(e).copied().with_context(|| {
                    format!("{key}: callgrind recorded no `{e}` (is the simulation on?)")
                })
            })
            .sum()
    };
    let (units, unit) = probe
        .units
        .get(id)
        .cloned()
        .with_context(|| format!("the probe reported no units for {id}"))?;
    if unit != lab.unit {
        bail!(
            "labs/labs.toml names the unit of {id} `{}`, and labs/benches/probe.rs `{unit}`: make them agree",
            lab.unit
        );
    }
    let mine = sum("mine")?;
    let start = sum("start")?;
    let value_of = |x: f64| -> Result<f64> {
        Ok(match lab.per {
            Per::Unit => x / units,
            Per::Start => x / start,
            Per::Reference => x / sum("reference")?,
        })
    };
    let value = value_of(mine)?;
    let start_value = value_of(start)?;
    let wrong = probe.fails.get(id).cloned().unwrap_or_default();
    let passed = wrong.is_empty() && target.met(value);
    let chapter = lab.chapter.split('-').next().unwrap_or(&lab.chapter);
    let file = dir.join(format!("{id}.rs"));
    let from = if file.is_file() {
        file.display().to_string()
    } else {
        format!("{} is absent: the starting code", file.display())
    };
    let mut r = String::new();
    let verdict = if !wrong.is_empty() {
        "WRONG"
    } else if passed {
        "PASS"
    } else {
        "NOT YET"
    };
    let _ = writeln!(r, "\n{id} · {} · {verdict}", lab.title);
    let _ = writeln!(r, "  file: {from}");
    if wrong.is_empty() {
        let _ = writeln!(r, "  correctness: every check passes");
    } else {
        let _ = writeln!(r, "  correctness: {} check(s) fail", wrong.len());
        for w in wrong.iter().take(5) {
            let _ = writeln!(r, "    - {w}");
        }
    }
    let _ = writeln!(
        r,
        "  {}: {} (target {}; the starting code: {})",
        lab.measure(&unit),
        num(value),
        target.show(),
        num(start_value)
    );
    if let (Some(m), Some(s)) = (
        probe.allocs.get(&(id.clone(), "mine".into())),
        probe.allocs.get(&(id.clone(), "start".into())),
    ) {
        let _ = writeln!(
            r,
            "  allocations per call (not graded): {m} (the starting code: {s})"
        );
    }
    if let (Some(&m), Some(&s)) = (
        probe.nanos.get(&(id.clone(), "mine".into())),
        probe.nanos.get(&(id.clone(), "start".into())),
    ) && m > 0
    {
        let _ = writeln!(
            r,
            "  wall clock, for information only (median of interleaved runs, not graded): {:.2}× the starting code's speed",
            s as f64 / m as f64
        );
    }
    if !passed {
        let _ = writeln!(r, "  look at: {}", lab.hint);
        let _ = writeln!(
            r,
            "  read: chapter {}, src/{}.md#{}",
            chapter.trim_start_matches("ch").trim_start_matches('0'),
            lab.chapter,
            lab.section
        );
        if opts.profile
            && wrong.is_empty()
            && let Some(top) = top_functions(out_dir, id, &lab.counts[0])
        {
            let _ = writeln!(r, "  where your {} go:", event_name(&lab.counts[0]));
            for line in top {
                let _ = writeln!(r, "    {line}");
            }
        }
    }
    Ok(Grade {
        id: id.clone(),
        wrong,
        value: Some(value),
        start_value: Some(start_value),
        passed,
        report: r,
    })
}

/// The functions with the largest `event` counts in the graded version's callgrind profile,
/// from `callgrind_annotate`, as "share  function (file)".
fn top_functions(out_dir: &Path, id: &str, event: &str) -> Option<Vec<String>> {
    let run = out_dir.join(id).join(format!("{id}_mine.run"));
    let file: PathBuf = std::fs::read_dir(&run)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "out"))?;
    let out = Command::new("callgrind_annotate")
        .args([
            "--inclusive=no",
            &format!("--show={event}"),
            &format!("--sort={event}"),
        ])
        .arg(&file)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = Vec::new();
    for line in text
        .lines()
        .skip_while(|l| !l.contains("file:function"))
        .skip(2)
    {
        let line = line.trim();
        if line.is_empty() || line.starts_with('-') {
            break;
        }
        let Some(open) = line.find('(') else { continue };
        let Some(close) = line.find(')') else {
            continue;
        };
        let share = line[open + 1..close].trim();
        let rest = line[close + 1..].trim();
        let (path, function) = rest.split_once(':').unwrap_or(("", rest));
        let function = function.split(" [").next().unwrap_or(function);
        let file = Path::new(path)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        lines.push(format!("{share:>7}  {function} ({file})"));
        if lines.len() == 5 {
            break;
        }
    }
    (!lines.is_empty()).then_some(lines)
}

/// Copies every lab's starting code into `labs/mine/`, keeping any file already there.
pub fn start(ws: &Workspace) -> Result<()> {
    let labs = Labs::load(ws)?;
    let mine = ws.root.join("labs/mine");
    std::fs::create_dir_all(&mine)?;
    for lab in &labs.lab {
        let to = mine.join(format!("{}.rs", lab.id));
        if to.exists() {
            eprintln!("kept   {}", ws.rel(&to));
            continue;
        }
        let from = ws.root.join("labs/starter").join(format!("{}.rs", lab.id));
        std::fs::copy(&from, &to)
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
        eprintln!("copied {}", ws.rel(&to));
    }
    eprintln!(
        "edit the files in labs/mine/, then grade them: scripts/lab.sh grade (or grade lab05)"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_mdbooks() {
        assert_eq!(
            anchor("Experiment 3: transposing a matrix"),
            "experiment-3-transposing-a-matrix"
        );
        assert_eq!(
            anchor("Instrumentation: callgrind"),
            "instrumentation-callgrind"
        );
        assert_eq!(
            anchor("Experiment 1: array of structures, structure of arrays"),
            "experiment-1-array-of-structures-structure-of-arrays"
        );
    }

    #[test]
    fn targets_hold_at_their_bounds_and_fail_past_them() {
        assert!(Target::AtMost(0.5).met(0.5) && !Target::AtMost(0.5).met(0.51));
        assert!(Target::AtLeast(2.0).met(2.0) && !Target::AtLeast(2.0).met(1.9));
        let band = Target::Between(0.95, 1.05);
        assert!(band.met(1.0) && !band.met(0.9) && !band.met(1.1));
    }

    #[test]
    fn the_probe_output_is_read_field_by_field() {
        let p = parse_probe("from\t/x\nunits\tlab05\t262144\telement\nfail\tlab03\twrong order\nallocs\tlab05\tmine\t0\nnanos\tlab05\tstart\t12\n").unwrap();
        assert_eq!(p.units["lab05"], (262144.0, "element".to_string()));
        assert_eq!(p.fails["lab03"], ["wrong order"]);
        assert_eq!(p.allocs[&("lab05".into(), "mine".into())], 0);
        assert_eq!(p.nanos[&("lab05".into(), "start".into())], 12);
    }
}
