//! The contract between the chapters' benchmark harnesses and the book's pipeline.
//!
//! Both sides depend on this crate, so each rule is written once:
//!
//! - [`Id`]: a benchmark is `group/function/case`; [`Case`] adds named numeric parameters
//!   (`threads = 8`, `kib = 64`) and which harnesses measure it. A chapter declares its cases
//!   once, in `src/cases.rs`, as a list of [`Case`]s; the wall-clock harness registers its ids
//!   from that list, and the pipeline checks that the instruction-count harness registered
//!   exactly the cases the list gives it.
//! - [`Manifest`]: the case list as the wall-clock harness writes it for the pipeline
//!   ([`env::CASES_FILE`]).
//! - [`Record`]: a custom measurement (scalars, a latency distribution, named series and round
//!   medians), as `benchkit` writes it and the pipeline reads it.
//! - [`Mode`] and the environment variables in [`env`].
//!
//! Nothing here depends on criterion or gungraun.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub mod card;

pub mod env {
    //! Environment variables the pipeline sets for the harnesses.

    /// `quick` or `full`: how long and how carefully to measure.
    pub const MODE: &str = "BOOK_MODE";
    /// Directory that custom measurements are written to, one file per benchmark.
    pub const CUSTOM_DIR: &str = "BOOK_CUSTOM_DIR";
    /// Directory that text artifacts are written to, one file per name.
    pub const ARTIFACT_DIR: &str = "BOOK_ARTIFACT_DIR";
    /// File the wall-clock harness writes the chapter's case list to before it measures.
    pub const CASES_FILE: &str = "BOOK_CASES_FILE";
    /// When set (to anything), the wall-clock harness writes the case list and exits without
    /// measuring.
    pub const CASES_ONLY: &str = "BOOK_CASES_ONLY";
    /// `k/n`: this process is round `k` (from 0) of `n` of the wall-clock harness. Each round
    /// takes `1/n` of the mode's measurement time; custom measurements are made in round 0
    /// only. Unset: one round.
    pub const ROUND: &str = "BOOK_ROUND";

    /// Every variable above: a harness that clears its environment (gungraun does) passes
    /// these through.
    pub const ALL: [&str; 6] = [
        MODE,
        CUSTOM_DIR,
        ARTIFACT_DIR,
        CASES_FILE,
        CASES_ONLY,
        ROUND,
    ];
}

/// How long and how carefully to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Minutes for the whole book: short warm-up and measurement, fewer samples.
    Quick,
    /// Publication: long warm-up and measurement, more samples, several rounds.
    Full,
}

impl Mode {
    /// Parses `quick` or `full`.
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "quick" => Some(Mode::Quick),
            "full" => Some(Mode::Full),
            _ => None,
        }
    }

    /// The mode's name as written in results files and in [`env::MODE`].
    pub fn name(self) -> &'static str {
        match self {
            Mode::Quick => "quick",
            Mode::Full => "full",
        }
    }

    /// The mode named by [`env::MODE`]; `full` when it is unset, as for a reader running
    /// `cargo bench -p chNN` by hand.
    ///
    /// # Panics
    /// When the variable holds anything but `quick` or `full`: a misspelt mode would otherwise
    /// silently produce publication-length runs or, worse, quick numbers labelled as full ones.
    pub fn from_env() -> Mode {
        match std::env::var(env::MODE) {
            Err(_) => Mode::Full,
            Ok(v) => Mode::parse(&v).unwrap_or_else(|| {
                panic!(
                    "{}={v:?} is not a mode; set it to `quick` or `full`",
                    env::MODE
                )
            }),
        }
    }
}

/// The median of `v` (the mean of the two middle values for an even count): how the book
/// combines rounds, on both sides of the contract.
///
/// # Panics
/// When `v` is empty.
pub fn median(v: &[f64]) -> f64 {
    assert!(!v.is_empty(), "the median of nothing");
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    }
}

/// Which round of the wall-clock harness this process is (see [`env::ROUND`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    /// This round, from 0.
    pub index: usize,
    /// How many rounds the run has.
    pub count: usize,
}

