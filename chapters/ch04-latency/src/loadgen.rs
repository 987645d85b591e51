//! The load generator: one thread, one connection, a schedule of intended send times.
//!
//! A [`Schedule`] fixes, before the run, when each request is meant to be sent and how much
//! service it asks for. [`run`] sends it in one of two ways:
//!
//! - **Open loop** ([`Loop::Open`]): each request goes out at its intended time, whether or not
//!   earlier ones have been answered. The arrival rate is the schedule's, whatever the server
//!   does. This is how independent users arrive at a real service.
//! - **Closed loop** ([`Loop::Closed`]): `clients` clients share the schedule round robin, and a
//!   client sends its next request only after the answer to its previous one, and no earlier
//!   than the request's intended time. When the server is slow, the clients wait, and the
//!   requests they would have sent are sent late. This is how most simple benchmarks work.
//!
//! For every request the trace keeps three times: intended, sent (handed to the socket) and
//! received. Latency from the intended time is what a user waiting for that request sees;
//! latency from the sent time is what a closed-loop tool usually reports.
//!
//! The generator waits with `ppoll`, which takes a timeout in nanoseconds and wakes as soon as
//! an answer arrives, so one thread both keeps the schedule and receives, and it sleeps in
//! between: on a two-CPU machine it must not spin beside the server. A second thread samples
//! the number of requests in flight every [`SAMPLE_PERIOD`], for Little's law.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use benchkit::rng::WyRand;

use crate::protocol::{Request, digest, parse_response};

/// Bytes in each request's body.
pub const BODY_LEN: usize = 32;
/// The first request is intended this long after the run starts.
pub const LEAD_NS: u64 = 2_000_000;
/// How often the sampler counts the requests in flight.
pub const SAMPLE_PERIOD: Duration = Duration::from_millis(1);

/// When each request is meant to be sent, and the service time it asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Intended send time of each request, in nanoseconds after the run starts; non-decreasing.
    pub intended_ns: Vec<u64>,
    /// Service time each request asks for, in nanoseconds.
    pub service_ns: Vec<u32>,
}

/// A draw from the exponential distribution with the given mean (inversion of one uniform).
pub fn exponential(rng: &mut WyRand, mean: f64) -> f64 {
    // 53 random bits in [0, 1); 1 - u is in (0, 1], so the logarithm is finite.
    let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    -(1.0 - u).ln() * mean
}

fn service_draws(n: usize, mean_ns: f64, seed: u64) -> Vec<u32> {
    let mut rng = WyRand::new(seed ^ 0x5e57_1ce0_0000_0000);
    (0..n)
        .map(|_| exponential(&mut rng, mean_ns).min(f64::from(u32::MAX)) as u32)
        .collect()
}

// ANCHOR: schedule
impl Schedule {
    /// `n` requests arriving as a Poisson process of `rate` per second (independent,
    /// exponentially distributed gaps), each asking for an exponentially distributed service
    /// time of mean `mean_service_ns`: the M/M/1 queue's assumptions.
    pub fn poisson(rate: f64, n: usize, mean_service_ns: f64, seed: u64) -> Schedule {
        assert!(rate > 0.0, "a positive arrival rate");
        let mut rng = WyRand::new(seed);
        let mean_gap_ns = 1e9 / rate;
        let mut t = LEAD_NS as f64;
        let intended_ns = (0..n)
            .map(|_| {
                t += exponential(&mut rng, mean_gap_ns);
                t as u64
            })
            .collect();
        Schedule {
            intended_ns,
            service_ns: service_draws(n, mean_service_ns, seed),
        }
    }

    /// `n` requests exactly `1 / rate` apart, each asking for `service_ns`.
    pub fn uniform(rate: f64, n: usize, service_ns: u32) -> Schedule {
        assert!(rate > 0.0, "a positive arrival rate");
        let gap = 1e9 / rate;
        Schedule {
            intended_ns: (0..n).map(|i| LEAD_NS + (gap * i as f64) as u64).collect(),
            service_ns: vec![service_ns; n],
        }
    }
    // ANCHOR_END: schedule

    /// `n` requests all intended at the start, with exponential service times of mean
    /// `mean_service_ns`: in a closed loop, each client sends its next request as soon as the
    /// previous one is answered.
    pub fn back_to_back(n: usize, mean_service_ns: f64, seed: u64) -> Schedule {
        Schedule {
            intended_ns: vec![LEAD_NS; n],
            service_ns: service_draws(n, mean_service_ns, seed),
        }
    }

    /// `n` requests all intended at the start, each asking for `service_ns`.
    pub fn back_to_back_fixed(n: usize, service_ns: u32) -> Schedule {
        Schedule {
            intended_ns: vec![LEAD_NS; n],
            service_ns: vec![service_ns; n],
        }
    }

