//! The distribution of one benchmark's wall-clock samples.

use plotters::prelude::*;

use super::{Key, PALETTE, SIZE, err, mesh, with_legend};
use crate::format;
use crate::plan::HistPlot;

/// The bins the histogram draws: the smallest and largest sample, the bins' width (the first
/// starts at the smallest sample), and the count of samples in each.
pub(super) fn bins(p: &HistPlot) -> (f64, f64, f64, Vec<u32>) {
    let lo = p.samples.iter().copied().fold(f64::MAX, f64::min);
    let hi = p.samples.iter().copied().fold(f64::MIN, f64::max);
    let bins = p.bins.max(1);
    let width = ((hi - lo) / bins as f64).max(hi.abs() * 1e-9 + f64::MIN_POSITIVE);
    let mut counts = vec![0u32; bins];
    for x in &p.samples {
        let b = (((x - lo) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    (lo, hi, width, counts)
}

/// Draws `p` into `buf` as SVG.
pub(super) fn draw(p: &HistPlot, buf: &mut String) -> Result<(), String> {
    let (lo, hi, width, counts) = bins(p);
    let ymax = f64::from(*counts.iter().max().unwrap_or(&1)) * 1.15;
    let root = SVGBackend::with_string(buf, SIZE).into_drawing_area();
    let colour = PALETTE[1];
    let mc = PALETTE[0];
    let area = with_legend(
        &root,
        &[
            (format!("{} samples", p.samples.len()), colour, Key::Box),
            (
                format!("median {} {}", format::sig3(p.median), p.suffix),
                mc,
                Key::Dashed,
            ),
        ],
    )?;
    let mut chart = ChartBuilder::on(&area)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(60)
        .build_cartesian_2d(lo - width * 0.5..hi + width * 0.5, 0.0..ymax)
        .map_err(err)?;
    mesh(&mut chart, &p.x, &p.y_desc, false, true)?;
    chart
        .draw_series(counts.iter().enumerate().map(|(i, c)| {
            let x0 = lo + width * i as f64;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, f64::from(*c))],
                colour.mix(0.75).filled(),
            )
        }))
        .map_err(err)?;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(p.median, 0.0), (p.median, ymax)],
            6,
            4,
            mc.stroke_width(2),
        ))
        .map_err(err)?;
    root.present().map_err(err)
}
