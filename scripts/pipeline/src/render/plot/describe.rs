//! A figure in words and numbers: the text alternative (what it plots: the axes, the series and
//! the range of each) and the table of the plotted points, both generated from the same plan
//! the drawing is made from, so that a reader who cannot or would rather not see the drawing
//! loses nothing.

use std::collections::BTreeMap;

use super::histogram;
use crate::format;
use crate::plan::{Axis, BarPlot, Body, HistPlot, LinePlot, PlannedFigure, ScatterPlot, Stroke};

/// What a figure shows, in words and as a table.
pub(crate) struct Described {
    /// One paragraph: the kind of chart, its axes with their ranges, and each series with the
    /// range of its values.
    pub summary: String,
    /// The plotted numbers: column headings, then rows of cells (plain text).
    pub table: (Vec<String>, Vec<Vec<String>>),
}

/// Describes `f`.
pub(crate) fn figure(f: &PlannedFigure) -> Described {
    match &f.body {
        Body::Lines(p) => lines(p),
        Body::Scatter(p) => scatter(p),
        Body::Bars(p) => bars(p),
        Body::Histogram(p) => hist(p),
        Body::Flamegraph(stacks) => flamegraph(stacks),
    }
}

/// A number to three significant digits, without trailing zeros after the point.
fn sig3(x: f64) -> String {
    let s = format::sig3(x);
    if s.contains('.') && !s.contains('e') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `lo` to `hi` as numbers, or the one number when they are equal.
fn range(lo: f64, hi: f64) -> String {
    if sig3(lo) == sig3(hi) {
        sig3(lo)
    } else {
        format!("{} to {}", sig3(lo), sig3(hi))
    }
}

fn min_max(v: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    v.fold(None, |acc, x| match acc {
        None => Some((x, x)),
        Some((a, b)) => Some((a.min(x), b.max(x))),
    })
}

/// "x axis: size (bytes), logarithmic, from 64 to 4096" (without a range when there are no
/// points).
fn axis(name: &str, a: &Axis, r: Option<(f64, f64)>) -> String {
    let desc = if a.desc.is_empty() {
        "unlabelled".to_string()
    } else {
        a.desc.clone()
    };
    let scale = if a.log && !desc.contains("log") {
        ", logarithmic"
    } else {
        ""
    };
    match r {
        Some((lo, hi)) => format!("{name} axis: {desc}{scale}, from {}", range(lo, hi)),
        None => format!("{name} axis: {desc}{scale}"),
    }
}

/// The label of a fixed tick at `x`, else the number.
fn x_cell(a: &Axis, x: f64) -> String {
    a.ticks
        .as_ref()
        .and_then(|t| {
            t.iter()
                .find(|t| (t.0 - x).abs() <= 1e-9 * x.abs().max(1.0))
        })
        .map(|t| t.1.clone())
        .unwrap_or_else(|| sig3(x))
}

fn lines(p: &LinePlot) -> Described {
    let xr = min_max(p.series.iter().flat_map(|s| s.points.iter().map(|q| q.0)));
    let yr = min_max(p.series.iter().flat_map(|s| s.points.iter().map(|q| q.1)));
    let mut summary = format!(
        "A line chart of {} series. {}. {}.",
        p.series.len(),
        axis("The x", &p.x, xr),
        axis("The y", &p.y, yr)
    );
    for s in &p.series {
        let sx = min_max(s.points.iter().map(|q| q.0));
        let sy = min_max(s.points.iter().map(|q| q.1));
        let kind = match s.stroke {
            Stroke::Solid => "",
            Stroke::Dashed => ", dashed",
        };
        match (sx, sy) {
            (Some(sx), Some(sy)) => {
                let xs = match &p.x.ticks {
                    Some(_) => format!("{} to {}", x_cell(&p.x, sx.0), x_cell(&p.x, sx.1)),
                    None => range(sx.0, sx.1),
                };
                summary += &format!(
                    " {}{kind}: {} points, x {xs}, y {}{}.",
                    s.label,
                    s.points.len(),
                    range(sy.0, sy.1),
                    if s.bars.is_empty() {
                        ""
                    } else {
                        ", with error bars"
                    }
                );
            }
            _ => summary += &format!(" {}{kind}: no points.", s.label),
        }
    }
    let with_bars = p.series.iter().any(|s| !s.bars.is_empty());
    let mut head = vec!["Series".to_string(), p.x.desc.clone(), p.y.desc.clone()];
    if with_bars {
        head.push("Error bar".into());
    }
    let mut rows = Vec::new();
    for s in &p.series {
        for &(x, y) in &s.points {
            let mut row = vec![s.label.clone(), x_cell(&p.x, x), sig3(y)];
            if with_bars {
                row.push(
                    s.bars
                        .iter()
                        .find(|b| b.0 == x)
                        .map(|b| format!("{} to {}", sig3(b.1), sig3(b.2)))
                        .unwrap_or_default(),
                );
            }
            rows.push(row);
        }
    }
    Described {
        summary,
        table: (head, rows),
    }
}

fn scatter(p: &ScatterPlot) -> Described {
    let all = || p.groups.iter().flat_map(|g| g.1.iter());
    let xr = min_max(all().map(|q| q.0));
    let yr = min_max(all().map(|q| q.1));
    let mut summary = format!(
        "A scatter plot of {} groups of points. {}. {}.",
        p.groups.len(),
        axis("The x", &p.x, xr),
        axis("The y", &p.y, yr)
    );
    for (label, pts) in &p.groups {
        if let (Some(sx), Some(sy)) = (
            min_max(pts.iter().map(|q| q.0)),
            min_max(pts.iter().map(|q| q.1)),
        ) {
            summary += &format!(
                " {label}: {} points, x {}, y {}.",
                pts.len(),
                range(sx.0, sx.1),
                range(sy.0, sy.1)
            );
        }
    }
    if !p.front.is_empty() {
        summary += &format!(
            " A dashed line joins the {} points of the Pareto front.",
            p.front.len()
        );
    }
    let mut rows = Vec::new();
    for (label, pts) in &p.groups {
        for &(x, y) in pts {
            let front = if p.front.contains(&(x, y)) { "yes" } else { "" };
            rows.push(vec![label.clone(), sig3(x), sig3(y), front.to_string()]);
        }
    }
    let mut head = vec!["Group".to_string(), p.x.desc.clone(), p.y.desc.clone()];
    head.push("On the Pareto front".into());
    if p.front.is_empty() {
        head.pop();
        for r in &mut rows {
            r.pop();
        }
    }
    Described {
        summary,
        table: (head, rows),
    }
}

fn bars(p: &BarPlot) -> Described {
    let yr = min_max(p.series.iter().flat_map(|s| s.1.iter().flatten().copied()));
    let mut summary = format!(
        "A bar chart of {} groups ({}), with a bar for each of {} series. {}.",
        p.categories.len(),
        p.categories.join(", "),
        p.series.len(),
        axis("The y", &p.y, yr)
    );
    for (label, vals) in &p.series {
        if let Some((lo, hi)) = min_max(vals.iter().flatten().copied()) {
            summary += &format!(" {label}: {}.", range(lo, hi));
        }
    }
    let mut head = vec!["Group".to_string()];
    head.extend(p.series.iter().map(|s| s.0.clone()));
    let rows = p
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = vec![c.clone()];
            row.extend(
                p.series
                    .iter()
                    .map(|s| s.1.get(i).copied().flatten().map(sig3).unwrap_or_default()),
            );
            row
        })
        .collect();
    Described {
        summary,
        table: (head, rows),
    }
}