    /// Number of requests.
    pub fn len(&self) -> usize {
        self.intended_ns.len()
    }

    /// Whether the schedule is empty.
    pub fn is_empty(&self) -> bool {
        self.intended_ns.is_empty()
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

/// What happened to every request of a run.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Intended send times, ns after the start.
    pub intended_ns: Vec<u64>,
    /// Times the requests were handed to the socket, ns after the start.
    pub sent_ns: Vec<u64>,
    /// Times their answers were read, ns after the start.
    pub received_ns: Vec<u64>,
    /// Requests in flight (sent, not yet answered) at each sample.
    pub inflight: Vec<u32>,
    /// Time from the first sample to the last, ns.
    pub window_ns: u64,
    /// Whether the generator and the sampler ran with real-time priority.
    pub realtime: bool,
}

/// The body of request `id`: its bytes repeated, so that every request's digest differs.
pub fn body_for(id: u64) -> [u8; BODY_LEN] {
    let mut b = [0u8; BODY_LEN];
    for c in b.chunks_exact_mut(8) {
        c.copy_from_slice(&id.to_le_bytes());
    }
    b
}

/// Lowers this thread's timer slack to 1 ns, so that timed waits end when asked rather than up
/// to 50 µs later (Linux's default slack for normal threads).
fn tight_timer_slack() {
    #[cfg(target_os = "linux")]
    // Safety: PR_SET_TIMERSLACK takes a number and changes only the calling thread's timer
    // slack; no memory is passed to the kernel.
    unsafe {
        libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong, 0, 0, 0);
    }
}

/// Waits until `fd` has one of `events` or `timeout_ns` passes; returns the events seen.
fn wait(fd: i32, events: i16, timeout_ns: u64) -> io::Result<i16> {
    let mut p = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    #[cfg(target_os = "linux")]
    let r = {
        let ts = libc::timespec {
            tv_sec: (timeout_ns / 1_000_000_000) as libc::time_t,
            tv_nsec: (timeout_ns % 1_000_000_000) as libc::c_long,
        };
        // Safety: `p` and `ts` are live locals for the whole call and `nfds` is 1, the length
        // of the one `pollfd`; a null signal mask leaves the thread's mask unchanged.
        unsafe { libc::ppoll(&mut p, 1, &ts, std::ptr::null()) }
    };
    #[cfg(not(target_os = "linux"))]
    // Safety: `p` is a live local and `nfds` is 1, the length of the one `pollfd`.
    let r = unsafe { libc::poll(&mut p, 1, timeout_ns.div_ceil(1_000_000).min(1000) as i32) };
    if r < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == ErrorKind::Interrupted {
            Ok(0)
        } else {
            Err(e)
        };
    }
    Ok(p.revents)
}

/// Counters the generator publishes and the sampler reads.
#[derive(Default)]
struct Shared {
    sent: AtomicU64,
    received: AtomicU64,
    done: AtomicBool,
}

/// Counts the requests in flight every [`SAMPLE_PERIOD`] until the run is done; returns the
/// samples and the time from the first to the last.
fn sample(shared: &Shared) -> (Vec<u32>, u64, bool) {
    let realtime = crate::server::try_realtime();
    let start = Instant::now();
    let mut samples = Vec::new();
    let mut last = start;
    while !shared.done.load(Ordering::Relaxed) {
        // Received first: a request counted as received has been counted as sent.
        let r = shared.received.load(Ordering::Acquire);
        let s = shared.sent.load(Ordering::Acquire);
        last = Instant::now();
        samples.push(s.saturating_sub(r) as u32);
        std::thread::sleep(SAMPLE_PERIOD);
    }
    (samples, (last - start).as_nanos() as u64, realtime)
}

/// Sends `schedule` to the server at `addr` and returns what happened to every request.
///
/// Fails (rather than hangs) when the run is not over after `limit`, when an answer does not
/// match its request, or on any socket error.
pub fn run(
    addr: SocketAddr,
    schedule: &Schedule,
    mode: Loop,
    limit: Duration,
) -> io::Result<Trace> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_nodelay(true)?;
    stream.set_nonblocking(true)?;
    let shared = Shared::default();
    std::thread::scope(|s| {
        let sampler = std::thread::Builder::new()
            .name("ch04-sample".into())
            .spawn_scoped(s, || sample(&shared))?;
        let result = std::thread::Builder::new()
            .name("ch04-load".into())
            .spawn_scoped(s, || drive(&stream, schedule, mode, limit, &shared))?
            .join()
            .expect("the load generator panicked");
        shared.done.store(true, Ordering::Relaxed);
        let (inflight, window_ns, sampler_rt) = sampler.join().expect("the sampler panicked");
        result.map(|mut t| {
            t.inflight = inflight;
            t.window_ns = window_ns;
            t.realtime &= sampler_rt;
            t
        })
    })
}

