//! The figure kinds Parts III–VII need, rendered from a generated fixture (eight
//! implementations against threads, latency distributions, a cost–quality scatter, grouped
//! bars), and a stress fixture of 28 chapters of 30 figures. The fixture's numbers are made up
//! by formula and never reach the book; `BOOK_FIXTURE_DIR=<dir>` also writes a small mdBook of
//! them there, to look at in both themes.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use pipeline::decl::Decl;
use pipeline::machine::Machine;
use pipeline::results::{Bench, Distribution, Results, SCHEMA_VERSION, Wall};
use pipeline::workspace::Chapter;

const IMPLS: [&str; 8] = [
    "std_mutex",
    "parking_lot",
    "spin_tas",
    "spin_ttas",
    "ticket",
    "mcs",
    "futex",
    "rwlock",
];
const THREADS: [f64; 5] = [1.0, 2.0, 4.0, 8.0, 16.0];

fn machine() -> Machine {
    Machine {
        id: "x86_64-fixture-16cpu".into(),
        cpu_model: "Fixture CPU (numbers made up by formula)".into(),
        logical_cpus: 16,
        physical_cores: Some(16),
        caches: BTreeMap::new(),
        memory_bytes: 32 << 30,
        hypervisor: None,
        valgrind: None,
        date: "2026-12-01T00:00:00Z".into(),
        mode: "quick".into(),
        ..Machine::example()
    }
}

fn wall(median: f64) -> Wall {
    Wall {
        median,
        median_lo: median * 0.97,
        median_hi: median * 1.04,
        mean: median * 1.01,
        std_dev: median * 0.05,
        mad: median * 0.03,
        samples: (0..40)
            .map(|i| median * (0.9 + 0.005 * f64::from(i)))
            .collect(),
        iterations: 4000,
        bytes: None,
        rounds: Vec::new(),
    }
}

/// Eight lock implementations against threads, each with a latency distribution at 8 threads.
fn fixture(chapter: &str) -> Results {
    let mut benchmarks = BTreeMap::new();
    for (i, name) in IMPLS.iter().enumerate() {
        let k = i as f64;
        for t in THREADS {
            let mut b = Bench::default();
            // Throughput that scales, then flattens, then (for the spinning locks) collapses
            // when threads outnumber cores.
            let rate = 1e6 * (1.0 + 0.2 * k) * t / (1.0 + 0.15 * t * t / (2.0 + k));
            b.custom = Some(
                [
                    ("ops_per_s".to_string(), rate),
                    ("cost_ns".to_string(), 1e9 / rate),
                    ("fairness".to_string(), 1.0 + 0.1 * k * t.ln_1p()),
                ]
                .into(),
            );
            b.params = [("threads".to_string(), t)].into();
            if t == 8.0 {
                let base = 200.0 * (1.0 + 0.3 * k);
                b.distribution = Some(Distribution {
                    unit: "ns".into(),
                    count: 100_000,
                    percentiles: [50.0, 90.0, 99.0, 99.9, 99.99]
                        .iter()
                        .map(|&p: &f64| {
                            (
                                p,
                                base * (1.0 + (1.0 - p / 100.0).ln().abs() * (1.0 + k * 0.4)),
                            )
                        })
                        .collect(),
                });
            }
            benchmarks.insert(format!("contend/{name}/t{t}"), b);
        }
        for (w, size) in [("small", 64.0), ("mixed", 512.0), ("large", 4096.0)] {
            let b = Bench {
                wall: Some(wall(size * (1.0 + 0.15 * k))),
                params: [("kib".to_string(), size)].into(),
                ..Bench::default()
            };
            benchmarks.insert(format!("workload/{name}/{w}"), b);
        }
    }
    for (i, z) in [-0.5, 0.0, 0.5, 0.99, 1.2].into_iter().enumerate() {
        let b = Bench {
            wall: Some(wall(100.0 + 40.0 * i as f64)),
            params: [("zipf".to_string(), z)].into(),
            ..Bench::default()
        };
        benchmarks.insert(format!("skew/lookup/zipf{z}"), b);
    }
    Results {
        schema: SCHEMA_VERSION,
        chapter: chapter.into(),
        machine: machine(),
        benchmarks,
        artifacts: BTreeMap::new(),
    }
}

