// Lab 4, latency: a recorder whose cost does not grow with what it has seen.
//
// A load generator records one latency per request and asks for percentiles while it
// runs. This recorder keeps every value and sorts a copy for each question, so
// recording costs memory without bound and every percentile costs a sort. Chapter 4's
// HDR histograms answer within a fixed relative error from a fixed number of buckets:
// build one.

/// Records latencies, in nanoseconds, and answers percentiles.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    values: Vec<u64>,
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// Records one latency.
    pub fn record(&mut self, nanos: u64) {
        self.values.push(nanos);
    }

    /// How many latencies were recorded.
    pub fn count(&self) -> u64 {
        self.values.len() as u64
    }

    /// The latency at quantile `q` (`0 < q <= 1`) by nearest rank: the smallest
    /// recorded value that at least `q` of all recorded values do not exceed. An answer
    /// within 1% of it (in relative terms) is exact enough. Zero when nothing was
    /// recorded.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.values.is_empty() {
            return 0;
        }
        let mut sorted = self.values.clone();
        sorted.sort_unstable();
        let rank = (q * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }
}
