//! The pipeline's tests, on real criterion and gungraun output that this repository produced
//! (`tests/fixtures/`, copied from a run of chapter 01's benchmarks, and a custom measurement
//! from a run of chapter 02's), and on the committed reference results.

use std::path::{Path, PathBuf};

use pipeline::collect;
use pipeline::decl::Decl;
use pipeline::machine::Machine;
use pipeline::results::{Results, SCHEMA_VERSION};
use pipeline::workspace::Workspace;
use pipeline::{Source, claims, render, write};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn repo() -> Workspace {
    Workspace::at(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .canonicalize()
            .unwrap(),
    )
}

fn machine() -> Machine {
    Machine::example()
}

/// Collects the fixtures' raw output (and the custom measurement, when `custom`) under a case
/// list that names every id they hold.
fn fixture_collect(custom: bool) -> Results {
    let raw = collect::Raw {
        walls: collect::criterion_dir(&fixtures().join("criterion")).unwrap(),
        instrs: collect::gungraun_dir(&fixtures().join("gungraun")).unwrap(),
        customs: if custom {
            collect::custom_dir(&fixtures().join("custom")).unwrap()
        } else {
            Default::default()
        },
    };
    let ids: std::collections::BTreeSet<String> = raw
        .walls
        .keys()
        .chain(raw.instrs.keys())
        .chain(raw.customs.keys())
        .cloned()
        .collect();
    let cases = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let id = bookproto::Id::parse(id).unwrap();
            let c = bookproto::Case::new(&id.group, &id.function, &id.case).param("n", n as f64);
            if raw.instrs.contains_key(&id.to_string()) {
                c
            } else {
                c.wall_only("the fixture measured it with criterion or a custom record only")
            }
        })
        .collect();
    collect::assemble(
        "ch99",
        raw,
        &bookproto::Manifest::new(cases),
        true,
        machine(),
    )
    .unwrap()
}

fn fixture_results() -> Results {
    fixture_collect(false)
}

const DECL: &str = r#"
[[figure]]
id = "hist"
kind = "histogram"
title = "Samples of the stable sort"
bench = "compare/sort/stable"

[[table]]
id = "both"
rows = ["compare/sort/*"]
columns = [
    { label = "median", metric = "median" },
    { label = "instructions", metric = "Ir" },
    { label = "vs stable", metric = "Ir", ratio_to = "compare/sort/stable" },
]

[[claim]]
id = "fewer"
text = "The unstable sort executes fewer instructions."
kind = "ratio"
metric = "Ir"
a = "compare/sort/unstable"
b = "compare/sort/stable"
op = "<"
value = 1.0
"#;

/// A throwaway workspace with one chapter, `ch99-test`, and its reference results.
fn temp_workspace(decl: &str) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"t\"\n").unwrap();
    std::fs::create_dir_all(root.join("chapters/ch99-test")).unwrap();
    std::fs::write(root.join("chapters/ch99-test/figures.toml"), decl).unwrap();
    fixture_results()
        .save(&root.join("results/reference/ch99.json"))
        .unwrap();
    let ws = Workspace::at(root);
    (dir, ws)
}

/// The contents of one rendered file, by its path below the generated directory.
fn rendered_file(rendered: &pipeline::Rendered, name: &str) -> String {
    rendered
        .files
        .iter()
        .find(|(p, _)| p == Path::new(name))
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| panic!("{name} not rendered"))
}

fn err_of<T>(r: anyhow::Result<T>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn collect_reads_criterion_output_as_criterion_wrote_it() {
    let walls = collect::criterion_dir(&fixtures().join("criterion")).unwrap();
    assert_eq!(
        walls.keys().collect::<Vec<_>>(),
        ["compare/sort/stable", "compare/sort/unstable"]
    );
    let dir = fixtures().join("criterion/compare/sort/stable/new");
    let est: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("estimates.json")).unwrap())
            .unwrap();
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sample.json")).unwrap()).unwrap();
    let w = &walls["compare/sort/stable"];
    assert_eq!(w.median, est["median"]["point_estimate"].as_f64().unwrap());
    assert_eq!(
        w.median_lo,
        est["median"]["confidence_interval"]["lower_bound"]
            .as_f64()
            .unwrap()
    );
    assert_eq!(w.mean, est["mean"]["point_estimate"].as_f64().unwrap());
    let iters = sample["iters"].as_array().unwrap();
    let times = sample["times"].as_array().unwrap();
    assert_eq!(w.samples.len(), iters.len());
    assert_eq!(
        w.samples[0],
        times[0].as_f64().unwrap() / iters[0].as_f64().unwrap()
    );
    assert!(w.median_lo <= w.median && w.median <= w.median_hi);
}

#[test]
fn collect_reads_gungraun_summaries_as_gungraun_wrote_them() {
    let counts = collect::gungraun_dir(&fixtures().join("gungraun")).unwrap();
    assert_eq!(
        counts.keys().collect::<Vec<_>>(),
        ["compare/sort/stable", "compare/sort/unstable"]
    );
    let raw: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            fixtures().join("gungraun/instr/compare/sort.stable/summary.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let ir = raw
        .pointer("/profiles/0/data/total/metrics/Ir/values/new")
        .unwrap()
        .as_f64()
        .unwrap();
    assert_eq!(counts["compare/sort/stable"]["Ir"], ir);
    for m in [
        "Ir",
        "Dr",
        "Dw",
        "L1hits",
        "LLhits",
        "RamHits",
        "EstimatedCycles",
    ] {
        assert!(
            counts["compare/sort/unstable"].contains_key(m),
            "{m} missing"
        );
    }
}

#[test]
fn results_round_trip_through_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ch99.json");
    let r = fixture_results();
    r.save(&path).unwrap();
    assert_eq!(Results::load(&path).unwrap(), r);
    assert_eq!(r.schema, SCHEMA_VERSION);
}

#[test]
fn a_chapter_renders_figures_tables_badges_and_setup_with_provenance() {
    let (_d, ws) = temp_workspace(DECL);
    let rendered = render(&ws, &Source::Reference).unwrap();
    let file = |name: &str| rendered_file(&rendered, name);
    let fig = file("ch99/hist.md");
    assert!(fig.contains("<svg") && fig.contains("</svg>"));
    assert!(
        fig.contains("currentColor"),
        "figure text must follow the theme"
    );
    assert!(
        !fig.contains("\n\n"),
        "a blank line would end the HTML block"
    );
    assert!(fig.contains("Test CPU") && fig.contains("results/reference/ch99.json"));
    let table = file("ch99/both.md");
    assert!(table.contains("| `stable` |") && table.contains("| `unstable` |"));
    assert!(
        table.contains("1×"),
        "the stable row compared with itself is 1×"
    );
    let badge = file("ch99/claim-fewer.md");
    assert!(badge.contains("✓ holds here"));
    assert!(file("ch99/setup.md").contains("Test CPU"));
    let outcome = &rendered.outcomes["ch99"].1[0];
    let r = fixture_results();
    let expect = r.benchmarks["compare/sort/unstable"]
        .instr
        .as_ref()
        .unwrap()["Ir"]
        / r.benchmarks["compare/sort/stable"].instr.as_ref().unwrap()["Ir"];
    assert_eq!(outcome.measured, expect);
    assert!(outcome.held() && outcome.kind == claims::Kind::Instructions);
}

#[test]
fn a_claim_that_does_not_hold_is_shown_and_an_instruction_claim_fails_the_check() {
    let (_d, ws) = temp_workspace(&DECL.replace("op = \"<\"", "op = \">\""));
    let rendered = render(&ws, &Source::Reference).unwrap();
    let badge = &rendered
        .files
        .iter()
        .find(|(p, _)| p.ends_with("claim-fewer.md"))
        .unwrap()
        .1;
    assert!(badge.contains("✗ does not hold here"));
    let e = err_of(pipeline::check(&rendered));
    assert!(e.contains("ch99/fewer"), "{e}");
}

