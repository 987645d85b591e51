//! Resolve: a chapter's declarations and one results file into a [`Plan`], everything that
//! will be drawn, tabulated and checked, as numbers and labels.
//!
//! This is the one place that looks names up: every id, metric, parameter and artifact a
//! declaration names is found here or the chapter stops with the file and the fix. What comes
//! out holds no names to look up again, so rendering cannot fail on a missing value.
//! `[[requires]]` is applied here too: on a machine without a feature, what names its ids is
//! dropped and its claims set aside.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::claims::{self, Outcome};
use crate::decl::{
    Bars, Better, Cdf, Claim, Decl, Figure, Histogram, LimitClaim, Line, ListingSource, Metric,
    Percentiles, Row, Scatter, Series, Threads, Unit, WallMetric, matching,
};
use crate::format;
use crate::results::{Bench, Results};

/// Everything a chapter renders, resolved.
#[derive(Debug)]
pub struct Plan {
    /// Figures in declaration order.
    pub figures: Vec<PlannedFigure>,
    /// Tables in declaration order.
    pub tables: Vec<PlannedTable>,
    /// Listings in declaration order.
    pub listings: Vec<PlannedListing>,
    /// Quoted values: id and the number as the page shows it (`1.23 ns`).
    pub values: Vec<(String, String)>,
    /// Claims evaluated, in declaration order, then those set aside on this machine.
    pub claims: Vec<Outcome>,
    /// The checks (`[[check]]`): identities the test suite enforces, shown on no page.
    pub checks: Vec<Outcome>,
    /// The run's A/A control, when the chapter declares one: the largest factor by which its
    /// same-code pairs differ (their intervals included), and the pairs.
    pub aa: Option<(f64, Vec<(String, String)>)>,
}

/// Points `(x, y)` of one series.
type Points = Vec<(f64, f64)>;
/// Error bars `(x, lo, hi)` of one series.
type ErrorBars = Vec<(f64, f64, f64)>;

/// A figure ready to draw.
#[derive(Debug)]
pub struct PlannedFigure {
    /// File name and anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// What is drawn.
    pub body: Body,
}

/// What a figure draws, by kind.
#[derive(Debug)]
pub enum Body {
    /// Lines of points (line, threads, percentiles and CDF figures all draw as lines).
    Lines(LinePlot),
    /// Points with an optional front.
    Scatter(ScatterPlot),
    /// Grouped bars.
    Bars(BarPlot),
    /// A histogram of samples.
    Histogram(HistPlot),
    /// A flame graph of these folded stacks.
    Flamegraph(String),
}

/// How a line is stroked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stroke {
    /// A measured series.
    Solid,
    /// A model or bound drawn for comparison (ideal scaling).
    Dashed,
}

/// One line: label, points in drawing order, optional error bars `(x, lo, hi)`.
#[derive(Debug)]
pub struct Drawn {
    /// Legend entry.
    pub label: String,
    /// Points.
    pub points: Vec<(f64, f64)>,
    /// Error bars.
    pub bars: Vec<(f64, f64, f64)>,
    /// Stroke.
    pub stroke: Stroke,
    /// Index of the style (colour, marker) it takes; a dashed model line takes its series'.
    pub style: usize,
}

/// An axis.
#[derive(Debug, Clone)]
pub struct Axis {
    /// Its label, with the unit.
    pub desc: String,
    /// Logarithmic.
    pub log: bool,
    /// Start at zero (linear only).
    pub zero: bool,
    /// Fixed ticks `(position, label)` instead of the usual ones.
    pub ticks: Option<Vec<(f64, String)>>,
}

/// A plot of lines.
#[derive(Debug)]
pub struct LinePlot {
    /// The x axis.
    pub x: Axis,
    /// The y axis.
    pub y: Axis,
    /// The lines.
    pub series: Vec<Drawn>,
}

/// A scatter plot.
#[derive(Debug)]
pub struct ScatterPlot {
    /// The x axis.
    pub x: Axis,
    /// The y axis.
    pub y: Axis,
    /// Groups of points `(x, y)`, each with its legend entry.
    pub groups: Vec<(String, Vec<(f64, f64)>)>,
    /// The Pareto front, in x order, when declared.
    pub front: Vec<(f64, f64)>,
}

/// A grouped bar chart.
#[derive(Debug)]
pub struct BarPlot {
    /// The y axis.
    pub y: Axis,
    /// Group names, in order of first appearance.
    pub categories: Vec<String>,
    /// One series per implementation: its legend entry and a value per group (none where it
    /// has no benchmark in that group).
    pub series: Vec<(String, Vec<Option<f64>>)>,
}

/// A histogram.
#[derive(Debug)]
pub struct HistPlot {
    /// The x axis.
    pub x: Axis,
    /// The y axis label.
    pub y_desc: String,
    /// The samples, in the axis unit.
    pub samples: Vec<f64>,
    /// The median, in the axis unit.
    pub median: f64,
    /// The unit's suffix, for the legend.
    pub suffix: String,
    /// Number of bins.
    pub bins: usize,
}

/// A table ready to write.
#[derive(Debug)]
pub struct PlannedTable {
    /// File name.
    pub id: String,
    /// Heading of the first column.
    pub row_heading: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows: label and one cell per column.
    pub rows: Vec<(String, Vec<Cell>)>,
}

/// A table cell.
#[derive(Debug)]
pub enum Cell {
    /// A value in a unit (by name, as [`format::value`] takes it).
    Value(f64, &'static str),
    /// A ratio, shown as `1.23×`.
    Ratio(f64),
}

/// A listing ready to write.
#[derive(Debug)]
pub struct PlannedListing {
    /// File name and anchor.
    pub id: String,
    /// Caption.
    pub title: String,
    /// The text.
    pub text: String,
    /// Highlighting language.
    pub lang: String,
    /// The library function whose assembly it is, when it is one.
    pub symbol: Option<String>,
    /// The artifact's name.
    pub artifact: String,
}

/// The value of `metric` for one benchmark, if it was measured; `clock_ghz` is the machine's
/// measured clock, which `cycles` needs.
pub fn value(b: &Bench, metric: &Metric, clock_ghz: Option<f64>) -> Option<f64> {
    match metric {
        Metric::Custom(n) => b.custom.as_ref()?.get(n).copied(),
        Metric::Instr(e) => b.instr.as_ref()?.get(*e).copied(),
        Metric::Percentile(p) => b
            .distribution
            .as_ref()?
            .percentiles
            .iter()
            .find(|(q, _)| (q - p).abs() < 1e-9)
            .map(|(_, v)| *v),
        Metric::Wall(w) => {
            let s = b.wall.as_ref()?;
            Some(match w {
                WallMetric::Median => s.median,
                WallMetric::Min => s.samples.iter().copied().fold(f64::INFINITY, f64::min),
                WallMetric::MedianLo => s.median_lo,
                WallMetric::MedianHi => s.median_hi,
                WallMetric::Mean => s.mean,
                WallMetric::StdDev => s.std_dev,
                WallMetric::Mad => s.mad,
                WallMetric::CiRel => (s.median_hi - s.median_lo) / 2.0 / s.median * 100.0,
                WallMetric::Cv => s.std_dev / s.mean * 100.0,
                WallMetric::GbPerS => s.bytes? as f64 / s.median,
                WallMetric::Cycles => s.median * clock_ghz?,
            })
        }
    }
}

/// The unit a metric is shown in when the declaration names none, given its values.
fn natural_unit(metric: &Metric, values: &[f64]) -> &'static str {
    match metric {
        Metric::Instr(_) | Metric::Custom(_) => "count",
        Metric::Wall(WallMetric::CiRel | WallMetric::Cv) => "pct",
        Metric::Wall(WallMetric::GbPerS) => "gbps",
        Metric::Wall(WallMetric::Cycles) => "cycles",
        _ => format::auto_time_unit(values.iter().copied().fold(0.0, f64::max)),
    }
}

