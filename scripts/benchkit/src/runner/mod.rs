//! The experiment runner: what criterion cannot measure. Sweeps over implementations and
//! parameters (threads, offered load, size), threads started together, open- and closed-loop
//! load with latency percentiles, repeated in interleaved rounds; results as
//! [`bookproto::Record`]s.
//!
//! An [`Experiment`] is one group of the chapter's case list: each case `group/function/case`
//! names an implementation (`function`) and a point of the sweep (`case`, with its parameters).
//! For each point the runner
//!
//! 1. runs every implementation [`Experiment::warmup`] times and discards the results;
//! 2. runs [`Experiment::rounds`] rounds, and in each round every implementation once, so that
//!    whatever drifts during the experiment (the host's speed, its neighbours, the page cache)
//!    falls on all implementations alike. Round `r` starts with implementation `r mod k` (of
//!    `k`), so that no implementation always runs first;
//! 3. combines each implementation's rounds into one record ([`Sample`] says how) and, through
//!    [`Experiment::run`], writes it with [`crate::custom::record_full`] under the case's id.
//!
//! What is measured is a closure per implementation, which gets the case and the round
//! ([`Run`]) and returns a [`Sample`]: scalars, latency histograms, series. The closures use
//! [`load`] for load generation and [`threads`] for threads released together; both are bounded
//! in count and in time, and so is the experiment as a whole ([`Experiment::time_limit`]).
//!
//! The wall-clock harness registers every case an experiment measures, as [`crate::id`] does for
//! criterion's, so [`crate::finish`] holds runner cases to the same rule: every wall case of the
//! list is measured, and nothing else.

use std::collections::BTreeMap;
use std::error::Error;
use std::time::{Duration, Instant};

use bookproto::{Case, Id, Mode, Record, Series};
use hdrhistogram::Histogram;

pub mod hist;
pub mod load;
pub mod threads;

/// Rounds per point in a mode: quick runs three, full runs five.
pub fn default_rounds(mode: Mode) -> usize {
    match mode {
        Mode::Quick => 3,
        Mode::Full => 5,
    }
}

/// How long an experiment may take in a mode before the runner stops it: a bound on the whole
/// (every run has its own, tighter, bound).
pub fn default_time_limit(mode: Mode) -> Duration {
    match mode {
        Mode::Quick => Duration::from_secs(15 * 60),
        Mode::Full => Duration::from_secs(3 * 3600),
    }
}

/// The share of a point's time a warm-up run is meant to take.
pub const WARMUP_SHARE: f64 = 0.1;

/// Which run of a point this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Warm-up run number `n` (discarded).
    Warmup(usize),
    /// Round `r`, counted from 0.
    Round(usize),
}

/// What an implementation's closure is told about the run it is asked for.
#[derive(Clone, Copy, Debug)]
pub struct Run<'c> {
    /// The case: its id and parameters (`run.case.usize("threads")`).
    pub case: &'c Case,
    /// Warm-up or round.
    pub phase: Phase,
    /// Rounds per point.
    pub rounds: usize,
    /// The mode.
    pub mode: Mode,
}

impl Run<'_> {
    /// Whether this is a warm-up run, whose result is discarded.
    pub fn is_warmup(&self) -> bool {
        matches!(self.phase, Phase::Warmup(_))
    }

    /// The share of the point's time budget this run is meant to take: `1 / rounds` for a
    /// round, [`WARMUP_SHARE`] for a warm-up. A closure that measures for `secs` per point runs
    /// for `secs * run.share()`.
    pub fn share(&self) -> f64 {
        match self.phase {
            Phase::Warmup(_) => WARMUP_SHARE,
            Phase::Round(_) => 1.0 / self.rounds as f64,
        }
    }

    /// A seed for this run's random input: `base` in round 0, and a different one in every
    /// other round and warm-up run. Every implementation gets the same seed in the same round,
    /// so that a round compares them on the same input, while the rounds together sample the
    /// input's variation as well as the machine's.
    pub fn seed(&self, base: u64) -> u64 {
        let k = match self.phase {
            Phase::Round(r) => r as u64,
            Phase::Warmup(w) => (1 << 31) | w as u64,
        };
        base ^ (k << 32)
    }
}

/// How a scalar metric's rounds combine into the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Combine {
    /// The median over the rounds.
    Median,
    /// 1 when every round's value is 1, else 0.
    All,
}

