// Lab 1, methodology: a bootstrap interval of the median.
//
// Chapter 1 judges every wall-clock claim on a bootstrap interval: resample the
// measurements with replacement, take the median of each resample, and read the
// interval off the spread of those medians. This version is right and slow. Make it
// cheaper without changing a single number it returns; the grader counts its
// instructions under callgrind.

use inputs::Rng;

/// The 95% bootstrap interval of the median of `samples`.
///
/// `resamples` times, it draws `samples.len()` values with replacement, the index of
/// each draw being `rng.below(n)`, in order, and takes the median of the draw (the mean
/// of the two middle values when the count is even). The interval is the 2.5th and the
/// 97.5th percentile, by nearest rank, of those medians. Draw exactly as this code
/// does, so that every version returns the same interval for the same generator.
///
/// # Panics
///
/// If `samples` is empty or `resamples` is zero.
pub fn median_interval(samples: &[f64], resamples: usize, rng: &mut Rng) -> (f64, f64) {
    assert!(!samples.is_empty(), "no samples");
    assert!(resamples > 0, "no resamples");
    let n = samples.len();
    let mut medians = Vec::new();
    for _ in 0..resamples {
        let mut draw: Vec<f64> = (0..n)
            .map(|_| samples[rng.below(n as u64) as usize])
            .collect();
        draw.sort_by(|a, b| a.partial_cmp(b).expect("samples are not NaN"));
        medians.push(median_of_sorted(&draw));
    }
    medians.sort_by(|a, b| a.partial_cmp(b).expect("medians are not NaN"));
    (nearest_rank(&medians, 0.025), nearest_rank(&medians, 0.975))
}

/// The median of sorted values.
fn median_of_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The `q`-quantile of sorted values by nearest rank.
fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
