//! A chapter's declarations (`chapters/chNN-slug/figures.toml`): its figures, tables and
//! claims, as data. Everything here names benchmarks by id and metrics by name; [`Decl::validate`]
//! checks every name against a results file before anything is drawn.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::results::{Results, WALL_METRICS, custom_name, is_instr_metric};

/// All declarations of one chapter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decl {
    /// Figures, drawn as SVG.
    #[serde(default)]
    pub figure: Vec<Figure>,
    /// Tables, written as Markdown.
    #[serde(default)]
    pub table: Vec<Table>,
    /// Quantitative statements checked on every run.
    #[serde(default)]
    pub claim: Vec<Claim>,
    /// Text shown as code blocks: assembly of the library's functions, or text artifacts.
    #[serde(default)]
    pub listing: Vec<Listing>,
    /// Benchmarks that exist only on CPUs with a feature.
    #[serde(default)]
    pub requires: Vec<Requires>,
    /// Claims set aside by [`Decl::for_machine`], with the reason (not declared: derived).
    #[serde(skip)]
    pub set_aside: Vec<(Claim, String)>,
    /// Where the declarations were read from (set on load).
    #[serde(skip)]
    pub path: PathBuf,
}

/// Benchmarks that a harness registers only where the CPU has a feature (`bits/pext/bmi2`
/// where it has BMI2). On a machine without the feature, [`Decl::for_machine`] drops the table
/// rows, table columns and figure series that name them and sets their claims aside, reported
/// as not measured there; on a machine with it, they are required like any other.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requires {
    /// One `/`-separated part of a benchmark id, exactly (`avx512` matches
    /// `sum/kib16/avx512` and `accumulators/avx512/acc4`, not `sum/kib16/auto_avx512`).
    pub part: String,
    /// The CPU feature, as results files list it in `machine.simd` (`avx512f`, `avx2`, `bmi2`).
    pub feature: String,
}

/// The shape of a figure.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    /// The distribution of one benchmark's wall-clock samples.
    Histogram,
    /// One or more series of benchmarks against a numeric parameter read from their case ids.
    Line,
    /// A flame graph of folded stacks a benchmark stored as an artifact, drawn by inferno.
    Flamegraph,
}

/// A code block on the page, from the measurement: the compiler's assembly of one function of
/// the chapter's library (`symbol`), or a text artifact a benchmark stored (`artifact`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// File name (without extension) of the generated listing, and its anchor.
    pub id: String,
    /// Caption.
    pub title: String,
    /// A function of the chapter's library by its Rust path (`ch09::dispatch::sum_dyn`).
    #[serde(default)]
    pub symbol: Option<String>,
    /// The name of a text artifact (`benchkit::custom::artifact`).
    #[serde(default)]
    pub artifact: Option<String>,
    /// The code block's language for highlighting (default: the machine's assembly, or
    /// `text` for artifacts).
    #[serde(default)]
    pub lang: Option<String>,
}

impl Listing {
    /// The artifact this listing shows.
    pub fn artifact_name(&self) -> String {
        match (&self.symbol, &self.artifact) {
            (Some(s), _) => crate::asm::artifact_name(s),
            (None, Some(a)) => a.clone(),
            (None, None) => String::new(),
        }
    }
}

/// A figure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// File name (without extension) of the generated figure, and its anchor.
    pub id: String,
    /// Histogram or line.
    pub kind: FigureKind,
    /// Title, shown as the caption's first sentence and the SVG's accessible name.
    pub title: String,
    /// Label of the x axis.
    #[serde(default)]
    pub x_label: Option<String>,
    /// Label of the y axis (the unit is appended).
    #[serde(default)]
    pub y_label: Option<String>,
    /// Logarithmic x axis.
    #[serde(default)]
    pub x_log: bool,
    /// Logarithmic y axis.
    #[serde(default)]
    pub y_log: bool,
    /// Start the y axis at zero (linear axes only).
    #[serde(default)]
    pub y_zero: bool,
    /// Histogram: the benchmark whose samples are drawn.
    #[serde(default)]
    pub bench: Option<String>,
    /// Histogram: number of bins.
    #[serde(default)]
    pub bins: Option<usize>,
    /// Unit of the plotted values: `ns`, `us`, `ms`, `s`, `pct`, `count`, `x`, `gbps`; a time
    /// unit is chosen from the data when absent.
    #[serde(default)]
    pub unit: Option<String>,
    /// Flame graph: the artifact holding the folded stacks.
    #[serde(default)]
    pub artifact: Option<String>,
    /// Line: the series.
    #[serde(default)]
    pub series: Vec<Series>,
}

