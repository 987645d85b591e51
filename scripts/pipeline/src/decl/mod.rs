//! A chapter's declarations (`chapters/chNN-slug/figures.toml`): its figures, tables, listings
//! and claims, as data. This module is the syntax only: one type per figure and claim kind,
//! each refusing fields it does not have, and metrics and units parsed as the file is read.
//! [`crate::plan`] resolves declarations against a results file into what is drawn.
//!
//! This module is the format's reference; the example below is parsed by a test, so it cannot
//! drift from the types.
//!
//! ```toml
//! [[figure]]                        # -> src/generated/ch01/placement.md, an inline SVG
//! id = "placement"
//! kind = "line"                     # line threads percentiles cdf scatter bars histogram flamegraph
//! title = "..."
//! x = "offset"                      # the case parameter on the x axis (src/cases.rs declares it)
//! x_label = "..."
//! y_label = "..."
//! unit = "ns"                       # ns us ms s pct count x gbps; a time unit is chosen if absent
//! x_log = false
//! y_log = false
//! y_zero = true
//! [[figure.series]]
//! label = "median"
//! metric = "median"                 # wall: median min median_lo median_hi mean std_dev mad ci_rel
//!                                   #   cv gb_per_s; callgrind: Ir Dr Dw D1mr Bcm ...;
//!                                   #   custom: custom.<name>; distribution: p50 p99.9 ...
//! benches = "placement/scale/*"     # an id; `*` may stand in any part (`contend/*/t8`)
//! error_bars = true                 # the median's 95% interval (metric median or gb_per_s)
//!
//! [[figure]]                        # a flame graph drawn by inferno, embedded as an image
//! id = "flame"
//! kind = "flamegraph"
//! title = "..."
//! artifact = "workload.folded"      # folded stacks: `root;child;leaf count` per line
//!
//! [[listing]]                       # -> a code block with a caption and the provenance line
//! id = "sum-asm"
//! title = "..."
//! symbol = "ch09::kernels::sum"     # the compiler's assembly of this library function, or
//! # artifact = "annotate.txt"       # a text artifact a benchmark stored
//! # lang = "text"                   # highlighting (default: the machine's assembly, or text)
//!
//! [[table]]                         # -> src/generated/ch01/compare.md
//! id = "compare"
//! row_heading = "Sort"
//! rows = [
//!     { bench = "compare/sort/stable", label = "stable" },
//!     "compare/sort/unstable",      # labelled by its case, `unstable`
//!     { bench = "placement/scale/*", label = "{offset} bytes in" },  # a label per match
//! ]
//! columns = [ { label = "instructions", metric = "Ir" },
//!             { label = "vs stable", metric = "Ir", ratio_to = "compare/sort/stable" },
//!             { label = "cycles per element", metric = "cycles", per = "n" } ]
//!                                   # per: divide by each row's case parameter
//!
//! [[claim]]                         # -> src/generated/ch01/claim-<id>.md, a badge
//! id = "stable-more-instructions"
//! text = "The stable sort executes at least 10% more instructions."
//! kind = "ratio"                    # a / b; "spread": max / min over `benches`;
//!                                   # "value": the metric of `a` itself
//! metric = "Ir"                     # callgrind: enforced by tests; others: reported
//! a = "compare/sort/stable"
//! b = "compare/sort/unstable"
//! op = ">="                         # < <= > >= ==
//! value = 1.1
//!
//! [[claim]]                         # a time against the machine card's limit
//! id = "read-near-limit"
//! text = "Reading 1 GiB takes at most 1.5 times what the card's read bandwidth allows."
//! kind = "limit"                    # median of `a` ÷ (bytes ÷ the card entry's GB/s)
//! metric = "median"                 # median min mean
//! a = "bandwidth/read/kib1048576"
//! card = "bandwidth/read/t1"        # an entry of card.json beside the results, in GB/s
//! bytes = 1073741824.0              # what one iteration of `a` must move
//! between = [1.0, 1.5]              # a band instead of op and value
//!
//! [[claim]]                         # the cost of one event
//! id = "mispredict-penalty"
//! text = "A mispredicted branch costs 10 to 30 cycles."
//! kind = "penalty"                  # (metric of a − b) ÷ (events of a − b)
//! metric = "cycles"                 # median or cycles
//! a = "filter/branchy/p50"
//! b = "sorted/filter_branchy/p50"
//! events = "Bcm"                    # a callgrind count; `a` must have more
//! between = [10.0, 30.0]
//! # events_a = "..."                # a benchmark whose count stands for a wall-only `a`'s
//! # b_events_none = "why"           # take `b`'s events as none on the processor, and say why
//!
//! [[claim]]                         # a value per case parameter
//! id = "adder-latency"
//! text = "Each addition of the one chain takes a few cycles."
//! kind = "value"
//! metric = "cycles"                 # the median times the measured clock
//! a = "accumulators/avx2/acc1"
//! per = "chain_adds"                # divided by this parameter of the case
//! between = [1.8, 4.5]
//!
//! [[aa]]                            # an A/A control: the same code under two ids
//! a = "compare/sort/unstable"
//! b = "aa/compare/sort.unstable"    # bookproto's Case::twin, registered last in the run
//!
//! [[check]]                         # an identity the tests enforce; no page shows it
//! id = "layout-same-instructions"
//! text = "Every pitch executes the same instructions."
//! kind = "spread"
//! metric = "Ir"                     # callgrind counts only
//! benches = "layout/column_sums/*"
//! op = "=="
//! value = 1.0
//!
//! [[value]]                         # -> src/generated/ch01/value-<id>.md, a number quoted inline
//! id = "unstable-median"            # {{#include generated/ch01/value-unstable-median.md}}
//! bench = "compare/sort/unstable"
//! metric = "median"
//! unit = "us"                       # optional: the metric's natural unit otherwise
//! # per = "n"                       # optional: divided by this parameter of the case
//!
//! [[requires]]                      # ids a harness registers only where the CPU has a feature
//! part = "avx512"                   # one `/`-separated part of an id, exactly
//! feature = "avx512f"               # as results files list it in `machine.simd`
//! ```
//!
//! The other figure kinds, each with its own fields (see their types): `threads`
//! ([`Threads`]: throughput against a thread-count parameter with an ideal-scaling line),
//! `percentiles` ([`Percentiles`]: latency by percentile on a "nines" axis), `cdf` ([`Cdf`]),
//! `scatter` ([`Scatter`]: two metrics of the same benchmarks, with an optional Pareto front),
//! `bars` ([`Bars`]: grouped bars, implementations × workloads), `histogram` ([`Histogram`]).

