//! Correctness of chapter 03: the workload against a simple model, folded stacks, the
//! callgrind report reader, the overhead arithmetic and the `perf_event_open` reader.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::Duration;

use ch03::callgrind::{FnCost, cost_of, listing, parse_annotation, thousands};
use ch03::folded::{Folded, frame_name};
use ch03::overhead::{Overhead, Source, cost_per_sample, max_rate_within, median};
use ch03::perf::{self, Event, OpenErrorKind, PerfEventAttr};
use ch03::workload::{self, RUN, Stats};
use proptest::prelude::*;

/// pprof has one profiler per process, and tests run in parallel threads.
static PROFILER: Mutex<()> = Mutex::new(());

/// The model: a sorted map filled line by line, printed the same way.
fn model(text: &str) -> String {
    let mut m: BTreeMap<&str, Stats> = BTreeMap::new();
    for line in text.lines() {
        let (name, v) = line.split_once(';').unwrap();
        let v: f64 = v.parse().unwrap();
        m.entry(name)
            .and_modify(|s| s.add(v))
            .or_insert_with(|| Stats::new(v));
    }
    let mut out = String::new();
    for (name, s) in m {
        writeln!(
            out,
            "{name}={:.1}/{:.1}/{:.1}",
            s.min,
            s.sum / s.count as f64,
            s.max
        )
        .unwrap();
    }
    out
}

proptest! {
    #[test]
    fn the_workload_matches_the_model(
        lines in prop::collection::vec(("[a-d]{1,3}", -999i32..=999), 0..200)
    ) {
        let mut text = String::new();
        for (name, tenths) in &lines {
            writeln!(text, "{name};{}", f64::from(*tenths) / 10.0).unwrap();
        }
        prop_assert_eq!(workload::run(&text), model(&text));
    }

    #[test]
    fn generated_input_matches_the_model(records in 0usize..500, stations in 1usize..50, seed: u64) {
        let text = workload::generate(records, stations, seed);
        prop_assert_eq!(text.lines().count(), records);
        prop_assert_eq!(workload::run(&text), model(&text));
    }

    #[test]
    fn folded_text_reads_back(
        stacks in prop::collection::vec(
            (prop::collection::vec("[a-z:<> ]{1,8}", 1..5), 1u64..100), 0..20)
    ) {
        let mut f = Folded::new();
        let mut total = 0;
        for (frames, count) in &stacks {
            f.add(frames, *count);
            total += count;
        }
        let text = f.to_text();
        for line in text.lines() {
            let (stack, count) = line.rsplit_once(' ').unwrap();
            prop_assert!(count.parse::<u64>().unwrap() > 0);
            prop_assert!(stack.split(';').all(|fr| !fr.trim().is_empty()));
        }
        let back = Folded::parse(&text).unwrap();
        prop_assert_eq!(back.total(), total);
        prop_assert_eq!(&back, &f);
    }
}

