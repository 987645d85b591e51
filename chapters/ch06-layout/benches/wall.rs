//! Wall-clock harness (criterion) for chapter 06. Every benchmark is registered from the case
//! list, `ch06::cases::all`; where `instr.rs` counts the same work it uses the same id, and where
//! it counts a smaller version of it (callgrind is slow), a `sim_` group. Inputs are built before
//! timing starts, and every input and result goes through `black_box`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use benchkit::criterion::measurement::WallTime;
use benchkit::criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode};
use benchkit::{BIG, Case, GroupSettings, apply};
use ch06::cases::*;
use ch06::gather::{Order, gather, gather_prefetch, line_indices, table, with_tail};
use ch06::hotcold::{random_accounts, scan_inline, scan_split, split};
use ch06::padding::{self, Declared, Packed, RustRepr, Sorted, lay_out, notional};
use ch06::soa::{
    Aos, gather_records_aos, gather_records_soa, random_indices, sum_fields_aos, sum_fields_soa,
};
use ch06::split::{Buffer, LINE, PAGE, sum_at};

/// Sweeps of many short cases: warm-up, measurement time and number of samples in quick mode
/// and in full mode (`benchkit::apply` picks the pair for the current mode). Not
/// `benchkit::SWEEP`, which measures less in quick mode and warms up longer in full mode: the
/// chapter's reference results were measured with these settings.
const SWEEP: GroupSettings = [
    (Duration::from_millis(60), Duration::from_millis(200), 20),
    (Duration::from_millis(300), Duration::from_millis(1500), 50),
];

/// The cases of `group/function` that the wall-clock harness measures, in declaration order.
fn cases(group: &str, function: &str) -> Vec<Case> {
    ch06::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.id.function == function && c.harnesses.wall())
        .collect()
}

/// The cases of `group` that the wall-clock harness measures, in declaration order.
fn group_cases(group: &str) -> Vec<Case> {
    ch06::cases::all()
        .into_iter()
        .filter(|c| c.id.group == group && c.harnesses.wall())
        .collect()
}

/// The case `group/function/case` of the chapter's list.
fn listed(group: &str, function: &str, case: &str) -> Case {
    let id = benchkit::Id::new(group, function, case);
    ch06::cases::all()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the chapter's case list"))
}

/// Criterion's id for the listed case `group/function/case` ([`benchkit::id`]).
fn id(group: &str, function: &str, case: &str) -> BenchmarkId {
    benchkit::id(&listed(group, function, case))
}

/// The rounds of work and the prefetch distance of the gather a case's function names
/// ([`GATHERS`]).
fn gather_kind(case: &Case) -> (usize, Option<usize>) {
    GATHERS
        .into_iter()
        .find(|(name, ..)| *name == case.id.function)
        .map(|(_, rounds, dist)| (rounds, dist))
        .unwrap_or_else(|| panic!("{} names no gather", case.id))
}

fn fields(c: &mut Criterion) {
    let aos = Aos::random(SOA_RECORDS, SOA_SEED);
    let soa = aos.to_soa();
    let mut g = c.benchmark_group("fields");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, BIG);
    for case in group_cases("fields") {
        let k = case.usize("fields");
        match case.id.function.as_str() {
            "aos" => g.bench_function(benchkit::id(&case), |b| {
                b.iter(|| black_box(sum_fields_aos(black_box(&aos), black_box(k))))
            }),
            "soa" => g.bench_function(benchkit::id(&case), |b| {
                b.iter(|| black_box(sum_fields_soa(black_box(&soa), black_box(k))))
            }),
            _ => panic!("{} names no layout", case.id),
        };
    }
    g.finish();
    drop(soa);

    let idx = random_indices(WHOLE_LOOKUPS, SOA_RECORDS, SOA_SEED);
    let soa = aos.to_soa();
    let mut g = c.benchmark_group("records");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, BIG);
    g.bench_function(id("records", "whole", "aos"), |b| {
        b.iter(|| black_box(gather_records_aos(black_box(&aos), black_box(&idx))))
    });
    g.bench_function(id("records", "whole", "soa"), |b| {
        b.iter(|| black_box(gather_records_soa(black_box(&soa), black_box(&idx))))
    });
    g.finish();
}

