//! The machine description's recorded facts: read from results files with and without them,
//! written back unchanged, and shown in the experimental-setup box only when present.

use std::path::{Path, PathBuf};

use pipeline::decl::Decl;
use pipeline::machine::{Facts, Machine};
use pipeline::results::Results;
use pipeline::workspace::Workspace;
use pipeline::{plan, render};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn reference(chapter: &str) -> PathBuf {
    root().join(format!("results/reference/{chapter}.json"))
}

/// A results file recorded before the facts were: the earlier reference machine's chapter 1.
fn before_facts() -> PathBuf {
    root().join("results/machines/x86_64-intel-xeon-processor-f6m207-2cpu/ch01.json")
}

fn facts() -> Facts {
    Facts {
        clock_ghz: Some(3.1),
        clock_imul_ghz: Some(3.08),
        clock_add_ghz: Some(3.12),
        clock_from_card: false,
        tick_hz: Some(250),
        clocksource: Some("kvm-clock".into()),
        thp_enabled: Some("madvise".into()),
        thp_defrag: Some("madvise".into()),
        perf_event_paranoid: Some(2),
        hardware_counters: Some(false),
        realtime_allowed: Some(false),
        rt_runtime_us: Some(950_000),
        rt_period_us: Some(1_000_000),
    }
}

fn with_facts(r: &Results, f: Facts) -> Results {
    let mut r = r.clone();
    r.machine.facts = Some(f);
    r
}

#[test]
fn results_without_facts_still_load() {
    let mut dirs = vec![root().join("results/reference")];
    for entry in std::fs::read_dir(root().join("results/machines")).unwrap() {
        dirs.push(entry.unwrap().path());
    }
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            // Chapter results only: the machine card beside them is another format.
            if name.starts_with("ch") && name.ends_with(".json") {
                Results::load(&path).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
            }
        }
    }
    let text = std::fs::read_to_string(before_facts()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        value["machine"].get("facts").is_none(),
        "the test needs a results file recorded before facts"
    );
    let r = Results::load(&before_facts()).unwrap();
    assert_eq!(r.machine.facts, None);
}

#[test]
fn results_without_facts_save_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ch01.json");
    Results::load(&before_facts()).unwrap().save(&path).unwrap();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(saved["machine"].get("facts").is_none());
}

#[test]
fn facts_round_trip_through_save_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let base = Results::load(&reference("ch01")).unwrap();
    let some = Facts {
        clock_ghz: None,
        clock_imul_ghz: Some(3.0),
        clock_add_ghz: Some(9.4),
        tick_hz: None,
        ..facts()
    };
    for f in [facts(), some, Facts::default()] {
        let r = with_facts(&base, f.clone());
        let path = dir.path().join("ch01.json");
        r.save(&path).unwrap();
        let back = Results::load(&path).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.machine.facts, Some(f.clone()));
        let saved: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if f.tick_hz.is_none() {
            assert!(
                saved["machine"]["facts"].get("tick_hz").is_none(),
                "an absent fact is left out of the file, not written as null"
            );
        }
    }
}

#[test]
fn an_unknown_fact_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ch01.json");
    with_facts(&Results::load(&reference("ch01")).unwrap(), facts())
        .save(&path)
        .unwrap();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"tick_hz\"", "\"tick_rate\"");
    std::fs::write(&path, text).unwrap();
    let e = format!("{:#}", Results::load(&path).unwrap_err());
    assert!(e.contains("tick_rate"), "{e}");
}

/// The setup box of chapter 01 rendered from `r`.
fn setup_box(r: &Results) -> String {
    let ws = Workspace::at(&root());
    let ch = ws
        .chapters()
        .unwrap()
        .into_iter()
        .find(|c| c.package == "ch01")
        .unwrap();
    let decl = Decl::load(&ch.decl_path()).unwrap();
    let plan = plan::resolve(&decl, r, Path::new("results/reference/ch01.json")).unwrap();
    render::chapter(&ch, &plan, r, "results/reference/ch01.json")
        .into_iter()
        .find(|(p, _)| p == Path::new("ch01/setup.md"))
        .unwrap()
        .1
}

