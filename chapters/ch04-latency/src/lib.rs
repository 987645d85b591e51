//! Chapter 04, latency: a real service on the loopback interface, a load generator with open and
//! closed loops, latency percentiles from HDR histograms, coordinated omission, Little's law, the
//! M/M/1 queue, and the trade-off between throughput and latency.
//!
//! - [`protocol`]: length-prefixed request and response frames.
//! - [`server`]: the TCP service, one thread per connection, with a configurable service time
//!   and optional batching.
//! - [`loadgen`]: arrival schedules and the open- and closed-loop generator.
//! - [`stats`]: percentiles, Little's law and the queueing model.
//! - [`experiment`]: the measurements the benchmarks record.
//! - [`cases`]: the parameters both harnesses share.

pub mod cases;
pub mod experiment;
pub mod loadgen;
pub mod protocol;
pub mod server;
pub mod stats;
