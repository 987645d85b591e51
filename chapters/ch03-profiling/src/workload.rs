//! The workload every profiler in this chapter looks at: weather-station readings as text
//! (`name;-12.3` per line), summarised per station in four phases of different cost.
//!
//! 1. [`parse`] splits the text into lines and fields and parses each temperature as an `f64`.
//! 2. [`aggregate`] folds the readings into a hash map of minimum, maximum, sum and count.
//! 3. [`sort`] orders the stations by name.
//! 4. [`format()`] writes one line per station: `name=min/mean/max`, one decimal each.
//!
//! Each phase is `#[inline(never)]`, so that its name survives optimisation and appears in
//! every profile: the sampler's stacks, callgrind's function list and the flame graph.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, DefaultHasher};

use inputs::Rng;

/// One reading: a station's name (borrowed from the input text) and a temperature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Record<'a> {
    /// The station's name.
    pub station: &'a str,
    /// The temperature in degrees Celsius.
    pub value: f64,
}

/// What [`aggregate`] keeps per station.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Lowest reading.
    pub min: f64,
    /// Highest reading.
    pub max: f64,
    /// Sum of the readings, in input order.
    pub sum: f64,
    /// Number of readings.
    pub count: u64,
}

impl Stats {
    /// The statistics of a single reading.
    pub fn new(v: f64) -> Stats {
        Stats {
            min: v,
            max: v,
            sum: v,
            count: 1,
        }
    }

    /// Adds one reading.
    pub fn add(&mut self, v: f64) {
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        self.sum += v;
        self.count += 1;
    }

    /// The mean of the readings.
    pub fn mean(&self) -> f64 {
        self.sum / self.count as f64
    }
}

/// The hash map of [`aggregate`]: the standard SipHash with fixed keys, so that the same input
/// hashes to the same buckets in every process (the default `RandomState` draws new keys per
/// process, which would change the instruction count from run to run).
pub type StationMap<'a> = HashMap<&'a str, Stats, BuildHasherDefault<DefaultHasher>>;

/// The input: `records` readings from `stations` stations, one `name;value` line each, from
/// `seed`. Names are 3 to 12 lower-case letters followed by `-` and the station's number, so
/// they are distinct; values are tenths of a degree in -99.9..=99.9.
///
/// # Panics
/// If `stations` is zero.
pub fn generate(records: usize, stations: usize, seed: u64) -> String {
    assert!(stations > 0, "a workload needs at least one station");
    let mut rng = Rng::new(seed);
    let names: Vec<String> = (0..stations)
        .map(|i| {
            let len = 3 + rng.below(10) as usize;
            let mut s: String = (0..len)
                .map(|_| char::from(b'a' + rng.below(26) as u8))
                .collect();
            write!(s, "-{i}").expect("writing to a String");
            s
        })
        .collect();
    let mut text = String::with_capacity(records * 16);
    for _ in 0..records {
        let name = &names[rng.below(stations as u64) as usize];
        let tenths = rng.below(1999) as i64 - 999;
        let sign = if tenths < 0 { "-" } else { "" };
        let t = tenths.unsigned_abs();
        writeln!(text, "{name};{sign}{}.{}", t / 10, t % 10).expect("writing to a String");
    }
    text
}

// ANCHOR: phases
/// Phase 1: one [`Record`] per line of `text`.
///
/// # Panics
/// On a line without `;` or whose value is not a number.
#[inline(never)]
pub fn parse(text: &str) -> Vec<Record<'_>> {
    text.lines()
        .map(|line| {
            let (station, value) = line.split_once(';').expect("a line is `name;value`");
            let value = value.parse().expect("a value is a number");
            Record { station, value }
        })
        .collect()
}

/// Phase 2: the statistics of each station.
#[inline(never)]
pub fn aggregate<'a>(records: &[Record<'a>]) -> StationMap<'a> {
    let mut map = StationMap::default();
    for r in records {
        map.entry(r.station)
            .and_modify(|s| s.add(r.value))
            .or_insert_with(|| Stats::new(r.value));
    }
    map
}

/// Phase 3: the stations in order of name.
#[inline(never)]
pub fn sort<'a>(map: StationMap<'a>) -> Vec<(&'a str, Stats)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_unstable_by(|a, b| a.0.cmp(b.0));
    v
}

/// Phase 4: one line per station, `name=min/mean/max`.
#[inline(never)]
pub fn format(sorted: &[(&str, Stats)]) -> String {
    let mut out = String::new();
    for (name, s) in sorted {
        writeln!(out, "{name}={:.1}/{:.1}/{:.1}", s.min, s.mean(), s.max)
            .expect("writing to a String");
    }
    out
}

/// The whole workload: the four phases in order.
#[inline(never)]
pub fn run(text: &str) -> String {
    let records = parse(text);
    let map = aggregate(&records);
    let sorted = sort(map);
    format(&sorted)
}
// ANCHOR_END: phases

/// The names of the phases as they appear in a profile, in the order they run.
pub const PHASES: [&str; 4] = [
    "ch03::workload::parse",
    "ch03::workload::aggregate",
    "ch03::workload::sort",
    "ch03::workload::format",
];

/// The short name of each phase (the middle part of the benchmark ids `phase/<name>/records`).
pub const PHASE_NAMES: [&str; 4] = ["parse", "aggregate", "sort", "format"];

/// The root of the workload in a profile.
pub const RUN: &str = "ch03::workload::run";
