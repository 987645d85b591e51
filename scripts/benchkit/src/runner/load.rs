//! Load: arrival schedules, open and closed loops, and the latencies they measure.
//!
//! An [`Arrivals`] schedule fixes, before the run, when each request is meant to be sent. Two
//! kinds of generator send it:
//!
//! - [`drive`]: one thread and one connection that carries many requests at once (a
//!   [`Pipeline`]: a socket speaking a framed protocol, a queue with a completion channel). In
//!   an **open loop** ([`Loop::Open`]) each request goes out at its intended time, whether or
//!   not earlier ones have been answered: the arrival rate is the schedule's, whatever the
//!   server does, as with independent users. In a **closed loop** ([`Loop::Closed`]) `clients`
//!   clients share the schedule round robin, and a client sends its next request only after the
//!   answer to its previous one and no earlier than the request's intended time: when the
//!   server is slow, the clients wait, and the requests they would have sent go out late, as
//!   with most simple benchmarks. The generator sleeps between events (in
//!   [`Pipeline::receive`]), so on a machine with few CPUs it does not compete with what it
//!   measures.
//! - [`open_loop`] and [`closed_loop`]: threads released together, each calling a blocking
//!   closure per request.
//!
//! For every request [`drive`] keeps three times: intended, sent and answered ([`Trace`]).
//! Latency from the *intended* time is what a user who arrived then waited; latency from the
//! *sent* time is what a tool that starts its stopwatch when it sends reports, and it misses
//! the waiting that a closed loop moves into the client (coordinated omission). The open loops
//! here time every request from its intended send time.
//!
//! Everything here is bounded: a schedule has a fixed number of requests, every run has a time
//! limit after which it stops (or fails, for [`drive`], naming how many requests were
//! answered), and no wait is longer than [`LONGEST_WAIT`] without looking at the clock.

use std::io::{self, ErrorKind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use super::Sample;
use super::hist::{self, histogram};
use super::threads::{self, Pin};
use inputs::Rng as WyRand;

/// The first request of a schedule is intended this long after the run starts, so that the
/// generator's threads are running before it is due.
pub const LEAD_NS: u64 = 2_000_000;
/// The longest a generator waits without looking at the clock and its time limit.
pub const LONGEST_WAIT: Duration = Duration::from_millis(50);
/// The threaded open loop sleeps until this long before a request's intended time, then spins.
pub const SPIN: Duration = Duration::from_micros(20);

/// A draw from the exponential distribution with the given mean (inversion of one uniform).
pub fn exponential(rng: &mut WyRand, mean: f64) -> f64 {
    // 53 random bits in [0, 1); 1 - u is in (0, 1], so the logarithm is finite.
    let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    -(1.0 - u).ln() * mean
}

/// When each request is meant to be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrivals {
    /// Intended send time of each request, in nanoseconds after the run starts; non-decreasing.
    pub intended_ns: Vec<u64>,
}

// ANCHOR: schedule
impl Arrivals {
    /// `n` requests arriving as a Poisson process of `rate` per second: independent,
    /// exponentially distributed gaps of mean `1 / rate`, drawn from `seed`.
    pub fn poisson(rate: f64, n: usize, seed: u64) -> Arrivals {
        assert!(rate > 0.0 && rate.is_finite(), "a positive arrival rate");
        let mut rng = WyRand::new(seed);
        let mean_gap_ns = 1e9 / rate;
        let mut t = LEAD_NS as f64;
        let intended_ns = (0..n)
            .map(|_| {
                t += exponential(&mut rng, mean_gap_ns);
                t as u64
            })
            .collect();
        Arrivals { intended_ns }
    }

    /// `n` requests exactly `1 / rate` apart.
    pub fn fixed_rate(rate: f64, n: usize) -> Arrivals {
        assert!(rate > 0.0 && rate.is_finite(), "a positive arrival rate");
        let gap = 1e9 / rate;
        Arrivals {
            intended_ns: (0..n).map(|i| LEAD_NS + (gap * i as f64) as u64).collect(),
        }
    }
}
// ANCHOR_END: schedule