impl Round {
    /// Rounds of the wall-clock harness in `mode`: three in full mode, so that every
    /// benchmark's between-round spread is measured; one in quick mode.
    pub fn count_for(mode: Mode) -> usize {
        match mode {
            Mode::Quick => 1,
            Mode::Full => 3,
        }
    }

    /// Parses `k/n` with `k < n`.
    pub fn parse(s: &str) -> Option<Round> {
        let (k, n) = s.split_once('/')?;
        let (index, count) = (k.parse().ok()?, n.parse().ok()?);
        (index < count).then_some(Round { index, count })
    }

    /// The round named by [`env::ROUND`]; one round of one when it is unset, as for a reader
    /// running `cargo bench -p chNN` by hand.
    ///
    /// # Panics
    /// When the variable is set to anything but `k/n` with `k < n`.
    pub fn from_env() -> Round {
        match std::env::var(env::ROUND) {
            Err(_) => Round { index: 0, count: 1 },
            Ok(v) => Round::parse(&v).unwrap_or_else(|| {
                panic!(
                    "{}={v:?} is not a round; set it to `k/n` with k < n (`0/3`)",
                    env::ROUND
                )
            }),
        }
    }

    /// Whether this is the first round, the one that makes custom measurements.
    pub fn first(self) -> bool {
        self.index == 0
    }
}

impl fmt::Display for Round {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `s` may be one part of an id: letters, digits, `_`, `-` and `.`, not `.` or `..`.
pub fn valid_part(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// Whether `s` is a metric or parameter name: lower-case letters, digits and `_`, starting
/// with a letter.
pub fn valid_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A benchmark's identity: `group/function/case`, the only key the pipeline joins on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id {
    /// The group (criterion's group, gungraun's `library_benchmark_group`).
    pub group: String,
    /// The function (criterion's function id, gungraun's benchmark function).
    pub function: String,
    /// The case (criterion's parameter, gungraun's `#[bench::case]`).
    pub case: String,
}

impl Id {
    /// An id from its three parts.
    ///
    /// # Panics
    /// When a part is not letters, digits, `_`, `-` and `.` (see [`valid_part`]).
    pub fn new(group: &str, function: &str, case: &str) -> Id {
        for p in [group, function, case] {
            assert!(
                valid_part(p),
                "benchmark id part {p:?} of {group}/{function}/{case} is not letters, digits, `_`, `-` and `.`"
            );
        }
        Id {
            group: group.into(),
            function: function.into(),
            case: case.into(),
        }
    }

    /// Parses `group/function/case`.
    pub fn parse(s: &str) -> Option<Id> {
        let mut it = s.split('/');
        let (g, f, c) = (it.next()?, it.next()?, it.next()?);
        (it.next().is_none() && [g, f, c].iter().all(|p| valid_part(p))).then(|| Id {
            group: g.into(),
            function: f.into(),
            case: c.into(),
        })
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.group, self.function, self.case)
    }
}

impl Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        let s = String::deserialize(d)?;
        Id::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a benchmark id `group/function/case`"))
        })
    }
}

/// Which harnesses measure a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "only", content = "why")]
pub enum Harnesses {
    /// Criterion and gungraun both (the default).
    Both,
    /// Criterion (or the experiment runner) only, with the reason callgrind cannot measure it
    /// (threads, which valgrind serialises; I/O, which it does not time).
    Wall(String),
    /// Gungraun only, with the reason.
    Instr(String),
}

impl Harnesses {
    /// Whether the wall-clock harness measures the case.
    pub fn wall(&self) -> bool {
        !matches!(self, Harnesses::Instr(_))
    }

    /// Whether the instruction-count harness measures the case.
    pub fn instr(&self) -> bool {
        !matches!(self, Harnesses::Wall(_))
    }
}

/// One case of a chapter: its id, its parameters and the harnesses that measure it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The id.
    pub id: Id,
    /// Named parameters, in declaration order (`pitch = 64`): the x of a figure, a row label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<(String, f64)>,
    /// The harnesses that measure it.
    #[serde(flatten)]
    pub harnesses: Harnesses,
    /// A CPU feature the case needs (`avx512f`, `bmi2`, as results list them in
    /// `machine.simd`): on a CPU without it no harness measures the case, and the pipeline does
    /// not ask for it. The case list is the same on every machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
}

