//! Latency histograms and the numbers the runner reports from them.
//!
//! Every latency the runner records goes into an HDR histogram of the same shape ([`histogram`]):
//! 1 ns to one minute, three significant decimal digits, so that histograms from different
//! threads and rounds add bucket by bucket ([`merge`]) and every value is stored to within 0.1%.

use bookproto::Distribution;
use hdrhistogram::Histogram;

/// Significant decimal digits the histograms keep: values are stored to within 0.1%.
pub const SIGFIG: u8 = 3;
/// The largest latency recorded exactly: one minute, in nanoseconds. Longer ones saturate.
pub const MAX_NS: u64 = 60_000_000_000;

/// The percentiles a [`Distribution`] reports, ascending.
pub const PERCENTILES: [f64; 6] = [50.0, 75.0, 90.0, 99.0, 99.9, 99.99];

/// An empty latency histogram: 1 ns to one minute, three significant digits.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_NS, SIGFIG).expect("valid bounds")
}

/// Records `ns` nanoseconds: values below 1 ns count as 1 ns, values above [`MAX_NS`] as
/// [`MAX_NS`].
pub fn record(h: &mut Histogram<u64>, ns: u64) {
    h.saturating_record(ns.max(1));
}

/// Adds every count of `from` to `into`.
///
/// # Panics
/// When `from` holds values `into` cannot (it was not made by [`histogram`]).
pub fn merge(into: &mut Histogram<u64>, from: &Histogram<u64>) {
    into.add(from)
        .expect("histograms made by runner::hist::histogram add");
}

// ANCHOR: percentiles
/// The scalar metrics of a latency histogram, each name prefixed by `prefix`: the percentiles
/// `p50_ns`, `p90_ns`, `p99_ns`, `p999_ns` (99.9) and `p9999_ns` (99.99), the mean `mean_ns`
/// and the largest value `max_ns`. Each percentile is the highest value that the bucket
/// holding the exact nearest-rank value stands for.
pub fn metrics(prefix: &str, h: &Histogram<u64>) -> Vec<(String, f64)> {
    let at = |q: f64| h.value_at_quantile(q) as f64;
    [
        ("p50_ns", at(0.50)),
        ("p90_ns", at(0.90)),
        ("p99_ns", at(0.99)),
        ("p999_ns", at(0.999)),
        ("p9999_ns", at(0.9999)),
        ("mean_ns", h.mean()),
        ("max_ns", h.max() as f64),
    ]
    .into_iter()
    .map(|(name, v)| (format!("{prefix}{name}"), v))
    .collect()
}
// ANCHOR_END: percentiles

/// The distribution of a latency histogram in nanoseconds: its count and its value at each of
/// [`PERCENTILES`].
pub fn distribution(h: &Histogram<u64>) -> Distribution {
    Distribution {
        unit: "ns".into(),
        count: h.len(),
        percentiles: PERCENTILES
            .iter()
            .map(|&p| (p, h.value_at_quantile(p / 100.0) as f64))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inputs::Rng as WyRand;

    fn skewed(n: usize, seed: u64) -> Histogram<u64> {
        let mut rng = WyRand::new(seed);
        let mut h = histogram();
        for _ in 0..n {
            // Mostly small values with a long tail: a uniform number, cubed.
            let u = rng.below(1_000);
            record(&mut h, u * u * u + 1);
        }
        h
    }

    #[test]
    fn percentiles_are_monotone_and_below_the_maximum() {
        for seed in 0..20 {
            let h = skewed(5_000, seed);
            let d = distribution(&h);
            assert_eq!(d.count, 5_000);
            assert!(d.percentiles.windows(2).all(|w| w[0].0 < w[1].0));
            assert!(
                d.percentiles.windows(2).all(|w| w[0].1 <= w[1].1),
                "{:?}",
                d.percentiles
            );
            let m: Vec<(String, f64)> = metrics("", &h);
            let v = |name: &str| m.iter().find(|(n, _)| n == name).unwrap().1;
            let ps = [
                "p50_ns", "p90_ns", "p99_ns", "p999_ns", "p9999_ns", "max_ns",
            ]
            .map(v);
            assert!(ps.windows(2).all(|w| w[0] <= w[1]), "{ps:?}");
            assert!(v("mean_ns") <= v("max_ns"));
        }
    }

    #[test]
    fn metrics_carry_their_prefix() {
        let names: Vec<String> = metrics("naive_", &skewed(10, 1))
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            names,
            [
                "naive_p50_ns",
                "naive_p90_ns",
                "naive_p99_ns",
                "naive_p999_ns",
                "naive_p9999_ns",
                "naive_mean_ns",
                "naive_max_ns"
            ]
        );
        assert!(names.iter().all(|n| bookproto::valid_name(n)));
    }

    #[test]
    fn merging_adds_the_counts() {
        let (a, b) = (skewed(300, 1), skewed(700, 2));
        let mut m = histogram();
        merge(&mut m, &a);
        merge(&mut m, &b);
        assert_eq!(m.len(), 1000);
        assert_eq!(m.max(), a.max().max(b.max()));
        let mut zero = histogram();
        record(&mut zero, 0);
        assert_eq!(zero.min(), 1, "a zero latency counts as 1 ns");
    }
}
