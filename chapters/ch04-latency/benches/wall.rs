//! Wall-clock harness for chapter 04, over the case list `ch04::cases::all`.
//!
//! Most of the chapter's numbers are not criterion estimates: they are latency percentiles of a
//! service under load, measured by benchkit's experiment runner and recorded as custom
//! measurements under ids `group/function/case`, each with the parameters the case list gives
//! it (`load/open/u50` has `util = 50`: 50% of the capacity). Those experiments run first, in the `load` target
//! below. The criterion groups after it time the deterministic parts that `instr.rs` counts:
//! summarising latencies with an HDR histogram or by sorting, recording one latency, and the
//! server's per-request work.

use std::hint::black_box;

use benchkit::criterion::Criterion;
use benchkit::runner::load::Loop;
use benchkit::runner::{Experiment, Run};
use benchkit::{Case, Mode};
use ch04::cases::*;
use ch04::experiment::{Capacity, capacity, load_point, tradeoff_point};
use ch04::protocol::handle_all;
use ch04::stats::{hdr_percentiles, histogram, sort_percentiles};

/// The cases of `group` that the wall-clock harness measures, in declaration order.
fn cases(group: &str) -> Vec<Case> {
    all()
        .into_iter()
        .filter(|c| c.id.group == group && c.harnesses.wall())
        .collect()
}

// ANCHOR: load
/// The load experiments, measured by benchkit's runner: the capacity first, then every
/// utilisation in an open and a closed loop, then the batching trade-off. Each point runs in
/// rounds that alternate its implementations, and each case's record holds the median of its
/// rounds' numbers, the latency distribution of all its rounds, and each round's median.
fn load(_: &mut Criterion) {
    // The runner repeats every point in its own rounds; a later round of the harness
    // repeats criterion's timings only.
    if benchkit::later_round(&["capacity", "load", "tradeoff"]) {
        return;
    }
    let mode = Mode::from_env();
    let list = all();
    let measured = Experiment::new("capacity", &list)
        .headline("capacity_rps")
        .implementation("closed", |run: &Run<'_>| {
            let secs = capacity_secs(mode) * run.share();
            capacity(run.case.usize("clients"), secs, run.seed(SEED))
        })
        .run();
    let cap = Capacity::of(&measured[0].record);
    let point = |run: &Run<'_>, mode_of_loop: Loop| {
        let util = run.case.get("util");
        let secs = point_secs(mode) * run.share();
        load_point(&cap, util, mode_of_loop, secs, run.seed(SEED ^ util as u64))
    };
    Experiment::new("load", &list)
        .implementation("open", |run: &Run<'_>| point(run, Loop::Open))
        .implementation("closed", |run: &Run<'_>| {
            let clients = run.case.usize("clients");
            point(run, Loop::Closed { clients })
        })
        .implementation("closed_many", |run: &Run<'_>| {
            let clients = run.case.usize("clients");
            point(run, Loop::Closed { clients })
        })
        .run();
    let batching = |run: &Run<'_>| {
        let secs = tradeoff_secs(mode) * run.share();
        tradeoff_point(run.case.usize("batch_max"), run.case.usize("clients"), secs)
    };
    Experiment::new("tradeoff", &list)
        .implementation("one_at_a_time", batching)
        .implementation("batched", batching)
        .run();
}
// ANCHOR_END: load

fn summary(c: &mut Criterion) {
    let mut g = c.benchmark_group("summary");
    for case in cases("summary") {
        let n = case.usize("n");
        let values = latency_sample(n);
        match case.id.function.as_str() {
            "hdr" => {
                let mut h = histogram();
                g.bench_function(benchkit::id(&case), |b| {
                    b.iter(|| hdr_percentiles(black_box(&mut h), black_box(&values)))
                });
            }
            "sort" => {
                let mut scratch = Vec::with_capacity(n);
                g.bench_function(benchkit::id(&case), |b| {
                    b.iter(|| {
                        scratch.clear();
                        scratch.extend_from_slice(black_box(&values));
                        sort_percentiles(black_box(&mut scratch))
                    })
                });
            }
            f => panic!("{}: no summary named {f}", case.id),
        }
    }
    g.finish();
}

fn record_one(c: &mut Criterion) {
    let mut g = c.benchmark_group("record");
    for case in cases("record") {
        let values = latency_sample(case.usize("n"));
        match case.id.function.as_str() {
            "into_hdr" => {
                let mut h = histogram();
                g.bench_function(benchkit::id(&case), |b| {
                    b.iter(|| {
                        for &v in black_box(&values) {
                            h.saturating_record(v);
                        }
                    })
                });
            }
            "into_vec" => {
                let mut v = Vec::with_capacity(values.len());
                g.bench_function(benchkit::id(&case), |b| {
                    b.iter(|| {
                        v.clear();
                        for &x in black_box(&values) {
                            v.push(x);
                        }
                        black_box(v.len())
                    })
                });
            }
            f => panic!("{}: no recording named {f}", case.id),
        }
    }
    g.finish();
}

fn protocol(c: &mut Criterion) {
    let mut g = c.benchmark_group("protocol");
    for case in cases("protocol") {
        assert_eq!(case.usize("frames"), FRAMES, "{}", case.id);
        let wire = request_frames();
        let mut out = Vec::with_capacity(wire.len());
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| {
                out.clear();
                black_box(handle_all(black_box(&wire), &mut out).expect("valid frames"))
            })
        });
    }
    g.finish();
}

/// The A/A control: the largest HDR summary under its twin's id, last in the run, so that the
/// pair differs only by how the run drifted between them.
fn aa(c: &mut Criterion) {
    let mut g = c.benchmark_group("aa");
    for case in cases("aa") {
        let values = latency_sample(case.usize("n"));
        let mut h = histogram();
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| hdr_percentiles(black_box(&mut h), black_box(&values)))
        });
    }
    g.finish();
}

benchkit::main!(cases = all(); targets = load, summary, record_one, protocol, aa);