impl Case {
    /// A case measured by both harnesses, without parameters.
    pub fn new(group: &str, function: &str, case: &str) -> Case {
        Case {
            id: Id::new(group, function, case),
            params: Vec::new(),
            harnesses: Harnesses::Both,
            requires: None,
        }
    }

    /// Adds a named parameter.
    ///
    /// # Panics
    /// When the name is not a valid name ([`valid_name`]), is given twice, or the value is not
    /// finite.
    pub fn param(mut self, name: &str, value: f64) -> Case {
        assert!(
            valid_name(name),
            "parameter name {name:?} of {} is not lower-case letters, digits and `_`",
            self.id
        );
        assert!(
            !self.params.iter().any(|(n, _)| n == name),
            "parameter {name} of {} is given twice",
            self.id
        );
        assert!(
            value.is_finite(),
            "parameter {name} of {} is {value}",
            self.id
        );
        self.params.push((name.into(), value));
        self
    }

    /// The case's A/A twin: the same function on the same input, measured again under the id
    /// `aa/<group>/<function>.<case>` by the wall-clock harness only. A chapter's harness
    /// registers it last in its run (the `aa` group), so that the two ids, measured far apart
    /// in one run, differ only by the run's drift: the chapter declares the pair `[[aa]]`.
    pub fn twin(&self) -> Case {
        Case {
            id: Id::new(
                "aa",
                &self.id.group,
                &format!("{}.{}", self.id.function, self.id.case),
            ),
            params: self.params.clone(),
            harnesses: Harnesses::Wall(format!(
                "the A/A twin of {}: the same code, whose instructions its twin's count states",
                self.id
            )),
            requires: self.requires.clone(),
        }
    }

    /// Measured by the wall-clock harness only, because `why`.
    pub fn wall_only(mut self, why: &str) -> Case {
        self.harnesses = Harnesses::Wall(why.into());
        self
    }

    /// Measured only on CPUs with `feature` (see [`cpu_has`]).
    ///
    /// # Panics
    /// When `feature` is not one [`cpu_has`] knows.
    pub fn requires(mut self, feature: &str) -> Case {
        assert!(
            FEATURES.contains(&feature),
            "case {} requires `{feature}`, which is none of {FEATURES:?}",
            self.id
        );
        self.requires = Some(feature.into());
        self
    }

    /// Whether this CPU can run the case (it requires nothing, or a feature the CPU has).
    pub fn runs_here(&self) -> bool {
        self.requires.as_deref().is_none_or(cpu_has)
    }

    /// Measured by the instruction-count harness only, because `why`.
    pub fn instr_only(mut self, why: &str) -> Case {
        self.harnesses = Harnesses::Instr(why.into());
        self
    }

    /// The value of parameter `name`.
    ///
    /// # Panics
    /// When the case has no such parameter: the harness and its case list disagree.
    pub fn get(&self, name: &str) -> f64 {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|p| p.1)
            .unwrap_or_else(|| panic!("case {} has no parameter {name}", self.id))
    }

    /// Parameter `name` as a count or size.
    ///
    /// # Panics
    /// As [`Case::get`], and when the value is negative or not whole.
    pub fn usize(&self, name: &str) -> usize {
        let v = self.get(name);
        assert!(
            v >= 0.0 && v.fract() == 0.0 && v <= usize::MAX as f64,
            "parameter {name} of {} is {v}, not a count",
            self.id
        );
        v as usize
    }
}

/// The CPU features a case may require, by the names results files use in `machine.simd`.
pub const FEATURES: [&str; 9] = [
    "sse2", "sse4.2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "bmi2",
];

