//! Wall-clock harness (criterion) for chapter 08. Every benchmark is registered from the case
//! list, `ch08::cases::all`, under the id `instr.rs` gives the same case. Inputs are built
//! before timing starts, and every input and result goes through `black_box`. Every group
//! declares the bytes one call reads (`Throughput::Bytes`), so that the pipeline can turn a time
//! into GB/s.
//!
//! The list gives this harness the intrinsics versions only for the levels this CPU runs
//! (cases that require a feature this CPU lacks are skipped): a machine without AVX-512 measures
//! no `.../avx512/...` id.

use std::hint::black_box;
use std::time::Duration;

use benchkit::criterion::measurement::WallTime;
use benchkit::criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use benchkit::{Case, GroupSettings, apply};
use ch08::accumulators;
use ch08::autovec::{
    add_raw_disjoint, add_raw_overlapping, add_slices, diff_sum_indexed, diff_sum_sliced, sum_u32,
};
use ch08::cases::*;
use ch08::ceiling::{copy, fma_peak};
use ch08::dot::{dot_auto, dot_scalar, dot_simd, dot_std};
use ch08::filter::{filter_scalar, filter_scalar_avx2, filter_simd};
use ch08::find::{find_auto, find_memchr, find_scalar, find_simd, find_std, find_unrolled};
use ch08::input::{Aligned, aligned_copy, haystack, random_f32s, random_u32s};
use ch08::isa::{Isa, feature_flags};
use ch08::loops::{
    col_sums_column_order, col_sums_row_order, col_sums_tiled, moments_fused, moments_two_pass,
};
use ch08::stream::read_best;
use ch08::sum::{
    sum_auto, sum_auto_avx2, sum_auto_dispatch, sum_auto_multiversion, sum_best, sum_scalar,
    sum_simd, sum_std,
};

/// Kernels on cache-resident data: microseconds per call, many calls per sample. Warm-up,
/// measurement time and samples in quick mode and in full mode (`benchkit::apply` picks the
/// pair for the current mode); longer measurements than `benchkit::SWEEP`'s.
const SMALL: GroupSettings = [
    (Duration::from_millis(100), Duration::from_millis(400), 20),
    (Duration::from_millis(500), Duration::from_millis(2000), 40),
];

/// Passes over buffers up to 1 GiB: one call can take a good part of a second, so samples
/// are flat (every sample the same number of calls) and fewer than `benchkit::BIG`'s.
const LARGE: GroupSettings = [
    (Duration::from_millis(50), Duration::from_millis(300), 10),
    (Duration::from_millis(200), Duration::from_millis(1200), 12),
];

/// The cases of `group/function` that the wall-clock harness measures, in declaration order.
fn cases(group: &str, function: &str) -> Vec<Case> {
    ch08::cases::all()
        .into_iter()
        .filter(|c| {
            c.id.group == group && c.id.function == function && c.harnesses.wall() && c.runs_here()
        })
        .collect()
}

/// The cases of `group` that the wall-clock harness measures, in declaration order.
fn group_cases(group: &str) -> Vec<Case> {
    ch08::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.harnesses.wall() && c.runs_here())
        .collect()
}

/// The level `name` (a part of a case's id) names, if it names one.
fn isa_named(name: &str) -> Option<Isa> {
    Isa::ALL.into_iter().find(|i| i.name() == name)
}

/// What `name` (a part of a case's id) stands for in `table`.
fn pick<T: Copy>(case: &Case, name: &str, table: &[(&str, T)]) -> T {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, t)| t)
        .unwrap_or_else(|| panic!("{}: nothing is called {name} here", case.id))
}

type SumFn = fn(&[f32]) -> f32;
type DotFn = fn(&[f32], &[f32]) -> f32;
type FindFn = fn(&[u8], u8) -> Option<usize>;
type MomentsFn = fn(&[f32]) -> (f32, f32);
type ColSumsFn = fn(&[u32], usize, &mut [u32]);

fn bytes_of<T>(n: usize) -> Throughput {
    Throughput::Bytes((n * size_of::<T>()) as u64)
}

/// Records which instruction sets the benchmarks could use on this CPU. The case goes through
/// `benchkit::id` as a criterion benchmark does, so that the harness's check of its case list
/// counts it.
fn record_features() {
    for case in cases("isa", "detect") {
        let _ = benchkit::id(&case);
        benchkit::custom::record(&case.id.to_string(), &feature_flags());
    }
}

