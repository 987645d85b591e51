//! The chapter's load experiments, one run each: a run starts its own server on 127.0.0.1,
//! drives it with benchkit's load generator over one [`Connection`](crate::client::Connection),
//! shuts it down, and turns the trace into a [`Sample`] of the numbers the page shows.
//! benchkit's runner (`benches/wall.rs`) repeats each run in interleaved rounds and combines
//! them into the recorded measurement.

use std::io;
use std::sync::atomic::Ordering;
use std::time::Duration;

use benchkit::runner::Sample;
use benchkit::runner::load::{Latencies, Loop, Trace};
use bookproto::Record;

use crate::cases::{BATCH_COST, ITEM_NS, SERVICE_MEAN_NS, TAIL_BATCHES};
use crate::client::{Workload, run};
use crate::server::Stats;
use crate::server::{Server, ServerConfig};
use crate::stats::{batch_quantile, little, mm1_mean, mm1_quantile, pk_mean};

/// How long a run may take: twice its schedule and five seconds more, then it fails.
fn limit(schedule_secs: f64) -> Duration {
    Duration::from_secs_f64(schedule_secs * 2.0 + 5.0)
}

/// A finished run against a fresh server.
#[derive(Clone, Debug)]
pub struct Served {
    /// What happened to every request.
    pub trace: Trace,
    /// Mean requests per batch the server served.
    pub mean_batch: f64,
    /// Whether the server, the generator and the sampler all ran with real-time priority.
    pub realtime: bool,
    /// What the server measured of itself.
    pub server: ServerSide,
}

/// What the server measured of itself over a run: its own busy time, service times and stalls,
/// independent of the load generator's timestamps.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ServerSide {
    /// Requests answered.
    pub requests: u64,
    /// Batches served.
    pub batches: u64,
    /// From the start of the first batch to the end of the last, ns.
    pub span_ns: u64,
    /// Time spent serving, stalls included, ns.
    pub busy_ns: u64,
    /// Time spent serving without the stalls, ns.
    pub service_ns: u64,
    /// Sum of the squares of the batches' service times, ns².
    pub service_sq_ns2: u64,
    /// Gaps of at least [`crate::server::STALL`] in the server's spins.
    pub stalls: u64,
    /// Their total, ns.
    pub stalled_ns: u64,
    /// The longest, ns.
    pub max_stall_ns: u64,
    /// The mean of the server's own samples of the requests it holds (`None` without samples).
    pub held_mean: Option<f64>,
}

impl ServerSide {
    /// Reads the server's counters.
    pub fn of(stats: &Stats) -> ServerSide {
        let get = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
        ServerSide {
            requests: get(&stats.requests),
            batches: get(&stats.batches),
            span_ns: stats.span_ns(),
            busy_ns: get(&stats.busy_ns),
            service_ns: get(&stats.service_ns),
            service_sq_ns2: get(&stats.service_sq_ns2),
            stalls: get(&stats.stalls),
            stalled_ns: get(&stats.stalled_ns),
            max_stall_ns: get(&stats.max_stall_ns),
            held_mean: match get(&stats.held_samples) {
                0 => None,
                n => Some(get(&stats.held_sum_milli) as f64 / 1000.0 / n as f64),
            },
        }
    }

    /// The share of its span the server spent serving, stalls included.
    pub fn utilisation(&self) -> f64 {
        self.busy_ns as f64 / self.span_ns.max(1) as f64
    }

    /// The mean service time of a batch (of a request, one at a time), stalls excluded, ns.
    pub fn mean_service_ns(&self) -> f64 {
        self.service_ns as f64 / self.batches.max(1) as f64
    }

    /// The squared coefficient of variation of the batches' service times (1 for exponential
    /// service, 0 for constant).
    pub fn service_scv(&self) -> f64 {
        let n = self.batches.max(1) as f64;
        let mean = self.service_ns as f64 / n;
        let second = self.service_sq_ns2 as f64 / n;
        if mean > 0.0 {
            (second / (mean * mean) - 1.0).max(0.0)
        } else {
            0.0
        }
    }

