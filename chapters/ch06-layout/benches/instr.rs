//! Instruction-count harness (gungraun, callgrind) for chapter 06. Every `#[bench]` case is a
//! case of the chapter's case list, `ch06::cases::all`. The arguments of each `#[bench]` are
//! built before callgrind starts counting, and what a benchmark returns is dropped after it
//! stops.
//!
//! Callgrind simulates a two-level cache of fixed sizes (32 KiB L1 data, 8 MiB last level), not
//! this machine's, and no prefetcher of any kind. The cases are small versions of the
//! wall-clock ones, in `sim_` groups, except the split loads, which are the same work and keep
//! the wall-clock ids.

// gungraun's macros generate public modules, constants and functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use ch06::cases::*;
use ch06::gather::{Order, gather, gather_prefetch, line_indices, table, with_tail};
use ch06::hotcold::{Account, Split, random_accounts, scan_inline, scan_split, split};
use ch06::padding::{self, Declared, Packed, RustRepr, Sorted, lay_out, notional, random_fields};
use ch06::soa::{
    Aos, Soa, gather_records_aos, gather_records_soa, random_indices, sum_fields_aos,
    sum_fields_soa,
};
use ch06::split::{Buffer, LINE, PAGE, sum_at};
use gungraun::{library_benchmark, library_benchmark_group, main};

fn make_aos() -> Aos {
    Aos::random(SIM_SOA_RECORDS, SOA_SEED)
}

fn make_soa() -> Soa {
    make_aos().to_soa()
}

#[library_benchmark]
#[bench::k1(make_aos(), 1)]
#[bench::k2(make_aos(), 2)]
#[bench::k4(make_aos(), 4)]
#[bench::k8(make_aos(), 8)]
#[bench::k16(make_aos(), 16)]
fn aos(a: Aos, k: usize) -> (Aos, u64) {
    let s = sum_fields_aos(black_box(&a), k);
    (a, s)
}

#[library_benchmark]
#[bench::k1(make_soa(), 1)]
#[bench::k2(make_soa(), 2)]
#[bench::k4(make_soa(), 4)]
#[bench::k8(make_soa(), 8)]
#[bench::k16(make_soa(), 16)]
fn soa(s: Soa, k: usize) -> (Soa, u64) {
    let r = sum_fields_soa(black_box(&s), k);
    (s, r)
}

/// The records of a whole-record gather in one layout, with the indices to read.
enum Whole {
    Aos(Aos, Vec<u32>),
    Soa(Box<Soa>, Vec<u32>),
}

fn whole_case(soa: bool) -> Whole {
    let idx = random_indices(SIM_WHOLE_LOOKUPS, SIM_SOA_RECORDS, SOA_SEED);
    if soa {
        Whole::Soa(Box::new(make_soa()), idx)
    } else {
        Whole::Aos(make_aos(), idx)
    }
}

#[library_benchmark]
#[bench::aos(whole_case(false))]
#[bench::soa(whole_case(true))]
fn whole(case: Whole) -> (Whole, u64) {
    let s = match black_box(&case) {
        Whole::Aos(a, idx) => gather_records_aos(a, idx),
        Whole::Soa(s, idx) => gather_records_soa(s, idx),
    };
    (case, s)
}

/// The orders in one of the four layouts.
enum Orders {
    Declared(Vec<Declared>),
    Sorted(Vec<Sorted>),
    Rust(Vec<RustRepr>),
    Packed(Vec<Packed>),
}

fn orders<T: padding::Order>() -> Vec<T> {
    lay_out(&random_fields(SIM_ORDERS, ORDER_SEED))
}

#[library_benchmark]
#[bench::declared(Orders::Declared(orders()))]
#[bench::sorted(Orders::Sorted(orders()))]
#[bench::rust(Orders::Rust(orders()))]
#[bench::packed(Orders::Packed(orders()))]
fn scan(o: Orders) -> (Orders, u64) {
    let s = match black_box(&o) {
        Orders::Declared(v) => notional(v),
        Orders::Sorted(v) => notional(v),
        Orders::Rust(v) => notional(v),
        Orders::Packed(v) => notional(v),
    };
    (o, s)
}

fn buffer() -> Buffer {
    Buffer::new(SPLIT_PAGES + 1, SPLIT_SEED)
}

// Aligned, misaligned inside a line, split across two lines.
#[library_benchmark]
#[bench::off0(buffer(), 0)]
#[bench::off33(buffer(), 33)]
#[bench::off60(buffer(), 60)]
fn line(buf: Buffer, off: usize) -> (Buffer, u64) {
    let s = sum_at(black_box(buf.bytes()), off, LINE, SPLIT_LINES, SPLIT_PASSES);
    (buf, s)
}

#[library_benchmark]
#[bench::aligned(buffer(), 4032)]
#[bench::line_split(buffer(), 4028)]
#[bench::page_split(buffer(), 4092)]
fn page(buf: Buffer, off: usize) -> (Buffer, u64) {
    let s = sum_at(black_box(buf.bytes()), off, PAGE, SPLIT_PAGES, PAGE_PASSES);
    (buf, s)
}

/// The accounts, inline or split.
enum Accounts {
    Inline(Vec<Account>),
    Split(Split),
}

fn make_accounts(split_them: bool) -> Accounts {
    let a = random_accounts(SIM_ACCOUNTS, AUDIT_ONE_IN, ACCOUNT_SEED);
    if split_them {
        Accounts::Split(split(&a))
    } else {
        Accounts::Inline(a)
    }
}

#[library_benchmark]
#[bench::inline(make_accounts(false))]
#[bench::split(make_accounts(true))]
fn accounts(a: Accounts) -> (Accounts, u64) {
    let r = match black_box(&a) {
        Accounts::Inline(v) => scan_inline(v),
        Accounts::Split(s) => scan_split(s),
    };
    (a, r.total as u64 ^ r.names)
}

fn gather_case(order: Order) -> (Vec<u64>, Vec<u32>) {
    let idx = line_indices(SIM_TABLE_LINES, order);
    (table(SIM_TABLE_LINES, GATHER_SEED), idx)
}

#[library_benchmark]
#[bench::sequential(gather_case(Order::Sequential))]
#[bench::random(gather_case(Order::Random(GATHER_SEED)))]
fn plain(case: (Vec<u64>, Vec<u32>)) -> (Vec<u64>, Vec<u32>, u64) {
    let (data, idx) = case;
    let s = gather(black_box(&data), black_box(&idx), LIGHT);
    (data, idx, s)
}

#[library_benchmark]
#[bench::random(gather_case(Order::Random(GATHER_SEED)))]
fn prefetch(case: (Vec<u64>, Vec<u32>)) -> (Vec<u64>, Vec<u32>, u64) {
    let (data, idx) = case;
    let n = idx.len();
    let idx = with_tail(&idx, DIST);
    let s = gather_prefetch(black_box(&data), black_box(&idx), n, DIST, LIGHT);
    (data, idx, s)
}

library_benchmark_group!(name = sim_fields; benchmarks = aos, soa);
library_benchmark_group!(name = sim_records; benchmarks = whole);
library_benchmark_group!(name = sim_padding; benchmarks = scan);
library_benchmark_group!(name = split; benchmarks = line, page);
library_benchmark_group!(name = sim_hotcold; benchmarks = accounts);
library_benchmark_group!(name = sim_gather; benchmarks = plain, prefetch);

main!(
    config = benchkit::instr_config();
    library_benchmark_groups = sim_fields,
    sim_records,
    sim_padding,
    split,
    sim_hotcold,
    sim_gather
);
