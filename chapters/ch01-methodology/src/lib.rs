//! Chapter 01, methodology: how to measure, and how far to trust a measurement.
//!
//! The chapter's experiments share three pieces of code, one module each:
//!
//! - [`workload`]: the sort input (from the book's seeded generator, crate `inputs`) and the
//!   functions under measurement.
//! - [`layout`]: one kernel run over data whose layout changes while the code and the values
//!   stay the same.
//! - [`hidden`]: the same binary started again with a different environment size, or with
//!   address-space randomisation, and nothing else changed.
//! - [`stats`]: the statistics the chapter explains (median, spread, bootstrap confidence
//!   intervals, comparing two versions, Amdahl's law), written out so that they can be read.
//!
//! [`cases`] lists the cases that both benchmark harnesses run, so that a wall-clock number and
//! an instruction count with the same id always describe the same work.

pub mod cases;
pub mod hidden;
pub mod layout;
pub mod stats;
pub mod workload;
