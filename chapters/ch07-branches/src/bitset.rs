//! Set membership over a small universe of integers, three ways: one bit per value, one byte
//! per value, and a hash set.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher};

use crate::input::{Rng, chance};

// ANCHOR: bitset
/// A set of integers in `0..universe`, one bit each.
#[derive(Clone, Debug)]
pub struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    /// An empty set of values below `universe`.
    pub fn new(universe: u32) -> Bitset {
        Bitset {
            words: vec![0; (universe as usize).div_ceil(64)],
        }
    }

    /// Adds `v`.
    ///
    /// # Panics
    /// If `v` is outside the universe.
    pub fn insert(&mut self, v: u32) {
        self.words[v as usize / 64] |= 1 << (v % 64);
    }

    /// Whether `v` is in the set; values outside the universe are not.
    pub fn contains(&self, v: u32) -> bool {
        self.words
            .get(v as usize / 64)
            .is_some_and(|w| (w >> (v % 64)) & 1 == 1)
    }

    /// Number of members, by population count.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }
}
// ANCHOR_END: bitset

/// Which set representation a membership query uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetKind {
    /// [`Bitset`]: 8 KiB for a 65,536-value universe.
    Bitset,
    /// `Vec<bool>`: a byte per value.
    VecBool,
    /// `HashSet<u32>` with the standard library's SipHash, keyed with zeros ([`FixedHashSet`]).
    HashSet,
}

/// A `HashSet` with the standard library's hash function (SipHash-1-3) under fixed keys. The
/// default `RandomState` draws new keys in every process, which changes the probe sequences and
/// so the instruction count from run to run; fixed keys cost the same per lookup and count the
/// same every time.
pub type FixedHashSet = HashSet<u32, BuildHasherDefault<DefaultHasher>>;

/// The same set in three representations, and the queries, built before measuring.
pub struct MemberCase {
    /// One bit per value.
    pub bits: Bitset,
    /// One byte per value.
    pub bools: Vec<bool>,
    /// Hashed.
    pub hash: FixedHashSet,
    /// Values to look up.
    pub queries: Vec<u32>,
}

impl MemberCase {
    /// A set holding each value below `universe` with probability `percent / 100`, and
    /// `queries` random values below `universe` to look up.
    pub fn new(universe: u32, percent: u32, queries: usize, seed: u64) -> MemberCase {
        let mut rng = Rng::new(seed);
        let mut bits = Bitset::new(universe);
        let mut bools = vec![false; universe as usize];
        let mut hash = FixedHashSet::default();
        for v in 0..universe {
            if chance(&mut rng, percent) {
                bits.insert(v);
                bools[v as usize] = true;
                hash.insert(v);
            }
        }
        let queries = (0..queries)
            .map(|_| rng.below(u64::from(universe)) as u32)
            .collect();
        MemberCase {
            bits,
            bools,
            hash,
            queries,
        }
    }

    /// How many queries are members, asked of one representation.
    pub fn run(&self, kind: SetKind) -> usize {
        match kind {
            SetKind::Bitset => count_bitset(&self.bits, &self.queries),
            SetKind::VecBool => count_bools(&self.bools, &self.queries),
            SetKind::HashSet => count_hash(&self.hash, &self.queries),
        }
    }
}

#[inline(never)]
fn count_bitset(set: &Bitset, queries: &[u32]) -> usize {
    queries.iter().filter(|&&q| set.contains(q)).count()
}

#[inline(never)]
fn count_bools(set: &[bool], queries: &[u32]) -> usize {
    queries
        .iter()
        .filter(|&&q| set.get(q as usize).copied().unwrap_or(false))
        .count()
}

#[inline(never)]
fn count_hash(set: &FixedHashSet, queries: &[u32]) -> usize {
    queries.iter().filter(|&&q| set.contains(&q)).count()
}
