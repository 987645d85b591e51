//! Metrics and units, parsed when the declarations are loaded: a misspelt name is a load error
//! with the list of valid names, never taken for a callgrind event.

use std::fmt;

use serde::Deserialize;

/// A wall-clock metric computed from criterion's estimates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WallMetric {
    /// Smallest per-iteration sample time (ns); each sample averages a batch.
    Min,
    /// Median time per iteration (ns).
    Median,
    /// Lower bound of the median's 95% interval (ns).
    MedianLo,
    /// Upper bound of the median's 95% interval (ns).
    MedianHi,
    /// Mean time per iteration (ns).
    Mean,
    /// Standard deviation of the samples (ns).
    StdDev,
    /// Median absolute deviation of the samples (ns).
    Mad,
    /// Half-width of the median's 95% interval, % of the median.
    CiRel,
    /// Coefficient of variation of the samples, % (std_dev / mean).
    Cv,
    /// Throughput: bytes per iteration (criterion's `Throughput::Bytes`) over the median time,
    /// decimal GB/s.
    GbPerS,
    /// The median time in cycles of the machine's measured clock (median ns × GHz); needs
    /// results whose machine facts hold the clock.
    Cycles,
}

/// Every wall-clock metric with its name and meaning (the reference `book` and the docs use).
pub const WALL_METRICS: [(WallMetric, &str, &str); 11] = [
    (
        WallMetric::Min,
        "min",
        "smallest per-iteration sample time (ns); each sample averages a batch",
    ),
    (
        WallMetric::Median,
        "median",
        "median time per iteration (ns)",
    ),
    (
        WallMetric::MedianLo,
        "median_lo",
        "lower bound of the median's 95% interval (ns)",
    ),
    (
        WallMetric::MedianHi,
        "median_hi",
        "upper bound of the median's 95% interval (ns)",
    ),
    (WallMetric::Mean, "mean", "mean time per iteration (ns)"),
    (
        WallMetric::StdDev,
        "std_dev",
        "standard deviation of the samples (ns)",
    ),
    (
        WallMetric::Mad,
        "mad",
        "median absolute deviation of the samples (ns)",
    ),
    (
        WallMetric::CiRel,
        "ci_rel",
        "half-width of the median's 95% interval, % of the median",
    ),
    (
        WallMetric::Cv,
        "cv",
        "coefficient of variation of the samples, % (std_dev / mean)",
    ),
    (
        WallMetric::GbPerS,
        "gb_per_s",
        "throughput: bytes per iteration (criterion's `Throughput::Bytes`) over the median time, decimal GB/s",
    ),
    (
        WallMetric::Cycles,
        "cycles",
        "median time per iteration in cycles of the machine's measured clock (median ns × GHz)",
    ),
];

/// The events and derived metrics gungraun 0.20 reports for callgrind, by its names.
pub const CALLGRIND_EVENTS: [&str; 26] = [
    "Ir",
    "Dr",
    "Dw",
    "I1mr",
    "D1mr",
    "D1mw",
    "ILmr",
    "DLmr",
    "DLmw",
    "Bc",
    "Bcm",
    "Bi",
    "Bim",
    "L1hits",
    "LLhits",
    "RamHits",
    "TotalRW",
    "EstimatedCycles",
    "I1MissRate",
    "D1MissRate",
    "LLiMissRate",
    "LLdMissRate",
    "LLMissRate",
    "L1HitRate",
    "LLHitRate",
    "RamHitRate",
];

/// How declarations name a custom measurement: `custom.<name>`.
pub const CUSTOM_PREFIX: &str = "custom.";