impl Arrivals {
    /// `n` requests all intended at the start: in a closed loop, each client sends its next
    /// request as soon as its previous one is answered.
    pub fn back_to_back(n: usize) -> Arrivals {
        Arrivals {
            intended_ns: vec![LEAD_NS; n],
        }
    }

    /// Number of requests.
    pub fn len(&self) -> usize {
        self.intended_ns.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.intended_ns.is_empty()
    }

    /// The intended time of the last request, in seconds after the start.
    pub fn span_secs(&self) -> f64 {
        self.intended_ns.last().map_or(0.0, |&t| t as f64 * 1e-9)
    }
}

/// Open or closed loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loop {
    /// Every request at its intended time.
    Open,
    /// `clients` clients, each waiting for its previous answer before sending.
    Closed {
        /// Number of clients; request `i` belongs to client `i % clients`.
        clients: usize,
    },
}

/// What happened to every request of a run of [`drive`].
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Intended send times, ns after the start.
    pub intended_ns: Vec<u64>,
    /// When the generator handed each request to the pipeline (just before it called
    /// [`Pipeline::send`], as a tool starts its stopwatch before it writes), ns after the start.
    pub sent_ns: Vec<u64>,
    /// When each answer was taken from the pipeline ([`Pipeline::receive`] returned it), ns
    /// after the start; answers taken by one call share its time.
    pub received_ns: Vec<u64>,
    /// Requests in flight (sent, not yet answered) at each sample of
    /// [`Options::inflight_every`]; empty when nothing sampled.
    pub inflight: Vec<u32>,
    /// Time from the first sample to the last, ns.
    pub window_ns: u64,
    /// Whether [`Options::thread_setup`] was given and succeeded on every generator thread.
    pub setup_applied: bool,
}

impl Trace {
    /// Requests answered per second between the first send and the last answer.
    pub fn completed_per_s(&self) -> f64 {
        let first = self.sent_ns.iter().copied().min().unwrap_or(0);
        let last = self.received_ns.iter().copied().max().unwrap_or(0);
        self.received_ns.len() as f64 / (last.saturating_sub(first) as f64 * 1e-9)
    }

    /// Requests sent per second between the first send and the last.
    pub fn sent_per_s(&self) -> f64 {
        let first = self.sent_ns.iter().copied().min().unwrap_or(0);
        let last = self.sent_ns.iter().copied().max().unwrap_or(0);
        self.sent_ns.len().saturating_sub(1) as f64 / (last.saturating_sub(first) as f64 * 1e-9)
    }

    /// How late each request was sent after its intended time.
    pub fn send_lag(&self) -> Histogram<u64> {
        let mut h = histogram();
        for (s, i) in self.sent_ns.iter().zip(&self.intended_ns) {
            hist::record(&mut h, s.saturating_sub(*i));
        }
        h
    }
}

// ANCHOR: latencies
/// Latencies of a trace, in three ways.
#[derive(Clone, Debug)]
pub struct Latencies {
    /// From the intended send time to the answer: what the user sees.
    pub corrected: Histogram<u64>,
    /// From the actual send time to the answer: what a naive closed-loop tool reports.
    pub naive: Histogram<u64>,
    /// The naive latencies with HdrHistogram's after-the-fact correction for an expected
    /// interval between requests (`record_correct`).
    pub record_correct: Histogram<u64>,
}

