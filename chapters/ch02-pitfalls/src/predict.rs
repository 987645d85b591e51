//! Inputs for the branch-predictor experiment: a pool of inputs that a benchmark cycles
//! through, one per call.

use crate::work::keep_large;
use inputs::random_bytes;

/// `count` inputs of `len` random bytes, visited in turn, and an output buffer.
pub struct Pool {
    inputs: Vec<Vec<u8>>,
    next: usize,
    out: Vec<u8>,
}

impl Pool {
    /// `count` inputs of `len` random bytes, from `seed`.
    ///
    /// # Panics
    /// If `count` is zero.
    pub fn random(count: usize, len: usize, seed: u64) -> Pool {
        assert!(count > 0, "a pool needs at least one input");
        let all = random_bytes(count * len, seed);
        Pool {
            inputs: all.chunks_exact(len).map(<[u8]>::to_vec).collect(),
            next: 0,
            out: vec![0; len],
        }
    }

    /// The same values as [`Pool::random`], each input sorted: its branches fall one way for
    /// the first half and the other way for the second, whatever the predictor remembers.
    pub fn sorted(count: usize, len: usize, seed: u64) -> Pool {
        let mut p = Pool::random(count, len, seed);
        for v in &mut p.inputs {
            v.sort_unstable();
        }
        p
    }

    /// Number of distinct inputs.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether the pool has no inputs (never: [`Pool::random`] refuses).
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// The inputs, in the order they are visited.
    pub fn inputs(&self) -> &[Vec<u8>] {
        &self.inputs
    }

    // ANCHOR: filter_next
    /// Runs [`keep_large`] on the next input of the pool, wrapping around after the
    /// last, and returns how many values it kept.
    pub fn filter_next(&mut self) -> usize {
        let i = self.next;
        self.next = if i + 1 == self.inputs.len() { 0 } else { i + 1 };
        keep_large(&self.inputs[i], &mut self.out)
    }
    // ANCHOR_END: filter_next
}