fn hist(p: &HistPlot) -> Described {
    let (lo, _, width, counts) = histogram::bins(p);
    let hi = lo + width * counts.len() as f64;
    let peak = counts.iter().copied().max().unwrap_or(0);
    let summary = format!(
        "A histogram of {} samples in {} bins. {}. The y axis: {}, from 0 to {peak}. A dashed line marks the median, {} {}.",
        p.samples.len(),
        counts.len(),
        axis("The x", &p.x, Some((lo, hi))),
        p.y_desc,
        sig3(p.median),
        p.suffix
    );
    let rows = counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let a = lo + width * i as f64;
            vec![format!("{} to {}", sig3(a), sig3(a + width)), c.to_string()]
        })
        .collect();
    Described {
        summary,
        table: (vec![p.x.desc.clone(), p.y_desc.clone()], rows),
    }
}

/// Samples per function in folded stacks: `(on the stack, at the top)`, each stack counted
/// once per function however often the function recurses in it.
fn frames(stacks: &str) -> (u64, BTreeMap<String, (u64, u64)>) {
    let mut total = 0;
    let mut per: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for line in stacks.lines() {
        let Some((stack, n)) = line.rsplit_once(' ') else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        total += n;
        let names: Vec<&str> = stack.split(';').collect();
        let mut seen = std::collections::BTreeSet::new();
        for name in &names {
            if seen.insert(*name) {
                per.entry((*name).to_string()).or_default().0 += n;
            }
        }
        if let Some(top) = names.last() {
            per.entry((*top).to_string()).or_default().1 += n;
        }
    }
    (total, per)
}

