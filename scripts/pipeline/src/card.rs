//! The machine card: this machine's physical limits, measured by the `card` program
//! (`scripts/card`) once per machine and mode and stored beside the machine's chapter results as
//! `card.json`, so that every page that compares a result with a limit quotes one number.
//!
//! ```text
//! { "schema": 1, "machine": { ...Machine... }, "entries": [ Entry, ... ] }
//! ```
//!
//! An entry ([`bookproto::card::Entry`]) is one measurement: its id (`bandwidth/read/t1`), a
//! phrase, a unit, which way is better, and its value (the best of N runs with their median
//! beside it, or a percentile of many single operations).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use bookproto::Mode;
use bookproto::card::Entry;

use crate::format;
use crate::machine::Machine;
use crate::workspace::Workspace;

/// The version of `card.json` this pipeline writes and reads.
pub const CARD_SCHEMA: u32 = 1;

/// The name of the card's file in a results folder.
pub const FILE: &str = "card.json";

/// One machine's card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// See [`CARD_SCHEMA`].
    pub schema: u32,
    /// The machine it was measured on, with the mode and commit.
    pub machine: Machine,
    /// The measurements, in the order they were made.
    pub entries: Vec<Entry>,
}

/// Gives `results` the clock of the machine card beside `results_path`, when that folder holds
/// a card of the same machine whose facts hold a clock measurement: the book states one clock
/// per machine, the card's, in every setup box, appendix and number in cycles, while each
/// results file keeps the clock measured when it was collected (which moves by several percent
/// from one measurement to the next on a shared host). Changes the results in memory only;
/// returns whether it did. A corrupt card stops, naming the file.
pub fn adopt_clock(results: &mut crate::results::Results, results_path: &Path) -> Result<bool> {
    let Some(path) = results_path.parent().map(|d| d.join(FILE)) else {
        return Ok(false);
    };
    if !path.is_file() {
        return Ok(false);
    }
    let card = Card::load(&path)?;
    if card.machine.id != results.machine.id {
        return Ok(false);
    }
    let Some(cf) = card.machine.facts.as_ref() else {
        return Ok(false);
    };
    if cf.clock_imul_ghz.is_none() && cf.clock_add_ghz.is_none() {
        return Ok(false);
    }
    let f = results.machine.facts.get_or_insert_with(Default::default);
    f.clock_ghz = cf.clock_ghz;
    f.clock_imul_ghz = cf.clock_imul_ghz;
    f.clock_add_ghz = cf.clock_add_ghz;
    f.clock_from_card = true;
    Ok(true)
}

impl Card {
    /// Reads and checks a card file; every error names the file and the fix.
    pub fn load(path: &Path) -> Result<Card> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the machine card {}", path.display()))?;
        let card: Card = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a machine card this pipeline reads (schema {CARD_SCHEMA}): restore it with `git checkout -- {}`, or measure it again with `scripts/book.sh card`",
                path.display(),
                path.display()
            )
        })?;
        if card.schema != CARD_SCHEMA {
            bail!(
                "{} has card schema {}, but this pipeline reads schema {CARD_SCHEMA}: measure it again with `scripts/book.sh card`",
                path.display(),
                card.schema
            );
        }
        card.check().map_err(|e| {
            anyhow::anyhow!(
                "{}: {e}: measure it again with `scripts/book.sh card`",
                path.display()
            )
        })?;
        Ok(card)
    }

    /// Refuses an empty card, a malformed entry or an id measured twice.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.entries.is_empty() {
            return Err("the card has no entries".into());
        }
        let mut seen = BTreeSet::new();
        for e in &self.entries {
            if let Some(p) = e.problem() {
                return Err(p);
            }
            if !seen.insert(e.id.as_str()) {
                return Err(format!("card entry `{}` appears twice", e.id));
            }
        }
        Ok(())
    }

    /// Writes the card atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self)? + "\n";
        crate::fsutil::write_atomic(path, text.as_bytes())
    }

    /// The entry `id`, if measured.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// Measures this machine's card in `mode` (`cargo run --release -p card`) and stores it in