// ANCHOR: drive
fn drive(
    mut stream: &TcpStream,
    sch: &Schedule,
    mode: Loop,
    limit: Duration,
    shared: &Shared,
) -> io::Result<Trace> {
    tight_timer_slack();
    let realtime = crate::server::try_realtime();
    use std::os::fd::AsRawFd;
    let fd = stream.as_raw_fd();
    let n = sch.len();
    let clients = match mode {
        Loop::Open => 0,
        Loop::Closed { clients } => clients.max(1),
    };
    let limit_ns = limit.as_nanos() as u64;
    let (mut sent, mut received) = (vec![u64::MAX; n], vec![u64::MAX; n]);
    let mut next_open = 0; // open loop: the next request to send
    let mut next_of: Vec<usize> = (0..clients).collect(); // closed loop: each client's next
    let mut busy = vec![false; clients];
    let (mut out, mut out_at) = (Vec::with_capacity(1 << 14), 0);
    let (mut inbuf, mut chunk) = (Vec::with_capacity(1 << 16), vec![0u8; 1 << 16]);
    let mut done = 0;
    let t0 = Instant::now();
    let now_ns = || t0.elapsed().as_nanos() as u64;
    loop {
        // Send everything that is due (and, closed loop, whose client is free).
        let now = now_ns();
        let mut send = |i: usize, out: &mut Vec<u8>| {
            let body = body_for(i as u64).to_vec();
            let (id, service_ns) = (i as u64, sch.service_ns[i]);
            Request {
                id,
                service_ns,
                body,
            }
            .encode(out);
            sent[i] = now_ns();
            shared.sent.fetch_add(1, Ordering::Release);
        };
        // ANCHOR: send_due
        match mode {
            Loop::Open => {
                while next_open < n && sch.intended_ns[next_open] <= now {
                    send(next_open, &mut out);
                    next_open += 1;
                }
            }
            Loop::Closed { .. } => {
                for c in 0..clients {
                    let i = next_of[c];
                    if !busy[c] && i < n && sch.intended_ns[i] <= now {
                        send(i, &mut out);
                        busy[c] = true;
                        next_of[c] += clients;
                    }
                }
            }
        }
        // ANCHOR_END: send_due
        if out_at < out.len() {
            match stream.write(&out[out_at..]) {
                Ok(k) => out_at += k,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
                Err(e) => return Err(e),
            }
            if out_at == out.len() {
                out.clear();
                out_at = 0;
            }
        }
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
            Loop::Open => sch.intended_ns.get(next_open).copied(),
            Loop::Closed { .. } => (0..clients)
                .filter(|&c| !busy[c] && next_of[c] < n)
                .map(|c| sch.intended_ns[next_of[c]])
                .min(),
        };
        let timeout = due.map_or(u64::MAX, |t| t.saturating_sub(now));
        let timeout = timeout.min(limit_ns - now).min(50_000_000);
        let events = libc::POLLIN | if out.is_empty() { 0 } else { libc::POLLOUT };
        if wait(fd, events, timeout)? & (libc::POLLIN | libc::POLLERR | libc::POLLHUP) == 0 {
            continue;
        }
        // Read every answer that has arrived; they share one timestamp.
        loop {
            match stream.read(&mut chunk) {
                Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
                Ok(k) => {
                    inbuf.extend_from_slice(&chunk[..k]);
                    if k < chunk.len() {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let t = now_ns();
        let mut at = 0;
        while let Some((resp, used)) =
            parse_response(&inbuf[at..]).map_err(|e| io::Error::new(ErrorKind::InvalidData, e))?
        {
            at += used;
            let i = resp.id as usize;
            let expect = |i: usize| {
                let req = Request {
                    id: i as u64,
                    service_ns: 0,
                    body: body_for(i as u64).to_vec(),
                };
                digest(&req)
            };
            if i >= n || sent[i] == u64::MAX || received[i] != u64::MAX || resp.digest != expect(i)
            {
                return Err(io::Error::new(
                    ErrorKind::InvalidData,
                    format!("unexpected answer {resp:?}"),
                ));
            }
            received[i] = t;
            done += 1;
            shared.received.fetch_add(1, Ordering::Release);
            if clients > 0 {
                busy[i % clients] = false;
            }
        }
        inbuf.drain(..at);
    }
    Ok(Trace {
        intended_ns: sch.intended_ns.clone(),
        sent_ns: sent,
        received_ns: received,
        realtime,
        ..Trace::default()
    })
}
// ANCHOR_END: drive