    /// Records the server's utilisation, service time and stalls in `s`.
    pub fn record(&self, s: &mut Sample) {
        s.metric("server_util_pct", self.utilisation() * 100.0)
            .metric("server_service_ns", self.mean_service_ns())
            .metric("service_scv", self.service_scv())
            .metric("stalls", self.stalls as f64)
            .metric("stalled_ms", self.stalled_ns as f64 * 1e-6)
            .metric("max_stall_ms", self.max_stall_ns as f64 * 1e-6)
            .metric("server_span_ms", self.span_ns as f64 * 1e-6);
    }
}

/// Starts a server with `config`, sends `workload` to it in `mode`, and shuts it down.
pub fn against_server(config: ServerConfig, workload: &Workload, mode: Loop) -> io::Result<Served> {
    let server = Server::start(config)?;
    let trace = run(
        server.addr(),
        workload,
        mode,
        limit(workload.arrivals.span_secs()),
    );
    // After the shutdown, every connection's counts are in (its sampler publishes at the end).
    let stats = server.shutdown();
    let requests = stats.requests.load(Ordering::Relaxed) as f64;
    let batches = stats.batches.load(Ordering::Relaxed).max(1) as f64;
    let server_rt = stats.normal_priority.load(Ordering::Relaxed) == 0;
    let side = ServerSide::of(&stats);
    let trace = trace?;
    Ok(Served {
        realtime: trace.setup_applied && server_rt,
        trace,
        mean_batch: requests / batches,
        server: side,
    })
}

/// The service's capacity, as the capacity experiment recorded it.
#[derive(Clone, Copy, Debug)]
pub struct Capacity {
    /// Requests per second the saturated server completes.
    pub rps: f64,
    /// `1 / rps` in nanoseconds: the mean time the server spends per request, overheads
    /// included (the service time of the queueing model).
    pub service_ns: f64,
}

impl Capacity {
    /// The capacity in the record of [`capacity`]'s runs (the median over its rounds).
    ///
    /// # Panics
    /// When the record has no `capacity_rps`.
    pub fn of(record: &Record) -> Capacity {
        let rps = *record
            .metrics
            .get("capacity_rps")
            .expect("the capacity record holds capacity_rps");
        Capacity {
            rps,
            service_ns: 1e9 / rps,
        }
    }
}

// ANCHOR: capacity
/// Saturates the server with a closed loop of `clients` clients that send back to back for
/// about `secs` seconds, and counts what it completes.
pub fn capacity(clients: usize, secs: f64, seed: u64) -> io::Result<Sample> {
    let n = (secs * 1e9 / SERVICE_MEAN_NS) as usize;
    let workload = Workload::back_to_back(n, SERVICE_MEAN_NS, seed);
    let run = against_server(ServerConfig::PLAIN, &workload, Loop::Closed { clients })?;
    let rps = run.trace.completed_per_s();
    let mut s = Sample::new();
    s.metric("capacity_rps", rps)
        .metric("service_ns", 1e9 / rps)
        .flag("realtime", run.realtime);
    run.server.record(&mut s);
    Ok(s)
}
// ANCHOR_END: capacity

