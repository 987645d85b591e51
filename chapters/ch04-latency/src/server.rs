//! The service: a TCP server on 127.0.0.1 that answers each request after spending the service
//! time the request asks for.
//!
//! One thread accepts connections; each connection is served by one thread, in arrival order
//! (first come, first served). The experiments open a single connection, so the service is a
//! single-server FIFO queue: the queue is the socket's receive buffer and the bytes already
//! read. The service time is a busy wait on the clock (a spin, holding the CPU as real work
//! would), so it is the same whether the shared host runs fast or slow at that moment.
//!
//! With `batch_max > 1` the server takes every complete request it has already received, up to
//! `batch_max`, pays a fixed cost once for the batch (think of a flush to disk or a system call
//! per batch), then the requests' own service times, and answers all of them with one write.
//!
//! Shutdown never hangs: the acceptor polls a non-blocking listener, and connection threads
//! wake from their blocking reads at least every [`POLL`] to look at the stop flag.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::protocol::{Request, answer, parse_request};

/// How often idle threads look at the stop flag.
pub const POLL: Duration = Duration::from_millis(20);
/// A write that cannot complete in this time (a client that stopped reading) fails.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// How the server groups requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// Most requests served together; 1 serves them one at a time.
    pub batch_max: usize,
    /// Fixed cost paid once per batch, on top of each request's own service time.
    pub batch_cost: Duration,
}

impl ServerConfig {
    /// One request at a time, no fixed cost: the service time is what the request asks for.
    pub const PLAIN: ServerConfig = ServerConfig {
        batch_max: 1,
        batch_cost: Duration::ZERO,
    };
}

/// Counters the server keeps, read after the run.
#[derive(Debug, Default)]
pub struct Stats {
    /// Requests answered.
    pub requests: AtomicU64,
    /// Batches served (equal to `requests` when `batch_max` is 1).
    pub batches: AtomicU64,
    /// Connections that ended with an error (a malformed frame, a failed write).
    pub errors: AtomicU64,
    /// Connections whose thread ran without real-time priority (see [`try_realtime`]).
    pub normal_priority: AtomicU64,
    /// Nanoseconds spent serving batches: from taking a batch to the end of its answer's
    /// write, stalls included. Over the run's span it is the server's own utilisation.
    pub busy_ns: AtomicU64,
    /// `busy_ns` without the stalls: the service time the server itself observed.
    pub service_ns: AtomicU64,
    /// Sum of the squares of each batch's service time without stalls, ns² (saturating): with
    /// `service_ns` and `batches`, the variability of the service.
    pub service_sq_ns2: AtomicU64,
    /// Stalls: gaps of at least [`STALL`] between two consecutive clock reads of a spin, in
    /// which the thread, meant to be holding the CPU, was not running.
    pub stalls: AtomicU64,
    /// Nanoseconds lost in stalls.
    pub stalled_ns: AtomicU64,
    /// The longest stall, ns.
    pub max_stall_ns: AtomicU64,
    /// Nanoseconds from the server's start to the start of its first batch, plus one (0: none
    /// served yet).
    pub first_batch_ns: AtomicU64,
    /// Nanoseconds from the server's start to the end of its last batch.
    pub last_batch_ns: AtomicU64,
    /// Samples of the server's own count of requests it holds (see `sample_held`), published
    /// when a connection ends.
    pub held_samples: AtomicU64,
    /// The sum of those counts, in thousandths of a request.
    pub held_sum_milli: AtomicU64,
}

impl Stats {
    /// The server's span: from the start of its first batch to the end of its last, ns (0
    /// before it served anything).
    pub fn span_ns(&self) -> u64 {
        match self.first_batch_ns.load(Ordering::Relaxed) {
            0 => 0,
            first => self
                .last_batch_ns
                .load(Ordering::Relaxed)
                .saturating_sub(first - 1),
        }
    }
}

/// A gap at least this long between two clock reads of a spin is a stall: far longer than a
/// clock read and a `spin_loop` hint (tens of nanoseconds), and than an interrupt's handler.
pub const STALL: Duration = Duration::from_millis(1);