#[test]
fn missing_results_stop_with_the_path_and_the_fix() {
    let (d, ws) = temp_workspace(DECL);
    std::fs::remove_file(d.path().join("results/reference/ch99.json")).unwrap();
    // Not in the table of contents yet: a chapter being written is skipped.
    assert!(render(&ws, &Source::Reference).unwrap().outcomes.is_empty());
    // Listed in the table of contents: its results must exist.
    std::fs::create_dir_all(d.path().join("src")).unwrap();
    std::fs::write(
        d.path().join("src/SUMMARY.md"),
        "- [99. Test](ch99-test.md)\n",
    )
    .unwrap();
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("results/reference/ch99.json") && e.contains("scripts/book.sh --chapters ch99"),
        "{e}"
    );
}

#[test]
fn corrupt_json_stops_with_the_file_and_the_fix() {
    let (d, ws) = temp_workspace(DECL);
    let p = d.path().join("results/reference/ch99.json");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, &text[..text.len() / 2]).unwrap();
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("ch99.json is not valid JSON") && e.contains("git checkout"),
        "{e}"
    );
}

#[test]
fn results_of_a_newer_schema_stop_with_the_fix() {
    let (d, ws) = temp_workspace(DECL);
    let p = d.path().join("results/reference/ch99.json");
    let text = std::fs::read_to_string(&p).unwrap().replacen(
        &format!("\"schema\": {SCHEMA_VERSION}"),
        "\"schema\": 99",
        1,
    );
    std::fs::write(&p, text).unwrap();
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("schema 99") && e.contains("update the repository"),
        "{e}"
    );
}

#[test]
fn a_figure_naming_an_unknown_benchmark_stops_with_the_declaration_and_the_fix() {
    let (_d, ws) = temp_workspace(&DECL.replace(
        "bench = \"compare/sort/stable\"",
        "bench = \"compare/sort/bogus\"",
    ));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("figures.toml")
            && e.contains("figure `hist`")
            && e.contains("compare/sort/bogus"),
        "{e}"
    );
    assert!(
        e.contains("known: compare/sort/stable, compare/sort/unstable"),
        "{e}"
    );
}

#[test]
fn an_unknown_metric_stops_with_the_declaration() {
    let (_d, ws) = temp_workspace(&DECL.replace("metric = \"Ir\" }", "metric = \"Irr\" }"));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("figures.toml")
            && e.contains("unknown metric `Irr`")
            && e.contains("did you mean `Ir`"),
        "{e}"
    );
}

#[test]
fn a_claim_that_names_nothing_stops() {
    let decl = DECL.replace(
        "a = \"compare/sort/unstable\"\nb = \"compare/sort/stable\"\n",
        "",
    );
    let (_d, ws) = temp_workspace(&decl);
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("figures.toml") && e.contains("missing field `a`"),
        "{e}"
    );
    let spread = DECL
        .replace(
            "a = \"compare/sort/unstable\"\nb = \"compare/sort/stable\"\n",
            "",
        )
        .replace(
            "kind = \"ratio\"",
            "kind = \"spread\"\nbenches = \"nothing/*\"",
        );
    let (_d, ws) = temp_workspace(&spread);
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("claim `fewer`") && e.contains("nothing/*"),
        "{e}"
    );
}

#[test]
fn a_failed_render_leaves_the_previous_output_whole() {
    let (d, ws) = temp_workspace(DECL);
    let out = d.path().join("generated");
    write(&render(&ws, &Source::Reference).unwrap(), &out).unwrap();
    let before = pipeline::fsutil::list_files(&out).unwrap();
    assert!(!before.is_empty());
    std::fs::write(
        d.path().join("chapters/ch99-test/figures.toml"),
        DECL.replace("compare/sort/stable\"\n\n", "x\"\n\n"),
    )
    .unwrap();
    assert!(render(&ws, &Source::Reference).is_err());
    assert_eq!(pipeline::fsutil::list_files(&out).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "staging directories left behind");
}

#[test]
fn local_results_take_precedence_and_the_reference_fills_in() {
    let (d, ws) = temp_workspace(DECL);
    let mut local = fixture_results();
    local.machine.id = "x86_64-local-4cpu".into();
    local.machine.cpu_model = "Local CPU".into();
    local
        .save(&d.path().join("results/local/ch99.json"))
        .unwrap();
    let rendered = render(&ws, &Source::Local { extra: None }).unwrap();
    assert_eq!(rendered.outcomes["ch99"].0, "x86_64-local-4cpu");
    let rendered = render(&ws, &Source::Reference).unwrap();
    assert_eq!(rendered.outcomes["ch99"].0, "x86_64-test-machine-2cpu");
}

#[test]
fn rendering_the_committed_results_reproduces_the_committed_generated_files() {
    let ws = repo();
    let rendered = render(&ws, &Source::Reference).unwrap();
    let committed = ws.committed_generated();
    let mut expected: Vec<PathBuf> = rendered.files.iter().map(|(p, _)| p.clone()).collect();
    expected.sort();
    assert_eq!(
        pipeline::fsutil::list_files(&committed).unwrap(),
        expected,
        "src/generated/ holds other files than rendering writes: run `cargo run -p pipeline --bin book -- render --reference`"
    );
    for (rel, text) in &rendered.files {
        let on_disk = std::fs::read_to_string(committed.join(rel)).unwrap();
        assert!(
            on_disk == *text,
            "src/generated/{} differs from what the committed results render to: run `cargo run -p pipeline --bin book -- render --reference` and commit",
            rel.display()
        );
    }
}

#[test]
fn every_chapter_declaration_validates_against_its_reference_results() {
    let ws = repo();
    let summary = std::fs::read_to_string(ws.root.join("src/SUMMARY.md")).unwrap();
    for ch in ws.chapters().unwrap() {
        let path = ws.reference_results().join(format!("{}.json", ch.package));
        let listed = summary.contains(&format!("({}.md)", ch.dir_name));
        if !listed && !path.exists() {
            continue; // being written: neither in the book nor measured yet
        }
        assert!(
            listed,
            "{} has reference results but src/SUMMARY.md does not list its page",
            ch.package
        );
        let decl = Decl::load(&ch.decl_path()).unwrap();
        let results = Results::load(&path).unwrap();
        let plan = pipeline::plan::resolve(&decl, &results, &path).unwrap();
        for o in plan
            .claims
            .iter()
            .filter(|o| o.kind == claims::Kind::Instructions)
        {
            assert!(
                o.held(),
                "{}: instruction-count claim `{}` does not hold on the reference results",
                ch.package,
                o.id
            );
        }
    }
}

/// The fixture results plus the custom measurement chapter 02's clock benchmark recorded.
fn fixture_results_with_custom() -> Results {
    fixture_collect(true)
}

/// A throwaway workspace like [`temp_workspace`] whose results hold a custom measurement.
fn temp_workspace_with_custom(decl: &str) -> (tempfile::TempDir, Workspace) {
    let (dir, ws) = temp_workspace(decl);
    fixture_results_with_custom()
        .save(&dir.path().join("results/reference/ch99.json"))
        .unwrap();
    (dir, ws)
}

#[test]
fn collect_reads_custom_measurements_as_benchkit_wrote_them() {
    let path = fixtures().join("custom/timer/steps/instant.json");
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let custom = collect::custom_dir(&fixtures().join("custom")).unwrap();
    assert_eq!(custom.keys().collect::<Vec<_>>(), ["timer/steps/instant"]);
    let m = &custom["timer/steps/instant"].metrics;
    assert_eq!(
        m["min_step_ns"],
        raw["metrics"]["min_step_ns"].as_f64().unwrap()
    );
    assert_eq!(m.len(), raw["metrics"].as_object().unwrap().len());

    let r = fixture_results_with_custom();
    let b = &r.benchmarks["timer/steps/instant"];
    assert!(b.wall.is_none() && b.instr.is_none());
    let metric = |s: &str| pipeline::decl::Metric::parse(s).unwrap();
    assert_eq!(
        pipeline::plan::value(b, &metric("custom.min_step_ns"), None),
        Some(m["min_step_ns"])
    );
    assert_eq!(
        pipeline::plan::value(b, &metric("custom.nothing"), None),
        None
    );
    assert!(r.benchmarks["compare/sort/stable"].custom.is_none());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ch99.json");
    r.save(&file).unwrap();
    assert_eq!(Results::load(&file).unwrap(), r);
    assert!(
        collect::custom_dir(&dir.path().join("absent"))
            .unwrap()
            .is_empty(),
        "no directory, no custom measurements"
    );
}

