//! Plots: what every figure kind shares (size, styles, axes, legend, theming), and one file per
//! kind.

mod bars;
pub(super) mod describe;
mod flamegraph;
mod histogram;
mod lines;
mod scatter;

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;

use crate::format::html;
use crate::plan::{Axis, Body, PlannedFigure};

/// Figure size in SVG user units; the page scales it to its width.
pub(super) const SIZE: (u32, u32) = (760, 380);

/// Series colours, chosen to stay legible on mdBook's light and dark backgrounds alike. Each
/// series also takes its own marker ([`Marker`]), so the figure reads without colour.
pub(super) const PALETTE: [RGBColor; 8] = [
    RGBColor(0xe6, 0x61, 0x00),
    RGBColor(0x2f, 0x8f, 0xd8),
    RGBColor(0x1a, 0x9e, 0x77),
    RGBColor(0xc0, 0x3f, 0xbe),
    RGBColor(0xb8, 0x8a, 0x00),
    RGBColor(0xd6, 0x45, 0x45),
    RGBColor(0x6f, 0x80, 0x94),
    RGBColor(0xa6, 0x80, 0x4a),
];

/// Point markers, one per series, in the order series take them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
    Ring,
    Plus,
    Star,
}

const MARKERS: [Marker; 8] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::Cross,
    Marker::Ring,
    Marker::Plus,
    Marker::Star,
];

/// The colour and marker of series `i`.
pub(super) fn style(i: usize) -> (RGBColor, Marker) {
    (PALETTE[i % PALETTE.len()], MARKERS[i % MARKERS.len()])
}

/// Expands to one arm per marker, binding `$e` to the composed element for marker `$m` at
/// `$p`: every marker shape has its own type, so callers draw within the arm.
macro_rules! with_marker {
    ($m:expr, $p:expr, $colour:expr, |$e:ident| $body:expr) => {{
        let filled = $colour.filled();
        let line = $colour.stroke_width(2);
        let at = EmptyElement::at($p);
        match $m {
            Marker::Circle => {
                let $e = at + Circle::new((0, 0), 3, filled);
                $body
            }
            Marker::Square => {
                let $e = at + Rectangle::new([(-3, -3), (3, 3)], filled);
                $body
            }
            Marker::Triangle => {
                let $e = at + Polygon::new(vec![(0, -4), (4, 3), (-4, 3)], filled);
                $body
            }
            Marker::Diamond => {
                let $e = at + Polygon::new(vec![(0, -4), (4, 0), (0, 4), (-4, 0)], filled);
                $body
            }
            Marker::Cross => {
                let $e = at
                    + PathElement::new(vec![(-3, -3), (3, 3)], line)
                    + PathElement::new(vec![(-3, 3), (3, -3)], line);
                $body
            }
            Marker::Ring => {
                let $e = at + Circle::new((0, 0), 3, line);
                $body
            }
            Marker::Plus => {
                let $e = at
                    + PathElement::new(vec![(-4, 0), (4, 0)], line)
                    + PathElement::new(vec![(0, -4), (0, 4)], line);
                $body
            }
            Marker::Star => {
                let $e = at
                    + PathElement::new(vec![(-4, 0), (4, 0)], line)
                    + PathElement::new(vec![(-2, -3), (2, 3)], line)
                    + PathElement::new(vec![(-2, 3), (2, -3)], line);
                $body
            }
        }
    }};
}

/// Draws `marker` at each of `points` on a chart.
pub(super) fn draw_markers<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    points: &[(f64, f64)],
    marker: Marker,
    colour: RGBColor,
) -> Result<(), String>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    for &p in points {
        with_marker!(marker, p, colour, |e| chart
            .draw_series(std::iter::once(e))
            .map(|_| ())
            .map_err(err))?;
    }
    Ok(())
}

/// The figure's markup: an inline SVG, or images for a flame graph. `anchor` is the figure's
/// element id; the drawing is named by `<anchor>-title` and described by `<anchor>-desc`
/// (`summary`, the text alternative).
pub(super) fn figure(f: &PlannedFigure, anchor: &str, summary: &str) -> String {
    let mut buf = String::new();
    let drawn = match &f.body {
        Body::Flamegraph(stacks) => return flamegraph::img(&f.title, stacks, anchor),
        Body::Lines(p) => lines::draw(p, &mut buf),
        Body::Scatter(p) => scatter::draw(p, &mut buf),
        Body::Bars(p) => bars::draw(p, &mut buf),
        Body::Histogram(p) => histogram::draw(p, &mut buf),
    };
    if let Err(e) = drawn {
        // plotters' SVG backend writes into a String and cannot fail on well-formed plans;
        // should it, the page says so rather than showing a blank.
        return format!(
            "<p class=\"figure-error\">This figure could not be drawn: {}</p>",
            html(&e)
        );
    }
    theme_svg(&buf, &f.title, anchor, summary)
}