impl Latencies {
    /// Records every request of `trace`; `expected_interval_ns` is the gap a client meant to
    /// leave between its requests (0 disables `record_correct`'s synthetic samples).
    pub fn of(trace: &Trace, expected_interval_ns: u64) -> Latencies {
        let (mut corrected, mut naive, mut rc) = (histogram(), histogram(), histogram());
        for i in 0..trace.received_ns.len() {
            let done = trace.received_ns[i];
            let from_intended = done.saturating_sub(trace.intended_ns[i]);
            let from_sent = done.saturating_sub(trace.sent_ns[i]);
            hist::record(&mut corrected, from_intended);
            hist::record(&mut naive, from_sent);
            rc.record_correct(from_sent.clamp(1, hist::MAX_NS), expected_interval_ns)
                .expect("clamped into range");
        }
        Latencies {
            corrected,
            naive,
            record_correct: rc,
        }
    }
}
// ANCHOR_END: latencies

/// A connection that carries many requests at once, driven by [`drive`] from one thread.
pub trait Pipeline {
    /// Hands request `i` to the connection (encode it, start writing it) without waiting for
    /// its answer, and without blocking for long: bytes that cannot be written yet are kept
    /// and written during [`Pipeline::receive`].
    fn send(&mut self, i: usize) -> io::Result<()>;

    /// Waits until at least one answer has arrived or `timeout` has passed, writing kept bytes
    /// meanwhile, and appends the index of every request answered since the last call to
    /// `done`. Returning with nothing appended is allowed (a wake-up, a partial frame).
    fn receive(&mut self, timeout: Duration, done: &mut Vec<usize>) -> io::Result<()>;
}

/// How [`drive`] sends a schedule.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Open or closed loop.
    pub mode: Loop,
    /// The run fails with [`ErrorKind::TimedOut`] when it is not over after this long.
    pub limit: Duration,
    /// Sample the number of requests in flight this often, from a second thread (for Little's
    /// law); `None` samples nothing.
    pub inflight_every: Option<Duration>,
    /// Run on the generator's threads before they start (a priority change, say); its answer
    /// goes into [`Trace::setup_applied`].
    pub thread_setup: Option<fn() -> bool>,
}

impl Options {
    /// `mode` with a time limit, no sampling and no thread set-up.
    pub fn new(mode: Loop, limit: Duration) -> Options {
        Options {
            mode,
            limit,
            inflight_every: None,
            thread_setup: None,
        }
    }
}

/// Counters the generator publishes and the sampler reads.
#[derive(Default)]
struct Shared {
    sent: AtomicU64,
    received: AtomicU64,
    done: AtomicBool,
}

/// Sets the done flag when dropped, so that the sampler ends however the generator ends.
struct DoneOnDrop<'a>(&'a AtomicBool);

impl Drop for DoneOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Counts the requests in flight every `period` until the run is done; returns the samples,
/// the time from the first to the last, and whether the thread set-up applied.
fn sample(shared: &Shared, period: Duration, setup: Option<fn() -> bool>) -> (Vec<u32>, u64, bool) {
    let applied = setup.is_some_and(|f| f());
    let start = Instant::now();
    let mut samples = Vec::new();
    let mut last = start;
    while !shared.done.load(Ordering::Acquire) {
        // Received first: the generator counts a request as sent before it counts it as
        // received, and publishes each count with Release, so a request this Acquire load sees
        // as received is also seen as sent by the load after it. The difference never wraps.
        let r = shared.received.load(Ordering::Acquire);
        let s = shared.sent.load(Ordering::Acquire);
        last = Instant::now();
        samples.push(u32::try_from(s.saturating_sub(r)).unwrap_or(u32::MAX));
        std::thread::sleep(period);
    }
    let window = u64::try_from((last - start).as_nanos()).unwrap_or(u64::MAX);
    (samples, window, applied)
}