#[test]
fn a_schema_1_file_is_read_and_cannot_carry_custom_measurements() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ch99.json");
    let schema_4_fields_removed = |mut r: Results| {
        for b in r.benchmarks.values_mut() {
            b.params.clear();
            b.only = None;
        }
        r
    };
    let mut r = schema_4_fields_removed(fixture_results());
    r.schema = 1;
    r.save(&path).unwrap();
    assert_eq!(Results::load(&path).unwrap().schema, 1);
    let mut r = schema_4_fields_removed(fixture_results_with_custom());
    r.schema = 1;
    r.save(&path).unwrap();
    let e = err_of(Results::load(&path));
    assert!(
        e.contains("ch99.json")
            && e.contains("timer/steps/instant")
            && e.contains("schema 1 cannot hold"),
        "{e}"
    );
}

#[test]
fn a_corrupt_custom_measurement_stops_with_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("timer/steps/instant.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        "{\"id\": \"timer/steps/instant\", \"metrics\": {\"min",
    )
    .unwrap();
    let e = err_of(collect::custom_dir(dir.path()));
    assert!(
        e.contains("timer/steps/instant.json")
            && e.contains("delete it and run the benchmark again"),
        "{e}"
    );
    std::fs::write(
        &file,
        "{\"id\": \"timer/steps/other\", \"metrics\": {\"n\": 1}}",
    )
    .unwrap();
    let e = err_of(collect::custom_dir(dir.path()));
    assert!(
        e.contains("records `timer/steps/other` but its path says `timer/steps/instant`"),
        "{e}"
    );
    std::fs::write(
        &file,
        "{\"id\": \"timer/steps/instant\", \"metrics\": {\"N-1\": 1}}",
    )
    .unwrap();
    let e = err_of(collect::custom_dir(dir.path()));
    assert!(e.contains("metric name `N-1`"), "{e}");
    std::fs::write(&file, "{\"id\": \"timer/steps/instant\", \"metrics\": {}}").unwrap();
    let e = err_of(collect::custom_dir(dir.path()));
    assert!(e.contains("records nothing"), "{e}");
    std::fs::remove_file(&file).unwrap();
    std::fs::write(dir.path().join("timer/steps/notes.txt"), "x").unwrap();
    let e = err_of(collect::custom_dir(dir.path()));
    assert!(
        e.contains("notes.txt") && e.contains("not a .json file"),
        "{e}"
    );
}

const CUSTOM_DECL: &str = r#"
[[table]]
id = "clock"
rows = ["timer/steps/instant"]
columns = [
    { label = "smallest step", metric = "custom.min_step_ns", unit = "ns" },
    { label = "readings", metric = "custom.readings" },
]

[[claim]]
id = "coarse"
text = "The clock's smallest step is at least a millisecond."
kind = "ratio"
metric = "custom.min_step_ns"
a = "timer/steps/instant"
b = "timer/steps/instant"
op = ">="
value = 1e6
"#;

#[test]
fn custom_measurements_render_and_their_claims_are_reported_not_enforced() {
    let (_d, ws) = temp_workspace_with_custom(CUSTOM_DECL);
    let rendered = render(&ws, &Source::Reference).unwrap();
    let file = |name: &str| rendered_file(&rendered, name);
    let r = fixture_results_with_custom();
    let m = r.benchmarks["timer/steps/instant"].custom.as_ref().unwrap();
    let table = file("ch99/clock.md");
    let expected_step = pipeline::format::value(m["min_step_ns"], "ns");
    let expected_readings = pipeline::format::count(m["readings"]);
    assert!(
        table.contains(&format!(
            "| `instant` | {expected_step} | {expected_readings} |"
        )),
        "{table}"
    );
    let outcome = &rendered.outcomes["ch99"].1[0];
    assert!(!outcome.held() && outcome.kind == claims::Kind::Custom);
    assert!(file("ch99/claim-coarse.md").contains("✗ does not hold here"));
    assert!(file("ch99/claims.md").contains("custom measurement (reported)"));
    assert!(file("claims.md").contains("| custom |"));
    pipeline::check(&rendered).expect("a custom measurement is reported, never enforced");
}

#[test]
fn an_unknown_custom_measurement_stops_with_the_declaration() {
    let (_d, ws) =
        temp_workspace_with_custom(&CUSTOM_DECL.replace("custom.readings", "custom.nope"));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("table `clock`")
            && e.contains("no custom measurement named `nope`")
            && e.contains("timer/steps/instant"),
        "{e}"
    );
    let (_d, ws) = temp_workspace_with_custom(&CUSTOM_DECL.replace("custom.readings", "custom."));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(e.contains("names no custom measurement"), "{e}");
    let (_d, ws) = temp_workspace(CUSTOM_DECL);
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("timer/steps/instant") && e.contains("not in"),
        "{e}"
    );
}

#[test]
fn a_value_claim_states_one_benchmark_metric_and_names_what_it_needs() {
    let decl = r#"
[[claim]]
id = "never-equal"
text = "No reading equalled the one before."
kind = "value"
metric = "custom.equal_pct"
a = "timer/steps/instant"
op = "=="
value = 0.0
"#;
    let (_d, ws) = temp_workspace_with_custom(decl);
    let rendered = render(&ws, &Source::Reference).unwrap();
    let o = &rendered.outcomes["ch99"].1[0];
    let r = fixture_results_with_custom();
    let equal = r.benchmarks["timer/steps/instant"].custom.as_ref().unwrap()["equal_pct"];
    assert_eq!(o.measured, equal);
    assert_eq!(o.held(), equal == 0.0);
    assert_eq!(o.expression, "custom.equal_pct of `timer/steps/instant`");
    let (_d, ws) = temp_workspace_with_custom(&decl.replace("a = \"timer/steps/instant\"\n", ""));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("figures.toml") && e.contains("missing field `a`"),
        "{e}"
    );
    let (_d, ws) = temp_workspace_with_custom(&decl.replace(
        "a = \"timer/steps/instant\"\n",
        "a = \"timer/steps/instant\"\nb = \"timer/steps/instant\"\n",
    ));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(e.contains("unknown field `b`"), "{e}");
}

const ARTIFACT_DECL: &str = r#"
[[figure]]
id = "flame"
kind = "flamegraph"
title = "Where the workload spends its samples"
artifact = "work.folded"

[[listing]]
id = "annotate"
title = "Instructions by function"
artifact = "annotate.txt"

[[listing]]
id = "sum-asm"
title = "The sum"
symbol = "ch99::sum"
"#;

/// A throwaway workspace whose results hold folded stacks, a text artifact and a listing.
fn temp_workspace_with_artifacts(folded: &str) -> (tempfile::TempDir, Workspace) {
    let (dir, ws) = temp_workspace(ARTIFACT_DECL);
    let mut r = fixture_results();
    r.artifacts.insert("work.folded".into(), folded.into());
    r.artifacts
        .insert("annotate.txt".into(), "1,000 (50%)  ch99::parse\n".into());
    r.artifacts.insert(
        pipeline::asm::artifact_name("ch99::sum"),
        "ch99::sum:\n    xor eax, eax\n    ret\n".into(),
    );
    r.save(&dir.path().join("results/reference/ch99.json"))
        .unwrap();
    (dir, ws)
}

