//! Copy the elements below a threshold into an output buffer: the same job with a branch and
//! without one.
//!
//! The input is built so that each element passes with a chosen probability, in random order,
//! or sorted. Whether the branch version is fast depends only on whether the predictor can
//! guess the outcome; the branchless version does the same work whatever the data.

use crate::input::{Rng, chance};

/// Elements below this pass the filter.
pub const THRESHOLD: u32 = 1 << 31;

/// `len` random `u32`, each below [`THRESHOLD`] with probability `percent / 100`.
pub fn filter_input(len: usize, percent: u32, seed: u64) -> Vec<u32> {
    let mut rng = Rng::new(seed);
    (0..len)
        .map(|_| {
            let low = rng.next_u64() as u32 & (THRESHOLD - 1);
            if chance(&mut rng, percent) {
                low
            } else {
                low | THRESHOLD
            }
        })
        .collect()
}

// ANCHOR: branchy
/// Copies every element below `threshold` to the front of `out`, in order, and returns how
/// many it copied. One conditional jump per element decides whether to store.
///
/// # Panics
/// If `out` is shorter than `input`.
#[inline(never)]
pub fn filter_branchy(input: &[u32], threshold: u32, out: &mut [u32]) -> usize {
    let out = &mut out[..input.len()];
    let mut n = 0;
    for &x in input {
        if x < threshold {
            out[n] = x;
            n += 1;
        }
    }
    n
}
// ANCHOR_END: branchy

// ANCHOR: branchless
/// The same result without a branch on the data: store every element at the next free slot,
/// and advance the slot only when the element passes. A rejected element is overwritten by
/// the next one. On x86-64 the comparison leaves its outcome in the carry flag, and `adc` adds
/// that 0 or 1 to the index: no jump depends on the data.
///
/// # Panics
/// If `out` is shorter than `input`.
#[inline(never)]
pub fn filter_branchless(input: &[u32], threshold: u32, out: &mut [u32]) -> usize {
    let out = &mut out[..input.len()];
    let mut n = 0;
    for &x in input {
        out[n] = x;
        n += usize::from(x < threshold);
    }
    n
}
// ANCHOR_END: branchless

/// A filter's input and the buffer it writes, built before measuring.
pub struct FilterCase {
    /// The elements.
    pub input: Vec<u32>,
    /// Room for every element.
    pub out: Vec<u32>,
}

/// Which version of the filter to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// [`filter_branchy`].
    Branchy,
    /// [`filter_branchless`].
    Branchless,
}

impl FilterCase {
    /// `len` elements in random order, `percent` of them passing.
    pub fn random(len: usize, percent: u32, seed: u64) -> FilterCase {
        FilterCase {
            input: filter_input(len, percent, seed),
            out: vec![0; len],
        }
    }

    /// The same values as [`FilterCase::random`], sorted: every passing element comes first.
    pub fn sorted(len: usize, percent: u32, seed: u64) -> FilterCase {
        let mut c = FilterCase::random(len, percent, seed);
        c.input.sort_unstable();
        c
    }

    /// Runs one version once and returns how many elements passed; they are the first that
    /// many of [`FilterCase::out`].
    pub fn run(&mut self, f: Filter) -> usize {
        match f {
            Filter::Branchy => filter_branchy(&self.input, THRESHOLD, &mut self.out),
            Filter::Branchless => filter_branchless(&self.input, THRESHOLD, &mut self.out),
        }
    }
}
