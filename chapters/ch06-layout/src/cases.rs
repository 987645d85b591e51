//! The cases the chapter measures, declared once. `benches/wall.rs` (criterion) registers its
//! benchmarks from [`all`], `benches/instr.rs` (gungraun) names each of its `#[bench]` cases
//! after one of them, and `figures.toml` names them by the same ids (`group/function/case`).
//!
//! The wall-clock cases are sized past the last-level cache (tens of MiB, at or beyond the L3
//! sizes the machines of this book report, and further beyond what chapter 5's page-by-page
//! walk finds a guest really gets), so that they measure traffic to memory; the counted cases
//! are small, because callgrind runs some fifty times slower than the processor and simulates
//! caches of fixed sizes (32 KiB L1, 8 MiB last level), not this machine's.

use bookproto::{Case, case_name, sweep};

use crate::gather::Order;
use crate::padding::{self, Declared, Packed, RustRepr, Sorted};

/// Records in the AoS/SoA scans: 64 MiB in either layout.
pub const SOA_RECORDS: usize = 1 << 20;

/// How many of the sixteen fields each scan sums (`k1` ... `k16`).
pub const FIELD_COUNTS: [usize; 5] = [1, 2, 4, 8, 16];

/// Whole records read at random per call of the record gather.
pub const WHOLE_LOOKUPS: usize = 1 << 16;

/// Records under callgrind: 512 KiB, past its simulated L1 and inside its last level.
pub const SIM_SOA_RECORDS: usize = 1 << 13;

/// Whole records read at random under callgrind.
pub const SIM_WHOLE_LOOKUPS: usize = 1 << 12;

/// Seed of the records and of the lookups.
pub const SOA_SEED: u64 = 0x5eed_0601;

/// Orders per padding scan: 192 MiB in the declared layout and 100 MiB packed, so that no
/// layout fits the last-level cache.
pub const ORDERS: usize = 1 << 22;

/// Orders under callgrind.
pub const SIM_ORDERS: usize = 1 << 13;

/// Seed of the orders.
pub const ORDER_SEED: u64 = 0x5eed_0602;

/// Offsets within a cache line of the `u64` loads of the line sweep (`off0` ... `off63`); the
/// loads at 57 and above straddle two lines.
pub const LINE_OFFSETS: [usize; 13] = [0, 4, 8, 16, 24, 32, 33, 40, 48, 56, 57, 60, 63];

/// Lines the line sweep reads, one load each: 16 KiB, inside any L1 data cache.
pub const SPLIT_LINES: usize = 256;

/// Passes of the line sweep over its lines per call.
pub const SPLIT_PASSES: usize = 2;

/// The page cases: one load at this offset of each page: inside the page's last line, across
/// the boundary between its last two lines, and across the boundary to the next page.
pub const PAGE_OFFSETS: [(&str, usize); 3] = [
    ("aligned", 4032),
    ("line_split", 4028),
    ("page_split", 4092),
];

/// Pages the page cases read, one load each: few enough that the lines they share one cache
/// set for stay in the L1 (its sets have at least eight ways).
pub const SPLIT_PAGES: usize = 8;

/// Passes over those pages per call: the same number of loads as the line sweep.
pub const PAGE_PASSES: usize = 64;

/// Seed of the bytes read.
pub const SPLIT_SEED: u64 = 0x5eed_0603;

/// Accounts per hot/cold scan: 128 MiB inline, 16 MiB of hot parts.
pub const ACCOUNTS: usize = 1 << 20;

/// Accounts under callgrind: 512 KiB inline.
pub const SIM_ACCOUNTS: usize = 1 << 12;

/// One account in this many, on average, is marked for audit and has its cold part read.
pub const AUDIT_ONE_IN: u64 = 1024;

/// Seed of the accounts.
pub const ACCOUNT_SEED: u64 = 0x5eed_0604;

/// Lines in the large gather table: 128 MiB.
pub const TABLE_LINES: usize = 1 << 21;