/// A metric a declaration names.
#[derive(Clone, Debug, PartialEq)]
pub enum Metric {
    /// From criterion's estimates (reported, never enforced).
    Wall(WallMetric),
    /// A callgrind count by gungraun's name (deterministic; claims over it are enforced).
    Instr(&'static str),
    /// A number the benchmark recorded itself (`custom.<name>`; reported).
    Custom(String),
    /// A percentile of the benchmark's recorded distribution (`p99.9`; reported).
    Percentile(f64),
}

impl Metric {
    /// Parses a metric name, or says which names are valid.
    pub fn parse(s: &str) -> Result<Metric, String> {
        if let Some((w, name, _)) = WALL_METRICS.iter().find(|(_, n, _)| *n == s) {
            let _ = name;
            return Ok(Metric::Wall(*w));
        }
        if let Some(e) = CALLGRIND_EVENTS.iter().find(|e| **e == s) {
            return Ok(Metric::Instr(e));
        }
        if let Some(name) = s.strip_prefix(CUSTOM_PREFIX) {
            if bookproto::valid_name(name) {
                return Ok(Metric::Custom(name.to_string()));
            }
            return Err(format!(
                "`{s}` names no custom measurement: after `custom.` comes the name the benchmark recorded (lower-case letters, digits and `_`)"
            ));
        }
        if let Some(p) = s.strip_prefix('p')
            && let Ok(v) = p.parse::<f64>()
            && v > 0.0
            && v < 100.0
        {
            return Ok(Metric::Percentile(v));
        }
        let wall: Vec<&str> = WALL_METRICS.iter().map(|(_, n, _)| *n).collect();
        let near = wall
            .iter()
            .chain(CALLGRIND_EVENTS.iter())
            .min_by_key(|c| distance(&s.to_lowercase(), &c.to_lowercase()))
            .filter(|c| distance(&s.to_lowercase(), &c.to_lowercase()) <= 2);
        Err(format!(
            "unknown metric `{s}`{}. Wall-clock metrics: {}; callgrind counts: {}; a custom measurement: `custom.<name>`; a percentile of a recorded distribution: `p50`, `p99.9`",
            near.map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default(),
            wall.join(", "),
            CALLGRIND_EVENTS.join(", ")
        ))
    }

    /// The name as declarations write it.
    pub fn name(&self) -> String {
        match self {
            Metric::Wall(w) => WALL_METRICS
                .iter()
                .find(|(m, _, _)| m == w)
                .map(|(_, n, _)| n.to_string())
                .expect("every wall metric is listed"),
            Metric::Instr(e) => e.to_string(),
            Metric::Custom(n) => format!("{CUSTOM_PREFIX}{n}"),
            Metric::Percentile(p) => format!("p{p}"),
        }
    }

    /// Whether it is a callgrind count (deterministic, enforced by the test suite).
    pub fn is_instr(&self) -> bool {
        matches!(self, Metric::Instr(_))
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for Metric {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Metric, D::Error> {
        let s = String::deserialize(d)?;
        Metric::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Edit distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A unit values are shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Nanoseconds.
    Ns,
    /// Microseconds.
    Us,
    /// Milliseconds.
    Ms,
    /// Seconds.
    S,
    /// A percentage.
    Pct,
    /// A count, with thousands separators.
    Count,
    /// A factor, `1.5×`.
    X,
    /// Decimal gigabytes per second.
    Gbps,
}

impl Unit {
    /// The unit's name as declarations and the formatter write it.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Ns => "ns",
            Unit::Us => "us",
            Unit::Ms => "ms",
            Unit::S => "s",
            Unit::Pct => "pct",
            Unit::Count => "count",
            Unit::X => "x",
            Unit::Gbps => "gbps",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_is_answered_with_the_valid_names_not_taken_for_a_count() {
        let e = Metric::parse("medain").unwrap_err();
        assert!(e.contains("did you mean `median`"), "{e}");
        assert!(e.contains("Ir") && e.contains("custom.<name>"), "{e}");
        assert_eq!(Metric::parse("Ir"), Ok(Metric::Instr("Ir")));
        assert_eq!(Metric::parse("p99.9"), Ok(Metric::Percentile(99.9)));
        assert_eq!(
            Metric::parse("custom.p99_ns"),
            Ok(Metric::Custom("p99_ns".into()))
        );
        assert!(Metric::parse("custom.").is_err());
        assert!(Metric::parse("p100").is_err());
        for (_, n, _) in WALL_METRICS {
            assert_eq!(Metric::parse(n).unwrap().name(), n);
        }
    }
}
