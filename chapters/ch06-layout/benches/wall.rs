//! Wall-clock harness (criterion) for chapter 06. Ids are `group/function/case`, over the cases
//! listed in `ch06::cases`; where `instr.rs` counts the same work it uses the same id, and where
//! it counts a smaller version of it (callgrind is slow), a `sim_` group. Inputs are built before
//! timing starts, and every input and result goes through `black_box`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use benchkit::criterion::measurement::WallTime;
use benchkit::criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main,
};
use benchkit::{GroupSettings, apply};
use ch06::cases::*;
use ch06::gather::{Order, gather, gather_prefetch, line_indices, table, with_tail};
use ch06::hotcold::{random_accounts, scan_inline, scan_split, split};
use ch06::padding::{self, Declared, Packed, RustRepr, Sorted, lay_out, notional};
use ch06::soa::{
    Aos, gather_records_aos, gather_records_soa, random_indices, sum_fields_aos, sum_fields_soa,
};
use ch06::split::{Buffer, LINE, PAGE, sum_at};

/// Per case: warm-up, measurement time and number of samples, in quick mode and in full mode
/// (`benchkit::apply` picks the pair for the current mode).
type Settings = GroupSettings;

/// Scans of tens of megabytes: milliseconds per call, sampled flat and less often.
const BIG: Settings = [
    (Duration::from_millis(200), Duration::from_millis(600), 10),
    (Duration::from_millis(500), Duration::from_secs(3), 30),
];

/// Sweeps of many short cases.
const SWEEP: Settings = [
    (Duration::from_millis(100), Duration::from_millis(300), 20),
    (Duration::from_millis(300), Duration::from_millis(1500), 50),
];

fn fields(c: &mut Criterion) {
    let aos = Aos::random(SOA_RECORDS, SOA_SEED);
    let soa = aos.to_soa();
    let mut g = c.benchmark_group("fields");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, BIG);
    for k in FIELD_COUNTS {
        g.bench_function(BenchmarkId::new("aos", fields_case(k)), |b| {
            b.iter(|| black_box(sum_fields_aos(black_box(&aos), black_box(k))))
        });
        g.bench_function(BenchmarkId::new("soa", fields_case(k)), |b| {
            b.iter(|| black_box(sum_fields_soa(black_box(&soa), black_box(k))))
        });
    }
    g.finish();
    drop(soa);

    let idx = random_indices(WHOLE_LOOKUPS, SOA_RECORDS, SOA_SEED);
    let soa = aos.to_soa();
    let mut g = c.benchmark_group("records");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, BIG);
    g.bench_function(BenchmarkId::new("whole", "aos"), |b| {
        b.iter(|| black_box(gather_records_aos(black_box(&aos), black_box(&idx))))
    });
    g.bench_function(BenchmarkId::new("whole", "soa"), |b| {
        b.iter(|| black_box(gather_records_soa(black_box(&soa), black_box(&idx))))
    });
    g.finish();
}

/// Times the notional of `orders` and records the layout's size and alignment beside it.
fn scan_orders<T: padding::Order>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    fields: &[padding::Fields],
) {
    let orders: Vec<T> = lay_out(fields);
    benchkit::custom::record(
        &format!("padding/scan/{}", T::NAME),
        &[
            ("size_bytes", std::mem::size_of::<T>() as f64),
            ("align_bytes", std::mem::align_of::<T>() as f64),
            (
                "array_mib",
                std::mem::size_of_val(&orders[..]) as f64 / (1 << 20) as f64,
            ),
        ],
    );
    g.bench_function(BenchmarkId::new("scan", T::NAME), |b| {
        b.iter(|| black_box(notional(black_box(&orders))))
    });
}

fn padding(c: &mut Criterion) {
    let fields = padding::random_fields(ORDERS, ORDER_SEED);
    let mut g = c.benchmark_group("padding");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, BIG);
    scan_orders::<Declared>(&mut g, &fields);
    scan_orders::<Sorted>(&mut g, &fields);
    scan_orders::<RustRepr>(&mut g, &fields);
    scan_orders::<Packed>(&mut g, &fields);
    g.finish();
}

// ANCHOR: wall_split
fn split_loads(c: &mut Criterion) {
    let buf = Buffer::new(SPLIT_PAGES + 1, SPLIT_SEED);
    let mut g = c.benchmark_group("split");
    apply(&mut g, SWEEP);
    for off in LINE_OFFSETS {
        g.bench_function(BenchmarkId::new("line", offset_case(off)), |b| {
            b.iter(|| {
                let bytes = black_box(buf.bytes());
                black_box(sum_at(
                    bytes,
                    black_box(off),
                    LINE,
                    SPLIT_LINES,
                    SPLIT_PASSES,
                ))
            })
        });
    }
    for (name, off) in PAGE_OFFSETS {
        g.bench_function(BenchmarkId::new("page", name), |b| {
            b.iter(|| {
                let bytes = black_box(buf.bytes());
                black_box(sum_at(
                    bytes,
                    black_box(off),
                    PAGE,
                    SPLIT_PAGES,
                    PAGE_PASSES,
                ))
            })
        });
    }
    g.finish();
}
// ANCHOR_END: wall_split

