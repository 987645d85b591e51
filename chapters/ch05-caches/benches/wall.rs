//! Wall-clock harness (criterion) for chapter 05. Ids are `group/function/case`, the same as in
//! `instr.rs`, over the cases listed in `ch05::cases`.
//!
//! The latency ladder and the bandwidth sweep time one *iteration* as one dependent load or one
//! line read, so that criterion's time per iteration is the time per load or per line. Each
//! buffer is built once per case, outside the timed region, and each measurement takes many
//! thousands of steps.

use std::hint::black_box;
use std::time::{Duration, Instant};

use benchkit::criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use benchkit::{GroupSettings, apply};
use ch05::cases::{CHASE_SEED, TRANSPOSE_SIDES, WORKING_SETS_KIB, kib_case, lines_in, side_case};
use ch05::chase::{Ring, cyclic_permutation, filled_lines, read_lines};
use ch05::pages::{Pages, thp_policy};
use ch05::transpose::{Transpose, square};

// ANCHOR: settings
/// Per case: warm-up, measurement time and number of samples, in quick mode and in full mode
/// (`benchkit::apply` picks the pair for the current mode).
type Settings = GroupSettings;

/// The sweeps have many cases whose set-up takes longer than their measurement.
const SWEEP: Settings = [
    (Duration::from_millis(100), Duration::from_millis(250), 20),
    (Duration::from_millis(400), Duration::from_millis(1500), 50),
];

/// The transposes have few cases, but the largest takes a good fraction of a second per call,
/// so they are sampled flat (every sample one batch of equal size) and less often.
const TRANSPOSE: Settings = [
    (Duration::from_millis(200), Duration::from_millis(600), 10),
    (Duration::from_millis(500), Duration::from_secs(3), 30),
];

// ANCHOR_END: settings

/// Records the kernel's transparent-huge-page policy as three flags (one of them 1), so that
/// the page can show which policy the ladder ran under.
fn record_thp_policy() {
    if let Some(policy) = thp_policy() {
        let flag = |name: &str| if policy == name { 1.0 } else { 0.0 };
        benchkit::custom::record(
            "ladder/policy/thp",
            &[
                ("always", flag("always")),
                ("madvise", flag("madvise")),
                ("never", flag("never")),
            ],
        );
    }
}

// ANCHOR: ladder
fn ladder(c: &mut Criterion) {
    record_thp_policy();
    let mut g = c.benchmark_group("ladder");
    apply(&mut g, SWEEP);
    for kib in WORKING_SETS_KIB {
        let next = cyclic_permutation(lines_in(kib), CHASE_SEED);
        for pages in Pages::ALL {
            let ring = Ring::new(&next, pages);
            let id = BenchmarkId::new(pages.name(), kib_case(kib));
            if let Some(share) = ring.huge_share() {
                let full_id = format!("ladder/{}/{}", pages.name(), kib_case(kib));
                benchkit::custom::record(&full_id, &[("huge_pct", share)]);
            }
            // One iteration is one dependent load; the walk goes on where the last sample
            // stopped, so that no sample replays lines the previous one brought into cache.
            let mut at = 0;
            g.bench_function(id, |b| {
                b.iter_custom(|loads| {
                    let start = Instant::now();
                    at = ring.walk(black_box(at), loads);
                    start.elapsed()
                })
            });
        }
    }
    g.finish();
}
// ANCHOR_END: ladder

fn bandwidth(c: &mut Criterion) {
    let mut g = c.benchmark_group("bandwidth");
    apply(&mut g, SWEEP);
    for kib in WORKING_SETS_KIB {
        let buf = filled_lines(lines_in(kib), Pages::Huge);
        // One iteration is one 64-byte line read.
        g.bench_function(BenchmarkId::new("read", kib_case(kib)), |b| {
            b.iter_custom(|lines| {
                let start = Instant::now();
                black_box(read_lines(black_box(&buf), lines));
                start.elapsed()
            })
        });
    }
    g.finish();
}

fn transpose(c: &mut Criterion) {
    let mut g = c.benchmark_group("transpose");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, TRANSPOSE);
    for n in TRANSPOSE_SIDES {
        let (src, mut dst) = square(n);
        for t in Transpose::ALL {
            g.bench_function(BenchmarkId::new(t.name(), side_case(n)), |b| {
                b.iter(|| t.run(n, n, black_box(&src), black_box(&mut dst)))
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = ch05;
    config = benchkit::config();
    targets = ladder, bandwidth, transpose
}
criterion_main!(ch05);
