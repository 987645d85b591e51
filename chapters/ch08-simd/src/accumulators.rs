//! One sum with 1, 2, 4, 8 or 16 independent accumulators.
//!
//! A vector addition takes a few cycles to produce its result (its latency), but the core can
//! start one or two new ones every cycle (its throughput). A loop with one accumulator waits
//! for each addition before it can start the next; with `N` accumulators, `N` additions are in
//! flight. Once `N` covers latency times throughput, the additions stop being the limit and
//! the loads (or the memory behind them) take over.

use crate::isa::Isa;

/// The accumulator counts measured.
pub const COUNTS: [usize; 5] = [1, 2, 4, 8, 16];

/// [`crate::sum::sum_lanes`] with `n` scalar `f32` partial sums (the compiler decides whether
/// they become vector registers).
///
/// # Panics
/// When `n` is not one of [`COUNTS`].
pub fn sum_portable(n: usize, x: &[f32]) -> f32 {
    match n {
        1 => portable::<1>(x),
        2 => portable::<2>(x),
        4 => portable::<4>(x),
        8 => portable::<8>(x),
        16 => portable::<16>(x),
        _ => panic!("{n} accumulators is not one of {COUNTS:?}"),
    }
}

#[inline(never)]
fn portable<const L: usize>(x: &[f32]) -> f32 {
    crate::sum::sum_lanes::<L>(x)
}

/// The intrinsics sum for `isa` with `n` vector accumulators.
///
/// # Panics
/// When `n` is not one of [`COUNTS`] or the CPU does not support `isa`.
pub fn sum_simd(isa: Isa, n: usize, x: &[f32]) -> f32 {
    use crate::sum::sum_simd_accs;
    match n {
        1 => sum_simd_accs::<1>(isa, x),
        2 => sum_simd_accs::<2>(isa, x),
        4 => sum_simd_accs::<4>(isa, x),
        8 => sum_simd_accs::<8>(isa, x),
        16 => sum_simd_accs::<16>(isa, x),
        _ => panic!("{n} accumulators is not one of {COUNTS:?}"),
    }
}