mod metric;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

pub use metric::{CALLGRIND_EVENTS, CUSTOM_PREFIX, Metric, Unit, WALL_METRICS, WallMetric};

use crate::results::Results;

/// All declarations of one chapter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decl {
    /// Figures, drawn as SVG (or, for flame graphs, an image).
    #[serde(default)]
    pub figure: Vec<Figure>,
    /// Tables, written as Markdown.
    #[serde(default)]
    pub table: Vec<Table>,
    /// Quantitative statements checked on every run.
    #[serde(default)]
    pub claim: Vec<Claim>,
    /// Identities over callgrind counts that hold by construction (the same function over the
    /// same amount of data executes the same instructions; a property of callgrind's
    /// simulation): the test suite enforces them, and no page shows them as a finding. Written
    /// like a claim; only instruction-count metrics are allowed.
    #[serde(default)]
    pub check: Vec<Claim>,
    /// Text shown as code blocks: assembly of the library's functions, or text artifacts.
    #[serde(default)]
    pub listing: Vec<Listing>,
    /// Measured numbers the prose quotes inline.
    #[serde(default)]
    pub value: Vec<Value>,
    /// Benchmarks that exist only on CPUs with a feature.
    #[serde(default)]
    pub requires: Vec<Requires>,
    /// A/A controls: the same code measured under two ids in the same run. Their ratio's
    /// spread is the run's noise; a wall-clock ratio claim inside it is not resolved.
    #[serde(default)]
    pub aa: Vec<AaPair>,
    /// Where the declarations were read from (set on load).
    #[serde(skip)]
    pub path: PathBuf,
}

/// Benchmarks that a harness registers only where the CPU has a feature (`bits/pext/bmi2`
/// where it has BMI2). On a machine without the feature, the plan drops the table rows, table
/// columns and figure series that name them and sets their claims aside, reported as not
/// measured there; on a machine with it, they are required like any other.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requires {
    /// One `/`-separated part of a benchmark id, exactly (`avx512` matches
    /// `sum/kib16/avx512` and `accumulators/avx512/acc4`, not `sum/kib16/auto_avx512`).
    pub part: String,
    /// The CPU feature, as results files list it in `machine.simd` (`avx512f`, `avx2`, `bmi2`).
    pub feature: String,
}