/// One line of a line figure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Legend entry.
    pub label: String,
    /// Metric plotted (see [`WALL_METRICS`], a callgrind metric such as `Ir`, or a custom
    /// measurement as `custom.<name>`).
    pub metric: String,
    /// Benchmark ids: an exact id or a prefix ending in `*`. The x value of each point is the
    /// number at the end of its id (`samples/sort/n40` gives 40).
    pub benches: String,
    /// Draw the median's 95% interval as error bars (metric `median` only).
    #[serde(default)]
    pub error_bars: bool,
}

/// A table: one row per benchmark, one column per metric.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// File name (without extension) of the generated table.
    pub id: String,
    /// Benchmark ids, exact or a prefix ending in `*`; rows are labelled by their last part
    /// unless `labels` gives them names.
    pub rows: Vec<String>,
    /// Row labels, one per matched benchmark, in order.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Heading of the first column.
    #[serde(default)]
    pub row_heading: Option<String>,
    /// The columns.
    pub columns: Vec<Column>,
}

/// A table column.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Heading.
    pub label: String,
    /// Metric shown.
    pub metric: String,
    /// Unit, as for figures; `count` for callgrind metrics by default.
    #[serde(default)]
    pub unit: Option<String>,
    /// Show the value divided by this benchmark's value of the same metric, as `1.23×`.
    #[serde(default)]
    pub ratio_to: Option<String>,
}

/// How a claim turns benchmarks into one number.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    /// `a / b`.
    Ratio,
    /// `max / min` over every benchmark `benches` matches.
    Spread,
    /// The metric of `a` itself, for a statement about one benchmark ("no reading of the
    /// clock equalled the one before").
    Value,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum Op {
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal.
    #[serde(rename = "<=")]
    Le,
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(rename = ">=")]
    Ge,
    /// Equal (exactly: for instruction counts).
    #[serde(rename = "==")]
    Eq,
}

impl Op {
    /// Applies the operator.
    pub fn holds(self, lhs: f64, rhs: f64) -> bool {
        match self {
            Op::Lt => lhs < rhs,
            Op::Le => lhs <= rhs,
            Op::Gt => lhs > rhs,
            Op::Ge => lhs >= rhs,
            Op::Eq => lhs == rhs,
        }
    }

    /// How the operator reads on the page.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Eq => "=",
        }
    }
}

/// A quantitative statement of the prose, checked against every results file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// File name of the generated badge (`claim-<id>.md`).
    pub id: String,
    /// The statement, as the page makes it.
    pub text: String,
    /// Ratio, spread or value.
    pub kind: ClaimKind,
    /// The metric compared.
    pub metric: String,
    /// Ratio: numerator benchmark. Value: the benchmark.
    #[serde(default)]
    pub a: Option<String>,
    /// Ratio: denominator benchmark.
    #[serde(default)]
    pub b: Option<String>,
    /// Spread: the benchmarks, exact or a prefix ending in `*`.
    #[serde(default)]
    pub benches: Option<String>,
    /// The comparison.
    pub op: Op,
    /// The threshold the measured number is compared with.
    pub value: f64,
}

impl Claim {
    /// Whether the claim is over callgrind counts (deterministic, enforced by tests).
    pub fn is_instr(&self) -> bool {
        is_instr_metric(&self.metric)
    }
}

