//! Chapter 05, caches: the memory hierarchy measured, and algorithms that respect it.
//!
//! - [`pages`]: memory mapped by hand, with the kernel advised to back it with transparent huge
//!   pages or not to, and a reading of how much of it the kernel actually backed with them.
//! - [`chase`]: a ring of cache lines linked in a random single cycle, for measuring the
//!   latency of dependent loads, and a sequential read of the same lines, for bandwidth.
//! - [`transpose`]: matrix transposition three ways: naive, blocked (cache-aware) and
//!   recursive (cache-oblivious).
//!
//! [`cases`] lists the cases that both benchmark harnesses run.

pub mod cases;
pub mod chase;
pub mod pages;
pub mod transpose;
