// Lab 1, reference solution: one buffer for every draw, and selection instead of sorting.

use inputs::Rng;

/// The 95% bootstrap interval of the median of `samples` (see the starting code).
///
/// # Panics
///
/// If `samples` is empty or `resamples` is zero.
pub fn median_interval(samples: &[f64], resamples: usize, rng: &mut Rng) -> (f64, f64) {
    assert!(!samples.is_empty(), "no samples");
    assert!(resamples > 0, "no resamples");
    let n = samples.len();
    let mut draw = vec![0.0; n];
    let mut medians = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for d in draw.iter_mut() {
            *d = samples[rng.below(n as u64) as usize];
        }
        medians.push(median(&mut draw));
    }
    medians.sort_unstable_by(f64::total_cmp);
    (nearest_rank(&medians, 0.025), nearest_rank(&medians, 0.975))
}

/// The median of `xs`, which it reorders: a selection, linear on average, where a sort is
/// `n log n`.
fn median(xs: &mut [f64]) -> f64 {
    let n = xs.len();
    let (below, mid, _) = xs.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *mid;
    if n % 2 == 1 {
        upper
    } else {
        // The lower middle value is the largest of those below the upper one.
        let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

/// The `q`-quantile of sorted values by nearest rank.
fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