/// Sends `arrivals` through `pipe` as `opts` says and returns what happened to every request.
/// The generator runs on a thread of its own (so that [`Options::thread_setup`] does not
/// change the caller's thread), with its timer slack lowered
/// ([`threads::tight_timer_slack`]).
///
/// Fails (rather than hangs) when the run is not over after [`Options::limit`], when the
/// pipeline reports an answer to a request that was not sent or was already answered, or when
/// the pipeline fails.
pub fn drive<P: Pipeline + Send>(
    pipe: &mut P,
    arrivals: &Arrivals,
    opts: &Options,
) -> io::Result<Trace> {
    let shared = &Shared::default();
    std::thread::scope(|s| {
        let sampler = match opts.inflight_every {
            Some(period) => Some(
                std::thread::Builder::new()
                    .name("runner-sample".into())
                    .spawn_scoped(s, move || sample(shared, period, opts.thread_setup))?,
            ),
            None => None,
        };
        let driver = std::thread::Builder::new()
            .name("runner-drive".into())
            .spawn_scoped(s, || {
                let _done = DoneOnDrop(&shared.done);
                drive_loop(pipe, arrivals, opts, shared)
            });
        let result = match driver {
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(e) => {
                shared.done.store(true, Ordering::Release);
                Err(e)
            }
        };
        let sampled = sampler.map(|h| h.join().expect("the in-flight sampler panicked"));
        result.map(|mut t| {
            if let Some((inflight, window_ns, applied)) = sampled {
                t.inflight = inflight;
                t.window_ns = window_ns;
                t.setup_applied &= applied;
            }
            t
        })
    })
}

// ANCHOR: drive
fn drive_loop<P: Pipeline>(
    pipe: &mut P,
    arrivals: &Arrivals,
    opts: &Options,
    shared: &Shared,
) -> io::Result<Trace> {
    threads::tight_timer_slack();
    let setup_applied = opts.thread_setup.is_some_and(|f| f());
    let (mode, limit) = (opts.mode, opts.limit);
    let n = arrivals.len();
    let clients = match mode {
        Loop::Open => 0,
        Loop::Closed { clients } => clients.max(1),
    };
    let limit_ns = u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX);
    let (mut sent, mut received) = (vec![u64::MAX; n], vec![u64::MAX; n]);
    let mut next_open = 0; // open loop: the next request to send
    let mut next_of: Vec<usize> = (0..clients).collect(); // closed loop: each client's next
    let mut busy = vec![false; clients];
    let mut answered = Vec::new();
    let mut done = 0;
    let t0 = Instant::now();
    let now_ns = || u64::try_from(t0.elapsed().as_nanos()).unwrap_or(u64::MAX);
    loop {
        // Send everything that is due (and, closed loop, whose client is free).
        let now = now_ns();
        // A request is in flight from the moment it is stamped: the stamp (for W) and the
        // count the sampler reads (for L) agree, however long the write takes.
        let mut send = |i: usize| -> io::Result<()> {
            sent[i] = now_ns();
            shared.sent.fetch_add(1, Ordering::Release);
            pipe.send(i)
        };
        // ANCHOR: send_due
        match mode {
            Loop::Open => {
                while next_open < n && arrivals.intended_ns[next_open] <= now {
                    send(next_open)?;
                    next_open += 1;
                }
            }
            Loop::Closed { .. } => {
                for c in 0..clients {
                    let i = next_of[c];
                    if !busy[c] && i < n && arrivals.intended_ns[i] <= now {
                        send(i)?;
                        busy[c] = true;
                        next_of[c] += clients;
                    }
                }
            }
        }
        // ANCHOR_END: send_due
        if done == n {
            break;
        }
        // Sleep until the next send is due or an answer arrives.
        let now = now_ns();
        if now > limit_ns {
            return Err(io::Error::new(
                ErrorKind::TimedOut,
                format!("{done} of {n} requests answered after {limit:?}"),
            ));
        }
        let due = match mode {
            Loop::Open => arrivals.intended_ns.get(next_open).copied(),
            Loop::Closed { .. } => (0..clients)
                .filter(|&c| !busy[c] && next_of[c] < n)
                .map(|c| arrivals.intended_ns[next_of[c]])
                .min(),
        };
        let timeout = due.map_or(u64::MAX, |t| t.saturating_sub(now));
        let timeout = Duration::from_nanos(timeout.min(limit_ns - now)).min(LONGEST_WAIT);
        answered.clear();
        pipe.receive(timeout, &mut answered)?;
        if answered.is_empty() {
            continue;
        }
        let t = now_ns();
        for &i in &answered {
            if i >= n || sent[i] == u64::MAX || received[i] != u64::MAX {
                return Err(io::Error::new(
                    ErrorKind::InvalidData,
                    format!("an answer to request {i}, which was not sent or was answered already"),
                ));
            }
            received[i] = t;
            done += 1;
            shared.received.fetch_add(1, Ordering::Release);
            if clients > 0 {
                busy[i % clients] = false;
            }
        }
    }
    Ok(Trace {
        intended_ns: arrivals.intended_ns.clone(),
        sent_ns: sent,
        received_ns: received,
        setup_applied,
        ..Trace::default()
    })
}
// ANCHOR_END: drive

