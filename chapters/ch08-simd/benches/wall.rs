//! Wall-clock harness (criterion) for chapter 08. Ids are `group/function/case`, the same as in
//! `instr.rs`, over the cases listed in `ch08::cases`. Inputs are built before timing starts,
//! and every input and result goes through `black_box`. Every group declares the bytes one
//! call reads (`Throughput::Bytes`), so that the pipeline can turn a time into GB/s.
//!
//! The intrinsics versions are registered only for the levels this CPU runs
//! (`Isa::supported`): a machine without AVX-512 has no `.../avx512/...` ids.

use std::hint::black_box;
use std::time::Duration;

use benchkit::Mode;
use benchkit::criterion::measurement::WallTime;
use benchkit::criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main,
};
use ch08::accumulators::{self, COUNTS};
use ch08::autovec::{
    add_raw_disjoint, add_raw_overlapping, add_slices, diff_sum_indexed, diff_sum_sliced, sum_u32,
};
use ch08::cases::*;
use ch08::dot::{dot_auto, dot_scalar, dot_simd, dot_std};
use ch08::filter::{filter_scalar, filter_scalar_avx2, filter_simd};
use ch08::find::{find_auto, find_memchr, find_scalar, find_simd, find_std, find_unrolled};
use ch08::input::{Aligned, aligned_copy, haystack, random_f32s, random_u32s};
use ch08::isa::{Isa, feature_flags};
use ch08::loops::{
    col_sums_column_order, col_sums_row_order, col_sums_tiled, moments_fused, moments_two_pass,
};
use ch08::stream::read_best;
use ch08::sum::{sum_auto, sum_auto_avx2, sum_best, sum_scalar, sum_simd, sum_std};

/// How long to warm up and measure, and how many samples, for one kind of benchmark.
struct Budget {
    quick: (u64, u64, usize),
    full: (u64, u64, usize),
}

impl Budget {
    /// Applies the budget of the current mode (milliseconds of warm-up and of measurement,
    /// samples) to a group.
    fn on(&self, g: &mut BenchmarkGroup<'_, WallTime>) {
        let (warm, measure, samples) = match Mode::from_env() {
            Mode::Quick => self.quick,
            Mode::Full => self.full,
        };
        g.warm_up_time(Duration::from_millis(warm))
            .measurement_time(Duration::from_millis(measure))
            .sample_size(samples);
    }
}

/// Kernels on cache-resident data: microseconds per call, many calls per sample.
const SMALL: Budget = Budget {
    quick: (200, 600, 20),
    full: (500, 2000, 40),
};

/// Passes over buffers up to 1 GiB: one call can take a good part of a second, so samples
/// are flat (every sample the same number of calls) and few.
const LARGE: Budget = Budget {
    quick: (50, 300, 10),
    full: (200, 1200, 12),
};

type SumFn = fn(&[f32]) -> f32;
type DotFn = fn(&[f32], &[f32]) -> f32;
type FindFn = fn(&[u8], u8) -> Option<usize>;
type MomentsFn = fn(&[f32]) -> (f32, f32);
type ColSumsFn = fn(&[u32], usize, &mut [u32]);

fn bytes_of<T>(n: usize) -> Throughput {
    Throughput::Bytes((n * size_of::<T>()) as u64)
}

/// Records which instruction sets the benchmarks could use on this CPU.
fn record_features() {
    benchkit::custom::record("isa/detect/native", &feature_flags());
}

// ANCHOR: wall_sum
fn sum(c: &mut Criterion) {
    record_features();
    let x = random_f32s(L1_FLOATS, SEED);
    let case = kib_case(L1_FLOATS * 4 / 1024);
    let mut g = c.benchmark_group("sum");
    SMALL.on(&mut g);
    g.throughput(bytes_of::<f32>(x.len()));
    let plain: [(&str, SumFn); 3] = [("scalar", sum_scalar), ("std", sum_std), ("auto", sum_auto)];
    for (name, f) in plain {
        g.bench_function(BenchmarkId::new(&case, name), |b| {
            b.iter(|| black_box(f(black_box(&x))))
        });
    }
    if Isa::Avx2.available() {
        g.bench_function(BenchmarkId::new(&case, "auto_avx2"), |b| {
            b.iter(|| black_box(sum_auto_avx2(black_box(&x))))
        });
    }
    for isa in Isa::supported() {
        g.bench_function(BenchmarkId::new(&case, isa.name()), |b| {
            b.iter(|| black_box(sum_simd(isa, black_box(&x))))
        });
    }
    g.finish();
}
// ANCHOR_END: wall_sum

