//! The statistics behind a benchmark report, written out so that they can be read.
//!
//! Criterion computes all of these for every benchmark; the chapter shows what they are. Every
//! function takes samples as `f64` (nanoseconds, say) and panics on an empty slice, because a
//! statistic of no measurements is a bug in the caller, not a number.

use inputs::Rng;

/// Arithmetic mean.
pub fn mean(xs: &[f64]) -> f64 {
    assert!(!xs.is_empty(), "mean of no samples");
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn sorted(xs: &[f64]) -> Vec<f64> {
    assert!(!xs.is_empty(), "statistic of no samples");
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

// ANCHOR: median
/// The middle value: half the samples are at or below it. For an even count, the mean of the
/// two middle values. Unlike the mean, one wild sample (an interrupt, a page fault) moves it by
/// at most one position.
pub fn median(xs: &[f64]) -> f64 {
    let v = sorted(xs);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}
// ANCHOR_END: median

/// The `q`-quantile (`0.0..=1.0`) by linear interpolation between order statistics.
pub fn quantile(xs: &[f64], q: f64) -> f64 {
    assert!((0.0..=1.0).contains(&q), "quantile {q} outside 0..=1");
    let v = sorted(xs);
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// Median absolute deviation from the median: a spread that, like the median, ignores a few
/// outliers.
pub fn mad(xs: &[f64]) -> f64 {
    let m = median(xs);
    let dev: Vec<f64> = xs.iter().map(|x| (x - m).abs()).collect();
    median(&dev)
}

/// A two-sided confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Interval {
    /// Whether `x` lies inside the interval (bounds included).
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// Half the width: the "±" of a report.
    pub fn half_width(&self) -> f64 {
        (self.hi - self.lo) / 2.0
    }
}

// ANCHOR: bootstrap
/// A percentile-bootstrap confidence interval for the median.
///
/// Resample the measurements with replacement `resamples` times, take the median of each
/// resample, and report the central `level` (0.95 for a 95% interval) of those medians. It
/// assumes nothing about the shape of the distribution, which matters for timings: they are
/// skewed and often have more than one mode.
pub fn bootstrap_median_ci(xs: &[f64], resamples: usize, level: f64, seed: u64) -> Interval {
    assert!(!xs.is_empty() && resamples > 0, "bootstrap of no samples");
    let mut rng = Rng::new(seed);
    let mut buf = vec![0.0; xs.len()];
    let medians: Vec<f64> = (0..resamples)
        .map(|_| {
            for b in buf.iter_mut() {
                *b = xs[rng.below(xs.len() as u64) as usize];
            }
            median(&buf)
        })
        .collect();
    let tail = (1.0 - level) / 2.0;
    Interval {
        lo: quantile(&medians, tail),
        hi: quantile(&medians, 1.0 - tail),
    }
}
// ANCHOR_END: bootstrap

// ANCHOR: sample_law
/// The mean relative half-width of the median's bootstrap interval over the consecutive blocks
/// of `n` samples of `xs` (the remainder that does not fill a block is left out): what one
/// benchmark of `n` samples, taken at some moment of the run, would report on average.
///
/// # Panics
/// When `xs` holds fewer than `n` samples, or `n` is zero.
pub fn block_ci_rel(xs: &[f64], n: usize, resamples: usize, seed: u64) -> f64 {
    assert!(
        n > 0 && xs.len() >= n,
        "{} samples hold no block of {n}",
        xs.len()
    );
    let blocks: Vec<&[f64]> = xs.chunks_exact(n).collect();
    let total: f64 = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let ci = bootstrap_median_ci(b, resamples, 0.95, seed.wrapping_add(i as u64));
            ci.half_width() / median(b)
        })
        .sum();
    total / blocks.len() as f64
}

/// `xs` in a random order (Fisher–Yates, seeded): the same values, with whatever made
/// neighbouring samples alike taken out, so that its blocks are independent draws from the
/// run's own distribution.
pub fn shuffled(xs: &[f64], seed: u64) -> Vec<f64> {
    let mut v = xs.to_vec();
    let mut rng = Rng::new(seed);
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
    v
}
// ANCHOR_END: sample_law

// ANCHOR: compare
/// Ratio of medians `new / old` with a bootstrap interval: resample both sets independently and
/// collect the ratio of their medians. An interval that excludes 1.0 is a difference the data
/// supports; one that contains 1.0 is not a result, however different the two medians look.
pub fn compare_medians(old: &[f64], new: &[f64], resamples: usize, seed: u64) -> (f64, Interval) {
    assert!(
        !old.is_empty() && !new.is_empty() && resamples > 0,
        "comparison of no samples"
    );
    let mut rng = Rng::new(seed);
    let mut a = vec![0.0; old.len()];
    let mut b = vec![0.0; new.len()];
    let ratios: Vec<f64> = (0..resamples)
        .map(|_| {
            a.iter_mut()
                .for_each(|x| *x = old[rng.below(old.len() as u64) as usize]);
            b.iter_mut()
                .for_each(|x| *x = new[rng.below(new.len() as u64) as usize]);
            median(&b) / median(&a)
        })
        .collect();
    let ci = Interval {
        lo: quantile(&ratios, 0.025),
        hi: quantile(&ratios, 0.975),
    };
    (median(new) / median(old), ci)
}
// ANCHOR_END: compare

// ANCHOR: amdahl
/// Amdahl's law: the overall speedup when a fraction `p` of the run time is sped up by `s`.
/// The untouched `1 - p` bounds the result: even an infinite `s` gives at most `1 / (1 - p)`.
pub fn amdahl(p: f64, s: f64) -> f64 {
    assert!(
        (0.0..=1.0).contains(&p) && s > 0.0,
        "amdahl needs 0 <= p <= 1 and s > 0"
    );
    1.0 / ((1.0 - p) + p / s)
}
// ANCHOR_END: amdahl