#[test]
fn the_phases_do_what_they_say() {
    let text = "b;1.5\na;-2.0\nb;0.5\n";
    let records = workload::parse(text);
    assert_eq!(records.len(), 3);
    assert_eq!(records[1].station, "a");
    assert_eq!(records[1].value, -2.0);
    let sorted = workload::sort(workload::aggregate(&records));
    assert_eq!(sorted.iter().map(|s| s.0).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(sorted[1].1.count, 2);
    assert_eq!(
        workload::format(&sorted),
        "a=-2.0/-2.0/-2.0\nb=0.5/1.0/1.5\n"
    );
    assert_eq!(workload::generate(100, 7, 1), workload::generate(100, 7, 1));
}

#[test]
fn folded_lines_are_frames_then_a_count() {
    let mut f = Folded::new();
    f.add(&["main", "run", "parse"], 3);
    f.add(&["main", "run", "parse"], 2);
    f.add(&["main", "run", "<T as core::fmt::Display>::fmt"], 1);
    f.add(&["main;x", "run"], 4);
    f.add::<&str>(&[], 9);
    f.add(&["main"], 0);
    assert_eq!(
        f.to_text(),
        "main:x;run 4\nmain;run;<T as core::fmt::Display>::fmt 1\nmain;run;parse 5\n"
    );
    assert_eq!(f.total(), 10);
    assert_eq!(f.len(), 3);
    assert_eq!(f.inclusive("run"), 10);
    assert_eq!(f.exclusive("parse"), 5);
    assert_eq!(f.inclusive("parse"), 5);
    assert!(Folded::parse("a;b 0\n").is_err());
    assert!(Folded::parse("a;b\n").is_err());
    assert!(Folded::parse("a;;b 1\n").is_err());
    assert_eq!(Folded::parse("a;b x\n").unwrap_err().line, 1);
    assert_eq!(
        frame_name("ch03::workload::parse::h0123456789abcdef"),
        "ch03::workload::parse"
    );
    assert_eq!(frame_name("core::fmt::h::write"), "core::fmt::h::write");
}

#[test]
fn a_real_profile_is_valid_folded_stacks() {
    let _one = PROFILER.lock().unwrap_or_else(|e| e.into_inner());
    let text = workload::generate(20_000, 500, 3);
    let p = ch03::sampler::profile(
        499,
        &ch03::sampler::BLOCKLIST,
        Duration::from_millis(500),
        workload::RUN,
        || {
            black_box(workload::run(black_box(&text)));
        },
    )
    .unwrap();
    assert!(p.samples > 0, "no sample in half a second of work");
    assert_eq!(p.folded.total() + p.outside, p.samples);
    let back = Folded::parse(&p.folded.to_text()).unwrap();
    assert_eq!(back.total(), p.folded.total());
    for line in p.folded.to_text().lines() {
        assert!(line.starts_with(workload::RUN), "{line}");
    }
    // At least one phase was seen by name.
    assert!(workload::PHASES.iter().any(|ph| p.folded.inclusive(ph) > 0));
}

#[test]
fn the_overhead_arithmetic() {
    assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    assert!(median(&mut []).is_nan());
    // A point of `hz` samples per second of the program's own work at `cost` seconds each:
    // the overhead is hz × cost, and the rate delivered per second of the longer profiled run
    // is lower by one plus the overhead.
    let p = |hz: f64, cost: f64| Overhead {
        requested_hz: hz as i32,
        overhead_pct: hz * cost * 100.0,
        delivered_hz: hz / (1.0 + hz * cost),
        samples: 0,
        rounds: 1,
    };
    // 20 µs per sample: 0.5% at 250 samples per second of work, 0.1% at 50.
    let c = cost_per_sample(&[p(50.0, 20e-6), p(250.0, 20e-6)]);
    assert!((c - 20e-6).abs() < 1e-12, "{c}");
    assert!((max_rate_within(1.0, c) - 500.0).abs() < 1e-6);
    // Where the overhead is large the correction matters: 40 µs at 10,000 samples per second
    // of work is a 40% overhead at about 7,143 samples per profiled second, whose plain ratio
    // would read 56 µs.
    let c = cost_per_sample(&[p(1_000.0, 40e-6), p(10_000.0, 40e-6)]);
    assert!((c - 40e-6).abs() < 1e-12, "{c}");
}

#[test]
fn overhead_runs_and_counts_samples() {
    let _one = PROFILER.lock().unwrap_or_else(|e| e.into_inner());
    let text = workload::generate(5_000, 100, 4);
    for source in [Source::Itimer, Source::Monotonic] {
        let o = ch03::overhead::measure(source, 997, 4, 20, || {
            black_box(workload::run(black_box(&text)));
        })
        .unwrap();
        assert_eq!(o.rounds, 4);
        assert!(o.overhead_pct.is_finite());
        assert!(o.samples > 0, "{source:?}: no sample");
        assert!(o.delivered_hz < 997.0 * 1.5, "{source:?}: {o:?}");
    }
    // The timer never paused, and the same signals to a handler that does nothing.
    let continuous = ch03::overhead::continuous(997, 80, || {
        black_box(workload::run(black_box(&text)));
    })
    .unwrap();
    assert!(continuous > 0.0 && continuous < 997.0 * 1.5, "{continuous}");
    let empty = ch03::overhead::measure_empty_handler(997, 4, 20, || {
        black_box(workload::run(black_box(&text)));
    });
    assert_eq!(empty.rounds, 4);
    assert!(empty.overhead_pct.is_finite());
    assert!(
        empty.samples > 0,
        "the empty handler saw no signal: {empty:?}"
    );
    // The profiler still works after the control took the signal over.
    let again = ch03::overhead::measure(Source::Itimer, 997, 4, 20, || {
        black_box(workload::run(black_box(&text)));
    })
    .unwrap();
    assert!(again.samples > 0, "no sample after the control: {again:?}");
}

const ANNOTATION: &str = "\
--------------------------------------------------------------------------------
Ir                
--------------------------------------------------------------------------------
1,000 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                file:function
--------------------------------------------------------------------------------
1,000 (100.0%)  /work/src/workload.rs:ch03::workload::run [/work/target/wall]
  600 (60.00%)  /work/src/workload.rs:ch03::workload::parse::h0123456789abcdef [/work/target/wall]
   50 ( 5.00%)  ???:<[T]>::sort_unstable_by [/work/target/wall]
";

#[test]
fn the_callgrind_report_is_read_and_trimmed() {
    let (total, fns) = parse_annotation(ANNOTATION);
    assert_eq!(total, 1000);
    assert_eq!(fns.len(), 3);
    assert_eq!(
        fns[2],
        FnCost {
            ir: 50,
            function: "<[T]>::sort_unstable_by".into(),
            file: "???".into()
        }
    );
    assert_eq!(cost_of(&fns, "ch03::workload::parse"), Some(600));
    assert_eq!(cost_of(&fns, "ch03::workload::format"), None);
    let l = listing(1000, &fns, &fns[1..2], 2);
    assert!(!l.contains("/work"), "{l}");
    assert_eq!(l.lines().count(), 3);
    assert!(l.contains("ch03::workload::parse (workload.rs)"), "{l}");
    assert_eq!(thousands(1234567), "1,234,567");
    assert_eq!(thousands(12), "12");
}

// ANCHOR: abi_test
#[test]
fn the_attr_has_the_kernels_size_and_layout() {
    assert_eq!(size_of::<PerfEventAttr>(), perf::PERF_ATTR_SIZE_VER8);
    assert_eq!(align_of::<PerfEventAttr>(), 8);
    assert_eq!(
        std::mem::offset_of!(PerfEventAttr, config1) + 8,
        perf::PERF_ATTR_SIZE_VER0
    );
    assert_eq!(
        std::mem::offset_of!(PerfEventAttr, sig_data) + 8,
        perf::PERF_ATTR_SIZE_VER7
    );
    assert_eq!(std::mem::offset_of!(PerfEventAttr, read_format), 32);
    assert_eq!(std::mem::offset_of!(PerfEventAttr, sample_regs_intr), 96);
    assert_eq!(
        Event::Instructions.attr(false).size as usize,
        size_of::<PerfEventAttr>()
    );
}
// ANCHOR_END: abi_test

#[test]
fn an_event_that_cannot_open_is_a_typed_error() {
    // Type 0x7fff_ffff names no PMU: the kernel answers ENOENT, never a counter.
    let attr = PerfEventAttr {
        type_: 0x7fff_ffff,
        ..Event::Instructions.attr(true)
    };
    let e = perf::open_attr(Event::Instructions, &attr).unwrap_err();
    assert_eq!(e.event, Event::Instructions);
    assert_ne!(e.kind, OpenErrorKind::Other, "{e}");
    assert!(e.to_string().starts_with("instructions "), "{e}");
    // Hardware events either open or fail with a reason; neither panics.
    for m in perf::measure(&Event::ALL[..4], || {}) {
        if let Err(e) = m.result {
            assert_eq!(e.event, m.event);
        }
    }
}

/// Whether this process may not use perf_event_open at all (`perf_event_paranoid` 3 or more,
/// as some distributions set it, and not root).
fn perf_forbidden() -> bool {
    let level: i32 = std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(2);
    // SAFETY: geteuid has no preconditions.
    level >= 3 && unsafe { libc::geteuid() } != 0
}

#[cfg(target_os = "linux")]
#[test]
fn software_events_open_and_count() {
    let measured = perf::measure(
        &[Event::TaskClock, Event::PageFaults, Event::ContextSwitches],
        || {
            // Touch fresh memory (page faults) and burn CPU (task clock).
            const LEN: usize = 4 << 20;
            // SAFETY: an anonymous private mapping with no address hint; checked below.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    LEN,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            assert_ne!(p, libc::MAP_FAILED);
            for i in (0..LEN).step_by(4096) {
                // SAFETY: `i < LEN`, inside the mapping, which is readable and writable.
                unsafe { p.cast::<u8>().add(i).write_volatile(1) };
            }
            // SAFETY: `p` is the mapping of LEN bytes made above, unmapped once.
            unsafe { libc::munmap(p, LEN) };
            let mut x = 0u64;
            for i in 0..2_000_000u64 {
                x = black_box(x.wrapping_mul(31).wrapping_add(i));
            }
            black_box(x);
        },
    );
    assert_eq!(measured.len(), 3);
    if perf_forbidden() {
        for m in &measured {
            assert_eq!(m.result.unwrap_err().kind, OpenErrorKind::Denied);
        }
        return;
    }
    let value = |e: Event| {
        measured
            .iter()
            .find(|m| m.event == e)
            .unwrap()
            .result
            .unwrap_or_else(|err| panic!("{err}"))
    };
    let clock = value(Event::TaskClock);
    assert!(clock.value > 100_000, "task clock {clock:?}");
    assert!(clock.enabled_ns > 0 && clock.running_ns > 0);
    // Transparent huge pages may map the buffer in a few 2 MiB faults rather than 4 KiB ones.
    assert!(value(Event::PageFaults).value > 0, "page faults");
    let text = perf::report(&measured, 1);
    assert_eq!(text.lines().count(), 4);
    assert!(text.contains("task-clock"));
}

#[test]
fn perf_scripts_fold_like_pprof_profiles() {
    use ch03::perf_record::parse_script;
    let text = "\
   1003009 
\t    55d0c1f0aa10 ch03::workload::parse::h0123456789abcdef+0x1c
\t    55d0c1f0bb20 ch03::workload::run+0x40
\t    55d0c1f0cc30 main+0x10

   1003009 
\t    55d0c1f0dd40 ch03::workload::sort+0x8
\t    55d0c1f0bb20 ch03::workload::run+0x50

   997000 
\t    7f0000000000 [unknown]
";
    let p = parse_script(text, "ch03::workload::run").unwrap();
    assert_eq!(p.samples, 3);
    assert_eq!(p.sampled_ns, 1_003_009 * 2 + 997_000);
    // The third sample is outside the root; the others fold from the root down.
    assert_eq!(p.folded.total(), 2);
    assert_eq!(p.folded.inclusive("ch03::workload::parse"), 1);
    assert_eq!(p.folded.inclusive("ch03::workload::sort"), 1);
    assert!(parse_script("not a period\n", "x").is_err());
    assert_eq!(p.child_cpu_ns, 0);
    assert_eq!(p.samples_per_cpu_second(), None);
    use ch03::perf_record::{CPU_LINE, parse_cpu_line};
    assert_eq!(
        parse_cpu_line(&format!("other\n{CPU_LINE}1234\n")),
        Some(1234)
    );
    assert_eq!(
        parse_cpu_line(&format!("test x ... {CPU_LINE}56\n")),
        Some(56)
    );
    assert_eq!(parse_cpu_line("nothing here\n"), None);
}

/// The program `perf_record_samples_the_workload_where_perf_runs` runs under perf: this test
/// binary again, running only this test, which runs the workload when asked to.
#[test]
#[ignore = "not a test: the program perf_record_samples_the_workload_where_perf_runs runs under perf"]
fn perf_child() {
    let text = workload::generate(5_000, 100, 4);
    ch03::perf_record::run_child(|| {
        black_box(workload::run(black_box(&text)));
    });
}

#[test]
fn perf_record_samples_the_workload_where_perf_runs() {
    if !ch03::perf_record::available() {
        eprintln!("perf is not installed here: scripts/setup.sh libs installs it");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe);
    child.args(["perf_child", "--exact", "--ignored", "--test-threads=1"]);
    let p = ch03::perf_record::record(997, Duration::from_millis(300), RUN, &mut child)
        .expect("perf record samples a child process");
    assert!(p.samples > 0 && p.folded.total() > 0, "{p:?}");
    assert!(p.folded.total() <= p.samples);
    // The child reported its CPU time: about the 300 ms it ran for (a busy loop; a shared
    // machine may take some of it away), and the rate follows from it.
    assert!(p.child_cpu_ns > 100_000_000, "{p:?}");
    assert!(p.samples_per_cpu_second().is_some_and(|r| r > 0.0));
    let phases: u64 = ch03::workload::PHASES
        .iter()
        .map(|f| p.folded.inclusive(f))
        .sum();
    assert!(phases > 0, "no sample in a phase: {}", p.folded.to_text());
}
