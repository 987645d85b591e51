//! The cases both harnesses measure. `benches/wall.rs` (criterion) and `benches/instr.rs`
//! (gungraun) read these lists, and the ids they give each case (`group/function/case`) are the
//! ids that `figures.toml` names.
//!
//! The wall-clock cases are sized past the last-level cache (32 MiB on the reference machine),
//! so that they measure traffic to memory; the counted cases are small, because callgrind runs
//! some fifty times slower than the processor and simulates caches of fixed sizes (32 KiB L1,
//! 8 MiB last level), not this machine's.

use crate::gather::Order;

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

/// The id of a field-count case: `k4`.
pub fn fields_case(k: usize) -> String {
    format!("k{k}")
}

/// The id of an offset case: `off60`.
pub fn offset_case(offset: usize) -> String {
    format!("off{offset}")
}

/// The id of a distance case: `d32`.
pub fn dist_case(d: usize) -> String {
    format!("d{d}")
}

const _: () = assert!(LIGHT < HEAVY);
