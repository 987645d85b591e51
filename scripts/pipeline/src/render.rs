//! Render: a chapter's declarations and results into SVG figures, Markdown tables, claim
//! badges and an experimental-setup box, each stamped with the machine that produced it.
//!
//! Every function here is pure: it returns `(relative path, contents)` pairs and writes
//! nothing, so the caller can write all of them or none.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use crate::claims::{Outcome, format_ratio};
use crate::decl::{Decl, Figure, FigureKind, Table, matching, trailing_number};
use crate::format::{self, html, html_inline};
use crate::results::{Results, custom_name, is_instr_metric};
use crate::workspace::Chapter;

/// Figure size in SVG user units; the page scales it to its width.
const SIZE: (u32, u32) = (760, 380);

/// Series colours, chosen to stay legible on mdBook's light and dark backgrounds alike.
const PALETTE: [RGBColor; 5] = [
    RGBColor(0xe6, 0x61, 0x00),
    RGBColor(0x2f, 0x8f, 0xd8),
    RGBColor(0x1a, 0x9e, 0x77),
    RGBColor(0xc0, 0x3f, 0xbe),
    RGBColor(0xb8, 0x8a, 0x00),
];

/// Everything rendered for one chapter.
pub fn chapter(
    ch: &Chapter,
    decl: &Decl,
    results: &Results,
    results_file: &str,
    outcomes: &[Outcome],
) -> Result<Vec<(PathBuf, String)>> {
    let dir = PathBuf::from(&ch.package);
    let prov = provenance(results, results_file);
    let mut out = vec![(dir.join("setup.md"), setup_box(ch, results, results_file))];
    for f in &decl.figure {
        let svg = match f.kind {
            FigureKind::Flamegraph => flamegraph_img(f, results),
            _ => figure_svg(f, results),
        }
        .map_err(|e| anyhow!("{}: figure `{}`: {e}", decl.path.display(), f.id))?;
        let html = format!(
            "<figure class=\"bench-figure\" id=\"{pkg}-{id}\">\n{svg}\n<figcaption><strong>{title}.</strong> {prov}</figcaption>\n</figure>\n",
            pkg = ch.package,
            id = f.id,
            title = html_inline(&f.title),
        );
        out.push((dir.join(format!("{}.md", f.id)), html));
    }
    for l in &decl.listing {
        out.push((
            dir.join(format!("{}.md", l.id)),
            listing_md(&ch.package, l, results, &prov),
        ));
    }
    for t in &decl.table {
        out.push((
            dir.join(format!("{}.md", t.id)),
            table_md(t, results, &prov),
        ));
    }
    for o in outcomes {
        out.push((
            dir.join(format!("claim-{}.md", o.id)),
            badge(o, &results.machine.id),
        ));
    }
    if !outcomes.is_empty() {
        out.push((dir.join("claims.md"), claims_table(outcomes, &prov)));
    }
    Ok(out)
}

/// One line: where, with what, in which mode, when, from which commit and file.
pub fn provenance(r: &Results, results_file: &str) -> String {
    let m = &r.machine;
    format!(
        "<span class=\"provenance\">Measured on {} · {} · {} mode · {} · commit <code>{}</code> · <code>{}</code></span>",
        html(&m.summary()),
        html(&m.rustc),
        html(&m.mode),
        html(m.day()),
        html(&m.short_commit()),
        html(results_file)
    )
}