#[test]
fn artifacts_render_as_a_flame_graph_and_listings_and_survive_their_file() {
    let folded = "main;parse 30\nmain;sort 60\nmain 10\n";
    let (d, ws) = temp_workspace_with_artifacts(folded);
    let back = Results::load(&d.path().join("results/reference/ch99.json")).unwrap();
    assert_eq!(back.artifacts["work.folded"], folded);
    let rendered = render(&ws, &Source::Reference).unwrap();
    let flame = rendered_file(&rendered, "ch99/flame.md");
    assert!(
        flame.contains("<img class=\"flamegraph flamegraph-light\"")
            && flame.contains("<img class=\"flamegraph flamegraph-dark\"")
            && flame.contains("data:image/svg+xml;base64,")
            && flame.contains("Measured on"),
        "{flame}"
    );
    // Its text alternative and numbers: the samples per function, from the same stacks.
    assert!(
        flame.contains("aria-describedby=\"ch99-flame-desc\"")
            && flame
                .contains("<p id=\"ch99-flame-desc\">A flame graph of 100 samples of 3 functions")
            && flame
                .contains("<tr><td>main</td><td>100</td><td>100%</td><td>10</td><td>10%</td></tr>")
            && flame
                .contains("<tr><td>sort</td><td>60</td><td>60%</td><td>60</td><td>60%</td></tr>"),
        "{flame}"
    );
    // The same stacks give the same bytes: the page is reproducible.
    let again = render(&ws, &Source::Reference).unwrap();
    assert_eq!(flame, rendered_file(&again, "ch99/flame.md"));
    let asm = rendered_file(&rendered, "ch99/sum-asm.md");
    assert!(
        asm.contains("```x86asm\nch99::sum:\n    xor eax, eax\n    ret\n```")
            && asm.contains("--emit asm"),
        "{asm}"
    );
    let text = rendered_file(&rendered, "ch99/annotate.md");
    assert!(
        text.contains("```text\n1,000 (50%)  ch99::parse\n```"),
        "{text}"
    );
}

#[test]
fn bad_or_missing_artifacts_stop_with_the_declaration_and_the_fix() {
    let (_d, ws) = temp_workspace_with_artifacts("main;parse thirty\n");
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("figure `flame`") && e.contains("line 1") && e.contains("not folded stacks"),
        "{e}"
    );
    let (_d, ws) = temp_workspace(ARTIFACT_DECL);
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("figure `flame`")
            && e.contains("work.folded")
            && e.contains("benchkit::custom::artifact"),
        "{e}"
    );
    let decl = ARTIFACT_DECL.replace("artifact = \"annotate.txt\"", "");
    let (_d, ws) = temp_workspace(&decl);
    let mut r = fixture_results();
    r.artifacts.insert("work.folded".into(), "a 1\n".into());
    r.save(&_d.path().join("results/reference/ch99.json"))
        .unwrap();
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("listing `annotate`") && e.contains("exactly one of `symbol`"),
        "{e}"
    );
}

#[test]
fn artifacts_are_collected_by_name_and_empty_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("work.folded"), "main 1\n").unwrap();
    let got = collect::artifact_dir(dir.path()).unwrap();
    assert_eq!(got["work.folded"], "main 1\n");
    std::fs::write(dir.path().join("empty.txt"), "\n").unwrap();
    let e = err_of(collect::artifact_dir(dir.path()));
    assert!(e.contains("empty.txt") && e.contains("is empty"), "{e}");
}

/// [`DECL`] plus `wide` benchmarks that exist only on CPUs with `feature`; the fixture machine
/// has SSE2 and AVX2 and measured no `wide` benchmark.
fn decl_requiring(feature: &str) -> String {
    format!(
        r#"
[[requires]]
part = "wide"
feature = "{feature}"

[[table]]
id = "sorts"
rows = [
    {{ bench = "compare/sort/stable", label = "stable" }},
    {{ bench = "compare/sort/wide", label = "wide" }},
    {{ bench = "compare/sort/unstable", label = "unstable" }},
]
columns = [
    {{ label = "instructions", metric = "Ir" }},
    {{ label = "vs wide", metric = "Ir", ratio_to = "compare/sort/wide" }},
]

[[claim]]
id = "wide-faster"
text = "The wide sort executes fewer instructions."
kind = "ratio"
metric = "Ir"
a = "compare/sort/wide"
b = "compare/sort/stable"
op = "<"
value = 1.0
"#
    ) + DECL
}

#[test]
fn benchmarks_a_cpu_lacks_drop_out_and_their_claims_are_reported_not_measured() {
    let (_d, ws) = temp_workspace(&decl_requiring("avx512f"));
    let rendered = render(&ws, &Source::Reference).unwrap();
    let table = rendered_file(&rendered, "ch99/sorts.md");
    assert!(table.contains("| stable |") && table.contains("| unstable |"));
    assert!(!table.contains("wide"), "{table}");
    let badge = rendered_file(&rendered, "ch99/claim-wide-faster.md");
    assert!(
        badge.contains("not measured here: this CPU has no avx512f"),
        "{badge}"
    );
    assert!(rendered_file(&rendered, "ch99/claim-fewer.md").contains("✓ holds here"));
    // A figure keeps the series the machine measured.
    let with_figure = format!(
        "{}\n[[figure]]\nid = \"line\"\nkind = \"line\"\ntitle = \"Both\"\nx = \"n\"\nseries = [\n  {{ label = \"narrow\", metric = \"Ir\", benches = \"compare/sort/*\" }},\n  {{ label = \"wide\", metric = \"Ir\", benches = \"compare/wide/*\" }},\n]\n",
        decl_requiring("avx512f")
    );
    let (_d2, ws2) = temp_workspace(&with_figure);
    let decl =
        pipeline::decl::Decl::load(&ws2.root.join("chapters/ch99-test/figures.toml")).unwrap();
    let plan = pipeline::plan::resolve(&decl, &fixture_results(), Path::new("ch99.json")).unwrap();
    let line = plan.figures.iter().find(|f| f.id == "line").unwrap();
    let pipeline::plan::Body::Lines(lines) = &line.body else {
        panic!("a line figure draws lines")
    };
    let labels: Vec<&str> = lines.series.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["narrow"]);
    let sorts = plan.tables.iter().find(|t| t.id == "sorts").unwrap();
    assert_eq!(sorts.rows.len(), 2);
    assert_eq!(
        sorts.columns.len(),
        1,
        "the column relative to `wide` goes too"
    );
    let outs = &rendered.outcomes["ch99"].1;
    assert_eq!(outs.len(), 2);
    let aside = outs.iter().find(|o| o.id == "wide-faster").unwrap();
    assert!(matches!(aside.verdict, claims::Verdict::SetAside(_)) && !aside.held());
    // A claim set aside is not a failure, even over instruction counts.
    pipeline::check(&rendered).unwrap();
    assert!(rendered_file(&rendered, "claims.md").contains("not measured here"));
}

#[test]
fn benchmarks_a_cpu_has_are_required_and_a_feature_must_be_known() {
    // The machine has AVX2, so its `wide` benchmarks should have been measured.
    let (_d, ws) = temp_workspace(&decl_requiring("avx2"));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("compare/sort/wide") && e.contains("figures.toml"),
        "{e}"
    );
    let (_d, ws) = temp_workspace(&decl_requiring("avx512"));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(e.contains("`avx512`") && e.contains("avx512f"), "{e}");
}

#[test]
fn a_time_column_spanning_orders_of_magnitude_gives_each_cell_its_unit() {
    let (_d, ws) = temp_workspace(DECL);
    let mut r = fixture_results();
    let w = r
        .benchmarks
        .get_mut("compare/sort/unstable")
        .unwrap()
        .wall
        .as_mut()
        .unwrap();
    w.median = 2.5e9;
    let stable = r.benchmarks["compare/sort/stable"]
        .wall
        .as_ref()
        .unwrap()
        .median;
    assert!(
        stable < 2.5e6,
        "the fixture's stable sort takes {stable} ns"
    );
    r.save(&ws.root.join("results/reference/ch99.json"))
        .unwrap();
    let table = rendered_file(&render(&ws, &Source::Reference).unwrap(), "ch99/both.md");
    // Each cell in its own unit: seconds for the slow row, microseconds for the fast one.
    assert!(table.contains("| 2.50 s |"), "{table}");
    assert!(table.contains("| 61.7 µs |"), "{table}");
}

