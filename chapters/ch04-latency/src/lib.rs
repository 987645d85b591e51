//! Chapter 04, latency: a real service on the loopback interface, loaded in open and closed
//! loops by benchkit's experiment runner, latency percentiles from HDR histograms, coordinated
//! omission, Little's law, the M/M/1 queue, and the trade-off between throughput and latency.
//!
//! - [`protocol`]: length-prefixed request and response frames.
//! - [`server`]: the TCP service, one thread per connection, with a configurable service time
//!   and optional batching.
//! - [`client`]: what a run sends, and the connection the runner's load generator drives.
//! - [`stats`]: percentiles by sorting and by histogram, Little's law and the queueing model.
//! - [`experiment`]: one run of each load experiment, as a sample for the runner.
//! - [`cases`]: the case list and the parameters both harnesses share.

pub mod cases;
pub mod client;
pub mod experiment;
pub mod protocol;
pub mod server;
pub mod stats;