/// What one run of an implementation measured.
///
/// Combined over the rounds into one [`Record`]:
///
/// - a scalar ([`Sample::metric`]) becomes the median of its rounds; a flag ([`Sample::flag`])
///   becomes 1 only when it was true in every round;
/// - the latency histograms ([`Sample::latencies`]) of the rounds are added together, and each
///   gives the metrics of [`hist::metrics`] under its prefix (`p50_ns`, `naive_p99_ns`); the
///   histogram with the empty prefix becomes the record's distribution;
/// - a series ([`Sample::series`]) keeps the points of every round, in round order;
/// - the record's `rounds` hold the headline metric ([`Experiment::headline`]) of each round,
///   computed from that round alone.
///
/// Every round of an implementation must report the same names.
#[derive(Clone, Debug, Default)]
pub struct Sample {
    metrics: BTreeMap<String, (f64, Combine)>,
    histograms: BTreeMap<String, Histogram<u64>>,
    series: BTreeMap<String, Series>,
}

impl Sample {
    /// An empty sample.
    pub fn new() -> Sample {
        Sample::default()
    }

    fn insert(&mut self, name: &str, value: f64, how: Combine) -> &mut Sample {
        assert!(
            bookproto::valid_name(name),
            "metric name {name:?} is not lower-case letters, digits and `_`"
        );
        assert!(value.is_finite(), "metric {name} is {value}");
        assert!(
            self.metrics.insert(name.into(), (value, how)).is_none(),
            "metric {name} is recorded twice"
        );
        self
    }

    /// A scalar, combined over the rounds by their median.
    ///
    /// # Panics
    /// When the name is not a valid metric name ([`bookproto::valid_name`]), is given twice,
    /// or the value is not finite.
    pub fn metric(&mut self, name: &str, value: f64) -> &mut Sample {
        self.insert(name, value, Combine::Median)
    }

    /// A flag, recorded as 1 or 0 and combined over the rounds as 1 only when it held in every
    /// round (real-time priority applied, threads pinned).
    ///
    /// # Panics
    /// As [`Sample::metric`].
    pub fn flag(&mut self, name: &str, value: bool) -> &mut Sample {
        self.insert(name, f64::from(u8::from(value)), Combine::All)
    }

    /// A latency histogram in nanoseconds (made by [`hist::histogram`]), whose metrics are
    /// named with `prefix`: `""` for the main one, which also becomes the record's
    /// distribution, or a name ending in `_` (`naive_`).
    ///
    /// # Panics
    /// When the prefix is neither empty nor a valid name ending in `_`, or is given twice.
    pub fn latencies(&mut self, prefix: &str, h: Histogram<u64>) -> &mut Sample {
        assert!(
            prefix.is_empty() || (prefix.ends_with('_') && bookproto::valid_name(prefix)),
            "latency prefix {prefix:?} is neither empty nor lower-case letters, digits and `_` ending in `_`"
        );
        assert!(
            self.histograms.insert(prefix.into(), h).is_none(),
            "latencies with prefix {prefix:?} are recorded twice"
        );
        self
    }

    /// A named series of `(x, y)` points, with what x and y are.
    ///
    /// # Panics
    /// When the name is not a valid name, is given twice, or a point is not finite.
    pub fn series(&mut self, name: &str, x: &str, y: &str, points: Vec<(f64, f64)>) -> &mut Sample {
        assert!(
            bookproto::valid_name(name),
            "series name {name:?} is not lower-case letters, digits and `_`"
        );
        assert!(
            points.iter().all(|(x, y)| x.is_finite() && y.is_finite()),
            "series {name} has a point that is not finite"
        );
        let s = Series {
            x: x.into(),
            y: y.into(),
            points,
        };
        assert!(
            self.series.insert(name.into(), s).is_none(),
            "series {name} is recorded twice"
        );
        self
    }

    /// The number of latencies recorded under `prefix`, if any were.
    pub fn histogram_count(&self, prefix: &str) -> Option<u64> {
        self.histograms.get(prefix).map(Histogram::len)
    }

