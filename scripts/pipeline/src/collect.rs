//! Collect: criterion's and gungraun's output for one chapter, the custom measurements its
//! benchmarks recorded and the case list its wall harness wrote, into one [`Results`].
//!
//! This is the only module that knows the harnesses' formats. Criterion writes
//! `<CRITERION_HOME>/<group>/<function>/<case>/new/{benchmark,estimates,sample}.json` (pinned at
//! criterion 0.8.2). Gungraun writes `target/gungraun/<package>/<bench>/<group>/<function>.<id>/summary.json`
//! (schema 7, gungraun 0.20.0) when `GUNGRAUN_SAVE_SUMMARY=json` is set. `benchkit::custom`
//! writes `<BOOK_CUSTOM_DIR>/<group>/<function>/<case>.json` (a [`bookproto::RecordFile`]), and
//! `benchkit::main!` the case list (a [`bookproto::Manifest`]) to `BOOK_CASES_FILE`.
//!
//! Every id comes from exactly one place: an id that two bench targets (or two files) measure
//! stops collection naming both, and every measured id must be a case of the list.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::Value;

use std::path::PathBuf;

use bookproto::{Harnesses, Manifest, Record, RecordFile};

use crate::fsutil::list_files;
use crate::machine::Machine;
use crate::results::{Bench, Results, SCHEMA_VERSION, Wall};
use crate::workspace::{ChapterDirs, Harness, Target};

/// Inserts `id` into `map`, refusing one that is already there and naming both sources.
fn insert_unique<T>(
    map: &mut BTreeMap<String, (T, PathBuf)>,
    id: String,
    value: T,
    from: &Path,
) -> Result<()> {
    if let Some((_, first)) = map.get(&id) {
        bail!(
            "benchmark `{id}` is measured twice: by {} and by {}. Two bench targets (or cases) register the same id; give each its own (name the allocator, the variant) in the chapter's case list",
            first.display(),
            from.display()
        );
    }
    map.insert(id, (value, from.to_path_buf()));
    Ok(())
}

fn strip<T>(m: BTreeMap<String, (T, PathBuf)>) -> BTreeMap<String, T> {
    m.into_iter().map(|(k, (v, _))| (k, v)).collect()
}

#[derive(Deserialize)]
struct CriterionBenchmark {
    full_id: String,
    #[serde(default)]
    throughput: Option<Value>,
}

/// Bytes per iteration from criterion's serialized `Throughput`: `{"Bytes": n}`,
/// `{"BytesDecimal": n}` or `{"ElementsAndBytes": {"elements": e, "bytes": n}}`.
fn throughput_bytes(t: &Option<Value>) -> Option<u64> {
    let t = t.as_ref()?;
    t.get("Bytes")
        .or_else(|| t.get("BytesDecimal"))
        .or_else(|| t.get("ElementsAndBytes").and_then(|e| e.get("bytes")))
        .and_then(Value::as_u64)
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: Interval,
}

#[derive(Deserialize)]
struct Interval {
    lower_bound: f64,
    upper_bound: f64,
}

#[derive(Deserialize)]
struct Estimates {
    mean: Estimate,
    median: Estimate,
    std_dev: Estimate,
    median_abs_dev: Estimate,
}

#[derive(Deserialize)]
struct Sample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not criterion 0.8 output this pipeline understands: delete the directory and run the benchmark again",
            path.display()
        )
    })
}

/// Reads every benchmark below a criterion output directory.
pub fn criterion_dir(dir: &Path) -> Result<BTreeMap<String, Wall>> {
    Ok(strip(criterion_sourced(dir)?))
}

