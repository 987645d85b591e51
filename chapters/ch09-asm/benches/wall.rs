//! Wall-clock harness (criterion) for chapter 09. Every benchmark is registered from the case
//! list, `ch09::cases::all`, under the id `instr.rs` gives the same case; inputs are built
//! before timing starts, and every result goes through `black_box`.
//!
//! The LTO experiment (`lto/<profile>/<case>`) is measured differently: it builds the program
//! `lto_demo` under each profile of `ch09::cases::LTO_PROFILES` into a target directory of its
//! own, runs it (the program times its own loops), counts its instructions under callgrind, and
//! records both numbers with `benchkit::custom::record`. Asked for criterion's `--list`, the
//! harness skips it, as criterion skips its measurements.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use benchkit::criterion::{BenchmarkId, Criterion};
use benchkit::{Case, Mode};
use ch09::cases::{CPU_LEVELS, LTO_LEN, LTO_PROFILES};
use ch09::dispatch::{
    AnyOp, Arena, Grouped, Mul, Op, mixed_box, mixed_dyn, mixed_enum, mixed_grouped, one_type_box,
    one_type_dyn, one_type_dyn_known, one_type_enum, one_type_generic,
};
use ch09::inlining::{
    checked_sum_cold_error, checked_sum_inline_error, total_always, total_inline, total_never,
    total_plain,
};
use ch09::kernel::{
    crc32c_asm, crc32c_intrinsic, crc32c_table, sum_asm, sum_asm_unrolled, sum_compiler,
    sum_global_asm,
};
use common::*;

/// The cases of `group/function` that the wall-clock harness measures, in declaration order.
fn cases(group: &str, function: &str) -> Vec<Case> {
    ch09::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.id.function == function && c.harnesses.wall())
        .collect()
}

/// The case `group/function/case` of the chapter's list.
fn listed(group: &str, function: &str, case: &str) -> Case {
    let id = benchkit::Id::new(group, function, case);
    ch09::cases::all()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the chapter's case list"))
}

/// Criterion's id for the listed case `group/function/case` ([`benchkit::id`]).
fn id(group: &str, function: &str, case: &str) -> BenchmarkId {
    benchkit::id(&listed(group, function, case))
}

/// What the case part of `case`'s id stands for in `table`.
fn pick<T: Copy>(case: &Case, table: &[(&str, T)]) -> T {
    table
        .iter()
        .find(|(n, _)| *n == case.id.case)
        .map(|&(_, t)| t)
        .unwrap_or_else(|| panic!("{}: nothing is called {} here", case.id, case.id.case))
}

type SumKernel = fn(&[u64]) -> u64;
type CrcKernel = fn(&[u8]) -> u32;
type ScoreLoop = fn(&[u32]) -> u32;

fn kernel(c: &mut Criterion) {
    let xs = sum_input();
    let data = crc_input();
    let mut g = c.benchmark_group("kernel");
    let sums: [(&str, SumKernel); 4] = [
        ("compiler", sum_compiler),
        ("asm", sum_asm),
        ("asm_unrolled", sum_asm_unrolled),
        ("global_asm", sum_global_asm),
    ];
    for case in cases("kernel", "sum") {
        let f = pick(&case, &sums);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(f(black_box(&xs))))
        });
    }
    let crcs: [(&str, CrcKernel); 3] = [
        ("table", crc32c_table),
        ("intrinsic", crc32c_intrinsic),
        ("asm", crc32c_asm),
    ];
    for case in cases("kernel", "crc32c") {
        let f = pick(&case, &crcs);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(f(black_box(&data))))
        });
    }
    g.finish();
}

fn inlining(c: &mut Criterion) {
    let xs = score_input();
    let mut g = c.benchmark_group("inlining");
    let scores: [(&str, ScoreLoop); 4] = [
        ("plain", total_plain),
        ("inline", total_inline),
        ("always", total_always),
        ("never", total_never),
    ];
    for case in cases("inlining", "score") {
        let f = pick(&case, &scores);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(f(black_box(&xs))))
        });
    }
    g.bench_function(id("inlining", "checked_sum", "inline_error"), |b| {
        b.iter(|| black_box(checked_sum_inline_error(black_box(&xs))))
    });
    g.bench_function(id("inlining", "checked_sum", "cold_error"), |b| {
        b.iter(|| black_box(checked_sum_cold_error(black_box(&xs))))
    });
    g.finish();
}