/// A throwaway book with one page `page` (and a source file with an anchor) to build.
fn temp_book(page: &str) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"t\"\nsrc = \"src\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("src/generated/ch99")).unwrap();
    std::fs::create_dir_all(root.join("chapters/ch99-test/src")).unwrap();
    std::fs::write(
        root.join("chapters/ch99-test/src/stats.rs"),
        "// ANCHOR: median\npub fn median() {}\n// ANCHOR_END: median\n",
    )
    .unwrap();
    std::fs::write(root.join("src/generated/ch99/claim-a.md"), "badge").unwrap();
    std::fs::write(root.join("src/SUMMARY.md"), "# S\n\n- [P](page.md)\n").unwrap();
    std::fs::write(root.join("src/page.md"), page).unwrap();
    // The edition the build states: the version, and the changelog's entry for it.
    std::fs::write(
        root.join("CITATION.cff"),
        "cff-version: 1.2.0\nversion: 0.9.0\n",
    )
    .unwrap();
    std::fs::write(root.join("src/changelog.md"), "# Changelog\n\n## 0.9.0\n").unwrap();
    let ws = Workspace::at(root);
    (dir, ws)
}

#[test]
fn a_page_that_includes_a_renamed_anchor_stops_the_build_naming_page_file_and_anchor() {
    let good = "# P\n\n```rust\n{{#include ../chapters/ch99-test/src/stats.rs:median}}\n```\n\nClaim {{#include generated/ch99/claim-a.md}}\n";
    let (_d, ws) = temp_book(good);
    pipeline::site::build(&ws, &ws.committed_generated()).unwrap();
    let (_d, ws) = temp_book(&good.replace(":median}}", ":mean}}"));
    let e = err_of(pipeline::site::build(&ws, &ws.committed_generated()));
    assert!(
        e.contains("src/page.md")
            && e.contains("stats.rs:mean")
            && e.contains("marks no anchor `mean`")
            && e.contains("put the anchor back"),
        "{e}"
    );
}

#[test]
fn a_claim_no_page_shows_or_two_pages_show_stops_the_build() {
    let (_d, ws) = temp_book("# P\n\nNo badge here.\n");
    let e = err_of(pipeline::site::build(&ws, &ws.committed_generated()));
    assert!(
        e.contains("ch99/claim-a.md") && e.contains("no page shows it"),
        "{e}"
    );
    let twice = "# P\n\n{{#include generated/ch99/claim-a.md}} and {{#include generated/ch99/claim-a.md}}\n";
    let (_d, ws) = temp_book(twice);
    let e = err_of(pipeline::site::build(&ws, &ws.committed_generated()));
    assert!(e.contains("stated in one place only"), "{e}");
}

/// A chapter's raw output directories with one criterion benchmark per target.
fn raw_targets(ids: &[(&str, &str)]) -> (tempfile::TempDir, pipeline::workspace::ChapterDirs) {
    let dir = tempfile::tempdir().unwrap();
    let dirs = pipeline::workspace::ChapterDirs {
        bench: dir.path().join("bench"),
        gungraun: dir.path().join("gungraun"),
    };
    let src = fixtures().join("criterion/compare/sort/stable/new");
    for (target, id) in ids {
        let new = dirs.criterion(target).join(id).join("new");
        std::fs::create_dir_all(&new).unwrap();
        for f in ["estimates.json", "sample.json"] {
            std::fs::copy(src.join(f), new.join(f)).unwrap();
        }
        let b = std::fs::read_to_string(src.join("benchmark.json")).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&b).unwrap();
        v["full_id"] = serde_json::Value::String(id.to_string());
        std::fs::write(new.join("benchmark.json"), v.to_string()).unwrap();
    }
    (dir, dirs)
}

fn wall_target(name: &str) -> pipeline::workspace::Target {
    pipeline::workspace::Target {
        name: name.into(),
        harness: pipeline::workspace::Harness::Wall,
    }
}

#[test]
fn collect_refuses_an_id_two_bench_targets_measure_naming_both() {
    let (_d, dirs) = raw_targets(&[
        ("wall_jemalloc", "churn/mixed/small"),
        ("wall_mimalloc", "churn/mixed/small"),
    ]);
    let targets = [wall_target("wall_jemalloc"), wall_target("wall_mimalloc")];
    let e = err_of(collect::raw(&dirs, &targets));
    assert!(
        e.contains("`churn/mixed/small` is measured twice")
            && e.contains("wall_jemalloc")
            && e.contains("wall_mimalloc")
            && e.contains("case list"),
        "{e}"
    );
}

