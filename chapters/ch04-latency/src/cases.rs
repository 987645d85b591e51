//! What the chapter measures, declared once ([`all`]) and shared by both harnesses and the
//! page: the wall-clock harness measures every case of the list (the load experiments with
//! benchkit's runner, the rest with criterion), the instruction-count harness names each of its
//! `#[bench]` cases after one of the others, and `figures.toml` names them by the same ids.

use std::time::Duration;

use benchkit::Mode;
use bookproto::{Case, sweep};

// ANCHOR: params
/// Mean service time the load experiments ask for (exponentially distributed), ns.
pub const SERVICE_MEAN_NS: f64 = 200_000.0;
/// Clients of the closed loop that measures the capacity: enough to keep the server busy.
pub const CAPACITY_CLIENTS: usize = 16;
/// Offered loads, in percent of the measured capacity.
pub const UTILISATIONS: [u32; 10] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 95];
/// Clients of the closed-loop generator compared with the open loop.
pub const CO_CLIENTS: usize = 1;
/// Clients of the second closed loop: enough to keep up with the schedule at every load, as a
/// constant-rate tool such as `wrk2` needs connections.
pub const CO_MANY_CLIENTS: usize = 16;
/// Batches of each load point's requests, for the batch-means interval of its tail.
pub const TAIL_BATCHES: usize = 10;
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
/// Seconds of schedule per load point, over all its rounds.
pub fn point_secs(mode: Mode) -> f64 {
    match mode {
        Mode::Quick => 1.5,
        Mode::Full => 10.0,
    }
}

/// Seconds of the capacity measurement, over all its rounds.
pub fn capacity_secs(mode: Mode) -> f64 {
    match mode {
        Mode::Quick => 1.0,
        Mode::Full => 3.0,
    }
}

/// Seconds per point of the batching experiment, over all its rounds.
pub fn tradeoff_secs(mode: Mode) -> f64 {
    match mode {
        Mode::Quick => 0.6,
        Mode::Full => 3.0,
    }
}

// ANCHOR_END: durations

/// Latencies the micro-benchmarks summarise.
pub const SUMMARY_LENS: [usize; 2] = [1024, 65536];
/// Requests in the buffer the protocol benchmarks parse and answer.
pub const FRAMES: usize = 64;

/// Latencies to summarise in the micro-benchmarks: `n` draws from an exponential
/// distribution of mean 200 µs, in nanoseconds, from a fixed seed.
pub fn latency_sample(n: usize) -> Vec<u64> {
    let mut rng = inputs::Rng::new(SEED);
    (0..n)
        .map(|_| benchkit::runner::load::exponential(&mut rng, SERVICE_MEAN_NS) as u64 + 1)
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
            body: crate::client::body_for(i).to_vec(),
        }
        .encode(&mut wire);
    }
    wire
}

/// Why the load experiments are measured by the wall-clock harness only.
const LOAD_WALL_ONLY: &str = "a server and its load generator on the loopback interface: \
    callgrind serialises their threads and does not time the network, and what the experiment \
    measures is time";

/// Every case of the chapter:
///
/// - `capacity/closed/n16`: the capacity run, [`CAPACITY_CLIENTS`] closed-loop clients back to
///   back (parameter `clients`);
/// - `load/open/u<pct>` and `load/closed/u<pct>`: one load point per utilisation of
///   [`UTILISATIONS`] (parameter `util`, percent of the measured capacity), in an open loop
///   and in a closed loop of [`CO_CLIENTS`] clients (parameter `clients`), and
///   `load/closed_many/u<pct>` in a closed loop of [`CO_MANY_CLIENTS`];
/// - `tradeoff/one_at_a_time/n<clients>` and `tradeoff/batched/n<clients>`: the batching
///   experiment, one point per number of clients of [`TRADEOFF_CLIENTS`] (parameters `clients`
///   and `batch_max`, the largest batch the server takes: 1 and [`BATCH_MAX`]);
///
/// all three measured by the wall-clock harness only, with benchkit's runner; and, measured by
/// both harnesses:
///
/// - `summary/hdr/n<len>` and `summary/sort/n<len>`: p50, p99 and p999 of [`SUMMARY_LENS`]
///   latencies (parameter `n`) by HDR histogram and by sorting a copy;
/// - `record/into_hdr/n4096` and `record/into_vec/n4096`: recording [`RECORD_LEN`] latencies
///   one at a time (parameter `n`);
/// - `protocol/handle/frames64`: parsing and answering [`FRAMES`] requests (parameter
///   `frames`).
pub fn all() -> Vec<Case> {
    let count = |v: usize| v as f64;
    let mut cases = vec![
        Case::new("capacity", "closed", &format!("n{CAPACITY_CLIENTS}"))
            .param("clients", count(CAPACITY_CLIENTS))
            .wall_only(LOAD_WALL_ONLY),
    ];
    let utils = UTILISATIONS.map(f64::from);
    for ((open, closed), many) in sweep("load", "open", "u", "util", utils)
        .into_iter()
        .zip(sweep("load", "closed", "u", "util", utils))
        .zip(sweep("load", "closed_many", "u", "util", utils))
    {
        cases.push(open.wall_only(LOAD_WALL_ONLY));
        cases.push(
            closed
                .param("clients", count(CO_CLIENTS))
                .wall_only(LOAD_WALL_ONLY),
        );
        cases.push(
            many.param("clients", count(CO_MANY_CLIENTS))
                .wall_only(LOAD_WALL_ONLY),
        );
    }
    for (server, batch_max) in [("one_at_a_time", 1), ("batched", BATCH_MAX)] {
        cases.extend(
            sweep(
                "tradeoff",
                server,
                "n",
                "clients",
                TRADEOFF_CLIENTS.map(count),
            )
            .into_iter()
            .map(|c| {
                c.param("batch_max", count(batch_max))
                    .wall_only(LOAD_WALL_ONLY)
            }),
        );
    }
    for n in SUMMARY_LENS {
        for function in ["hdr", "sort"] {
            cases.push(Case::new("summary", function, &format!("n{n}")).param("n", count(n)));
        }
    }
    for function in ["into_hdr", "into_vec"] {
        cases.push(
            Case::new("record", function, &format!("n{RECORD_LEN}")).param("n", count(RECORD_LEN)),
        );
    }
    cases.push(
        Case::new("protocol", "handle", &format!("frames{FRAMES}")).param("frames", count(FRAMES)),
    );
    // The A/A control: the largest HDR summary again, at the end of the run.
    let n = SUMMARY_LENS[SUMMARY_LENS.len() - 1];
    cases.push(
        Case::new("summary", "hdr", &format!("n{n}"))
            .param("n", count(n))
            .twin(),
    );
    cases
}