/// Makes plotters' output follow the page: black becomes the text colour, the size scales
/// with the column, the figure gets its title and description (`<title>` and `<desc>`, which
/// name and describe it to assistive technology), and blank lines (which would end an HTML
/// block in Markdown) go.
fn theme_svg(svg: &str, title: &str, anchor: &str, summary: &str) -> String {
    let svg = svg
        .replace("#000000", "currentColor")
        .replace("#000", "currentColor");
    let open = svg
        .find("<svg ")
        .and_then(|i| svg[i..].find('>').map(|j| i + j + 1));
    let svg = match open {
        Some(end) => format!(
            "{}\n<title id=\"{anchor}-title\">{}</title>\n<desc id=\"{anchor}-desc\">{}</desc>{}",
            &svg[..end],
            html(title),
            html(summary),
            &svg[end..]
        ),
        None => svg,
    };
    let svg = svg.replacen(
        "<svg ",
        &format!(
            "<svg class=\"bench-svg\" role=\"img\" aria-labelledby=\"{anchor}-title\" aria-describedby=\"{anchor}-desc\" "
        ),
        1,
    );
    svg.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("<?xml"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A drawing error as text.
pub(super) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Pads a data range for drawing: a tenth of a decade on log axes, a few percent on linear
/// ones (from zero when `zero`).
pub(super) fn pad(lo: f64, hi: f64, log: bool, zero: bool) -> (f64, f64) {
    if log {
        (lo / 1.25, hi * 1.25)
    } else {
        let span = (hi - lo).max(hi.abs() * 0.05).max(f64::MIN_POSITIVE);
        (if zero { 0.0 } else { lo - span * 0.08 }, hi + span * 0.12)
    }
}

/// Calls the generic drawing function `$draw` with the x and y ranges as linear or
/// logarithmic coordinates, as the axes say: the one place the four combinations are spelt.
macro_rules! on_axes {
    ($x:expr, $y:expr, ($x0:expr, $x1:expr), ($y0:expr, $y1:expr), $draw:ident ( $($arg:expr),* )) => {
        match ($x.log, $y.log) {
            (false, false) => $draw($($arg,)* $x0..$x1, $y0..$y1),
            (true, false) => $draw($($arg,)* ($x0..$x1).log_scale(), $y0..$y1),
            (false, true) => $draw($($arg,)* $x0..$x1, ($y0..$y1).log_scale()),
            (true, true) => $draw($($arg,)* ($x0..$x1).log_scale(), ($y0..$y1).log_scale()),
        }
    };
}
pub(super) use on_axes;

/// Axes, grid and tick labels; `counts` labels only whole numbers on the y axis, and a
/// logarithmic axis labels only 1, 2 and 5 times a power of ten, so that the crowded ticks at
/// the top of each decade keep their grid lines but not their numbers. An axis with fixed
/// ticks gets no automatic labels or grid; [`fixed_x_ticks`] draws its own.
pub(super) fn mesh<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    x: &Axis,
    y_desc: &str,
    y_log: bool,
    counts: bool,
) -> Result<(), String>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let grid = RGBColor(0x80, 0x80, 0x80).mix(0.25);
    let x_log = x.log;
    let fixed = x.ticks.is_some();
    let x_fmt = |v: &f64| {
        if fixed || (x_log && !one_two_five(*v)) {
            String::new()
        } else {
            tick(*v)
        }
    };
    let y_fmt = |v: &f64| {
        if (counts && v.fract() != 0.0) || (y_log && !one_two_five(*v)) {
            String::new()
        } else {
            tick(*v)
        }
    };
    let mut m = chart.configure_mesh();
    m.x_desc(&x.desc)
        .y_desc(y_desc)
        .axis_style(BLACK)
        .bold_line_style(grid)
        .light_line_style(TRANSPARENT)
        .label_style(("sans-serif", 14).into_font().color(&BLACK))
        .axis_desc_style(("sans-serif", 15).into_font().color(&BLACK))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt);
    if fixed {
        m.disable_x_mesh();
    }
    m.draw().map_err(err)
}

/// Grid lines and labels at fixed x positions (the percentile axis, bar groups).
pub(super) fn fixed_x_ticks<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    ticks: &[(f64, String)],
    (y0, y1): (f64, f64),
    grid_lines: bool,
) -> Result<(), String>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let grid = RGBColor(0x80, 0x80, 0x80).mix(0.25);
    let font = ("sans-serif", 14).into_font().color(&BLACK);
    for (pos, label) in ticks {
        if grid_lines {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(*pos, y0), (*pos, y1)],
                    grid,
                )))
                .map_err(err)?;
        }
        let w = (label.chars().count() as i32) * 4;
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((*pos, y0)) + Text::new(label.clone(), (-w, 8), font.clone()),
            ))
            .map_err(err)?;
    }
    Ok(())
}

/// How a legend entry's key is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Key {
    /// A line with the series' marker on it.
    Line(Marker),
    /// A dashed line (a model or bound).
    Dashed,
    /// A filled box (bars).
    Box,
    /// A marker alone (scatter points).
    Point(Marker),
}

/// Height of one row of the legend strip under the plot.
const LEGEND_ROW: u32 = 22;

