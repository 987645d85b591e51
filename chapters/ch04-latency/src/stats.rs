//! From a trace to numbers: percentiles by sorting and by HDR histogram, Little's law, and the
//! M/M/1 model. (The percentiles of a run's latencies come from benchkit's runner,
//! `benchkit::runner::hist`.)

use hdrhistogram::Histogram;

use benchkit::runner::load::Trace;

/// The latency histograms of benchkit's runner, which the chapter uses throughout: 1 ns to one
/// minute, three significant digits ([`SIGFIG`]); longer values saturate at [`MAX_NS`].
pub use benchkit::runner::hist::{MAX_NS, SIGFIG, histogram};

// ANCHOR: sorted_percentile
/// The `q` quantile of sorted values by the nearest-rank rule: the smallest value that at
/// least a fraction `q` of the values are less than or equal to. The model for the histogram.
pub fn sorted_quantile(sorted: &[u64], q: f64) -> u64 {
    assert!(!sorted.is_empty(), "the quantile of nothing");
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
// ANCHOR_END: sorted_percentile

/// The p50, p99 and p999 of `values` by sorting a copy: what a histogram replaces.
pub fn sort_percentiles(values: &mut [u64]) -> [u64; 3] {
    values.sort_unstable();
    [0.50, 0.99, 0.999].map(|q| sorted_quantile(values, q))
}

/// The p50, p99 and p999 of `values` through an HDR histogram `h` (reset first).
pub fn hdr_percentiles(h: &mut Histogram<u64>, values: &[u64]) -> [u64; 3] {
    h.reset();
    for &v in values {
        h.saturating_record(v);
    }
    [0.50, 0.99, 0.999].map(|q| h.value_at_quantile(q))
}

/// Little's law, measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Little {
    /// Arrival rate, requests per second: requests over the sampled window.
    pub lambda: f64,
    /// Mean time in the system (sent to answered), seconds.
    pub w: f64,
    /// Mean number in the system, from the sampler.
    pub l: f64,
}

impl Little {
    /// `L / (λ W)`: 1 when the law holds and the measurements agree.
    pub fn ratio(&self) -> f64 {
        self.l / (self.lambda * self.w)
    }
}

// ANCHOR: little
/// Little's law from a trace: L from the sampled counts in flight, λ from the requests and the
/// sampled window, W from each request's time between sending and answer.
pub fn little(trace: &Trace) -> Little {
    let n = trace.received_ns.len() as f64;
    let total_ns: u64 = (0..trace.received_ns.len())
        .map(|i| trace.received_ns[i] - trace.sent_ns[i])
        .sum();
    let l = trace.inflight.iter().map(|&k| f64::from(k)).sum::<f64>() / trace.inflight.len() as f64;
    Little {
        lambda: n / (trace.window_ns as f64 * 1e-9),
        w: total_ns as f64 * 1e-9 / n,
        l,
    }
}
// ANCHOR_END: little

/// The exact time-average number in flight over `[0, window_ns)`: the integral of the step
/// function "sent and not yet answered", by sweeping the events in time order.
pub fn integrated_inflight(sent_ns: &[u64], received_ns: &[u64], window_ns: u64) -> f64 {
    let mut events: Vec<(u64, i64)> = sent_ns
        .iter()
        .map(|&t| (t, 1))
        .chain(received_ns.iter().map(|&t| (t, -1)))
        .collect();
    events.sort_unstable();
    let (mut level, mut last, mut area) = (0i64, 0u64, 0f64);
    for (t, step) in events {
        let t = t.min(window_ns);
        area += level as f64 * (t - last) as f64;
        last = t;
        level += step;
    }
    area += level as f64 * (window_ns - last) as f64;
    area / window_ns as f64
}

/// The number in flight at each of `times`: sent at or before and answered after. What the
/// sampler reads from its counters.
pub fn inflight_at(sent_ns: &[u64], received_ns: &[u64], times: &[u64]) -> Vec<u32> {
    times
        .iter()
        .map(|&t| {
            (0..sent_ns.len())
                .filter(|&i| sent_ns[i] <= t && received_ns[i] > t)
                .count() as u32
        })
        .collect()
}

// ANCHOR: batch_means
/// The `q` quantile of each of `batches` consecutive batches of `values` (in the order the
/// requests were sent; a remainder that does not fill a batch is left out), and the standard
/// error of their mean: the batch-means estimate of how far a quantile of one run would move
/// in another, which allows for the correlation of neighbouring requests that a bootstrap of
/// single requests would ignore.
///
/// # Panics
/// When there are fewer values than batches, or no batch.
pub fn batch_quantile(values: &[u64], batches: usize, q: f64) -> BatchQuantile {
    assert!(
        batches > 0 && values.len() >= batches,
        "{} values in {batches} batches",
        values.len()
    );
    let per = values.len() / batches;
    let each: Vec<f64> = values
        .chunks_exact(per)
        .take(batches)
        .map(|b| {
            let mut s = b.to_vec();
            s.sort_unstable();
            sorted_quantile(&s, q) as f64
        })
        .collect();
    let n = each.len() as f64;
    let mean = each.iter().sum::<f64>() / n;
    let var = each.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0).max(1.0);
    BatchQuantile {
        mean,
        se: (var / n).sqrt(),
        min: each.iter().copied().fold(f64::INFINITY, f64::min),
        max: each.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// What [`batch_quantile`] found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchQuantile {
    /// The mean of the batches' quantiles.
    pub mean: f64,
    /// Its standard error.
    pub se: f64,
    /// The smallest batch's quantile.
    pub min: f64,
    /// The largest batch's quantile.
    pub max: f64,
}
// ANCHOR_END: batch_means

// ANCHOR: mm1
/// M/M/1: mean time in the system of a single FIFO server with Poisson arrivals and
/// exponential service of mean `s` at utilisation `rho` (< 1).
pub fn mm1_mean(s: f64, rho: f64) -> f64 {
    s / (1.0 - rho)
}

/// M/M/1: the `q` quantile of the time in the system, which is exponential with mean
/// [`mm1_mean`].
pub fn mm1_quantile(s: f64, rho: f64, q: f64) -> f64 {
    -(1.0 - q).ln() * mm1_mean(s, rho)
}

/// M/G/1 (Pollaczek–Khinchine): mean time in the system of a single FIFO server with Poisson
/// arrivals and service of mean `s` and squared coefficient of variation `scv`, at utilisation
/// `rho` (< 1). With `scv` = 1 it is [`mm1_mean`]; less variable service waits less.
pub fn pk_mean(s: f64, rho: f64, scv: f64) -> f64 {
    s + rho * s * (1.0 + scv) / (2.0 * (1.0 - rho))
}
// ANCHOR_END: mm1
