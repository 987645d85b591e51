//! Wall-clock harness (criterion) for chapter 03, and the chapter's profiles. Every benchmark
//! and every custom measurement is registered from the case list, `ch03::cases::all`, under the
//! id `instr.rs` gives the same case.
//!
//! After criterion's benchmarks, the same binary
//! 1. runs a copy of itself under callgrind and stores `callgrind_annotate`'s report
//!    (artifact `callgrind.txt`);
//! 2. profiles the workload with pprof-rs and stores the folded stacks (`workload.folded`) and
//!    each phase's share of the samples and of the instructions;
//! 3. measures pprof's overhead against its frequency;
//! 4. counts the workload with `perf_event_open` (`counters.txt`).
//!
//! Started with `CH03_CALLGRIND_CHILD` set, it only runs the workload once, for step 1. Asked
//! for criterion's `--list`, it lists criterion's benchmarks and skips steps 1 to 4, which
//! measure as they go.

use std::hint::black_box;
use std::time::Duration;

use benchkit::criterion::{BenchmarkId, Criterion};
use benchkit::custom::{artifact, record};
use benchkit::{Case, Mode, criterion};
use ch03::cases::{CASE, FLAME_HZ, RECORDS, STATIONS, input};
use ch03::overhead::Source;
use ch03::workload::{self, PHASE_NAMES, PHASES, RUN};
use ch03::{callgrind, overhead, perf, perf_record, sampler};

/// The cases of `group/function` that the wall-clock harness measures, in declaration order.
fn cases(group: &str, function: &str) -> Vec<Case> {
    ch03::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.id.function == function && c.harnesses.wall())
        .collect()
}

/// The case `group/function/case` of the chapter's list.
fn listed(group: &str, function: &str, case: &str) -> Case {
    let id = benchkit::Id::new(group, function, case);
    ch03::cases::all()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the chapter's case list"))
}

/// Criterion's id for the listed case `group/function/case` ([`benchkit::id`]).
fn id(group: &str, function: &str, case: &str) -> BenchmarkId {
    benchkit::id(&listed(group, function, case))
}

/// Records `metrics` for `case`, which goes through [`benchkit::id`] as a criterion benchmark
/// does: the harness's check of its case list then counts a custom-only case as registered.
fn record_case(case: &Case, metrics: &[(&str, f64)]) {
    let _ = benchkit::id(case);
    record(&case.id.to_string(), metrics);
}

/// The requested frequency of an `overhead` case, in hertz.
fn hz(case: &Case) -> i32 {
    i32::try_from(case.usize("hz")).expect("a frequency fits an i32")
}