/// A label from a template: `{case}`, `{function}`, `{group}` and the case's parameters.
fn label(template: &str, id: &str, b: &Bench) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    let parts: Vec<&str> = id.split('/').collect();
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            return Err(format!("`{template}` opens a `{{` it does not close"));
        };
        let name = &rest[i + 1..i + j];
        let v = match name {
            "group" => parts.first().map(|s| s.to_string()),
            "function" => parts.get(1).map(|s| s.to_string()),
            "case" => parts.get(2).map(|s| s.to_string()),
            p => b.params.get(p).map(|v| claims::trim_float(*v)),
        };
        match v {
            Some(v) => out.push_str(&v),
            None => {
                return Err(format!(
                    "`{template}` names `{{{name}}}`, but `{id}` has no such parameter (it has {:?}); use `{{case}}`, `{{function}}`, `{{group}}` or a parameter the case list declares",
                    b.params.keys().collect::<Vec<_>>()
                ));
            }
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Resolves a chapter's declarations against one results file (read from `results_path`).
pub fn resolve(decl: &Decl, results: &Results, results_path: &Path) -> Result<Plan> {
    resolve_with(decl, results, results_path, CardNeed::Required)
}

/// What a limit claim does when the results' folder holds no machine card, and an A/A pair
/// when the results do not hold it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardNeed {
    /// Stop, naming the folder and how to measure the card (the book's own results).
    Required,
    /// Set the claim aside as not measured there, and measure the run without an A/A control
    /// (another machine's folder, on appendix C, whose results may predate both).
    Optional,
}

/// As [`resolve`], saying what a limit claim does without a card.
pub fn resolve_with(
    decl: &Decl,
    results: &Results,
    results_path: &Path,
    need: CardNeed,
) -> Result<Plan> {
    let has_limits = decl.claim.iter().any(|c| matches!(c, Claim::Limit(_)));
    let card = if has_limits {
        card_beside(results, results_path)?
    } else {
        None
    };
    Resolver {
        decl,
        r: results,
        file: decl.path.display().to_string(),
        results_path,
        card,
        need,
    }
    .run()
}

/// The machine card in the folder of `results_path`, when there is one; a card of another
/// machine than the results' stops.
fn card_beside(results: &Results, results_path: &Path) -> Result<Option<crate::card::Card>> {
    let Some(dir) = results_path.parent() else {
        return Ok(None);
    };
    let path = dir.join(crate::card::FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let card = crate::card::Card::load(&path)?;
    if card.machine.id != results.machine.id {
        bail!(
            "{} was measured on `{}`, but {} on `{}`: a chapter's limits come from its own machine's card; measure the card here with `scripts/book.sh card`",
            path.display(),
            card.machine.id,
            results_path.display(),
            results.machine.id
        );
    }
    Ok(Some(card))
}

struct Resolver<'a> {
    decl: &'a Decl,
    r: &'a Results,
    file: String,
    results_path: &'a Path,
    card: Option<crate::card::Card>,
    need: CardNeed,
}