fn hotcold(c: &mut Criterion) {
    let accounts = random_accounts(ACCOUNTS, AUDIT_ONE_IN, ACCOUNT_SEED);
    let parts = split(&accounts);
    let mut g = c.benchmark_group("hotcold");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, BIG);
    benchkit::custom::record(
        "hotcold/scan/inline",
        &[(
            "scanned_mib",
            std::mem::size_of_val(&accounts[..]) as f64 / (1 << 20) as f64,
        )],
    );
    benchkit::custom::record(
        "hotcold/scan/split",
        &[(
            "scanned_mib",
            std::mem::size_of_val(&parts.hot[..]) as f64 / (1 << 20) as f64,
        )],
    );
    g.bench_function(BenchmarkId::new("scan", "inline"), |b| {
        b.iter(|| black_box(scan_inline(black_box(&accounts))))
    });
    g.bench_function(BenchmarkId::new("scan", "split"), |b| {
        b.iter(|| black_box(scan_split(black_box(&parts))))
    });
    g.finish();
}

// ANCHOR: per_gather
/// A gather cycle: a table, an index list of `cycle` entries followed by a tail of
/// `DISTANCES`' largest for the prefetches to run into, and where the last sample stopped.
struct Cycle {
    data: Vec<u64>,
    idx: Vec<u32>,
    cycle: usize,
    at: usize,
}

impl Cycle {
    fn new(lines: usize, order: Order) -> Cycle {
        let order_idx = line_indices(lines, order);
        let tail = DISTANCES[DISTANCES.len() - 1];
        Cycle {
            data: table(lines, GATHER_SEED),
            idx: with_tail(&order_idx, tail),
            cycle: order_idx.len(),
            at: 0,
        }
    }

    /// Times `n` gathers with `rounds` of work each, one per iteration, prefetching `dist`
    /// ahead if given, going on where the last call stopped, so that no sample replays the
    /// lines the one before it brought into the caches.
    fn time(&mut self, n: u64, dist: Option<usize>, rounds: usize) -> Duration {
        let (data, idx) = (black_box(&self.data[..]), black_box(&self.idx[..]));
        let mut left = n as usize;
        let mut sum = 0u64;
        let start = Instant::now();
        while left > 0 {
            let k = left.min(self.cycle - self.at);
            let rest = &idx[self.at..];
            sum ^= match dist {
                None => gather(data, &rest[..k], rounds),
                Some(d) => gather_prefetch(data, rest, k, d, rounds),
            };
            self.at = (self.at + k) % self.cycle;
            left -= k;
        }
        let elapsed = start.elapsed();
        black_box(sum);
        elapsed
    }
}
// ANCHOR_END: per_gather

/// The four gathers of one index order: light and heavy, plain and prefetched, as
/// `(function name, rounds, distance)`.
const GATHERS: [(&str, usize, Option<usize>); 4] = [
    ("light_plain", LIGHT, None),
    ("light_prefetch", LIGHT, Some(DIST)),
    ("heavy_plain", HEAVY, None),
    ("heavy_prefetch", HEAVY, Some(DIST)),
];

// ANCHOR: wall_prefetch
fn prefetch(c: &mut Criterion) {
    let mut g = c.benchmark_group("distance");
    apply(&mut g, SWEEP);
    let mut random = Cycle::new(TABLE_LINES, Order::Random(GATHER_SEED));
    for (name, rounds) in [("light", LIGHT), ("heavy", HEAVY)] {
        for d in DISTANCES {
            g.bench_function(BenchmarkId::new(name, dist_case(d)), |b| {
                b.iter_custom(|n| random.time(n, Some(d), rounds))
            });
        }
    }
    drop(random);
    g.finish();

    let mut g = c.benchmark_group("gather");
    apply(&mut g, SWEEP);
    for order in ORDERS_HW {
        let mut cycle = Cycle::new(TABLE_LINES, order);
        for (name, rounds, dist) in GATHERS {
            g.bench_function(BenchmarkId::new(name, order.name()), |b| {
                b.iter_custom(|n| cycle.time(n, dist, rounds))
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("small");
    apply(&mut g, SWEEP);
    let mut small = Cycle::new(SMALL_LINES, Order::Random(GATHER_SEED));
    for (name, rounds, dist) in GATHERS {
        g.bench_function(BenchmarkId::new(name, "kib16"), |b| {
            b.iter_custom(|n| small.time(n, dist, rounds))
        });
    }
    g.finish();
}
// ANCHOR_END: wall_prefetch

criterion_group! {
    name = ch06;
    config = benchkit::config();
    targets = fields, padding, split_loads, hotcold, prefetch
}
criterion_main!(ch06);
