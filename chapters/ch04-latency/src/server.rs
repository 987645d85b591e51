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
}

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

    /// Stops accepting, stops every connection thread and waits for all of them.
    pub fn shutdown(mut self) {
        self.stop_and_join();
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
    let mut connections = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let (stop, mine) = (Arc::clone(stop), Arc::clone(stats));
                let spawned =
                    std::thread::Builder::new()
                        .name("ch04-serve".into())
                        .spawn(move || {
                            if serve(stream, config, &stop, &mine).is_err() {
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

// ANCHOR: spin
/// Holds the CPU until `deadline`: the service time of a request.
pub fn spin_until(deadline: Instant) {
    while Instant::now() < deadline {
        std::hint::spin_loop();
    }
}
// ANCHOR_END: spin

// ANCHOR: serve
fn serve(
    mut stream: TcpStream,
    config: ServerConfig,
    stop: &AtomicBool,
    stats: &Stats,
) -> io::Result<()> {
    if !try_realtime() {
        stats.normal_priority.fetch_add(1, Ordering::Relaxed);
    }
    stream.set_nonblocking(false)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(POLL))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut chunk = vec![0u8; 1 << 16];
    let mut batch: Vec<Request> = Vec::with_capacity(config.batch_max);
    let mut out = Vec::with_capacity(1 << 12);
    let mut start = 0;
    loop {
        // Take every complete request already received, up to a batch.
        while batch.len() < config.batch_max {
            let parsed = parse_request(&buf[start..])
                .map_err(|e| io::Error::new(ErrorKind::InvalidData, e))?;
            let Some((req, used)) = parsed else { break };
            start += used;
            batch.push(req);
        }
        if !batch.is_empty() {
            let served = batch.len() as u64;
            let mut deadline = Instant::now() + config.batch_cost;
            for req in batch.drain(..) {
                deadline += Duration::from_nanos(u64::from(req.service_ns));
                answer(&req).encode(&mut out);
            }
            spin_until(deadline);
            stream.write_all(&out)?;
            out.clear();
            stats.batches.fetch_add(1, Ordering::Relaxed);
            stats.requests.fetch_add(served, Ordering::Relaxed);
            continue;
        }
        buf.drain(..start);
        start = 0;
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
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

// ANCHOR: realtime
/// Asks the scheduler to run the calling thread under `SCHED_FIFO` at a low real-time
/// priority, ahead of every normal process; returns whether it was allowed (it needs
/// `CAP_SYS_NICE`, which root has). On a shared two-CPU machine, other people's compilers
/// would otherwise preempt the server and the load generator and add their own queueing to
/// the queue being measured. A real-time thread that spins forever could starve the machine;
/// these threads spin only for a request's service time, and the kernel's real-time throttling
/// (by default 5% of every second left to normal threads) bounds the rest.
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
