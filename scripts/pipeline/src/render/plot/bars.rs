//! Grouped bars: one group per workload, one bar per implementation.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::{Key, SIZE, err, fixed_x_ticks, mesh, pad, style, with_legend};
use crate::plan::{Axis, BarPlot};

/// Draws `p` into `buf` as SVG.
pub(super) fn draw(p: &BarPlot, buf: &mut String) -> Result<(), String> {
    let vals = || p.series.iter().flat_map(|s| s.1.iter().flatten().copied());
    let ylo = vals().fold(f64::MAX, f64::min);
    let yhi = vals().fold(f64::MIN, f64::max);
    let (y0, y1) = pad(ylo, yhi, p.y.log, p.y.zero);
    let root = SVGBackend::with_string(buf, SIZE).into_drawing_area();
    let entries: Vec<(String, RGBColor, Key)> = p
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.0.clone(), style(i).0, Key::Box))
        .collect();
    let area = with_legend(&root, &entries)?;
    let n = p.categories.len() as f64;
    if p.y.log {
        draw_on(&area, p, (y0, y1), 0.0..n, (y0..y1).log_scale())?;
    } else {
        draw_on(&area, p, (y0, y1), 0.0..n, y0..y1)?;
    }
    root.present().map_err(err)
}

fn draw_on<'a, X, Y>(
    root: &DrawingArea<SVGBackend<'a>, Shift>,
    p: &BarPlot,
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
    let ticks: Vec<(f64, String)> = p
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (i as f64 + 0.5, c.clone()))
        .collect();
    let x_axis = Axis {
        desc: String::new(),
        log: false,
        zero: false,
        ticks: Some(ticks.clone()),
    };
    mesh(&mut chart, &x_axis, &p.y.desc, p.y.log, false)?;
    fixed_x_ticks(&mut chart, &ticks, (y0, y1), false)?;
    let k = p.series.len() as f64;
    let w = 0.8 / k;
    for (s, (_, vals)) in p.series.iter().enumerate() {
        let c = style(s).0;
        let base = if p.y.log { y0 } else { 0.0 };
        chart
            .draw_series(vals.iter().enumerate().filter_map(|(i, v)| {
                let v = (*v)?;
                let x0 = i as f64 + 0.1 + w * s as f64;
                Some(Rectangle::new(
                    [(x0, base), (x0 + w * 0.92, v)],
                    c.mix(0.85).filled(),
                ))
            }))
            .map_err(err)?;
    }
    Ok(())
}