/// Times the notional of `orders` and records the layout's size and alignment beside it.
fn scan_orders<T: padding::Order>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    fields: &[padding::Fields],
) {
    let case = listed("padding", "scan", T::NAME);
    let orders: Vec<T> = lay_out(fields);
    benchkit::custom::record(
        &case.id.to_string(),
        &[
            ("size_bytes", std::mem::size_of::<T>() as f64),
            ("align_bytes", std::mem::align_of::<T>() as f64),
            (
                "array_mib",
                std::mem::size_of_val(&orders[..]) as f64 / (1 << 20) as f64,
            ),
        ],
    );
    g.bench_function(benchkit::id(&case), |b| {
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
    for case in cases("split", "line") {
        let off = case.usize("offset");
        g.bench_function(benchkit::id(&case), |b| {
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
    for case in cases("split", "page") {
        let off = case.usize("offset");
        g.bench_function(benchkit::id(&case), |b| {
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
    let (inline_case, split_case) = (
        listed("hotcold", "scan", "inline"),
        listed("hotcold", "scan", "split"),
    );
    benchkit::custom::record(
        &inline_case.id.to_string(),
        &[(
            "scanned_mib",
            std::mem::size_of_val(&accounts[..]) as f64 / (1 << 20) as f64,
        )],
    );
    benchkit::custom::record(
        &split_case.id.to_string(),
        &[(
            "scanned_mib",
            std::mem::size_of_val(&parts.hot[..]) as f64 / (1 << 20) as f64,
        )],
    );
    g.bench_function(benchkit::id(&inline_case), |b| {
        b.iter(|| black_box(scan_inline(black_box(&accounts))))
    });
    g.bench_function(benchkit::id(&split_case), |b| {
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

// ANCHOR: wall_prefetch
fn prefetch(c: &mut Criterion) {
    let mut g = c.benchmark_group("distance");
    apply(&mut g, SWEEP);
    let mut random = Cycle::new(TABLE_LINES, Order::Random(GATHER_SEED));
    for (name, rounds) in DISTANCE_SWEEPS {
        for case in cases("distance", name) {
            let d = case.usize("distance");
            g.bench_function(benchkit::id(&case), |b| {
                b.iter_custom(|n| random.time(n, Some(d), rounds))
            });
        }
    }
    drop(random);
    g.finish();

    // The same light gather over a table whose 1,024 pages the TLB holds: if the long distances
    // were slow for want of translations, they are not slow here.
    let mut g = c.benchmark_group("tlb_fit");
    apply(&mut g, SWEEP);
    let mut fit = Cycle::new(FIT_TABLE_LINES, Order::Random(GATHER_SEED));
    for case in group_cases("tlb_fit") {
        let dist = (case.id.case != "none").then(|| case.usize("distance"));
        g.bench_function(benchkit::id(&case), |b| {
            b.iter_custom(|n| fit.time(n, dist, LIGHT))
        });
    }
    drop(fit);
    g.finish();

    let mut g = c.benchmark_group("gather");
    apply(&mut g, SWEEP);
    // The list gives the cases order by order; the gathers of one order share its cycle.
    for same in group_cases("gather").chunk_by(|a, b| a.id.case == b.id.case) {
        let order = ORDERS_HW
            .into_iter()
            .find(|o| o.name() == same[0].id.case)
            .unwrap_or_else(|| panic!("{} names no index order", same[0].id));
        let mut cycle = Cycle::new(TABLE_LINES, order);
        for case in same {
            let (rounds, dist) = gather_kind(case);
            g.bench_function(benchkit::id(case), |b| {
                b.iter_custom(|n| cycle.time(n, dist, rounds))
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("small");
    apply(&mut g, SWEEP);
    let mut small = Cycle::new(SMALL_LINES, Order::Random(GATHER_SEED));
    for case in group_cases("small") {
        let (rounds, dist) = gather_kind(&case);
        g.bench_function(benchkit::id(&case), |b| {
            b.iter_custom(|n| small.time(n, dist, rounds))
        });
    }
    g.finish();
}
// ANCHOR_END: wall_prefetch

/// The A/A control: the one-field AoS scan under its twin's id, last in the run, so that the
/// pair differs only by how the run drifted between them.
fn aa(c: &mut Criterion) {
    let aos = Aos::random(SOA_RECORDS, SOA_SEED);
    let mut g = c.benchmark_group("aa");
    g.sampling_mode(SamplingMode::Flat);
    apply(&mut g, BIG);
    for case in group_cases("aa") {
        let k = case.usize("fields");
        g.bench_function(benchkit::id(&case), |b| {
            b.iter(|| black_box(sum_fields_aos(black_box(&aos), black_box(k))))
        });
    }
    g.finish();
}

benchkit::main!(
    cases = ch06::cases::all();
    targets = fields, padding, split_loads, hotcold, prefetch, aa
);
