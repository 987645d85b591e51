//! The chapter's load experiments: each starts its own server on 127.0.0.1, drives it with the
//! load generator, shuts it down, and turns the trace into the numbers the page shows.

use std::io;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::cases::{BATCH_COST, CAPACITY_CLIENTS, ITEM_NS, SEED, SERVICE_MEAN_NS};
use crate::loadgen::{Loop, Schedule, Trace, run};
use crate::server::{Server, ServerConfig};
use crate::stats::{Latencies, Little, little, mm1_mean, mm1_quantile, percentiles};

/// How long a run may take: twice its schedule and five seconds more, then it fails.
fn limit(schedule_secs: f64) -> Duration {
    Duration::from_secs_f64(schedule_secs * 2.0 + 5.0)
}

/// A finished run against a fresh server.
#[derive(Clone, Debug)]
pub struct Run {
    /// What happened to every request.
    pub trace: Trace,
    /// Mean requests per batch the server served.
    pub mean_batch: f64,
    /// Whether the server, the generator and the sampler all ran with real-time priority.
    pub realtime: bool,
}

/// Starts a server with `config`, runs `schedule` against it, and shuts it down.
pub fn against_server(config: ServerConfig, schedule: &Schedule, mode: Loop) -> io::Result<Run> {
    let server = Server::start(config)?;
    let secs = schedule
        .intended_ns
        .last()
        .map_or(0.0, |&t| t as f64 * 1e-9);
    let trace = run(server.addr(), schedule, mode, limit(secs));
    let stats = server.stats();
    let requests = stats.requests.load(Ordering::Relaxed) as f64;
    let batches = stats.batches.load(Ordering::Relaxed).max(1) as f64;
    let server_rt = stats.normal_priority.load(Ordering::Relaxed) == 0;
    server.shutdown();
    let trace = trace?;
    Ok(Run {
        realtime: trace.realtime && server_rt,
        trace,
        mean_batch: requests / batches,
    })
}

/// Requests completed per second between the first send and the last answer.
pub fn throughput(t: &Trace) -> f64 {
    let first = t.sent_ns.iter().copied().min().unwrap_or(0);
    let last = t.received_ns.iter().copied().max().unwrap_or(0);
    t.received_ns.len() as f64 / ((last - first) as f64 * 1e-9)
}

/// Requests sent per second between the first send and the last.
pub fn send_rate(t: &Trace) -> f64 {
    let first = t.sent_ns.iter().copied().min().unwrap_or(0);
    let last = t.sent_ns.iter().copied().max().unwrap_or(0);
    (t.sent_ns.len() - 1) as f64 / ((last - first) as f64 * 1e-9)
}

/// The service's capacity, measured.
#[derive(Clone, Copy, Debug)]
pub struct Capacity {
    /// Requests per second the saturated server completes.
    pub rps: f64,
    /// `1 / rps` in nanoseconds: the mean time the server spends per request, overheads
    /// included (the service time of the queueing model).
    pub service_ns: f64,
    /// Whether the run had real-time priority.
    pub realtime: bool,
}

// ANCHOR: capacity
/// Saturates the server with a closed loop of [`CAPACITY_CLIENTS`] clients that send
/// back to back for about `secs` seconds, and counts what it completes.
pub fn capacity(secs: f64) -> io::Result<Capacity> {
    let n = (secs * 1e9 / SERVICE_MEAN_NS) as usize;
    let schedule = Schedule::back_to_back(n, SERVICE_MEAN_NS, SEED);
    let mode = Loop::Closed {
        clients: CAPACITY_CLIENTS,
    };
    let run = against_server(ServerConfig::PLAIN, &schedule, mode)?;
    let rps = throughput(&run.trace);
    Ok(Capacity {
        rps,
        service_ns: 1e9 / rps,
        realtime: run.realtime,
    })
}
// ANCHOR_END: capacity

/// One load point: the offered load, what happened, and what the M/M/1 model predicts.
#[derive(Clone, Debug)]
pub struct LoadPoint {
    /// Arrival rate of the schedule, requests per second.
    pub offered_rps: f64,
    /// Rate at which requests were actually sent.
    pub sent_rps: f64,
    /// Rate at which answers came back.
    pub achieved_rps: f64,
    /// `sent_rps / capacity`, percent.
    pub util_pct: f64,
    /// The latencies.
    pub lat: Latencies,
    /// Little's law, measured.
    pub little: Little,
    /// M/M/1 mean time in the system at the measured utilisation, ns.
    pub mm1_mean_ns: f64,
    /// M/M/1 99th percentile of the time in the system, ns.
    pub mm1_p99_ns: f64,
    /// 99th percentile of how late requests were sent after their intended time, ns.
    pub send_lag_p99_ns: f64,
    /// Whether the run had real-time priority.
    pub realtime: bool,
}