/// Lines in the gather table of the translation test: 4 MiB, 1,024 pages of 4 KiB, a number of
/// pages at which chapter 5's one-line-per-page walk pays a few cycles per translation, not a
/// page walk.
pub const FIT_TABLE_LINES: usize = 1 << 16;

/// Lines in the small gather table: 16 KiB, inside the L1 data cache.
pub const SMALL_LINES: usize = 256;

/// Lines in the gather table under callgrind: 1 MiB, past its simulated L1.
pub const SIM_TABLE_LINES: usize = 1 << 14;

/// Prefetch distances of the sweep, in iterations (`d1` ... `d1024`).
pub const DISTANCES: [usize; 11] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/// The prefetch distance used when the distance is not the variable.
pub const DIST: usize = 32;

/// Rounds of work per element in the light gather: none, the loads alone.
pub const LIGHT: usize = 0;

/// Rounds of work per element in the heavy gather: a dependency chain long enough to fill the
/// out-of-order window before the window reaches the loads of the elements ahead.
pub const HEAVY: usize = 8;

/// Seed of the tables and of the random order.
pub const GATHER_SEED: u64 = 0x5eed_0605;

/// The index orders of the hardware-against-software comparison: consecutive lines, a stride
/// of four lines (256 bytes, inside a page), a stride of 65 lines (4,160 bytes: a new page at
/// every load), and random.
pub const ORDERS_HW: [Order; 4] = [
    Order::Sequential,
    Order::Strided(4),
    Order::Strided(65),
    Order::Random(GATHER_SEED),
];

/// The four gathers of one index order: light and heavy, plain and prefetched, as
/// `(function name, rounds of work, prefetch distance)`.
pub const GATHERS: [(&str, usize, Option<usize>); 4] = [
    ("light_plain", LIGHT, None),
    ("light_prefetch", LIGHT, Some(DIST)),
    ("heavy_plain", HEAVY, None),
    ("heavy_prefetch", HEAVY, Some(DIST)),
];

/// The distance sweeps: `(function name, rounds of work)`.
pub const DISTANCE_SWEEPS: [(&str, usize); 2] = [("light", LIGHT), ("heavy", HEAVY)];

/// The offsets of `LINE_OFFSETS` that callgrind counts: aligned, misaligned inside a line, and
/// split across two lines.
pub const SIM_LINE_OFFSETS: [usize; 3] = [0, 33, 60];

/// The size of the small gather table in KiB, which names its cases (`kib16`).
pub const SMALL_KIB: usize = 16;

const _: () = assert!(LIGHT < HEAVY);
// The small table's lines are 64 bytes.
const _: () = assert!(SMALL_LINES * 64 == SMALL_KIB << 10);