/// Benchmark ids in `results` matched by `pattern` (an exact id, or a prefix ending in `*`),
/// sorted by the number at their end when they have one.
pub fn matching<'a>(results: &'a Results, pattern: &str) -> Vec<&'a str> {
    let mut ids: Vec<&str> = match pattern.strip_suffix('*') {
        Some(prefix) => results
            .benchmarks
            .keys()
            .filter(|k| k.starts_with(prefix))
            .map(String::as_str)
            .collect(),
        None => results
            .benchmarks
            .keys()
            .filter(|k| *k == pattern)
            .map(String::as_str)
            .collect(),
    };
    ids.sort_by(|a, b| match (trailing_number(a), trailing_number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    });
    ids
}

/// The number at the end of a benchmark id (`placement/scale/off256` gives 256).
pub fn trailing_number(id: &str) -> Option<f64> {
    let digits: String = id
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.is_empty() {
        return None;
    }
    digits.chars().rev().collect::<String>().parse().ok()
}

const UNITS: [&str; 8] = ["ns", "us", "ms", "s", "pct", "count", "x", "gbps"];

impl Decl {
    /// The declarations that apply to the machine `results` were measured on: see
    /// [`Requires`]. Claims set aside land in [`Decl::set_aside`].
    pub fn for_machine(mut self, results: &Results) -> Decl {
        let missing: Vec<Requires> = self
            .requires
            .iter()
            .filter(|r| !results.machine.simd.contains(&r.feature))
            .cloned()
            .collect();
        if missing.is_empty() {
            return self;
        }
        let why = |pattern: &str| -> Option<String> {
            missing
                .iter()
                .find(|r| {
                    pattern
                        .split('/')
                        .any(|p| p == r.part || p.strip_suffix('*') == Some(r.part.as_str()))
                })
                .map(|r| format!("this CPU has no {}", r.feature))
        };
        for t in &mut self.table {
            if t.labels.len() == t.rows.len() {
                let (rows, labels) = std::mem::take(&mut t.rows)
                    .into_iter()
                    .zip(std::mem::take(&mut t.labels))
                    .filter(|(r, _)| why(r).is_none())
                    .unzip();
                (t.rows, t.labels) = (rows, labels);
            } else {
                t.rows.retain(|r| why(r).is_none());
            }
            t.columns
                .retain(|c| c.ratio_to.as_deref().and_then(why).is_none());
        }
        for f in &mut self.figure {
            f.series.retain(|s| why(&s.benches).is_none());
        }
        let (kept, aside): (Vec<Claim>, Vec<Claim>) =
            std::mem::take(&mut self.claim).into_iter().partition(|c| {
                [&c.a, &c.b, &c.benches]
                    .into_iter()
                    .flatten()
                    .all(|p| why(p).is_none())
            });
        self.claim = kept;
        self.set_aside = aside
            .into_iter()
            .map(|c| {
                let reason = [&c.a, &c.b, &c.benches]
                    .into_iter()
                    .flatten()
                    .find_map(|p| why(p))
                    .unwrap_or_default();
                (c, reason)
            })
            .collect();
        self
    }

    /// The library functions whose assembly the listings show.
    pub fn asm_symbols(&self) -> Vec<String> {
        self.listing
            .iter()
            .filter_map(|l| l.symbol.clone())
            .collect()
    }