/// Copies round 1's criterion output of `target` into round `k`, times multiplied by `scale`.
fn copy_round(dirs: &pipeline::workspace::ChapterDirs, target: &str, k: usize, scale: f64) {
    let from = dirs.criterion(target);
    let to = dirs.criterion_round(target, k);
    for e in walk(&from) {
        let rel = e.strip_prefix(&from).unwrap();
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(&e).unwrap();
        if e.ends_with("sample.json") {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let times: Vec<f64> = v["times"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_f64().unwrap() * scale)
                .collect();
            v["times"] = serde_json::json!(times);
            std::fs::write(&dest, v.to_string()).unwrap();
        } else if e.ends_with("estimates.json") {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            for key in ["median", "mean"] {
                let x = v[key]["point_estimate"].as_f64().unwrap();
                v[key]["point_estimate"] = serde_json::json!(x * scale);
                for f in ["lower_bound", "upper_bound"] {
                    let x = v[key]["confidence_interval"][f].as_f64().unwrap();
                    v[key]["confidence_interval"][f] = serde_json::json!(x * scale);
                }
            }
            std::fs::write(&dest, v.to_string()).unwrap();
        } else {
            std::fs::write(&dest, text).unwrap();
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn collect_pools_the_rounds_of_a_benchmark_and_keeps_each_round_median() {
    let (_d, dirs) = raw_targets(&[("wall", "g/f/a")]);
    let one = collect::raw(&dirs, &[wall_target("wall")]).unwrap();
    let single = one.walls["g/f/a"].clone();
    assert!(
        single.rounds.is_empty(),
        "one round keeps criterion's estimate as it is"
    );
    copy_round(&dirs, "wall", 1, 1.0);
    copy_round(&dirs, "wall", 2, 1.5);
    let raw = collect::raw(&dirs, &[wall_target("wall")]).unwrap();
    let w = &raw.walls["g/f/a"];
    assert_eq!(w.rounds.len(), 3);
    assert_eq!(w.rounds[0], single.median);
    assert!((w.rounds[2] / single.median - 1.5).abs() < 1e-9);
    assert_eq!(w.samples.len(), 3 * single.samples.len());
    assert_eq!(w.iterations, 3 * single.iterations);
    assert!(
        w.median_lo <= single.median_lo && w.median_hi >= w.rounds[2],
        "the interval spans every round's median: [{}, {}] against {:?}",
        w.median_lo,
        w.median_hi,
        w.rounds
    );
    assert!(w.median_lo <= w.median && w.median <= w.median_hi);
}

#[test]
fn collect_refuses_a_round_that_measured_other_benchmarks_naming_it() {
    let (_d, dirs) = raw_targets(&[("wall", "g/f/a")]);
    copy_round(&dirs, "wall", 1, 1.0);
    std::fs::rename(
        dirs.criterion_round("wall", 1).join("g/f/a"),
        dirs.criterion_round("wall", 1).join("g/f/b"),
    )
    .unwrap();
    let bench = dirs
        .criterion_round("wall", 1)
        .join("g/f/b/new/benchmark.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&bench).unwrap()).unwrap();
    v["full_id"] = serde_json::Value::String("g/f/b".into());
    std::fs::write(&bench, v.to_string()).unwrap();
    let e = err_of(collect::raw(&dirs, &[wall_target("wall")]));
    assert!(
        e.contains("round 2")
            && e.contains("criterion-round-1")
            && e.contains("only in round 1: [g/f/a]")
            && e.contains("only in round 2: [g/f/b]"),
        "{e}"
    );
}

#[test]
fn collect_refuses_ids_outside_the_case_list_and_cases_a_harness_left_out() {
    let (_d, dirs) = raw_targets(&[("wall", "g/f/a")]);
    let targets = [wall_target("wall")];
    let list = |cases: Vec<bookproto::Case>| bookproto::Manifest::new(cases);
    let raw = collect::raw(&dirs, &targets).unwrap();
    let e = err_of(collect::assemble(
        "ch99",
        raw,
        &list(vec![bookproto::Case::new("g", "f", "b").wall_only("x")]),
        true,
        machine(),
    ));
    assert!(
        e.contains("not in the chapter's case list: g/f/a") && e.contains("src/cases.rs"),
        "{e}"
    );
    let raw = collect::raw(&dirs, &targets).unwrap();
    let e = err_of(collect::assemble(
        "ch99",
        raw,
        &list(vec![bookproto::Case::new("g", "f", "a")]),
        true,
        machine(),
    ));
    assert!(
        e.contains("g/f/a (instruction count)") && e.contains(".wall_only(why)"),
        "{e}"
    );
    let raw = collect::raw(&dirs, &targets).unwrap();
    let r = collect::assemble(
        "ch99",
        raw,
        &list(vec![
            bookproto::Case::new("g", "f", "a")
                .param("kib", 0.5)
                .wall_only("threads"),
        ]),
        true,
        machine(),
    )
    .unwrap();
    let b = &r.benchmarks["g/f/a"];
    assert_eq!(b.params["kib"], 0.5);
    assert_eq!(b.only, Some(bookproto::Harnesses::Wall("threads".into())));
}

#[test]
fn the_command_line_refuses_an_empty_chapter_list_and_results_with_reference() {
    let book = env!("CARGO_BIN_EXE_book");
    for args in [
        &["--chapters"][..],
        &["--chapters", ""],
        &["--chapters", "ch01,"],
        &["build", "--reference", "--results", "x"],
        &["nonsense"],
    ] {
        let out = std::process::Command::new(book)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(err.contains("error"), "{args:?}: {err}");
    }
    let out = std::process::Command::new(book)
        .args(["--chapters", ""])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("a chapter name is empty"));
}

/// A second machine's results for the fixture chapter: another CPU, on which the unstable
/// sort counts more instructions than the stable one, so the fixture's claim fails there.
fn other_machine_results() -> Results {
    let mut r = fixture_results();
    r.machine.id = "x86_64-other-cpu-f1m1-8cpu".into();
    r.machine.cpu_model = "Other CPU".into();
    r.machine.logical_cpus = 8;
    let stable = r.benchmarks["compare/sort/stable"].instr.as_ref().unwrap()["Ir"];
    r.benchmarks
        .get_mut("compare/sort/unstable")
        .unwrap()
        .instr
        .as_mut()
        .unwrap()
        .insert("Ir".into(), stable * 2.0);
    r
}

#[test]
fn the_machines_page_shows_every_machine_claim_by_claim() {
    let (d, ws) = temp_workspace(DECL);
    let machines = d.path().join("results/machines");
    std::fs::create_dir_all(&machines).unwrap();
    // The reference machine's folder is a link to results/reference/, as in the repository.
    std::os::unix::fs::symlink("../reference", machines.join("x86_64-test-machine-2cpu")).unwrap();
    other_machine_results()
        .save(&machines.join("x86_64-other-cpu-f1m1-8cpu/ch99.json"))
        .unwrap();
    let runs = pipeline::machines::runs(&ws).unwrap();
    let labels: Vec<&str> = runs.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "x86_64-test-machine-2cpu (reference)",
            "x86_64-other-cpu-f1m1-8cpu"
        ],
        "the reference machine comes first"
    );
    let page = pipeline::machines::page(&runs, &[("ch99".to_string(), "ch99-test".to_string())]);
    assert!(
        page.contains("Test CPU") && page.contains("Other CPU"),
        "{page}"
    );
    let row = page
        .lines()
        .find(|l| l.contains("The unstable sort executes fewer instructions."))
        .expect("the claim has a row");
    assert!(
        row.contains("✓ holds") && row.contains("✗ does not hold"),
        "one column per machine, each with its own verdict: {row}"
    );
    // A reader's own run adds a column.
    other_machine_results()
        .save(&ws.local_results().join("ch99.json"))
        .unwrap();
    assert_eq!(pipeline::machines::runs(&ws).unwrap().len(), 3);
}

#[test]
fn a_machine_folder_holding_another_machines_results_stops_with_where_they_belong() {
    let (d, ws) = temp_workspace(DECL);
    other_machine_results()
        .save(
            &d.path()
                .join("results/machines/x86_64-wrong-name-2cpu/ch99.json"),
        )
        .unwrap();
    let e = err_of(pipeline::machines::runs(&ws));
    assert!(
        e.contains("x86_64-wrong-name-2cpu/ch99.json")
            && e.contains("move it to results/machines/x86_64-other-cpu-f1m1-8cpu/"),
        "{e}"
    );
}

#[test]
fn the_committed_machine_folders_are_named_for_the_machine_that_measured_them() {
    let runs = pipeline::machines::runs(&repo()).unwrap();
    assert!(
        runs.iter().any(|r| r.label.ends_with("(reference)")),
        "results/machines/ holds the reference machine (a link to results/reference/)"
    );
}

fn card_file(machine: Machine) -> pipeline::card::Card {
    pipeline::card::Card {
        schema: pipeline::card::CARD_SCHEMA,
        machine,
        entries: vec![bookproto::card::Entry::example()],
    }
}

#[test]
fn a_page_quotes_the_machine_card_and_an_entry_it_lacks_stops_the_build() {
    let page = "# P\n\nRead at {{#card bandwidth/read/t1}}.\n\nClaim {{#include generated/ch99/claim-a.md}}\n";
    let (d, ws) = temp_book(page);
    // No card yet: the directive is not one the book knows, and the message says how to get one.
    let e = err_of(pipeline::site::build(&ws, &ws.committed_generated()));
    assert!(
        e.contains("{{#card bandwidth/read/t1}}") && e.contains("scripts/book.sh card"),
        "{e}"
    );
    std::fs::create_dir_all(d.path().join("results/reference")).unwrap();
    card_file(machine())
        .save(&d.path().join("results/reference/card.json"))
        .unwrap();
    pipeline::site::build(&ws, &ws.committed_generated()).unwrap();
    let html = std::fs::read_to_string(d.path().join("book/page.html")).unwrap();
    assert!(
        html.contains(">12.5 GB/s</span>") && html.contains("best of 10 runs, median 11.0 GB/s"),
        "{html}"
    );
    let (_d2, ws2) = temp_book(&page.replace("read/t1", "read/t9"));
    std::fs::create_dir_all(ws2.root.join("results/reference")).unwrap();
    card_file(machine())
        .save(&ws2.root.join("results/reference/card.json"))
        .unwrap();
    let e = err_of(pipeline::site::build(&ws2, &ws2.committed_generated()));
    assert!(e.contains("{{#card bandwidth/read/t9}}"), "{e}");
}

#[test]
fn a_corrupt_card_or_one_of_another_machine_stops_the_pipeline_naming_the_file() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("card.json");
    std::fs::write(&path, "{ not json").unwrap();
    let e = err_of(pipeline::card::Card::load(&path));
    assert!(
        e.contains("card.json") && e.contains("scripts/book.sh card"),
        "{e}"
    );
    let mut c = card_file(machine());
    c.entries[0].median = None;
    c.save(&path).unwrap();
    let e = err_of(pipeline::card::Card::load(&path));
    assert!(e.contains("median beside it"), "{e}");
}

