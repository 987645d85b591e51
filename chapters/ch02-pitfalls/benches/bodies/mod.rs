//! The benchmarks' own code, wrong and right, shared by both harnesses.
//!
//! Each harness compiles this module into its own crate, as benchmark code always is: the
//! functions under measurement (`ch02::work`) come from another crate, and what the compiler
//! can see of them across that boundary decides what it may delete, fold, hoist or inline
//! here. Every pair below differs in one line.

use std::hint::black_box;

use ch02::cases::{NUMBER, REPEATS};
use ch02::work::{div_round, div_round_inline, hash, hash_rounds, parse_u64};

// ANCHOR: dce
/// Hashes every key and drops each hash. Nothing reads the results, `hash` has no
/// side effects, and its body is visible here: the compiler deletes the loop.
pub fn hash_each_discarded(keys: &[u64]) {
    for &k in keys {
        hash(k);
    }
}

/// Hashes every key and hands each hash to `black_box`, which the compiler must
/// assume reads it: every hash is computed.
pub fn hash_each_guarded(keys: &[u64]) {
    for &k in keys {
        black_box(hash(k));
    }
}
// ANCHOR_END: dce

// ANCHOR: fold
/// Parses a number the compiler can read: `NUMBER` is a constant, so it parses it
/// while compiling, and the benchmark returns the answer.
pub fn parse_constant() -> Option<u64> {
    parse_u64(NUMBER)
}

/// Parses the same bytes, passed through `black_box`: the compiler must assume they
/// could be any bytes, and emits the parser.
pub fn parse_opaque() -> Option<u64> {
    parse_u64(black_box(NUMBER))
}
// ANCHOR_END: fold

// ANCHOR: hoist
/// Hashes `key` `REPEATS` times, to give each timed iteration more work than one
/// short hash. The key does not change inside the loop, so neither does its hash:
/// the compiler computes it once, before the loop, and replaces the sum by a
/// multiplication.
pub fn hash_repeated(key: u64) -> u64 {
    let mut acc = 0u64;
    for _ in 0..REPEATS {
        acc = acc.wrapping_add(hash(key));
    }
    acc
}

/// The same loop with the key passed through `black_box` on every round: the
/// compiler cannot know that it is the same key each time, and hashes it `REPEATS`
/// times.
pub fn hash_repeated_guarded(key: u64) -> u64 {
    let mut acc = 0u64;
    for _ in 0..REPEATS {
        acc = acc.wrapping_add(hash(black_box(key)));
    }
    acc
}
// ANCHOR_END: hoist

// ANCHOR: inline
/// Converts timestamps with one call per element of the library's `div_round`. The
/// function is compiled in the library and not inlined into this crate, so the
/// divisor 1000 reaches it as a run-time value and it divides with a hardware
/// divide.
pub fn ns_to_us_calls(ns: &[u64], us: &mut [u64]) {
    for (u, &n) in us.iter_mut().zip(ns) {
        *u = div_round(n, 1000);
    }
}

/// The same loop calling `div_round_inline`, whose `#[inline]` lets the compiler
/// inline it here, see the constant divisor, and multiply by its reciprocal instead
/// of dividing.
pub fn ns_to_us_inline_hint(ns: &[u64], us: &mut [u64]) {
    for (u, &n) in us.iter_mut().zip(ns) {
        *u = div_round_inline(n, 1000);
    }
}
// ANCHOR_END: inline

// ANCHOR: rounds
/// `rounds` rounds of hashing of an opaque value: work of a chosen size.
pub fn rounds_of_work(x: u64, rounds: u32) -> u64 {
    hash_rounds(black_box(x), black_box(rounds))
}
// ANCHOR_END: rounds