/// A measured number the prose quotes: `{{#include generated/chNN/value-<id>.md}}` renders it
/// inline, in its unit, so that a sentence can say "a load from L1 takes 1.2 ns" without typing
/// the number.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// File name of the generated value (`value-<id>.md`).
    pub id: String,
    /// The benchmark (one id).
    pub bench: String,
    /// The metric quoted.
    pub metric: Metric,
    /// The unit it is shown in (the metric's natural one when absent).
    #[serde(default)]
    pub unit: Option<Unit>,
    /// A parameter of the benchmark's case to divide by: `elements` quotes cycles per element.
    #[serde(default)]
    pub per: Option<String>,
}

/// An A/A control: two ids that measure the same function on the same input.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AaPair {
    /// One id.
    pub a: String,
    /// The other.
    pub b: String,
}

/// A code block on the page, from the measurement.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// File name (without extension) of the generated listing, and its anchor.
    pub id: String,
    /// Caption.
    pub title: String,
    /// The compiler's assembly of a function of the chapter's library, by its Rust path
    /// (`ch09::dispatch::sum_dyn`). Exactly one of `symbol` and `artifact`.
    #[serde(default)]
    pub symbol: Option<String>,
    /// A text artifact a benchmark stored (`benchkit::custom::artifact`).
    #[serde(default)]
    pub artifact: Option<String>,
    /// The code block's language for highlighting (default: the machine's assembly, or
    /// `text` for artifacts).
    #[serde(default)]
    pub lang: Option<String>,
}

/// What a listing shows.
#[derive(Debug)]
pub enum ListingSource {
    /// The compiler's assembly of a function of the chapter's library, by its Rust path
    /// (`ch09::dispatch::sum_dyn`).
    Symbol(String),
    /// A text artifact a benchmark stored (`benchkit::custom::artifact`).
    Artifact(String),
}

impl Listing {
    /// What the listing shows, or why the declaration is wrong.
    pub fn source(&self) -> std::result::Result<ListingSource, String> {
        match (&self.symbol, &self.artifact) {
            (Some(s), None) => Ok(ListingSource::Symbol(s.clone())),
            (None, Some(a)) => Ok(ListingSource::Artifact(a.clone())),
            _ => Err(format!(
                "listing `{}` must name exactly one of `symbol` (a function of the library, for its assembly) and `artifact` (text a benchmark stored)",
                self.id
            )),
        }
    }
}

impl ListingSource {
    /// The artifact the listing shows.
    pub fn artifact_name(&self) -> String {
        match self {
            ListingSource::Symbol(s) => crate::asm::artifact_name(s),
            ListingSource::Artifact(a) => a.clone(),
        }
    }
}

/// A figure, by kind.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Figure {
    /// Series of benchmarks against a parameter of their cases.
    Line(Line),
    /// Throughput (or any rate) against a thread-count parameter, with ideal scaling.
    Threads(Threads),
    /// Latency by percentile on a "nines" axis (50, 90, 99, 99.9, 99.99).
    Percentiles(Percentiles),
    /// The cumulative distribution of recorded values.
    Cdf(Cdf),
    /// Two metrics of the same benchmarks against each other, with an optional Pareto front.
    Scatter(Scatter),
    /// Grouped bars: one group per workload, one bar per implementation.
    Bars(Bars),
    /// The distribution of one benchmark's wall-clock samples.
    Histogram(Histogram),
    /// A flame graph of folded stacks a benchmark stored, drawn by inferno.
    Flamegraph(Flamegraph),
}

impl Figure {
    /// The figure's id (its file name and anchor).
    pub fn id(&self) -> &str {
        match self {
            Figure::Line(f) => &f.id,
            Figure::Threads(f) => &f.id,
            Figure::Percentiles(f) => &f.id,
            Figure::Cdf(f) => &f.id,
            Figure::Scatter(f) => &f.id,
            Figure::Bars(f) => &f.id,
            Figure::Histogram(f) => &f.id,
            Figure::Flamegraph(f) => &f.id,
        }
    }

    /// The figure's title.
    pub fn title(&self) -> &str {
        match self {
            Figure::Line(f) => &f.title,
            Figure::Threads(f) => &f.title,
            Figure::Percentiles(f) => &f.title,
            Figure::Cdf(f) => &f.title,
            Figure::Scatter(f) => &f.title,
            Figure::Bars(f) => &f.title,
            Figure::Histogram(f) => &f.title,
            Figure::Flamegraph(f) => &f.title,
        }
    }
}

