//! Chapter 07, branches: what a mispredicted branch costs, how to write code without one, and
//! the bit-level kernels that replace loops of branches with a few instructions.
//!
//! - [`input`]: a seeded generator and the inputs every experiment builds from it.
//! - [`filter`]: one filter written with a branch and without one, run over data whose
//!   branch outcome is more or less predictable.
//! - [`search`]: a lower-bound binary search with a branch, with a select, and the standard
//!   library's.
//! - [`bits`]: population count, iterating set bits, `pext`/`pdep` and a byte search, each
//!   naive and with a bit trick.
//! - [`bitset`]: set membership as a bitset, a `Vec<bool>` and a `HashSet`.
//!
//! [`cases`] lists what both benchmark harnesses run, so that a time and a count with the same
//! id describe the same work.

pub mod bits;
pub mod bitset;
pub mod cases;
pub mod filter;
pub mod input;
pub mod search;