/// A closed loop on threads: each thread runs its operation back to back, timing each call.
#[derive(Clone, Copy, Debug)]
pub struct ClosedLoop {
    /// Number of threads.
    pub threads: usize,
    /// Whether to pin them.
    pub pin: Pin,
    /// Operations each thread runs at most.
    pub ops_per_thread: u64,
    /// A thread starts no operation later than this after the release.
    pub max_time: Duration,
}

/// An open loop on threads: worker threads take the requests of a schedule in order, each
/// calling its operation at the request's intended time or, when all workers are busy, as soon
/// as one is free; every latency is timed from the intended time.
#[derive(Clone, Copy, Debug)]
pub struct OpenLoop<'a> {
    /// Number of worker threads: the most requests in service at once.
    pub threads: usize,
    /// Whether to pin them.
    pub pin: Pin,
    /// When each request is due.
    pub arrivals: &'a Arrivals,
    /// No request starts later than this after the release; the rest are counted as missed.
    pub limit: Duration,
}

/// What a load on threads measured.
#[derive(Debug)]
pub struct LoadRun {
    /// Every operation's latency: its own duration in a closed loop, from its intended time to
    /// its end in an open loop.
    pub latency: Histogram<u64>,
    /// Open loop: how late each operation started after its intended time.
    pub send_lag: Option<Histogram<u64>>,
    /// Operations each thread completed.
    pub per_thread: Vec<u64>,
    /// Operations the loop was asked for.
    pub offered: u64,
    /// From the release to the end of the last thread.
    pub elapsed: Duration,
    /// Whether pinning was asked for and applied to every thread.
    pub pinned: bool,
}

impl LoadRun {
    /// Operations completed by all threads.
    pub fn completed(&self) -> u64 {
        self.per_thread.iter().sum()
    }

    /// Operations completed per second of the run.
    pub fn ops_per_s(&self) -> f64 {
        self.completed() as f64 / self.elapsed.as_secs_f64()
    }

    /// The run as a [`Sample`]: metrics `ops`, `offered`, `ops_per_s` and the flag `pinned`;
    /// the latencies as the main distribution (metrics `p50_ns`, ...), the send lag under
    /// `lag_` (`lag_p99_ns`, ...); and the series `per_thread` (thread index, operations). A
    /// run that completed no operation has no latencies, and its rounds cannot be combined
    /// ([`super::combine`] panics, naming the case).
    pub fn sample(&self) -> Sample {
        let mut s = Sample::new();
        s.metric("ops", self.completed() as f64)
            .metric("offered", self.offered as f64)
            .metric("ops_per_s", self.ops_per_s())
            .flag("pinned", self.pinned)
            .latencies("", self.latency.clone())
            .series(
                "per_thread",
                "thread",
                "operations",
                self.per_thread
                    .iter()
                    .enumerate()
                    .map(|(i, &n)| (i as f64, n as f64))
                    .collect(),
            );
        if let Some(lag) = &self.send_lag {
            s.latencies("lag_", lag.clone());
        }
        s
    }
}

fn elapsed_ns(from: Instant, to: Instant) -> u64 {
    u64::try_from(to.saturating_duration_since(from).as_nanos()).unwrap_or(u64::MAX)
}