/// Whether `case` has the parameter `name`.
fn has(case: &Case, name: &str) -> bool {
    case.params.iter().any(|(n, _)| n == name)
}

// ANCHOR: wall_sum
fn sum(c: &mut Criterion) {
    record_features();
    let x = random_f32s(L1_FLOATS, SEED);
    let mut g = c.benchmark_group("sum");
    apply(&mut g, SMALL);
    g.throughput(bytes_of::<f32>(x.len()));
    let plain: [(&str, SumFn); 3] = [("scalar", sum_scalar), ("std", sum_std), ("auto", sum_auto)];
    // The sums from a cache-line boundary; `sum_offset` registers the others.
    for case in group_cases("sum")
        .iter()
        .filter(|case| !has(case, "offset"))
    {
        let id = benchkit::id(case);
        if let Some(isa) = isa_named(&case.id.case) {
            g.bench_function(id, |b| b.iter(|| black_box(sum_simd(isa, black_box(&x)))));
        } else if case.id.case == "auto_avx2" {
            g.bench_function(id, |b| b.iter(|| black_box(sum_auto_avx2(black_box(&x)))));
        } else {
            let f = pick(case, &case.id.case, &plain);
            g.bench_function(id, |b| b.iter(|| black_box(f(black_box(&x)))));
        }
    }
    g.finish();
}
// ANCHOR_END: wall_sum

// ANCHOR: wall_sum_offset
/// The same floats again, starting 16 and 32 bytes past a cache-line boundary (two of the
/// places a 16-byte-aligned allocator can put them), for the two widest sums.
fn sum_offset(c: &mut Criterion) {
    let mut g = c.benchmark_group("sum");
    apply(&mut g, SMALL);
    g.throughput(bytes_of::<f32>(L1_FLOATS));
    let floats = random_f32s(L1_FLOATS, SEED);
    let shifted: Vec<Case> = group_cases("sum")
        .into_iter()
        .filter(|case| has(case, "offset"))
        .collect();
    for same in shifted.chunk_by(|a, b| a.get("offset") == b.get("offset")) {
        let skip = same[0].usize("offset") / size_of::<f32>();
        let buf = Aligned::from_fn(skip + L1_FLOATS, |i| {
            i.checked_sub(skip).map_or(0.0, |j| floats[j])
        });
        let x = &buf[skip..];
        for case in same {
            let isa = isa_named(&case.id.case).expect("an offset case names its level");
            g.bench_function(benchkit::id(case), |b| {
                b.iter(|| black_box(sum_simd(isa, black_box(x))))
            });
        }
    }
    g.finish();
}
// ANCHOR_END: wall_sum_offset

fn dot(c: &mut Criterion) {
    let a = random_f32s(DOT_FLOATS, SEED);
    let b2 = random_f32s(DOT_FLOATS, SEED + 1);
    let mut g = c.benchmark_group("dot");
    apply(&mut g, SMALL);
    g.throughput(bytes_of::<f32>(2 * DOT_FLOATS));
    let plain: [(&str, DotFn); 3] = [("scalar", dot_scalar), ("std", dot_std), ("auto", dot_auto)];
    for case in group_cases("dot") {
        let id = benchkit::id(&case);
        if let Some(isa) = isa_named(&case.id.case) {
            g.bench_function(id, |b| {
                b.iter(|| black_box(dot_simd(isa, black_box(&a), black_box(&b2))))
            });
        } else {
            let f = pick(&case, &case.id.case, &plain);
            g.bench_function(id, |b| {
                b.iter(|| black_box(f(black_box(&a), black_box(&b2))))
            });
        }
    }
    g.finish();
}

/// Registers the searches of `function` (`kib1024`, `aligned_kib1024`) over `hay`.
fn searches(g: &mut BenchmarkGroup<'_, WallTime>, function: &str, hay: &[u8]) {
    let plain: [(&str, FindFn); 5] = [
        ("scalar", find_scalar),
        ("std", find_std),
        ("unrolled", find_unrolled),
        ("auto", find_auto),
        ("memchr", find_memchr),
    ];
    for case in cases("find", function) {
        let id = benchkit::id(&case);
        if let Some(isa) = isa_named(&case.id.case) {
            g.bench_function(id, |b| {
                b.iter(|| black_box(find_simd(isa, black_box(hay), black_box(NEEDLE))))
            });
        } else {
            let f = pick(&case, &case.id.case, &plain);
            g.bench_function(id, |b| {
                b.iter(|| black_box(f(black_box(hay), black_box(NEEDLE))))
            });
        }
    }
}

