//! Two metrics of the same benchmarks against each other, with an optional Pareto front.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::{Key, SIZE, draw_markers, err, mesh, on_axes, pad, style, with_legend};
use crate::plan::ScatterPlot;

/// Draws `p` into `buf` as SVG.
pub(super) fn draw(p: &ScatterPlot, buf: &mut String) -> Result<(), String> {
    let pts = || p.groups.iter().flat_map(|g| g.1.iter());
    let (xlo, xhi) = pts().fold((f64::MAX, f64::MIN), |(a, b), q| (a.min(q.0), b.max(q.0)));
    let (ylo, yhi) = pts().fold((f64::MAX, f64::MIN), |(a, b), q| (a.min(q.1), b.max(q.1)));
    let (x0, x1) = pad(xlo, xhi, p.x.log, p.x.zero);
    let (y0, y1) = pad(ylo, yhi, p.y.log, p.y.zero);
    let root = SVGBackend::with_string(buf, SIZE).into_drawing_area();
    let mut entries: Vec<(String, RGBColor, Key)> = p
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let (c, m) = style(i);
            (g.0.clone(), c, Key::Point(m))
        })
        .collect();
    if !p.front.is_empty() {
        entries.push((
            "Pareto front".into(),
            RGBColor(0x80, 0x80, 0x80),
            Key::Dashed,
        ));
    }
    let area = with_legend(&root, &entries)?;
    on_axes!(p.x, p.y, (x0, x1), (y0, y1), draw_on(&area, p))?;
    root.present().map_err(err)
}

fn draw_on<'a, X, Y>(
    root: &DrawingArea<SVGBackend<'a>, Shift>,
    p: &ScatterPlot,
    x: X,
    y: Y,
) -> Result<(), String>
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
        .map_err(err)?;
    mesh(&mut chart, &p.x, &p.y.desc, p.y.log, false)?;
    if !p.front.is_empty() {
        chart
            .draw_series(DashedLineSeries::new(
                p.front.clone(),
                6,
                5,
                RGBColor(0x80, 0x80, 0x80).stroke_width(2),
            ))
            .map_err(err)?;
    }
    for (i, g) in p.groups.iter().enumerate() {
        let (c, m) = style(i);
        draw_markers(&mut chart, &g.1, m, c)?;
    }
    Ok(())
}