fn flamegraph(stacks: &str) -> Described {
    let (total, per) = frames(stacks);
    let mut order: Vec<(&String, &(u64, u64))> = per.iter().collect();
    order.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let share = |n: u64| format!("{}%", sig3(100.0 * n as f64 / total.max(1) as f64));
    let widest: Vec<String> = order
        .iter()
        .take(5)
        .map(|(name, (on, _))| format!("{name} ({})", share(*on)))
        .collect();
    let mut tops: Vec<(&String, &(u64, u64))> =
        per.iter().filter(|(_, (_, top))| *top > 0).collect();
    tops.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(b.0)));
    let hottest: Vec<String> = tops
        .iter()
        .take(3)
        .map(|(name, (_, top))| format!("{name} ({})", share(*top)))
        .collect();
    let summary = format!(
        "A flame graph of {total} samples of {} functions in {} distinct stacks. Each box is a function on the stack, its width the share of samples in which it was there, its callers below it. The widest: {}. Most often at the top of the stack (running itself): {}.",
        per.len(),
        stacks.lines().filter(|l| !l.trim().is_empty()).count(),
        widest.join(", "),
        hottest.join(", ")
    );
    let rows = order
        .iter()
        .map(|(name, (on, top))| {
            vec![
                (*name).clone(),
                on.to_string(),
                share(*on),
                top.to_string(),
                share(*top),
            ]
        })
        .collect();
    Described {
        summary,
        table: (
            vec![
                "Function".into(),
                "Samples on the stack".into(),
                "Share".into(),
                "Samples at the top".into(),
                "Share at the top".into(),
            ],
            rows,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Drawn;

    fn axis(desc: &str, log: bool) -> Axis {
        Axis {
            desc: desc.into(),
            log,
            zero: false,
            ticks: None,
        }
    }

    #[test]
    fn a_line_chart_names_its_axes_series_and_their_ranges() {
        let p = LinePlot {
            x: axis("elements", true),
            y: axis("time (ns)", false),
            series: vec![
                Drawn {
                    label: "sorted".into(),
                    points: vec![(16.0, 2.0), (256.0, 40.0)],
                    bars: vec![(16.0, 1.5, 2.5)],
                    stroke: Stroke::Solid,
                    style: 0,
                },
                Drawn {
                    label: "model".into(),
                    points: vec![(16.0, 3.0), (256.0, 48.0)],
                    bars: vec![],
                    stroke: Stroke::Dashed,
                    style: 1,
                },
            ],
        };
        let d = lines(&p);
        assert_eq!(
            d.summary,
            "A line chart of 2 series. The x axis: elements, logarithmic, from 16 to 256. The y axis: time (ns), from 2 to 48. sorted: 2 points, x 16 to 256, y 2 to 40, with error bars. model, dashed: 2 points, x 16 to 256, y 3 to 48."
        );
        assert_eq!(d.table.0, ["Series", "elements", "time (ns)", "Error bar"]);
        assert_eq!(d.table.1.len(), 4);
        assert_eq!(d.table.1[0], ["sorted", "16", "2", "1.5 to 2.5"]);
        assert_eq!(d.table.1[1][3], "");
    }

    #[test]
    fn a_fixed_tick_axis_reads_by_its_labels() {
        let mut x = axis("percentile", false);
        x.ticks = Some(vec![(0.0, "p50".into()), (1.0, "p99".into())]);
        let p = LinePlot {
            x,
            y: axis("latency (µs)", true),
            series: vec![Drawn {
                label: "closed loop".into(),
                points: vec![(0.0, 10.0), (1.0, 90.0)],
                bars: vec![],
                stroke: Stroke::Solid,
                style: 0,
            }],
        };
        let d = lines(&p);
        assert!(d.summary.contains("x p50 to p99"), "{}", d.summary);
        assert_eq!(d.table.1[1], ["closed loop", "p99", "90"]);
    }

    #[test]
    fn bars_tabulate_groups_by_series_and_leave_missing_values_empty() {
        let p = BarPlot {
            y: axis("throughput (GB/s)", false),
            categories: vec!["small".into(), "large".into()],
            series: vec![
                ("scalar".into(), vec![Some(1.0), Some(2.0)]),
                ("simd".into(), vec![Some(4.0), None]),
            ],
        };
        let d = bars(&p);
        assert!(d.summary.starts_with("A bar chart of 2 groups (small, large), with a bar for each of 2 series. The y axis: throughput (GB/s), from 1 to 4."), "{}", d.summary);
        assert!(d.summary.contains("simd: 4."), "{}", d.summary);
        assert_eq!(d.table.0, ["Group", "scalar", "simd"]);
        assert_eq!(d.table.1[1], ["large", "2", ""]);
    }

    #[test]
    fn a_histogram_tabulates_every_bin_and_counts_every_sample() {
        let p = HistPlot {
            x: axis("time (ns)", false),
            y_desc: "samples".into(),
            samples: vec![1.0, 2.0, 2.0, 3.0, 4.0],
            median: 2.0,
            suffix: "ns".into(),
            bins: 3,
        };
        let d = hist(&p);
        assert_eq!(d.table.1.len(), 3);
        let total: u32 = d.table.1.iter().map(|r| r[1].parse::<u32>().unwrap()).sum();
        assert_eq!(total, 5);
        assert!(
            d.summary.contains("5 samples in 3 bins") && d.summary.contains("median, 2 ns"),
            "{}",
            d.summary
        );
    }

    #[test]
    fn flame_graph_frames_count_a_recursive_function_once_per_stack() {
        let stacks = "main;f;f;g 3\nmain;h 1\n";
        let (total, per) = frames(stacks);
        assert_eq!(total, 4);
        assert_eq!(per["main"], (4, 0));
        assert_eq!(per["f"], (3, 0));
        assert_eq!(per["g"], (3, 3));
        let d = flamegraph(stacks);
        assert!(
            d.summary
                .contains("4 samples of 4 functions in 2 distinct stacks"),
            "{}",
            d.summary
        );
        assert!(d.summary.contains("The widest: main (100%), f (75%)"));
        assert_eq!(d.table.1[0], ["main", "4", "100%", "0", "0%"]);
    }

    #[test]
    fn a_scatter_marks_the_points_on_its_front() {
        let p = ScatterPlot {
            x: axis("memory (bytes)", true),
            y: axis("time (ns)", true),
            groups: vec![("a".into(), vec![(1.0, 4.0), (2.0, 2.0), (3.0, 3.0)])],
            front: vec![(1.0, 4.0), (2.0, 2.0)],
        };
        let d = scatter(&p);
        assert_eq!(d.table.0.len(), 4);
        assert_eq!(d.table.1[2], ["a", "3", "3", ""]);
        assert!(d.summary.contains("the 2 points of the Pareto front"));
    }
}