/// Runs a closed loop on threads released together: thread `t` runs `setup(t)` untimed, then
/// `op(&mut state, i)` for `i` in `0..ops_per_thread`, timing each call, until it has run them
/// all or [`ClosedLoop::max_time`] has passed.
pub fn closed_loop<S, F, O>(cfg: &ClosedLoop, setup: F, op: O) -> LoadRun
where
    F: Fn(usize) -> S + Sync,
    O: Fn(&mut S, u64) + Sync,
{
    let g = threads::spawn(cfg.threads, cfg.pin, setup, |st, mut state| {
        let mut h = histogram();
        let mut done = 0u64;
        let end = st.t0 + cfg.max_time;
        for i in 0..cfg.ops_per_thread {
            let s = Instant::now();
            if s >= end {
                break;
            }
            op(&mut state, i);
            hist::record(&mut h, elapsed_ns(s, Instant::now()));
            done += 1;
        }
        (h, done)
    });
    let mut latency = histogram();
    for (h, _) in &g.results {
        hist::merge(&mut latency, h);
    }
    LoadRun {
        latency,
        send_lag: None,
        per_thread: g.results.iter().map(|r| r.1).collect(),
        offered: cfg.ops_per_thread.saturating_mul(cfg.threads as u64),
        elapsed: g.elapsed,
        pinned: g.all_pinned(),
    }
}

/// Waits until `deadline`: sleeps until [`SPIN`] before it, then spins.
fn wait_until(deadline: Instant) {
    loop {
        let now = Instant::now();
        if now >= deadline {
            return;
        }
        let left = deadline - now;
        if left > SPIN {
            std::thread::sleep((left - SPIN).min(LONGEST_WAIT));
        } else {
            std::hint::spin_loop();
        }
    }
}