fn one_type(c: &mut Criterion) {
    let xs = dispatch_values();
    let mul = Mul(MUL);
    let any = AnyOp::Mul(mul);
    let dyn_ref: &dyn Op = &mul;
    let boxed: Box<dyn Op> = Box::new(mul);
    let mut g = c.benchmark_group("one_type");
    g.bench_function(id("one_type", "mul", "generic"), |b| {
        b.iter(|| black_box(one_type_generic(black_box(&mul), black_box(&xs))))
    });
    g.bench_function(id("one_type", "mul", "enum_match"), |b| {
        b.iter(|| black_box(one_type_enum(black_box(&any), black_box(&xs))))
    });
    g.bench_function(id("one_type", "mul", "dyn_known"), |b| {
        b.iter(|| black_box(one_type_dyn_known(black_box(MUL), black_box(&xs))))
    });
    g.bench_function(id("one_type", "mul", "dyn_ref"), |b| {
        b.iter(|| black_box(one_type_dyn(black_box(dyn_ref), black_box(&xs))))
    });
    g.bench_function(id("one_type", "mul", "dyn_box"), |b| {
        b.iter(|| black_box(one_type_box(black_box(&boxed), black_box(&xs))))
    });
    g.finish();
}

fn mixed(c: &mut Criterion) {
    let xs = dispatch_values();
    let ops = mixed_ops();
    let boxed = to_boxed(&ops);
    let boxed_sorted = to_boxed(&mixed_ops_sorted());
    let arena = Arena::new(&ops);
    let refs = arena.refs();
    let grouped = Grouped::new(&ops, &xs);
    let mut g = c.benchmark_group("mixed");
    g.bench_function(id("mixed", "boxed", "random"), |b| {
        b.iter(|| black_box(mixed_box(black_box(&boxed), black_box(&xs))))
    });
    g.bench_function(id("mixed", "boxed", "sorted"), |b| {
        b.iter(|| black_box(mixed_box(black_box(&boxed_sorted), black_box(&xs))))
    });
    g.bench_function(id("mixed", "dyn_ref", "random"), |b| {
        b.iter(|| black_box(mixed_dyn(black_box(&refs), black_box(&xs))))
    });
    g.bench_function(id("mixed", "enum_match", "random"), |b| {
        b.iter(|| black_box(mixed_enum(black_box(&ops), black_box(&xs))))
    });
    g.bench_function(id("mixed", "grouped", "random"), |b| {
        b.iter(|| black_box(mixed_grouped(black_box(&grouped))))
    });
    // ANCHOR: orders16
    // A different order each iteration: the sequence of outcomes repeats only every
    // 16 × 4,096 items, where the `random` cases replay one order of 4,096.
    let orders = mixed_orders();
    let boxed_orders: Vec<Vec<Box<dyn Op>>> = orders.iter().map(|o| to_boxed(o)).collect();
    let arenas: Vec<Arena> = orders.iter().map(|o| Arena::new(o)).collect();
    let ref_orders: Vec<Vec<&dyn Op>> = arenas.iter().map(Arena::refs).collect();
    g.bench_function(id("mixed", "boxed", "orders16"), |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % boxed_orders.len();
            black_box(mixed_box(black_box(&boxed_orders[k]), black_box(&xs)))
        })
    });
    g.bench_function(id("mixed", "dyn_ref", "orders16"), |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % ref_orders.len();
            black_box(mixed_dyn(black_box(&ref_orders[k]), black_box(&xs)))
        })
    });
    g.bench_function(id("mixed", "enum_match", "orders16"), |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % orders.len();
            black_box(mixed_enum(black_box(&orders[k]), black_box(&xs)))
        })
    });
    // ANCHOR_END: orders16
    g.finish();
}

/// The directory this benchmark's build lives in (`<target>/release/deps/wall-*`): its
/// target directory is three levels up.
fn outer_target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the path of this benchmark");
    exe.ancestors()
        .nth(3)
        .expect("the benchmark runs from <target>/<profile>/deps")
        .to_path_buf()
}

// ANCHOR: lto_build
/// Builds `lto_demo` under `profile` into `target` and returns the program's path. A target
/// directory of its own, because the `cargo bench` that runs this holds the lock of its own.
fn build_lto_demo(profile: &str, target: &Path) -> PathBuf {
    build_lto_demo_with(profile, target, &mut Command::new(cargo()))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// [`build_lto_demo`] with `cmd`, a `cargo` command whose environment the caller has set.
fn build_lto_demo_with(profile: &str, target: &Path, cmd: &mut Command) -> PathBuf {
    let status = cmd
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "build", "--quiet", "--locked", "-p", "ch09", "--bin", "lto_demo",
        ])
        .args(["--profile", profile])
        .arg("--target-dir")
        .arg(target)
        .status()
        .expect("cannot start cargo");
    assert!(
        status.success(),
        "building lto_demo with --profile {profile} failed"
    );
    target.join(profile).join("lto_demo")
}
// ANCHOR_END: lto_build