/// Every case of the chapter. The wall-clock cases come first, in the order the harness
/// measures them, where cases share an input, the cases of one input together:
///
/// - `fields/<layout>/k<count>` (`fields` fields summed per record, AoS and SoA) and
///   `records/whole/<layout>`: the AoS/SoA scans and the whole-record gather;
/// - `padding/scan/<layout>`: the notional in each of four layouts of an order;
/// - `split/line/off<offset>` and `split/page/<case>`: loads at `offset` bytes into a line or a
///   page, the selection [`SIM_LINE_OFFSETS`] and the page cases counted by both harnesses;
/// - `hotcold/scan/{inline,split}`: the scan with its cold fields inline and split off;
/// - `distance/{light,heavy}/d<distance>`: the random gather prefetching `distance` ahead;
/// - `tlb_fit/light/{d<distance>,none}`: the light sweep, and the gather without prefetching,
///   over a table of [`FIT_TABLE_LINES`] whose pages the TLB holds;
/// - `gather/<gather>/<order>` and `small/<gather>/kib16`: each of [`GATHERS`] per index order
///   of [`ORDERS_HW`], and over a table inside the L1;
///
/// then the small versions that callgrind counts, in `sim_` groups.
pub fn all() -> Vec<Case> {
    let big = "tens of megabytes, past the last-level cache: callgrind, some fifty times slower \
               and with caches of its own sizes, counts the small version in the sim_ group";
    let prefetcher = "the hardware prefetcher and the memory's latency, which callgrind does \
                      not simulate; it counts the small version in sim_gather";
    let sim = "a small version of a wall-clock case for callgrind, which runs some fifty times \
               slower than the processor and simulates caches of fixed sizes";
    let fields = |group: &str| -> Vec<Case> {
        FIELD_COUNTS
            .iter()
            .flat_map(|&k| {
                ["aos", "soa"].map(|layout| {
                    Case::new(group, layout, &case_name("k", k as f64)).param("fields", k as f64)
                })
            })
            .collect()
    };
    let layouts = [
        <Declared as padding::Order>::NAME,
        <Sorted as padding::Order>::NAME,
        <RustRepr as padding::Order>::NAME,
        <Packed as padding::Order>::NAME,
    ];
    let mut wall = fields("fields");
    wall.extend([
        Case::new("records", "whole", "aos"),
        Case::new("records", "whole", "soa"),
    ]);
    wall.extend(layouts.map(|l| Case::new("padding", "scan", l)));
    let mut cases: Vec<Case> = wall.into_iter().map(|c| c.wall_only(big)).collect();
    cases.extend(
        sweep(
            "split",
            "line",
            "off",
            "offset",
            LINE_OFFSETS.map(|o| o as f64),
        )
        .into_iter()
        .zip(LINE_OFFSETS)
        .map(|(c, off)| {
            if SIM_LINE_OFFSETS.contains(&off) {
                c
            } else {
                c.wall_only(
                    "the instruction count is the same at every offset: callgrind counts the \
                     selection SIM_LINE_OFFSETS (aligned, misaligned, split)",
                )
            }
        }),
    );
    cases.extend(
        PAGE_OFFSETS
            .map(|(name, off)| Case::new("split", "page", name).param("offset", off as f64)),
    );
    cases.extend(
        [
            Case::new("hotcold", "scan", "inline"),
            Case::new("hotcold", "scan", "split"),
        ]
        .map(|c| c.wall_only(big)),
    );
    for (function, _) in DISTANCE_SWEEPS {
        cases.extend(
            sweep(
                "distance",
                function,
                "d",
                "distance",
                DISTANCES.map(|d| d as f64),
            )
            .into_iter()
            .map(|c| c.wall_only(prefetcher)),
        );
    }
    cases.extend(
        sweep(
            "tlb_fit",
            "light",
            "d",
            "distance",
            DISTANCES.map(|d| d as f64),
        )
        .into_iter()
        .chain([Case::new("tlb_fit", "light", "none")])
        .map(|c| c.wall_only(prefetcher)),
    );
    for order in ORDERS_HW {
        cases.extend(GATHERS.map(|(function, ..)| {
            Case::new("gather", function, &order.name()).wall_only(prefetcher)
        }));
    }
    for (function, ..) in GATHERS {
        cases.extend(
            sweep("small", function, "kib", "kib", [SMALL_KIB as f64])
                .into_iter()
                .map(|c| c.wall_only(prefetcher)),
        );
    }

    let mut counted = fields("sim_fields");
    counted.extend([
        Case::new("sim_records", "whole", "aos"),
        Case::new("sim_records", "whole", "soa"),
    ]);
    counted.extend(layouts.map(|l| Case::new("sim_padding", "scan", l)));
    counted.extend([
        Case::new("sim_hotcold", "accounts", "inline"),
        Case::new("sim_hotcold", "accounts", "split"),
        Case::new("sim_gather", "plain", &Order::Sequential.name()),
        Case::new("sim_gather", "plain", &Order::Random(GATHER_SEED).name()),
        Case::new("sim_gather", "prefetch", &Order::Random(GATHER_SEED).name()),
    ]);
    cases.extend(counted.into_iter().map(|c| c.instr_only(sim)));
    // The A/A control: the one-field AoS scan again, at the end of the run.
    cases.push(
        Case::new("fields", "aos", &case_name("k", 1.0))
            .param("fields", 1.0)
            .twin(),
    );
    cases
}