// ANCHOR: load_point
/// Offers `util_pct` percent of the capacity as Poisson arrivals for `secs` seconds, in an
/// open or a closed loop, from the same schedule (the same seed) either way.
pub fn load_point(
    cap: &Capacity,
    util_pct: f64,
    mode: Loop,
    secs: f64,
    seed: u64,
) -> io::Result<Sample> {
    let rate = cap.rps * util_pct / 100.0;
    let n = ((rate * secs) as usize).max(1);
    let workload = Workload::poisson(rate, n, SERVICE_MEAN_NS, seed);
    let Served {
        trace,
        realtime,
        server,
        ..
    } = against_server(ServerConfig::PLAIN, &workload, mode)?;
    // The gap each client meant to leave between its requests.
    let clients = match mode {
        Loop::Open => 1.0,
        Loop::Closed { clients } => clients as f64,
    };
    let lat = Latencies::of(&trace, (clients * 1e9 / rate) as u64);
    let sent_rps = trace.sent_per_s();
    let rho = sent_rps / cap.rps;
    let law = little(&trace);
    // L again, from the server's side: its own samples of the requests it holds, which use none
    // of the generator's timestamps. What it leaves out is the answers on their way back.
    let l_server = server.held_mean;
    // The tail's interval by batch means, from the latencies timed from the intended send.
    let from_intended: Vec<u64> = (0..trace.received_ns.len())
        .map(|i| trace.received_ns[i].saturating_sub(trace.intended_ns[i]))
        .collect();
    let batches = TAIL_BATCHES.min(from_intended.len()).max(1);
    // The model again, from what the server measured of itself: its mean service time without
    // stalls, and the utilisation that service time gives at the rate sent.
    let s_server = server.mean_service_ns();
    let rho_server = sent_rps * s_server * 1e-9;
    let mut s = Sample::new();
    // Percentiles, mean and maximum of each: p99_ns, naive_p99_ns, rc_p99_ns, ...
    s.latencies("", lat.corrected)
        .latencies("naive_", lat.naive)
        .latencies("rc_", lat.record_correct)
        .metric("offered_rps", rate)
        .metric("sent_rps", sent_rps)
        .metric("achieved_rps", trace.completed_per_s())
        .metric("util_pct", rho * 100.0)
        .metric("mm1_mean_ns", mm1_mean(cap.service_ns, rho))
        .metric("mm1_p99_ns", mm1_quantile(cap.service_ns, rho, 0.99))
        .metric("rho_server_pct", rho_server * 100.0)
        .metric("mm1s_mean_ns", mm1_mean(s_server, rho_server))
        .metric("mm1s_p99_ns", mm1_quantile(s_server, rho_server, 0.99))
        .metric(
            "pk_mean_ns",
            pk_mean(s_server, rho_server, server.service_scv()),
        )
        .metric("little_l", law.l)
        .metric("little_lambda", law.lambda)
        .metric("little_w_ns", law.l / law.lambda * 1e9)
        .metric("w_ns", law.w * 1e9)
        .metric("little_ratio", law.ratio())
        .metric("little_err_pct", (law.ratio() - 1.0).abs() * 100.0)
        .metric(
            "send_lag_p99_ns",
            trace.send_lag().value_at_quantile(0.99) as f64,
        )
        .flag("realtime", realtime);
    if !from_intended.is_empty() {
        for (name, q) in [("p99", 0.99), ("p999", 0.999)] {
            let b = batch_quantile(&from_intended, batches, q);
            s.metric(&format!("{name}_batch_mean_ns"), b.mean)
                .metric(&format!("{name}_batch_se_ns"), b.se)
                .metric(&format!("{name}_batch_min_ns"), b.min)
                .metric(&format!("{name}_batch_max_ns"), b.max);
        }
    }
    if let Some(l) = l_server {
        s.metric("little_server_l", l)
            .metric("little_server_vs_generator", l / law.l)
            .metric("little_server_vs_lambda_w", l / (law.lambda * law.w));
    }
    // How many requests a tail percentile rests on: a p999 of n requests is the largest of
    // about n / 1000.
    s.metric("requests", from_intended.len() as f64);
    server.record(&mut s);
    Ok(s)
}
// ANCHOR_END: load_point

// ANCHOR: tradeoff
/// `clients` closed-loop clients sending back to back, each request asking for [`ITEM_NS`],
/// against a server that pays [`BATCH_COST`] per batch of at most `batch_max` requests.
pub fn tradeoff_point(batch_max: usize, clients: usize, secs: f64) -> io::Result<Sample> {
    let config = ServerConfig {
        batch_max,
        batch_cost: BATCH_COST,
    };
    // Size the run from the throughput the server could reach with full batches.
    let per_batch = clients.min(batch_max) as f64;
    let guess = per_batch / (BATCH_COST.as_secs_f64() + per_batch * f64::from(ITEM_NS) * 1e-9);
    let n = ((guess * secs) as usize).max(4 * clients);
    let workload = Workload::back_to_back_fixed(n, ITEM_NS);
    let run = against_server(config, &workload, Loop::Closed { clients })?;
    // Back to back, a request's intended time is the start of the run: the latency that
    // means something is the one from the actual send.
    let lat = Latencies::of(&run.trace, 0);
    let mut s = Sample::new();
    s.metric("throughput_rps", run.trace.completed_per_s())
        .latencies("", lat.naive)
        .metric("mean_batch", run.mean_batch)
        .flag("realtime", run.realtime);
    run.server.record(&mut s);
    Ok(s)
}
// ANCHOR_END: tradeoff