    /// The value of metric `name`: a scalar or flag, or one that a histogram gives
    /// ([`hist::metrics`]).
    pub fn value(&self, name: &str) -> Option<f64> {
        if let Some(&(v, _)) = self.metrics.get(name) {
            return Some(v);
        }
        self.histograms
            .iter()
            .filter(|(p, h)| name.starts_with(p.as_str()) && !h.is_empty())
            .flat_map(|(p, h)| hist::metrics(p, h))
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The names a round reports, for checking that every round reports the same.
    fn shape(&self) -> (Vec<(&str, Combine)>, Vec<&str>, Vec<&str>) {
        (
            self.metrics
                .iter()
                .map(|(n, v)| (n.as_str(), v.1))
                .collect(),
            self.histograms.keys().map(String::as_str).collect(),
            self.series.keys().map(String::as_str).collect(),
        )
    }
}

pub use bookproto::median;

/// Combines the rounds of one implementation at one point into its record (see [`Sample`]).
///
/// # Panics
/// When there are no rounds, the rounds report different names, a histogram is empty after
/// the rounds are added, a metric a histogram gives is also recorded as a scalar, or the
/// headline is not a metric of every round.
pub fn combine(id: &Id, rounds: &[Sample], headline: &str) -> Record {
    assert!(!rounds.is_empty(), "{id}: no rounds to combine");
    let shape = rounds[0].shape();
    for (r, s) in rounds.iter().enumerate() {
        assert!(
            s.shape() == shape,
            "{id}: round {r} reports {:?}, round 0 reported {shape:?}",
            s.shape()
        );
    }
    let mut record = Record::default();
    for (name, &(_, how)) in &rounds[0].metrics {
        let values: Vec<f64> = rounds.iter().map(|s| s.metrics[name].0).collect();
        let v = match how {
            Combine::Median => median(&values),
            Combine::All => f64::from(u8::from(values.iter().all(|&v| v != 0.0))),
        };
        record.metrics.insert(name.clone(), v);
        if how == Combine::Median && rounds.len() > 1 {
            record.metric_rounds.insert(name.clone(), values);
        }
    }
    for prefix in rounds[0].histograms.keys() {
        let mut merged = hist::histogram();
        for s in rounds {
            hist::merge(&mut merged, &s.histograms[prefix]);
        }
        assert!(
            !merged.is_empty(),
            "{id}: no latencies were recorded under {prefix:?} in any round"
        );
        for (name, v) in hist::metrics(prefix, &merged) {
            assert!(
                record.metrics.insert(name.clone(), v).is_none(),
                "{id}: metric {name} is recorded both as a scalar and from latencies {prefix:?}"
            );
        }
        if rounds.len() > 1 {
            // Each round's own percentiles, from its histogram alone: the spread between
            // rounds of the percentiles the merged histogram gives.
            let per_round: Vec<Vec<(String, f64)>> = rounds
                .iter()
                .filter(|s| !s.histograms[prefix].is_empty())
                .map(|s| hist::metrics(prefix, &s.histograms[prefix]))
                .collect();
            if per_round.len() == rounds.len() {
                for (i, (name, _)) in per_round[0].iter().enumerate() {
                    let values = per_round.iter().map(|r| r[i].1).collect();
                    record.metric_rounds.insert(name.clone(), values);
                }
            }
        }
        if prefix.is_empty() {
            record.distribution = Some(hist::distribution(&merged));
        }
    }
    for (name, first) in &rounds[0].series {
        let points = rounds
            .iter()
            .flat_map(|s| s.series[name].points.iter().copied())
            .collect();
        record.series.insert(
            name.clone(),
            Series {
                x: first.x.clone(),
                y: first.y.clone(),
                points,
            },
        );
    }
    record.rounds = rounds
        .iter()
        .enumerate()
        .map(|(r, s)| {
            s.value(headline).unwrap_or_else(|| {
                panic!("{id}: round {r} has no headline metric {headline}; name one with Experiment::headline")
            })
        })
        .collect();
    record
}

/// The closure of one implementation.
type Measure<'a> = Box<dyn FnMut(&Run<'_>) -> Result<Sample, Box<dyn Error + Send + Sync>> + 'a>;

/// One group of cases, measured by one closure per implementation (see the module's
/// documentation).
pub struct Experiment<'a> {
    group: String,
    cases: Vec<Case>,
    implementations: Vec<(String, Measure<'a>)>,
    mode: Mode,
    rounds: usize,
    warmup: usize,
    headline: String,
    time_limit: Duration,
}

/// One measured case and its record.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The case.
    pub case: Case,
    /// What was measured.
    pub record: Record,
}