// ANCHOR: cpu_build
/// Builds `lto_demo` in the release profile with `-C target-cpu=<cpu>` (none: the target's
/// own level) into a target directory of the level's own, so the levels never share a build.
/// The flags are passed in `CARGO_ENCODED_RUSTFLAGS`, which replaces any `RUSTFLAGS` of the
/// environment, so every level is built with exactly the flags it names.
fn build_for_cpu(level: &str, cpu: Option<&str>) -> PathBuf {
    let target = outer_target_dir().join(format!("ch09-cpu-{level}"));
    let flags = cpu.map(|c| format!("-Ctarget-cpu={c}")).unwrap_or_default();
    let mut cmd = Command::new(cargo());
    cmd.env("CARGO_ENCODED_RUSTFLAGS", flags)
        .env_remove("RUSTFLAGS");
    build_lto_demo_with("release", &target, &mut cmd)
}
// ANCHOR_END: cpu_build

/// The instructions callgrind counts in a run of `lto_demo run <case> <calls>`.
fn callgrind_total(program: &Path, case: &str, calls: usize) -> u64 {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(program)
        .args(["run", case, &calls.to_string()])
        .output()
        .expect("cannot start valgrind: install it (scripts/setup.sh bench) to count instructions");
    assert!(
        out.status.success(),
        "callgrind on {} failed",
        program.display()
    );
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .find_map(|l| {
            l.split_once("Collected :")
                .map(|(_, n)| n.trim().parse().ok())
        })
        .flatten()
        .unwrap_or_else(|| panic!("no `Collected :` line in callgrind's output:\n{err}"))
}

/// The LTO experiment, [`measure_lto`]; under criterion's `--list`, which measures nothing, its
/// cases are registered without their builds and runs.
fn lto(_: &mut Criterion) {
    // Listing measures nothing, and a later round repeats criterion's timings only (the
    // programs time themselves in `samples` runs of their own).
    if std::env::args().any(|a| a == "--list") || !benchkit::first_round() {
        for case in ch09::cases::all().iter().filter(|c| c.id.group == "lto") {
            let _ = benchkit::id(case);
        }
    } else {
        measure_lto();
    }
}

// ANCHOR: lto_measure
fn measure_lto() {
    let target = outer_target_dir().join("ch09-lto");
    for (profile, id) in LTO_PROFILES {
        let program = build_lto_demo(profile, &target);
        record_program(&program, "lto", id, true);
    }
}

/// Runs `program` (an `lto_demo`), which times its own loops, and records each loop as
/// `group/function/<loop>`, with its instructions per element when `count`.
fn record_program(program: &Path, group: &str, function: &str, count: bool) {
    let samples = match Mode::from_env() {
        Mode::Quick => 31,
        Mode::Full => 201,
    };
    let out = Command::new(program)
        .args(["time", &samples.to_string()])
        .output()
        .expect("cannot run lto_demo");
    assert!(out.status.success(), "{} failed", program.display());
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut parts = line.split_whitespace().skip(1);
        let (Some(case), Some(ns)) = (parts.next(), parts.next()) else {
            panic!("unexpected output of lto_demo: {line:?}")
        };
        let ns: f64 = ns.parse().expect("a time in ns");
        // Registered like a criterion benchmark, so that the harness's check of its case
        // list counts it; a loop the list does not name stops the run here.
        let entry = listed(group, function, case);
        let _ = benchkit::id(&entry);
        let mut metrics = vec![("ns_per_element", ns)];
        if count {
            // Instructions per element: two runs that differ only in the number of calls, so
            // that the program's start and end cancel out.
            let (few, many) = (1, 11);
            let diff = callgrind_total(program, case, many) - callgrind_total(program, case, few);
            metrics.push((
                "instructions_per_element",
                diff as f64 / ((many - few) * LTO_LEN) as f64,
            ));
        }
        benchkit::custom::record(&entry.id.to_string(), &metrics);
    }
}
// ANCHOR_END: lto_measure

/// The target-cpu experiment, [`measure_cpu`], registered like [`lto`].
fn target_cpu(_: &mut Criterion) {
    if std::env::args().any(|a| a == "--list") || !benchkit::first_round() {
        for case in ch09::cases::all().iter().filter(|c| c.id.group == "cpu") {
            if case.runs_here() {
                let _ = benchkit::id(case);
            }
        }
    } else {
        measure_cpu();
    }
}

// ANCHOR: cpu_measure
fn measure_cpu() {
    for (level, cpu, countable) in CPU_LEVELS {
        // A level this CPU cannot run (x86-64-v3 without AVX2) is not measured here.
        let runs = ch09::cases::all()
            .iter()
            .filter(|c| c.id.group == "cpu" && c.id.function == level)
            .all(|c| c.runs_here());
        if !runs {
            continue;
        }
        let program = build_for_cpu(level, cpu);
        record_program(&program, "cpu", level, countable);
    }
}
// ANCHOR_END: cpu_measure

benchkit::main!(
    cases = ch09::cases::all();
        targets = kernel, inlining, one_type, mixed, lto, target_cpu
);