/// A line figure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// File name (without extension) and anchor.
    pub id: String,
    /// Caption's first sentence and the SVG's accessible name.
    pub title: String,
    /// The case parameter on the x axis.
    pub x: String,
    /// Label of the x axis.
    #[serde(default)]
    pub x_label: Option<String>,
    /// Label of the y axis (the unit is appended).
    #[serde(default)]
    pub y_label: Option<String>,
    /// Unit of the plotted values (a time unit is chosen from the data when absent).
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Logarithmic x axis.
    #[serde(default)]
    pub x_log: bool,
    /// Logarithmic y axis.
    #[serde(default)]
    pub y_log: bool,
    /// Start the y axis at zero (linear axes only).
    #[serde(default)]
    pub y_zero: bool,
    /// The series.
    pub series: Vec<Series>,
}

/// One series of a line or threads figure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Legend entry.
    pub label: String,
    /// Metric plotted.
    pub metric: Metric,
    /// The benchmarks (a selector: see [`selects`]); one point each.
    pub benches: String,
    /// Draw the median's 95% interval as error bars (metric `median` or `gb_per_s`).
    #[serde(default)]
    pub error_bars: bool,
}

/// Throughput against threads.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threads {
    /// File name and anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// The thread-count parameter (default `threads`).
    #[serde(default = "default_threads")]
    pub x: String,
    /// Label of the y axis (the unit is appended).
    #[serde(default)]
    pub y_label: Option<String>,
    /// Unit of the plotted values.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Logarithmic x axis (thread counts 1, 2, 4, ... spread evenly).
    #[serde(default)]
    pub x_log: bool,
    /// Draw, for each series, the ideal scaling from its smallest thread count: the rate there
    /// times the ratio of thread counts.
    #[serde(default)]
    pub ideal: bool,
    /// The series.
    pub series: Vec<Series>,
}

fn default_threads() -> String {
    "threads".into()
}

/// One series of a distribution figure: the distribution one benchmark recorded.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistSeries {
    /// Legend entry.
    pub label: String,
    /// The benchmark (one id).
    pub bench: String,
}

/// Latency by percentile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Percentiles {
    /// File name and anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// Label of the y axis (the unit is appended).
    #[serde(default)]
    pub y_label: Option<String>,
    /// Unit of the values (a time unit is chosen when absent).
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Logarithmic y axis.
    #[serde(default)]
    pub y_log: bool,
    /// The series, one distribution each.
    pub series: Vec<DistSeries>,
}

/// A cumulative distribution.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cdf {
    /// File name and anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// Label of the x axis (the unit is appended).
    #[serde(default)]
    pub x_label: Option<String>,
    /// Unit of the values.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Logarithmic x axis.
    #[serde(default)]
    pub x_log: bool,
    /// The series: a recorded distribution each, or a benchmark's wall-clock samples when it
    /// recorded none.
    pub series: Vec<DistSeries>,
}

/// Two metrics of the same benchmarks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scatter {
    /// File name and anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// The metric on the x axis.
    pub x_metric: Metric,
    /// The metric on the y axis.
    pub y_metric: Metric,
    /// Label of the x axis.
    #[serde(default)]
    pub x_label: Option<String>,
    /// Label of the y axis.
    #[serde(default)]
    pub y_label: Option<String>,
    /// Unit of x (a time unit is chosen for a time metric when absent).
    #[serde(default)]
    pub x_unit: Option<Unit>,
    /// Unit of y.
    #[serde(default)]
    pub y_unit: Option<Unit>,
    /// Logarithmic x axis.
    #[serde(default)]
    pub x_log: bool,
    /// Logarithmic y axis.
    #[serde(default)]
    pub y_log: bool,
    /// Groups of points, each in its own colour and marker.
    pub series: Vec<ScatterSeries>,
    /// Which direction is better on each axis; when given, the points no other point beats on
    /// both are joined as the Pareto front.
    #[serde(default)]
    pub pareto: Option<Pareto>,
}

/// A group of points of a scatter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScatterSeries {
    /// Legend entry.
    pub label: String,
    /// The benchmarks (a selector).
    pub benches: String,
}

/// The better direction of each axis of a scatter.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pareto {
    /// Whether a smaller x is better.
    pub x: Better,
    /// Whether a smaller y is better.
    pub y: Better,
}

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Smaller is better (time, cost).
    Lower,
    /// Larger is better (throughput, ratio).
    Higher,
}