fn criterion_sourced(dir: &Path) -> Result<BTreeMap<String, (Wall, PathBuf)>> {
    let mut out = BTreeMap::new();
    for rel in list_files(dir)? {
        if !rel.ends_with("new/benchmark.json") {
            continue;
        }
        let new = dir.join(&rel).parent().expect("has parent").to_path_buf();
        let b: CriterionBenchmark = read_json(&new.join("benchmark.json"))?;
        let e: Estimates = read_json(&new.join("estimates.json"))?;
        let s: Sample = read_json(&new.join("sample.json"))?;
        if s.iters.len() != s.times.len() || s.iters.is_empty() {
            bail!(
                "{}: `iters` and `times` differ in length or are empty: run the benchmark again",
                new.join("sample.json").display()
            );
        }
        let samples = s.iters.iter().zip(&s.times).map(|(i, t)| t / i).collect();
        insert_unique(
            &mut out,
            b.full_id,
            Wall {
                median: e.median.point_estimate,
                median_lo: e.median.confidence_interval.lower_bound,
                median_hi: e.median.confidence_interval.upper_bound,
                mean: e.mean.point_estimate,
                std_dev: e.std_dev.point_estimate,
                mad: e.median_abs_dev.point_estimate,
                samples,
                iterations: s.iters.iter().sum::<f64>() as u64,
                bytes: throughput_bytes(&b.throughput),
                rounds: Vec::new(),
            },
            &new,
        )?;
    }
    Ok(out)
}

/// A metric value in a gungraun summary: a plain number, or `{"Int": n}` / `{"Float": x}`.
fn metric_value(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Object(m) => m.values().next().and_then(metric_value),
        _ => None,
    }
}

/// Reads every `summary.json` below a gungraun output directory.
pub fn gungraun_dir(dir: &Path) -> Result<BTreeMap<String, BTreeMap<String, f64>>> {
    Ok(strip(gungraun_sourced(dir)?))
}

type Counts = BTreeMap<String, f64>;

fn gungraun_sourced(dir: &Path) -> Result<BTreeMap<String, (Counts, PathBuf)>> {
    let mut out = BTreeMap::new();
    for rel in list_files(dir)? {
        if !rel.ends_with("summary.json") {
            continue;
        }
        let path = dir.join(&rel);
        let v: Value = read_json(&path)?;
        let bad = || {
            format!(
                "{} is not a gungraun 0.20 summary (schema 7) with callgrind totals: delete it and run the benchmark again",
                path.display()
            )
        };
        if v.get("version").and_then(Value::as_str) != Some("7") {
            bail!(bad());
        }
        let group = v.get("group").and_then(Value::as_str).with_context(bad)?;
        let function = v
            .get("function_name")
            .and_then(Value::as_str)
            .with_context(bad)?;
        let id = v.get("id").and_then(Value::as_str).with_context(|| {
            format!(
                "{}: benchmark `{group}/{function}` has no id: give every gungraun benchmark one with `#[bench::<case>(...)]`, named as the case list names it",
                path.display()
            )
        })?;
        let profile = v
            .get("profiles")
            .and_then(Value::as_array)
            .and_then(|p| {
                p.iter()
                    .find(|p| p.get("tool").and_then(Value::as_str) == Some("Callgrind"))
            })
            .with_context(bad)?;
        let metrics = profile
            .pointer("/data/total/metrics")
            .and_then(Value::as_object)
            .with_context(bad)?;
        let mut m = BTreeMap::new();
        for (name, val) in metrics {
            if let Some(x) = val.pointer("/values/new").and_then(metric_value) {
                m.insert(name.clone(), x);
            }
        }
        if !m.contains_key("Ir") {
            bail!(bad());
        }
        insert_unique(&mut out, format!("{group}/{function}/{id}"), m, &path)?;
    }
    Ok(out)
}

/// Reads every custom measurement below a `BOOK_CUSTOM_DIR` (absent: none).
pub fn custom_dir(dir: &Path) -> Result<BTreeMap<String, Record>> {
    Ok(strip(custom_sourced(dir)?))
}

