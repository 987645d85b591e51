//! The caller side of the LTO experiment: hot loops over `ch09_callee`'s functions, which live
//! in another crate. Whether a call in these loops is inlined depends on the function (a leaf
//! or not, `#[inline]` or not) and on the profile the program is built with (link-time
//! optimisation, codegen units). `src/bin/lto_demo.rs` times them; the wall harness builds that
//! program under each profile of [`crate::cases::LTO_PROFILES`].

use ch09_callee::{mix_checked, mix_checked_inline, mix_leaf};

// ANCHOR: loops
/// The wrapping sum of [`mix_leaf`] over `xs`.
#[inline(never)]
pub fn sum_leaf(xs: &[u64]) -> u64 {
    xs.iter()
        .fold(0u64, |acc, &x| acc.wrapping_add(mix_leaf(x)))
}

/// The wrapping sum of [`mix_checked`] over `xs`.
#[inline(never)]
pub fn sum_checked(xs: &[u64]) -> u64 {
    xs.iter()
        .fold(0u64, |acc, &x| acc.wrapping_add(mix_checked(x)))
}

/// The wrapping sum of [`mix_checked_inline`] over `xs`.
#[inline(never)]
pub fn sum_checked_inline(xs: &[u64]) -> u64 {
    xs.iter()
        .fold(0u64, |acc, &x| acc.wrapping_add(mix_checked_inline(x)))
}
// ANCHOR_END: loops

/// A loop of this module.
pub type Loop = fn(&[u64]) -> u64;

/// The loops of this module by case name, as `lto_demo` and the harnesses name them.
pub const CASES: [(&str, Loop); 3] = [
    ("leaf", sum_leaf),
    ("checked", sum_checked),
    ("checked_inline", sum_checked_inline),
];

/// The input of the loops: `len` distinct values, none of them the callee's reserved value.
/// Built without a random generator so that `lto_demo` needs nothing but this crate.
pub fn input(len: usize) -> Vec<u64> {
    (0..len as u64)
        .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .collect()
}

/// The model of all three loops.
pub fn model(xs: &[u64]) -> u64 {
    let mut acc = 0u64;
    for &x in xs {
        acc = acc.wrapping_add(mix_leaf(x));
    }
    acc
}