fn setup_box(ch: &Chapter, r: &Results, results_file: &str) -> String {
    let m = &r.machine;
    let caches: Vec<String> = ["l1d", "l2", "l3"]
        .iter()
        .filter_map(|k| {
            m.caches
                .get(*k)
                .map(|b| format!("{} {}", k.to_uppercase(), crate::machine::human_bytes(*b)))
        })
        .collect();
    let cores = match m.physical_cores {
        Some(p) => format!("{} logical CPUs on {p} cores", m.logical_cpus),
        None => format!("{} logical CPUs", m.logical_cpus),
    };
    let mode = match m.mode.as_str() {
        "quick" => "quick (short warm-up and measurement; for a first look, not for publication)",
        _ => {
            "full (publication-length warm-up, measurement and sample count; the settings are in `scripts/benchkit`, shown in the method appendix)"
        }
    };
    let hyp = m
        .hypervisor
        .as_ref()
        .map(|h| format!(", a {h} virtual machine"))
        .unwrap_or_default();
    format!(
        "<div class=\"setup-box\">\n\n\
**Experimental setup.** {cpu} ({arch}{hyp}), {cores}, {caches}, {mem} of memory, {numa} NUMA node{numa_s}; \
instruction sets: {simd}. {os}, Linux {kernel}; {rustc}; {valgrind}. \
Mode: {mode}. Measured {date} from commit `{commit}`; results in `{file}`.\n\n\
Reproduce on your machine: `cargo bench -p {pkg}` runs both harnesses; \
`scripts/book.sh --chapters {pkg}` also renders this page with your numbers.\n\n\
</div>\n",
        cpu = m.cpu_model,
        arch = m.arch,
        caches = caches.join(", "),
        mem = crate::machine::human_bytes(m.memory_bytes),
        numa = m.numa_nodes,
        numa_s = if m.numa_nodes == 1 { "" } else { "s" },
        simd = if m.simd.is_empty() {
            "none detected".to_string()
        } else {
            m.simd.join(", ")
        },
        os = m.os,
        kernel = m.kernel,
        rustc = m.rustc,
        valgrind = m.valgrind.as_deref().unwrap_or("no valgrind"),
        date = m.date,
        commit = m.short_commit(),
        file = results_file,
        pkg = ch.package,
    )
}

fn badge(o: &Outcome, machine: &str) -> String {
    if let Some(why) = &o.set_aside {
        return format!(
            "<span class=\"claim aside\" title=\"{}: not evaluated on {}\">– not measured here: {}</span>",
            html(&o.id),
            html(machine),
            html(why)
        );
    }
    let (class, mark, word) = if o.held {
        ("claim held", "✓", "holds")
    } else {
        ("claim failed", "✗", "does not hold")
    };
    format!(
        "<span class=\"{class}\" title=\"{}: {} = {} (claim {}) on {}\">{mark} {word} here: {} (claim {})</span>",
        html(&o.id),
        html(&o.expression),
        format_ratio(o.measured),
        html(&o.threshold),
        html(machine),
        format_ratio(o.measured),
        html(&o.threshold),
    )
}

fn claims_table(outcomes: &[Outcome], prov: &str) -> String {
    let mut s =
        String::from("| Claim | Measured | Threshold | Kind | Result |\n|---|--:|--:|---|---|\n");
    for o in outcomes {
        s += &format!(
            "| {} <br><small>{}</small> | {} | {} | {} | {} |\n",
            o.text.replace('|', "\\|"),
            o.expression.replace('|', "\\|"),
            o.measured_cell(),
            o.threshold,
            if o.instr {
                "instructions (enforced by tests)"
            } else if o.custom {
                "custom measurement (reported)"
            } else {
                "wall clock (reported)"
            },
            o.verdict()
        );
    }
    s + "\n" + prov + "\n"
}

fn column_unit(metric: &str, declared: &Option<String>, values: &[f64]) -> String {
    if let Some(u) = declared {
        return u.clone();
    }
    match metric {
        m if is_instr_metric(m) || custom_name(m).is_some() => "count".into(),
        "ci_rel" | "cv" => "pct".into(),
        "gb_per_s" => "gbps".into(),
        _ => format::auto_time_unit(values.iter().copied().fold(0.0, f64::max)).into(),
    }
}