fn phases(c: &mut Criterion, text: &str) {
    let records = workload::parse(text);
    let map = workload::aggregate(&records);
    let sorted = workload::sort(map.clone());
    let mut g = c.benchmark_group("phase");
    g.bench_function(id("phase", "parse", CASE), |b| {
        b.iter(|| black_box(workload::parse(black_box(text))))
    });
    g.bench_function(id("phase", "aggregate", CASE), |b| {
        b.iter(|| black_box(workload::aggregate(black_box(&records))))
    });
    g.bench_function(id("phase", "sort", CASE), |b| {
        b.iter_batched(
            || map.clone(),
            |m| black_box(workload::sort(black_box(m))),
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function(id("phase", "format", CASE), |b| {
        b.iter(|| black_box(workload::format(black_box(&sorted))))
    });
    g.finish();
    let mut g = c.benchmark_group("workload");
    g.bench_function(id("workload", "run", CASE), |b| {
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
    record_case(
        &listed("workload", "run", CASE),
        &[
            ("samples", inside as f64),
            ("outside_samples", p.outside as f64),
            ("samples_per_s", p.samples_per_cpu_second()),
            ("ir", ir.1 as f64),
        ],
    );
    for (i, (name, frame)) in PHASE_NAMES.iter().zip(PHASES).enumerate() {
        let n = p.folded.inclusive(frame);
        record_case(
            &listed("phase", name, CASE),
            &[
                ("samples", n as f64),
                ("sample_pct", 100.0 * n as f64 / inside as f64),
                ("ir_pct", 100.0 * ir.0[i] as f64 / ir.1 as f64),
            ],
        );
    }
}

// ANCHOR: perf_profile
/// Step 2b: the same workload under `perf record -e cpu-clock` at the flame graph's rate, in a
/// copy of this binary, and each phase's share of its samples. Where perf does not run, the record says so and holds
/// nothing else.
fn perf_profile(mode: Mode) {
    let case = listed("profile", "perf", "cpu_clock");
    let duration = match mode {
        Mode::Quick => Duration::from_secs(3),
        Mode::Full => Duration::from_secs(10),
    };
    let hz = u32::try_from(FLAME_HZ).expect("a positive rate");
    let exe = std::env::current_exe().expect("the bench binary's path");
    let got = if perf_record::available() {
        perf_record::record(hz, duration, RUN, &mut std::process::Command::new(exe)).ok()
    } else {
        None
    };
    let Some(p) = got else {
        record_case(&case, &[("available", 0.0)]);
        return;
    };
    artifact("workload-perf.folded", &p.folded.to_text());
    let inside = p.folded.total().max(1) as f64;
    let mut metrics = vec![
        ("available".to_string(), 1.0),
        ("samples".to_string(), p.folded.total() as f64),
        ("all_samples".to_string(), p.samples as f64),
    ];
    if let Some(rate) = p.samples_per_cpu_second() {
        metrics.push(("samples_per_s".to_string(), rate));
    }
    for (name, frame) in PHASE_NAMES.iter().zip(PHASES) {
        metrics.push((
            format!("{name}_pct"),
            100.0 * p.folded.inclusive(frame) as f64 / inside,
        ));
    }
    let refs: Vec<(&str, f64)> = metrics.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    record_case(&case, &refs);
}
// ANCHOR_END: perf_profile

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
    record_case(
        &listed("clock", "process", "armed"),
        &[("shortfall_pct", shortfall)],
    );
    let calls = overhead::calls_for(Duration::from_millis(20), &mut work);
    let mut points = Vec::new();
    for case in cases("overhead", "pprof") {
        let o = overhead::measure(Source::Itimer, hz(&case), rounds, calls, &mut work)
            .expect("start pprof");
        // The same CPU time again with the timer never paused.
        let continuous =
            overhead::continuous(hz(&case), rounds * calls, &mut work).expect("start pprof");
        record_case(
            &case,
            &[
                ("overhead_pct", o.overhead_pct),
                ("samples_per_s", o.delivered_hz),
                ("samples", o.samples as f64),
                ("continuous_samples_per_s", continuous),
            ],
        );
        points.push(o);
    }
    for case in cases("overhead", "hrtimer") {
        let o = overhead::measure(Source::Monotonic, hz(&case), rounds, calls, &mut work)
            .expect("start pprof");
        record_case(
            &case,
            &[
                ("overhead_pct", o.overhead_pct),
                ("samples_per_s", o.delivered_hz),
                ("samples", o.samples as f64),
            ],
        );
        points.push(o);
    }
    let mut bare = Vec::new();
    for case in cases("overhead", "empty") {
        let o = overhead::measure_empty_handler(hz(&case), rounds, calls, &mut work);
        record_case(
            &case,
            &[
                ("overhead_pct", o.overhead_pct),
                ("samples_per_s", o.delivered_hz),
                ("samples", o.samples as f64),
            ],
        );
        bare.push(o);
    }
    let cost = overhead::cost_per_sample(&points);
    let cost_bare = overhead::cost_per_sample(&bare);
    for case in cases("overhead", "budget") {
        let budget_pct = case.get("budget_pct");
        record_case(
            &case,
            &[
                ("cost_per_sample_ns", cost * 1e9),
                ("cost_per_signal_ns", cost_bare * 1e9),
                (
                    "max_hz",
                    overhead::max_rate_within(budget_pct, cost.max(1e-9)),
                ),
            ],
        );
    }
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
    record_case(
        &listed("counters", "perf", "workload"),
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
    // The copy of this binary that runs under perf record: the workload for as long as asked.
    let text = input();
    if perf_record::run_child(|| {
        black_box(workload::run(black_box(&text)));
    }) {
        return;
    }
    // Not `benchkit::main!`: the profiles follow criterion's benchmarks in the same process.
    benchkit::start(ch03::cases::all());
    let mode = Mode::from_env();
    let mut c = benchkit::config();
    phases(&mut c, &text);
    c.final_summary();
    if std::env::args().any(|a| a == "--list") || !benchkit::first_round() {
        // Listing measures nothing, and a later round repeats criterion's timings only: the
        // custom cases are registered without their steps.
        for case in ch03::cases::custom() {
            let _ = benchkit::id(&case);
        }
    } else {
        let ir = callgrind_profile();
        sampled_profile(&text, mode, ir);
        perf_profile(mode);
        overhead_curve(&text, mode);
        counters(&text, ir.1);
    }
    benchkit::finish();
}