fn find(c: &mut Criterion) {
    let hay = haystack(FIND_LEN, NEEDLE, SEED);
    let function = benchkit::bookproto::case_name("kib", (FIND_LEN / 1024) as f64);
    let mut g = c.benchmark_group("find");
    apply(&mut g, SMALL);
    g.throughput(bytes_of::<u8>(FIND_LEN));
    searches(&mut g, &function, &hay);
    // ANCHOR: aligned
    // The same bytes again, starting on a cache-line boundary instead of wherever the
    // allocator put them, for the widest searches and `memchr` (`find/aligned_kib1024/*`).
    let copy = aligned_copy(&hay);
    searches(&mut g, &format!("aligned_{function}"), &copy);
    // ANCHOR_END: aligned
    g.finish();
}

// ANCHOR: find_sizes
/// `memchr`, the standard library's search and the AVX2 search over haystacks from 16 bytes to
/// 1 MiB, each with its needle in the last byte and starting on a cache-line boundary.
fn find_sizes(c: &mut Criterion) {
    let mut g = c.benchmark_group("find_sizes");
    apply(&mut g, SMALL);
    for case in group_cases("find_sizes") {
        let n = case.usize("bytes");
        let hay = aligned_copy(&haystack(n, NEEDLE, SEED));
        g.throughput(bytes_of::<u8>(n));
        one_search(&mut g, &case, &hay);
    }
    g.finish();
}

/// Registers `case`, one of `memchr`, the standard library's search and the AVX2 search (its
/// function part names which), over `hay`.
fn one_search(g: &mut BenchmarkGroup<'_, WallTime>, case: &Case, hay: &[u8]) {
    let id = benchkit::id(case);
    match case.id.function.as_str() {
        "avx2" => g.bench_function(id, |b| {
            b.iter(|| black_box(find_simd(Isa::Avx2, black_box(hay), black_box(NEEDLE))))
        }),
        name => {
            let f = pick(
                case,
                name,
                &[("std", find_std as FindFn), ("memchr", find_memchr)],
            );
            g.bench_function(id, |b| {
                b.iter(|| black_box(f(black_box(hay), black_box(NEEDLE))))
            })
        }
    };
}
// ANCHOR_END: find_sizes

// ANCHOR: find_positions
/// The same three searches on one 64 KiB haystack whose first needle is at each of
/// `FIND_POSITIONS`; the throughput counts the bytes up to and including the needle.
fn find_positions(c: &mut Criterion) {
    let mut g = c.benchmark_group("find_positions");
    apply(&mut g, SMALL);
    for case in group_cases("find_positions") {
        let mut hay = aligned_copy(&haystack(FIND_POSITIONS_LEN, NEEDLE, SEED));
        hay[case.usize("at")] = NEEDLE;
        g.throughput(bytes_of::<u8>(case.usize("bytes")));
        one_search(&mut g, &case, &hay);
    }
    g.finish();
}
// ANCHOR_END: find_positions

fn filter(c: &mut Criterion) {
    let src = random_u32s(FILTER_LEN, SEED);
    let mut out = Aligned::from_fn(FILTER_LEN, |_| 0u32);
    let mut g = c.benchmark_group("filter");
    apply(&mut g, SMALL);
    g.throughput(bytes_of::<u32>(FILTER_LEN));
    for case in group_cases("filter") {
        let id = benchkit::id(&case);
        match (isa_named(&case.id.case), case.id.case.as_str()) {
            (Some(isa), _) => g.bench_function(id, |b| {
                b.iter(|| {
                    black_box(filter_simd(
                        isa,
                        black_box(&src),
                        FILTER_THRESHOLD,
                        &mut out,
                    ))
                })
            }),
            (None, "scalar") => g.bench_function(id, |b| {
                b.iter(|| black_box(filter_scalar(black_box(&src), FILTER_THRESHOLD, &mut out)))
            }),
            (None, "scalar_avx2") => g.bench_function(id, |b| {
                b.iter(|| {
                    black_box(filter_scalar_avx2(
                        black_box(&src),
                        FILTER_THRESHOLD,
                        &mut out,
                    ))
                })
            }),
            (None, other) => panic!("{}: no filter is called {other}", case.id),
        };
    }
    g.finish();
    black_box(&out);
}