const CHECK: &str = r#"
[[check]]
id = "same-work"
text = "Both sorts execute the instructions the fixtures hold."
kind = "ratio"
metric = "Ir"
a = "compare/sort/stable"
b = "compare/sort/unstable"
op = ">"
value = 1.0
"#;

#[test]
fn a_check_is_enforced_without_a_badge_and_must_be_over_callgrind_counts() {
    let (_d, ws) = temp_workspace(&format!("{DECL}{CHECK}"));
    let rendered = render(&ws, &Source::Reference).unwrap();
    assert!(
        !rendered
            .files
            .iter()
            .any(|(p, _)| p.to_string_lossy().contains("same-work")),
        "a check renders no badge"
    );
    assert_eq!(rendered.checks["ch99"].len(), 1);
    pipeline::check(&rendered).unwrap();
    // The same identity the other way round fails the check, and so the run.
    let (_d, ws) = temp_workspace(&format!(
        "{DECL}{}",
        CHECK.replace("op = \">\"", "op = \"<\"")
    ));
    let e = err_of(pipeline::check(&render(&ws, &Source::Reference).unwrap()));
    assert!(e.contains("ch99/same-work (a check)"), "{e}");
    let (_d, ws) = temp_workspace(&format!(
        "{DECL}{}",
        CHECK.replace("metric = \"Ir\"", "metric = \"median\"")
    ));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("check `same-work`") && e.contains("not a callgrind count"),
        "{e}"
    );
}

const LIMIT: &str = r#"
[[claim]]
id = "near-read"
text = "The stable sort takes less than a thousand times what reading its bytes takes."
kind = "limit"
metric = "median"
a = "compare/sort/stable"
card = "bandwidth/read/t1"
bytes = 1000.0
op = "<"
value = 1000.0
"#;

#[test]
fn a_limit_claim_divides_a_time_by_the_cards_time_for_its_bytes_and_needs_the_card() {
    let (d, ws) = temp_workspace(LIMIT);
    // The card is the results folder's own; without one the book stops and says how to measure it.
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("bandwidth/read/t1") && e.contains("scripts/book.sh card"),
        "{e}"
    );
    let card_path = d.path().join("results/reference/card.json");
    card_file(machine()).save(&card_path).unwrap();
    let rendered = render(&ws, &Source::Reference).unwrap();
    let o = &rendered.outcomes["ch99"].1[0];
    let median = fixture_results().benchmarks["compare/sort/stable"]
        .wall
        .as_ref()
        .unwrap()
        .median;
    // 1000 bytes at 12.5 GB/s (bytes per ns) take 80 ns.
    assert!((o.measured - median / 80.0).abs() < 1e-9, "{}", o.measured);
    assert!(
        o.expression.contains("1.00 kB") && o.expression.contains("12.5 GB/s"),
        "{}",
        o.expression
    );
    // An entry the card lacks, or one that is not a bandwidth, stops naming it.
    let (d2, ws2) = temp_workspace(&LIMIT.replace("read/t1", "read/t9"));
    card_file(machine())
        .save(&d2.path().join("results/reference/card.json"))
        .unwrap();
    let e = err_of(render(&ws2, &Source::Reference));
    assert!(
        e.contains("bandwidth/read/t9") && e.contains("it has: bandwidth/read/t1"),
        "{e}"
    );
    let mut ns = card_file(machine());
    ns.entries[0].unit = "ns".into();
    ns.save(&d2.path().join("results/reference/card.json"))
        .unwrap();
    let (d3, ws3) = temp_workspace(LIMIT);
    ns.save(&d3.path().join("results/reference/card.json"))
        .unwrap();
    let e = err_of(render(&ws3, &Source::Reference));
    assert!(e.contains("in ns") && e.contains("GB/s"), "{e}");
    // Another machine's card beside these results stops too.
    let mut other = card_file(machine());
    other.machine.id = "x86_64-other-cpu-f1m1-8cpu".into();
    other.save(&card_path).unwrap();
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("x86_64-other-cpu-f1m1-8cpu") && e.contains("own machine's card"),
        "{e}"
    );
    // On another machine's folder without a card (appendix C), the claim is set aside.
    std::fs::remove_file(&card_path).unwrap();
    let decl = Decl::load(&ws.root.join("chapters/ch99-test/figures.toml")).unwrap();
    let results_path = ws.root.join("results/reference/ch99.json");
    let plan = pipeline::plan::resolve_with(
        &decl,
        &fixture_results(),
        &results_path,
        pipeline::plan::CardNeed::Optional,
    )
    .unwrap();
    assert!(
        matches!(&plan.claims[0].verdict, claims::Verdict::SetAside(w) if w.contains("card")),
        "{:?}",
        plan.claims[0].verdict
    );
}

#[test]
fn the_this_machine_page_shows_provenance_facts_the_ladder_beside_the_caches_and_the_limits() {
    let mut card = card_file(machine());
    let lat = |id: &str, v: f64| bookproto::card::Entry {
        id: id.into(),
        what: format!("dependent load, {id}"),
        unit: "ns".into(),
        better: bookproto::card::Better::Lower,
        value: v,
        median: Some(v * 1.1),
        ..bookproto::card::Entry::example()
    };
    card.entries.push(lat("latency/base/kib16", 1.5));
    card.entries.push(lat("latency/huge/kib16", 1.4));
    card.entries.push(lat("latency/base/kib1048576", 300.0));
    let page = pipeline::machines::this_machine(&card, "results/reference/card.json");
    assert!(
        page.contains("`results/reference/card.json`") && page.contains(&card.machine.id),
        "{page}"
    );
    // The example machine predates the facts: the page says so rather than guessing.
    assert!(page.contains("not recorded"), "{page}");
    // 16 KiB fits the example's L1d; 1 GiB is beyond every level it reports.
    assert!(
        page.contains("| 16 KiB | 1.50 ns (median 1.65) | 1.40 ns (median 1.54) | L1d"),
        "{page}"
    );
    assert!(
        page.contains("| 1 GiB | 300 ns (median 330) | – | none: beyond the last level |"),
        "{page}"
    );
    // The limits table holds the bandwidth, not the latencies again.
    let limits = &page[page.find("## Physical limits").unwrap()..];
    assert!(
        limits.contains("bandwidth/read/t1") && !limits.contains("latency/base"),
        "{limits}"
    );
}

#[test]
fn the_setup_box_states_the_runs_aa_spread_and_a_table_column_can_divide_by_a_parameter() {
    let decl = r#"
[[aa]]
a = "compare/sort/stable"
b = "compare/sort/unstable"

[[table]]
id = "per"
rows = ["compare/sort/unstable"]
columns = [ { label = "Ir per n", metric = "Ir", per = "n" } ]
"#;
    let (_d, ws) = temp_workspace(decl);
    let rendered = render(&ws, &Source::Reference).unwrap();
    let setup = rendered_file(&rendered, "ch99/setup.md");
    assert!(
        setup.contains("A/A control")
            && setup.contains("`compare/sort/stable` and `compare/sort/unstable`"),
        "{setup}"
    );
    let table = rendered_file(&rendered, "ch99/per.md");
    let r = fixture_results();
    let b = &r.benchmarks["compare/sort/unstable"];
    let want = b.instr.as_ref().unwrap()["Ir"] / b.params["n"];
    assert!(
        table.contains(&pipeline::format::value(want, "count")),
        "{want} in {table}"
    );
    // A parameter the rows lack stops, naming it.
    let (_d, ws) = temp_workspace(&decl.replace("per = \"n\"", "per = \"m\""));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(e.contains("no parameter `m`"), "{e}");
    // The fixture's first case has n = 0: a divisor must be positive.
    let (_d, ws) = temp_workspace(&decl.replace(
        "rows = [\"compare/sort/unstable\"]",
        "rows = [\"compare/sort/stable\"]",
    ));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(e.contains("must be positive"), "{e}");
}

