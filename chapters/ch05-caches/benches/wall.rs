//! Wall-clock harness (criterion) for chapter 05. Every benchmark is registered from the case
//! list, `ch05::cases::all`, under the id `instr.rs` gives the cases it shares.
//!
//! The latency ladder and the bandwidth sweep time one *iteration* as one dependent load or one
//! line read, so that criterion's time per iteration is the time per load or per line. Each
//! buffer is built once per case, outside the timed region, and each measurement takes many
//! thousands of steps.

use std::hint::black_box;
use std::time::Instant;

use benchkit::criterion::{Criterion, SamplingMode};
use benchkit::{BIG, Case, SWEEP, apply};
use ch05::cases::{CHASE_SEED, STRIDE_KIB, lines_in};
use ch05::chase::{
    LINES_PER_PAGE, Ring, cyclic_permutation, filled_lines, one_line_per_page, page_by_page,
    read_lines, sum_strided,
};
use ch05::pages::{ALL_PAGES, Pages, pages_name, thp_policy};
use ch05::transpose::{Transpose, square};

// ANCHOR: settings
// Each group's warm-up, measurement time and number of samples, in quick mode and in full mode,
// come from one of benchkit's presets (`benchkit::apply` picks the pair for the current mode).
// The ladder and the bandwidth sweep have many cases whose set-up takes longer than their
// measurement: `benchkit::SWEEP`. The transposes have few cases, but the largest takes a good
// fraction of a second per call, so they are sampled flat (every sample one batch of equal
// size) and less often: `benchkit::BIG`.
// ANCHOR_END: settings

/// The cases of `group` that the wall-clock harness measures, in declaration order.
fn cases(group: &str) -> Vec<Case> {
    ch05::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.harnesses.wall())
        .collect()
}

/// The case `group/function/case` of the chapter's list.
fn listed(group: &str, function: &str, case: &str) -> Case {
    let id = benchkit::Id::new(group, function, case);
    ch05::cases::all()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the chapter's case list"))
}

/// The pages a `ladder` case's function names.
fn pages(case: &Case) -> Pages {
    ALL_PAGES
        .into_iter()
        .find(|p| pages_name(*p) == case.id.function)
        .unwrap_or_else(|| panic!("{} names no pages", case.id))
}

/// The version a `transpose` case's function names.
fn version(case: &Case) -> Transpose {
    Transpose::ALL
        .into_iter()
        .find(|t| t.name() == case.id.function)
        .unwrap_or_else(|| panic!("{} names no transpose", case.id))
}