// ANCHOR: wall_accumulators
fn accumulators(c: &mut Criterion) {
    let x = random_f32s(L1_FLOATS, SEED);
    let mut g = c.benchmark_group("accumulators");
    apply(&mut g, SMALL);
    g.throughput(bytes_of::<f32>(x.len()));
    for case in group_cases("accumulators") {
        let n = case.usize("accumulators");
        let id = benchkit::id(&case);
        match isa_named(&case.id.function) {
            Some(isa) => g.bench_function(id, |b| {
                b.iter(|| black_box(accumulators::sum_simd(isa, n, black_box(&x))))
            }),
            None => g.bench_function(id, |b| {
                b.iter(|| black_box(accumulators::sum_portable(n, black_box(&x))))
            }),
        };
    }
    g.finish();
}
// ANCHOR_END: wall_accumulators

fn autovec(c: &mut Criterion) {
    let n = AUTOVEC_LEN;
    let a = random_u32s(n, SEED);
    let b2 = random_u32s(n, SEED + 1);
    let mut f = random_f32s(2 * n, SEED);
    let mut g = c.benchmark_group("autovec");
    apply(&mut g, SMALL);
    for case in group_cases("autovec") {
        // `sum_u32` reads one array of n; the others read two (the add loops read two arrays of
        // n floats and write one).
        let arrays = if case.id.case == "sum_u32" { 1 } else { 2 };
        g.throughput(bytes_of::<u32>(arrays * n));
        let id = benchkit::id(&case);
        match case.id.case.as_str() {
            "sum_u32" => g.bench_function(id, |b| b.iter(|| black_box(sum_u32(black_box(&a))))),
            "diff_indexed" => g.bench_function(id, |b| {
                b.iter(|| {
                    black_box(diff_sum_indexed(
                        black_box(&a),
                        black_box(&b2),
                        black_box(n),
                    ))
                })
            }),
            "diff_sliced" => g.bench_function(id, |b| {
                b.iter(|| black_box(diff_sum_sliced(black_box(&a), black_box(&b2), black_box(n))))
            }),
            // The add loops change `f` in place, which keeps the work the same from call to
            // call (the values grow, the instructions do not).
            "add_slices" => g.bench_function(id, |b| {
                b.iter(|| {
                    let (lo, hi) = black_box(&mut f).split_at_mut(n);
                    add_slices(hi, lo);
                })
            }),
            "add_raw_disjoint" => {
                g.bench_function(id, |b| b.iter(|| add_raw_disjoint(black_box(&mut f))))
            }
            "add_raw_overlapping" => g.bench_function(id, |b| {
                b.iter(|| add_raw_overlapping(black_box(&mut f[..=n])))
            }),
            other => panic!("{}: no example is called {other}", case.id),
        };
    }
    g.finish();
    black_box(&f);
}

fn fusion(c: &mut Criterion) {
    let mut g = c.benchmark_group("fusion");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, LARGE);
    let ways: [(&str, MomentsFn); 2] = [("two_pass", moments_two_pass), ("fused", moments_fused)];
    // The list gives the cases size by size; both ways over one size read one array.
    for size in group_cases("fusion").chunk_by(|a, b| a.get("kib") == b.get("kib")) {
        let x = random_f32s(floats_in(size[0].usize("kib")), SEED);
        g.throughput(bytes_of::<f32>(x.len()));
        for case in size {
            let f = pick(case, &case.id.function, &ways);
            g.bench_function(benchkit::id(case), |b| {
                b.iter(|| black_box(f(black_box(&x))))
            });
        }
    }
    g.finish();
}

fn matrix(c: &mut Criterion) {
    let n = MATRIX_SIDE;
    let m = random_u32s(n * n, SEED);
    let mut out = vec![0u32; n];
    let mut g = c.benchmark_group("matrix");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, LARGE);
    g.throughput(bytes_of::<u32>(n * n));
    let ways: [(&str, ColSumsFn); 3] = [
        ("row_order", col_sums_row_order),
        ("column_order", col_sums_column_order),
        ("tiled", col_sums_tiled),
    ];
    for case in group_cases("matrix") {
        let f = pick(&case, &case.id.case, &ways);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| f(black_box(&m), n, black_box(&mut out)))
        });
    }
    g.finish();
    black_box(&out);
}