impl<'a> Experiment<'a> {
    /// The experiment over the cases of `group` in the chapter's case list that the wall-clock
    /// harness measures, in the mode `BOOK_MODE` names, with that mode's rounds
    /// ([`default_rounds`]) and time limit ([`default_time_limit`]), one warm-up run, and the
    /// median latency `p50_ns` as the headline.
    ///
    /// # Panics
    /// When the list has no such case.
    pub fn new(group: &str, cases: &[Case]) -> Experiment<'a> {
        let cases: Vec<Case> = cases
            .iter()
            .filter(|c| c.id.group == group && c.harnesses.wall())
            .cloned()
            .collect();
        assert!(
            !cases.is_empty(),
            "the case list has no wall-clock case in group {group}"
        );
        let mode = Mode::from_env();
        Experiment {
            group: group.into(),
            cases,
            implementations: Vec::new(),
            mode,
            rounds: default_rounds(mode),
            warmup: 1,
            headline: "p50_ns".into(),
            time_limit: default_time_limit(mode),
        }
    }

    /// Measures in `mode` (its rounds and time limit) instead of the mode `BOOK_MODE` names.
    pub fn mode(mut self, mode: Mode) -> Experiment<'a> {
        self.mode = mode;
        self.rounds = default_rounds(mode);
        self.time_limit = default_time_limit(mode);
        self
    }

    /// Rounds per point.
    ///
    /// # Panics
    /// When `n` is zero.
    pub fn rounds(mut self, n: usize) -> Experiment<'a> {
        assert!(n > 0, "at least one round");
        self.rounds = n;
        self
    }

    /// Warm-up runs per implementation and point (0 for none).
    pub fn warmup(mut self, n: usize) -> Experiment<'a> {
        self.warmup = n;
        self
    }

    /// The metric whose value in each round goes into the record's `rounds`.
    pub fn headline(mut self, metric: &str) -> Experiment<'a> {
        self.headline = metric.into();
        self
    }

    /// The longest the whole experiment may take: a run that would start later panics,
    /// naming the case.
    pub fn time_limit(mut self, limit: Duration) -> Experiment<'a> {
        self.time_limit = limit;
        self
    }

    /// The implementation that measures the cases whose function is `function`.
    ///
    /// # Panics
    /// When `function` is given twice.
    pub fn implementation<F, E>(mut self, function: &str, mut f: F) -> Experiment<'a>
    where
        F: FnMut(&Run<'_>) -> Result<Sample, E> + 'a,
        E: Into<Box<dyn Error + Send + Sync>>,
    {
        assert!(
            !self.implementations.iter().any(|(n, _)| n == function),
            "implementation {function} of experiment {} is given twice",
            self.group
        );
        self.implementations
            .push((function.into(), Box::new(move |r| f(r).map_err(Into::into))));
        self
    }

    /// The points of the sweep, in declaration order: each case name with the cases (one per
    /// implementation measuring it) and their implementations' indices.
    fn points(&self) -> Vec<(String, Vec<(usize, Case)>)> {
        let mut points: Vec<(String, Vec<(usize, Case)>)> = Vec::new();
        for c in &self.cases {
            let k = self
                .implementations
                .iter()
                .position(|(n, _)| *n == c.id.function)
                .unwrap_or_else(|| {
                    panic!(
                        "case {} names implementation {}, which experiment {} does not have",
                        c.id, c.id.function, self.group
                    )
                });
            match points.iter_mut().find(|(name, _)| *name == c.id.case) {
                Some((_, v)) => v.push((k, c.clone())),
                None => points.push((c.id.case.clone(), vec![(k, c.clone())])),
            }
        }
        for (name, _) in &self.implementations {
            assert!(
                self.cases.iter().any(|c| c.id.function == *name),
                "implementation {name} of experiment {} has no case in the case list",
                self.group
            );
        }
        points
    }

    /// Measures every case and returns the records, without registering or writing them (see
    /// [`Experiment::run`]).
    ///
    /// # Panics
    /// When a case names an implementation the experiment does not have (or an implementation
    /// has no case), a closure fails or panics, the rounds cannot be combined ([`combine`]),
    /// or the experiment outlasts its time limit.
    pub fn measure(mut self) -> Vec<Outcome> {
        let points = self.points();
        let started = Instant::now();
        let (rounds, warmup, mode, limit) = (self.rounds, self.warmup, self.mode, self.time_limit);
        let mut outcomes = Vec::new();
        for (_, cases) in &points {
            let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); cases.len()];
            let phases = (0..warmup)
                .map(Phase::Warmup)
                .chain((0..rounds).map(Phase::Round));
            for phase in phases {
                let first = match phase {
                    Phase::Round(r) => r % cases.len(),
                    Phase::Warmup(_) => 0,
                };
                for j in (0..cases.len()).map(|j| (first + j) % cases.len()) {
                    let (k, case) = &cases[j];
                    assert!(
                        started.elapsed() <= limit,
                        "experiment {} has run for {:?}, longer than its limit of {limit:?}, before {} ({phase:?})",
                        self.group,
                        started.elapsed(),
                        case.id
                    );
                    let run = Run {
                        case,
                        phase,
                        rounds,
                        mode,
                    };
                    let sample = (self.implementations[*k].1)(&run)
                        .unwrap_or_else(|e| panic!("{} ({phase:?}) failed: {e}", case.id));
                    if let Phase::Round(_) = phase {
                        samples[j].push(sample);
                    }
                }
            }
            for ((_, case), s) in cases.iter().zip(samples) {
                let record = combine(&case.id, &s, &self.headline);
                outcomes.push(Outcome {
                    case: case.clone(),
                    record,
                });
            }
        }
        outcomes
    }

    /// Registers every case with the wall-clock harness (as [`crate::id`] does for criterion's
    /// cases), measures them ([`Experiment::measure`]), and records each through
    /// [`crate::custom::record_full`]; returns the records.
    ///
    /// # Panics
    /// As [`crate::register`] (a case not in the list, or `benchkit::start` not called) and
    /// as [`Experiment::measure`].
    pub fn run(self) -> Vec<Outcome> {
        for c in &self.cases {
            crate::register(c);
        }
        let outcomes = self.measure();
        for o in &outcomes {
            crate::custom::record_full(&o.case.id, &o.record);
        }
        outcomes
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    fn cases() -> Vec<Case> {
        let mut v = Vec::new();
        for n in [1.0, 4.0] {
            for f in ["a", "b", "c"] {
                v.push(
                    Case::new("g", f, &bookproto::case_name("t", n))
                        .param("threads", n)
                        .wall_only("threads"),
                );
            }
        }
        v.push(Case::new("other", "a", "t1"));
        v
    }

    fn sample(v: f64) -> Sample {
        let mut h = hist::histogram();
        for x in 1..=100u64 {
            hist::record(&mut h, x * v as u64);
        }
        let mut s = Sample::new();
        s.metric("ops", v).flag("ok", v > 1.0).latencies("", h);
        s
    }

    #[test]
    fn rounds_interleave_the_implementations_and_rotate_the_first() {
        let log = RefCell::new(Vec::new());
        let imp = |name: &'static str| {
            let log = &log;
            move |r: &Run<'_>| -> Result<Sample, std::io::Error> {
                log.borrow_mut()
                    .push((name, r.case.id.case.clone(), r.phase));
                Ok(sample(r.case.get("threads")))
            }
        };
        let out = Experiment::new("g", &cases())
            .mode(Mode::Quick)
            .rounds(3)
            .warmup(1)
            .implementation("a", imp("a"))
            .implementation("b", imp("b"))
            .implementation("c", imp("c"))
            .measure();
        let log = log.into_inner();
        use Phase::*;
        let t1: Vec<(&str, Phase)> = log
            .iter()
            .filter(|e| e.1 == "t1")
            .map(|e| (e.0, e.2))
            .collect();
        assert_eq!(
            t1,
            [
                ("a", Warmup(0)),
                ("b", Warmup(0)),
                ("c", Warmup(0)),
                ("a", Round(0)),
                ("b", Round(0)),
                ("c", Round(0)),
                ("b", Round(1)),
                ("c", Round(1)),
                ("a", Round(1)),
                ("c", Round(2)),
                ("a", Round(2)),
                ("b", Round(2)),
            ]
        );
        // Every run of the first point comes before any of the second.
        assert!(log[..12].iter().all(|e| e.1 == "t1"));
        assert!(log[12..].iter().all(|e| e.1 == "t4"));
        assert_eq!(log.len(), 24);
        // One record per case of the group, in declaration order, each from three rounds.
        let ids: Vec<String> = out.iter().map(|o| o.case.id.to_string()).collect();
        assert_eq!(
            ids,
            ["g/a/t1", "g/b/t1", "g/c/t1", "g/a/t4", "g/b/t4", "g/c/t4"]
        );
        for o in &out {
            assert_eq!(o.record.rounds.len(), 3);
            assert_eq!(o.record.distribution.as_ref().unwrap().count, 300);
            assert_eq!(o.record.problem(), None);
        }
        assert_eq!(out[0].record.metrics["ok"], 0.0);
        assert_eq!(out[3].record.metrics["ok"], 1.0);
    }

    #[test]
    fn rounds_combine_by_median_flags_by_all_and_histograms_by_sum() {
        let id = Id::new("g", "f", "c");
        let mut rounds = vec![sample(1.0), sample(3.0), sample(2.0)];
        rounds[1].series("s", "x", "y", vec![(0.0, 1.0)]);
        rounds[0].series("s", "x", "y", vec![(0.0, 2.0)]);
        rounds[2].series("s", "x", "y", vec![(0.0, 3.0)]);
        let r = combine(&id, &rounds, "p50_ns");
        assert_eq!(r.metrics["ops"], 2.0);
        assert_eq!(r.metrics["ok"], 0.0, "round 0 was not ok");
        let d = r.distribution.clone().unwrap();
        assert_eq!(d.count, 300);
        assert!(d.percentiles.windows(2).all(|w| w[0].1 <= w[1].1));
        assert_eq!(
            r.rounds,
            vec![50.0, 150.0, 100.0],
            "each round's own median"
        );
        assert_eq!(
            r.series["s"].points,
            vec![(0.0, 2.0), (0.0, 1.0), (0.0, 3.0)]
        );
        assert!(r.metrics["p99_ns"] >= r.metrics["p50_ns"]);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        // Every scalar and every percentile keeps its value in each round, for its interval;
        // a flag, which combines by "all", does not.
        assert_eq!(r.metric_rounds["ops"].len(), 3);
        assert_eq!(r.metric_rounds["p50_ns"], r.rounds);
        assert!(!r.metric_rounds.contains_key("ok"));
        assert_eq!(r.problem(), None);
    }

    #[test]
    #[should_panic(expected = "round 1 reports")]
    fn rounds_that_report_different_names_are_refused() {
        let mut odd = sample(1.0);
        odd.metric("extra", 1.0);
        combine(&Id::new("g", "f", "c"), &[sample(1.0), odd], "p50_ns");
    }

    #[test]
    #[should_panic(expected = "which experiment g does not have")]
    fn a_case_without_its_implementation_is_refused() {
        Experiment::new("g", &cases())
            .implementation("a", |_: &Run<'_>| Ok::<_, std::io::Error>(sample(1.0)))
            .measure();
    }

    #[test]
    #[should_panic(expected = "failed: no server")]
    fn a_failing_run_names_its_case() {
        let only_a: Vec<Case> = cases()
            .into_iter()
            .filter(|c| c.id.function == "a")
            .collect();
        Experiment::new("g", &only_a)
            .implementation("a", |_: &Run<'_>| {
                Err::<Sample, _>(std::io::Error::other("no server"))
            })
            .measure();
    }

    #[test]
    #[should_panic(expected = "longer than its limit")]
    fn an_experiment_stops_at_its_time_limit() {
        let only_a: Vec<Case> = cases()
            .into_iter()
            .filter(|c| c.id.function == "a")
            .collect();
        Experiment::new("g", &only_a)
            .time_limit(Duration::ZERO)
            .implementation("a", |_: &Run<'_>| {
                std::thread::sleep(Duration::from_millis(1));
                Ok::<_, std::io::Error>(sample(1.0))
            })
            .measure();
    }

    #[test]
    fn seeds_differ_by_round_and_agree_across_implementations() {
        let c = Case::new("g", "f", "c");
        let run = |phase| Run {
            case: &c,
            phase,
            rounds: 3,
            mode: Mode::Quick,
        };
        assert_eq!(run(Phase::Round(0)).seed(7), 7);
        let seeds: std::collections::BTreeSet<u64> = [
            Phase::Round(0),
            Phase::Round(1),
            Phase::Round(2),
            Phase::Warmup(0),
            Phase::Warmup(1),
        ]
        .map(|p| run(p).seed(7))
        .into_iter()
        .collect();
        assert_eq!(seeds.len(), 5);
        assert_eq!(run(Phase::Round(1)).share(), 1.0 / 3.0);
        assert!(run(Phase::Warmup(0)).is_warmup());
    }
}