/// Runs an open loop on threads released together: thread `t` runs `setup(t)` untimed, then
/// the workers take requests in order; request `i` is served by `op(&mut state, i)` on the
/// first free worker, not before its intended time, and its latency is timed from that
/// intended time. Requests that would start after [`OpenLoop::limit`] are not run.
pub fn open_loop<S, F, O>(cfg: &OpenLoop<'_>, setup: F, op: O) -> LoadRun
where
    F: Fn(usize) -> S + Sync,
    O: Fn(&mut S, usize) + Sync,
{
    let next = AtomicUsize::new(0);
    let intended = &cfg.arrivals.intended_ns;
    let with_slack = |t: usize| {
        threads::tight_timer_slack();
        setup(t)
    };
    let g = threads::spawn(cfg.threads, cfg.pin, with_slack, |st, mut state| {
        let (mut lat, mut lag) = (histogram(), histogram());
        let mut done = 0u64;
        let end = st.t0 + cfg.limit;
        loop {
            // A ticket: each index is handed to exactly one worker; nothing else is published
            // through the counter, so Relaxed suffices.
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&due_ns) = intended.get(i) else {
                break;
            };
            let due = st.t0 + Duration::from_nanos(due_ns);
            if due > end {
                break;
            }
            wait_until(due);
            let start = Instant::now();
            if start > end {
                break;
            }
            op(&mut state, i);
            hist::record(&mut lat, elapsed_ns(due, Instant::now()));
            hist::record(&mut lag, elapsed_ns(due, start));
            done += 1;
        }
        (lat, lag, done)
    });
    let (mut latency, mut send_lag) = (histogram(), histogram());
    for (l, s, _) in &g.results {
        hist::merge(&mut latency, l);
        hist::merge(&mut send_lag, s);
    }
    LoadRun {
        latency,
        send_lag: Some(send_lag),
        per_thread: g.results.iter().map(|r| r.2).collect(),
        offered: intended.len() as u64,
        elapsed: g.elapsed,
        pinned: g.all_pinned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// A pipeline that answers one queued request per call of `receive`, oldest first, and
    /// keeps track of how many were ever outstanding at once.
    #[derive(Default)]
    struct OneAtATime {
        queue: VecDeque<usize>,
        most_outstanding: usize,
        sends: Vec<usize>,
    }

    impl Pipeline for OneAtATime {
        fn send(&mut self, i: usize) -> io::Result<()> {
            self.queue.push_back(i);
            self.sends.push(i);
            self.most_outstanding = self.most_outstanding.max(self.queue.len());
            Ok(())
        }

        fn receive(&mut self, _: Duration, done: &mut Vec<usize>) -> io::Result<()> {
            done.extend(self.queue.pop_front());
            Ok(())
        }
    }

    const LIMIT: Duration = Duration::from_secs(30);

    #[test]
    fn schedules_are_fixed_by_their_seed_and_ordered() {
        let a = Arrivals::poisson(10_000.0, 1000, 5);
        assert_eq!(a.len(), 1000);
        assert_eq!(a, Arrivals::poisson(10_000.0, 1000, 5));
        assert_ne!(a, Arrivals::poisson(10_000.0, 1000, 6));
        assert!(a.intended_ns.windows(2).all(|w| w[0] <= w[1]));
        assert!(a.intended_ns[0] >= LEAD_NS);
        let f = Arrivals::fixed_rate(1000.0, 5);
        let gaps: Vec<u64> = f.intended_ns.windows(2).map(|w| w[1] - w[0]).collect();
        assert_eq!(gaps, vec![1_000_000; 4]);
        assert!(Arrivals::back_to_back(0).is_empty());
        let mut r = WyRand::new(9);
        assert!((0..1000).all(|_| exponential(&mut r, 1.0).is_finite()));
    }

    #[test]
    fn the_open_loop_sends_everything_due_without_waiting_for_answers() {
        let mut p = OneAtATime::default();
        let a = Arrivals::back_to_back(40);
        let t = drive(&mut p, &a, &Options::new(Loop::Open, LIMIT)).unwrap();
        assert_eq!(
            p.sends,
            (0..40).collect::<Vec<_>>(),
            "each sent once, in order"
        );
        assert_eq!(p.most_outstanding, 40, "all were due at once");
        assert!(t.received_ns.iter().all(|&r| r != u64::MAX));
        for i in 0..40 {
            assert!(t.intended_ns[i] <= t.sent_ns[i] && t.sent_ns[i] <= t.received_ns[i]);
        }
        assert!(!t.setup_applied, "no set-up was asked for");
    }

    #[test]
    fn a_closed_loop_keeps_one_request_per_client_in_flight() {
        for clients in [1, 3, 8] {
            let mut p = OneAtATime::default();
            let a = Arrivals::back_to_back(50);
            let t = drive(&mut p, &a, &Options::new(Loop::Closed { clients }, LIMIT)).unwrap();
            assert_eq!(p.sends.len(), 50);
            assert_eq!(p.most_outstanding, clients);
            for i in clients..50 {
                assert!(
                    t.sent_ns[i] >= t.received_ns[i - clients],
                    "request {i} left before its client's previous answer"
                );
            }
        }
    }

    #[test]
    fn the_sampler_and_the_thread_setup_report() {
        fn yes() -> bool {
            true
        }
        let mut p = OneAtATime::default();
        let a = Arrivals::back_to_back(20);
        let mut o = Options::new(Loop::Closed { clients: 2 }, LIMIT);
        o.inflight_every = Some(Duration::from_millis(1));
        o.thread_setup = Some(yes);
        let t = drive(&mut p, &a, &o).unwrap();
        assert!(t.setup_applied);
        assert!(t.inflight.iter().all(|&k| k <= 2));
    }

    #[test]
    fn an_answer_nobody_asked_for_is_an_error() {
        struct Stray;
        impl Pipeline for Stray {
            fn send(&mut self, _: usize) -> io::Result<()> {
                Ok(())
            }
            fn receive(&mut self, _: Duration, done: &mut Vec<usize>) -> io::Result<()> {
                done.push(7);
                Ok(())
            }
        }
        let e = drive(
            &mut Stray,
            &Arrivals::back_to_back(3),
            &Options::new(Loop::Open, LIMIT),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidData);
    }

    #[test]
    fn a_run_that_cannot_finish_fails_at_its_limit() {
        struct Silent;
        impl Pipeline for Silent {
            fn send(&mut self, _: usize) -> io::Result<()> {
                Ok(())
            }
            fn receive(&mut self, timeout: Duration, _: &mut Vec<usize>) -> io::Result<()> {
                std::thread::sleep(timeout);
                Ok(())
            }
        }
        let o = Options::new(Loop::Open, Duration::from_millis(20));
        let e = drive(&mut Silent, &Arrivals::back_to_back(3), &o).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TimedOut);
        assert!(e.to_string().contains("0 of 3"), "{e}");
    }

    #[test]
    fn latencies_from_the_intended_time_include_the_wait_before_sending() {
        let t = Trace {
            intended_ns: vec![0, 1000, 2000, 3000],
            sent_ns: vec![0, 1500, 2000, 9000],
            received_ns: vec![500, 2000, 2500, 9500],
            ..Trace::default()
        };
        let lat = Latencies::of(&t, 0);
        assert_eq!(lat.naive.max(), 500);
        assert_eq!(lat.corrected.max(), lat.corrected.highest_equivalent(6500));
        assert_eq!(lat.corrected.len(), 4);
        assert_eq!(
            lat.record_correct.len(),
            4,
            "no interval, no synthetic samples"
        );
        assert_eq!(t.send_lag().max(), t.send_lag().highest_equivalent(6000));
    }

    #[test]
    fn a_closed_loop_on_threads_runs_every_operation_once() {
        let calls = AtomicU64::new(0);
        let cfg = ClosedLoop {
            threads: 3,
            pin: Pin::None,
            ops_per_thread: 100,
            max_time: Duration::from_secs(60),
        };
        let run = closed_loop(
            &cfg,
            |t| t,
            |_, _| {
                calls.fetch_add(1, Ordering::Relaxed);
            },
        );
        assert_eq!(run.per_thread, vec![100; 3]);
        assert_eq!(run.latency.len(), 300);
        assert_eq!(calls.load(Ordering::Relaxed), 300);
        assert_eq!(run.offered, 300);
        let s = run.sample();
        assert_eq!(s.histogram_count(""), Some(300));
    }

    #[test]
    fn an_open_loop_on_threads_serves_each_request_once() {
        let a = Arrivals::fixed_rate(200_000.0, 200);
        let seen: Vec<AtomicBool> = (0..200).map(|_| AtomicBool::new(false)).collect();
        let cfg = OpenLoop {
            threads: 2,
            pin: Pin::None,
            arrivals: &a,
            limit: Duration::from_secs(60),
        };
        let run = open_loop(
            &cfg,
            |_| (),
            |_, i| {
                assert!(
                    !seen[i].swap(true, Ordering::Relaxed),
                    "request {i} served twice"
                );
            },
        );
        assert!(seen.iter().all(|s| s.load(Ordering::Relaxed)));
        assert_eq!(run.completed(), 200);
        assert_eq!(run.latency.len(), 200);
        assert_eq!(run.send_lag.as_ref().map(Histogram::len), Some(200));
    }

    #[test]
    fn an_open_loop_on_threads_skips_requests_due_after_its_limit() {
        // The first request is due at LEAD_NS, after a limit of one microsecond.
        let a = Arrivals::fixed_rate(1.0, 10);
        let cfg = OpenLoop {
            threads: 2,
            pin: Pin::None,
            arrivals: &a,
            limit: Duration::from_micros(1),
        };
        let run = open_loop(&cfg, |_| (), |_, _| panic!("nothing is due in time"));
        assert_eq!(run.completed(), 0);
        assert_eq!(run.offered, 10);
    }
}