// ANCHOR: wall_bandwidth
fn bandwidth(c: &mut Criterion) {
    let mut g = c.benchmark_group("bandwidth");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, LARGE);
    // The list gives the cases size by size; the four passes over one size read one array.
    for size in group_cases("bandwidth").chunk_by(|a, b| a.get("kib") == b.get("kib")) {
        let x = random_f32s(floats_in(size[0].usize("kib")), SEED);
        g.throughput(bytes_of::<f32>(x.len()));
        for case in size {
            let id = benchkit::id(case);
            match case.id.function.as_str() {
                "read" => g.bench_function(id, |b| b.iter(|| black_box(read_best(black_box(&x))))),
                "scalar" => {
                    g.bench_function(id, |b| b.iter(|| black_box(sum_scalar(black_box(&x)))))
                }
                "auto" => g.bench_function(id, |b| b.iter(|| black_box(sum_auto(black_box(&x))))),
                "best" => g.bench_function(id, |b| b.iter(|| black_box(sum_best(black_box(&x))))),
                other => panic!("{}: no pass is called {other}", case.id),
            };
        }
    }
    g.finish();
}
// ANCHOR_END: wall_bandwidth

/// The A/A control: the auto-vectorised sum in L1 under its twin's id, on the same floats,
/// last in the run, so that the pair differs only by how the run drifted between them.
fn aa(c: &mut Criterion) {
    let x = random_f32s(L1_FLOATS, SEED);
    let mut g = c.benchmark_group("aa");
    apply(&mut g, SMALL);
    g.throughput(bytes_of::<f32>(x.len()));
    for case in group_cases("aa") {
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(sum_auto(black_box(&x))))
        });
    }
    g.finish();
}

// ANCHOR: wall_ceiling
/// The ceilings: register-only multiply-adds at each vector width, a read of the dot product's
/// 32 KiB, and a copy of the filter's 16 KiB.
fn ceiling(c: &mut Criterion) {
    let x = random_f32s(2 * DOT_FLOATS, SEED);
    let src = random_u32s(FILTER_LEN, SEED);
    let mut dst = Aligned::from_fn(FILTER_LEN, |_| 0u32);
    let mut g = c.benchmark_group("ceiling");
    apply(&mut g, SMALL);
    for case in group_cases("ceiling") {
        let id = benchkit::id(&case);
        match (case.id.function.as_str(), isa_named(&case.id.case)) {
            ("fma", Some(isa)) => {
                g.throughput(Throughput::Elements(case.usize("fmas") as u64));
                g.bench_function(id, |b| {
                    b.iter(|| {
                        black_box(fma_peak(
                            isa,
                            black_box(FMA_ITERS),
                            black_box(0.999),
                            black_box(0.5),
                        ))
                    })
                })
            }
            ("read", None) => {
                g.throughput(bytes_of::<f32>(x.len()));
                g.bench_function(id, |b| b.iter(|| black_box(read_best(black_box(&x)))))
            }
            ("copy", None) => {
                g.throughput(bytes_of::<u32>(src.len()));
                g.bench_function(id, |b| {
                    b.iter(|| {
                        copy(black_box(&src), black_box(&mut dst));
                    })
                })
            }
            _ => panic!("{}: no ceiling is called so", case.id),
        };
    }
    g.finish();
    black_box(&dst);
}
// ANCHOR_END: wall_ceiling

/// The shaped sum dispatched at run time by hand and by the `multiversion` crate.
fn dispatch(c: &mut Criterion) {
    let x = random_f32s(L1_FLOATS, SEED);
    let mut g = c.benchmark_group("dispatch");
    apply(&mut g, SMALL);
    g.throughput(bytes_of::<f32>(x.len()));
    let ways: [(&str, SumFn); 2] = [
        ("hand", sum_auto_dispatch),
        ("multiversion", sum_auto_multiversion),
    ];
    for case in group_cases("dispatch") {
        let f = pick(&case, &case.id.case, &ways);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(f(black_box(&x))))
        });
    }
    g.finish();
}