#[test]
fn a_claim_on_an_experiments_rounds_takes_their_range_as_its_interval() {
    let decl_text = r#"
[[claim]]
id = "step"
text = "The clock's smallest step is under a microsecond."
kind = "value"
metric = "custom.min_step_ns"
a = "timer/steps/instant"
op = "<"
value = 1000.0
"#;
    let (d, ws) = temp_workspace_with_custom(decl_text);
    let decl = Decl::load(&ws.root.join("chapters/ch99-test/figures.toml")).unwrap();
    let path = d.path().join("results/reference/ch99.json");
    let with_rounds = |rounds: &[f64]| {
        let mut r = fixture_results_with_custom();
        let b = r.benchmarks.get_mut("timer/steps/instant").unwrap();
        b.custom
            .as_mut()
            .unwrap()
            .insert("min_step_ns".into(), 900.0);
        b.custom_rounds
            .insert("min_step_ns".into(), rounds.to_vec());
        pipeline::plan::resolve(&decl, &r, &path).unwrap().claims[0].clone()
    };
    // Rounds on both sides of the threshold: the point alone would hold; the rounds do not tell.
    let o = with_rounds(&[850.0, 900.0, 1100.0]);
    assert_eq!(o.interval, Some((850.0, 1100.0)));
    assert!(
        matches!(&o.verdict, claims::Verdict::NotResolved(w) if w.contains("range of 3 rounds")),
        "{:?}",
        o.verdict
    );
    assert_eq!(o.interval_label, "range of 3 rounds");
    // Rounds that all clear it hold; the interval always includes the number itself.
    let o = with_rounds(&[950.0, 960.0, 990.0]);
    assert_eq!(o.interval, Some((900.0, 990.0)));
    assert_eq!(o.verdict, claims::Verdict::Holds);
    // One round is no spread: the point decides, as before.
    let o = with_rounds(&[900.0]);
    assert_eq!(o.interval, None);
    assert_eq!(o.verdict, claims::Verdict::Holds);
    // A results file of an older schema cannot carry rounds of custom measurements.
    let mut r = fixture_results_with_custom();
    r.benchmarks
        .get_mut("timer/steps/instant")
        .unwrap()
        .custom_rounds
        .insert("min_step_ns".into(), vec![1.0, 2.0]);
    r.schema = 5;
    r.save(&path).unwrap();
    let e = err_of(Results::load(&path));
    assert!(
        e.contains("rounds of custom measurements") && e.contains("schema"),
        "{e}"
    );
}

#[test]
fn a_penalty_claim_divides_the_time_difference_by_the_count_difference() {
    let decl = r#"
[[claim]]
id = "cost"
text = "Each extra instruction of the stable sort costs time."
kind = "penalty"
metric = "median"
a = "compare/sort/stable"
b = "compare/sort/unstable"
events = "Ir"
op = ">"
value = -1e9
"#;
    let (_d, ws) = temp_workspace(decl);
    let rendered = render(&ws, &Source::Reference).unwrap();
    let o = &rendered.outcomes["ch99"].1[0];
    let r = fixture_results();
    let b = |id: &str| &r.benchmarks[id];
    let (sa, sb) = (b("compare/sort/stable"), b("compare/sort/unstable"));
    let ir = |x: &pipeline::results::Bench| x.instr.as_ref().unwrap()["Ir"];
    let dt = sa.wall.as_ref().unwrap().median - sb.wall.as_ref().unwrap().median;
    let de = ir(sa) - ir(sb);
    assert!(
        de > 0.0,
        "the fixture's stable sort executes more instructions"
    );
    assert!(
        (o.measured - dt / de).abs() <= 1e-12 * (dt / de).abs(),
        "{o:?}"
    );
    let (lo, hi) = o
        .interval
        .expect("a difference of two sampled times has an interval");
    assert!(lo <= o.measured && o.measured <= hi, "{o:?}");
    assert!(o.expression.contains("÷ (Ir of"), "{}", o.expression);
    // The benchmark with fewer events first: nothing to divide by.
    let swapped = decl
        .replace("a = \"compare/sort/stable\"", "a = \"X\"")
        .replace(
            "b = \"compare/sort/unstable\"",
            "b = \"compare/sort/stable\"",
        )
        .replace("a = \"X\"", "a = \"compare/sort/unstable\"");
    let (_d, ws) = temp_workspace(&swapped);
    let e = err_of(render(&ws, &Source::Reference));
    assert!(
        e.contains("figures.toml") && e.contains("`a` must be the benchmark with more"),
        "{e}"
    );
    // Events that are not a callgrind count.
    let (_d, ws) = temp_workspace(&decl.replace("events = \"Ir\"", "events = \"median\""));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(e.contains("must be a callgrind count"), "{e}");
    // A penalty over a metric that is not a time.
    let (_d, ws) = temp_workspace(&decl.replace("metric = \"median\"", "metric = \"Ir\""));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(e.contains("a penalty is a time"), "{e}");
    // A stand-in for `a`'s count, and `b` taken to have none: the divisor is the stand-in's.
    let modelled = decl.replace(
        "events = \"Ir\"",
        "events = \"Ir\"\nevents_a = \"compare/sort/unstable\"\nb_events_none = \"the model\"",
    );
    let (_d, ws) = temp_workspace(&modelled);
    let rendered = render(&ws, &Source::Reference).unwrap();
    let o = &rendered.outcomes["ch99"].1[0];
    let stand_in = ir(sb);
    assert!(
        (o.measured - dt / stand_in).abs() <= 1e-12 * (dt / stand_in).abs(),
        "{o:?}"
    );
    assert!(
        o.expression
            .contains("`compare/sort/unstable` (for `compare/sort/stable`)")
            && o.expression
                .contains("none for `compare/sort/unstable`: the model"),
        "{}",
        o.expression
    );
    // A stand-in that names no benchmark stops the render.
    let (_d, ws) = temp_workspace(&modelled.replace(
        "events_a = \"compare/sort/unstable\"",
        "events_a = \"compare/sort/none\"",
    ));
    let e = err_of(render(&ws, &Source::Reference));
    assert!(e.contains("compare/sort/none"), "{e}");
}

#[test]
fn without_a_determined_clock_cycles_are_set_aside_not_a_stop() {
    let decl = r#"
[[table]]
id = "t"
rows = ["compare/sort/*"]
columns = [
    { label = "median", metric = "median" },
    { label = "cycles", metric = "cycles" },
]

[[claim]]
id = "few-cycles"
text = "The stable sort takes some cycles."
kind = "value"
metric = "cycles"
a = "compare/sort/stable"
op = ">"
value = 0.0
"#;
    let with_facts = |facts: pipeline::machine::Facts| {
        let (d, ws) = temp_workspace(decl);
        let mut r = fixture_results();
        r.machine.facts = Some(facts);
        r.save(&ws.root.join("results/reference/ch99.json"))
            .unwrap();
        (d, ws)
    };
    // The two chains disagreed: the claim is not measured here, and says why; the table
    // keeps its other columns.
    let (_d, ws) = with_facts(pipeline::machine::Facts {
        clock_imul_ghz: Some(2.0),
        clock_add_ghz: Some(3.0),
        ..Default::default()
    });
    let rendered = render(&ws, &Source::Reference).unwrap();
    let o = &rendered.outcomes["ch99"].1[0];
    match &o.verdict {
        pipeline::claims::Verdict::SetAside(why) => {
            assert!(
                why.contains("not determined") && why.contains("2.00 GHz"),
                "{why}"
            )
        }
        v => panic!("expected the claim set aside, got {v:?}"),
    }
    let table = rendered_file(&rendered, "ch99/t.md");
    assert!(
        table.contains("median") && !table.contains("cycles"),
        "{table}"
    );
    // With the clock, the same declaration gives cycles.
    let (_d, ws) = with_facts(pipeline::machine::Facts {
        clock_ghz: Some(2.5),
        clock_imul_ghz: Some(2.5),
        clock_add_ghz: Some(2.5),
        ..Default::default()
    });
    let rendered = render(&ws, &Source::Reference).unwrap();
    assert!(rendered.outcomes["ch99"].1[0].held());
    assert!(rendered_file(&rendered, "ch99/t.md").contains("cycles"));
}
