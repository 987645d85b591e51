//! Chapter 02, pitfalls: benchmarks that measure the wrong thing, and how to make them measure
//! the right one.
//!
//! - [`work`]: the functions under measurement, ordinary code.
//! - [`cache`]: evicting data from the caches, on the hardware and in callgrind's simulation.
//! - [`predict`]: a pool of inputs to cycle through, for the branch-predictor experiment.
//! - [`timer`]: the clock's cost and step, and the naive way of timing one call.
//!
//! [`cases`] lists what both harnesses run; its inputs come from the book's seeded generator
//! (crate `inputs`). The benchmarks' own code, right and wrong, is in `benches/bodies/`,
//! compiled into each harness as benchmark code is: in another crate than the functions it
//! measures.

pub mod cache;
pub mod cases;
pub mod predict;
pub mod timer;
pub mod work;