// ANCHOR: wall_c
/// The kernels compiled from C beside the Rust loops, each kernel in a group of its own over
/// the inputs of its Rust experiment.
fn c_kernels(c: &mut Criterion) {
    use ch08::c::{self as cc, Flavour};
    let flavour = |case: &Case, v: &str| -> Flavour {
        let name = v.replace("_lanes", "");
        *Flavour::ALL
            .iter()
            .find(|f| f.name() == name)
            .unwrap_or_else(|| panic!("{}: no C flavour is called {name}", case.id))
    };
    let x = random_f32s(L1_FLOATS, SEED);
    let (a, b) = (
        random_f32s(DOT_FLOATS, SEED),
        random_f32s(DOT_FLOATS, SEED + 1),
    );
    let hay = haystack(FIND_LEN, NEEDLE, SEED);
    let src = random_u32s(FILTER_LEN, SEED);
    let mut out = Aligned::from_fn(FILTER_LEN, |_| 0u32);
    let mut g = c.benchmark_group("c");
    apply(&mut g, SMALL);
    for case in group_cases("c") {
        let id = benchkit::id(&case);
        let v = case.id.case.as_str();
        match case.id.function.as_str() {
            "sum_kib16" => {
                g.throughput(bytes_of::<f32>(x.len()));
                match v {
                    "rust" => {
                        g.bench_function(id, |b| b.iter(|| black_box(sum_scalar(black_box(&x)))))
                    }
                    "rust_lanes" => {
                        g.bench_function(id, |b| b.iter(|| black_box(sum_auto(black_box(&x)))))
                    }
                    "rust_lanes_avx2" => {
                        g.bench_function(id, |b| b.iter(|| black_box(sum_auto_avx2(black_box(&x)))))
                    }
                    lanes if lanes.starts_with("c_lanes") => {
                        let f = flavour(&case, v);
                        g.bench_function(id, |b| {
                            b.iter(|| black_box(cc::sum_lanes(f, black_box(&x))))
                        })
                    }
                    _ => {
                        let f = flavour(&case, v);
                        g.bench_function(id, |b| {
                            b.iter(|| black_box(cc::sum_scalar(f, black_box(&x))))
                        })
                    }
                }
            }
            "dot_kib32" => {
                g.throughput(bytes_of::<f32>(2 * a.len()));
                if v == "rust" {
                    g.bench_function(id, |bch| {
                        bch.iter(|| black_box(dot_scalar(black_box(&a), black_box(&b))))
                    })
                } else {
                    let f = flavour(&case, v);
                    g.bench_function(id, |bch| {
                        bch.iter(|| black_box(cc::dot_scalar(f, black_box(&a), black_box(&b))))
                    })
                }
            }
            "find_kib1024" => {
                g.throughput(bytes_of::<u8>(hay.len()));
                if v == "rust" {
                    g.bench_function(id, |b| {
                        b.iter(|| black_box(find_scalar(black_box(&hay), black_box(NEEDLE))))
                    })
                } else {
                    let f = flavour(&case, v);
                    g.bench_function(id, |b| {
                        b.iter(|| black_box(cc::find_scalar(f, black_box(&hay), black_box(NEEDLE))))
                    })
                }
            }
            "filter_p50" => {
                g.throughput(bytes_of::<u32>(FILTER_LEN));
                match v {
                    "rust" => g.bench_function(id, |b| {
                        b.iter(|| {
                            black_box(filter_scalar(black_box(&src), FILTER_THRESHOLD, &mut out))
                        })
                    }),
                    "rust_avx2" => g.bench_function(id, |b| {
                        b.iter(|| {
                            black_box(filter_scalar_avx2(
                                black_box(&src),
                                FILTER_THRESHOLD,
                                &mut out,
                            ))
                        })
                    }),
                    _ => {
                        let f = flavour(&case, v);
                        g.bench_function(id, |b| {
                            b.iter(|| {
                                black_box(cc::filter_scalar(
                                    f,
                                    black_box(&src),
                                    FILTER_THRESHOLD,
                                    &mut out,
                                ))
                            })
                        })
                    }
                }
            }
            other => panic!("{}: no C experiment is called {other}", case.id),
        };
    }
    g.finish();
    black_box(&out);
}
// ANCHOR_END: wall_c

benchkit::main!(
    cases = ch08::cases::all();
            targets = sum, sum_offset, dot, find, find_sizes, find_positions, filter, accumulators, autovec, fusion, matrix, bandwidth, c_kernels, dispatch, ceiling, aa
);