const DECL: &str = r#"
[[figure]]
id = "threads"
kind = "threads"
title = "Acquisitions per second against threads, eight locks, with ideal scaling for the first"
y_label = "acquisitions per second"
unit = "count"
x_log = true
ideal = true
series = [
    { label = "std::sync::Mutex", metric = "custom.ops_per_s", benches = "contend/std_mutex/*" },
]

[[figure]]
id = "eight"
kind = "line"
title = "Eight series stay distinguishable"
x = "threads"
x_label = "threads"
y_label = "acquisitions per second"
unit = "count"
x_log = true
series = [
    { label = "std::sync::Mutex", metric = "custom.ops_per_s", benches = "contend/std_mutex/*" },
    { label = "parking_lot::Mutex", metric = "custom.ops_per_s", benches = "contend/parking_lot/*" },
    { label = "TAS spinlock", metric = "custom.ops_per_s", benches = "contend/spin_tas/*" },
    { label = "TTAS spinlock", metric = "custom.ops_per_s", benches = "contend/spin_ttas/*" },
    { label = "ticket lock", metric = "custom.ops_per_s", benches = "contend/ticket/*" },
    { label = "MCS lock", metric = "custom.ops_per_s", benches = "contend/mcs/*" },
    { label = "futex mutex", metric = "custom.ops_per_s", benches = "contend/futex/*" },
    { label = "RwLock (writes)", metric = "custom.ops_per_s", benches = "contend/rwlock/*" },
]

[[figure]]
id = "nines"
kind = "percentiles"
title = "Acquisition latency by percentile at 8 threads"
y_log = true
series = [
    { label = "std", bench = "contend/std_mutex/t8" },
    { label = "parking_lot", bench = "contend/parking_lot/t8" },
    { label = "MCS", bench = "contend/mcs/t8" },
]

[[figure]]
id = "cdf"
kind = "cdf"
title = "Distribution of acquisition latency at 8 threads"
x_log = true
series = [
    { label = "std", bench = "contend/std_mutex/t8" },
    { label = "ticket", bench = "contend/ticket/t8" },
    { label = "one benchmark's samples", bench = "workload/mcs/small" },
]

[[figure]]
id = "pareto"
kind = "scatter"
title = "Fairness against cost per acquisition, with the Pareto front"
x_metric = "custom.cost_ns"
y_metric = "custom.fairness"
x_label = "cost per acquisition"
x_unit = "ns"
y_label = "max/min share"
y_unit = "x"
x_log = true
pareto = { x = "lower", y = "lower" }
series = [
    { label = "at 2 threads", benches = "contend/*/t2" },
    { label = "at 16 threads", benches = "contend/*/t16" },
]

[[figure]]
id = "skew"
kind = "line"
title = "A fractional and negative parameter on the x axis"
x = "zipf"
x_label = "Zipf exponent"
series = [{ label = "lookup", metric = "median", benches = "skew/lookup/*", error_bars = true }]

[[figure]]
id = "bars"
kind = "bars"
title = "Time per workload, implementations side by side"
metric = "median"
y_label = "time"
category = "{case} ({kib} KiB)"
series = [
    { label = "std", benches = "workload/std_mutex/*" },
    { label = "parking_lot", benches = "workload/parking_lot/*" },
    { label = "ticket", benches = "workload/ticket/*" },
    { label = "MCS", benches = "workload/mcs/*" },
]
"#;

fn chapter(pkg: &str) -> Chapter {
    Chapter {
        package: pkg.into(),
        dir_name: format!("{pkg}-fixture"),
        dir: Path::new("/nonexistent").into(),
    }
}

fn render(pkg: &str, decl: &str) -> Vec<(std::path::PathBuf, String)> {
    let r = fixture(pkg);
    let d = Decl::parse(decl, Path::new("figures.toml")).unwrap();
    let plan = pipeline::plan::resolve(&d, &r, Path::new("fixture.json")).unwrap();
    pipeline::render::chapter(&chapter(pkg), &plan, &r, "fixture.json")
}