/// The legend's entries laid out in rows no wider than the figure: `(x, row)` of each.
fn legend_layout(labels: &[&str]) -> Vec<(i32, u32)> {
    // 14-pixel sans-serif text runs about 7.5 pixels a character on average.
    let text = |l: &str| (l.chars().count() as f64 * 7.5).ceil() as i32;
    let mut out = Vec::new();
    let (mut x, mut row) = (LEGEND_LEFT, 0u32);
    for l in labels {
        if x > LEGEND_LEFT && x + 24 + text(l) > SIZE.0 as i32 - 8 {
            x = LEGEND_LEFT;
            row += 1;
        }
        out.push((x, row));
        x += 24 + text(l) + 24;
    }
    out
}

/// Where the legend's first entry starts, under the plot's y axis.
const LEGEND_LEFT: i32 = 70;

/// The height the legend of these entries needs: one 30-unit strip, and a row more for each
/// wrap.
pub(super) fn legend_height(labels: &[&str]) -> u32 {
    let rows = legend_layout(labels).last().map_or(0, |l| l.1);
    30 + rows * LEGEND_ROW
}

/// Splits the drawing area into the plot and, under it, the legend of `entries`, which it
/// draws; returns the plot's area.
pub(super) fn with_legend<'a>(
    root: &DrawingArea<SVGBackend<'a>, Shift>,
    entries: &[(String, RGBColor, Key)],
) -> Result<DrawingArea<SVGBackend<'a>, Shift>, String> {
    let labels: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    let (upper, lower) = root.split_vertically(SIZE.1 - legend_height(&labels));
    let font = ("sans-serif", 14).into_font().color(&BLACK);
    for ((label, colour, key), (x, row)) in entries.iter().zip(legend_layout(&labels)) {
        let y = 15 + (row * LEGEND_ROW) as i32;
        match key {
            Key::Box => lower
                .draw(&Rectangle::new(
                    [(x, y - 6), (x + 18, y + 6)],
                    colour.mix(0.75).filled(),
                ))
                .map_err(err)?,
            Key::Line(m) => {
                lower
                    .draw(&PathElement::new(
                        vec![(x, y), (x + 18, y)],
                        colour.stroke_width(3),
                    ))
                    .map_err(err)?;
                with_marker!(*m, (x + 9, y), *colour, |e| lower.draw(&e).map_err(err))?;
            }
            Key::Dashed => {
                for s in [0, 8, 16] {
                    lower
                        .draw(&PathElement::new(
                            vec![(x + s, y), (x + (s + 4).min(18), y)],
                            colour.stroke_width(2),
                        ))
                        .map_err(err)?;
                }
            }
            Key::Point(m) => {
                with_marker!(*m, (x + 9, y), *colour, |e| lower.draw(&e).map_err(err))?
            }
        }
        lower
            .draw(&Text::new(label.clone(), (x + 24, y - 8), font.clone()))
            .map_err(err)?;
    }
    Ok(upper)
}

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

/// Axis tick labels: short, no trailing zeros.
fn tick(v: f64) -> String {
    // A tick at zero can come out as -0.0 from the axis arithmetic: it reads "0".
    let v = if v == 0.0 { 0.0 } else { v };
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
    use super::*;

    #[test]
    fn log_axes_label_one_two_and_five_times_a_power_of_ten() {
        for v in [0.01, 0.2, 1.0, 2.0, 5.0, 10.0, 20.0, 500.0, 1000.0, 2e6] {
            assert!(one_two_five(v), "{v}");
        }
        for v in [0.0, -1.0, 3.0, 7.0, 30.0, 600.0, 900.0, 4000.0] {
            assert!(!one_two_five(v), "{v}");
        }
    }

    #[test]
    fn ticks_read_as_written_numbers() {
        assert_eq!(tick(-0.0), "0");
        assert_eq!(tick(0.5), "0.5");
        assert_eq!(tick(-0.4), "-0.4");
        assert_eq!(tick(25_000.0), "25k");
    }

    #[test]
    fn a_long_legend_wraps_onto_rows_inside_the_figure() {
        let labels = ["std::sync::Mutex (pthread)"; 8];
        let layout = legend_layout(&labels);
        assert!(layout.last().unwrap().1 >= 2, "{layout:?}");
        for (x, _) in &layout {
            assert!(*x + 24 + 26 * 8 <= SIZE.0 as i32, "{layout:?}");
        }
        let four = [
            "read (reference)",
            "best intrinsics sum",
            "auto-vectorised sum",
            "scalar sum",
        ];
        assert!(
            legend_layout(&four).iter().all(|e| e.1 == 0),
            "four short entries fit one row"
        );
        assert_eq!(legend_height(&["one"]), 30);
    }

    #[test]
    fn eight_series_differ_in_colour_and_marker() {
        let styles: Vec<_> = (0..8).map(style).collect();
        for i in 0..8 {
            for j in 0..i {
                assert!(styles[i].0 != styles[j].0 && styles[i].1 != styles[j].1);
            }
        }
    }
}
