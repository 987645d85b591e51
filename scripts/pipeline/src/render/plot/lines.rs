//! Lines of points: the line, threads, percentiles and CDF figure kinds.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::{Key, SIZE, draw_markers, err, fixed_x_ticks, mesh, on_axes, pad, style, with_legend};
use crate::plan::{LinePlot, Stroke};

/// Draws `p` into `buf` as SVG.
pub(super) fn draw(p: &LinePlot, buf: &mut String) -> Result<(), String> {
    let xs = p.series.iter().flat_map(|s| s.points.iter().map(|q| q.0));
    let (xlo, xhi) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let ys = p.series.iter().flat_map(|s| {
        s.points
            .iter()
            .map(|q| q.1)
            .chain(s.bars.iter().flat_map(|b| [b.1, b.2]))
    });
    let (ylo, yhi) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let (x0, x1) = match &p.x.ticks {
        // A fixed-tick axis spans its ticks, so that the last label is not cut off.
        Some(t) => {
            let lo = t.iter().map(|t| t.0).fold(xlo, f64::min);
            let hi = t.iter().map(|t| t.0).fold(xhi, f64::max);
            (lo - (hi - lo) * 0.03, hi + (hi - lo) * 0.05)
        }
        None => pad(xlo, xhi, p.x.log, false),
    };
    let (y0, y1) = pad(ylo, yhi, p.y.log, p.y.zero);
    let root = SVGBackend::with_string(buf, SIZE).into_drawing_area();
    let entries: Vec<(String, RGBColor, Key)> = p
        .series
        .iter()
        .map(|s| {
            let (c, m) = style(s.style);
            let key = match s.stroke {
                Stroke::Solid => Key::Line(m),
                Stroke::Dashed => Key::Dashed,
            };
            (s.label.clone(), c, key)
        })
        .collect();
    let area = with_legend(&root, &entries)?;
    on_axes!(p.x, p.y, (x0, x1), (y0, y1), draw_on(&area, p, (y0, y1)))?;
    root.present().map_err(err)
}

fn draw_on<'a, X, Y>(
    root: &DrawingArea<SVGBackend<'a>, Shift>,
    p: &LinePlot,
    (y0, y1): (f64, f64),
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
    if let Some(t) = &p.x.ticks {
        let lo = if p.y.log { y0 } else { y0.max(0.0).min(y0) };
        fixed_x_ticks(&mut chart, t, (lo, y1), true)?;
    }
    for s in &p.series {
        let (c, m) = style(s.style);
        for &(x, lo, hi) in &s.bars {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, lo), (x, hi)],
                    c.stroke_width(1),
                )))
                .map_err(err)?;
        }
        match s.stroke {
            Stroke::Solid => {
                chart
                    .draw_series(LineSeries::new(s.points.clone(), c.stroke_width(2)))
                    .map_err(err)?;
                draw_markers(&mut chart, &s.points, m, c)?;
            }
            Stroke::Dashed => {
                chart
                    .draw_series(DashedLineSeries::new(
                        s.points.clone(),
                        6,
                        5,
                        c.stroke_width(2),
                    ))
                    .map_err(err)?;
            }
        }
    }
    Ok(())
}
