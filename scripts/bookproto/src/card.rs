//! The machine card's measurements: what the `card` program writes and the pipeline stores
//! beside a machine's results (`results/<machine>/card.json`).
//!
//! The card is one shared set of the machine's physical limits (load latency by working set,
//! bandwidth, atomics, wake-ups, durable writes, page faults), measured once per machine and
//! mode, so that every chapter that compares with a limit quotes the same number.

use serde::{Deserialize, Serialize};

/// Which way a measurement is better, and so which of its runs is the best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// A time or a latency: the best run is the fastest.
    Lower,
    /// A bandwidth: the best run is the highest.
    Higher,
}

/// How an [`Entry`]'s `value` was taken from its runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Statistic {
    /// The best of the runs, as STREAM reports bandwidth; `median` is beside it.
    Best,
    /// The 50th percentile of many single operations.
    P50,
    /// The 99th percentile of many single operations.
    P99,
}

/// One measurement of the card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `section/what/variant`, lower case: `bandwidth/read/t1`, `latency/base/kib65536`.
    pub id: String,
    /// What was measured, in a phrase for the table's row.
    pub what: String,
    /// The unit of `value` and `median`: `ns`, `GB/s`, `µs`.
    pub unit: String,
    /// Which way is better.
    pub better: Better,
    /// How `value` was taken.
    pub statistic: Statistic,
    /// The number.
    pub value: f64,
    /// The median of the runs, beside a best-of value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    /// How many runs (or single operations, for a percentile) it is over.
    pub runs: u32,
}

impl Entry {
    /// A made-up entry, for tests and examples: a one-thread read bandwidth of 12.5 GB/s,
    /// median 11 over 10 runs.
    pub fn example() -> Entry {
        Entry {
            id: "bandwidth/read/t1".into(),
            what: "read, one thread".into(),
            unit: "GB/s".into(),
            better: Better::Higher,
            statistic: Statistic::Best,
            value: 12.5,
            median: Some(11.0),
            runs: 10,
        }
    }

    /// What is wrong with the entry, if anything: an id that is not `a/b/c` of lower-case
    /// letters, digits, `_` and `.`, an empty phrase or unit, a number that is not finite and
    /// positive, a median that is not beside a best-of value, or no runs.
    pub fn problem(&self) -> Option<String> {
        let parts: Vec<&str> = self.id.split('/').collect();
        let part_ok = |p: &&str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.".contains(c))
        };
        if parts.len() != 3 || !parts.iter().all(part_ok) {
            return Some(format!(
                "card entry `{}`: an id is `section/what/variant` in lower-case letters, digits, `_` and `.`",
                self.id
            ));
        }
        if self.what.trim().is_empty() || self.unit.trim().is_empty() {
            return Some(format!("card entry `{}` has no phrase or no unit", self.id));
        }
        let bad = |x: f64| !x.is_finite() || x <= 0.0;
        if bad(self.value) || self.median.is_some_and(bad) {
            return Some(format!(
                "card entry `{}` has a number that is not finite and positive",
                self.id
            ));
        }
        if self.median.is_some() != (self.statistic == Statistic::Best) {
            return Some(format!(
                "card entry `{}`: a best-of value has its median beside it, and a percentile has none",
                self.id
            ));
        }
        if self.runs == 0 {
            return Some(format!("card entry `{}` is over no runs", self.id));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry::example()
    }

    #[test]
    fn a_well_formed_entry_has_no_problem_and_round_trips() {
        let e = entry();
        assert_eq!(e.problem(), None);
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Entry>(&text).unwrap(), e);
    }

    #[test]
    fn malformed_entries_say_what_is_wrong() {
        let with = |f: fn(&mut Entry)| {
            let mut e = entry();
            f(&mut e);
            e.problem().unwrap_or_default()
        };
        assert!(with(|e| e.id = "bandwidth/read".into()).contains("section/what/variant"));
        assert!(with(|e| e.id = "Band/read/t1".into()).contains("lower-case"));
        assert!(with(|e| e.unit = " ".into()).contains("no unit"));
        assert!(with(|e| e.value = f64::NAN).contains("finite"));
        assert!(with(|e| e.median = Some(0.0)).contains("finite"));
        assert!(with(|e| e.median = None).contains("median beside it"));
        assert!(with(|e| e.statistic = Statistic::P99).contains("median beside it"));
        assert!(with(|e| e.runs = 0).contains("no runs"));
    }
}
