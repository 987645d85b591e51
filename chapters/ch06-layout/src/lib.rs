//! Chapter 06, layout: the same data arranged differently in memory, and what the arrangement
//! does to the caches, the prefetchers and the time of the code that reads it.
//!
//! - [`soa`]: records of sixteen fields stored as an array of structures (AoS) and as a
//!   structure of arrays (SoA); a sweep over how many fields a scan touches, and a gather of
//!   whole records.
//! - [`padding`]: one record declared four ways (field order as written, fields sorted by
//!   alignment, Rust's default representation, packed), with sizes asserted at compile time.
//! - [`split`]: loads that straddle a cache line or a page, against aligned ones.
//! - [`hotcold`]: a record with a rarely read part kept inline, and the same data with that
//!   part moved to a second array.
//! - [`gather`]: an indexed gather with and without software prefetch, over index orders that
//!   the hardware prefetchers can and cannot follow.
//!
//! [`cases`] lists what both benchmark harnesses run, so that a time and a count with the same
//! id describe the same work.

pub mod cases;
pub mod gather;
pub mod hotcold;
pub mod padding;
pub mod soa;
pub mod split;