/// Grouped bars.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bars {
    /// File name and anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// The metric of every bar.
    pub metric: Metric,
    /// Label of the y axis (the unit is appended).
    #[serde(default)]
    pub y_label: Option<String>,
    /// Unit of the values.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Logarithmic y axis.
    #[serde(default)]
    pub y_log: bool,
    /// How each bar's group is named, from its case: a template of `{case}`, `{function}`,
    /// `{group}` and parameters (`{kib} KiB`). Bars with the same name stand together.
    #[serde(default = "default_category")]
    pub category: String,
    /// One series per implementation: a bar in each group.
    pub series: Vec<ScatterSeries>,
}

fn default_category() -> String {
    "{case}".into()
}

/// A histogram of one benchmark's samples.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Histogram {
    /// File name and anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// The benchmark whose samples are drawn.
    pub bench: String,
    /// Number of bins.
    #[serde(default = "default_bins")]
    pub bins: usize,
    /// Label of the x axis.
    #[serde(default)]
    pub x_label: Option<String>,
    /// Label of the y axis.
    #[serde(default)]
    pub y_label: Option<String>,
    /// Unit of the samples.
    #[serde(default)]
    pub unit: Option<Unit>,
}

fn default_bins() -> usize {
    20
}

/// A flame graph.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flamegraph {
    /// File name and anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// The artifact holding the folded stacks.
    pub artifact: String,
}

/// A table: one row per benchmark, one column per metric.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// File name (without extension) of the generated table.
    pub id: String,
    /// The rows, each a selector with its label.
    pub rows: Vec<Row>,
    /// Heading of the first column.
    #[serde(default)]
    pub row_heading: Option<String>,
    /// The columns.
    pub columns: Vec<Column>,
}

/// Rows of a table: the benchmarks a selector matches, each labelled.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Row {
    /// A selector; each row is labelled by its case (`unstable`).
    Bench(String),
    /// A selector with a label template: text with `{case}`, `{function}`, `{group}` and the
    /// case's parameters (`{util}%`), one label per matched benchmark.
    Labelled {
        /// The selector.
        bench: String,
        /// The label template.
        label: String,
    },
}

impl Row {
    /// The row's selector.
    pub fn selector(&self) -> &str {
        match self {
            Row::Bench(b) | Row::Labelled { bench: b, .. } => b,
        }
    }
}

/// A table column.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Heading.
    pub label: String,
    /// Metric shown.
    pub metric: Metric,
    /// Unit, as for figures; `count` for callgrind metrics by default.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Show the value divided by this benchmark's value of the same metric, as `1.23×`.
    #[serde(default)]
    pub ratio_to: Option<String>,
    /// A parameter of each row's case to divide the value by (`elements`: cycles per element).
    #[serde(default)]
    pub per: Option<String>,
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

/// What a claim says of its number: a comparison with a threshold (`op = ">="`, `value = 2`),
/// or a two-sided band (`between = [2.5, 4.0]` for "about three times").
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Test {
    /// `measured op value`.
    Compare(Op, f64),
    /// `lo <= measured <= hi`.
    Between(f64, f64),
}

impl Test {
    /// The test a claim's `op`, `value` and `between` state, or what is wrong with them.
    pub fn from_fields(
        op: Option<Op>,
        value: Option<f64>,
        between: Option<[f64; 2]>,
    ) -> std::result::Result<Test, String> {
        match (op, value, between) {
            (Some(op), Some(v), None) => Ok(Test::Compare(op, v)),
            (None, None, Some([lo, hi])) if lo < hi => Ok(Test::Between(lo, hi)),
            (None, None, Some(_)) => Err("`between = [lo, hi]` needs lo < hi".into()),
            _ => Err(
                "a claim states either `op` and `value` (a threshold) or `between = [lo, hi]` (a band)"
                    .into(),
            ),
        }
    }
}

impl Test {
    /// Whether `x` satisfies it.
    pub fn holds(self, x: f64) -> bool {
        match self {
            Test::Compare(op, v) => op.holds(x, v),
            Test::Between(lo, hi) => lo <= x && x <= hi,
        }
    }

    /// How it reads on the page: `≥ 2`, `between 2.5 and 4`.
    pub fn describe(self) -> String {
        let t = |x: f64| {
            let s = format!("{x}");
            s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
        };
        match self {
            Test::Compare(op, v) => format!("{} {}", op.symbol(), t(v)),
            Test::Between(lo, hi) => format!("between {} and {}", t(lo), t(hi)),
        }
    }

    /// How many times beyond its threshold `x` lies (1 at the threshold), for a one-sided
    /// comparison; `None` for a band or an equality.
    pub fn margin(self, x: f64) -> Option<f64> {
        match self {
            Test::Compare(Op::Ge | Op::Gt, v) if v > 0.0 && x > 0.0 => Some(x / v),
            Test::Compare(Op::Le | Op::Lt, v) if v > 0.0 && x > 0.0 => Some(v / x),
            _ => None,
        }
    }
}

