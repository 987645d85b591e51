//! What the chapter measures, shared by both harnesses and the page.

use std::time::Duration;

use benchkit::Mode;

// ANCHOR: params
/// Mean service time the load experiments ask for (exponentially distributed), ns.
pub const SERVICE_MEAN_NS: f64 = 200_000.0;
/// Clients of the closed loop that measures the capacity: enough to keep the server busy.
pub const CAPACITY_CLIENTS: usize = 16;
/// Offered loads, in percent of the measured capacity.
pub const UTILISATIONS: [u32; 10] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 95];
/// Clients of the closed-loop generator compared with the open loop.
pub const CO_CLIENTS: usize = 1;
// ANCHOR_END: params
/// Seed of every schedule.
pub const SEED: u64 = 0x004c_4154_454e_4359;

// ANCHOR: batching
/// The batching experiment: each request's own service time, ns.
pub const ITEM_NS: u32 = 50_000;
/// The batching experiment: the fixed cost of serving a batch, of one request or many.
pub const BATCH_COST: Duration = Duration::from_micros(200);
/// The batching experiment: the largest batch the batching server takes.
pub const BATCH_MAX: usize = 64;
/// The batching experiment: numbers of closed-loop clients.
pub const TRADEOFF_CLIENTS: [usize; 7] = [1, 2, 4, 8, 16, 32, 64];
// ANCHOR_END: batching

// ANCHOR: durations
/// Seconds of schedule per load point.
pub fn point_secs(mode: Mode) -> f64 {
    match mode {
        Mode::Quick => 1.5,
        Mode::Full => 10.0,
    }
}

/// Seconds of the capacity measurement.
pub fn capacity_secs(mode: Mode) -> f64 {
    match mode {
        Mode::Quick => 1.0,
        Mode::Full => 3.0,
    }
}

/// Seconds per point of the batching experiment.
pub fn tradeoff_secs(mode: Mode) -> f64 {
    match mode {
        Mode::Quick => 0.6,
        Mode::Full => 3.0,
    }
}

// ANCHOR_END: durations

/// The case name of a utilisation: `u50`.
pub fn util_case(u: u32) -> String {
    format!("u{u}")
}

/// The case name of a number of clients: `n16`.
pub fn clients_case(n: usize) -> String {
    format!("n{n}")
}

/// Latencies the micro-benchmarks summarise.
pub const SUMMARY_LENS: [usize; 2] = [1024, 65536];
/// Requests in the buffer the protocol benchmarks parse and answer.
pub const FRAMES: usize = 64;

/// Latencies to summarise in the micro-benchmarks: `n` draws from an exponential
/// distribution of mean 200 µs, in nanoseconds, from a fixed seed.
pub fn latency_sample(n: usize) -> Vec<u64> {
    let mut rng = benchkit::rng::WyRand::new(SEED);
    (0..n)
        .map(|_| crate::loadgen::exponential(&mut rng, SERVICE_MEAN_NS) as u64 + 1)
        .collect()
}

/// Values recorded one at a time in the recording benchmarks.
pub const RECORD_LEN: usize = 4096;

/// [`FRAMES`] encoded requests, as the server receives them.
pub fn request_frames() -> Vec<u8> {
    let mut wire = Vec::new();
    for i in 0..FRAMES as u64 {
        crate::protocol::Request {
            id: i,
            service_ns: 200_000,
            body: crate::loadgen::body_for(i).to_vec(),
        }
        .encode(&mut wire);
    }
    wire
}

/// The case name of a sample size: `n1024`.
pub fn len_case(n: usize) -> String {
    format!("n{n}")
}