// ANCHOR: wall_sum_offset
/// The same floats again, starting 16 and 32 bytes past a cache-line boundary (two of the
/// places a 16-byte-aligned allocator can put them), for the two widest sums.
fn sum_offset(c: &mut Criterion) {
    let mut g = c.benchmark_group("sum");
    SMALL.on(&mut g);
    g.throughput(bytes_of::<f32>(L1_FLOATS));
    let floats = random_f32s(L1_FLOATS, SEED);
    for skip_bytes in SUM_OFFSETS {
        let skip = skip_bytes / size_of::<f32>();
        let buf = Aligned::from_fn(skip + L1_FLOATS, |i| {
            i.checked_sub(skip).map_or(0.0, |j| floats[j])
        });
        let x = &buf[skip..];
        let case = format!("{}_at{skip_bytes}", kib_case(L1_FLOATS * 4 / 1024));
        for isa in Isa::supported().into_iter().rev().take(2) {
            g.bench_function(BenchmarkId::new(&case, isa.name()), |b| {
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
    let case = kib_case(DOT_FLOATS * 8 / 1024);
    let mut g = c.benchmark_group("dot");
    SMALL.on(&mut g);
    g.throughput(bytes_of::<f32>(2 * DOT_FLOATS));
    let plain: [(&str, DotFn); 3] = [("scalar", dot_scalar), ("std", dot_std), ("auto", dot_auto)];
    for (name, f) in plain {
        g.bench_function(BenchmarkId::new(&case, name), |b| {
            b.iter(|| black_box(f(black_box(&a), black_box(&b2))))
        });
    }
    for isa in Isa::supported() {
        g.bench_function(BenchmarkId::new(&case, isa.name()), |b| {
            b.iter(|| black_box(dot_simd(isa, black_box(&a), black_box(&b2))))
        });
    }
    g.finish();
}

fn find(c: &mut Criterion) {
    let hay = haystack(FIND_LEN, NEEDLE, SEED);
    let case = kib_case(FIND_LEN / 1024);
    let mut g = c.benchmark_group("find");
    SMALL.on(&mut g);
    g.throughput(bytes_of::<u8>(FIND_LEN));
    let plain: [(&str, FindFn); 5] = [
        ("scalar", find_scalar),
        ("std", find_std),
        ("unrolled", find_unrolled),
        ("auto", find_auto),
        ("memchr", find_memchr),
    ];
    for (name, f) in plain {
        g.bench_function(BenchmarkId::new(&case, name), |b| {
            b.iter(|| black_box(f(black_box(&hay), black_box(NEEDLE))))
        });
    }
    for isa in Isa::supported() {
        g.bench_function(BenchmarkId::new(&case, isa.name()), |b| {
            b.iter(|| black_box(find_simd(isa, black_box(&hay), black_box(NEEDLE))))
        });
    }
    // ANCHOR: aligned
    // The same bytes again, starting on a cache-line boundary instead of wherever the
    // allocator put them, for the widest search and its peer.
    let copy = aligned_copy(&hay);
    let aligned: &[u8] = &copy;
    let case = format!("aligned_{case}");
    g.bench_function(BenchmarkId::new(&case, "memchr"), |b| {
        b.iter(|| black_box(find_memchr(black_box(aligned), black_box(NEEDLE))))
    });
    for isa in Isa::supported().into_iter().rev().take(2) {
        g.bench_function(BenchmarkId::new(&case, isa.name()), |b| {
            b.iter(|| black_box(find_simd(isa, black_box(aligned), black_box(NEEDLE))))
        });
    }
    // ANCHOR_END: aligned
    g.finish();
}

fn filter(c: &mut Criterion) {
    let src = random_u32s(FILTER_LEN, SEED);
    let mut out = Aligned::from_fn(FILTER_LEN, |_| 0u32);
    let case = "p50";
    let mut g = c.benchmark_group("filter");
    SMALL.on(&mut g);
    g.throughput(bytes_of::<u32>(FILTER_LEN));
    g.bench_function(BenchmarkId::new(case, "scalar"), |b| {
        b.iter(|| black_box(filter_scalar(black_box(&src), FILTER_THRESHOLD, &mut out)))
    });
    if Isa::Avx2.available() {
        g.bench_function(BenchmarkId::new(case, "scalar_avx2"), |b| {
            b.iter(|| {
                black_box(filter_scalar_avx2(
                    black_box(&src),
                    FILTER_THRESHOLD,
                    &mut out,
                ))
            })
        });
    }
    for isa in Isa::supported() {
        g.bench_function(BenchmarkId::new(case, isa.name()), |b| {
            b.iter(|| {
                black_box(filter_simd(
                    isa,
                    black_box(&src),
                    FILTER_THRESHOLD,
                    &mut out,
                ))
            })
        });
    }
    g.finish();
    black_box(&out);
}

// ANCHOR: wall_accumulators
fn accumulators(c: &mut Criterion) {
    let x = random_f32s(L1_FLOATS, SEED);
    let mut g = c.benchmark_group("accumulators");
    SMALL.on(&mut g);
    g.throughput(bytes_of::<f32>(x.len()));
    for n in COUNTS {
        g.bench_function(BenchmarkId::new("portable", acc_case(n)), |b| {
            b.iter(|| black_box(accumulators::sum_portable(n, black_box(&x))))
        });
        for isa in Isa::supported().into_iter().filter(|&i| i != Isa::Sse2) {
            g.bench_function(BenchmarkId::new(isa.name(), acc_case(n)), |b| {
                b.iter(|| black_box(accumulators::sum_simd(isa, n, black_box(&x))))
            });
        }
    }
    g.finish();
}
// ANCHOR_END: wall_accumulators

fn autovec(c: &mut Criterion) {
    let n = AUTOVEC_LEN;
    let case = format!("n{n}");
    let a = random_u32s(n, SEED);
    let b2 = random_u32s(n, SEED + 1);
    let mut f = random_f32s(2 * n, SEED);
    let mut g = c.benchmark_group("autovec");
    SMALL.on(&mut g);
    g.throughput(bytes_of::<u32>(n));
    g.bench_function(BenchmarkId::new(&case, "sum_u32"), |b| {
        b.iter(|| black_box(sum_u32(black_box(&a))))
    });
    g.throughput(bytes_of::<u32>(2 * n));
    g.bench_function(BenchmarkId::new(&case, "diff_indexed"), |b| {
        b.iter(|| {
            black_box(diff_sum_indexed(
                black_box(&a),
                black_box(&b2),
                black_box(n),
            ))
        })
    });
    g.bench_function(BenchmarkId::new(&case, "diff_sliced"), |b| {
        b.iter(|| black_box(diff_sum_sliced(black_box(&a), black_box(&b2), black_box(n))))
    });
    // The add loops read two arrays of n floats and write one; they change `f` in place,
    // which keeps the work the same from call to call (the values grow, the instructions do
    // not).
    g.bench_function(BenchmarkId::new(&case, "add_slices"), |b| {
        b.iter(|| {
            let (lo, hi) = black_box(&mut f).split_at_mut(n);
            add_slices(hi, lo);
        })
    });
    g.bench_function(BenchmarkId::new(&case, "add_raw_disjoint"), |b| {
        b.iter(|| add_raw_disjoint(black_box(&mut f)))
    });
    g.bench_function(BenchmarkId::new(&case, "add_raw_overlapping"), |b| {
        b.iter(|| add_raw_overlapping(black_box(&mut f[..=n])))
    });
    g.finish();
    black_box(&f);
}

fn fusion(c: &mut Criterion) {
    let mut g = c.benchmark_group("fusion");
    g.sampling_mode(SamplingMode::Flat);
    LARGE.on(&mut g);
    for kib in FUSION_KIB {
        let x = random_f32s(floats_in(kib), SEED);
        g.throughput(bytes_of::<f32>(x.len()));
        let ways: [(&str, MomentsFn); 2] =
            [("two_pass", moments_two_pass), ("fused", moments_fused)];
        for (name, f) in ways {
            g.bench_function(BenchmarkId::new(name, kib_case(kib)), |b| {
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
    LARGE.on(&mut g);
    g.throughput(bytes_of::<u32>(n * n));
    let ways: [(&str, ColSumsFn); 3] = [
        ("row_order", col_sums_row_order),
        ("column_order", col_sums_column_order),
        ("tiled", col_sums_tiled),
    ];
    for (name, f) in ways {
        g.bench_function(BenchmarkId::new(format!("n{n}"), name), |b| {
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
    LARGE.on(&mut g);
    for kib in SWEEP_KIB {
        let x = random_f32s(floats_in(kib), SEED);
        g.throughput(bytes_of::<f32>(x.len()));
        let id = |name| BenchmarkId::new(name, kib_case(kib));
        g.bench_function(id("read"), |b| {
            b.iter(|| black_box(read_best(black_box(&x))))
        });
        g.bench_function(id("scalar"), |b| {
            b.iter(|| black_box(sum_scalar(black_box(&x))))
        });
        g.bench_function(id("auto"), |b| {
            b.iter(|| black_box(sum_auto(black_box(&x))))
        });
        g.bench_function(id("best"), |b| {
            b.iter(|| black_box(sum_best(black_box(&x))))
        });
    }
    g.finish();
}
// ANCHOR_END: wall_bandwidth

criterion_group! {
    name = ch08;
    config = benchkit::config();
    targets = sum, sum_offset, dot, find, filter, accumulators, autovec, fusion, matrix, bandwidth
}
criterion_main!(ch08);