/// A quantitative statement of the prose, checked against every results file.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Claim {
    /// `a / b`.
    Ratio(RatioClaim),
    /// `max / min` over every benchmark `benches` matches.
    Spread(SpreadClaim),
    /// The metric of one benchmark itself.
    Value(ValueClaim),
    /// One benchmark's time as a multiple of the time a limit of the machine card allows
    /// for the bytes it must move.
    Limit(LimitClaim),
    /// What each extra event costs: the difference of two benchmarks' times over the
    /// difference of their callgrind counts of an event.
    Penalty(PenaltyClaim),
}

/// A ratio claim.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioClaim {
    /// File name of the generated badge (`claim-<id>.md`).
    pub id: String,
    /// The statement, as the page makes it.
    pub text: String,
    /// The metric compared.
    pub metric: Metric,
    /// Numerator benchmark.
    pub a: String,
    /// Denominator benchmark.
    pub b: String,
    /// The comparison with `value` (or give `between`).
    #[serde(default)]
    pub op: Option<Op>,
    /// The threshold.
    #[serde(default)]
    pub value: Option<f64>,
    /// A two-sided band `[lo, hi]` instead of `op` and `value`.
    #[serde(default)]
    pub between: Option<[f64; 2]>,
    /// Why a threshold far below (or above) what was measured is right: the claim shows a
    /// direction only. Without it, `book check` lists a claim measured more than three times
    /// beyond its threshold as loose.
    #[serde(default)]
    pub loose: Option<String>,
}

/// A spread claim.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpreadClaim {
    /// File name of the generated badge.
    pub id: String,
    /// The statement.
    pub text: String,
    /// The metric compared.
    pub metric: Metric,
    /// The benchmarks (a selector matching at least two).
    pub benches: String,
    /// The comparison with `value` (or give `between`).
    #[serde(default)]
    pub op: Option<Op>,
    /// The threshold.
    #[serde(default)]
    pub value: Option<f64>,
    /// A two-sided band `[lo, hi]` instead of `op` and `value`.
    #[serde(default)]
    pub between: Option<[f64; 2]>,
    /// Why a threshold far below (or above) what was measured is right: the claim shows a
    /// direction only. Without it, `book check` lists a claim measured more than three times
    /// beyond its threshold as loose.
    #[serde(default)]
    pub loose: Option<String>,
}

/// A value claim.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueClaim {
    /// File name of the generated badge.
    pub id: String,
    /// The statement.
    pub text: String,
    /// The metric stated.
    pub metric: Metric,
    /// The benchmark.
    pub a: String,
    /// A parameter of the benchmark's case to divide the metric by (`elements`: cycles per
    /// element).
    #[serde(default)]
    pub per: Option<String>,
    /// The comparison with `value` (or give `between`).
    #[serde(default)]
    pub op: Option<Op>,
    /// The threshold.
    #[serde(default)]
    pub value: Option<f64>,
    /// A two-sided band `[lo, hi]` instead of `op` and `value`.
    #[serde(default)]
    pub between: Option<[f64; 2]>,
    /// Why a threshold far below (or above) what was measured is right: the claim shows a
    /// direction only. Without it, `book check` lists a claim measured more than three times
    /// beyond its threshold as loose.
    #[serde(default)]
    pub loose: Option<String>,
}

/// A limit claim: `a`'s time per iteration divided by `bytes` ÷ the card's bandwidth
/// `card`, so 1 is the limit and 2 twice as slow as the limit allows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitClaim {
    /// File name of the generated badge.
    pub id: String,
    /// The statement.
    pub text: String,
    /// The metric of `a`: a time per iteration (`median`).
    pub metric: Metric,
    /// The benchmark.
    pub a: String,
    /// The machine card's entry (a bandwidth in GB/s, `bandwidth/copy/t1`), from the card in
    /// the same results folder as the chapter's results.
    pub card: String,
    /// The bytes one iteration of `a` must move at that bandwidth.
    pub bytes: f64,
    /// The comparison with `value` (or give `between`).
    #[serde(default)]
    pub op: Option<Op>,
    /// The threshold.
    #[serde(default)]
    pub value: Option<f64>,
    /// A two-sided band `[lo, hi]` instead of `op` and `value`.
    #[serde(default)]
    pub between: Option<[f64; 2]>,
    /// Why a threshold far beyond what was measured is right (see [`RatioClaim::loose`]).
    #[serde(default)]
    pub loose: Option<String>,
}