// ANCHOR: load_point
/// Offers `util_pct` percent of the capacity as Poisson arrivals for `secs` seconds, in an
/// open or a closed loop, from the same schedule (the same seed) either way.
pub fn load_point(cap: &Capacity, util_pct: u32, mode: Loop, secs: f64) -> io::Result<LoadPoint> {
    let rate = cap.rps * f64::from(util_pct) / 100.0;
    let n = (rate * secs) as usize;
    let schedule = Schedule::poisson(rate, n, SERVICE_MEAN_NS, SEED ^ u64::from(util_pct));
    let Run {
        trace, realtime, ..
    } = against_server(ServerConfig::PLAIN, &schedule, mode)?;
    // The gap each client meant to leave between its requests.
    let clients = match mode {
        Loop::Open => 1.0,
        Loop::Closed { clients } => clients as f64,
    };
    let interval_ns = (clients * 1e9 / rate) as u64;
    let lat = Latencies::of(&trace, interval_ns);
    let sent_rps = send_rate(&trace);
    let rho = sent_rps / cap.rps;
    let mut lag = crate::stats::histogram();
    for (s, i) in trace.sent_ns.iter().zip(&trace.intended_ns) {
        lag.saturating_record((s - i).max(1));
    }
    Ok(LoadPoint {
        offered_rps: rate,
        sent_rps,
        achieved_rps: throughput(&trace),
        util_pct: rho * 100.0,
        little: little(&trace),
        mm1_mean_ns: mm1_mean(cap.service_ns, rho),
        mm1_p99_ns: mm1_quantile(cap.service_ns, rho, 0.99),
        send_lag_p99_ns: lag.value_at_quantile(0.99) as f64,
        realtime,
        lat,
    })
}
// ANCHOR_END: load_point

impl LoadPoint {
    /// The custom metrics recorded for this point (latencies in ns).
    pub fn metrics(&self) -> Vec<(&'static str, f64)> {
        let c = percentiles(&self.lat.corrected);
        let n = percentiles(&self.lat.naive);
        let r = percentiles(&self.lat.record_correct);
        vec![
            ("p50_ns", c.p50),
            ("p99_ns", c.p99),
            ("p999_ns", c.p999),
            ("mean_ns", c.mean),
            ("max_ns", c.max),
            ("naive_p50_ns", n.p50),
            ("naive_p99_ns", n.p99),
            ("naive_p999_ns", n.p999),
            ("naive_mean_ns", n.mean),
            ("rc_p99_ns", r.p99),
            ("rc_p999_ns", r.p999),
            ("offered_rps", self.offered_rps),
            ("sent_rps", self.sent_rps),
            ("achieved_rps", self.achieved_rps),
            ("util_pct", self.util_pct),
            ("mm1_mean_ns", self.mm1_mean_ns),
            ("mm1_p99_ns", self.mm1_p99_ns),
            ("little_l", self.little.l),
            ("little_lambda", self.little.lambda),
            ("little_w_ns", self.little.l / self.little.lambda * 1e9),
            ("w_ns", self.little.w * 1e9),
            ("little_ratio", self.little.ratio()),
            ("little_err_pct", (self.little.ratio() - 1.0).abs() * 100.0),
            ("send_lag_p99_ns", self.send_lag_p99_ns),
            ("realtime", f64::from(u8::from(self.realtime))),
        ]
    }
}

/// One point of the batching experiment.
#[derive(Clone, Debug)]
pub struct TradeoffPoint {
    /// Answers per second.
    pub throughput: f64,
    /// Latencies (back to back, so sent and intended coincide for the first request only;
    /// the naive latency is the one that means something here).
    pub lat: Latencies,
    /// Mean requests per batch the server served.
    pub mean_batch: f64,
    /// Whether the run had real-time priority.
    pub realtime: bool,
}

// ANCHOR: tradeoff
/// `clients` closed-loop clients sending back to back, each request asking for [`ITEM_NS`],
/// against a server that pays [`BATCH_COST`] per batch of at most `batch_max` requests.
pub fn tradeoff_point(batch_max: usize, clients: usize, secs: f64) -> io::Result<TradeoffPoint> {
    let config = ServerConfig {
        batch_max,
        batch_cost: BATCH_COST,
    };
    // Size the run from the throughput the server could reach with full batches.
    let per_batch = clients.min(batch_max) as f64;
    let guess = per_batch / (BATCH_COST.as_secs_f64() + per_batch * f64::from(ITEM_NS) * 1e-9);
    let n = ((guess * secs) as usize).max(4 * clients);
    let schedule = Schedule::back_to_back_fixed(n, ITEM_NS);
    let run = against_server(config, &schedule, Loop::Closed { clients })?;
    Ok(TradeoffPoint {
        throughput: throughput(&run.trace),
        lat: Latencies::of(&run.trace, 0),
        mean_batch: run.mean_batch,
        realtime: run.realtime,
    })
}
// ANCHOR_END: tradeoff

impl TradeoffPoint {
    /// The custom metrics recorded for this point (latencies in ns).
    pub fn metrics(&self) -> Vec<(&'static str, f64)> {
        let n = percentiles(&self.lat.naive);
        vec![
            ("throughput_rps", self.throughput),
            ("p50_ns", n.p50),
            ("p99_ns", n.p99),
            ("mean_ns", n.mean),
            ("mean_batch", self.mean_batch),
            ("realtime", f64::from(u8::from(self.realtime))),
        ]
    }
}
