//! Wall-clock harness for chapter 04.
//!
//! Most of the chapter's numbers are not criterion estimates: they are latency percentiles of a
//! service under load, measured by the chapter's own load generator and recorded with
//! `benchkit::custom::record` under ids `group/function/case` whose case ends in the x value
//! (`load/open/u50`: 50% of the capacity). Those experiments run first, in the `load` target
//! below. The criterion groups after them time the deterministic parts that `instr.rs` counts:
//! summarising latencies with an HDR histogram or by sorting, recording one latency, and the
//! server's per-request work.

use std::hint::black_box;

use benchkit::Mode;
use benchkit::criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use benchkit::custom::record;
use ch04::cases::*;
use ch04::experiment::{capacity, load_point, tradeoff_point};
use ch04::loadgen::Loop;
use ch04::protocol::handle_all;
use ch04::stats::{hdr_percentiles, histogram, sort_percentiles};

// ANCHOR: load
/// The load experiments: capacity first, then every utilisation in an open and a closed
/// loop, then the batching trade-off. Each records its numbers as custom measurements.
fn load(_: &mut Criterion) {
    let mode = Mode::from_env();
    let cap = capacity(capacity_secs(mode)).expect("capacity run");
    let id = format!("capacity/closed/{}", clients_case(CAPACITY_CLIENTS));
    let rt = f64::from(u8::from(cap.realtime));
    record(
        &id,
        &[
            ("capacity_rps", cap.rps),
            ("service_ns", cap.service_ns),
            ("realtime", rt),
        ],
    );
    for u in UTILISATIONS {
        let open = load_point(&cap, u, Loop::Open, point_secs(mode)).expect("open-loop run");
        record(&format!("load/open/{}", util_case(u)), &open.metrics());
        let closed = Loop::Closed {
            clients: CO_CLIENTS,
        };
        let closed = load_point(&cap, u, closed, point_secs(mode)).expect("closed-loop run");
        record(&format!("load/closed/{}", util_case(u)), &closed.metrics());
    }
    for (name, batch_max) in [("one_at_a_time", 1), ("batched", BATCH_MAX)] {
        for n in TRADEOFF_CLIENTS {
            let p = tradeoff_point(batch_max, n, tradeoff_secs(mode)).expect("batching run");
            record(
                &format!("tradeoff/{name}/{}", clients_case(n)),
                &p.metrics(),
            );
        }
    }
}
// ANCHOR_END: load

fn summary(c: &mut Criterion) {
    let mut g = c.benchmark_group("summary");
    for n in SUMMARY_LENS {
        let values = latency_sample(n);
        let mut h = histogram();
        // ANCHOR: wall_summary
        g.bench_function(BenchmarkId::new("hdr", len_case(n)), |b| {
            b.iter(|| hdr_percentiles(black_box(&mut h), black_box(&values)))
        });
        let mut scratch = Vec::with_capacity(n);
        g.bench_function(BenchmarkId::new("sort", len_case(n)), |b| {
            b.iter(|| {
                scratch.clear();
                scratch.extend_from_slice(black_box(&values));
                sort_percentiles(black_box(&mut scratch))
            })
        });
        // ANCHOR_END: wall_summary
    }
    g.finish();
}

fn record_one(c: &mut Criterion) {
    let values = latency_sample(RECORD_LEN);
    let mut g = c.benchmark_group("record");
    let mut h = histogram();
    g.bench_function(BenchmarkId::new("into_hdr", len_case(RECORD_LEN)), |b| {
        b.iter(|| {
            for &v in black_box(&values) {
                h.saturating_record(v);
            }
        })
    });
    let mut v = Vec::with_capacity(RECORD_LEN);
    g.bench_function(BenchmarkId::new("into_vec", len_case(RECORD_LEN)), |b| {
        b.iter(|| {
            v.clear();
            for &x in black_box(&values) {
                v.push(x);
            }
            black_box(v.len())
        })
    });
    g.finish();
}

fn protocol(c: &mut Criterion) {
    let wire = request_frames();
    let mut out = Vec::with_capacity(wire.len());
    let mut g = c.benchmark_group("protocol");
    g.bench_function(BenchmarkId::new("handle", format!("frames{FRAMES}")), |b| {
        b.iter(|| {
            out.clear();
            black_box(handle_all(black_box(&wire), &mut out).expect("valid frames"))
        })
    });
    g.finish();
}

criterion_group! {
    name = ch04;
    config = benchkit::config();
    targets = load, summary, record_one, protocol
}
criterion_main!(ch04);
