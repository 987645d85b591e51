//! The results file: one per chapter and machine, the only thing the render stage reads.
//!
//! This module is the reference for the format: the types below, with their doc comments, are
//! the schema (version [`SCHEMA_VERSION`]); `ARCHITECTURE.md` points here rather than
//! restating it.
//!
//! ```text
//! { "schema": 5, "chapter": "ch01", "machine": { ...Machine... },
//!   "benchmarks": { "<group>/<function>/<case>": Bench },
//!   "artifacts": { "<name>": "<text>" } }
//! ```
//!
//! Times are nanoseconds per iteration. A [`Bench`] holds criterion's estimates (`wall`),
//! callgrind's counts by gungraun's names (`instr`: `Ir`, `Dr`, `Dw`, `L1hits`, `LLhits`,
//! `RamHits`, `TotalRW`, `EstimatedCycles`, ...), the numbers a benchmark recorded itself
//! (`custom`, named `custom.<name>` by declarations), and from schema 4 on its declared
//! parameters (`params`), a distribution of latencies (`distribution`), named series (`series`),
//! the per-round medians (`rounds`) and, for a case only one harness measures, why (`only`).
//!
//! Schema 2 added `custom`; schema 3 added `wall.bytes` (bytes per iteration, for throughput)
//! and `artifacts` (text such as folded stacks and assembly listings, by name); schema 4 added
//! `params`, `distribution`, `series`, `rounds` and `only`; schema 5 added `wall.rounds` (the
//! median of each round of a benchmark measured in rounds); schema 6 added `custom_rounds` (each
//! custom measurement's value in each round of an experiment measured in rounds). An older file is a newer one
//! without those fields and is read as one.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub use bookproto::{Distribution, Harnesses, Series};

use crate::machine::Machine;

/// The version this pipeline writes and the newest it reads. Every older version is a subset
/// of it (version 1 lacks `custom`, version 2 `wall.bytes` and `artifacts`, version 3 the
/// schema-4 fields of [`Bench`], version 4 `wall.rounds`, version 5 `custom_rounds`), so older files are read as they are.
pub const SCHEMA_VERSION: u32 = 6;

/// All measurements of one chapter on one machine.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Results {
    /// Schema version; see [`SCHEMA_VERSION`].
    pub schema: u32,
    /// Package name of the chapter, `chNN`.
    pub chapter: String,
    /// Where and how the numbers were measured.
    pub machine: Machine,
    /// Measurements by benchmark id.
    pub benchmarks: BTreeMap<String, Bench>,
    /// Text the measurement produced besides numbers, by name: folded stacks a benchmark
    /// recorded (`benchkit::custom::artifact`), and the compiler's assembly of functions the
    /// declarations list (`asm:<path>`). Schema 3 and later.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, String>,
}

/// What the two harnesses measured for one benchmark id.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bench {
    /// Criterion's wall-clock estimates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall: Option<Wall>,
    /// Callgrind's counts, by gungraun's metric names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instr: Option<BTreeMap<String, f64>>,
    /// Numbers the benchmark recorded itself (`benchkit::custom`), by name without the
    /// `custom.` prefix that declarations use. Schema 2 and later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<BTreeMap<String, f64>>,
    /// The case's parameters as the chapter's case list declares them (`pitch = 64`): the x of
    /// a figure, the label of a row. Schema 4 and later.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, f64>,
    /// A distribution the benchmark recorded (latency percentiles with their count). Schema 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// Named series the benchmark recorded, `(x, y)` points from one run. Schema 4.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub series: BTreeMap<String, Series>,
    /// The headline value of each repeated round, in round order. Schema 4.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<f64>,
    /// For a case only one harness measures: which, and why (from the case list). Schema 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only: Option<Harnesses>,
    /// Each custom measurement's value in each round, by name, when the experiment measured
    /// in rounds (`benchkit::runner`): the spread claims on it take as their interval.
    /// Schema 6.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_rounds: BTreeMap<String, Vec<f64>>,
}