/// A running server; [`Server::shutdown`] (or dropping it) stops every thread and joins them.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    stats: Arc<Stats>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds 127.0.0.1 on a port the kernel chooses and starts serving.
    pub fn start(config: ServerConfig) -> io::Result<Server> {
        assert!(config.batch_max >= 1, "a batch holds at least one request");
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(Stats::default());
        let acceptor = {
            let (stop, stats) = (Arc::clone(&stop), Arc::clone(&stats));
            std::thread::Builder::new()
                .name("ch04-accept".into())
                .spawn(move || accept_loop(listener, config, &stop, &stats))?
        };
        Ok(Server {
            addr,
            stop,
            stats,
            acceptor: Some(acceptor),
        })
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Stops accepting, stops every connection thread and waits for all of them; returns the
    /// counters, complete (a connection's sampler publishes its counts when it ends).
    pub fn shutdown(mut self) -> Arc<Stats> {
        self.stop_and_join();
        Arc::clone(&self.stats)
    }

    fn stop_and_join(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.acceptor.take() {
            // A panicking server thread is a bug the caller should see, but not from `drop`.
            if h.join().is_err() && !std::thread::panicking() {
                panic!("a ch04 server thread panicked");
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

fn accept_loop(
    listener: TcpListener,
    config: ServerConfig,
    stop: &Arc<AtomicBool>,
    stats: &Arc<Stats>,
) {
    let epoch = Instant::now();
    let mut connections = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let (stop, mine) = (Arc::clone(stop), Arc::clone(stats));
                let spawned =
                    std::thread::Builder::new()
                        .name("ch04-serve".into())
                        .spawn(move || {
                            if serve(stream, config, &stop, &mine, epoch).is_err() {
                                mine.errors.fetch_add(1, Ordering::Relaxed);
                            }
                        });
                match spawned {
                    Ok(h) => connections.push(h),
                    Err(_) => {
                        stats.errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2))
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => {
                stats.errors.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
    for h in connections {
        let _ = h.join();
    }
}

/// The stalls one spin saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stalls {
    /// Gaps of at least the threshold.
    pub count: u64,
    /// Their total, ns.
    pub total_ns: u64,
    /// The longest, ns.
    pub max_ns: u64,
}

// ANCHOR: spin
/// Holds the CPU until `deadline`: the service time of a request. Every gap of at least
/// `stall` between two consecutive clock reads is counted in the result: time in which the
/// thread was not running although it never gave up the CPU.
pub fn spin_until(deadline: Instant, stall: Duration) -> Stalls {
    spin_on(Instant::now, deadline, stall)
}

/// [`spin_until`] on the clock `now` (the tests give it one that jumps).
pub fn spin_on(mut now: impl FnMut() -> Instant, deadline: Instant, stall: Duration) -> Stalls {
    let mut seen = Stalls::default();
    let mut last = now();
    while last < deadline {
        std::hint::spin_loop();
        let now = now();
        let gap = now - last;
        if gap >= stall {
            let ns = u64::try_from(gap.as_nanos()).unwrap_or(u64::MAX);
            seen.count += 1;
            seen.total_ns = seen.total_ns.saturating_add(ns);
            seen.max_ns = seen.max_ns.max(ns);
        }
        last = now;
    }
    seen
}
// ANCHOR_END: spin

/// How often the server's own sampler counts the requests it holds.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(1);

/// What a connection's thread publishes for its sampler: the bytes it has read and parsed, and
/// the requests it has answered and their bytes.
#[derive(Default)]
struct Held {
    received_bytes: AtomicU64,
    parsed: AtomicU64,
    parsed_bytes: AtomicU64,
    answered: AtomicU64,
    answered_bytes: AtomicU64,
}

fn serve(
    mut stream: TcpStream,
    config: ServerConfig,
    stop: &AtomicBool,
    stats: &Stats,
    epoch: Instant,
) -> io::Result<()> {
    if !try_realtime() {
        stats.normal_priority.fetch_add(1, Ordering::Relaxed);
    }
    stream.set_nonblocking(false)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(POLL))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let held = Held::default();
    let done = AtomicBool::new(false);
    #[cfg(unix)]
    let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
    std::thread::scope(|s| {
        #[cfg(unix)]
        s.spawn(|| sample_held(fd, &held, &done, stats));
        let served = serve_requests(&mut stream, config, stop, stats, epoch, &held);
        done.store(true, Ordering::Relaxed);
        served
    })
}

// ANCHOR: serve
fn serve_requests(
    stream: &mut TcpStream,
    config: ServerConfig,
    stop: &AtomicBool,
    stats: &Stats,
    epoch: Instant,
    held: &Held,
) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut chunk = vec![0u8; 1 << 16];
    let mut batch: Vec<Request> = Vec::with_capacity(config.batch_max);
    let mut out = Vec::with_capacity(1 << 12);
    let (mut start, mut batch_bytes) = (0, 0);
    loop {
        // Take every complete request already received, up to a batch.
        while batch.len() < config.batch_max {
            let parsed = parse_request(&buf[start..])
                .map_err(|e| io::Error::new(ErrorKind::InvalidData, e))?;
            let Some((req, used)) = parsed else { break };
            start += used;
            batch_bytes += used;
            batch.push(req);
            held.parsed.fetch_add(1, Ordering::Relaxed);
            held.parsed_bytes.fetch_add(used as u64, Ordering::Relaxed);
        }
        if !batch.is_empty() {
            let served = batch.len() as u64;
            let began = Instant::now();
            let mut deadline = began + config.batch_cost;
            for req in batch.drain(..) {
                deadline += Duration::from_nanos(u64::from(req.service_ns));
                answer(&req).encode(&mut out);
            }
            let stalls = spin_until(deadline, STALL);
            stream.write_all(&out)?;
            out.clear();
            account(stats, epoch, began, Instant::now(), stalls);
            stats.batches.fetch_add(1, Ordering::Relaxed);
            stats.requests.fetch_add(served, Ordering::Relaxed);
            held.answered.fetch_add(served, Ordering::Relaxed);
            held.answered_bytes
                .fetch_add(std::mem::take(&mut batch_bytes) as u64, Ordering::Relaxed);
            continue;
        }
        buf.drain(..start);
        start = 0;
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                held.received_bytes.fetch_add(n as u64, Ordering::Relaxed);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: held
/// The server's own count of the requests it holds, sampled every [`SAMPLE_EVERY`] until
/// `done`: the bytes that have reached its socket (read, or waiting in the kernel's receive
/// queue, `FIONREAD`) and are not yet answered, in requests of the mean size parsed so far.
/// It is the L of Little's law from the server's side, measured without any of the load
/// generator's timestamps. (A read between the counter and the `ioctl` moves bytes from one to
/// the other; the error is one read's bytes in one sample.)
#[cfg(unix)]
fn sample_held(fd: std::os::fd::RawFd, held: &Held, done: &AtomicBool, stats: &Stats) {
    let (mut samples, mut sum) = (0u64, 0.0f64);
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(SAMPLE_EVERY);
        let answered_bytes = held.answered_bytes.load(Ordering::Relaxed);
        let received = held.received_bytes.load(Ordering::Relaxed);
        let mut unread: libc::c_int = 0;
        // SAFETY: `fd` is the connection's socket, open for the whole scope this thread runs
        // in; FIONREAD writes one `c_int` to the pointer, a live local.
        if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut unread) } != 0 {
            continue;
        }
        let bytes = (received + u64::try_from(unread).unwrap_or(0)).saturating_sub(answered_bytes);
        let (parsed, parsed_bytes) = (
            held.parsed.load(Ordering::Relaxed),
            held.parsed_bytes.load(Ordering::Relaxed),
        );
        let in_server = match (bytes, parsed) {
            (0, _) => 0.0,
            // Bytes before the first request was parsed: no size to count them in yet.
            (_, 0) => continue,
            (b, n) => b as f64 * n as f64 / parsed_bytes as f64,
        };
        samples += 1;
        sum += in_server;
    }
    stats.held_samples.fetch_add(samples, Ordering::Relaxed);
    stats
        .held_sum_milli
        .fetch_add((sum * 1000.0) as u64, Ordering::Relaxed);
}
// ANCHOR_END: held

/// Adds one batch, served from `began` to `ended` with `stalls` in its spin, to `stats`.
fn account(stats: &Stats, epoch: Instant, began: Instant, ended: Instant, stalls: Stalls) {
    let ns = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    let busy = ns(ended - began);
    let service = busy.saturating_sub(stalls.total_ns);
    stats.busy_ns.fetch_add(busy, Ordering::Relaxed);
    stats.service_ns.fetch_add(service, Ordering::Relaxed);
    let sq = service.saturating_mul(service);
    // Saturating, as an atomic add cannot be: a compare-and-swap loop.
    let _ = stats
        .service_sq_ns2
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
            Some(v.saturating_add(sq))
        });
    stats.stalls.fetch_add(stalls.count, Ordering::Relaxed);
    stats
        .stalled_ns
        .fetch_add(stalls.total_ns, Ordering::Relaxed);
    stats
        .max_stall_ns
        .fetch_max(stalls.max_ns, Ordering::Relaxed);
    let _ = stats.first_batch_ns.compare_exchange(
        0,
        ns(began - epoch).saturating_add(1),
        Ordering::Relaxed,
        Ordering::Relaxed,
    );
    stats
        .last_batch_ns
        .fetch_max(ns(ended - epoch), Ordering::Relaxed);
}

// ANCHOR: realtime
/// Asks the scheduler to run the calling thread under `SCHED_FIFO` at a low real-time
/// priority, ahead of every normal process; returns whether it was allowed (it needs
/// `CAP_SYS_NICE`, which root has). On a shared two-CPU machine, other people's compilers
/// would otherwise preempt the server and the load generator and add their own queueing to
/// the queue being measured. A real-time thread that spins forever could starve the machine;
/// these threads spin only for a request's service time, and the kernel keeps a share of every
/// period for normal threads (`sched_rt_runtime_us` of every `sched_rt_period_us`; from Linux
/// 6.12 the fair deadline server). That bound is visible in the data: a server that spins
/// without a break for longer than its share is stopped for the rest of the period, and the
/// spin records the gap as a stall ([`spin_until`]).
pub fn try_realtime() -> bool {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 10 };
        // SAFETY: `pthread_self` is the calling thread, which is alive, and `param` is a live
        // local the call only reads.
        unsafe { libc::pthread_setschedparam(libc::pthread_self(), libc::SCHED_FIFO, &param) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}
// ANCHOR_END: realtime
