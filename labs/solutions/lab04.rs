// Lab 4, reference solution: a log-linear histogram, the layout of an HDR histogram. Values
// below `SUB` have a bucket each; above, every power of two is split into `SUB / 2` buckets,
// so a bucket is never wider than 1/128 of the values in it, and an answer taken from a
// bucket's lower edge is within that of the true value.

/// Buckets per power of two, doubled (a power of two).
const SUB: u64 = 256;
const SUB_BITS: u32 = SUB.trailing_zeros();
/// Buckets for every `u64`: `SUB` exact ones, then `SUB / 2` for each higher power of two.
const BUCKETS: usize = (SUB + (64 - SUB_BITS as u64) * (SUB / 2)) as usize;

/// Records latencies, in nanoseconds, and answers percentiles.
#[derive(Clone, Debug)]
pub struct Recorder {
    counts: Vec<u64>,
    total: u64,
}

impl Default for Recorder {
    fn default() -> Recorder {
        Recorder::new()
    }
}

/// The bucket of `v`.
fn bucket(v: u64) -> usize {
    if v < SUB {
        return v as usize;
    }
    // v's highest set bit is at `top` >= SUB_BITS; keep the SUB_BITS bits below and including it.
    let top = 63 - v.leading_zeros();
    let shift = top + 1 - SUB_BITS;
    let mantissa = (v >> shift) - SUB / 2; // 0 .. SUB/2
    (SUB + (shift as u64 - 1) * (SUB / 2) + mantissa) as usize
}

/// The smallest value of bucket `b`.
fn lower_edge(b: usize) -> u64 {
    let b = b as u64;
    if b < SUB {
        return b;
    }
    let shift = (b - SUB) / (SUB / 2) + 1;
    let mantissa = (b - SUB) % (SUB / 2) + SUB / 2;
    mantissa << shift
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Recorder {
        Recorder {
            counts: vec![0; BUCKETS],
            total: 0,
        }
    }

    /// Records one latency.
    pub fn record(&mut self, nanos: u64) {
        self.counts[bucket(nanos)] += 1;
        self.total += 1;
    }

    /// How many latencies were recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The latency at quantile `q` by nearest rank, to within a bucket (see the starting code).
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return lower_edge(b);
            }
        }
        unreachable!("the counts add up to the total")
    }
}