fn table_md(t: &Table, r: &Results, prov: &str) -> String {
    let ids: Vec<&str> = t.rows.iter().flat_map(|p| matching(r, p)).collect();
    let mut s = format!("| {} |", t.row_heading.as_deref().unwrap_or("Benchmark"));
    let mut align = String::from("|---|");
    for c in &t.columns {
        s += &format!(" {} |", c.label);
        align += "--:|";
    }
    s += "\n";
    s += &align;
    s += "\n";
    let units: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let vals: Vec<f64> = ids
                .iter()
                .filter_map(|id| r.benchmarks[*id].metric(&c.metric))
                .collect();
            let unit = column_unit(&c.metric, &c.unit, &vals);
            let min = vals.iter().copied().fold(f64::INFINITY, f64::min);
            let max = vals.iter().copied().fold(0.0, f64::max);
            // A time column spanning more than three orders of magnitude would print its
            // smallest values as 0.000 in one unit: each of its cells takes its own.
            if c.unit.is_none() && format::unit_is_time(&unit) && min > 0.0 && max / min >= 1e3 {
                "auto".into()
            } else {
                unit
            }
        })
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let label = t
            .labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("`{}`", id.rsplit('/').next().unwrap_or(id)));
        s += &format!("| {label} |");
        for (c, unit) in t.columns.iter().zip(&units) {
            let v = r.benchmarks[*id].metric(&c.metric).expect("validated");
            let cell = match &c.ratio_to {
                Some(base) => {
                    let b = r.benchmarks[base.as_str()]
                        .metric(&c.metric)
                        .expect("validated");
                    format!("{}×", format_ratio(v / b))
                }
                None if unit == "auto" => format::value(v, format::auto_time_unit(v)),
                None => format::value(v, unit),
            };
            s += &format!(" {cell} |");
        }
        s += "\n";
    }
    s + "\n" + prov + "\n"
}

/// A flame graph drawn by inferno from folded stacks, as an image: inferno's SVG carries its
/// own styles, script and element ids, which must not meet the page's, so it is embedded as a
/// data URI rather than inline. Colours come from a hash of each frame's name, so the same
/// stacks always give the same bytes.
fn flamegraph_img(f: &Figure, r: &Results) -> Result<String> {
    let name = f.artifact.as_deref().expect("validated");
    let stacks = &r.artifacts[name];
    let mut opts = inferno::flamegraph::Options::default();
    opts.title = String::new();
    opts.count_name = "samples".into();
    opts.hash = true;
    opts.deterministic = true;
    opts.no_javascript = true;
    opts.image_width = Some(1200);
    let mut svg = Vec::new();
    inferno::flamegraph::from_lines(&mut opts, stacks.lines(), &mut svg)
        .map_err(|e| anyhow!("inferno cannot draw artifact `{name}`: {e}"))?;
    Ok(format!(
        "<img class=\"flamegraph\" alt=\"{}\" src=\"data:image/svg+xml;base64,{}\">",
        html(&f.title),
        format::base64(&svg)
    ))
}

/// A listing: a code block with a caption saying where its text came from.
fn listing_md(pkg: &str, l: &crate::decl::Listing, r: &Results, prov: &str) -> String {
    let text = &r.artifacts[&l.artifact_name()];
    let (lang, source) = match &l.symbol {
        Some(sym) => (
            l.lang.clone().unwrap_or_else(|| {
                if r.machine.arch == "x86_64" {
                    "x86asm".into()
                } else {
                    "armasm".into()
                }
            }),
            format!(
                "The compiler's code for <code>{}</code>, from <code>cargo rustc --release --emit asm</code> of the chapter's library{}; assembler directives removed.",
                html(sym),
                if r.machine.arch == "x86_64" {
                    " (Intel syntax)"
                } else {
                    ""
                }
            ),
        ),
        None => (
            l.lang.clone().unwrap_or_else(|| "text".into()),
            format!(
                "Text the benchmark stored as <code>{}</code>.",
                html(&l.artifact_name())
            ),
        ),
    };
    let fence = if text.contains("```") { "~~~~" } else { "```" };
    format!(
        "<figure class=\"bench-listing\" id=\"{pkg}-{id}\">\n\n{fence}{lang}\n{body}\n{fence}\n\n<figcaption><strong>{title}.</strong> {source} {prov}</figcaption>\n</figure>\n",
        id = l.id,
        body = text.trim_end(),
        title = html_inline(&l.title),
    )
}