/// A penalty claim: `(metric of a − metric of b) ÷ (events of a − events of b)`, the time
/// (or cycles) each extra event costs, when the two benchmarks differ in that event alone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltyClaim {
    /// File name of the generated badge.
    pub id: String,
    /// The statement.
    pub text: String,
    /// The wall-clock metric of both benchmarks: `median` (ns) or `cycles`.
    pub metric: Metric,
    /// The benchmark with more of the event.
    pub a: String,
    /// The benchmark with fewer.
    pub b: String,
    /// The callgrind count of the event (`Bcm`: simulated mispredicted conditional branches);
    /// `a` must count more of it than `b`.
    pub events: Metric,
    /// Where `a` has no callgrind count of its own (a wall-only case), the benchmark whose count
    /// of `events` stands for `a`'s: the same code on data of the same kind.
    #[serde(default)]
    pub events_a: Option<String>,
    /// Why `b` is taken to have none of the events on the processor, though callgrind counts
    /// some (a sequence the processor's predictor has memorised and callgrind's model cannot).
    /// With it, the divisor is `a`'s count alone; the claim then tests that model.
    #[serde(default)]
    pub b_events_none: Option<String>,
    /// The comparison with `value` (or give `between`).
    #[serde(default)]
    pub op: Option<Op>,
    /// The threshold.
    #[serde(default)]
    pub value: Option<f64>,
    /// A two-sided band `[lo, hi]` instead of `op` and `value`.
    #[serde(default)]
    pub between: Option<[f64; 2]>,
    /// Why a threshold far beyond what was measured is right (see [`RatioClaim::loose`]).
    #[serde(default)]
    pub loose: Option<String>,
}

impl Claim {
    /// The claim's id.
    pub fn id(&self) -> &str {
        match self {
            Claim::Ratio(c) => &c.id,
            Claim::Spread(c) => &c.id,
            Claim::Value(c) => &c.id,
            Claim::Limit(c) => &c.id,
            Claim::Penalty(c) => &c.id,
        }
    }

    /// The statement.
    pub fn text(&self) -> &str {
        match self {
            Claim::Ratio(c) => &c.text,
            Claim::Spread(c) => &c.text,
            Claim::Value(c) => &c.text,
            Claim::Limit(c) => &c.text,
            Claim::Penalty(c) => &c.text,
        }
    }

    /// The metric.
    pub fn metric(&self) -> &Metric {
        match self {
            Claim::Ratio(c) => &c.metric,
            Claim::Spread(c) => &c.metric,
            Claim::Value(c) => &c.metric,
            Claim::Limit(c) => &c.metric,
            Claim::Penalty(c) => &c.metric,
        }
    }

    /// What the claim says of its number, or what is wrong with how it says it.
    pub fn test(&self) -> std::result::Result<Test, String> {
        match self {
            Claim::Ratio(c) => Test::from_fields(c.op, c.value, c.between),
            Claim::Spread(c) => Test::from_fields(c.op, c.value, c.between),
            Claim::Value(c) => Test::from_fields(c.op, c.value, c.between),
            Claim::Limit(c) => Test::from_fields(c.op, c.value, c.between),
            Claim::Penalty(c) => Test::from_fields(c.op, c.value, c.between),
        }
    }

    /// Why the claim may lie far beyond its threshold, when its declaration says.
    pub fn loose(&self) -> Option<&str> {
        match self {
            Claim::Ratio(c) => c.loose.as_deref(),
            Claim::Spread(c) => c.loose.as_deref(),
            Claim::Value(c) => c.loose.as_deref(),
            Claim::Limit(c) => c.loose.as_deref(),
            Claim::Penalty(c) => c.loose.as_deref(),
        }
    }

    /// The selectors the claim names.
    pub fn selectors(&self) -> Vec<&str> {
        match self {
            Claim::Ratio(c) => vec![&c.a, &c.b],
            Claim::Spread(c) => vec![&c.benches],
            Claim::Value(c) => vec![&c.a],
            Claim::Limit(c) => vec![&c.a],
            Claim::Penalty(c) => {
                let mut ids = vec![c.a.as_str(), c.b.as_str()];
                ids.extend(c.events_a.as_deref());
                ids
            }
        }
    }

    /// Whether the claim is over callgrind counts (deterministic, enforced by tests).
    pub fn is_instr(&self) -> bool {
        self.metric().is_instr()
    }
}

