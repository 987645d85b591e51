//! Wall-clock harness (criterion) for chapter 03, and the chapter's profiles. Ids are
//! `group/function/case`, the same as in `instr.rs`, over the cases of `ch03::cases`.
//!
//! After criterion's benchmarks, the same binary
//! 1. runs a copy of itself under callgrind and stores `callgrind_annotate`'s report
//!    (artifact `callgrind.txt`);
//! 2. profiles the workload with pprof-rs and stores the folded stacks (`workload.folded`) and
//!    each phase's share of the samples and of the instructions;
//! 3. measures pprof's overhead against its frequency;
//! 4. counts the workload with `perf_event_open` (`counters.txt`).
//!
//! Started with `CH03_CALLGRIND_CHILD` set, it only runs the workload once, for step 1.

use std::hint::black_box;
use std::time::Duration;

use benchkit::criterion::{BenchmarkId, Criterion};
use benchkit::custom::{artifact, record};
use benchkit::{Mode, criterion};
use ch03::cases::*;
use ch03::overhead::Source;
use ch03::workload::{self, PHASE_NAMES, PHASES, RUN};
use ch03::{callgrind, overhead, perf, sampler};

fn phases(c: &mut Criterion, text: &str) {
    let records = workload::parse(text);
    let map = workload::aggregate(&records);
    let sorted = workload::sort(map.clone());
    let mut g = c.benchmark_group("phase");
    g.bench_function(BenchmarkId::new("parse", CASE), |b| {
        b.iter(|| black_box(workload::parse(black_box(text))))
    });
    g.bench_function(BenchmarkId::new("aggregate", CASE), |b| {
        b.iter(|| black_box(workload::aggregate(black_box(&records))))
    });
    g.bench_function(BenchmarkId::new("sort", CASE), |b| {
        b.iter_batched(
            || map.clone(),
            |m| black_box(workload::sort(black_box(m))),
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function(BenchmarkId::new("format", CASE), |b| {
        b.iter(|| black_box(workload::format(black_box(&sorted))))
    });
    g.finish();
    let mut g = c.benchmark_group("workload");
    g.bench_function(BenchmarkId::new("run", CASE), |b| {
        b.iter(|| black_box(workload::run(black_box(text))))
    });
    g.finish();
}

/// Step 1: the workload under callgrind. Returns each phase's inclusive instructions and the
/// whole run's.
fn callgrind_profile() -> ([u64; 4], u64) {
    assert!(
        callgrind::valgrind_available(),
        "chapter 03 runs its workload under callgrind: install valgrind (scripts/setup.sh bench)"
    );
    let exe = std::env::current_exe().expect("the bench binary's path");
    let out = std::env::temp_dir().join(format!("ch03-callgrind-{}.out", std::process::id()));
    callgrind::run(&exe, &out).expect("run the workload under callgrind");
    let inclusive = callgrind::parse_annotation(
        &callgrind::annotate(&out, true).expect("callgrind_annotate --inclusive=yes"),
    );
    let selfs = callgrind::parse_annotation(
        &callgrind::annotate(&out, false).expect("callgrind_annotate --inclusive=no"),
    );
    let _ = std::fs::remove_file(&out);
    let (_, fns) = &inclusive;
    let run = callgrind::cost_of(fns, RUN).expect("callgrind counted ch03::workload::run");
    let phases = PHASES.map(|p| callgrind::cost_of(fns, p).unwrap_or(0));
    let text = format!(
        "Instructions executed in one call of {RUN} ({RECORDS} readings, {STATIONS} stations): {}\n\n{}",
        callgrind::thousands(run),
        callgrind::listing(run, fns, &selfs.1, 24)
    );
    artifact("callgrind.txt", &text);
    (phases, run)
}

/// Step 2: the profile drawn as a flame graph, and each phase's share of its samples.
fn sampled_profile(text: &str, mode: Mode, ir: ([u64; 4], u64)) {
    let duration = match mode {
        Mode::Quick => Duration::from_secs(3),
        Mode::Full => Duration::from_secs(10),
    };
    let work = || {
        black_box(workload::run(black_box(text)));
    };
    // ANCHOR: flame
    let p =
        sampler::profile(FLAME_HZ, &sampler::BLOCKLIST, duration, RUN, work).expect("start pprof");
    artifact("workload.folded", &p.folded.to_text());
    // ANCHOR_END: flame
    let inside = p.folded.total();
    record(
        &format!("workload/run/{CASE}"),
        &[
            ("samples", inside as f64),
            ("outside_samples", p.outside as f64),
            ("samples_per_s", p.samples_per_cpu_second()),
            ("ir", ir.1 as f64),
        ],
    );
    for (i, (name, frame)) in PHASE_NAMES.iter().zip(PHASES).enumerate() {
        let n = p.folded.inclusive(frame);
        record(
            &format!("phase/{name}/{CASE}"),
            &[
                ("samples", n as f64),
                ("sample_pct", 100.0 * n as f64 / inside as f64),
                ("ir_pct", 100.0 * ir.0[i] as f64 / ir.1 as f64),
            ],
        );
    }
}

/// Step 3: overhead against frequency, and the rate a 1% budget allows.
fn overhead_curve(text: &str, mode: Mode) {
    let rounds = match mode {
        Mode::Quick => 60,
        Mode::Full => 200,
    };
    let mut work = || {
        black_box(workload::run(black_box(text)));
    };
    let shortfall =
        overhead::process_clock_shortfall(49, rounds / 4, &mut work).expect("start pprof");
    record("clock/process/armed", &[("shortfall_pct", shortfall)]);
    let calls = overhead::calls_for(Duration::from_millis(20), &mut work);
    let mut points = Vec::new();
    for hz in OVERHEAD_HZ {
        let o =
            overhead::measure(Source::Itimer, hz, rounds, calls, &mut work).expect("start pprof");
        record(
            &format!("overhead/pprof/hz{hz}"),
            &[
                ("overhead_pct", o.overhead_pct),
                ("samples_per_s", o.delivered_hz),
                ("samples", o.samples as f64),
            ],
        );
        points.push(o);
    }
    for hz in DRIVEN_HZ {
        let o = overhead::measure(Source::Monotonic, hz, rounds, calls, &mut work)
            .expect("start pprof");
        record(
            &format!("overhead/hrtimer/hz{hz}"),
            &[
                ("overhead_pct", o.overhead_pct),
                ("samples_per_s", o.delivered_hz),
                ("samples", o.samples as f64),
            ],
        );
        points.push(o);
    }
    let cost = overhead::cost_per_sample(&points);
    record(
        "overhead/budget/pct1",
        &[
            ("cost_per_sample_ns", cost * 1e9),
            (
                "max_hz",
                overhead::max_rate_within(BUDGET_PCT, cost.max(1e-9)),
            ),
        ],
    );
}

/// Step 4: the workload under `perf_event_open` counters.
fn counters(text: &str, run_ir: u64) {
    const RUNS: u64 = 20;
    // ANCHOR: counters
    let measured = perf::measure(&perf::Event::ALL, || {
        for _ in 0..RUNS {
            black_box(workload::run(black_box(text)));
        }
    });
    // ANCHOR_END: counters
    let opened = |hw: bool| {
        measured
            .iter()
            .filter(|m| m.event.is_hardware() == hw && m.result.is_ok())
            .count() as f64
    };
    record(
        "counters/perf/workload",
        &[("hw_opened", opened(true)), ("sw_opened", opened(false))],
    );
    let mut report = format!(
        "perf_event_open around {RUNS} calls of {RUN}; counts per call\n\n{}",
        perf::report(&measured, RUNS)
    );
    if measured
        .iter()
        .any(|m| m.event == perf::Event::Instructions && m.result.is_err())
    {
        report.push_str(&format!(
            "\ninstructions per call, counted by callgrind instead: {}\n",
            callgrind::thousands(run_ir)
        ));
    }
    report.push_str(&perf_stat());
    artifact("counters.txt", &report);
}

/// The peer: `perf stat` on a copy of this binary that runs the workload once (after building
/// its input, which `perf stat` counts too). Its CSV lines, or why there are none.
fn perf_stat() -> String {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let events =
        "instructions,cycles,cache-misses,branch-misses,task-clock,page-faults,context-switches";
    // ANCHOR: perf_stat
    let out = std::process::Command::new("perf")
        .args(["stat", "-x", ",", "-e", events, "--"])
        .arg(&exe)
        .env(callgrind::CHILD_ENV, "1")
        .output();
    // ANCHOR_END: perf_stat
    let mut text = String::from(
        "\nperf stat -x, -e <the same events> on one call, input generation included\n(value,unit,event,...):\n\n",
    );
    match out {
        Ok(o) => {
            for line in String::from_utf8_lossy(&o.stderr).lines() {
                let fields: Vec<&str> = line.split(',').collect();
                if fields.len() >= 3 {
                    text.push_str(&format!("{},{},{}\n", fields[0], fields[1], fields[2]));
                }
            }
        }
        Err(e) => text.push_str(&format!("perf could not be started: {e}\n")),
    }
    text
}

fn main() {
    if std::env::var_os(callgrind::CHILD_ENV).is_some() {
        // The copy of this binary that runs under callgrind: one call, counted by callgrind.
        let text = input();
        black_box(workload::run(black_box(&text)));
        return;
    }
    let mode = Mode::from_env();
    let text = input();
    let mut c = benchkit::config();
    phases(&mut c, &text);
    c.final_summary();
    let ir = callgrind_profile();
    sampled_profile(&text, mode, ir);
    overhead_curve(&text, mode);
    counters(&text, ir.1);
}