fn custom_sourced(dir: &Path) -> Result<BTreeMap<String, (Record, PathBuf)>> {
    let mut out = BTreeMap::new();
    for rel in list_files(dir)? {
        let path = dir.join(&rel);
        let fix = "delete it and run the benchmark again; benchkit::custom::record writes `{\"id\": \"group/function/case\", \"metrics\": {\"name\": number, ...}}`";
        if rel.extension().and_then(|e| e.to_str()) != Some("json") {
            bail!(
                "{} is not a custom measurement (not a .json file): {fix}",
                path.display()
            );
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let r: RecordFile = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a custom measurement this pipeline understands: {fix}",
                path.display()
            )
        })?;
        let expected = rel.with_extension("").to_string_lossy().replace('\\', "/");
        if r.id.to_string() != expected {
            bail!(
                "{} records `{}` but its path says `{expected}`: {fix}",
                path.display(),
                r.id
            );
        }
        if let Some(problem) = r.record.problem() {
            bail!("{}: {problem}: {fix}", path.display());
        }
        insert_unique(&mut out, r.id.to_string(), r.record, &path)?;
    }
    Ok(out)
}

/// Reads every text artifact below a `BOOK_ARTIFACT_DIR` (absent: none), by file name.
pub fn artifact_dir(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for rel in list_files(dir)? {
        let path = dir.join(&rel);
        let name = rel.to_string_lossy().replace('\\', "/");
        if name.contains('/') {
            bail!(
                "{} is in a subdirectory, where benchkit::custom::artifact never writes: delete it and run the benchmark again",
                path.display()
            );
        }
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read artifact {} as UTF-8 text: delete it and run the benchmark again",
                path.display()
            )
        })?;
        if text.trim().is_empty() {
            bail!(
                "artifact {} is empty: the benchmark that writes it failed to record anything; run it again and read its output",
                path.display()
            );
        }
        out.insert(name, text);
    }
    Ok(out)
}

/// Reads the case lists the wall targets wrote and merges them, refusing an id two targets
/// declare.
pub fn manifests(dirs: &ChapterDirs, targets: &[Target]) -> Result<Manifest> {
    let mut seen: BTreeMap<String, (bookproto::Case, PathBuf)> = BTreeMap::new();
    for t in targets.iter().filter(|t| t.harness == Harness::Wall) {
        let path = dirs.cases(&t.name);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "bench target `{}` wrote no case list to {}: its main must be `benchkit::main!(cases = ...; targets = ...)`",
                t.name,
                path.display()
            )
        })?;
        let m: Manifest = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a case list written by benchkit::main!: run the benchmarks again",
                path.display()
            )
        })?;
        for c in m.cases {
            insert_unique(&mut seen, c.id.to_string(), c, &path)?;
        }
    }
    Ok(Manifest {
        cases: seen.into_values().map(|(c, _)| c).collect(),
    })
}

/// What one run of a chapter produced, read from its output directories.
pub struct Raw {
    /// Criterion's estimates by id.
    pub walls: BTreeMap<String, Wall>,
    /// Callgrind's counts by id.
    pub instrs: BTreeMap<String, Counts>,
    /// Custom records by id.
    pub customs: BTreeMap<String, Record>,
}

/// Reads a chapter's raw output: every criterion and custom directory of its targets and
/// gungraun's directory, refusing an id measured in two places.
pub fn raw(dirs: &ChapterDirs, targets: &[Target]) -> Result<Raw> {
    let mut walls = BTreeMap::new();
    let mut customs = BTreeMap::new();
    for t in targets {
        let mut rounds = vec![criterion_sourced(&dirs.criterion(&t.name))?];
        for k in 1.. {
            let dir = dirs.criterion_round(&t.name, k);
            if !dir.exists() {
                break;
            }
            rounds.push(criterion_sourced(&dir)?);
        }
        for (id, (w, from)) in merge_rounds(&t.name, rounds, |k| {
            if k == 0 {
                dirs.criterion(&t.name)
            } else {
                dirs.criterion_round(&t.name, k)
            }
        })? {
            insert_unique(&mut walls, id, w, &from)?;
        }
        for (id, (r, from)) in custom_sourced(&dirs.custom(&t.name))? {
            insert_unique(&mut customs, id, r, &from)?;
        }
    }
    Ok(Raw {
        walls: strip(walls),
        instrs: gungraun_dir(&dirs.gungraun)?,
        customs: strip(customs),
    })
}