#[test]
fn the_setup_box_states_the_facts_only_when_recorded() {
    // The reference's own box, with the card's clock as the book reads it, is the committed one.
    let mut own = Results::load(&reference("ch01")).unwrap();
    pipeline::card::adopt_clock(&mut own, &reference("ch01")).unwrap();
    assert_eq!(
        setup_box(&own),
        std::fs::read_to_string(root().join("src/generated/ch01/setup.md")).unwrap(),
        "the reference results render the committed setup box"
    );
    // The same results as recorded before machine facts existed: the reference's, with its
    // facts taken out (an older machine's file would lack benchmarks the chapter now declares).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ch01.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reference("ch01")).unwrap()).unwrap();
    value["machine"].as_object_mut().unwrap().remove("facts");
    std::fs::write(&path, value.to_string()).unwrap();
    let base = Results::load(&path).unwrap();
    let without = setup_box(&base);
    assert!(
        !without.contains("Core clock") && !without.contains("tick"),
        "{without}"
    );

    let sentence = "Core clock 3.1 GHz (measured); kernel tick 250 Hz; clock source kvm-clock; \
THP madvise (defrag madvise); hardware counters: not available (perf_event_paranoid 2); \
real-time priority (SCHED_FIFO): not allowed; real-time share 950 ms of every 1.00 s. ";
    let with = setup_box(&with_facts(&base, facts()));
    assert!(with.contains(sentence), "{with}");
    assert_eq!(with.replacen(sentence, "", 1), without);

    let partial = setup_box(&with_facts(
        &base,
        Facts {
            clocksource: Some("tsc".into()),
            hardware_counters: Some(true),
            ..Facts::default()
        },
    ));
    assert!(
        partial.contains("Clock source tsc; hardware counters: available. Mode:"),
        "{partial}"
    );

    let disagree = setup_box(&with_facts(
        &base,
        Facts {
            clock_imul_ghz: Some(3.0),
            clock_add_ghz: Some(9.4),
            ..Facts::default()
        },
    ));
    assert!(
        disagree.contains(
            "Core clock not determined (an imul chain gave 3.0 GHz, an add chain 9.4 GHz). Mode:"
        ),
        "{disagree}"
    );

    assert_eq!(setup_box(&with_facts(&base, Facts::default())), without);
}

/// Prints what this machine reports: `cargo test -p pipeline --test machine -- --ignored
/// --nocapture`.
#[test]
#[ignore = "prints this machine's description; nothing to check"]
fn print_this_machine() {
    let start = std::time::Instant::now();
    let m = Machine::detect(&root(), "quick");
    let took = start.elapsed();
    println!("{}", serde_json::to_string_pretty(&m).unwrap());
    println!("Machine::detect took {took:?}");
}

#[test]
fn results_beside_a_card_of_their_machine_take_its_clock_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let card_file = dir.path().join(pipeline::card::FILE);
    std::fs::copy(root().join("results/reference/card.json"), &card_file).unwrap();
    let card = pipeline::card::Card::load(&card_file).unwrap();
    let card_clock = card.machine.facts.as_ref().unwrap().clock_ghz;
    assert!(card_clock.is_some(), "the reference card holds a clock");
    let path = dir.path().join("ch01.json");
    let mut r = with_facts(&Results::load(&reference("ch01")).unwrap(), facts());
    assert!(pipeline::card::adopt_clock(&mut r, &path).unwrap());
    let f = r.machine.facts.as_ref().unwrap();
    assert_eq!(f.clock_ghz, card_clock);
    assert!(f.clock_from_card);
    assert_eq!(
        f.tick_hz,
        Some(250),
        "the other facts stay the results' own"
    );
    // The flag is never written to a file.
    r.save(&path).unwrap();
    let again = Results::load(&path).unwrap();
    assert!(!again.machine.facts.unwrap().clock_from_card);
    // A card of another machine gives nothing.
    let mut other = with_facts(&Results::load(&reference("ch01")).unwrap(), facts());
    other.machine.id = "x86_64-other-2cpu".into();
    assert!(!pipeline::card::adopt_clock(&mut other, &path).unwrap());
    assert_eq!(other.machine.facts.unwrap().clock_ghz, Some(3.1));
    // No card beside the results: nothing changes.
    let lone = tempfile::tempdir().unwrap();
    let mut r = with_facts(&Results::load(&reference("ch01")).unwrap(), facts());
    assert!(!pipeline::card::adopt_clock(&mut r, &lone.path().join("ch01.json")).unwrap());
}