/// Whether `id` is matched by `pattern`: an exact id; a three-part pattern whose parts may
/// hold `*` anywhere (`contend/*/t8`, `sum/kib*/avx*`); or any other pattern ending in `*`, a
/// prefix of the id (`samples/*`).
pub fn selects(pattern: &str, id: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == id;
    }
    let parts: Vec<&str> = pattern.split('/').collect();
    let idp: Vec<&str> = id.split('/').collect();
    if parts.len() == 3 && idp.len() == 3 {
        return parts.iter().zip(&idp).all(|(p, s)| glob(p, s));
    }
    pattern
        .strip_suffix('*')
        .is_some_and(|prefix| !prefix.contains('*') && id.starts_with(prefix))
}

/// `*` matches any run of characters within one part.
fn glob(pattern: &str, s: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == s,
        Some((head, tail)) => {
            let Some(rest) = s.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .any(|i| glob(tail, &rest[i..]))
        }
    }
}

/// Benchmark ids in `results` matched by `pattern` ([`selects`]), in row order: by the number
/// ending the id where both have one, else by name. (The x of a figure is a parameter.)
pub fn matching<'a>(results: &'a Results, pattern: &str) -> Vec<&'a str> {
    let mut ids: Vec<&str> = results
        .benchmarks
        .keys()
        .filter(|k| selects(pattern, k))
        .map(String::as_str)
        .collect();
    ids.sort_by(|a, b| match (trailing_number(a), trailing_number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    });
    ids
}

fn trailing_number(id: &str) -> Option<f64> {
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

impl Decl {
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
        Decl::parse(&text, path)
    }

    /// Parses declarations read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Decl> {
        let mut d: Decl = toml::from_str(text).with_context(|| {
            format!(
                "{} is not a valid declarations file (the format is documented in scripts/pipeline/src/decl/mod.rs)",
                path.display()
            )
        })?;
        d.path = path.to_path_buf();
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The module documentation's example, as a reader would copy it.
    #[test]
    fn the_documented_example_parses() {
        let doc = include_str!("mod.rs");
        let example: String = doc
            .lines()
            .skip_while(|l| *l != "//! ```toml")
            .skip(1)
            .take_while(|l| *l != "//! ```")
            .map(|l| {
                l.strip_prefix("//! ")
                    .or(l.strip_prefix("//!"))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let d = Decl::parse(&example, Path::new("example.toml")).expect("the example parses");
        assert_eq!(d.figure.len(), 2);
        assert!(matches!(&d.figure[0], Figure::Line(l) if l.x == "offset"));
        assert_eq!(d.table[0].rows.len(), 3);
        assert!(!d.claim.is_empty() && !d.listing.is_empty() && d.value.len() == 1);
        assert!(d.claim.iter().any(|c| matches!(c, Claim::Limit(_))));
        assert!(
            d.claim
                .iter()
                .any(|c| matches!(c, Claim::Value(v) if v.per.as_deref() == Some("chain_adds")))
        );
        assert_eq!(d.aa.len(), 1);
    }

    #[test]
    fn a_field_of_another_kind_is_a_parse_error() {
        let e = Decl::parse(
            "[[figure]]\nid = \"h\"\nkind = \"histogram\"\ntitle = \"t\"\nbench = \"a/b/c\"\nseries = []\n",
            Path::new("f.toml"),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("unknown field `series`"), "{e:#}");
        let e = Decl::parse(
            "[[claim]]\nid = \"c\"\ntext = \"t\"\nkind = \"value\"\nmetric = \"Ir\"\na = \"a/b/c\"\nb = \"a/b/d\"\nop = \"<\"\nvalue = 1\n",
            Path::new("f.toml"),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("unknown field `b`"), "{e:#}");
        let e = Decl::parse(
            "[[table]]\nid = \"t\"\nrows = [\"a/b/c\"]\ncolumns = [{ label = \"x\", metric = \"medain\" }]\n",
            Path::new("f.toml"),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("did you mean `median`"), "{e:#}");
    }

    #[test]
    fn selectors_take_a_star_in_any_part() {
        assert!(selects("contend/*/t8", "contend/mcs/t8"));
        assert!(!selects("contend/*/t8", "contend/mcs/t16"));
        assert!(selects("sum/kib*/avx*", "sum/kib16/avx512"));
        assert!(selects("samples/*", "samples/sort/n40"));
        assert!(selects("a/b/c", "a/b/c") && !selects("a/b/c", "a/b/cd"));
        assert!(!selects("a/*", "b/a/c"));
    }
}