/// Criterion's estimates for one benchmark, in nanoseconds per iteration.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Wall {
    /// Median of the per-iteration sample times.
    pub median: f64,
    /// 95% bootstrap interval of the median, lower bound.
    pub median_lo: f64,
    /// 95% bootstrap interval of the median, upper bound.
    pub median_hi: f64,
    /// Mean of the per-iteration sample times.
    pub mean: f64,
    /// Standard deviation of the per-iteration sample times.
    pub std_dev: f64,
    /// Median absolute deviation of the per-iteration sample times.
    pub mad: f64,
    /// Per-iteration time of each sample (each sample times a batch of iterations).
    pub samples: Vec<f64>,
    /// Iterations timed in all samples together.
    pub iterations: u64,
    /// Bytes one iteration processes, when the benchmark declared them (criterion's
    /// `Throughput::Bytes`); `gb_per_s` is computed from them. Schema 3 and later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// The median of each round, in round order, when the benchmark was measured in several
    /// (full mode); the fields above are then over the pooled samples of every round, and the
    /// interval spans every round's. Schema 5 and later.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<f64>,
}

impl Results {
    /// Reads and validates a results file. Every error names the file and what to do about it.
    pub fn load(path: &Path) -> Result<Results> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read results file {}: run `scripts/book.sh` to measure, or render from the committed reference results",
                path.display()
            )
        })?;
        let value: serde_json::Value = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not valid JSON: restore it with `git checkout -- {}` or delete it and measure again",
                path.display(),
                path.display()
            )
        })?;
        let schema = value
            .get("schema")
            .and_then(serde_json::Value::as_u64)
            .with_context(|| {
                format!(
                    "{} has no numeric `schema` field: it is not a results file of this book",
                    path.display()
                )
            })?;
        if schema > u64::from(SCHEMA_VERSION) {
            bail!(
                "{} has results schema {schema}, but this pipeline reads schema {SCHEMA_VERSION} at most: update the repository (`git pull`) to a pipeline that knows schema {schema}",
                path.display()
            );
        }
        let results: Results = serde_json::from_value(value).with_context(|| {
            format!(
                "{} does not match results schema {schema}: restore it with `git checkout -- {}` or measure again",
                path.display(),
                path.display()
            )
        })?;
        let expected = chapter_of_file(path);
        if let Some(expected) = expected
            && expected != results.chapter
        {
            bail!(
                "{} holds results of chapter {}, not {expected}: rename the file or measure {expected} again",
                path.display(),
                results.chapter
            );
        }
        for (id, b) in &results.benchmarks {
            if let Some(w) = &b.wall
                && (w.samples.is_empty() || !w.median.is_finite() || w.median <= 0.0)
            {
                bail!(
                    "{}: benchmark `{id}` has no usable wall-clock samples: measure it again",
                    path.display()
                );
            }
            if schema < 4
                && (!b.params.is_empty()
                    || b.distribution.is_some()
                    || !b.series.is_empty()
                    || !b.rounds.is_empty()
                    || b.only.is_some())
            {
                bail!(
                    "{}: benchmark `{id}` has fields of results schema 4, which schema {schema} cannot hold: set `schema` to {SCHEMA_VERSION} or measure again",
                    path.display()
                );
            }
            if schema < 6 && !b.custom_rounds.is_empty() {
                bail!(
                    "{}: benchmark `{id}` has rounds of custom measurements, which results schema {schema} cannot hold: set `schema` to {SCHEMA_VERSION} or measure again",
                    path.display()
                );
            }
            if schema < 5 && b.wall.as_ref().is_some_and(|w| !w.rounds.is_empty()) {
                bail!(
                    "{}: benchmark `{id}` has wall-clock rounds, which results schema {schema} cannot hold: set `schema` to {SCHEMA_VERSION} or measure again",
                    path.display()
                );
            }
            if schema < 2 && b.custom.is_some() {
                bail!(
                    "{}: benchmark `{id}` has custom measurements, which results schema {schema} cannot hold: set `schema` to {SCHEMA_VERSION} or measure again",
                    path.display()
                );
            }
        }
        Ok(results)
    }

    /// Writes the file atomically: a reader never sees half a file, and a failed write leaves
    /// the previous one in place.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self)? + "\n";
        crate::fsutil::write_atomic(path, text.as_bytes())
    }
}

fn chapter_of_file(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    (stem.len() == 4 && stem.starts_with("ch")).then(|| stem.to_string())
}
