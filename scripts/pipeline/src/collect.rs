//! Collect: criterion's and gungraun's output for one chapter, and the custom measurements its
//! benchmarks recorded, into one [`Results`].
//!
//! Criterion writes `<CRITERION_HOME>/<group>/<function>/<case>/new/{benchmark,estimates,sample}.json`
//! (pinned at criterion 0.8.2). Gungraun writes `target/gungraun/<package>/<bench>/<group>/<function>.<id>/summary.json`
//! (schema 7, gungraun 0.20.0) when `GUNGRAUN_SAVE_SUMMARY=json` is set. `benchkit::custom`
//! writes `<BOOK_CUSTOM_DIR>/<group>/<function>/<case>.json`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::Value;

use crate::fsutil::list_files;
use crate::machine::Machine;
use crate::results::{Bench, Results, SCHEMA_VERSION, Wall};

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
        out.insert(
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
            },
        );
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
        let id = v.get("id").and_then(Value::as_str).with_context(bad)?;
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
        out.insert(format!("{group}/{function}/{id}"), m);
    }
    Ok(out)
}

/// A custom measurement's file, as `benchkit::custom` writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomRecord {
    id: String,
    metrics: BTreeMap<String, f64>,
}

/// Reads every custom measurement below a `BOOK_CUSTOM_DIR` (absent: none).
pub fn custom_dir(dir: &Path) -> Result<BTreeMap<String, BTreeMap<String, f64>>> {
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
        let r: CustomRecord = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a custom measurement this pipeline understands: {fix}",
                path.display()
            )
        })?;
        let expected = rel.with_extension("").to_string_lossy().replace('\\', "/");
        if r.id != expected {
            bail!(
                "{} records `{}` but its path says `{expected}`: {fix}",
                path.display(),
                r.id
            );
        }
        let bad_name = r.metrics.keys().find(|n| {
            n.is_empty()
                || !n
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        });
        if let Some(n) = bad_name {
            bail!(
                "{}: metric name `{n}` is not lower-case letters, digits and `_`: {fix}",
                path.display()
            );
        }
        if r.metrics.is_empty() {
            bail!("{} records no metrics: {fix}", path.display());
        }
        out.insert(r.id, r.metrics);
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

/// Merges both harnesses' output into one results value.
pub fn collect(
    chapter: &str,
    criterion: &Path,
    gungraun: &Path,
    machine: Machine,
) -> Result<Results> {
    collect_with_custom(chapter, criterion, gungraun, None, machine)
}

/// Merges both harnesses' output and the custom measurements below `custom` (when given) into
/// one results value.
pub fn collect_with_custom(
    chapter: &str,
    criterion: &Path,
    gungraun: &Path,
    custom: Option<&Path>,
    machine: Machine,
) -> Result<Results> {
    let walls = criterion_dir(criterion)?;
    let instrs = gungraun_dir(gungraun)?;
    let customs = match custom {
        Some(dir) => custom_dir(dir)?,
        None => BTreeMap::new(),
    };
    if walls.is_empty() && instrs.is_empty() && customs.is_empty() {
        bail!(
            "no benchmark output for {chapter} in {} or {}: run `scripts/book.sh --chapters {chapter}` (or `cargo bench -p {chapter}` with GUNGRAUN_SAVE_SUMMARY=json)",
            criterion.display(),
            gungraun.display()
        );
    }
    let mut benchmarks: BTreeMap<String, Bench> = BTreeMap::new();
    for (id, w) in walls {
        benchmarks.entry(id).or_default().wall = Some(w);
    }
    for (id, m) in instrs {
        benchmarks.entry(id).or_default().instr = Some(m);
    }
    for (id, m) in customs {
        benchmarks.entry(id).or_default().custom = Some(m);
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
