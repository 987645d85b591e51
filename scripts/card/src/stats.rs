//! Best, median and percentiles of a measurement's runs, and the entries they become.

use bookproto::card::{Better, Entry, Statistic};

pub use bookproto::median;

/// The `q`-quantile of `v` (0 ≤ q ≤ 1), the nearest rank.
///
/// # Panics
/// When `v` is empty or `q` is outside 0..=1.
pub fn quantile(v: &[f64], q: f64) -> f64 {
    assert!(!v.is_empty(), "a quantile of no samples");
    assert!((0.0..=1.0).contains(&q), "quantile {q} is outside 0..=1");
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let rank = (q * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

/// An entry over `runs`: the best of them, with their median beside it.
///
/// # Panics
/// When `runs` is empty.
pub fn best_of(id: &str, what: &str, unit: &str, better: Better, runs: &[f64]) -> Entry {
    let best = match better {
        Better::Lower => runs.iter().copied().fold(f64::INFINITY, f64::min),
        Better::Higher => runs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    };
    Entry {
        id: id.into(),
        what: what.into(),
        unit: unit.into(),
        better,
        statistic: Statistic::Best,
        value: best,
        median: Some(median(runs)),
        runs: runs.len() as u32,
    }
}

/// Two entries, p50 and p99, over single operations' times.
pub fn percentiles(id: &str, what: &str, unit: &str, samples: &[f64]) -> [Entry; 2] {
    let one = |statistic: Statistic, q: f64, suffix: &str| Entry {
        id: format!("{id}/{suffix}"),
        what: format!("{what}, {suffix}"),
        unit: unit.into(),
        better: Better::Lower,
        statistic,
        value: quantile(samples, q),
        median: None,
        runs: samples.len() as u32,
    };
    [
        one(Statistic::P50, 0.50, "p50"),
        one(Statistic::P99, 0.99, "p99"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_quantiles_of_small_sets() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), 50.0);
        assert_eq!(quantile(&v, 0.99), 99.0);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 100.0);
    }

    #[test]
    fn the_best_run_is_the_fastest_or_the_highest_and_entries_are_well_formed() {
        let runs = [5.0, 3.0, 4.0];
        let lat = best_of("latency/base/kib16", "load", "ns", Better::Lower, &runs);
        assert_eq!((lat.value, lat.median), (3.0, Some(4.0)));
        let bw = best_of("bandwidth/read/t1", "read", "GB/s", Better::Higher, &runs);
        assert_eq!(bw.value, 5.0);
        assert_eq!(bw.problem(), None);
        let [p50, p99] = percentiles("durable/fdatasync", "4 KiB write", "µs", &runs);
        assert_eq!((p50.id.as_str(), p50.value), ("durable/fdatasync/p50", 4.0));
        assert_eq!(p99.value, 5.0);
        assert_eq!(p99.problem(), None);
    }
}