    /// Reads a chapter's declarations.
    pub fn load(path: &Path) -> Result<Decl> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read {}: every chapter crate declares its figures there",
                path.display()
            )
        })?;
        let mut d: Decl = toml::from_str(&text).with_context(|| {
            format!(
                "{} is not a valid declarations file (see ARCHITECTURE.md for the format)",
                path.display()
            )
        })?;
        d.path = path.to_path_buf();
        Ok(d)
    }

    /// Checks every benchmark id and metric named by the declarations against `results`.
    pub fn validate(&self, results: &Results, results_path: &Path) -> Result<()> {
        let file = self.path.display();
        let fix = format!(
            "fix the name in {file}, or measure it: `scripts/book.sh --chapters {}` writes a new {}",
            results.chapter,
            results_path.display()
        );
        let known = || {
            let ids: Vec<&str> = results.benchmarks.keys().map(String::as_str).collect();
            ids.join(", ")
        };
        let features = crate::machine::feature_names();
        for r in &self.requires {
            if !features.contains(&r.feature) || r.part.is_empty() || r.part.contains('/') {
                bail!(
                    "{file}: `requires` names part `{}` and feature `{}`: the part must be one `/`-separated piece of a benchmark id, and the feature one of {}",
                    r.part,
                    r.feature,
                    features.join(", ")
                );
            }
        }
        let need = |what: &str, pattern: &str, metric: Option<&str>| -> Result<Vec<String>> {
            let ids = matching(results, pattern);
            if ids.is_empty() {
                bail!(
                    "{file}: {what} names benchmark `{pattern}`, which is not in {} (known: {}): {fix}",
                    results_path.display(),
                    known()
                );
            }
            if let Some(m) = metric {
                if custom_name(m) == Some("") {
                    bail!(
                        "{file}: {what} names metric `{m}` without a name after `custom.`: {fix}"
                    );
                }
                if !is_instr_metric(m)
                    && custom_name(m).is_none()
                    && !WALL_METRICS.iter().any(|(w, _)| *w == m)
                {
                    bail!(
                        "{file}: {what} names metric `{m}`, which is neither a wall-clock metric, a callgrind count nor `custom.<name>`: {fix}"
                    );
                }
                for id in &ids {
                    if results.benchmarks[*id].metric(m).is_none() {
                        bail!(
                            "{file}: {what} needs metric `{m}` of `{id}`, which {} does not hold ({}): {fix}",
                            results_path.display(),
                            if let Some(n) = custom_name(m) {
                                format!("no custom measurement named `{n}` was recorded for it")
                            } else if is_instr_metric(m) {
                                "no callgrind run".to_string()
                            } else if m == "gb_per_s" && results.benchmarks[*id].wall.is_some() {
                                "its criterion group declared no `Throughput::Bytes`".to_string()
                            } else {
                                "no criterion run".to_string()
                            }
                        );
                    }
                }
            }
            Ok(ids.iter().map(|s| s.to_string()).collect())
        };
        let unit_ok = |what: &str, u: &Option<String>| -> Result<()> {
            if let Some(u) = u
                && !UNITS.contains(&u.as_str())
            {
                bail!(
                    "{file}: {what} has unit `{u}`; use one of {}",
                    UNITS.join(", ")
                );
            }
            Ok(())
        };
        let mut seen = std::collections::BTreeSet::new();
        for f in &self.figure {
            let what = format!("figure `{}`", f.id);
            if !seen.insert(f.id.clone()) {
                bail!(
                    "{file}: {what} is declared twice: give each figure, table and claim its own id"
                );
            }
            unit_ok(&what, &f.unit)?;
            match f.kind {
                FigureKind::Histogram => {
                    let b = f.bench.as_deref().with_context(|| format!("{file}: {what} is a histogram without `bench`: name the benchmark whose samples it draws"))?;
                    need(&what, b, Some("median"))?;
                }
                FigureKind::Flamegraph => {
                    let a = f.artifact.as_deref().with_context(|| format!("{file}: {what} is a flame graph without `artifact`: name the folded stacks a benchmark stored with benchkit::custom::artifact"))?;
                    let text = results.artifacts.get(a).with_context(|| format!("{file}: {what} draws artifact `{a}`, which {} does not hold (it holds: {}): store it with `benchkit::custom::artifact(\"{a}\", ...)` and measure again", results_path.display(), results.artifacts.keys().cloned().collect::<Vec<_>>().join(", ")))?;
                    if let Some((n, bad)) = text.lines().enumerate().find(|(_, l)| {
                        l.rsplit_once(' ')
                            .is_none_or(|(stack, c)| stack.is_empty() || c.parse::<u64>().is_err())
                    }) {
                        bail!(
                            "{file}: {what}: line {} of artifact `{a}` in {} is not folded stacks (`frame;frame count`): {bad:?}; fix the benchmark that writes it and measure again",
                            n + 1,
                            results_path.display()
                        );
                    }
                }
                FigureKind::Line => {
                    if f.series.is_empty() {
                        bail!(
                            "{file}: {what} is a line figure without a `[[figure.series]]`: add one"
                        );
                    }
                    for s in &f.series {
                        let ids = need(&what, &s.benches, Some(&s.metric))?;
                        if let Some(id) = ids.iter().find(|id| trailing_number(id).is_none()) {
                            bail!(
                                "{file}: {what}: benchmark `{id}` has no number at the end of its id to place it on the x axis: name its cases like `n40` or `off256`"
                            );
                        }
                        if s.error_bars && s.metric != "median" && s.metric != "gb_per_s" {
                            bail!(
                                "{file}: {what}: error bars are the median's interval; set `metric = \"median\"` (or `gb_per_s`) or drop `error_bars`"
                            );
                        }
                    }
                }
            }
        }
        for t in &self.table {
            let what = format!("table `{}`", t.id);
            if !seen.insert(t.id.clone()) {
                bail!(
                    "{file}: {what} is declared twice: give each figure, table and claim its own id"
                );
            }
            for r in &t.rows {
                for c in &t.columns {
                    unit_ok(&what, &c.unit)?;
                    need(&what, r, Some(&c.metric))?;
                    if let Some(base) = &c.ratio_to {
                        need(&what, base, Some(&c.metric))?;
                    }
                }
            }
            let rows: usize = t.rows.iter().map(|r| matching(results, r).len()).sum();
            if !t.labels.is_empty() && t.labels.len() != rows {
                bail!(
                    "{file}: {what} has {} labels for {rows} rows: give one label per row",
                    t.labels.len()
                );
            }
        }
        for l in &self.listing {
            let what = format!("listing `{}`", l.id);
            if !seen.insert(l.id.clone()) {
                bail!(
                    "{file}: {what} is declared twice: give each figure, table, listing and claim its own id"
                );
            }
            if l.symbol.is_some() == l.artifact.is_some() {
                bail!(
                    "{file}: {what} must name exactly one of `symbol` (a function of the library, for its assembly) and `artifact` (text a benchmark stored)"
                );
            }
            let name = l.artifact_name();
            if !results.artifacts.contains_key(&name) {
                bail!(
                    "{file}: {what} shows `{name}`, which {} does not hold: {}",
                    results_path.display(),
                    if l.symbol.is_some() {
                        format!(
                            "measure the chapter (`scripts/book.sh --chapters {}`); the pipeline compiles its library to assembly then",
                            results.chapter
                        )
                    } else {
                        format!(
                            "store it with `benchkit::custom::artifact(\"{name}\", ...)` and measure again"
                        )
                    }
                );
            }
        }
        for c in &self.claim {
            let what = format!("claim `{}`", c.id);
            if !seen.insert(format!("claim-{}", c.id)) {
                bail!("{file}: {what} is declared twice");
            }
            match c.kind {
                ClaimKind::Ratio => {
                    let (Some(a), Some(b)) = (&c.a, &c.b) else {
                        bail!(
                            "{file}: {what} is a ratio but names nothing to compare: set both `a` and `b` to benchmark ids"
                        );
                    };
                    for id in [a, b] {
                        if id.ends_with('*') {
                            bail!(
                                "{file}: {what}: a ratio compares two single benchmarks, not `{id}`"
                            );
                        }
                        need(&what, id, Some(&c.metric))?;
                    }
                }
                ClaimKind::Value => {
                    let Some(a) = &c.a else {
                        bail!(
                            "{file}: {what} is a value but names nothing: set `a` to the benchmark whose metric it states"
                        );
                    };
                    if c.b.is_some() || c.benches.is_some() {
                        bail!(
                            "{file}: {what} is a value of one benchmark, `a`: drop `b` and `benches`, or make it a ratio or a spread"
                        );
                    }
                    if a.ends_with('*') {
                        bail!("{file}: {what}: a value is of one benchmark, not `{a}`");
                    }
                    need(&what, a, Some(&c.metric))?;
                }
                ClaimKind::Spread => {
                    let p = c.benches.as_deref().with_context(|| {
                        format!("{file}: {what} is a spread but names nothing: set `benches` to the benchmarks it spans")
                    })?;
                    if need(&what, p, Some(&c.metric))?.len() < 2 {
                        bail!(
                            "{file}: {what} spans fewer than two benchmarks (`{p}`): a spread needs at least two"
                        );
                    }
                }
            }
        }
        Ok(())
    }
}