/// Whether this CPU has `feature` (one of [`FEATURES`]), detected at run time.
pub fn cpu_has(feature: &str) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        match feature {
            "sse2" => std::arch::is_x86_feature_detected!("sse2"),
            "sse4.2" => std::arch::is_x86_feature_detected!("sse4.2"),
            "avx" => std::arch::is_x86_feature_detected!("avx"),
            "avx2" => std::arch::is_x86_feature_detected!("avx2"),
            "fma" => std::arch::is_x86_feature_detected!("fma"),
            "avx512f" => std::arch::is_x86_feature_detected!("avx512f"),
            "avx512bw" => std::arch::is_x86_feature_detected!("avx512bw"),
            "avx512vl" => std::arch::is_x86_feature_detected!("avx512vl"),
            "bmi2" => std::arch::is_x86_feature_detected!("bmi2"),
            _ => false,
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = feature;
        false
    }
}

/// The case name a parameter value gets in a sweep: `kib64`, `zipf0.99`, `off-16`.
pub fn case_name(prefix: &str, value: f64) -> String {
    format!("{prefix}{value}")
}

/// A sweep: one case per value of one parameter, named `<prefix><value>` ([`case_name`]).
///
/// ```
/// let cases = bookproto::sweep("layout", "column_sums", "pitch", "pitch", [64.0, 128.0]);
/// assert_eq!(cases[1].id.to_string(), "layout/column_sums/pitch128");
/// assert_eq!(cases[1].get("pitch"), 128.0);
/// ```
pub fn sweep(
    group: &str,
    function: &str,
    prefix: &str,
    param: &str,
    values: impl IntoIterator<Item = f64>,
) -> Vec<Case> {
    values
        .into_iter()
        .map(|v| Case::new(group, function, &case_name(prefix, v)).param(param, v))
        .collect()
}

/// A chapter's case list as the wall-clock harness writes it ([`env::CASES_FILE`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Every case, in declaration order.
    pub cases: Vec<Case>,
}

impl Manifest {
    /// A manifest of `cases`.
    ///
    /// # Panics
    /// When two cases have the same id: one of them would silently replace the other.
    pub fn new(cases: Vec<Case>) -> Manifest {
        let mut seen = std::collections::BTreeSet::new();
        for c in &cases {
            assert!(
                seen.insert(c.id.clone()),
                "case {} is declared twice in the case list",
                c.id
            );
        }
        Manifest { cases }
    }

    /// The case with id `id`.
    pub fn get(&self, id: &Id) -> Option<&Case> {
        self.cases.iter().find(|c| &c.id == id)
    }
}

/// A latency (or other) distribution summarised by percentiles, as an HDR histogram reports
/// it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// The unit of the values: `ns` for latencies.
    pub unit: String,
    /// Number of values recorded.
    pub count: u64,
    /// `(percentile, value)` pairs, percentiles ascending in `0..=100` (`99.99`).
    pub percentiles: Vec<(f64, f64)>,
}

/// Named `(x, y)` points measured in one run (RSS over time, hit ratio against cache size).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// What x is, with its unit (`time (ms)`).
    pub x: String,
    /// What y is, with its unit.
    pub y: String,
    /// The points, in measurement order.
    pub points: Vec<(f64, f64)>,
}

/// A custom measurement of one benchmark: what `benchkit::custom` writes, one file per id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Scalar metrics by name ([`valid_name`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, f64>,
    /// A distribution, such as latency percentiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// Named series.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub series: BTreeMap<String, Series>,
    /// The headline metric's value in each repeated round, for the between-round spread.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<f64>,
    /// Every scalar metric's value in each repeated round, by name, in round order: the
    /// between-round spread of each metric, from which claims on it get their interval.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metric_rounds: BTreeMap<String, Vec<f64>>,
}