/// Joins the rounds of one wall target into one estimate per benchmark: every round must have
/// measured the same benchmarks. A single round is returned as it is. Of several, the samples
/// are pooled (median, mean, deviations are of all of them), the round medians are kept in
/// `rounds`, and the interval of the median spans every round's interval and every round's
/// median, so that an error bar is never narrower than the spread between rounds.
fn merge_rounds(
    target: &str,
    mut rounds: Vec<BTreeMap<String, (Wall, PathBuf)>>,
    dir_of: impl Fn(usize) -> PathBuf,
) -> Result<BTreeMap<String, (Wall, PathBuf)>> {
    if rounds.len() == 1 {
        return Ok(rounds.pop().expect("one round"));
    }
    let first: Vec<String> = rounds[0].keys().cloned().collect();
    for (k, r) in rounds.iter().enumerate().skip(1) {
        let ids: Vec<String> = r.keys().cloned().collect();
        if ids != first {
            let only = |a: &[String], b: &[String]| -> Vec<String> {
                a.iter().filter(|x| !b.contains(x)).cloned().collect()
            };
            bail!(
                "bench target `{target}`: round {} ({}) measured other benchmarks than round 1 ({}): only in round 1: [{}], only in round {}: [{}]. A harness must register the same criterion benchmarks in every round; run the chapter again",
                k + 1,
                dir_of(k).display(),
                dir_of(0).display(),
                only(&first, &ids).join(", "),
                k + 1,
                only(&ids, &first).join(", ")
            );
        }
    }
    let mut out = BTreeMap::new();
    for id in first {
        let parts: Vec<&(Wall, PathBuf)> = rounds.iter().map(|r| &r[&id]).collect();
        let bytes = parts[0].0.bytes;
        if parts.iter().any(|(w, _)| w.bytes != bytes) {
            bail!(
                "benchmark `{id}` declares different bytes per iteration in different rounds ({}): its throughput must not depend on the round",
                parts
                    .iter()
                    .map(|(_, p)| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let walls: Vec<&Wall> = parts.iter().map(|(w, _)| w).collect();
        out.insert(id, (pool(&walls), parts[0].1.clone()));
    }
    Ok(out)
}

/// One estimate from the rounds of a benchmark (see [`merge_rounds`]).
pub fn pool(rounds: &[&Wall]) -> Wall {
    let samples: Vec<f64> = rounds
        .iter()
        .flat_map(|w| w.samples.iter().copied())
        .collect();
    let median = bookproto::median(&samples);
    let n = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / n;
    let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    let deviations: Vec<f64> = samples.iter().map(|x| (x - median).abs()).collect();
    let lo = rounds
        .iter()
        .map(|w| w.median_lo.min(w.median))
        .fold(f64::INFINITY, f64::min);
    let hi = rounds
        .iter()
        .map(|w| w.median_hi.max(w.median))
        .fold(f64::NEG_INFINITY, f64::max);
    Wall {
        median,
        median_lo: lo.min(median),
        median_hi: hi.max(median),
        mean,
        std_dev: var.sqrt(),
        // Criterion's scaling, so that a pooled MAD reads like a round's.
        mad: 1.4826 * bookproto::median(&deviations),
        samples,
        iterations: rounds.iter().map(|w| w.iterations).sum(),
        bytes: rounds[0].bytes,
        rounds: rounds.iter().map(|w| w.median).collect(),
    }
}

/// Joins a run's raw output with the chapter's case list into one results value. Every
/// measured id must be a case of the list; every case the list gives a harness that ran must
/// have been measured by it; each case's parameters and one-sidedness travel with it.
pub fn assemble(
    chapter: &str,
    raw: Raw,
    cases: &Manifest,
    ran_wall: bool,
    machine: Machine,
) -> Result<Results> {
    let Raw {
        walls,
        instrs,
        customs,
    } = raw;
    if walls.is_empty() && instrs.is_empty() && customs.is_empty() {
        bail!(
            "no benchmark output for {chapter}: run `scripts/book.sh --chapters {chapter}` (or `cargo bench -p {chapter}` with GUNGRAUN_SAVE_SUMMARY=json)"
        );
    }
    let mut benchmarks: BTreeMap<String, Bench> = BTreeMap::new();
    for (id, w) in walls {
        benchmarks.entry(id).or_default().wall = Some(w);
    }
    for (id, m) in instrs {
        benchmarks.entry(id).or_default().instr = Some(m);
    }
    for (id, r) in customs {
        let b = benchmarks.entry(id).or_default();
        if !r.metrics.is_empty() {
            b.custom = Some(r.metrics);
        }
        b.distribution = r.distribution;
        b.series = r.series;
        b.rounds = r.rounds;
        b.custom_rounds = r.metric_rounds;
    }
    let listed: BTreeMap<String, &bookproto::Case> =
        cases.cases.iter().map(|c| (c.id.to_string(), c)).collect();
    let stray: Vec<&str> = benchmarks
        .keys()
        .filter(|id| !listed.contains_key(*id))
        .map(String::as_str)
        .collect();
    if !stray.is_empty() {
        bail!(
            "{chapter}: measured but not in the chapter's case list: {}. Add them to `all()` in the chapter's src/cases.rs (or stop registering them)",
            stray.join(", ")
        );
    }
    let mut missing = Vec::new();
    let has = |f: &Option<String>| f.as_ref().is_none_or(|f| machine.simd.contains(f));
    for (id, case) in listed.iter().filter(|(_, c)| has(&c.requires)) {
        let b = benchmarks.get(id.as_str());
        let has_wall = b.is_some_and(|b| {
            b.wall.is_some()
                || b.custom.is_some()
                || b.distribution.is_some()
                || !b.series.is_empty()
        });
        let has_instr = b.is_some_and(|b| b.instr.is_some());
        if ran_wall && case.harnesses.wall() && !has_wall {
            missing.push(format!("{id} (wall clock)"));
        }
        if case.harnesses.instr() && !has_instr {
            missing.push(format!("{id} (instruction count)"));
        }
    }
    if !missing.is_empty() {
        bail!(
            "{chapter}: the case list declares cases a harness did not measure: {}. Register them in benches/wall.rs or benches/instr.rs with the same id, or declare them `.wall_only(why)` / `.instr_only(why)` in src/cases.rs",
            missing.join(", ")
        );
    }
    for (id, b) in benchmarks.iter_mut() {
        let case = listed[id.as_str()];
        b.params = case.params.iter().cloned().collect();
        b.only = match &case.harnesses {
            Harnesses::Both => None,
            h => Some(h.clone()),
        };
    }
    Ok(Results {
        schema: SCHEMA_VERSION,
        chapter: chapter.to_string(),
        machine,
        benchmarks,
        artifacts: BTreeMap::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughput_bytes_come_from_each_of_criterions_byte_forms() {
        let parse = |s: &str| throughput_bytes(&Some(serde_json::from_str(s).unwrap()));
        assert_eq!(parse(r#"{"Bytes": 4096}"#), Some(4096));
        assert_eq!(parse(r#"{"BytesDecimal": 1000}"#), Some(1000));
        assert_eq!(
            parse(r#"{"ElementsAndBytes": {"elements": 8, "bytes": 64}}"#),
            Some(64)
        );
        assert_eq!(parse(r#"{"Elements": 8}"#), None);
        assert_eq!(throughput_bytes(&None), None);
    }
}