#[test]
fn every_new_figure_kind_renders_from_the_fixture() {
    let files = render("ch90", DECL);
    if let Some(dir) = std::env::var_os("BOOK_FIXTURE_DIR") {
        write_book(Path::new(&dir), &files);
    }
    let get = |n: &str| {
        files
            .iter()
            .find(|(p, _)| p.ends_with(n))
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("{n} not rendered"))
    };
    for id in ["threads", "eight", "nines", "cdf", "pareto", "bars", "skew"] {
        let svg = get(&format!("{id}.md"));
        assert!(svg.contains("<svg class=\"bench-svg\""), "{id}");
        // Named and described for assistive technology, with the plotted numbers under it.
        assert!(
            svg.contains(&format!("aria-labelledby=\"ch90-{id}-title\""))
                && svg.contains(&format!("<desc id=\"ch90-{id}-desc\">A "))
                && svg.contains("<summary>The numbers behind this figure</summary>")
                && svg.contains("<tbody>\n<tr><td>"),
            "{id}: {svg}"
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{id}: {svg}");
    }
    let eight = get("eight.md");
    for label in ["std::sync::Mutex", "RwLock (writes)", "MCS lock"] {
        assert!(eight.contains(label), "the legend holds {label}");
    }
    assert!(get("threads.md").contains("(ideal)"));
    assert!(get("pareto.md").contains("Pareto front"));
    assert!(get("nines.md").contains("\n99.9\n") && get("nines.md").contains("\n99.99\n"));
    assert!(get("bars.md").contains("mixed (512 KiB)"));
    let d = Decl::parse(DECL, Path::new("figures.toml")).unwrap();
    let plan = pipeline::plan::resolve(&d, &fixture("ch90"), Path::new("f.json")).unwrap();
    let skew = plan.figures.iter().find(|f| f.id == "skew").unwrap();
    let pipeline::plan::Body::Lines(l) = &skew.body else {
        panic!("lines")
    };
    let xs: Vec<f64> = l.series[0].points.iter().map(|p| p.0).collect();
    assert_eq!(
        xs,
        [-0.5, 0.0, 0.5, 0.99, 1.2],
        "x from the parameter, in order"
    );
}

/// A small mdBook of the fixture's figures, with the book's stylesheet, to look at.
fn write_book(dir: &Path, files: &[(std::path::PathBuf, String)]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::create_dir_all(dir.join("src/generated")).unwrap();
    std::fs::create_dir_all(dir.join("src/assets")).unwrap();
    std::fs::copy(
        root.join("src/assets/book.css"),
        dir.join("src/assets/book.css"),
    )
    .unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Figure kinds (fixture)\"\nsrc = \"src\"\n[output.html]\nadditional-css = [\"src/assets/book.css\"]\n",
    )
    .unwrap();
    let mut page = String::from("# Figure kinds\n\nNumbers made up by formula.\n\n");
    for (p, text) in files {
        let out = dir.join("src/generated").join(p);
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(&out, text).unwrap();
        if !p.ends_with("setup.md") {
            page += &format!("{{{{#include generated/{}}}}}\n\n", p.display());
        }
    }
    std::fs::write(
        dir.join("src/SUMMARY.md"),
        "# S\n\n- [Figures](figures.md)\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/figures.md"), page).unwrap();
    let mut md = mdbook_driver::MDBook::load(dir).unwrap();
    md.config.build.build_dir = dir.join("book");
    md.build().unwrap();
}

/// 28 chapters of 30 figures each (line, threads, percentile, CDF, scatter and bar figures in
/// turn), resolved and rendered; prints the time. Run with `--ignored`.
#[test]
#[ignore = "a measurement, not a check: run with --ignored to see the time"]
fn stress_28_chapters_of_30_figures() {
    let figures: Vec<&str> = DECL
        .split("\n[[figure]]\n")
        .filter(|s| !s.trim().is_empty())
        .collect();
    let mut decl = String::new();
    for i in 0..30 {
        let f = figures[i % figures.len()];
        let id = f.lines().find(|l| l.starts_with("id = ")).unwrap();
        decl += "\n[[figure]]\n";
        decl += &f.replacen(id, &format!("id = \"f{i}\""), 1);
    }
    let t = Instant::now();
    let mut n = 0;
    for c in 0..28 {
        n += render(&format!("ch{:02}", c + 1), &decl).len();
    }
    let s = t.elapsed().as_secs_f64();
    println!("stress: 28 chapters x 30 figures, {n} files rendered in {s:.2} s");
}