impl Resolver<'_> {
    fn fix(&self) -> String {
        format!(
            "fix the name in {}, or measure it: `scripts/book.sh --chapters {}` writes a new {}",
            self.file,
            self.r.chapter,
            self.results_path.display()
        )
    }

    /// Why numbers in cycles cannot be given for these results, when their machine facts
    /// hold a clock measurement that did not determine the clock (the two chains disagreed,
    /// or the architecture has no such measurement). Results without facts predate the
    /// measurement and are handled where a claim needs what they lack.
    fn no_clock(&self) -> Option<String> {
        let f = self.r.machine.facts.as_ref()?;
        if f.clock_ghz.is_some() {
            return None;
        }
        Some(match (f.clock_imul_ghz, f.clock_add_ghz) {
            (Some(i), Some(a)) => format!(
                "this machine's clock was not determined (the imul chain gave {} GHz and the add chain {} GHz, which disagree), so no time is given in cycles",
                format::sig3(i),
                format::sig3(a)
            ),
            _ => "this machine's clock was not measured (the measurement is x86-64 only), so no time is given in cycles".to_string(),
        })
    }

    /// [`Self::no_clock`], for a metric: `Some` when it is `cycles` and the clock is not
    /// known.
    fn no_clock_for(&self, m: &Metric) -> Option<String> {
        matches!(m, Metric::Wall(WallMetric::Cycles))
            .then(|| self.no_clock())
            .flatten()
    }

    /// Why ids named by `pattern` were not measured on this machine, if they were not.
    fn aside(&self, pattern: &str) -> Option<String> {
        self.decl
            .requires
            .iter()
            .filter(|r| !self.r.machine.simd.contains(&r.feature))
            .find(|r| {
                pattern
                    .split('/')
                    .any(|p| p == r.part || p.strip_suffix('*') == Some(r.part.as_str()))
            })
            .map(|r| format!("this CPU has no {}", r.feature))
    }

    /// The ids `pattern` matches, each holding `metric` when one is given.
    fn ids(&self, what: &str, pattern: &str, metric: Option<&Metric>) -> Result<Vec<&str>> {
        let ids = matching(self.r, pattern);
        if ids.is_empty() {
            let known: Vec<&str> = self.r.benchmarks.keys().map(String::as_str).collect();
            bail!(
                "{}: {what} names benchmark `{pattern}`, which is not in {} (known: {}): {}",
                self.file,
                self.results_path.display(),
                known.join(", "),
                self.fix()
            );
        }
        if let Some(m) = metric {
            for id in &ids {
                let b = &self.r.benchmarks[*id];
                if value(b, m, self.clock_ghz()).is_none() {
                    let why = match m {
                        Metric::Custom(n) => {
                            format!("no custom measurement named `{n}` was recorded for it")
                        }
                        Metric::Instr(_) => "no callgrind run".to_string(),
                        Metric::Percentile(p) => {
                            format!("no distribution with percentile {p} was recorded for it")
                        }
                        Metric::Wall(WallMetric::GbPerS) if b.wall.is_some() => {
                            "its criterion group declared no `Throughput::Bytes`".to_string()
                        }
                        Metric::Wall(WallMetric::Cycles) if b.wall.is_some() => match self.no_clock() {
                            Some(why) => why,
                            None => "cycles need the machine's measured clock, which these results predate: measure the chapter again".to_string(),
                        },
                        Metric::Wall(_) => "no criterion run".to_string(),
                    };
                    bail!(
                        "{}: {what} needs metric `{m}` of `{id}`, which {} does not hold ({why}): {}",
                        self.file,
                        self.results_path.display(),
                        self.fix()
                    );
                }
            }
        }
        Ok(ids)
    }

    fn get(&self, id: &str, m: &Metric) -> f64 {
        value(&self.r.benchmarks[id], m, self.clock_ghz()).unwrap_or(f64::NAN)
    }

    /// The machine's measured clock, from its facts (absent in older results).
    fn clock_ghz(&self) -> Option<f64> {
        self.r.machine.facts.as_ref().and_then(|f| f.clock_ghz)
    }

    /// A case parameter to divide a metric by (`per = "elements"`); it must be positive.
    fn divisor(&self, what: &str, id: &str, x: &str) -> Result<f64> {
        let n = self.param(what, id, x)?;
        if !(n.is_finite() && n > 0.0) {
            bail!(
                "{}: {what} divides by parameter `{x}` of `{id}`, which is {n}: a count to divide by must be positive",
                self.file
            );
        }
        Ok(n)
    }

    fn param(&self, what: &str, id: &str, x: &str) -> Result<f64> {
        let b = &self.r.benchmarks[id];
        b.params.get(x).copied().with_context(|| {
            format!(
                "{}: {what}: benchmark `{id}` has no parameter `{x}` in {} (it has {:?}): give the case that parameter in the chapter's src/cases.rs and measure again (or `book adopt-cases`), or name one it has",
                self.file,
                self.results_path.display(),
                b.params.keys().collect::<Vec<_>>()
            )
        })
    }

    fn run(&self) -> Result<Plan> {
        let features = crate::machine::feature_names();
        for r in &self.decl.requires {
            if !features.contains(&r.feature) || r.part.is_empty() || r.part.contains('/') {
                bail!(
                    "{}: `requires` names part `{}` and feature `{}`: the part must be one `/`-separated piece of a benchmark id, and the feature one of {}",
                    self.file,
                    r.part,
                    r.feature,
                    features.join(", ")
                );
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut unique = |kind: &str, id: &str| -> Result<()> {
            if !seen.insert(id.to_string()) {
                bail!(
                    "{}: {kind} `{id}` is declared twice: give each figure, table, listing and claim its own id",
                    self.file
                );
            }
            Ok(())
        };
        // Another machine's results are evaluated for their claims only (appendix C shows
        // nothing else), and may predate what newer figures and tables name.
        let own = self.need == CardNeed::Required;
        let mut figures = Vec::new();
        for f in self.decl.figure.iter().filter(|_| own) {
            unique("figure", f.id())?;
            let what = format!("figure `{}`", f.id());
            let body = match f {
                Figure::Line(l) => Body::Lines(self.line(&what, l)?),
                Figure::Threads(t) => Body::Lines(self.threads(&what, t)?),
                Figure::Percentiles(p) => Body::Lines(self.percentiles(&what, p)?),
                Figure::Cdf(c) => Body::Lines(self.cdf(&what, c)?),
                Figure::Scatter(s) => Body::Scatter(self.scatter(&what, s)?),
                Figure::Bars(b) => Body::Bars(self.bars(&what, b)?),
                Figure::Histogram(h) => Body::Histogram(self.histogram(&what, h)?),
                Figure::Flamegraph(g) => Body::Flamegraph(self.flamegraph(&what, &g.artifact)?),
            };
            figures.push(PlannedFigure {
                id: f.id().to_string(),
                title: f.title().to_string(),
                body,
            });
        }
        let mut tables = Vec::new();
        for t in self.decl.table.iter().filter(|_| own) {
            unique("table", &t.id)?;
            tables.push(self.table(t)?);
        }
        let mut listings = Vec::new();
        for l in self.decl.listing.iter().filter(|_| own) {
            unique("listing", &l.id)?;
            listings.push(self.listing(l)?);
        }
        let mut values = Vec::new();
        for v in self.decl.value.iter().filter(|_| own) {
            unique("value", &format!("value-{}", v.id))?;
            let what = format!("value `{}`", v.id);
            if let Some(why) = self.no_clock_for(&v.metric) {
                values.push((v.id.clone(), format!("not known ({why})")));
                continue;
            }
            let ids = self.ids(&what, &v.bench, Some(&v.metric))?;
            if ids.len() != 1 || ids[0] != v.bench {
                bail!(
                    "{}: {what} quotes one benchmark, and `{}` is a selector",
                    self.file,
                    v.bench
                );
            }
            let mut x = self.get(ids[0], &v.metric);
            if let Some(per) = &v.per {
                x /= self.divisor(&what, ids[0], per)?;
            }
            let unit = v
                .unit
                .map(Unit::name)
                .unwrap_or_else(|| natural_unit(&v.metric, &[x]));
            values.push((v.id.clone(), format::value(x, unit)));
        }
        let mut claims = Vec::new();
        let mut aside = Vec::new();
        let aa = self.aa_spread()?;
        for c in &self.decl.claim {
            unique("claim", &format!("claim-{}", c.id()))?;
            let why = c
                .selectors()
                .into_iter()
                .find_map(|p| self.aside(p))
                .or_else(|| self.no_card(c))
                .or_else(|| self.no_clock_for(c.metric()));
            match why {
                Some(why) => aside.push(claims::set_aside(c, why)),
                None => match self.claim(c, aa) {
                    Ok(o) => claims.push(o),
                    // A claim newer than another machine's results (a benchmark, a parameter
                    // or the measured clock they lack) is not measured there.
                    Err(_) if !own => aside.push(claims::set_aside(
                        c,
                        "these results predate what the claim needs (a benchmark, a case parameter or the measured clock)".into(),
                    )),
                    Err(e) => return Err(e),
                },
            }
        }
        claims.extend(aside);
        let mut checks = Vec::new();
        for c in &self.decl.check {
            unique("check", &format!("check-{}", c.id()))?;
            if !c.is_instr() {
                bail!(
                    "{}: check `{}` is over `{}`, which is not a callgrind count: a check is enforced by the test suite, so it must be deterministic; make it a [[claim]]",
                    self.file,
                    c.id(),
                    c.metric()
                );
            }
            if let Some(why) = c.selectors().into_iter().find_map(|p| self.aside(p)) {
                checks.push(claims::set_aside(c, why));
            } else {
                checks.push(self.claim(c, None)?);
            }
        }
        Ok(Plan {
            figures,
            tables,
            listings,
            values,
            claims,
            checks,
            aa: aa.map(|spread| {
                let pairs = self
                    .decl
                    .aa
                    .iter()
                    .map(|p| (p.a.clone(), p.b.clone()))
                    .collect();
                (spread, pairs)
            }),
        })
    }

    fn series_points(
        &self,
        what: &str,
        s: &Series,
        x: &str,
        div: f64,
    ) -> Result<(Points, ErrorBars)> {
        let ids = self.ids(what, &s.benches, Some(&s.metric))?;
        let mut pts = Vec::new();
        let mut bars = Vec::new();
        for id in ids {
            let xv = self.param(what, id, x)?;
            pts.push((xv, self.get(id, &s.metric) / div));
            if s.error_bars {
                let w = self.r.benchmarks[id].wall.as_ref().with_context(|| {
                    format!(
                        "{}: {what}: error bars need criterion's interval, and `{id}` has no criterion run",
                        self.file
                    )
                })?;
                let (lo, hi) = match (&s.metric, w.bytes) {
                    // Throughput: the slow end of the interval is the low rate.
                    (Metric::Wall(WallMetric::GbPerS), Some(n)) => {
                        (n as f64 / w.median_hi, n as f64 / w.median_lo)
                    }
                    (Metric::Wall(WallMetric::Median), _) => (w.median_lo, w.median_hi),
                    _ => bail!(
                        "{}: {what}: error bars are the median's interval; set `metric = \"median\"` (or `gb_per_s`) or drop `error_bars`",
                        self.file
                    ),
                };
                bars.push((xv, lo / div, hi / div));
            }
        }
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        bars.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok((pts, bars))
    }

    /// The unit of a figure's values: the declared one, or the natural one of its first
    /// series' metric over all its values.
    fn figure_unit(&self, unit: Option<Unit>, series: &[&Series]) -> &'static str {
        if let Some(u) = unit {
            return u.name();
        }
        let all: Vec<f64> = series
            .iter()
            .flat_map(|s| {
                matching(self.r, &s.benches)
                    .into_iter()
                    .filter_map(|id| value(&self.r.benchmarks[id], &s.metric, self.clock_ghz()))
            })
            .collect();
        natural_unit(&series[0].metric, &all)
    }

    fn line(&self, what: &str, f: &Line) -> Result<LinePlot> {
        let series: Vec<&Series> = f
            .series
            .iter()
            .filter(|s| self.aside(&s.benches).is_none())
            .collect();
        if f.series.is_empty() {
            bail!("{}: {what} has no `[[figure.series]]`: add one", self.file);
        }
        if series.is_empty() {
            bail!(
                "{}: {what}: every series names benchmarks this CPU cannot run; declare the figure for a machine that can",
                self.file
            );
        }
        let unit = self.figure_unit(f.unit, &series);
        let (div, suffix) = format::unit(unit);
        let mut drawn = Vec::new();
        for (i, s) in series.iter().enumerate() {
            let (points, bars) = self.series_points(what, s, &f.x, div)?;
            drawn.push(Drawn {
                label: s.label.clone(),
                points,
                bars,
                stroke: Stroke::Solid,
                style: i,
            });
        }
        let y_desc = match suffix {
            "" => f.y_label.clone().unwrap_or_default(),
            s => format!(
                "{} ({s})",
                f.y_label.clone().unwrap_or_else(|| series[0].metric.name())
            ),
        };
        Ok(LinePlot {
            x: Axis {
                desc: f.x_label.clone().unwrap_or_default(),
                log: f.x_log,
                zero: false,
                ticks: None,
            },
            y: Axis {
                desc: y_desc,
                log: f.y_log,
                zero: f.y_zero,
                ticks: None,
            },
            series: drawn,
        })
    }

    fn threads(&self, what: &str, f: &Threads) -> Result<LinePlot> {
        let series: Vec<&Series> = f
            .series
            .iter()
            .filter(|s| self.aside(&s.benches).is_none())
            .collect();
        if series.is_empty() {
            bail!("{}: {what} has no series it can draw here", self.file);
        }
        let unit = self.figure_unit(f.unit, &series);
        let (div, suffix) = format::unit(unit);
        let mut drawn = Vec::new();
        for (i, s) in series.iter().enumerate() {
            let (points, bars) = self.series_points(what, s, &f.x, div)?;
            drawn.push(Drawn {
                label: s.label.clone(),
                points: points.clone(),
                bars,
                stroke: Stroke::Solid,
                style: i,
            });
            if f.ideal
                && let Some(&(x0, y0)) = points.first()
            {
                if x0 <= 0.0 {
                    bail!(
                        "{}: {what}: ideal scaling starts from the smallest thread count, and `{}` starts at {x0}",
                        self.file,
                        s.benches
                    );
                }
                drawn.push(Drawn {
                    label: format!("{} × threads (ideal)", s.label),
                    points: points.iter().map(|&(x, _)| (x, y0 * x / x0)).collect(),
                    bars: Vec::new(),
                    stroke: Stroke::Dashed,
                    style: i,
                });
            }
        }
        let label = f.y_label.clone().unwrap_or_else(|| series[0].metric.name());
        Ok(LinePlot {
            x: Axis {
                desc: "threads".into(),
                log: f.x_log,
                zero: false,
                ticks: None,
            },
            y: Axis {
                desc: if suffix.is_empty() {
                    label
                } else {
                    format!("{label} ({suffix})")
                },
                log: false,
                zero: true,
                ticks: None,
            },
            series: drawn,
        })
    }

    /// The recorded distribution of one benchmark, in ns or the record's unit.
    fn distribution(&self, what: &str, bench: &str) -> Result<&bookproto::Distribution> {
        let ids = self.ids(what, bench, None)?;
        if ids.len() != 1 {
            bail!(
                "{}: {what}: a distribution series names one benchmark, and `{bench}` matches {}",
                self.file,
                ids.len()
            );
        }
        self.r.benchmarks[ids[0]].distribution.as_ref().with_context(|| {
            format!(
                "{}: {what}: `{bench}` recorded no distribution in {}: record one with `benchkit::custom::record_full` (the experiment runner does) and measure again",
                self.file,
                self.results_path.display()
            )
        })
    }

    fn percentiles(&self, what: &str, f: &Percentiles) -> Result<LinePlot> {
        let dists: Vec<(&str, &bookproto::Distribution)> = f
            .series
            .iter()
            .filter(|s| self.aside(&s.bench).is_none())
            .map(|s| Ok((s.label.as_str(), self.distribution(what, &s.bench)?)))
            .collect::<Result<_>>()?;
        if dists.is_empty() {
            bail!("{}: {what} has no series it can draw here", self.file);
        }
        let max = dists
            .iter()
            .flat_map(|(_, d)| d.percentiles.iter().map(|p| p.1))
            .fold(0.0, f64::max);
        let unit = f
            .unit
            .map(Unit::name)
            .unwrap_or(format::auto_time_unit(max));
        let (div, suffix) = format::unit(unit);
        // The "nines" axis: percentile p sits at -log10(1 - p/100), so 90, 99, 99.9 and 99.99
        // are evenly spaced, as in HdrHistogram's percentile plots.
        let nines = |p: f64| -(1.0 - p / 100.0).log10();
        let top = dists
            .iter()
            .flat_map(|(_, d)| d.percentiles.iter().map(|p| p.0))
            .fold(50.0, f64::max);
        let ticks = [50.0, 90.0, 99.0, 99.9, 99.99, 99.999]
            .into_iter()
            .filter(|&p| p <= top + 1e-9)
            .map(|p| (nines(p), claims::trim_float(p)))
            .collect();
        let series = dists
            .iter()
            .enumerate()
            .map(|(i, (label, d))| Drawn {
                label: format!("{label} ({} values)", format::count(d.count as f64)),
                points: d
                    .percentiles
                    .iter()
                    .map(|&(p, v)| (nines(p), v / div))
                    .collect(),
                bars: Vec::new(),
                stroke: Stroke::Solid,
                style: i,
            })
            .collect();
        Ok(LinePlot {
            x: Axis {
                desc: "percentile".into(),
                log: false,
                zero: false,
                ticks: Some(ticks),
            },
            y: Axis {
                desc: format!("{} ({suffix})", f.y_label.as_deref().unwrap_or("latency")),
                log: f.y_log,
                zero: !f.y_log,
                ticks: None,
            },
            series,
        })
    }

    fn cdf(&self, what: &str, f: &Cdf) -> Result<LinePlot> {
        let mut curves: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
        for s in f.series.iter().filter(|s| self.aside(&s.bench).is_none()) {
            let ids = self.ids(what, &s.bench, None)?;
            let b = &self.r.benchmarks[ids[0]];
            let pts: Vec<(f64, f64)> = match (&b.distribution, &b.wall) {
                (Some(d), _) => d.percentiles.iter().map(|&(p, v)| (v, p / 100.0)).collect(),
                (None, Some(w)) => {
                    let mut xs = w.samples.clone();
                    xs.sort_by(f64::total_cmp);
                    let n = xs.len() as f64;
                    xs.iter()
                        .enumerate()
                        .map(|(i, &x)| (x, (i + 1) as f64 / n))
                        .collect()
                }
                (None, None) => bail!(
                    "{}: {what}: `{}` has neither a distribution nor wall-clock samples in {}",
                    self.file,
                    s.bench,
                    self.results_path.display()
                ),
            };
            curves.push((s.label.clone(), pts));
        }
        let max = curves
            .iter()
            .flat_map(|c| c.1.iter().map(|p| p.0))
            .fold(0.0, f64::max);
        let unit = f
            .unit
            .map(Unit::name)
            .unwrap_or(format::auto_time_unit(max));
        let (div, suffix) = format::unit(unit);
        Ok(LinePlot {
            x: Axis {
                desc: format!("{} ({suffix})", f.x_label.as_deref().unwrap_or("latency")),
                log: f.x_log,
                zero: false,
                ticks: None,
            },
            y: Axis {
                desc: "fraction at or below".into(),
                log: false,
                zero: true,
                ticks: None,
            },
            series: curves
                .into_iter()
                .enumerate()
                .map(|(i, (label, pts))| Drawn {
                    label,
                    points: pts.into_iter().map(|(x, y)| (x / div, y)).collect(),
                    bars: Vec::new(),
                    stroke: Stroke::Solid,
                    style: i,
                })
                .collect(),
        })
    }

    fn scatter(&self, what: &str, f: &Scatter) -> Result<ScatterPlot> {
        let mut groups = Vec::new();
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for s in f.series.iter().filter(|s| self.aside(&s.benches).is_none()) {
            let ids = self.ids(what, &s.benches, Some(&f.x_metric))?;
            self.ids(what, &s.benches, Some(&f.y_metric))?;
            let pts: Vec<(f64, f64)> = ids
                .iter()
                .map(|id| (self.get(id, &f.x_metric), self.get(id, &f.y_metric)))
                .collect();
            xs.extend(pts.iter().map(|p| p.0));
            ys.extend(pts.iter().map(|p| p.1));
            groups.push((s.label.clone(), pts));
        }
        let xu = f
            .x_unit
            .map(Unit::name)
            .unwrap_or_else(|| natural_unit(&f.x_metric, &xs));
        let yu = f
            .y_unit
            .map(Unit::name)
            .unwrap_or_else(|| natural_unit(&f.y_metric, &ys));
        let (xd, xs_) = format::unit(xu);
        let (yd, ys_) = format::unit(yu);
        for g in &mut groups {
            for p in &mut g.1 {
                *p = (p.0 / xd, p.1 / yd);
            }
        }
        let front = match f.pareto {
            None => Vec::new(),
            Some(p) => pareto_front(groups.iter().flat_map(|g| g.1.iter().copied()), p.x, p.y),
        };
        let desc = |l: &Option<String>, m: &Metric, s: &str| {
            let l = l.clone().unwrap_or_else(|| m.name());
            if s.is_empty() {
                l
            } else {
                format!("{l} ({s})")
            }
        };
        Ok(ScatterPlot {
            x: Axis {
                desc: desc(&f.x_label, &f.x_metric, xs_),
                log: f.x_log,
                zero: false,
                ticks: None,
            },
            y: Axis {
                desc: desc(&f.y_label, &f.y_metric, ys_),
                log: f.y_log,
                zero: false,
                ticks: None,
            },
            groups,
            front,
        })
    }

    fn bars(&self, what: &str, f: &Bars) -> Result<BarPlot> {
        let mut categories: Vec<String> = Vec::new();
        let mut cells: Vec<(String, BTreeMap<String, f64>)> = Vec::new();
        let mut all = Vec::new();
        for s in f.series.iter().filter(|s| self.aside(&s.benches).is_none()) {
            let mut m = BTreeMap::new();
            for id in self.ids(what, &s.benches, Some(&f.metric))? {
                let cat = label(&f.category, id, &self.r.benchmarks[id])
                    .map_err(|e| anyhow::anyhow!("{}: {what}: {e}", self.file))?;
                if !categories.contains(&cat) {
                    categories.push(cat.clone());
                }
                let v = self.get(id, &f.metric);
                all.push(v);
                if m.insert(cat.clone(), v).is_some() {
                    bail!(
                        "{}: {what}: series `{}` has two bars in group `{cat}`: make `category` tell its benchmarks apart",
                        self.file,
                        s.label
                    );
                }
            }
            cells.push((s.label.clone(), m));
        }
        let unit = f
            .unit
            .map(Unit::name)
            .unwrap_or_else(|| natural_unit(&f.metric, &all));
        let (div, suffix) = format::unit(unit);
        let label = f.y_label.clone().unwrap_or_else(|| f.metric.name());
        Ok(BarPlot {
            y: Axis {
                desc: if suffix.is_empty() {
                    label
                } else {
                    format!("{label} ({suffix})")
                },
                log: f.y_log,
                zero: !f.y_log,
                ticks: None,
            },
            series: cells
                .into_iter()
                .map(|(l, m)| {
                    let vals = categories
                        .iter()
                        .map(|c| m.get(c).map(|v| v / div))
                        .collect();
                    (l, vals)
                })
                .collect(),
            categories,
        })
    }

    fn histogram(&self, what: &str, f: &Histogram) -> Result<HistPlot> {
        self.ids(what, &f.bench, Some(&Metric::Wall(WallMetric::Median)))?;
        let w = self.r.benchmarks[f.bench.as_str()]
            .wall
            .as_ref()
            .expect("checked by ids");
        let unit = f
            .unit
            .map(Unit::name)
            .unwrap_or(format::auto_time_unit(w.median));
        let (div, suffix) = format::unit(unit);
        Ok(HistPlot {
            x: Axis {
                desc: format!(
                    "{} ({suffix})",
                    f.x_label.as_deref().unwrap_or("time per iteration")
                ),
                log: false,
                zero: false,
                ticks: None,
            },
            y_desc: f.y_label.clone().unwrap_or_else(|| "samples".into()),
            samples: w.samples.iter().map(|x| x / div).collect(),
            median: w.median / div,
            suffix: suffix.to_string(),
            bins: f.bins.max(1),
        })
    }

    fn flamegraph(&self, what: &str, a: &str) -> Result<String> {
        let text = self.r.artifacts.get(a).with_context(|| {
            format!(
                "{}: {what} draws artifact `{a}`, which {} does not hold (it holds: {}): store it with `benchkit::custom::artifact(\"{a}\", ...)` and measure again",
                self.file,
                self.results_path.display(),
                self.r.artifacts.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        })?;
        if let Some((n, bad)) = text.lines().enumerate().find(|(_, l)| {
            l.rsplit_once(' ')
                .is_none_or(|(stack, c)| stack.is_empty() || c.parse::<u64>().is_err())
        }) {
            bail!(
                "{}: {what}: line {} of artifact `{a}` in {} is not folded stacks (`frame;frame count`): {bad:?}; fix the benchmark that writes it and measure again",
                self.file,
                n + 1,
                self.results_path.display()
            );
        }
        Ok(text.clone())
    }

    fn table(&self, t: &crate::decl::Table) -> Result<PlannedTable> {
        let what = format!("table `{}`", t.id);
        let columns: Vec<&crate::decl::Column> = t
            .columns
            .iter()
            .filter(|c| c.ratio_to.as_deref().and_then(|b| self.aside(b)).is_none())
            // Without the machine's clock a column in cycles has no numbers; the setup box
            // says why.
            .filter(|c| self.no_clock_for(&c.metric).is_none())
            .collect();
        let mut rows: Vec<(String, &str)> = Vec::new();
        for row in t.rows.iter().filter(|r| self.aside(r.selector()).is_none()) {
            for c in &columns {
                self.ids(&what, row.selector(), Some(&c.metric))?;
                if let Some(base) = &c.ratio_to {
                    let b = self.ids(&what, base, Some(&c.metric))?;
                    if b.len() != 1 {
                        bail!(
                            "{}: {what}: `ratio_to` names one benchmark, and `{base}` matches {}",
                            self.file,
                            b.len()
                        );
                    }
                    if let Some(per) = &c.per {
                        self.divisor(&what, base, per)?;
                    }
                }
            }
            for id in self.ids(&what, row.selector(), None)? {
                let l = match row {
                    Row::Bench(_) => format!("`{}`", id.rsplit('/').next().unwrap_or(id)),
                    Row::Labelled { label: l, .. } => label(l, id, &self.r.benchmarks[id])
                        .map_err(|e| anyhow::anyhow!("{}: {what}: {e}", self.file))?,
                };
                for c in &columns {
                    if let Some(per) = &c.per {
                        self.divisor(&what, id, per)?;
                    }
                }
                rows.push((l, id));
            }
        }
        // A column's value of one row, divided by the row's parameter `per` when it names one
        // (checked above to be there and positive).
        let value = |id: &str, c: &crate::decl::Column| {
            let v = self.get(id, &c.metric);
            match &c.per {
                Some(per) => {
                    v / self.r.benchmarks[id]
                        .params
                        .get(per)
                        .copied()
                        .unwrap_or(f64::NAN)
                }
                None => v,
            }
        };
        let units: Vec<&'static str> = columns
            .iter()
            .map(|c| {
                let vals: Vec<f64> = rows.iter().map(|(_, id)| value(id, c)).collect();
                match c.unit {
                    Some(u) => u.name(),
                    None => {
                        let unit = natural_unit(&c.metric, &vals);
                        let min = vals.iter().copied().fold(f64::INFINITY, f64::min);
                        let max = vals.iter().copied().fold(0.0, f64::max);
                        // A time column spanning more than three orders of magnitude would
                        // print its smallest values as 0.000 in one unit: each of its cells
                        // takes its own.
                        if format::unit_is_time(unit) && min > 0.0 && max / min >= 1e3 {
                            "auto"
                        } else {
                            unit
                        }
                    }
                }
            })
            .collect();
        let rows = rows
            .into_iter()
            .map(|(l, id)| {
                let cells = columns
                    .iter()
                    .zip(&units)
                    .map(|(c, unit)| {
                        let v = value(id, c);
                        match &c.ratio_to {
                            Some(base) => Cell::Ratio(v / value(base, c)),
                            None if *unit == "auto" => Cell::Value(v, format::auto_time_unit(v)),
                            None => Cell::Value(v, unit),
                        }
                    })
                    .collect();
                (l, cells)
            })
            .collect();
        Ok(PlannedTable {
            id: t.id.clone(),
            row_heading: t.row_heading.clone().unwrap_or_else(|| "Benchmark".into()),
            columns: columns.iter().map(|c| c.label.clone()).collect(),
            rows,
        })
    }

    fn listing(&self, l: &crate::decl::Listing) -> Result<PlannedListing> {
        let source = l
            .source()
            .map_err(|e| anyhow::anyhow!("{}: {e}", self.file))?;
        let name = source.artifact_name();
        let text = self.r.artifacts.get(&name).with_context(|| {
            format!(
                "{}: listing `{}` shows `{name}`, which {} does not hold: {}",
                self.file,
                l.id,
                self.results_path.display(),
                match &source {
                    ListingSource::Symbol(_) => format!(
                        "measure the chapter (`scripts/book.sh --chapters {}`); the pipeline compiles its library to assembly then",
                        self.r.chapter
                    ),
                    ListingSource::Artifact(_) => format!(
                        "store it with `benchkit::custom::artifact(\"{name}\", ...)` and measure again"
                    ),
                }
            )
        })?;
        let (lang, symbol) = match &source {
            ListingSource::Symbol(s) => (
                l.lang.clone().unwrap_or_else(|| {
                    if self.r.machine.arch == "x86_64" {
                        "x86asm".into()
                    } else {
                        "armasm".into()
                    }
                }),
                Some(s.clone()),
            ),
            ListingSource::Artifact(_) => (l.lang.clone().unwrap_or_else(|| "text".into()), None),
        };
        Ok(PlannedListing {
            id: l.id.clone(),
            title: l.title.clone(),
            text: text.clone(),
            lang,
            symbol,
            artifact: name,
        })
    }

    /// Why a limit claim is not evaluated here: another machine's folder without a card.
    fn no_card(&self, c: &Claim) -> Option<String> {
        (matches!(c, Claim::Limit(_)) && self.card.is_none() && self.need == CardNeed::Optional)
            .then(|| "no machine card was measured with these results".to_string())
    }

    /// The card's entry `id`, a bandwidth; every way it can be missing stops with the fix.
    fn bandwidth(&self, what: &str, id: &str) -> Result<&bookproto::card::Entry> {
        let dir = self
            .results_path
            .parent()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        let Some(card) = &self.card else {
            bail!(
                "{}: {what} compares with the machine card's `{id}`, but {dir}/{} does not exist: measure this machine's card with `scripts/book.sh card` (about 15 s in quick mode), then render again",
                self.file,
                crate::card::FILE
            );
        };
        let Some(e) = card.get(id) else {
            let known: Vec<&str> = card.entries.iter().map(|e| e.id.as_str()).collect();
            bail!(
                "{}: {what} names card entry `{id}`, which {dir}/{} does not hold (it has: {}): name one of those",
                self.file,
                crate::card::FILE,
                known.join(", ")
            );
        };
        if e.unit != "GB/s" {
            bail!(
                "{}: {what} names card entry `{id}`, which is in {}: a limit claim divides bytes by a bandwidth in GB/s",
                self.file,
                e.unit
            );
        }
        Ok(e)
    }

    /// A limit claim: the benchmark's time over the time the card's bandwidth allows for its
    /// bytes. The card's entry is a best-of value, taken as exact; the interval is the
    /// benchmark's own, scaled.
    fn limit(
        &self,
        c: &Claim,
        l: &LimitClaim,
        test: crate::decl::Test,
        what: &str,
    ) -> Result<Outcome> {
        let m = &l.metric;
        if !matches!(
            m,
            Metric::Wall(WallMetric::Median | WallMetric::Min | WallMetric::Mean)
        ) {
            bail!(
                "{}: {what} is over `{m}`: a limit claim compares a time per iteration (median, min or mean) with the card",
                self.file
            );
        }
        if !(l.bytes.is_finite() && l.bytes > 0.0) {
            bail!(
                "{}: {what} gives bytes = {}: the bytes one iteration moves must be a positive number",
                self.file,
                l.bytes
            );
        }
        let ids = self.ids(what, &l.a, Some(m))?;
        if ids.len() != 1 || ids[0] != l.a {
            bail!(
                "{}: {what}: names `{}` where one benchmark is needed, not a selector",
                self.file,
                l.a
            );
        }
        let e = self.bandwidth(what, &l.card)?;
        // GB/s is bytes per nanosecond, and wall times are in nanoseconds.
        let bound = l.bytes / e.value;
        let measured = self.get(ids[0], m) / bound;
        let interval = self
            .interval(&ids, m, Combine::Value, c.id())
            .map(|(lo, hi)| (lo / bound, hi / bound));
        let expression = format!(
            "{m} of `{}` ÷ the time {} take at the card's `{}` ({})",
            l.a,
            bytes_phrase(l.bytes),
            l.card,
            crate::card::cell(e)
        );
        Ok(claims::evaluated(
            c, test, measured, interval, None, expression,
        ))
    }

    /// A penalty claim: the difference of two times over the difference of two counts.
    fn penalty(
        &self,
        c: &Claim,
        p: &crate::decl::PenaltyClaim,
        test: crate::decl::Test,
        what: &str,
    ) -> Result<Outcome> {
        let m = &p.metric;
        if !matches!(m, Metric::Wall(WallMetric::Median | WallMetric::Cycles)) {
            bail!(
                "{}: {what} is a penalty over metric `{m}`: a penalty is a time, `median` (ns) or `cycles`",
                self.file
            );
        }
        if !p.events.is_instr() {
            bail!(
                "{}: {what} counts events `{}`: the events must be a callgrind count (`Bcm`, `D1mr`, ...), the same for every run of the binary",
                self.file,
                p.events
            );
        }
        // `a`'s events may be counted on a stand-in, and `b`'s taken as none (with a reason).
        let events_a = p.events_a.as_ref().unwrap_or(&p.a);
        let mut named = vec![(&p.a, m), (&p.b, m), (events_a, &p.events)];
        if p.b_events_none.is_none() {
            named.push((&p.b, &p.events));
        }
        for (id, metric) in named {
            let ids = self.ids(what, id, Some(metric))?;
            if ids.len() != 1 || ids[0] != id.as_str() {
                bail!(
                    "{}: {what}: names `{id}` where one benchmark is needed, not a selector",
                    self.file
                );
            }
        }
        let count_b = match p.b_events_none {
            Some(_) => 0.0,
            None => self.get(&p.b, &p.events),
        };
        let events = self.get(events_a, &p.events) - count_b;
        if !(events.is_finite() && events > 0.0) {
            bail!(
                "{}: {what}: `{}` counts {} {} and `{}` {}, so there is no extra event to divide by: `a` must be the benchmark with more",
                self.file,
                events_a,
                format::count(self.get(events_a, &p.events)),
                p.events,
                p.b,
                format::count(count_b)
            );
        }
        let ids = [p.a.as_str(), p.b.as_str()];
        let measured = (self.get(&p.a, m) - self.get(&p.b, m)) / events;
        let interval = self
            .interval(&ids, m, Combine::Difference, c.id())
            .map(|(lo, hi)| (lo / events, hi / events));
        let of_a = match &p.events_a {
            None => format!("`{}`", p.a),
            Some(s) => format!("`{s}` (for `{}`)", p.a),
        };
        let (less_b, note) = match &p.b_events_none {
            None => (format!(" − `{}`", p.b), String::new()),
            Some(why) => (String::new(), format!("; none for `{}`: {why}", p.b)),
        };
        let expression = format!(
            "({m} of `{}` − `{}`) ÷ ({} of {of_a}{less_b}: {}{note})",
            p.a,
            p.b,
            p.events,
            format::count(events)
        );
        Ok(claims::evaluated(
            c, test, measured, interval, None, expression,
        ))
    }

    fn claim(&self, c: &Claim, aa: Option<f64>) -> Result<Outcome> {
        let what = format!("claim `{}`", c.id());
        let test = c
            .test()
            .map_err(|e| anyhow::anyhow!("{}: {what}: {e}", self.file))?;
        let m = c.metric();
        let one = |id: &str| -> Result<&str> {
            let ids = self.ids(&what, id, Some(m))?;
            if ids.len() != 1 || ids[0] != id {
                bail!(
                    "{}: {what}: names `{id}` where one benchmark is needed, not a selector",
                    self.file
                );
            }
            Ok(ids[0])
        };
        let (ids, combine, expression): (Vec<&str>, Combine, String) = match c {
            Claim::Limit(l) => return self.limit(c, l, test, &what),
            Claim::Penalty(p) => return self.penalty(c, p, test, &what),
            Claim::Ratio(r) => (
                vec![one(&r.a)?, one(&r.b)?],
                Combine::Ratio,
                format!("{m} of `{}` ÷ `{}`", r.a, r.b),
            ),
            Claim::Value(v) => (
                vec![one(&v.a)?],
                Combine::Value,
                format!("{m} of `{}`", v.a),
            ),
            Claim::Spread(s) => {
                let ids = self.ids(&what, &s.benches, Some(m))?;
                if ids.len() < 2 {
                    bail!(
                        "{}: {what} spans fewer than two benchmarks (`{}`): a spread needs at least two",
                        self.file,
                        s.benches
                    );
                }
                let n = ids.len();
                (
                    ids,
                    Combine::Spread,
                    format!("largest ÷ smallest {m} over {n} benchmarks `{}`", s.benches),
                )
            }
        };
        let vals: Vec<f64> = ids.iter().map(|id| self.get(id, m)).collect();
        let mut measured = combine.apply(&vals);
        let mut interval = self.interval(&ids, m, combine, c.id());
        let mut label = claims::BOOTSTRAP.to_string();
        if let Metric::Custom(name) = m
            && let Some((lo, hi, k)) = self.rounds_interval(&ids, name, combine, measured)
        {
            interval = Some((lo, hi));
            label = format!("range of {k} rounds");
        }
        let mut expression = expression;
        if let Claim::Value(v) = c
            && let Some(per) = &v.per
        {
            let n = self.divisor(&what, ids[0], per)?;
            measured /= n;
            interval = interval.map(|(lo, hi)| (lo / n, hi / n));
            expression = format!("{expression} per {per} ({})", format::count(n));
        }
        // The A/A spread qualifies comparisons of two wall-clock times (or rates) only, not
        // ratios of spreads or of interval widths.
        let aa = aa.filter(|_| combine == Combine::Ratio && is_time(m));
        Ok(claims::evaluated_with(
            c, test, measured, interval, &label, aa, expression,
        ))
    }

    /// The interval of a claim on an experiment's custom measurement: the claim's number in
    /// each round (round `k` of every benchmark it combines, which the experiment runner
    /// measured side by side), with the number over all rounds; `None` unless every benchmark
    /// recorded the metric in the same number of rounds, more than one. Returns the ends and the
    /// number of rounds.
    fn rounds_interval(
        &self,
        ids: &[&str],
        name: &str,
        combine: Combine,
        measured: f64,
    ) -> Option<(f64, f64, usize)> {
        let rounds: Vec<&Vec<f64>> = ids
            .iter()
            .map(|id| self.r.benchmarks[*id].custom_rounds.get(name))
            .collect::<Option<_>>()?;
        let k = rounds[0].len();
        if k < 2 || rounds.iter().any(|r| r.len() != k) {
            return None;
        }
        let (mut lo, mut hi) = (measured, measured);
        for r in 0..k {
            let v = combine.apply(&rounds.iter().map(|x| x[r]).collect::<Vec<_>>());
            lo = lo.min(v);
            hi = hi.max(v);
        }
        Some((lo, hi, k))
    }

    /// The 95% bootstrap interval of a claim's number over wall-clock samples (resampling
    /// each benchmark's samples, 1,000 times, from a seed fixed by the claim's id so that the
    /// same results always render the same interval), widened to the claim's number in every
    /// round when the benchmarks were measured in rounds (round `k` of each, which ran in the
    /// same process); `None` for a metric without samples.
    fn interval(
        &self,
        ids: &[&str],
        m: &Metric,
        combine: Combine,
        seed: &str,
    ) -> Option<(f64, f64)> {
        let stat = match m {
            Metric::Wall(WallMetric::Median) => Stat::Median,
            // Cycles are the median times a constant: a ratio or a spread of them is one of
            // medians, and a value is scaled below.
            Metric::Wall(WallMetric::Cycles) => Stat::Median,
            Metric::Wall(WallMetric::Mean) => Stat::Mean,
            Metric::Wall(WallMetric::GbPerS) => Stat::Rate,
            _ => return None,
        };
        let walls: Vec<&crate::results::Wall> = ids
            .iter()
            .map(|id| self.r.benchmarks[*id].wall.as_ref())
            .collect::<Option<_>>()?;
        if walls.iter().any(|w| w.samples.len() < 5) {
            return None;
        }
        let (mut lo, mut hi) = bootstrap(&walls, stat, combine, seed);
        for v in round_values(&walls, stat, combine) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if matches!(m, Metric::Wall(WallMetric::Cycles))
            && matches!(combine, Combine::Value | Combine::Difference)
        {
            let ghz = self.clock_ghz()?;
            return Some((lo * ghz, hi * ghz));
        }
        Some((lo, hi))
    }

    /// The A/A spread of this run: the largest factor by which the declared same-code pairs
    /// differ, their bootstrap intervals included; `None` when the chapter declares none.
    fn aa_spread(&self) -> Result<Option<f64>> {
        let mut spread: Option<f64> = None;
        for p in &self.decl.aa {
            let what = format!("A/A pair `{}` / `{}`", p.a, p.b);
            // Another machine's results may predate the pair: that run has no A/A control.
            let missing = [&p.a, &p.b]
                .iter()
                .any(|id| !self.r.benchmarks.contains_key(id.as_str()));
            if missing && self.need == CardNeed::Optional {
                continue;
            }
            let median = Metric::Wall(WallMetric::Median);
            for id in [&p.a, &p.b] {
                let ids = self.ids(&what, id, Some(&median))?;
                if ids.len() != 1 {
                    bail!("{}: {what}: names one benchmark on each side", self.file);
                }
            }
            let ids = [p.a.as_str(), p.b.as_str()];
            let r = self.get(&p.a, &median) / self.get(&p.b, &median);
            let mut worst = r.max(1.0 / r);
            if let Some((lo, hi)) = self.interval(&ids, &median, Combine::Ratio, &p.a) {
                worst = worst.max(hi).max(1.0 / lo);
            }
            spread = Some(spread.map_or(worst, |s: f64| s.max(worst)));
        }
        Ok(spread)
    }
}

/// Bytes in decimal units (the card's bandwidths are decimal GB/s): `128 MB`.
fn bytes_phrase(b: f64) -> String {
    let (div, unit) = [(1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        .into_iter()
        .find(|(d, _)| b >= *d)
        .unwrap_or((1.0, "bytes"));
    format!("{} {unit}", format::sig3(b / div))
}

/// Whether a metric is a time per iteration or a rate from one, which an A/A pair's spread
/// qualifies; the spread of samples and the width of an interval are not.
fn is_time(m: &Metric) -> bool {
    matches!(
        m,
        Metric::Wall(
            WallMetric::Median
                | WallMetric::Min
                | WallMetric::Mean
                | WallMetric::GbPerS
                | WallMetric::Cycles
        )
    )
}

/// How a claim combines its benchmarks' values into one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Combine {
    Ratio,
    Value,
    Spread,
    /// `a − b`.
    Difference,
}

impl Combine {
    fn apply(self, v: &[f64]) -> f64 {
        match self {
            Combine::Ratio => v[0] / v[1],
            Combine::Value => v[0],
            Combine::Difference => v[0] - v[1],
            Combine::Spread => {
                let max = v.iter().copied().fold(f64::MIN, f64::max);
                let min = v.iter().copied().fold(f64::MAX, f64::min);
                max / min
            }
        }
    }
}

/// The statistic of one benchmark's samples a claim's metric is.
#[derive(Clone, Copy, Debug)]
enum Stat {
    Median,
    Mean,
    /// Bytes per iteration over the median.
    Rate,
}

/// The claim's number in each round, when every benchmark it combines was measured in the
/// same number of rounds (more than one); empty otherwise.
fn round_values(walls: &[&crate::results::Wall], stat: Stat, combine: Combine) -> Vec<f64> {
    let n = walls[0].rounds.len();
    if n < 2 || walls.iter().any(|w| w.rounds.len() != n) || matches!(stat, Stat::Mean) {
        // Round medians only: a mean claim keeps the bootstrap's interval.
        return Vec::new();
    }
    (0..n)
        .map(|k| {
            let vals: Vec<f64> = walls
                .iter()
                .map(|w| match stat {
                    Stat::Rate => w.bytes.unwrap_or(0) as f64 / w.rounds[k],
                    _ => w.rounds[k],
                })
                .collect();
            combine.apply(&vals)
        })
        .collect()
}

/// Replicates of the bootstrap.
const REPLICATES: usize = 1000;

fn bootstrap(
    walls: &[&crate::results::Wall],
    stat: Stat,
    combine: Combine,
    seed: &str,
) -> (f64, f64) {
    // FNV-1a of the claim's id seeds the resampling.
    let seed = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = inputs::Rng::new(seed);
    let mut buf = Vec::new();
    let mut vals = vec![0.0; walls.len()];
    let mut reps: Vec<f64> = (0..REPLICATES)
        .map(|_| {
            for (v, w) in vals.iter_mut().zip(walls) {
                let n = w.samples.len();
                buf.clear();
                buf.extend((0..n).map(|_| w.samples[rng.below(n as u64) as usize]));
                *v = match stat {
                    Stat::Mean => buf.iter().sum::<f64>() / n as f64,
                    Stat::Median | Stat::Rate => {
                        let (below, mid, _) = buf.select_nth_unstable_by(n / 2, f64::total_cmp);
                        let mid = *mid;
                        let med = if n % 2 == 1 {
                            mid
                        } else {
                            let lower = below.iter().copied().fold(f64::MIN, f64::max);
                            (lower + mid) / 2.0
                        };
                        match stat {
                            Stat::Rate => w.bytes.unwrap_or(0) as f64 / med,
                            _ => med,
                        }
                    }
                };
            }
            combine.apply(&vals)
        })
        .collect();
    reps.sort_by(f64::total_cmp);
    let at = |q: f64| reps[((REPLICATES - 1) as f64 * q).round() as usize];
    (at(0.025), at(0.975))
}

/// The points no other point beats on both axes, in x order.
pub fn pareto_front(
    points: impl Iterator<Item = (f64, f64)>,
    x: Better,
    y: Better,
) -> Vec<(f64, f64)> {
    let pts: Vec<(f64, f64)> = points.collect();
    let better = |a: f64, b: f64, dir: Better| match dir {
        Better::Lower => a <= b,
        Better::Higher => a >= b,
    };
    let mut front: Vec<(f64, f64)> = pts
        .iter()
        .copied()
        .filter(|&p| {
            !pts.iter().any(|&q| {
                q != p && better(q.0, p.0, x) && better(q.1, p.1, y) && (q.0 != p.0 || q.1 != p.1)
            })
        })
        .collect();
    front.sort_by(|a, b| a.0.total_cmp(&b.0));
    front.dedup();
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(samples: &[f64], rounds: &[f64]) -> crate::results::Wall {
        let p = crate::collect::pool(&[&crate::results::Wall {
            median: samples[samples.len() / 2],
            median_lo: samples[0],
            median_hi: samples[samples.len() - 1],
            mean: 0.0,
            std_dev: 0.0,
            mad: 0.0,
            samples: samples.to_vec(),
            iterations: samples.len() as u64,
            bytes: Some(100),
            rounds: Vec::new(),
        }]);
        crate::results::Wall {
            rounds: rounds.to_vec(),
            ..p
        }
    }

    #[test]
    fn a_ratio_in_rounds_is_the_ratio_of_round_medians_and_widens_the_bootstrap_interval() {
        let tight: Vec<f64> = (0..40).map(|i| 10.0 + 0.001 * f64::from(i)).collect();
        let a = wall(&tight, &[10.0, 12.0, 10.0]);
        let b = wall(&tight, &[10.0, 10.0, 10.0]);
        let v = round_values(&[&a, &b], Stat::Median, Combine::Ratio);
        assert_eq!(v, [1.0, 1.2, 1.0]);
        let (lo, hi) = bootstrap(&[&a, &b], Stat::Median, Combine::Ratio, "x");
        assert!(
            hi < 1.01,
            "the pooled samples alone give a tight interval: {hi}"
        );
        // A rate is bytes over the round's median.
        let r = round_values(&[&a], Stat::Rate, Combine::Value);
        assert_eq!(r, [10.0, 100.0 / 12.0, 10.0]);
        // Rounds that do not pair up, or a mean, leave the bootstrap alone.
        let c = wall(&tight, &[10.0, 10.0]);
        assert!(round_values(&[&a, &c], Stat::Median, Combine::Ratio).is_empty());
        assert!(round_values(&[&a, &b], Stat::Mean, Combine::Ratio).is_empty());
        assert!(lo <= 1.0);
    }

    #[test]
    fn cycles_are_the_median_times_the_measured_clock_and_need_it() {
        let tight: Vec<f64> = (0..40).map(|i| 10.0 + 0.001 * f64::from(i)).collect();
        let b = Bench {
            wall: Some(wall(&tight, &[])),
            ..Bench::default()
        };
        let cycles = Metric::Wall(WallMetric::Cycles);
        let median = b.wall.as_ref().unwrap().median;
        assert_eq!(value(&b, &cycles, Some(3.0)), Some(median * 3.0));
        assert_eq!(
            value(&b, &cycles, None),
            None,
            "older results have no clock"
        );
        assert_eq!(natural_unit(&cycles, &[1.0]), "cycles");
    }

    #[test]
    fn the_aa_spread_qualifies_times_and_rates_but_not_spreads_or_interval_widths() {
        for (m, time) in [
            (WallMetric::Median, true),
            (WallMetric::GbPerS, true),
            (WallMetric::Cycles, true),
            (WallMetric::CiRel, false),
            (WallMetric::Cv, false),
            (WallMetric::StdDev, false),
        ] {
            assert_eq!(is_time(&Metric::Wall(m)), time, "{m:?}");
        }
        assert!(!is_time(&Metric::Instr("Ir")));
    }

    #[test]
    fn the_pareto_front_keeps_the_points_nothing_beats_on_both_axes() {
        // x: cost (lower is better), y: quality (higher is better).
        let pts = [(1.0, 1.0), (2.0, 3.0), (3.0, 2.0), (4.0, 4.0), (2.5, 3.0)];
        let f = pareto_front(pts.into_iter(), Better::Lower, Better::Higher);
        assert_eq!(f, [(1.0, 1.0), (2.0, 3.0), (4.0, 4.0)]);
    }
}