/// A series ready to draw: label, points, optional error bars.
struct Drawn {
    label: String,
    points: Vec<(f64, f64)>,
    bars: Vec<(f64, f64, f64)>,
}

fn figure_svg(f: &Figure, r: &Results) -> Result<String> {
    let mut buf = String::new();
    match f.kind {
        FigureKind::Histogram => histogram(f, r, &mut buf)?,
        FigureKind::Line => line(f, r, &mut buf)?,
        FigureKind::Flamegraph => unreachable!("drawn by flamegraph_img"),
    }
    Ok(theme_svg(&buf, &f.title))
}

/// Makes plotters' output follow the page: black becomes the text colour, the size scales
/// with the column, the figure gets an accessible name, and blank lines (which would end an
/// HTML block in Markdown) go.
fn theme_svg(svg: &str, title: &str) -> String {
    let svg = svg
        .replace("#000000", "currentColor")
        .replace("#000", "currentColor");
    let svg = svg.replacen(
        "<svg ",
        &format!(
            "<svg class=\"bench-svg\" role=\"img\" aria-label=\"{}\" ",
            html(title)
        ),
        1,
    );
    svg.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("<?xml"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn histogram(f: &Figure, r: &Results, buf: &mut String) -> Result<()> {
    let id = f.bench.as_deref().expect("validated");
    let w = r.benchmarks[id].wall.as_ref().expect("validated");
    let unit = f
        .unit
        .clone()
        .unwrap_or_else(|| format::auto_time_unit(w.median).to_string());
    let (div, suffix) = format::unit(&unit);
    let xs: Vec<f64> = w.samples.iter().map(|x| x / div).collect();
    let lo = xs.iter().copied().fold(f64::MAX, f64::min);
    let hi = xs.iter().copied().fold(f64::MIN, f64::max);
    let bins = f.bins.unwrap_or(20).max(1);
    let width = ((hi - lo) / bins as f64).max(hi.abs() * 1e-9 + f64::MIN_POSITIVE);
    let mut counts = vec![0u32; bins];
    for x in &xs {
        let b = (((x - lo) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let ymax = f64::from(*counts.iter().max().unwrap_or(&1)) * 1.15;
    let median = w.median / div;
    let root = SVGBackend::with_string(buf, SIZE).into_drawing_area();
    let (upper, lower) = root.split_vertically(SIZE.1 - LEGEND_HEIGHT);
    let mut chart = ChartBuilder::on(&upper)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(60)
        .build_cartesian_2d(lo - width * 0.5..hi + width * 0.5, 0.0..ymax)
        .map_err(|e| anyhow!("{e}"))?;
    let x_desc = format!(
        "{} ({suffix})",
        f.x_label.as_deref().unwrap_or("time per iteration")
    );
    mesh(
        &mut chart,
        &x_desc,
        f.y_label.as_deref().unwrap_or("samples"),
        true,
        (false, false),
    )?;
    let colour = PALETTE[1];
    chart
        .draw_series(counts.iter().enumerate().map(|(i, c)| {
            let x0 = lo + width * i as f64;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, f64::from(*c))],
                colour.mix(0.75).filled(),
            )
        }))
        .map_err(|e| anyhow!("{e}"))?;
    let mc = PALETTE[0];
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(median, 0.0), (median, ymax)],
            mc.stroke_width(2),
        )))
        .map_err(|e| anyhow!("{e}"))?;
    legend(
        &lower,
        &[
            (format!("{} samples", xs.len()), colour, true),
            (
                format!("median {} {suffix}", format::sig3(median)),
                mc,
                false,
            ),
        ],
    )?;
    root.present().map_err(|e| anyhow!("{e}"))?;
    Ok(())
}