impl Record {
    /// What is wrong with the record, if anything: a bad name, a non-finite value, percentiles
    /// out of order, or nothing recorded at all.
    pub fn problem(&self) -> Option<String> {
        if self.metrics.is_empty()
            && self.distribution.is_none()
            && self.series.is_empty()
            && self.rounds.is_empty()
        {
            return Some("it records nothing".into());
        }
        for (n, v) in &self.metrics {
            if !valid_name(n) {
                return Some(format!(
                    "metric name `{n}` is not lower-case letters, digits and `_`"
                ));
            }
            if !v.is_finite() {
                return Some(format!("metric `{n}` is {v}, not a finite number"));
            }
        }
        for (n, vs) in &self.metric_rounds {
            if !self.metrics.contains_key(n) {
                return Some(format!(
                    "rounds of metric `{n}`, which the record does not hold"
                ));
            }
            if vs.iter().any(|v| !v.is_finite()) {
                return Some(format!("a round of metric `{n}` is not a finite number"));
            }
        }
        if let Some(d) = &self.distribution {
            let mut last = f64::NEG_INFINITY;
            for &(p, v) in &d.percentiles {
                if !(0.0..=100.0).contains(&p) || p <= last || !v.is_finite() {
                    return Some(format!(
                        "distribution percentile {p} (value {v}) is out of 0..=100, not ascending, or not finite"
                    ));
                }
                last = p;
            }
            if d.percentiles.is_empty() {
                return Some("the distribution has no percentiles".into());
            }
        }
        for (n, s) in &self.series {
            if !valid_name(n) {
                return Some(format!(
                    "series name `{n}` is not lower-case letters, digits and `_`"
                ));
            }
            if s.points
                .iter()
                .any(|(x, y)| !x.is_finite() || !y.is_finite())
            {
                return Some(format!("series `{n}` has a point that is not finite"));
            }
        }
        if self.rounds.iter().any(|r| !r.is_finite()) {
            return Some("a round's value is not finite".into());
        }
        None
    }
}

/// A record's file: the id it belongs to and the record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordFile {
    /// The benchmark.
    pub id: Id,
    /// The measurement.
    #[serde(flatten)]
    pub record: Record,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_parse_as_index_of_count_and_refuse_an_index_past_the_count() {
        assert_eq!(Round::parse("0/3"), Some(Round { index: 0, count: 3 }));
        assert_eq!(Round::parse("2/3").map(|r| r.first()), Some(false));
        assert_eq!(Round::parse("3/3"), None);
        assert_eq!(Round::parse("0/0"), None);
        assert_eq!(Round::parse("1"), None);
        assert_eq!(Round::parse("a/3"), None);
        assert!(Round::count_for(Mode::Full) >= 3);
        assert_eq!(Round::count_for(Mode::Quick), 1);
    }

    #[test]
    fn ids_round_trip_and_refuse_bad_parts() {
        let id = Id::new("load", "open", "u0.5");
        assert_eq!(Id::parse(&id.to_string()), Some(id));
        assert_eq!(Id::parse("a/b"), None);
        assert_eq!(Id::parse("a/b/c/d"), None);
        assert_eq!(Id::parse("../b/c"), None);
    }

    #[test]
    fn sweeps_name_cases_by_value_including_fractions_and_negatives() {
        let c = sweep("g", "f", "x", "x", [-16.0, 0.99, 64.0]);
        let names: Vec<String> = c.iter().map(|c| c.id.case.clone()).collect();
        assert_eq!(names, ["x-16", "x0.99", "x64"]);
        assert_eq!(c[1].get("x"), 0.99);
    }

    #[test]
    fn a_manifest_round_trips_through_json() {
        let m = Manifest::new(vec![
            Case::new("g", "f", "a")
                .param("threads", 8.0)
                .wall_only("threads"),
            Case::new("g", "f", "b"),
        ]);
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Manifest>(&text).unwrap(), m);
    }

    #[test]
    #[should_panic(expected = "declared twice")]
    fn a_manifest_refuses_a_duplicate_case() {
        Manifest::new(vec![Case::new("g", "f", "a"), Case::new("g", "f", "a")]);
    }

    #[test]
    fn records_report_their_problems() {
        let mut r = Record::default();
        assert!(r.problem().is_some());
        r.metrics.insert("ok".into(), 1.0);
        assert_eq!(r.problem(), None);
        r.distribution = Some(Distribution {
            unit: "ns".into(),
            count: 10,
            percentiles: vec![(99.0, 5.0), (50.0, 1.0)],
        });
        assert!(r.problem().unwrap().contains("not ascending"));
    }
}
