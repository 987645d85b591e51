//! Inputs shared by both harnesses, built from the seeds of `ch09::cases` with the book's
//! seeded generator, so that a time and a count with the same id measure the same values.

use ch09::cases::{DISPATCH_LEN, DISPATCH_ORDERS, SCORE_LEN, SEED, SUM_LEN};
use ch09::dispatch::{AnyOp, Op};
use ch09::inlining::LIMIT;
use inputs::{Rng as WyRand, random_bytes, random_u64s};

/// The values the sum kernels add.
pub fn sum_input() -> Vec<u64> {
    random_u64s(SUM_LEN, SEED)
}

/// The bytes the CRC-32C kernels checksum.
pub fn crc_input() -> Vec<u8> {
    random_bytes(ch09::cases::CRC_LEN, SEED)
}

/// The values the inlining loops score: every one below the validating sums' limit.
pub fn score_input() -> Vec<u32> {
    let mut rng = WyRand::new(SEED);
    (0..SCORE_LEN)
        .map(|_| rng.below(u64::from(LIMIT)) as u32)
        .collect()
}

/// The values the dispatch loops apply operations to.
pub fn dispatch_values() -> Vec<u64> {
    random_u64s(DISPATCH_LEN, SEED ^ 1)
}

/// The mixed collection: operations of the three types in random order.
pub fn mixed_ops() -> Vec<AnyOp> {
    random_order(SEED ^ 2)
}

/// [`DISPATCH_ORDERS`] mixed collections, each in its own random order; the first is
/// [`mixed_ops`].
#[allow(dead_code)] // the wall harness's only
pub fn mixed_orders() -> Vec<Vec<AnyOp>> {
    (0..DISPATCH_ORDERS as u64)
        .map(|k| {
            if k == 0 {
                mixed_ops()
            } else {
                random_order(SEED ^ (0x100 + k))
            }
        })
        .collect()
}

fn random_order(seed: u64) -> Vec<AnyOp> {
    let mut rng = WyRand::new(seed);
    (0..DISPATCH_LEN)
        .map(|_| AnyOp::from_random(rng.next_u64()))
        .collect()
}

/// The same operations sorted by type: the first third (about) are all additions, and so on.
pub fn mixed_ops_sorted() -> Vec<AnyOp> {
    let mut ops = mixed_ops();
    ops.sort_by_key(|o| o.kind());
    ops
}

/// The operations as boxed trait objects.
pub fn to_boxed(ops: &[AnyOp]) -> Vec<Box<dyn Op>> {
    ops.iter().map(|o| o.boxed()).collect()
}

/// The constant of the one-type experiments' multiplication.
pub const MUL: u64 = 0x9e37_79b9_7f4a_7c15;