fn line(f: &Figure, r: &Results, buf: &mut String) -> Result<()> {
    let metric0 = &f.series[0].metric;
    let all: Vec<f64> = f
        .series
        .iter()
        .flat_map(|s| {
            matching(r, &s.benches)
                .into_iter()
                .filter_map(|id| r.benchmarks[id].metric(&s.metric))
        })
        .collect();
    let unit = f
        .unit
        .clone()
        .unwrap_or_else(|| column_unit(metric0, &None, &all));
    let (div, suffix) = format::unit(&unit);
    let series: Vec<Drawn> = f
        .series
        .iter()
        .map(|s| {
            let ids = matching(r, &s.benches);
            let b = |id: &str| &r.benchmarks[id];
            Drawn {
                label: s.label.clone(),
                points: ids
                    .iter()
                    .map(|id| {
                        (
                            trailing_number(id).expect("validated"),
                            b(id).metric(&s.metric).expect("validated") / div,
                        )
                    })
                    .collect(),
                bars: if s.error_bars {
                    ids.iter()
                        .map(|id| {
                            let w = b(id).wall.as_ref().expect("validated");
                            let (lo, hi) = match w.bytes {
                                // Throughput: the slow end of the interval is the low rate.
                                Some(n) if s.metric == "gb_per_s" => {
                                    (n as f64 / w.median_hi, n as f64 / w.median_lo)
                                }
                                _ => (w.median_lo, w.median_hi),
                            };
                            (trailing_number(id).expect("validated"), lo / div, hi / div)
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (xlo, xhi) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let ys = series.iter().flat_map(|s| {
        s.points
            .iter()
            .map(|p| p.1)
            .chain(s.bars.iter().flat_map(|b| [b.1, b.2]))
    });
    let (ylo, yhi) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let x_desc = f.x_label.clone().unwrap_or_default();
    let y_desc = match suffix {
        "" => f.y_label.clone().unwrap_or_default(),
        s => format!("{} ({s})", f.y_label.as_deref().unwrap_or(metric0)),
    };
    let pad = |lo: f64, hi: f64, log: bool, zero: bool| -> (f64, f64) {
        if log {
            (lo / 1.25, hi * 1.25)
        } else {
            let span = (hi - lo).max(hi.abs() * 0.05).max(f64::MIN_POSITIVE);
            (if zero { 0.0 } else { lo - span * 0.08 }, hi + span * 0.12)
        }
    };
    let (x0, x1) = pad(xlo, xhi, f.x_log, false);
    let (y0, y1) = pad(ylo, yhi, f.y_log, f.y_zero);
    let root = SVGBackend::with_string(buf, SIZE).into_drawing_area();
    let (upper, lower) = root.split_vertically(SIZE.1 - LEGEND_HEIGHT);
    let entries: Vec<(String, RGBColor, bool)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.label.clone(), PALETTE[i % PALETTE.len()], false))
        .collect();
    legend(&lower, &entries)?;
    let root = upper;
    match (f.x_log, f.y_log) {
        (false, false) => draw_lines(
            &root,
            x0..x1,
            y0..y1,
            &series,
            &x_desc,
            &y_desc,
            (false, false),
        )?,
        (true, false) => draw_lines(
            &root,
            (x0..x1).log_scale(),
            y0..y1,
            &series,
            &x_desc,
            &y_desc,
            (f.x_log, f.y_log),
        )?,
        (false, true) => draw_lines(
            &root,
            x0..x1,
            (y0..y1).log_scale(),
            &series,
            &x_desc,
            &y_desc,
            (f.x_log, f.y_log),
        )?,
        (true, true) => draw_lines(
            &root,
            (x0..x1).log_scale(),
            (y0..y1).log_scale(),
            &series,
            &x_desc,
            &y_desc,
            (f.x_log, f.y_log),
        )?,
    }
    root.present().map_err(|e| anyhow!("{e}"))?;
    Ok(())
}

fn draw_lines<'a, X, Y>(
    root: &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    x: X,
    y: Y,
    series: &[Drawn],
    x_desc: &str,
    y_desc: &str,
    logs: (bool, bool),
) -> Result<()>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d(x, y)
        .map_err(|e| anyhow!("{e}"))?;
    mesh(&mut chart, x_desc, y_desc, false, logs)?;
    for (i, s) in series.iter().enumerate() {
        let c = PALETTE[i % PALETTE.len()];
        for &(x, lo, hi) in &s.bars {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, lo), (x, hi)],
                    c.stroke_width(1),
                )))
                .map_err(|e| anyhow!("{e}"))?;
        }
        chart
            .draw_series(LineSeries::new(s.points.clone(), c.stroke_width(2)))
            .map_err(|e| anyhow!("{e}"))?;
        chart
            .draw_series(s.points.iter().map(|&p| Circle::new(p, 3, c.filled())))
            .map_err(|e| anyhow!("{e}"))?;
    }
    Ok(())
}