/// Records the kernel's transparent-huge-page policy as three flags (one of them 1), so that
/// the page can show which policy the ladder ran under.
fn record_thp_policy() {
    // Registered like a criterion benchmark, so that the harness's check of its case list
    // counts it, also where the kernel has no such policy to record.
    let case = listed("ladder", "policy", "thp");
    let _ = benchkit::id(&case);
    if let Some(policy) = thp_policy() {
        let flag = |name: &str| if policy == name { 1.0 } else { 0.0 };
        benchkit::custom::record(
            &case.id.to_string(),
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
    let walks: Vec<Case> = cases("ladder")
        .into_iter()
        .filter(|case| case.id.function != "policy")
        .collect();
    // The list gives the cases size by size; both kinds of pages of one size walk one cycle.
    for size in walks.chunk_by(|a, b| a.get("kib") == b.get("kib")) {
        let next = cyclic_permutation(lines_in(size[0].usize("kib")), CHASE_SEED);
        for case in size {
            let ring = Ring::new(&next, pages(case));
            if let Some(share) = ring.huge_share() {
                benchkit::custom::record(&case.id.to_string(), &[("huge_pct", share)]);
            }
            // One iteration is one dependent load; the walk goes on where the last sample
            // stopped, so that no sample replays lines the previous one brought into cache.
            let mut at = 0;
            g.bench_function(benchkit::id(case), |b| {
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

// ANCHOR: tlb
/// The TLB experiment: dependent loads over base pages, with one line per page (`sparse`),
/// the same number of lines packed together (`dense`), and every line of a buffer page by
/// page (`grouped`).
fn tlb(c: &mut Criterion) {
    let mut g = c.benchmark_group("tlb");
    apply(&mut g, SWEEP);
    for case in cases("tlb") {
        let ring = match case.id.function.as_str() {
            "sparse" => {
                let pages = case.usize("pages");
                let order = one_line_per_page(pages, CHASE_SEED);
                Ring::with_order(pages * LINES_PER_PAGE, &order, Pages::Base)
            }
            "dense" => Ring::new(
                &cyclic_permutation(case.usize("pages"), CHASE_SEED),
                Pages::Base,
            ),
            "grouped" => {
                let pages = lines_in(case.usize("kib")) / LINES_PER_PAGE;
                let order = page_by_page(pages, CHASE_SEED);
                Ring::with_order(pages * LINES_PER_PAGE, &order, Pages::Base)
            }
            other => panic!("{} names no TLB walk `{other}`", case.id),
        };
        let mut at = 0;
        g.bench_function(benchkit::id(&case), |b| {
            b.iter_custom(|loads| {
                let start = Instant::now();
                at = ring.walk(black_box(at), loads);
                start.elapsed()
            })
        });
    }
    g.finish();
}
// ANCHOR_END: tlb

/// The sequential reads of `group`'s cases, one 64-byte line per iteration.
fn reads(c: &mut Criterion, group: &str) {
    let mut g = c.benchmark_group(group);
    apply(&mut g, SWEEP);
    for case in cases(group) {
        let buf = filled_lines(lines_in(case.usize("kib")), Pages::Huge);
        // One iteration is one 64-byte line read.
        g.bench_function(benchkit::id(&case), |b| {
            b.iter_custom(|lines| {
                let start = Instant::now();
                black_box(read_lines(black_box(&buf), lines));
                start.elapsed()
            })
        });
    }
    g.finish();
}

fn bandwidth(c: &mut Criterion) {
    reads(c, "bandwidth");
}

// ANCHOR: stride
/// The line-size experiment: one word every `stride` bytes of a 1 GiB buffer, one iteration per
/// word, each sample continuing where the previous one stopped.
fn stride(c: &mut Criterion) {
    let mut g = c.benchmark_group("stride");
    apply(&mut g, SWEEP);
    let buf = filled_lines(lines_in(STRIDE_KIB), Pages::Huge);
    for case in cases("stride") {
        let stride = case.usize("stride");
        let mut at = 0;
        g.bench_function(benchkit::id(&case), |b| {
            b.iter_custom(|words| {
                let start = Instant::now();
                let (sum, next) = sum_strided(black_box(&buf), stride, at, words);
                let elapsed = start.elapsed();
                black_box(sum);
                at = next;
                elapsed
            })
        });
    }
    g.finish();
}
// ANCHOR_END: stride

fn transpose(c: &mut Criterion) {
    let mut g = c.benchmark_group("transpose");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, BIG);
    // The list gives the cases side by side; every version of one side uses one pair of
    // matrices.
    for side in cases("transpose").chunk_by(|a, b| a.get("side") == b.get("side")) {
        let n = side[0].usize("side");
        let (src, mut dst) = square(n);
        for case in side {
            let t = version(case);
            g.bench_function(benchkit::id(case), |b| {
                b.iter(|| t.run(n, n, black_box(&src), black_box(&mut dst)))
            });
        }
    }
    g.finish();
}

/// The A/A control: the 64 MiB read under its twin's id, last in the run, so that the pair
/// differs only by how the run drifted between them.
fn aa(c: &mut Criterion) {
    reads(c, "aa");
}

benchkit::main!(cases = ch05::cases::all(); targets = ladder, bandwidth, tlb, stride, transpose, aa);