/// `out_dir` as [`FILE`]; returns its path. The durable writes go to a file below the target
/// directory, on the filesystem the book's storage chapters write to.
pub fn measure(ws: &Workspace, mode: Mode, out_dir: &Path) -> Result<PathBuf> {
    let work = ws.target_dir().join("book-card");
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    let raw = work.join("entries.json");
    eprintln!(
        "[card] measuring this machine's card ({} mode)",
        mode.name()
    );
    let status = Command::new("cargo")
        .current_dir(&ws.root)
        .args(["run", "--release", "--quiet", "-p", "card", "--"])
        .arg("--out")
        .arg(&raw)
        .arg("--dir")
        .arg(&work)
        .env(bookproto::env::MODE, mode.name())
        .status()
        .context("cannot start cargo")?;
    if !status.success() {
        bail!("measuring the machine card failed (its messages are above)");
    }
    let text = std::fs::read_to_string(&raw)
        .with_context(|| format!("the card program wrote nothing to {}", raw.display()))?;
    let entries: Vec<Entry> = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not the card program's output: delete it and measure again",
            raw.display()
        )
    })?;
    let card = Card {
        schema: CARD_SCHEMA,
        machine: Machine::detect(&ws.root, mode.name()),
        entries,
    };
    card.check()
        .map_err(|e| anyhow::anyhow!("{}: {e}", raw.display()))?;
    std::fs::create_dir_all(out_dir)?;
    let path = out_dir.join(FILE);
    card.save(&path)?;
    eprintln!(
        "[card] {} entries written to {}",
        card.entries.len(),
        ws.rel(&path)
    );
    Ok(path)
}

/// One entry as a table cell: the value with its unit, and the median beside a best-of value.
pub fn cell(e: &Entry) -> String {
    let v = format::sig3(e.value);
    match e.median {
        Some(m) => format!("{v} {} (median {})", e.unit, format::sig3(m)),
        None => format!("{v} {}", e.unit),
    }
}

/// An entry quoted in a page's prose (`{{#card <id>}}`): its value and unit, with what it is,
/// its runs and the machine in the title.
pub fn quote(e: &Entry, m: &Machine) -> String {
    let runs = match e.median {
        Some(med) => format!(
            "best of {} runs, median {} {}",
            e.runs,
            format::sig3(med),
            e.unit
        ),
        None => format!("over {} operations", e.runs),
    };
    format!(
        "<span class=\"measured\" title=\"{}: {runs}; machine card of {}, {} mode\">{} {}</span>",
        format::html(&e.what),
        format::html(&m.id),
        format::html(&m.mode),
        format::sig3(e.value),
        format::html(&e.unit)
    )
}

/// The cards of several machines as one table: a row per entry (in the order the first card
/// that has it lists it), a column per machine; `–` where a machine has no such entry (two
/// threads on a one-CPU machine), and a column that says so for a machine without a card.
pub fn table(columns: &[(String, Option<&Card>)]) -> String {
    let mut ids: Vec<(&str, &str)> = Vec::new();
    for (_, c) in columns {
        for e in c.iter().flat_map(|c| &c.entries) {
            if !ids.iter().any(|(id, _)| *id == e.id) {
                ids.push((&e.id, &e.what));
            }
        }
    }
    let mut s = String::from("| Measurement |");
    let mut rule = String::from("|---|");
    for (label, _) in columns {
        s += &format!(" {label} |");
        rule += "--:|";
    }
    s += "\n";
    s += &rule;
    s += "\n";
    for (id, what) in ids {
        s += &format!("| {} <br><small>`{id}`</small> |", format::html(what));
        for (_, c) in columns {
            let text = match c {
                None => "card not measured".to_string(),
                Some(c) => c.get(id).map_or("–".to_string(), cell),
            };
            s += &format!(" {} |", format::html(&text));
        }
        s += "\n";
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, value: f64) -> Entry {
        Entry {
            id: id.into(),
            what: format!("what {id}"),
            value,
            median: Some(value * 0.9),
            ..Entry::example()
        }
    }

    #[test]
    fn a_card_with_a_repeated_id_or_no_entries_is_refused() {
        let m = Machine::example();
        let mut c = Card {
            schema: CARD_SCHEMA,
            machine: m,
            entries: vec![entry("bandwidth/read/t1", 10.0)],
        };
        assert_eq!(c.check(), Ok(()));
        c.entries.push(entry("bandwidth/read/t1", 11.0));
        assert!(c.check().unwrap_err().contains("appears twice"));
        c.entries.clear();
        assert!(c.check().unwrap_err().contains("no entries"));
    }

    #[test]
    fn the_table_has_a_row_per_entry_and_says_where_a_machine_has_none() {
        let m = Machine::example();
        let a = Card {
            schema: CARD_SCHEMA,
            machine: m.clone(),
            entries: vec![
                entry("bandwidth/read/t1", 10.0),
                entry("bandwidth/read/t2", 15.0),
            ],
        };
        let b = Card {
            schema: CARD_SCHEMA,
            machine: m,
            entries: vec![entry("bandwidth/read/t1", 12.0)],
        };
        let t = table(&[
            ("a".into(), Some(&a)),
            ("b".into(), Some(&b)),
            ("c".into(), None),
        ]);
        let rows: Vec<&str> = t.lines().collect();
        assert_eq!(rows.len(), 4, "{t}");
        assert!(
            rows[2].contains("10.0 GB/s (median 9.00)") && rows[2].contains("12.0 GB/s"),
            "{t}"
        );
        assert!(
            rows[3].contains("| – |") && rows[3].contains("card not measured"),
            "{t}"
        );
    }
}