/// Axes, grid and tick labels; `counts` labels only whole numbers on the y axis, and a
/// logarithmic axis (`logs`: x, y) labels only 1, 2 and 5 times a power of ten, so that the
/// crowded ticks at the top of each decade keep their grid lines but not their numbers.
fn mesh<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    x_desc: &str,
    y_desc: &str,
    counts: bool,
    logs: (bool, bool),
) -> Result<()>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let grid = RGBColor(0x80, 0x80, 0x80).mix(0.25);
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_style(BLACK)
        .bold_line_style(grid)
        .light_line_style(TRANSPARENT)
        .label_style(("sans-serif", 14).into_font().color(&BLACK))
        .axis_desc_style(("sans-serif", 15).into_font().color(&BLACK))
        .x_label_formatter(&|v| {
            if logs.0 && !one_two_five(*v) {
                String::new()
            } else {
                tick(*v)
            }
        })
        .y_label_formatter(&|v| {
            if (counts && v.fract() != 0.0) || (logs.1 && !one_two_five(*v)) {
                String::new()
            } else {
                tick(*v)
            }
        })
        .draw()
        .map_err(|e| anyhow!("{e}"))
}

/// Height of the legend strip under the plot.
const LEGEND_HEIGHT: u32 = 30;

/// Draws the legend in its own strip under the plot, so it never hides data. Each entry is a
/// label, its colour, and whether its key is a filled box (bars) rather than a line.
fn legend(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    entries: &[(String, RGBColor, bool)],
) -> Result<()> {
    let font = ("sans-serif", 14).into_font().color(&BLACK);
    let mut x = 80i32;
    let y = (LEGEND_HEIGHT / 2) as i32;
    for (label, colour, filled) in entries {
        if *filled {
            area.draw(&Rectangle::new(
                [(x, y - 6), (x + 18, y + 6)],
                colour.mix(0.75).filled(),
            ))
        } else {
            area.draw(&PathElement::new(
                vec![(x, y), (x + 18, y)],
                colour.stroke_width(3),
            ))
        }
        .map_err(|e| anyhow!("{e}"))?;
        area.draw(&Text::new(label.clone(), (x + 24, y - 8), font.clone()))
            .map_err(|e| anyhow!("{e}"))?;
        x += 24 + (label.chars().count() as i32) * 8 + 28;
    }
    Ok(())
}

/// Axis tick labels: short, no trailing zeros.
/// Whether `v` is 1, 2 or 5 times a power of ten (to a tick's precision).
fn one_two_five(v: f64) -> bool {
    if v <= 0.0 {
        return false;
    }
    let m = v / 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .any(|t| (m - t).abs() < 1e-6 * t)
}

fn tick(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.');
        return t.to_string();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::one_two_five;

    #[test]
    fn log_axes_label_one_two_and_five_times_a_power_of_ten() {
        for v in [0.01, 0.2, 1.0, 2.0, 5.0, 10.0, 20.0, 500.0, 1000.0, 2e6] {
            assert!(one_two_five(v), "{v}");
        }
        for v in [0.0, -1.0, 3.0, 7.0, 30.0, 600.0, 900.0, 4000.0] {
            assert!(!one_two_five(v), "{v}");
        }
    }
}
